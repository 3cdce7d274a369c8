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
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts decisions into a PostgreSQL table keyed by transaction id, so that applications can read
 * precomputed scores: {@code INSERT ... ON CONFLICT (transaction_id) DO UPDATE}, so scoring the same
 * transactions again replaces their rows instead of adding rows. Each writer buffers up to
 * {@code batchSize} decisions and writes them in one JDBC batch and transaction, on a pooled
 * connection (the pool replaces a broken one); the rest is written when the input ends.
 */
public final class DecisionTable implements Sink<Decision> {

  private static final String COLUMNS = "transaction_id, card_token, event_time, decided_at, score, outcome, "
      + "reasons, model_version, execution_provider, lookup_status";

  private final DecisionTableSettings settings;

  public DecisionTable(DecisionTableSettings settings) {
    this.settings = settings;
  }

  /**
   * Creates the table unless it exists. Called once before the job runs, not by every writer:
   * concurrent {@code CREATE TABLE IF NOT EXISTS} can collide in PostgreSQL's catalog.
   */
  public static void createIfMissing(DecisionTableSettings settings) throws SQLException {
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(),
        settings.password()); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS " + settings.table() + " ("
          + "transaction_id text PRIMARY KEY, "
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

  static String upsertSql(String table) {
    return "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (transaction_id) DO UPDATE SET card_token = EXCLUDED.card_token, "
        + "event_time = EXCLUDED.event_time, decided_at = EXCLUDED.decided_at, score = EXCLUDED.score, "
        + "outcome = EXCLUDED.outcome, reasons = EXCLUDED.reasons, model_version = EXCLUDED.model_version, "
        + "execution_provider = EXCLUDED.execution_provider, lookup_status = EXCLUDED.lookup_status";
  }

  @Override
  public SinkWriter<Decision> createWriter(WriterInitContext context) {
    return new Writer(settings, context.getTaskInfo().getIndexOfThisSubtask());
  }

  static final class Writer implements SinkWriter<Decision> {

    private final DecisionTableSettings settings;
    private final HikariDataSource pool;
    private final List<Decision> buffered = new ArrayList<>();

    Writer(DecisionTableSettings settings, int subtask) {
      this.settings = settings;
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(settings.jdbcUrl());
      config.setUsername(settings.username());
      config.setPassword(settings.password());
      // one writer thread, one connection at a time
      config.setMaximumPoolSize(1);
      config.setAutoCommit(false);
      config.setPoolName("decision-table-" + subtask);
      pool = new HikariDataSource(config);
    }

    @Override
    public void write(Decision decision, Context context) throws IOException {
      buffered.add(decision);
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
          PreparedStatement upsert = connection.prepareStatement(upsertSql(settings.table()))) {
        try {
          for (Decision decision : buffered) {
            bind(upsert, connection, decision);
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

    private static void bind(PreparedStatement upsert, Connection connection, Decision decision) throws SQLException {
      upsert.setString(1, decision.getTransactionId());
      upsert.setString(2, decision.getCardToken());
      upsert.setObject(3, OffsetDateTime.ofInstant(decision.getEventTime(), ZoneOffset.UTC));
      upsert.setObject(4, OffsetDateTime.ofInstant(decision.getDecidedAt(), ZoneOffset.UTC));
      upsert.setDouble(5, decision.getScore());
      upsert.setString(6, decision.getOutcome().name());
      Array reasons = connection.createArrayOf("text", decision.getReasons().stream().map(CharSequence::toString)
          .toArray());
      upsert.setArray(7, reasons);
      upsert.setString(8, decision.getModelVersion());
      upsert.setString(9, decision.getExecutionProvider());
      upsert.setString(10, decision.getLookupStatus().name());
    }

    @Override
    public void close() {
      pool.close();
    }
  }
}
