package dev.riskstream.local.cli;

import dev.riskstream.job.LookupOptions;
import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.local.simulator.Population;
import dev.riskstream.ops.LookupDatabaseOptions;
import dev.riskstream.ops.LookupMigrations;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The lookup database of a local run: the one {@code --lookup-jdbc-url} names, else an embedded H2
 * database that lives as long as the run. Preparing it migrates it and writes the profiles of the
 * simulated population, so that the simulator's transactions find them.
 */
final class LookupDatabase implements AutoCloseable {

  private final boolean embedded;
  private final String url;
  private final String user;
  private final String password;
  private final String passwordReference;
  private final Population population;

  LookupDatabase(LookupDatabaseOptions options, Population population) {
    this.embedded = options.jdbcUrl() == null;
    this.url = embedded ? ProfileSeeder.EMBEDDED_URL : options.jdbcUrl();
    this.user = embedded ? ProfileSeeder.EMBEDDED_USER : options.username();
    this.password = embedded ? "" : options.password();
    this.passwordReference = embedded ? null : options.passwordReference();
    this.population = population;
  }

  /**
   * Migrates and seeds the database; returns the job's lookup settings. An external database that
   * cannot be prepared is still configured: the run shows what the job does without it, scoring on
   * with fallbacks.
   */
  Map<String, String> prepare(Path scratch) throws Exception {
    try {
      LookupMigrations.migrate(url, user, password);
      ProfileSeeder.Seeded seeded = ProfileSeeder.seed(url, user, password, population);
      System.err.printf("Lookup database %s: %d customer and %d merchant profiles%n",
          url, seeded.customers(), seeded.merchants());
    } catch (Exception e) {
      if (embedded) {
        throw e;
      }
      System.err.printf("Lookup database %s cannot be prepared (%s); the job will use fallback profile features%n",
          url, e.getMessage());
    }
    Map<String, String> settings = new HashMap<>();
    settings.put(LookupOptions.JDBC_URL.key(), url);
    if (user != null) {
      settings.put(LookupOptions.USERNAME.key(), user);
    }
    settings.put(LookupOptions.PASSWORD.key(),
        embedded ? RunSecrets.write(scratch, "lookup-password", password) : passwordReference);
    return settings;
  }

  /** The embedded database goes with the run. */
  @Override
  public void close() {
    if (embedded) {
      ProfileSeeder.shutDownEmbedded();
    }
  }
}
