package dev.riskstream.ops;

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

  @Option(names = "--lookup-password", description = "Password of --lookup-jdbc-url; prefer the environment variable "
      + LookupOptions.PASSWORD_ENV + ".")
  private String password;

  /** Null: no lookup database named. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String username() {
    return username;
  }

  /** The password given, else the one in the environment, else none. */
  public String password() {
    return password != null ? password : System.getenv(LookupOptions.PASSWORD_ENV);
  }
}
