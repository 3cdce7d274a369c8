package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.TestData;
import dev.riskstream.job.batch.BacktestRow;
import dev.riskstream.schemas.Outcome;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RuleBacktestTest {

  private static final String CURRENT = """
      version: current-1
      rules:
        - {id: large, expression: "amount >= 1000.0", action: REVIEW, reason: LARGE}
      """;
  private static final String CANDIDATE = """
      version: candidate-2
      lists:
        blocked_cards: [tok-blocked]
      rules:
        - {id: blocked, expression: "card in lists.blocked_cards", action: DECLINE, reason: BLOCKED}
        - {id: large, expression: "amount >= 1000.0", action: REVIEW, reason: LARGE}
        - {id: device, expression: "device == 'd1'", action: REVIEW, reason: DEVICE, mode: shadow}
      """;

  private static EnrichedTransaction scored(String card, long amountMinor, double score) {
    EnrichedTransaction tx = new EnrichedTransaction(
        TestData.transaction(1).setCardNumber(card).setAmountMinor(amountMinor).setCurrency("EUR").setDeviceId(null).build(),
        new float[FeatureSpec.CURRENT.size()]);
    tx.score = score;
    tx.reviewThreshold = 0.5;
    tx.declineThreshold = 0.9;
    tx.modelVersion = "m1";
    return tx;
  }

  private static List<BacktestRow> backtest(String current, EnrichedTransaction... transactions) throws Exception {
    try (OneInputStreamOperatorTestHarness<EnrichedTransaction, BacktestRow> harness =
        new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new RuleBacktest(CANDIDATE, current)))) {
      harness.open();
      for (EnrichedTransaction tx : transactions) {
        harness.processElement(tx, 0);
      }
      return harness.extractOutputValues();
    }
  }

  @Test
  void decidesEachTransactionByTheModelTheCurrentSetAndTheCandidate() throws Exception {
    List<BacktestRow> rows = backtest(CURRENT, scored("tok-blocked", 500_00, 0.1), scored("tok-ok", 2_000_00, 0.95),
        scored("tok-ok", 20_00, 0.6));

    assertThat(rows).extracting(row -> row.byModel).containsExactly(Outcome.APPROVE, Outcome.DECLINE, Outcome.REVIEW);
    assertThat(rows).extracting(row -> row.current).containsExactly(Outcome.APPROVE, Outcome.DECLINE, Outcome.REVIEW);
    assertThat(rows).extracting(row -> row.candidate).containsExactly(Outcome.DECLINE, Outcome.DECLINE, Outcome.REVIEW);
    assertThat(rows).extracting(row -> row.candidateRulesFired)
        .containsExactly(List.of("blocked"), List.of("large"), List.of());
    assertThat(rows).extracting(row -> row.amount).containsExactly(500.0, 2_000.0, 20.0);
    // the shadow rule needs a device, which none of them has
    assertThat(rows).allSatisfy(row -> assertThat(row.candidateRulesFailed).containsExactly("device"));
  }

  @Test
  void withoutACurrentSetTheCandidateIsComparedWithTheModelAlone() throws Exception {
    List<BacktestRow> rows = backtest(null, scored("tok-ok", 2_000_00, 0.1));

    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.current).isEqualTo(Outcome.APPROVE);
      assertThat(row.candidate).isEqualTo(Outcome.REVIEW);
    });
  }
}
