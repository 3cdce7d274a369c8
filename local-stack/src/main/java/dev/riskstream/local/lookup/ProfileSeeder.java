package dev.riskstream.local.lookup;

import dev.riskstream.features.profile.CustomerProfile;
import dev.riskstream.features.profile.MerchantProfile;
import dev.riskstream.features.profile.ProfileSource;
import dev.riskstream.local.simulator.Customer;
import dev.riskstream.local.simulator.Merchant;
import dev.riskstream.local.simulator.Population;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Prepares a lookup database for the simulator: applies the job's migrations ({@code
 * classpath:db/migration}) and writes a profile for most customers and merchants of a population.
 * About one id in ten is left out on purpose, so that lookups also miss. Profiles are derived from
 * the ids alone, so the same population always gets the same profiles, and writing them twice
 * changes nothing.
 */
public final class ProfileSeeder {

  /** Where the demo keeps its own lookup database: in memory, in this JVM, PostgreSQL dialect. */
  public static final String EMBEDDED_URL = "jdbc:h2:mem:riskstream;DB_CLOSE_DELAY=-1;MODE=PostgreSQL";
  public static final String EMBEDDED_USER = "sa";

  private static final int BATCH = 500;
  private static final List<String> SEGMENTS = List.of("mass", "mass", "mass", "affluent", "student", "business");
  private static final LocalDate FIRST_ACCOUNT = LocalDate.of(2008, 1, 1);
  private static final int ACCOUNT_DAYS = 6_200;

  private ProfileSeeder() {}

  /** What {@link #seed} wrote. */
  public record Seeded(int customers, int merchants) {}

  /** Frees the embedded in-memory database, so that another run in this JVM (tests) starts afresh. */
  public static void shutDownEmbedded() {
    try (Connection connection = DriverManager.getConnection(EMBEDDED_URL, EMBEDDED_USER, "")) {
      connection.createStatement().execute("SHUTDOWN");
    } catch (SQLException e) {
      System.err.println("could not shut down the embedded lookup database: " + e.getMessage());
    }
  }

  /** Writes (or rewrites) the profiles of the population's seeded customers and merchants. */
  public static Seeded seed(String url, String user, String password, Population population) throws SQLException {
    List<CustomerProfile> customers = population.customers().stream()
        .filter(c -> seeded(c.id())).map(ProfileSeeder::profile).toList();
    List<Merchant> allMerchants = new ArrayList<>(population.merchants());
    allMerchants.addAll(population.emergingMerchants());
    List<MerchantProfile> merchants = allMerchants.stream()
        .filter(m -> seeded(m.id())).map(ProfileSeeder::profile).toList();
    try (Connection connection = DriverManager.getConnection(url, user, password)) {
      connection.setAutoCommit(false);
      // delete, then insert, in one transaction: an upsert that PostgreSQL and H2 spell alike
      upsert(connection, "customer_profile", "customer_id", customers, CustomerProfile::customerId,
          "INSERT INTO customer_profile (customer_id, segment, risk_tier, account_opened, home_country) VALUES (?, ?, ?, ?, ?)",
          (insert, c) -> {
            insert.setString(2, c.segment());
            insert.setShort(3, (short) c.riskTier());
            insert.setDate(4, Date.valueOf(c.accountOpened()));
            insert.setString(5, c.homeCountry());
          });
      upsert(connection, "merchant_profile", "merchant_id", merchants, MerchantProfile::merchantId,
          "INSERT INTO merchant_profile (merchant_id, category_group, risk_score, chargeback_rate, country) VALUES (?, ?, ?, ?, ?)",
          (insert, m) -> {
            insert.setString(2, m.categoryGroup());
            insert.setFloat(3, m.riskScore());
            insert.setFloat(4, m.chargebackRate());
            insert.setString(5, m.country());
          });
      connection.commit();
    }
    return new Seeded(customers.size(), merchants.size());
  }

  /**
   * The profiles {@link #seed} writes for a population, in memory: what training replays use, so
   * that the model learns the profile features the lookup join serves.
   */
  public static ProfileSource profiles(Population population) {
    Map<String, CustomerProfile> customers = new HashMap<>();
    population.customers().stream().filter(c -> seeded(c.id()))
        .forEach(c -> customers.put(c.id(), profile(c)));
    Map<String, MerchantProfile> merchants = new HashMap<>();
    Stream.concat(population.merchants().stream(), population.emergingMerchants().stream())
        .filter(m -> seeded(m.id())).forEach(m -> merchants.put(m.id(), profile(m)));
    return new ProfileSource() {
      @Override
      public CustomerProfile customer(String customerId) {
        return customers.get(customerId);
      }

      @Override
      public MerchantProfile merchant(String merchantId) {
        return merchants.get(merchantId);
      }
    };
  }

  /** About nine ids in ten get a profile; the rest make the lookup miss. */
  public static boolean seeded(String id) {
    return Math.floorMod(id.hashCode(), 10) != 0;
  }

  static CustomerProfile profile(Customer customer) {
    SplittableRandom random = new SplittableRandom(customer.id().hashCode());
    // most customers are low risk, a few high
    int tier = 1 + (int) Math.floor(5 * Math.pow(random.nextDouble(), 2));
    return new CustomerProfile(customer.id(), SEGMENTS.get(random.nextInt(SEGMENTS.size())), tier,
        FIRST_ACCOUNT.plusDays(random.nextInt(ACCOUNT_DAYS)), customer.home().country());
  }

  static MerchantProfile profile(Merchant merchant) {
    SplittableRandom random = new SplittableRandom(merchant.id().hashCode());
    boolean highRisk = merchant.category().highRisk();
    return new MerchantProfile(merchant.id(), highRisk ? "high_risk" : "standard",
        (float) (highRisk ? random.nextDouble(0.6, 0.9) : random.nextDouble(0.05, 0.4)),
        (float) (highRisk ? random.nextDouble(0.01, 0.04) : random.nextDouble(0.001, 0.008)),
        merchant.market().country());
  }

  private interface Binder<T> {
    void bind(PreparedStatement insert, T row) throws SQLException;
  }

  private static <T> void upsert(Connection connection, String table, String idColumn, List<T> rows,
      Function<T, String> id, String insertSql, Binder<T> binder) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + idColumn + " = ?");
        PreparedStatement insert = connection.prepareStatement(insertSql)) {
      for (int i = 0; i < rows.size(); i++) {
        T row = rows.get(i);
        delete.setString(1, id.apply(row));
        delete.addBatch();
        insert.setString(1, id.apply(row));
        binder.bind(insert, row);
        insert.addBatch();
        if ((i + 1) % BATCH == 0 || i == rows.size() - 1) {
          delete.executeBatch();
          insert.executeBatch();
        }
      }
    }
  }
}
