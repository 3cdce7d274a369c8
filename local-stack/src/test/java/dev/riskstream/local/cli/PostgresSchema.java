package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A schema of the test's own in the local PostgreSQL (127.0.0.1:5432, database {@code test}).
 * Skips the test when PostgreSQL is unreachable, unless {@code RISKSTREAM_REQUIRE_POSTGRES=1}.
 */
final class PostgresSchema {

  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  private PostgresSchema() {}

  static String create() {
    String schema = "riskstream_demo_it_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "")) {
      connection.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      if ("1".equals(System.getenv("RISKSTREAM_REQUIRE_POSTGRES"))) {
        fail("PostgreSQL at " + URL + " is required (RISKSTREAM_REQUIRE_POSTGRES=1) but: " + e);
      }
      Assumptions.abort("PostgreSQL at " + URL + " is unreachable: " + e.getMessage());
    }
    return schema;
  }

  static void drop(String schema) throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL, USER, "")) {
      connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
