package dev.riskstream.job;

import dev.riskstream.io.settings.SecretReference;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How the job reaches the profile database of the lookup join; see the {@code lookup.*} settings of
 * {@link JobConfig} for what each means.
 *
 * @param username null for the driver's default
 * @param password where the password is; read by each subtask as it opens, none when the variable named is not set
 */
public record LookupSettings(
    String jdbcUrl,
    String username,
    SecretReference password,
    Duration timeout,
    int capacity,
    int poolSize,
    Duration cacheTtl,
    long cacheSize,
    int maxRetries) implements Serializable {

  public LookupSettings {
    Objects.requireNonNull(password, "where the lookup password is");
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("lookup JDBC URL must start with jdbc: but is " + jdbcUrl);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("lookup timeout must be positive: " + timeout);
    }
    if (capacity < 1 || poolSize < 1 || cacheSize < 0 || maxRetries < 0 || cacheTtl.isNegative()) {
      throw new IllegalArgumentException("lookup capacity and pool size must be at least 1, cache size, "
          + "cache TTL and retries at least 0: " + this);
    }
  }

  @Override
  public String toString() {
    return "LookupSettings[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password=" + password
        + ", timeout=" + timeout
        + ", capacity=" + capacity + ", poolSize=" + poolSize + ", cacheTtl=" + cacheTtl
        + ", cacheSize=" + cacheSize + ", maxRetries=" + maxRetries + "]";
  }
}
