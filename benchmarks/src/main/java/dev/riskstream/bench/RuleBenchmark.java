package dev.riskstream.bench;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.rules.CompiledRuleSet;
import dev.riskstream.rules.InvalidRuleSetException;
import dev.riskstream.rules.RuleSetCompiler;
import dev.riskstream.rules.RuleVerdict;
import dev.riskstream.rules.StarterRules;
import dev.riskstream.rules.TransactionFacts;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Transaction;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds to evaluate a rule set for one transaction, as the deciding operator does: the starter
 * set, or {@link #ruleCount} generated rules of the kinds fraud teams write (list membership, amount
 * and feature thresholds, channel and country tests, the score). Transactions vary, so no branch
 * predictor or cache sees the same one twice in a row; one in ten is a tiny payment, as card testing makes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RuleBenchmark {

  private static final int TRANSACTIONS = 1024;
  private static final String[] COUNTRIES = {"DE", "FR", "NL", "US", "GB", "BR", "NG", "JP"};
  private static final String[] MCCS = {"5411", "5812", "5732", "4829", "5967", "6011", "7995", "5999"};

  /** 0: the starter set; otherwise that many generated rules. */
  @Param({"0", "100"})
  public int ruleCount;

  private CompiledRuleSet rules;
  private TransactionFacts[] facts;
  private int next;

  @Setup(Level.Trial)
  public void open() throws InvalidRuleSetException {
    rules = RuleSetCompiler.compile(ruleCount == 0 ? StarterRules.yaml() : generatedRules(ruleCount));
    SplittableRandom random = new SplittableRandom(42);
    facts = new TransactionFacts[TRANSACTIONS];
    for (int i = 0; i < TRANSACTIONS; i++) {
      Transaction tx = Transaction.newBuilder()
          .setTransactionId("tx-" + i).setCardNumber("card-" + random.nextInt(5_000))
          .setCustomerId("cust-" + random.nextInt(2_000)).setMerchantId("m-" + random.nextInt(500))
          .setMerchantCategory(MCCS[random.nextInt(MCCS.length)]).setMerchantName("shop")
          .setAmountMinor(random.nextInt(10) == 0 ? random.nextLong(50, 500) : random.nextLong(500, 500_000)).setCurrency("EUR")
          .setCountry(COUNTRIES[random.nextInt(COUNTRIES.length)])
          .setChannel(Channel.values()[random.nextInt(Channel.values().length)])
          .setEventTime(Instant.ofEpochMilli(1_760_000_000_000L + random.nextLong(86_400_000L)))
          .setDeviceId(random.nextBoolean() ? "dev-" + random.nextInt(100) : null)
          .build();
      float[] features = RandomRows.featureVectors(1, i)[0];
      features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CARD_TX_COUNT_1M)] = random.nextInt(6);
      facts[i] = new TransactionFacts(tx, features, LookupStatus.HIT, random.nextDouble(), "baseline");
    }
  }

  @Benchmark
  public RuleVerdict evaluate() {
    next = (next + 1) % TRANSACTIONS;
    return rules.evaluate(facts[next]);
  }

  /** {@code count} rules cycling through five kinds, each with its own constants, one in ten in shadow. */
  static String generatedRules(int count) {
    StringBuilder yaml = new StringBuilder("version: generated-").append(count).append("\nlists:\n")
        .append("  cards: [").append(entries("card-", 2_000)).append("]\n")
        .append("  merchants: [").append(entries("m-", 50)).append("]\n")
        .append("rules:\n");
    for (int i = 0; i < count; i++) {
      String expression = switch (i % 5) {
        case 0 -> "card in lists.cards && amount > " + (10 * i) + ".0";
        case 1 -> "channel == 'ECOM' && amount > " + (50 * i) + ".0 && features.card_tx_count_1m >= " + (1 + i % 4) + ".0";
        case 2 -> "country in ['NG', 'BR'] && features.new_device_for_card > 0." + (i % 9 + 1);
        case 3 -> "merchant in lists.merchants && has_score && score > 0." + (i % 9 + 1);
        default -> "mcc == '" + MCCS[i % MCCS.length] + "' && local_hour < " + (i % 6 + 1) + " && amount >= " + (100 + i) + ".0";
      };
      yaml.append("  - {id: r").append(i).append(", expression: \"").append(expression)
          .append("\", action: ").append(i % 2 == 0 ? "REVIEW" : "DECLINE").append(", reason: R").append(i)
          .append(i % 10 == 9 ? ", mode: shadow" : "").append("}\n");
    }
    return yaml.toString();
  }

  private static String entries(String prefix, int count) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < count; i++) {
      list.append(i == 0 ? "" : ", ").append('"').append(prefix).append(i * 3).append('"');
    }
    return list.toString();
  }
}
