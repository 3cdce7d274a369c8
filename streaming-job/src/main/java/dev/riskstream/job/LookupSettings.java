package dev.riskstream.job;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the job reaches the profile database of the lookup join; see the {@code lookup.*} settings of
 * {@link JobConfig} for what each means.
 *
 * @param username null for the driver's default
 * @param password null for none
 */
public record LookupSettings(
    String jdbcUrl,
    String username,
    String password,
    Duration timeout,
    int capacity,
    int poolSize,
    Duration cacheTtl,
    long cacheSize,
    int maxRetries) implements Serializable {

  public LookupSettings {
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

  /** Everything but the password, which must not reach logs. */
  @Override
  public String toString() {
    return "LookupSettings[jdbcUrl=" + jdbcUrl + ", username=" + username + ", timeout=" + timeout
        + ", capacity=" + capacity + ", poolSize=" + poolSize + ", cacheTtl=" + cacheTtl
        + ", cacheSize=" + cacheSize + ", maxRetries=" + maxRetries + "]";
  }
}
