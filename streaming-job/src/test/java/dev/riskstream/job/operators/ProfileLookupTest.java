package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ControlRecord;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.LookupSettings;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.LookupStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProfileLookup} in Flink's async operator against an embedded H2 database: hits, misses,
 * the cache, and (fault injection) a stalled database and an unreachable one. The harness's
 * processing time, which drives the operator's timeouts, is a manual clock that stands still unless
 * a test moves it: a timeout fires when the test says so, and never because the machine is slow.
 */
class ProfileLookupTest {

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;

  private final RecordedMetrics metrics = new RecordedMetrics();
  private ProfileLookup lookup;
  private OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness;

  private static LookupSettings settings(String url, Duration timeout, int maxRetries) {
    return new LookupSettings(url, "sa", SecretReference.file(TestData.secretFile("h2", "")), timeout, 10, 2, Duration.ofMinutes(5), 1_000, maxRetries);
  }

  private void open(LookupSettings settings) throws Exception {
    lookup = new ProfileLookup(settings);
    harness = new OneInputStreamOperatorTestHarness<>(
        new AsyncWaitOperatorFactory<>(lookup, settings.timeout().toMillis(), settings.capacity(),
            AsyncDataStream.OutputMode.UNORDERED),
        TypeInformation.of(EnrichedTransaction.class).createSerializer(new SerializerConfigImpl()),
        metrics.environment());
    harness.open();
    harness.setProcessingTime(0);
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  /** Runs the operator's mails (results handed over from lookup threads) until n results are out. */
  private List<EnrichedTransaction> awaitOutputs(int n) {
    TaskMailboxLoop.runMailsUntil(harness, () -> harness.extractOutputValues().size() >= n);
    List<EnrichedTransaction> out = harness.extractOutputValues();
    assertThat(out).hasSize(n);
    return out;
  }

  private void send(EnrichedTransaction tx) throws Exception {
    harness.processElement(tx, tx.transaction.getEventTime().toEpochMilli());
  }

  private long lookupCount(String counter) {
    return metrics.counter("flink_taskmanager_job_task_operator_lookup_" + counter, Map.of()).getCount();
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
    in.receivedAt = 1_767_225_600_123L;
    send(in);
    EnrichedTransaction out = awaitOutputs(1).get(0);

    assertThat(out.lookupStatus).isEqualTo(LookupStatus.HIT);
    assertThat(out.transaction.getTransactionId()).isEqualTo("tx-1");
    assertThat(out.receivedAt).as("the decision still says when the job received it").isEqualTo(in.receivedAt);
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
    List<EnrichedTransaction> out = awaitOutputs(2);

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
    awaitOutputs(1);

    // from now on the database would say MISS: only the cache can still say HIT
    LookupDatabases.execute(url, "sa", "DELETE FROM customer_profile", "DELETE FROM merchant_profile");
    send(transaction(8)); // cust-1, merchant-3: customer cached, merchant from the (now empty) database
    send(transaction(36)); // cust-1, merchant-1: both cached
    List<EnrichedTransaction> out = awaitOutputs(3);

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
    // every read of customer_profile now hangs until released
    StalledQueries.hold();
    LookupDatabases.execute(url, "sa",
        "CREATE ALIAS STALL FOR '" + StalledQueries.class.getName() + ".stall'",
        "ALTER TABLE customer_profile RENAME TO customer_profile_data",
        "CREATE VIEW customer_profile AS SELECT * FROM customer_profile_data WHERE STALL(60000)");
    Duration timeout = Duration.ofMillis(200);
    open(settings(url, timeout, 2));

    try {
      send(transaction(1));
      assertThat(StalledQueries.ended()).as("the task thread does not wait for the database").isZero();
      TaskMailboxLoop.onTheTaskThread().until(() -> StalledQueries.waiting() == 1);
      harness.setProcessingTime(timeout.toMillis() - 1);
      TaskMailboxLoop.runMails(harness);
      assertThat(harness.extractOutputValues()).as("no fallback before the timeout").isEmpty();

      harness.setProcessingTime(timeout.toMillis());
      EnrichedTransaction out = awaitOutputs(1).get(0);
      assertThat(out.lookupStatus).isEqualTo(LookupStatus.TIMEOUT);
      assertFallback(out);
    } finally {
      StalledQueries.release();
    }

    // the stalled query ends later: its result must not be emitted, nor counted, a second time
    TaskMailboxLoop.onTheTaskThread().until(() -> lookup.lookupsFinished() == 1);
    TaskMailboxLoop.runMails(harness);
    assertThat(harness.extractOutputValues()).hasSize(1);
    assertThat(List.of("timeouts", "hits", "misses", "errors")).map(this::lookupCount)
        .containsExactly(1L, 0L, 0L, 0L);
    LookupDatabases.execute(url, "sa", "DROP VIEW customer_profile",
        "ALTER TABLE customer_profile_data RENAME TO customer_profile");
    send(transaction(1));
    List<EnrichedTransaction> both = awaitOutputs(2);
    assertThat(both.get(1).lookupStatus).as("the operator works on").isEqualTo(LookupStatus.HIT);
  }

  @Test
  void faultInjectionUnreachableDatabaseIsAnErrorWithFallbacks() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + LookupDatabases.closedPort() + "/test?connectTimeout=1";
    open(settings(url, Duration.ofSeconds(5), 1));

    send(transaction(1));
    send(transaction(2));
    // processing time stands at 0: only the errors, not the 5 s timeout, can have decided these
    List<EnrichedTransaction> out = awaitOutputs(2);

    assertThat(out).allSatisfy(tx -> {
      assertThat(tx.lookupStatus).isEqualTo(LookupStatus.ERROR);
      assertFallback(tx);
    });
  }

  @Test
  void aControlRecordPassesAtOnceWithoutALookup() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + LookupDatabases.closedPort() + "/test?connectTimeout=1";
    open(settings(url, Duration.ofSeconds(5), 1));
    RawRecord publication = new RawRecord("rule-sets", 0, 3, 0, new byte[] {1});

    harness.processElement(EnrichedTransaction.carrying(new ControlRecord(ControlRecord.Kind.RULE_SET, publication)), 0);

    // a lookup of the unreachable database would have come back an error
    List<EnrichedTransaction> out = awaitOutputs(1);
    assertThat(out).singleElement().satisfies(element -> {
      assertThat(element.control.kind).isEqualTo(ControlRecord.Kind.RULE_SET);
      assertThat(element.control.record.offset).isEqualTo(3);
      assertThat(element.transaction).isNull();
    });
    assertThat(List.of("timeouts", "hits", "misses", "errors")).map(this::lookupCount)
        .containsExactly(0L, 0L, 0L, 0L);
  }
}
