package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Profile lookup": the customer and merchant profile database of the lookup
 * join.
 */
public final class LookupOptions {

  public static final String PASSWORD_ENV = "RISKSTREAM_LOOKUP_PASSWORD";

  public static final ConfigOption<String> JDBC_URL =
      key("lookup.jdbc-url").stringType().noDefaultValue()
          .withDescription("JDBC URL of the customer and merchant profile database (PostgreSQL; H2 for tests). "
              + "Unset: the job runs without the lookup join and every decision says lookupStatus NOT_CONFIGURED.");
  public static final ConfigOption<String> USERNAME =
      key("lookup.username").stringType().noDefaultValue()
          .withDescription("User of the profile database; unset: the driver's default. Needs SELECT only.");
  public static final ConfigOption<String> PASSWORD =
      key("lookup.password").stringType().defaultValue("env:" + PASSWORD_ENV)
          .withDescription("Where the password of the profile database user is: env:NAME, an environment variable "
              + "(not set: no password), or file:PATH, a file such as a mounted Secret. Read by each subtask as it "
              + "opens; the job graph holds this reference only.");
  public static final ConfigOption<Duration> TIMEOUT =
      key("lookup.timeout").durationType().defaultValue(Duration.ofMillis(200))
          .withDescription("How long a transaction waits for its profiles, queueing included; then it is scored "
              + "with the fallback values (lookupStatus TIMEOUT).");
  public static final ConfigOption<Integer> CAPACITY =
      key("lookup.capacity").intType().defaultValue(100)
          .withDescription("Lookups in flight per subtask; when full, the operator back-pressures its input.");
  public static final ConfigOption<Integer> POOL_SIZE =
      key("lookup.pool-size").intType().defaultValue(4)
          .withDescription("JDBC connections, and threads that use them, per subtask. JDBC blocks a thread per "
              + "query, so this bounds throughput to about pool-size / query time per subtask; the database "
              + "sees parallelism x pool-size connections.");
  public static final ConfigOption<Duration> CACHE_TTL =
      key("lookup.cache-ttl").durationType().defaultValue(Duration.ofMinutes(5))
          .withDescription("How long a profile is served from the cache; absent profiles are cached for a tenth "
              + "of it, so that a new customer is seen soon.");
  public static final ConfigOption<Long> CACHE_SIZE =
      key("lookup.cache-size").longType().defaultValue(100_000L)
          .withDescription("Cached profiles per kind (customer, merchant) per subtask; 0 turns the cache off.");
  public static final ConfigOption<Integer> MAX_RETRIES =
      key("lookup.max-retries").intType().defaultValue(2)
          .withDescription("Retries of a lookup after a transient SQL error (connection lost, pool exhausted, "
              + "serialization failure), within lookup.timeout; other errors fall back at once (ERROR).");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Profile lookup",
      "The customer and merchant profile database of the lookup join.",
      List.of(JDBC_URL, USERNAME, PASSWORD, TIMEOUT, CAPACITY, POOL_SIZE, CACHE_TTL, CACHE_SIZE, MAX_RETRIES),
      List.of(JDBC_URL, USERNAME));

  private LookupOptions() {}
}
