package dev.riskstream.local.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.local.simulator.Population;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.LookupMigrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProfileSeederTest {

  @Test
  void seedsMostOfThePopulationAndSeedingAgainChangesNothing() throws Exception {
    String url = "jdbc:h2:mem:seed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL";
    Population population = TransactionSimulator.builder().seed(7).build().population();
    LookupMigrations.migrate(url, "sa", "");
    ProfileSeeder.Seeded first = ProfileSeeder.seed(url, "sa", "", population);
    LookupMigrations.migrate(url, "sa", "");
    ProfileSeeder.Seeded second = ProfileSeeder.seed(url, "sa", "", population);

    assertThat(second).isEqualTo(first);
    int customers = population.customers().size();
    assertThat(first.customers()).isBetween((int) (customers * 0.8), (int) (customers * 0.97));
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        ResultSet rows = connection.createStatement().executeQuery(
            "SELECT (SELECT COUNT(*) FROM customer_profile), (SELECT COUNT(*) FROM merchant_profile)")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(first.customers());
      assertThat(rows.getInt(2)).isEqualTo(first.merchants());
    }
    var customer = population.customers().get(0);
    assertThat(ProfileSeeder.profile(customer)).as("derived from the id alone").isEqualTo(ProfileSeeder.profile(customer));
    assertThat(ProfileSeeder.profile(customer).homeCountry()).isEqualTo(customer.home().country());
  }
}
