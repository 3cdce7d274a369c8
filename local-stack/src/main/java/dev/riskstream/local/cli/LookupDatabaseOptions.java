package dev.riskstream.local.cli;

import dev.riskstream.job.JobConfig;
import picocli.CommandLine.Option;

/** The profile lookup database a command prepares: the job's lookup.jdbc-url, user and password. */
final class LookupDatabaseOptions {

  @Option(names = "--lookup-jdbc-url", description = "The lookup database (PostgreSQL or H2), as the job's "
      + "lookup.jdbc-url; it is migrated and seeded with the simulator's profiles.")
  String jdbcUrl;

  @Option(names = "--lookup-username", description = "User of --lookup-jdbc-url; needs to create tables and write profiles.")
  String username;

  @Option(names = "--lookup-password", description = "Password of --lookup-jdbc-url; prefer the environment variable "
      + JobConfig.LOOKUP_PASSWORD_ENV + ".")
  String password;

  /** The password given, else the one in the environment, else none. */
  String password() {
    return password != null ? password : System.getenv(JobConfig.LOOKUP_PASSWORD_ENV);
  }
}
