package dev.riskstream.ops;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The job's migrations of the lookup database ({@code db/migration} of the job's jar). The job never
 * migrates: it reads with a user that may only SELECT, and a deployment migrates first, as a user
 * that may create tables ({@code riskstream migrate-lookup}, the demo, {@code seed-profiles}).
 */
public final class LookupMigrations {

  private LookupMigrations() {}

  /** Creates or upgrades the profile tables; the result says which migrations ran. */
  public static MigrateResult migrate(String url, String user, String password) {
    return Flyway.configure().dataSource(url, user, password).load().migrate();
  }
}
