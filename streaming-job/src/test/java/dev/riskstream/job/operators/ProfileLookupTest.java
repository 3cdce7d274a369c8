package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.LookupSettings;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.LookupStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProfileLookup} in Flink's async operator against an embedded H2 database: hits, misses,
 * the cache, and (fault injection) a stalled database and an unreachable one. The harness's
 * processing time, which drives the operator's timeouts, is kept at wall-clock time since the start
 * of each test, so timeouts fire when they would on a cluster.
 */
class ProfileLookupTest {

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;

  private OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness;
  private long startNanos;
  /** When the latest {@link #awaitOutputs} saw its results. */
  private long outputsCompleteNanos;

  private static LookupSettings settings(String url, Duration timeout, int maxRetries) {
    return new LookupSettings(url, "sa", "", timeout, 10, 2, Duration.ofMinutes(5), 1_000, maxRetries);
  }

  private void open(LookupSettings settings) throws Exception {
    harness = new OneInputStreamOperatorTestHarness<>(
        new AsyncWaitOperatorFactory<>(new ProfileLookup(settings), settings.timeout().toMillis(),
            settings.capacity(), AsyncDataStream.OutputMode.UNORDERED),
        TypeInformation.of(EnrichedTransaction.class).createSerializer(new SerializerConfigImpl()));
    harness.open();
    startNanos = System.nanoTime();
    harness.setProcessingTime(0);
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Runs the operator's mails (results handed over from lookup threads) and timers until n results are out. */
  private List<EnrichedTransaction> awaitOutputs(int n, Duration atMost) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (harness.extractOutputValues().size() < n && System.nanoTime() < deadline) {
      harness.setProcessingTime(elapsedMillis());
      Optional<Mail> mail;
      while ((mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
        mail.get().run();
      }
      Thread.sleep(2);
    }
    outputsCompleteNanos = System.nanoTime();
    List<EnrichedTransaction> out = harness.extractOutputValues();
    assertThat(out).as("results within %s", atMost).hasSize(n);
    return out;
  }

  /** Returns when it was sent, in nanos. */
  private long send(EnrichedTransaction tx) throws Exception {
    harness.setProcessingTime(elapsedMillis());
    long sentNanos = System.nanoTime();
    harness.processElement(tx, tx.transaction.getEventTime().toEpochMilli());
    return sentNanos;
  }

  /** tx-i of TestData: customer cust-(i%7), merchant merchant-(i%5), in DE, 2026-03-02. */
  private static EnrichedTransaction transaction(int i) {
    return new EnrichedTransaction(TestData.transaction(i).build(), SPEC.defaults());
  }

  /** Unordered output: results come in the order their lookups finish. */
  private static EnrichedTransaction byId(List<EnrichedTransaction> out, String transactionId) {
    return out.stream().filter(t -> t.transaction.getTransactionId().equals(transactionId)).findFirst().orElseThrow();
  }

  private static float feature(EnrichedTransaction tx, String name) {
    return tx.features[SPEC.requireIndex(name)];
  }

  private static void seed(String url) throws Exception {
    LookupDatabases.execute(url, "sa",
        "INSERT INTO customer_profile (customer_id, segment, risk_tier, account_opened, home_country) "
            + "VALUES ('cust-1', 'retail', 4, DATE '2025-03-02', 'FR')",
        "INSERT INTO merchant_profile (merchant_id, category_group, risk_score, chargeback_rate, country) "
            + "VALUES ('merchant-1', 'everyday', 0.25, 0.002, 'DE')");
  }

  private static void assertFallback(EnrichedTransaction tx) {
    float[] expected = SPEC.defaults();
    assertThat(tx.features).as("every feature at its default, the profile features being the fallbacks")
        .isEqualTo(expected);
  }

  @Test
  void foundProfilesAreAHitAndFillTheProfileFeatures() throws Exception {
    String url = LookupDatabases.h2();
    seed(url);
    open(settings(url, Duration.ofSeconds(5), 2));

    EnrichedTransaction in = transaction(1);
    in.features[SPEC.requireIndex(FeatureSpec.CARD_TX_COUNT_1H)] = 3f;
    send(in);
    EnrichedTransaction out = awaitOutputs(1, Duration.ofSeconds(5)).get(0);

    assertThat(out.lookupStatus).isEqualTo(LookupStatus.HIT);
    assertThat(out.transaction.getTransactionId()).isEqualTo("tx-1");
    assertThat(feature(out, FeatureSpec.CARD_TX_COUNT_1H)).as("card features pass through").isEqualTo(3f);
    assertThat(feature(out, FeatureSpec.CUSTOMER_RISK_TIER)).isEqualTo(4f);
    assertThat(feature(out, FeatureSpec.CUSTOMER_ACCOUNT_AGE_DAYS_LOG)).isEqualTo((float) Math.log1p(365));
    assertThat(feature(out, FeatureSpec.IS_HOME_COUNTRY_FOR_CUSTOMER)).isZero();
    assertThat(feature(out, FeatureSpec.MERCHANT_RISK_SCORE)).isEqualTo(0.25f);
    assertThat(feature(out, FeatureSpec.MERCHANT_CHARGEBACK_RATE)).isEqualTo(0.002f);
    assertThat(feature(out, FeatureSpec.PROFILE_MISSING)).isZero();
  }

  @Test
  void absentProfilesAreAMissWithTheFallbacks() throws Exception {
    String url = LookupDatabases.h2();
    seed(url);
    open(settings(url, Duration.ofSeconds(5), 2));

    send(transaction(2)); // cust-2 and merchant-2: neither seeded
    send(transaction(6)); // cust-6 unseeded, merchant-1 seeded
    List<EnrichedTransaction> out = awaitOutputs(2, Duration.ofSeconds(5));

    EnrichedTransaction neither = byId(out, "tx-2");
    EnrichedTransaction merchantOnly = byId(out, "tx-6");
    assertThat(neither.lookupStatus).isEqualTo(LookupStatus.MISS);
    assertFallback(neither);
    assertThat(merchantOnly.lookupStatus).isEqualTo(LookupStatus.MISS);
    assertThat(feature(merchantOnly, FeatureSpec.MERCHANT_RISK_SCORE)).isEqualTo(0.25f);
    assertThat(feature(merchantOnly, FeatureSpec.CUSTOMER_RISK_TIER)).isEqualTo(3f);
    assertThat(feature(merchantOnly, FeatureSpec.PROFILE_MISSING)).isEqualTo(1f);
  }

  @Test
  void aCachedProfileIsServedWithoutTheDatabase() throws Exception {
    String url = LookupDatabases.h2();
    seed(url);
    open(settings(url, Duration.ofSeconds(5), 2));
    send(transaction(1));
    awaitOutputs(1, Duration.ofSeconds(5));

    // from now on the database would say MISS: only the cache can still say HIT
    LookupDatabases.execute(url, "sa", "DELETE FROM customer_profile", "DELETE FROM merchant_profile");
    send(transaction(8)); // cust-1, merchant-3: customer cached, merchant from the (now empty) database
    send(transaction(36)); // cust-1, merchant-1: both cached
    List<EnrichedTransaction> out = awaitOutputs(3, Duration.ofSeconds(5));

    EnrichedTransaction bothCached = byId(out, "tx-36");
    assertThat(bothCached.lookupStatus).isEqualTo(LookupStatus.HIT);
    assertThat(feature(bothCached, FeatureSpec.CUSTOMER_RISK_TIER)).isEqualTo(4f);
    EnrichedTransaction customerCached = byId(out, "tx-8");
    assertThat(customerCached.lookupStatus).isEqualTo(LookupStatus.MISS);
    assertThat(feature(customerCached, FeatureSpec.CUSTOMER_RISK_TIER)).as("customer from the cache").isEqualTo(4f);
  }

  @Test
  void faultInjectionStalledDatabaseTimesOutWithFallbacksAndTheOperatorCarriesOn() throws Exception {
    String url = LookupDatabases.h2();
    seed(url);
    // every read of customer_profile now takes 3 s
    LookupDatabases.execute(url, "sa",
        "CREATE ALIAS STALL FOR '" + LookupDatabases.class.getName() + ".stall'",
        "ALTER TABLE customer_profile RENAME TO customer_profile_data",
        "CREATE VIEW customer_profile AS SELECT * FROM customer_profile_data WHERE STALL(3000)");
    Duration timeout = Duration.ofMillis(200);
    open(settings(url, timeout, 2));

    long sent = send(transaction(1));
    long returnedMillis = (System.nanoTime() - sent) / 1_000_000;
    EnrichedTransaction out = awaitOutputs(1, Duration.ofSeconds(2)).get(0);
    long tookMillis = (outputsCompleteNanos - sent) / 1_000_000;

    assertThat(out.lookupStatus).isEqualTo(LookupStatus.TIMEOUT);
    assertFallback(out);
    System.out.printf("TIMEOUT after %d ms (timeout %d ms, query stalls 3000 ms); processElement returned after %d ms%n",
        tookMillis, timeout.toMillis(), returnedMillis);
    // bounds far below the 3 s stall, wide enough for a loaded 2-core machine
    assertThat(returnedMillis).as("the task thread does not wait for the database").isLessThan(1_000);
    assertThat(tookMillis).isBetween(timeout.toMillis(), timeout.toMillis() + 1_000);

    // the stalled query ends later: its result must not be emitted a second time
    Thread.sleep(3_200);
    awaitOutputs(1, Duration.ofMillis(100));
    LookupDatabases.execute(url, "sa", "DROP VIEW customer_profile",
        "ALTER TABLE customer_profile_data RENAME TO customer_profile");
    send(transaction(1));
    List<EnrichedTransaction> both = awaitOutputs(2, Duration.ofSeconds(5));
    assertThat(both.get(1).lookupStatus).as("the operator works on").isEqualTo(LookupStatus.HIT);
  }

  @Test
  void faultInjectionUnreachableDatabaseIsAnErrorWithFallbacks() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + LookupDatabases.closedPort() + "/test?connectTimeout=1";
    open(settings(url, Duration.ofSeconds(5), 1));

    long sent = send(transaction(1));
    send(transaction(2));
    List<EnrichedTransaction> out = awaitOutputs(2, Duration.ofSeconds(5));
    long tookMillis = (outputsCompleteNanos - sent) / 1_000_000;

    System.out.printf("ERROR after %d ms (1 retry, timeout 5000 ms)%n", tookMillis);
    assertThat(out).allSatisfy(tx -> {
      assertThat(tx.lookupStatus).isEqualTo(LookupStatus.ERROR);
      assertFallback(tx);
    });
    assertThat(tookMillis).as("errors fall back before the timeout").isLessThan(2_000);
  }
}
