package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.fail;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;

/** Lookup databases for tests: embedded H2, the local PostgreSQL, and one that is not there. */
public final class LookupDatabases {

  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String POSTGRES_USER = "postgres";
  /** Set to 1 (as CI with a database does) to fail, not skip, when PostgreSQL is unreachable. */
  static final String REQUIRE_POSTGRES_ENV = "RISKSTREAM_REQUIRE_POSTGRES";

  private LookupDatabases() {}

  /** A fresh, migrated in-memory H2 database in PostgreSQL mode; lives until the JVM exits. */
  public static String h2() {
    String url = "jdbc:h2:mem:lookup-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL";
    Flyway.configure().dataSource(url, "sa", "").load().migrate();
    return url;
  }

  /**
   * A new migrated schema of its own in the local PostgreSQL; returns a URL whose connections use
   * it. Skips the test when PostgreSQL is unreachable, unless {@value #REQUIRE_POSTGRES_ENV}=1.
   */
  public static String postgresSchema(String schema) {
    try (Connection connection = DriverManager.getConnection(POSTGRES_URL + "?connectTimeout=3", POSTGRES_USER, "")) {
      connection.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      if ("1".equals(System.getenv(REQUIRE_POSTGRES_ENV))) {
        fail("PostgreSQL at " + POSTGRES_URL + " is required (" + REQUIRE_POSTGRES_ENV + "=1) but: " + e);
      }
      Assumptions.abort("PostgreSQL at " + POSTGRES_URL + " is unreachable: " + e.getMessage());
    }
    String url = POSTGRES_URL + "?currentSchema=" + schema;
    Flyway.configure().dataSource(url, POSTGRES_USER, "").schemas(schema).load().migrate();
    return url;
  }

  public static String uniqueSchemaName(String prefix) {
    return (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
  }

  public static void dropPostgresSchema(String schema) throws SQLException {
    try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
      connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  static void execute(String url, String user, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** A port on this machine where nothing listens. */
  static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
