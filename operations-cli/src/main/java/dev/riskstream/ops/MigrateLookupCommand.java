package dev.riskstream.ops;

import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code riskstream migrate-lookup}: the lookup database's tables, before the job that reads them starts. */
@Command(name = "migrate-lookup", mixinStandardHelpOptions = true,
    description = "Create or upgrade the profile tables of the lookup database with the job's migrations (Flyway), as "
        + "a user that may create tables; the job itself only reads. Applied migrations are skipped, so it runs at "
        + "every deployment.")
public final class MigrateLookupCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin LookupDatabaseOptions lookup;

  @Override
  public Integer call() {
    if (lookup.jdbcUrl() == null) {
      spec.commandLine().getErr().println("riskstream migrate-lookup: name the database with --lookup-jdbc-url");
      return 1;
    }
    MigrateResult result = LookupMigrations.migrate(lookup.jdbcUrl(), lookup.username(), lookup.password());
    spec.commandLine().getOut().println("lookup database " + lookup.jdbcUrl() + ": " + result.migrationsExecuted
        + " migrations applied, at version " + result.targetSchemaVersion);
    return 0;
  }
}
