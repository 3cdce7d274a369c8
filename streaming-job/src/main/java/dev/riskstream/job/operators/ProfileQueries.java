package dev.riskstream.job.operators;

import dev.riskstream.features.profile.CustomerProfile;
import dev.riskstream.features.profile.MerchantProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.LocalDate;

/**
 * What {@link ProfileLookup} reads over JDBC: one customer or merchant profile by its id, and which
 * errors are worth another try.
 */
final class ProfileQueries {

  private static final String CUSTOMER_QUERY =
      "SELECT segment, risk_tier, account_opened, home_country FROM customer_profile WHERE customer_id = ?";
  private static final String MERCHANT_QUERY =
      "SELECT category_group, risk_score, chargeback_rate, country FROM merchant_profile WHERE merchant_id = ?";

  private ProfileQueries() {}

  /** Connection lost, pool exhausted, serialization failure, server restarting: worth another try. */
  static boolean isTransient(SQLException e) {
    if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
      return true;
    }
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
        || state.equals("57P01"));
  }

  static CustomerProfile customer(Connection connection, String id, int timeoutSeconds) throws SQLException {
    // CHAR columns come back blank-padded from some drivers
    return readOne(connection, CUSTOMER_QUERY, id, timeoutSeconds, row -> new CustomerProfile(id, row.getString(1),
        row.getInt(2), row.getObject(3, LocalDate.class), row.getString(4).strip()));
  }

  static MerchantProfile merchant(Connection connection, String id, int timeoutSeconds) throws SQLException {
    return readOne(connection, MERCHANT_QUERY, id, timeoutSeconds, row -> new MerchantProfile(id, row.getString(1),
        row.getFloat(2), row.getFloat(3), row.getString(4).strip()));
  }

  /** Reads the row a query found. */
  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** What {@code reader} makes of the row {@code sql} finds for {@code id}; null when it finds none. */
  private static <T> T readOne(Connection connection, String sql, String id, int timeoutSeconds, RowReader<T> reader)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setQueryTimeout(timeoutSeconds);
      query.setString(1, id);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? reader.read(row) : null;
      }
    }
  }
}
