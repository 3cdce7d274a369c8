package dev.riskstream.job.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.job.BatchConfig;
import dev.riskstream.job.operators.LookupDatabases;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Outcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision table on the local PostgreSQL, in a schema of the test's own. */
class DecisionTableITCase {

  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private String schema;
  private DecisionTableSettings settings;

  @BeforeEach
  void createSchema() throws SQLException {
    schema = LookupDatabases.uniqueSchemaName("decision_table_test");
    LookupDatabases.postgresSchema(schema);
    settings = table("decisions", DecisionTableKey.TRANSACTION);
  }

  private DecisionTableSettings table(String name, DecisionTableKey key) throws SQLException {
    DecisionTableSettings table = new DecisionTableSettings(URL, schema + "." + name, key, "postgres",
        SecretReference.env(BatchConfig.JDBC_PASSWORD_ENV), 2);
    DecisionTable.createIfMissing(table);
    DecisionTable.createIfMissing(table);
    return table;
  }

  @AfterEach
  void dropSchema() throws SQLException {
    LookupDatabases.dropPostgresSchema(schema);
  }

  @Test
  void writesInBatchesAndUpsertsByTransactionId() throws Exception {
    try (DecisionTable.Writer writer = new DecisionTable.Writer(settings, 0)) {
      writer.write(row("c-1", decision("tx-1", 0.1, Outcome.APPROVE)), null);
      assertThat(rows(settings)).as("buffered until the batch is full").isZero();
      writer.write(row("c-1", decision("tx-2", 0.5, Outcome.REVIEW)), null);
      assertThat(rows(settings)).isEqualTo(2);
      writer.write(row("c-2", decision("tx-3", 0.9, Outcome.DECLINE)), null);
      writer.flush(true);
      assertThat(rows(settings)).isEqualTo(3);

      writer.write(row("c-1", decision("tx-2", 0.95, Outcome.DECLINE)), null);
      writer.flush(true);
    }

    assertThat(rows(settings)).isEqualTo(3);
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        ResultSet row = connection.createStatement().executeQuery("SELECT score, outcome, reasons, lookup_status, "
            + "event_time FROM " + settings.table() + " WHERE transaction_id = 'tx-2'")) {
      row.next();
      assertThat(row.getDouble("score")).isEqualTo(0.95);
      assertThat(row.getString("outcome")).isEqualTo("DECLINE");
      assertThat((String[]) row.getArray("reasons").getArray()).containsExactly("SCORE_ABOVE_DECLINE_THRESHOLD", "X");
      assertThat(row.getString("lookup_status")).isEqualTo("HIT");
      assertThat(row.getTimestamp("event_time").toInstant()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
    }
  }

  /** Whatever order they come in, a customer's row ends with the decision of its latest transaction. */
  @Test
  void keyedByCustomerARowHoldsTheDecisionOfTheCustomersLatestTransaction() throws Exception {
    DecisionTableSettings byCustomer = table("customer_decisions", DecisionTableKey.CUSTOMER);
    Instant noon = Instant.parse("2026-03-02T12:00:00Z");
    try (DecisionTable.Writer writer = new DecisionTable.Writer(byCustomer, 0)) {
      writer.write(row("c-1", decision("tx-2", 0.5, Outcome.REVIEW, noon.plusSeconds(60))), null);
      writer.write(row("c-1", decision("tx-1", 0.1, Outcome.APPROVE, noon)), null);
      writer.write(row("c-2", decision("tx-3", 0.2, Outcome.APPROVE, noon)), null);
      writer.write(row("c-1", decision("tx-0", 0.9, Outcome.DECLINE, noon.plusSeconds(60))), null);
      writer.flush(true);
      // the same transaction scored again replaces its own row
      writer.write(row("c-2", decision("tx-3", 0.95, Outcome.DECLINE, noon)), null);
      writer.flush(true);
    }

    assertThat(rows(byCustomer)).isEqualTo(2);
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        ResultSet rows = connection.createStatement().executeQuery("SELECT customer_id, transaction_id, outcome FROM "
            + byCustomer.table() + " ORDER BY customer_id")) {
      rows.next();
      assertThat(rows.getString("transaction_id")).as("later in event time; of two at once, the greater id")
          .isEqualTo("tx-2");
      assertThat(rows.getString("outcome")).isEqualTo("REVIEW");
      rows.next();
      assertThat(rows.getString("customer_id")).isEqualTo("c-2");
      assertThat(rows.getString("outcome")).isEqualTo("DECLINE");
    }
  }

  @Test
  void onlyPostgresUrlsAndPlainTableNamesAreAccepted() {
    assertThatThrownBy(() -> new DecisionTableSettings("jdbc:h2:mem:x", "decisions", DecisionTableKey.TRANSACTION,
        null, SecretReference.env(BatchConfig.JDBC_PASSWORD_ENV), 10)).hasMessageContaining("PostgreSQL");
    assertThatThrownBy(() -> new DecisionTableSettings(URL, "decisions; DROP TABLE x", DecisionTableKey.TRANSACTION,
        null, SecretReference.env(BatchConfig.JDBC_PASSWORD_ENV), 10)).hasMessageContaining("[schema.]table");
  }

  private static long rows(DecisionTableSettings table) throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM " + table.table())) {
      count.next();
      return count.getLong(1);
    }
  }

  private static DecisionRow row(String customerId, Decision decision) {
    return new DecisionRow(customerId, decision);
  }

  private static Decision decision(String id, double score, Outcome outcome) {
    return decision(id, score, outcome, Instant.parse("2026-03-02T12:00:00Z"));
  }

  private static Decision decision(String id, double score, Outcome outcome, Instant eventTime) {
    return Decision.newBuilder()
        .setTransactionId(id)
        .setCardToken("token")
        .setEventTime(eventTime)
        .setDecidedAt(Instant.now())
        .setScore(score)
        .setOutcome(outcome)
        .setReasons(outcome == Outcome.APPROVE ? List.of() : List.of("SCORE_ABOVE_" + outcome.name() + "_THRESHOLD", "X"))
        .setModelVersion("baseline-1")
        .setExecutionProvider("cpu")
        .setLookupStatus(LookupStatus.HIT)
        .build();
  }
}
