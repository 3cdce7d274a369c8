package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.LookupOptions;
import dev.riskstream.job.LookupSettings;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.LookupStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProfileLookup} against the production database engine: the local PostgreSQL at
 * 127.0.0.1:5432, database {@code test}, in a schema of this run's own, dropped afterwards. Skipped
 * when PostgreSQL is unreachable, unless {@code RISKSTREAM_REQUIRE_POSTGRES=1}.
 */
class ProfileLookupPostgresITCase {

  private final String schema = LookupDatabases.uniqueSchemaName("riskstream_lookup_test");
  private String url;
  private OneInputStreamOperatorTestHarness<EnrichedTransaction, EnrichedTransaction> harness;

  @BeforeEach
  void migrate() {
    url = LookupDatabases.postgresSchema(schema);
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (harness != null) {
      harness.close();
    }
    LookupDatabases.dropPostgresSchema(schema);
  }

  @Test
  void hitsAndMissesWithTheMigratedSchema() throws Exception {
    LookupDatabases.execute(url, LookupDatabases.POSTGRES_USER,
        "INSERT INTO customer_profile (customer_id, segment, risk_tier, account_opened, home_country) "
            + "VALUES ('cust-1', 'retail', 5, DATE '2026-02-28', 'DE')",
        "INSERT INTO merchant_profile (merchant_id, category_group, risk_score, chargeback_rate, country) "
            + "VALUES ('merchant-1', 'risky', 0.9, 0.05, 'DE')");
    LookupSettings settings = new LookupSettings(url, LookupDatabases.POSTGRES_USER,
        SecretReference.env(LookupOptions.PASSWORD_ENV), Duration.ofSeconds(5),
        10, 2, Duration.ofMinutes(5), 1_000, 2);
    harness = new OneInputStreamOperatorTestHarness<>(
        new AsyncWaitOperatorFactory<>(new ProfileLookup(settings), settings.timeout().toMillis(),
            settings.capacity(), AsyncDataStream.OutputMode.UNORDERED),
        TypeInformation.of(EnrichedTransaction.class).createSerializer(new SerializerConfigImpl()));
    harness.open();

    for (int i : new int[] {1, 2}) {
      var tx = TestData.transaction(i).build();
      harness.processElement(new EnrichedTransaction(tx, FeatureSpec.CURRENT.defaults()), tx.getEventTime().toEpochMilli());
    }
    List<EnrichedTransaction> out = awaitOutputs(2);

    EnrichedTransaction hit = out.stream().filter(t -> t.transaction.getTransactionId().equals("tx-1")).findFirst().orElseThrow();
    EnrichedTransaction miss = out.stream().filter(t -> t.transaction.getTransactionId().equals("tx-2")).findFirst().orElseThrow();
    assertThat(hit.lookupStatus).isEqualTo(LookupStatus.HIT);
    assertThat(hit.features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CUSTOMER_RISK_TIER)]).isEqualTo(5f);
    assertThat(hit.features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.CUSTOMER_ACCOUNT_AGE_DAYS_LOG)])
        .isEqualTo((float) Math.log1p(2));
    assertThat(hit.features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.MERCHANT_CHARGEBACK_RATE)]).isEqualTo(0.05f);
    assertThat(hit.features[FeatureSpec.CURRENT.requireIndex(FeatureSpec.IS_HOME_COUNTRY_FOR_CUSTOMER)]).isEqualTo(1f);
    assertThat(miss.lookupStatus).isEqualTo(LookupStatus.MISS);
    assertThat(miss.features).isEqualTo(FeatureSpec.CURRENT.defaults());
  }

  private List<EnrichedTransaction> awaitOutputs(int n) {
    TaskMailboxLoop.runMailsUntil(harness, () -> harness.extractOutputValues().size() >= n);
    List<EnrichedTransaction> out = new ArrayList<>(harness.extractOutputValues());
    assertThat(out).hasSize(n);
    return out;
  }
}
