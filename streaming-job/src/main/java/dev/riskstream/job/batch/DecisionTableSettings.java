package dev.riskstream.job.batch;

import dev.riskstream.io.settings.SecretReference;
import java.io.Serializable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where batch scoring upserts its decisions: a PostgreSQL table keyed by transaction or customer id. See the
 * {@code batch.jdbc.*} settings of {@link dev.riskstream.job.BatchConfig}.
 *
 * @param table a table name, optionally schema-qualified
 * @param key what a row stands for
 * @param username null for the driver's default
 * @param password where the password is; none when the variable named is not set
 * @param batchSize rows written in one JDBC batch and transaction
 */
public record DecisionTableSettings(String jdbcUrl, String table, DecisionTableKey key, String username,
    SecretReference password, int batchSize) implements Serializable {

  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*");

  public DecisionTableSettings {
    Objects.requireNonNull(password, "where the decision table's password is");
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("the decision table's JDBC URL must be a PostgreSQL one "
          + "(jdbc:postgresql:...), not " + jdbcUrl);
    }
    // the name goes into SQL text: only plain identifiers
    if (table == null || !QUALIFIED_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("decision table name must be [schema.]table of letters, digits and _, not "
          + table);
    }
    if (key == null) {
      throw new IllegalArgumentException("the decision table's key must be TRANSACTION or CUSTOMER");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("decision table batch size must be at least 1, not " + batchSize);
    }
  }

  @Override
  public String toString() {
    return "DecisionTableSettings[jdbcUrl=" + jdbcUrl + ", table=" + table + ", key=" + key + ", username=" + username
        + ", password=" + password + ", batchSize=" + batchSize + "]";
  }
}
