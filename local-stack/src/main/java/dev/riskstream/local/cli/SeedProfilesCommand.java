package dev.riskstream.local.cli;

import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.ops.LookupDatabaseOptions;
import dev.riskstream.ops.LookupMigrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Prepares a lookup database for simulated traffic, as the demo prepares its own: the job's
 * migrations (the lookup schema), then the profiles of the simulated population. Writing them again
 * changes nothing, so a deployment can run it at every start.
 */
@Command(name = "seed-profiles", mixinStandardHelpOptions = true,
    description = "Create or upgrade the lookup schema and write the customer and merchant profiles of the "
        + "simulated population (most of them: some are left out, so that lookups also miss).")
final class SeedProfilesCommand implements Callable<Integer> {

  @Mixin LookupDatabaseOptions lookup;

  @Mixin PopulationOptions population;

  @Override
  public Integer call() {
    if (lookup.jdbcUrl() == null) {
      System.err.println("riskstream seed-profiles: --lookup-jdbc-url is required");
      return 2;
    }
    try {
      LookupMigrations.migrate(lookup.jdbcUrl(), lookup.username(), lookup.password());
      ProfileSeeder.Seeded seeded = ProfileSeeder.seed(lookup.jdbcUrl(), lookup.username(), lookup.password(),
          population.population());
      System.out.printf("%d customer and %d merchant profiles in %s%n", seeded.customers(), seeded.merchants(),
          lookup.jdbcUrl());
      return 0;
    } catch (Exception e) {
      System.err.println("riskstream seed-profiles: " + lookup.jdbcUrl() + ": " + e.getMessage());
      return 1;
    }
  }
}
