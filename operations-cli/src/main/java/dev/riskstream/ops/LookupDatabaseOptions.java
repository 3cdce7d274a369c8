package dev.riskstream.ops;

import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.job.LookupOptions;
import picocli.CommandLine.Option;

/** The profile lookup database a command uses: the job's lookup.jdbc-url, user and password. */
public final class LookupDatabaseOptions {

  @Option(names = "--lookup-jdbc-url", description = "The lookup database (PostgreSQL or H2), as the job's "
      + "lookup.jdbc-url; demo and seed-profiles migrate it and seed the simulator's profiles, batch-score reads it.")
  private String jdbcUrl;

  @Option(names = "--lookup-username", description = "User of --lookup-jdbc-url; to seed it, one that may create "
      + "tables and write profiles.")
  private String username;

  @Option(names = "--lookup-password", paramLabel = "REF", description = "Where the password of --lookup-jdbc-url is: "
      + "env:NAME or file:PATH (default ${DEFAULT-VALUE}), as the job's lookup.password.")
  private String password = "env:" + LookupOptions.PASSWORD_ENV;

  /** Null: no lookup database named. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String username() {
    return username;
  }

  /** Where the password is, as the job's lookup.password takes it. */
  public String passwordReference() {
    return password;
  }

  /** The password, read now; null for none. */
  public String password() {
    return SecretReference.parse("--lookup-password", password).read().orElse(null);
  }
}
