package dev.riskstream.local.simulator;

import dev.riskstream.schemas.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The customers, cards and merchants of one simulation, generated once from the seed. */
public final class Population {

  /** Every market starts with these, so that each has a shop, a web shop and a high-risk merchant. */
  private static final List<MerchantCategory> FIRST_CATEGORIES =
      List.of(MerchantCategory.GROCERY, MerchantCategory.MISC_RETAIL, MerchantCategory.ELECTRONICS);
  private static final List<Channel> FIRST_CHANNELS = List.of(Channel.POS, Channel.ECOM, Channel.POS);

  private static final List<Market> REGULAR_MARKETS =
      Arrays.stream(Market.values()).filter(m -> !m.emerging()).toList();
  private static final List<Market> EMERGING_MARKETS =
      Arrays.stream(Market.values()).filter(Market::emerging).toList();

  /** The smallest merchant count that still gives every regular market its first merchants. */
  public static final int MINIMUM_MERCHANTS = REGULAR_MARKETS.size() * FIRST_CATEGORIES.size();

  /** Made-up but realistic issuer prefixes (Visa, Mastercard incl. the 2-series, Discover, JCB, UnionPay). */
  private static final List<String> BINS =
      List.of("453201", "401288", "476173", "510510", "545454", "222300", "601100", "353011", "622126");
  private static final int PAN_LENGTH = 16;

  private final List<Customer> customers;
  private final List<Card> cards;
  private final List<Merchant> merchants;
  private final List<Merchant> emergingMerchants;
  private final List<Merchant> onlineMerchants;
  private final Map<Market, List<Merchant>> merchantsByMarket;
  private final Map<Market, List<Merchant>> onlineMerchantsByMarket;
  private final Map<Market, List<Merchant>> highRiskMerchantsByMarket;

  private Population(List<Customer> customers, List<Card> cards, List<Merchant> merchants,
      List<Merchant> emergingMerchants) {
    this.customers = List.copyOf(customers);
    this.cards = List.copyOf(cards);
    this.merchants = List.copyOf(merchants);
    this.emergingMerchants = List.copyOf(emergingMerchants);
    this.onlineMerchants = merchants.stream().filter(Population::online).toList();
    List<Merchant> all = new ArrayList<>(merchants);
    all.addAll(emergingMerchants);
    this.merchantsByMarket = byMarket(all, m -> true);
    this.onlineMerchantsByMarket = byMarket(all, Population::online);
    this.highRiskMerchantsByMarket = byMarket(all, m -> m.category().highRisk());
  }

  /**
   * @param merchantCount merchants in the regular markets, at least {@link #MINIMUM_MERCHANTS}; the
   *     emerging markets get a fifth as many on top
   */
  static Population generate(Dice dice, int customerCount, int merchantCount) {
    List<Merchant> merchants = new ArrayList<>();
    addMerchants(dice, REGULAR_MARKETS, merchantCount, merchants);
    int regularCount = merchants.size();
    addMerchants(dice, EMERGING_MARKETS, merchantCount / 5, merchants);
    Map<Market, List<Merchant>> localMerchants = byMarket(merchants, m -> true);

    WeightedChoice<Market> homes = new WeightedChoice<>(REGULAR_MARKETS, Market::weight);
    List<Customer> customers = new ArrayList<>(customerCount);
    List<Card> cards = new ArrayList<>();
    Set<String> pans = new HashSet<>();
    for (int c = 0; c < customerCount; c++) {
      List<String> devices = dice.chance(0.4) ? List.of(dice.deviceId(), dice.deviceId()) : List.of(dice.deviceId());
      Customer customer = new Customer(String.format("cust-%06d", c + 1), homes.draw(dice), devices);
      customers.add(customer);
      int cardCount = dice.chance(0.3) ? 2 : 1;
      for (int k = 0; k < cardCount; k++) {
        cards.add(new Card(cards.size(), uniquePan(dice, pans), customer, Math.exp(0.5 * dice.gaussian()),
            dice.uniform(0.2, 1.0), habitualMerchants(dice, localMerchants.get(customer.home()))));
      }
    }
    return new Population(customers, cards, merchants.subList(0, regularCount),
        merchants.subList(regularCount, merchants.size()));
  }

  /** Adds at least the first merchants of each market, the rest spread in proportion to market size. */
  private static void addMerchants(Dice dice, List<Market> markets, int count, List<Merchant> into) {
    WeightedChoice<Market> marketsBySize = new WeightedChoice<>(markets, Market::weight);
    WeightedChoice<MerchantCategory> categories =
        new WeightedChoice<>(List.of(MerchantCategory.values()), MerchantCategory::popularity);
    Map<Market, Integer> extra = new EnumMap<>(Market.class);
    for (int i = markets.size() * FIRST_CATEGORIES.size(); i < count; i++) {
      extra.merge(marketsBySize.draw(dice), 1, Integer::sum);
    }
    for (Market market : markets) {
      for (int k = 0; k < FIRST_CATEGORIES.size(); k++) {
        into.add(new Merchant(merchantId(into.size()), market.merchantName(dice), FIRST_CATEGORIES.get(k), market,
            FIRST_CHANNELS.get(k)));
      }
      for (int k = extra.getOrDefault(market, 0); k > 0; k--) {
        MerchantCategory category = categories.draw(dice);
        into.add(new Merchant(merchantId(into.size()), market.merchantName(dice), category, market,
            category.channelFor(dice)));
      }
    }
  }

  private static String merchantId(int index) {
    return String.format("merch-%05d", index + 1);
  }

  private static String uniquePan(Dice dice, Set<String> taken) {
    while (true) {
      StringBuilder pan = new StringBuilder(PAN_LENGTH).append(dice.any(BINS));
      while (pan.length() < PAN_LENGTH - 1) {
        pan.append((char) ('0' + dice.below(10)));
      }
      pan.append((char) ('0' + Luhn.checkDigit(pan)));
      if (taken.add(pan.toString())) {
        return pan.toString();
      }
    }
  }

  private static List<Merchant> habitualMerchants(Dice dice, List<Merchant> local) {
    List<Merchant> pool = new ArrayList<>(local);
    int count = Math.min(pool.size(), dice.between(3, 8));
    List<Merchant> chosen = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      chosen.add(pool.remove(dice.below(pool.size())));
    }
    return chosen;
  }

  private static boolean online(Merchant merchant) {
    return merchant.channel() == Channel.ECOM;
  }

  private static Map<Market, List<Merchant>> byMarket(List<Merchant> merchants, Predicate<Merchant> filter) {
    Map<Market, List<Merchant>> grouped = new EnumMap<>(Market.class);
    for (Market market : Market.values()) {
      grouped.put(market, merchants.stream().filter(m -> m.market() == market && filter.test(m)).toList());
    }
    return grouped;
  }

  public List<Customer> customers() {
    return customers;
  }

  public List<Card> cards() {
    return cards;
  }

  /** The merchants of the regular markets. */
  public List<Merchant> merchants() {
    return merchants;
  }

  /** Merchants in emerging markets, which only trade under drift. */
  public List<Merchant> emergingMerchants() {
    return emergingMerchants;
  }

  /** Web shops of the regular markets. */
  List<Merchant> onlineMerchants() {
    return onlineMerchants;
  }

  List<Merchant> merchantsIn(Market market) {
    return merchantsByMarket.get(market);
  }

  List<Merchant> onlineMerchantsIn(Market market) {
    return onlineMerchantsByMarket.get(market);
  }

  List<Merchant> highRiskMerchantsIn(Market market) {
    return highRiskMerchantsByMarket.get(market);
  }

  static List<Market> regularMarkets() {
    return REGULAR_MARKETS;
  }
}
