package dev.riskstream.job.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
class DecisionTableTest {

  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private String schema;
  private DecisionTableSettings settings;

  @BeforeEach
  void createSchema() throws SQLException {
    schema = LookupDatabases.uniqueSchemaName("decision_table_test");
    LookupDatabases.postgresSchema(schema);
    settings = new DecisionTableSettings(URL, schema + ".decisions", "postgres", null, 2);
    DecisionTable.createIfMissing(settings);
    DecisionTable.createIfMissing(settings);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    LookupDatabases.dropPostgresSchema(schema);
  }

  @Test
  void writesInBatchesAndUpsertsByTransactionId() throws Exception {
    try (DecisionTable.Writer writer = new DecisionTable.Writer(settings, 0)) {
      writer.write(decision("tx-1", 0.1, Outcome.APPROVE), null);
      assertThat(rows()).as("buffered until the batch is full").isZero();
      writer.write(decision("tx-2", 0.5, Outcome.REVIEW), null);
      assertThat(rows()).isEqualTo(2);
      writer.write(decision("tx-3", 0.9, Outcome.DECLINE), null);
      writer.flush(true);
      assertThat(rows()).isEqualTo(3);

      writer.write(decision("tx-2", 0.95, Outcome.DECLINE), null);
      writer.flush(true);
    }

    assertThat(rows()).isEqualTo(3);
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

  @Test
  void onlyPostgresUrlsAndPlainTableNamesAreAccepted() {
    assertThatThrownBy(() -> new DecisionTableSettings("jdbc:h2:mem:x", "decisions", null, null, 10))
        .hasMessageContaining("PostgreSQL");
    assertThatThrownBy(() -> new DecisionTableSettings(URL, "decisions; DROP TABLE x", null, null, 10))
        .hasMessageContaining("[schema.]table");
  }

  private long rows() throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM " + settings.table())) {
      count.next();
      return count.getLong(1);
    }
  }

  private static Decision decision(String id, double score, Outcome outcome) {
    return Decision.newBuilder()
        .setTransactionId(id)
        .setCardToken("token")
        .setEventTime(Instant.parse("2026-03-02T12:00:00Z"))
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
