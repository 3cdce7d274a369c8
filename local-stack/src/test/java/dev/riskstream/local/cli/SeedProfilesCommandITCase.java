package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.local.simulator.Population;
import dev.riskstream.local.simulator.TransactionSimulator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code riskstream seed-profiles} against the local PostgreSQL, in a schema of the test's own. */
class SeedProfilesCommandITCase {

  private static long[] rows(String url) throws Exception {
    try (Connection connection = DriverManager.getConnection(url, PostgresSchema.USER, "");
        ResultSet rows = connection.createStatement().executeQuery(
            "SELECT (SELECT COUNT(*) FROM customer_profile), (SELECT COUNT(*) FROM merchant_profile)")) {
      rows.next();
      return new long[] {rows.getLong(1), rows.getLong(2)};
    }
  }

  @Test
  void migratesAnEmptySchemaAndSeedsTheBaselinePopulationIdempotently() throws Exception {
    String schema = PostgresSchema.create();
    try {
      String url = PostgresSchema.URL + "?currentSchema=" + schema;
      CliRun first = CliRun.of("seed-profiles", "--lookup-jdbc-url", url, "--lookup-username", PostgresSchema.USER);
      long[] afterFirst = rows(url);
      CliRun second = CliRun.of("seed-profiles", "--lookup-jdbc-url", url, "--lookup-username", PostgresSchema.USER);

      assertThat(first.exitCode()).isZero();
      assertThat(second.exitCode()).isZero();
      // the population the baseline model was trained on, and simulate sends by default
      Population population = TransactionSimulator.builder()
          .populationSeed(Long.parseLong(TrainBaselineCommand.DEFAULT_SEED)).build().population();
      assertThat(afterFirst[0]).isPositive()
          .isEqualTo(population.customers().stream().filter(c -> ProfileSeeder.seeded(c.id())).count());
      assertThat(afterFirst[1]).isEqualTo(Stream.concat(population.merchants().stream(),
          population.emergingMerchants().stream()).filter(m -> ProfileSeeder.seeded(m.id())).count());
      assertThat(rows(url)).as("seeding again changes nothing").isEqualTo(afterFirst);
    } finally {
      PostgresSchema.drop(schema);
    }
  }
}
