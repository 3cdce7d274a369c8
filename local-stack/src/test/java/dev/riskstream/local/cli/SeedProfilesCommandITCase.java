package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.local.simulator.Population;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.CliRun;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
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
      List<String> seed = List.of("seed-profiles", "--lookup-jdbc-url", url, "--lookup-username", PostgresSchema.USER);
      CliRun first = CliRun.of(new RiskstreamCli(), seed);
      long[] afterFirst = rows(url);
      CliRun second = CliRun.of(new RiskstreamCli(), seed);

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
