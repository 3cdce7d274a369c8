package dev.riskstream.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.Transactions;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Transaction;
import org.junit.jupiter.api.Test;

class CompiledRuleSetTest {

  private static final String SET = """
      version: v7
      lists:
        blocked_cards: [tok-bad]
      rules:
        - id: blocked
          expression: card in lists.blocked_cards
          action: DECLINE
          reason: BLOCKED_CARD
        - id: burst
          expression: features.card_tx_count_1m >= 3.0 && amount < 5.0
          action: REVIEW
          reason: BURST
        - id: device-seen
          expression: device == 'dev-1'
          action: REVIEW
          reason: DEVICE
        - id: guarded-device
          expression: has_device && device == 'dev-1'
          action: REVIEW
          reason: DEVICE
          mode: shadow
        - id: confident
          expression: score > 0.9
          action: DECLINE
          reason: CONFIDENT
          mode: shadow
      """;

  private static TransactionFacts facts(Transaction tx, float burst, double score) {
    float[] features = new float[FeatureSpec.CURRENT.size()];
    features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)] = burst;
    return new TransactionFacts(tx, features, LookupStatus.HIT, score, "m1");
  }

  @Test
  void reportsActiveAndShadowRulesThatFired() throws InvalidRuleSetException {
    CompiledRuleSet rules = RuleSetCompiler.compile(SET);
    Transaction small = Transactions.valid().setCardNumber("tok-bad").setAmountMinor(300)
        .setChannel(Channel.ECOM).setDeviceId("dev-1").build();

    RuleVerdict verdict = rules.evaluate(facts(small, 4, 0.95));

    assertThat(verdict.firedIds()).containsExactly("blocked", "burst", "device-seen");
    assertThat(verdict.shadowFiredIds()).containsExactly("guarded-device", "confident");
    assertThat(verdict.failures()).isEmpty();
  }

  @Test
  void aRuleMissingAValueFailsForThatTransactionAndDoesNotFire() throws InvalidRuleSetException {
    CompiledRuleSet rules = RuleSetCompiler.compile(SET);
    Transaction noDevice = Transactions.valid().setCardNumber("tok-good").build();

    RuleVerdict verdict = rules.evaluate(facts(noDevice, 0, Double.NaN));

    assertThat(verdict.firedIds()).isEmpty();
    assertThat(verdict.shadowFiredIds()).isEmpty();
    assertThat(verdict.failures()).extracting(failure -> failure.rule().id())
        .containsExactly("device-seen", "confident");
  }

  @Test
  void theWholeSetAtOnceDecidesAsRuleByRule() throws InvalidRuleSetException {
    CompiledRuleSet rules = RuleSetCompiler.compile("""
        version: shared
        lists:
          cards: [c1, c2, c3]
          countries: [NG, BR]
        rules:
          - {id: a, expression: "card in lists.cards && amount > 10.0", action: DECLINE, reason: A}
          - {id: b, expression: "card in lists.cards && amount > 100.0", action: REVIEW, reason: B}
          - {id: c, expression: "country in lists.countries || (card in lists.cards && has_score && score > 0.5)", action: REVIEW, reason: C, mode: shadow}
          - {id: d, expression: "lists.countries.exists(x, x == country) && features.card_tx_count_1m >= 2.0", action: REVIEW, reason: D}
          - {id: e, expression: "[1, 2, 3].all(n, n < local_hour + 4) && amount_minor % 2 == 0", action: ALLOW, reason: E}
          - id: f
            expression: |
              channel == 'ECOM' // a comment to the line's end
            action: REVIEW
            reason: F
        """);
    String[] cards = {"c1", "c2", "c9"};
    String[] countries = {"NG", "DE", "BR"};
    int differing = 0;
    for (int i = 0; i < 300; i++) {
      Transaction tx = Transactions.valid().setCardNumber(cards[i % 3]).setCountry(countries[i / 3 % 3])
          .setAmountMinor(500L * (i % 50) + i % 2).setChannel(Channel.values()[i % Channel.values().length]).build();
      TransactionFacts facts = facts(tx, i % 4, i % 10 / 10.0);

      RuleVerdict together = rules.evaluate(facts);
      RuleVerdict oneByOne = rules.evaluateOneByOne(facts);

      assertThat(together.firedIds()).isEqualTo(oneByOne.firedIds());
      assertThat(together.shadowFiredIds()).isEqualTo(oneByOne.shadowFiredIds());
      assertThat(together.failures()).isEmpty();
      differing += together.firedIds().size() + together.shadowFiredIds().size() > 0 ? 1 : 0;
    }
    assertThat(differing).as("transactions on which some rule fired").isBetween(1, 299);
  }

  @Test
  void aSetOfSeveralProgramsFallsBackRuleByRuleOnlyWhereARuleFails() throws InvalidRuleSetException {
    StringBuilder yaml = new StringBuilder("version: long\nrules:\n");
    int rules = CompiledRuleSet.RULES_PER_PROGRAM * 2 + 30;
    int needsDevice = CompiledRuleSet.RULES_PER_PROGRAM + 50;
    for (int i = 0; i < rules; i++) {
      String expression = i == needsDevice ? "device == 'd1'" : "amount_minor >= " + (i * 10);
      yaml.append("  - {id: r").append(i).append(", expression: \"").append(expression)
          .append("\", action: REVIEW, reason: R").append(i % 10 == 9 ? ", mode: shadow" : "").append("}\n");
    }
    CompiledRuleSet set = RuleSetCompiler.compile(yaml.toString());
    TransactionFacts facts = facts(Transactions.valid().setAmountMinor(1_234).setDeviceId(null).build(), 0, 0.5);

    RuleVerdict verdict = set.evaluate(facts);

    assertThat(verdict.failures()).extracting(failure -> failure.rule().id()).containsExactly("r" + needsDevice);
    assertThat(verdict.firedIds()).isEqualTo(set.evaluateOneByOne(facts).firedIds()).hasSize(112);
    assertThat(verdict.shadowFiredIds()).isEqualTo(set.evaluateOneByOne(facts).shadowFiredIds()).hasSize(12);
  }

  @Test
  void membershipInALargeListIsExact() throws InvalidRuleSetException {
    StringBuilder yaml = new StringBuilder("version: big\nlists:\n  cards: [");
    for (int i = 0; i < 20_000; i++) {
      yaml.append(i == 0 ? "" : ",").append("c").append(i);
    }
    yaml.append("]\nrules:\n  - {id: listed, expression: card in lists.cards, action: DECLINE, reason: LISTED}\n");
    CompiledRuleSet rules = RuleSetCompiler.compile(yaml.toString());

    assertThat(rules.evaluate(facts(Transactions.valid().setCardNumber("c19999").build(), 0, 0.1)).firedIds())
        .containsExactly("listed");
    assertThat(rules.evaluate(facts(Transactions.valid().setCardNumber("c20000").build(), 0, 0.1)).firedIds())
        .isEmpty();
  }

  @Test
  void everyDeclaredNameHasAValueForACompleteTransaction() throws InvalidRuleSetException {
    StringBuilder yaml = new StringBuilder("version: all\nrules:\n");
    int i = 0;
    for (RuleVariable variable : RuleEnvironment.variables()) {
      yaml.append("  - {id: r").append(i++).append(", expression: '").append(variable.name())
          .append(" == ").append(variable.name()).append("', action: REVIEW, reason: R}\n");
    }
    CompiledRuleSet rules = RuleSetCompiler.compile(yaml.toString());
    Transaction complete = Transactions.valid().setDeviceId("d").build();

    RuleVerdict verdict = rules.evaluate(facts(complete, 1, 0.5));

    assertThat(verdict.failures()).isEmpty();
    assertThat(verdict.fired()).hasSize(RuleEnvironment.variables().size());
  }
}
