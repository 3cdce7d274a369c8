package dev.riskstream.job.batch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.riskstream.schemas.Decision;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts decisions into a PostgreSQL table, so that applications can read precomputed scores, keyed
 * by transaction id or by customer id ({@link DecisionTableKey}): {@code INSERT ... ON CONFLICT (key)
 * DO UPDATE}, so scoring the same transactions again replaces their rows instead of adding rows. Keyed
 * by customer, a row is replaced only by the decision of a transaction as late or later in event time
 * (ties by transaction id), so the row holds the customer's latest decision whatever the order of
 * writing; the job routes each customer to one writer, so writers never wait on each other's rows.
 * Each writer buffers up to {@code batchSize} decisions and writes them in one JDBC batch and
 * transaction, on a pooled connection (the pool replaces a broken one); the rest is written when the
 * input ends.
 */
public final class DecisionTable implements Sink<DecisionRow> {

  /** The decision's columns, in the order {@link Writer#bind} binds them. */
  private static final List<String> DECISION_COLUMNS = List.of("transaction_id", "card_token", "event_time",
      "decided_at", "score", "outcome", "reasons", "model_version", "execution_provider", "lookup_status");

  private final DecisionTableSettings settings;

  public DecisionTable(DecisionTableSettings settings) {
    this.settings = settings;
  }

  /** What a row stands for. */
  public DecisionTableKey key() {
    return settings.key();
  }

  /**
   * Creates the table unless it exists. Called once before the job runs, not by every writer:
   * concurrent {@code CREATE TABLE IF NOT EXISTS} can collide in PostgreSQL's catalog.
   */
  public static void createIfMissing(DecisionTableSettings settings) throws SQLException {
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(),
        settings.password().read().orElse(null)); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS " + settings.table() + " ("
          + (settings.key() == DecisionTableKey.CUSTOMER
              ? "customer_id text PRIMARY KEY, transaction_id text NOT NULL, " : "transaction_id text PRIMARY KEY, ")
          + "card_token text NOT NULL, "
          + "event_time timestamptz NOT NULL, "
          + "decided_at timestamptz NOT NULL, "
          + "score double precision NOT NULL, "
          + "outcome text NOT NULL, "
          + "reasons text[] NOT NULL, "
          + "model_version text NOT NULL, "
          + "execution_provider text NOT NULL, "
          + "lookup_status text NOT NULL)");
    }
  }

  static String upsertSql(String table, DecisionTableKey key) {
    List<String> columns = new ArrayList<>();
    if (key == DecisionTableKey.CUSTOMER) {
      columns.add(key.column());
    }
    columns.addAll(DECISION_COLUMNS);
    String updates = columns.stream().filter(column -> !column.equals(key.column()))
        .map(column -> column + " = EXCLUDED." + column).collect(Collectors.joining(", "));
    return "INSERT INTO " + table + " AS stored (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", Collections.nCopies(columns.size(), "?")) + ") "
        + "ON CONFLICT (" + key.column() + ") DO UPDATE SET " + updates
        + (key == DecisionTableKey.CUSTOMER
            ? " WHERE (EXCLUDED.event_time, EXCLUDED.transaction_id) >= (stored.event_time, stored.transaction_id)"
            : "");
  }

  @Override
  public SinkWriter<DecisionRow> createWriter(WriterInitContext context) {
    return new Writer(settings, context.getTaskInfo().getIndexOfThisSubtask());
  }

  static final class Writer implements SinkWriter<DecisionRow> {

    private final DecisionTableSettings settings;
    private final HikariDataSource pool;
    private final List<DecisionRow> buffered = new ArrayList<>();

    Writer(DecisionTableSettings settings, int subtask) {
      this.settings = settings;
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(settings.jdbcUrl());
      config.setUsername(settings.username());
      config.setPassword(settings.password().read().orElse(null));
      // one writer thread, one connection at a time
      config.setMaximumPoolSize(1);
      config.setAutoCommit(false);
      config.setPoolName("decision-table-" + subtask);
      pool = new HikariDataSource(config);
    }

    @Override
    public void write(DecisionRow row, Context context) throws IOException {
      buffered.add(row);
      if (buffered.size() >= settings.batchSize()) {
        writeBuffered();
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      writeBuffered();
    }

    private void writeBuffered() throws IOException {
      if (buffered.isEmpty()) {
        return;
      }
      try (Connection connection = pool.getConnection();
          PreparedStatement upsert = connection.prepareStatement(upsertSql(settings.table(), settings.key()))) {
        try {
          for (DecisionRow row : buffered) {
            bind(upsert, connection, row);
            upsert.addBatch();
          }
          upsert.executeBatch();
          connection.commit();
        } catch (SQLException e) {
          connection.rollback();
          throw e;
        }
      } catch (SQLException e) {
        // a batch's own exception says only which statement failed; the next one says why
        SQLException why = e.getNextException() != null ? e.getNextException() : e;
        throw new IOException("cannot upsert " + buffered.size() + " decisions into " + settings.table() + ": "
            + why.getMessage(), e);
      }
      buffered.clear();
    }

    private void bind(PreparedStatement upsert, Connection connection, DecisionRow row) throws SQLException {
      int at = 0;
      if (settings.key() == DecisionTableKey.CUSTOMER) {
        upsert.setString(++at, row.customerId);
      }
      Decision decision = row.decision;
      upsert.setString(++at, decision.getTransactionId());
      upsert.setString(++at, decision.getCardToken());
      upsert.setObject(++at, OffsetDateTime.ofInstant(decision.getEventTime(), ZoneOffset.UTC));
      upsert.setObject(++at, OffsetDateTime.ofInstant(decision.getDecidedAt(), ZoneOffset.UTC));
      upsert.setDouble(++at, decision.getScore());
      upsert.setString(++at, decision.getOutcome().name());
      Array reasons = connection.createArrayOf("text", decision.getReasons().stream().map(CharSequence::toString)
          .toArray());
      upsert.setArray(++at, reasons);
      upsert.setString(++at, decision.getModelVersion());
      upsert.setString(++at, decision.getExecutionProvider());
      upsert.setString(++at, decision.getLookupStatus().name());
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
