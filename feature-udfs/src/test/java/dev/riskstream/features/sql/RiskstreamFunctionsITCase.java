package dev.riskstream.features.sql;

import static dev.riskstream.features.spec.FeatureSpec.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.CardFeatures;
import dev.riskstream.features.TransactionFeatures;
import dev.riskstream.features.Transactions;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** A SQL query over a few rows gives what the Java feature functions give for the same transactions. */
class RiskstreamFunctionsITCase {

  private static final List<Transaction> ROWS = List.of(
      tx("jp", 128_000, "JPY", "JP", "2026-03-28T20:30:00Z", "5732", Channel.ECOM),
      tx("kw", 125_500, "KWD", "KW", "2026-03-28T23:10:00Z", "5944", Channel.POS),
      tx("de-winter", 4_800, "EUR", "DE", "2026-03-28T04:30:00Z", "6011", Channel.ATM),
      tx("de-summer", 4_800, "EUR", "DE", "2026-03-29T04:30:00Z", "5411", Channel.MOTO),
      tx("nowhere", 50_000, "USD", "ZZ", "2026-03-29T02:00:50.250Z", "4829", Channel.ECOM));

  private static Transaction tx(String id, long amountMinor, String currency, String country, String at,
      String mcc, Channel channel) {
    return Transactions.valid().setTransactionId(id).setAmountMinor(amountMinor).setCurrency(currency)
        .setCountry(country).setEventTime(Instant.parse(at)).setMerchantCategory(mcc).setChannel(channel).build();
  }

  @Test
  void sqlFunctionsComputeWhatServingComputes() throws Exception {
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    RiskstreamFunctions.register(env);
    String values = ROWS.stream()
        .map(tx -> String.format("('%s', CAST(%d AS BIGINT), '%s', '%s', TO_TIMESTAMP_LTZ(%d, 3), '%s', '%s')",
            tx.getTransactionId(), tx.getAmountMinor(), tx.getCurrency(), tx.getCountry(),
            tx.getEventTime().toEpochMilli(), tx.getMerchantCategory(), tx.getChannel()))
        .collect(Collectors.joining(", "));
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> result = env.executeSql(
        "SELECT id, AMOUNT_TO_BASE(amount, currency), AMOUNT_BASE_LOG(amount, currency), "
            + "LOCAL_HOUR(event_time, country), HOUR_OF_DAY_SIN(event_time, country), "
            + "HOUR_OF_DAY_COS(event_time, country), IS_NIGHT(event_time, country), MCC_HIGH_RISK(mcc), "
            + "CHANNEL_ECOM(channel), CHANNEL_ATM(channel), CHANNEL_MOTO(channel), "
            + "AMOUNT_TO_BASE(amount, 'XYZ') "
            + "FROM (VALUES " + values + ") AS t(id, amount, currency, country, event_time, mcc, channel)")
        .collect()) {
      result.forEachRemaining(rows::add);
    }

    assertThat(rows).hasSize(ROWS.size());
    CardFeatures features = new CardFeatures();
    for (Row row : rows) {
      Transaction tx = ROWS.stream().filter(t -> t.getTransactionId().equals(row.getField(0))).findFirst().orElseThrow();
      double amountBase = CurrencyRates.bundled().toBase(tx.getAmountMinor(), tx.getCurrency()).orElseThrow();
      float[] served = features.extract(tx, amountBase, CardFeatures.emptyHistory());
      String id = tx.getTransactionId();

      assertThat((Double) row.getField(1)).as(id).isEqualTo(amountBase);
      assertThat((Double) row.getField(3)).as(id)
          .isEqualTo(TransactionFeatures.localHour(tx.getEventTime().toEpochMilli(), tx.getCountry()));
      String[] featureColumns = {AMOUNT_BASE_LOG, null, HOUR_OF_DAY_SIN, HOUR_OF_DAY_COS, IS_NIGHT, MCC_HIGH_RISK,
          CHANNEL_ECOM, CHANNEL_ATM, CHANNEL_MOTO};
      for (int i = 0; i < featureColumns.length; i++) {
        if (featureColumns[i] != null) {
          assertThat((Float) row.getField(2 + i)).as("%s %s", id, featureColumns[i])
              .isEqualTo(served[FeatureSpec.CURRENT.requireIndex(featureColumns[i])]);
        }
      }
      assertThat(row.getField(11)).as("unknown currency").isNull();
    }
    assertThat(rows).filteredOn(row -> row.getField(0).equals("de-summer"))
        .singleElement().satisfies(row -> assertThat((Double) row.getField(3)).isCloseTo(6.5, within(1e-9)));
  }

  @Test
  void aQueryNamesFeaturesByTheSpecification() throws Exception {
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    RiskstreamFunctions.register(env);
    float[] logged = new float[FeatureSpec.CURRENT.size()];
    for (int i = 0; i < logged.length; i++) {
      logged[i] = i + 0.5f;
    }
    List<String> literals = new ArrayList<>();
    for (float value : logged) {
      literals.add("CAST(" + value + " AS FLOAT)");
    }
    String vector = "ARRAY[" + String.join(", ", literals) + "]";
    List<String> names = FeatureSpec.CURRENT.names();
    String columns = names.stream()
        .map(name -> "FEATURE_DEFAULT('" + name + "'), LOGGED_FEATURE(v, '" + name + "')")
        .collect(Collectors.joining(", "));

    Row row;
    try (CloseableIterator<Row> result = env.executeSql(
        "SELECT " + columns + " FROM (VALUES (" + vector + ")) AS t(v)").collect()) {
      row = result.next();
    }

    float[] defaults = FeatureSpec.CURRENT.defaults();
    for (int i = 0; i < names.size(); i++) {
      assertThat(row.getField(2 * i)).as("default of %s", names.get(i)).isEqualTo(defaults[i]);
      assertThat(row.getField(2 * i + 1)).as("logged %s", names.get(i)).isEqualTo(logged[i]);
    }
  }

  @Test
  void aFeatureTheSpecificationLacksOrAVectorOfAnotherLengthFailsTheQueryNamingIt() {
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    RiskstreamFunctions.register(env);

    assertThatThrownBy(() -> env.executeSql("SELECT FEATURE_DEFAULT(name) FROM (VALUES ('no_such_feature')) AS t(name)")
        .collect().forEachRemaining(row -> { }))
        .hasStackTraceContaining("unknown feature 'no_such_feature'");
    assertThatThrownBy(() -> env.executeSql("SELECT LOGGED_FEATURE(v, 'is_night') FROM (VALUES "
        + "(ARRAY[CAST(1 AS FLOAT), CAST(2 AS FLOAT)])) AS t(v)").collect().forEachRemaining(row -> { }))
        .hasStackTraceContaining("a feature vector of 2 values").hasStackTraceContaining("another specification");
  }
}
