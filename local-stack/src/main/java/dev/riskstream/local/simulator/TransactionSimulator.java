package dev.riskstream.local.simulator;

import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A deterministic stream of card transactions with fraud labels, for the demo, the end-to-end tests and
 * training the baseline model. The same settings (and the same {@link #drift(boolean)} switches at the
 * same positions) give the same transactions, whatever the wall clock says.
 *
 * <p>Transactions arrive as a Poisson process in simulated time; event times never decrease unless
 * {@link Builder#maxOutOfOrderness(Duration)} asks for jitter. Per-card history only looks realistic
 * when each card is used a few times a day: with the defaults (about 2,600 cards, one transaction every
 * 10 s) that is about 3 a day; scale {@link Builder#meanInterArrival(Duration)} with the population.
 *
 * <p>Not thread-safe, except that {@link #drift(boolean)} may be called from another thread.
 */
public final class TransactionSimulator {

  /** Customers of a simulation that does not say, the population the baseline model was trained on. */
  public static final int DEFAULT_CUSTOMERS = 2_000;

  /** Simulated time between arrivals, on average, unless {@link Builder#meanInterArrival(Duration)} says otherwise. */
  public static final Duration DEFAULT_MEAN_INTER_ARRIVAL = Duration.ofSeconds(10);

  /** How many owed fraudulent transactions double the chance of an episode. */
  private static final double FRAUD_BALANCE_SCALE = 30;
  private static final double MAX_EPISODE_BOOST = 3;

  private final Population population;
  private final Dice dice;
  private final Schedule schedule = new Schedule();
  private final LegitimateBehaviour legitimate;
  private final List<FraudScenario> scenarios;
  /** Per arrival, the cumulative probabilities that it starts an episode of each scenario. */
  private final double[] episodeThresholds;
  private final double fraudOwedPerLegitimate;
  private final double meanInterArrivalMillis;
  private final long maxOutOfOrdernessMillis;
  private final String idPrefix;
  private volatile boolean drift;
  /** Transactions after which drift switches on; negative: never by itself. */
  private final long driftAt;
  /** Fraudulent transactions the configured rate asks for that have not been generated yet (negative: ahead). */
  private double fraudOwed;
  private double nextArrivalMillis;
  private long emitted;

  private TransactionSimulator(Builder builder) {
    Dice root = new Dice(builder.seed);
    Dice ownPopulation = root.split();
    // the population's dice are the first split of a seed's root, so any seed's population can be had
    Dice populationDice = builder.populationSeed == null ? ownPopulation : new Dice(builder.populationSeed).split();
    this.population = Population.generate(populationDice, builder.customers, builder.merchants);
    this.dice = root.split();
    this.legitimate = new LegitimateBehaviour(population, dice, schedule);
    this.scenarios = List.of(
        new CardTesting(population, dice, schedule),
        new AccountTakeover(population, dice, schedule),
        new NightHighValue(population, dice, schedule));
    this.episodeThresholds = episodeThresholds(scenarios, builder.fraudRate);
    this.fraudOwedPerLegitimate = builder.fraudRate / (1 - builder.fraudRate);
    this.meanInterArrivalMillis = builder.meanInterArrival.toNanos() / 1e6;
    this.maxOutOfOrdernessMillis = builder.maxOutOfOrderness.toMillis();
    this.idPrefix = "tx-" + Long.toUnsignedString(builder.seed, 36) + "-";
    this.drift = builder.drift;
    this.driftAt = builder.driftAt;
    this.nextArrivalMillis = builder.start.toEpochMilli();
  }

  /**
   * Solves for the episode probabilities that make {@code fraudRate} the share of fraudulent
   * transactions, given that episodes and legitimate arrivals yield different numbers of transactions.
   */
  private static double[] episodeThresholds(List<FraudScenario> scenarios, double fraudRate) {
    double legitimatePerArrival = LegitimateBehaviour.transactionsPerArrival();
    double episodesPerFraudTransaction = 0;
    for (FraudScenario scenario : scenarios) {
      episodesPerFraudTransaction += scenario.shareOfFraud() / scenario.transactionsPerEpisode();
    }
    // fraud per arrival F solves F / (F + (1 - F * episodesPerFraudTransaction) * legitimatePerArrival) = rate
    double fraudPerArrival = fraudRate * legitimatePerArrival
        / (1 - fraudRate + fraudRate * episodesPerFraudTransaction * legitimatePerArrival);
    double[] thresholds = new double[scenarios.size()];
    double cumulative = 0;
    for (int i = 0; i < scenarios.size(); i++) {
      FraudScenario scenario = scenarios.get(i);
      cumulative += fraudPerArrival * scenario.shareOfFraud() / scenario.transactionsPerEpisode();
      thresholds[i] = cumulative;
    }
    return thresholds;
  }

  public static Builder builder() {
    return new Builder();
  }

  public SimulatedTransaction next() {
    if (emitted == driftAt) {
      drift = true;
    }
    while (!schedule.hasDueBy(nextArrivalMillis)) {
      arrive((long) nextArrivalMillis);
      nextArrivalMillis += meanInterArrivalMillis * dice.exponential();
    }
    return emit(schedule.takeEarliest());
  }

  /** The next {@code count} transactions, in order; consume it sequentially. */
  public Stream<SimulatedTransaction> stream(long count) {
    return LongStream.range(0, count).mapToObj(i -> next());
  }

  /** Switches drift on or off from the next arrival on. */
  public void drift(boolean on) {
    this.drift = on;
  }

  public boolean drift() {
    return drift;
  }

  public Population population() {
    return population;
  }

  private void arrive(long nowMillis) {
    // Leaning on the balance keeps the realised rate close to the configured one even over a few
    // thousand transactions, which independent draws of episodes of up to 16 transactions would not.
    double boost = Math.max(0, Math.min(MAX_EPISODE_BOOST, 1 + fraudOwed / FRAUD_BALANCE_SCALE));
    double draw = dice.uniform();
    for (int i = 0; i < episodeThresholds.length; i++) {
      if (draw < episodeThresholds[i] * boost) {
        fraudOwed -= scenarios.get(i).strike(nowMillis, drift);
        return;
      }
    }
    fraudOwed += fraudOwedPerLegitimate * legitimate.arrive(nowMillis, drift);
  }

  private SimulatedTransaction emit(Draft draft) {
    long eventMillis = draft.timeMillis();
    if (maxOutOfOrdernessMillis > 0) {
      eventMillis -= dice.below(maxOutOfOrdernessMillis + 1);
    }
    Merchant merchant = draft.merchant();
    Card card = draft.card();
    Transaction transaction = new Transaction(
        idPrefix + emitted++,
        card.pan(),
        null, // encryptedCard: the simulator sends the PAN in clear
        card.customer().id(),
        merchant.id(),
        merchant.category().code(),
        merchant.name(),
        draft.amountMinor(),
        merchant.market().currency().getCurrencyCode(),
        merchant.market().country(),
        merchant.channel(),
        Instant.ofEpochMilli(eventMillis),
        draft.deviceId());
    return new SimulatedTransaction(transaction, draft.pattern());
  }

  /** Settings of a simulation; every one has a default. */
  public static final class Builder {

    private long seed = 42;
    private Long populationSeed;
    private int customers = DEFAULT_CUSTOMERS;
    private int merchants = 300;
    private double fraudRate = 0.02;
    private Instant start = Instant.parse("2025-01-06T00:00:00Z");
    private Duration meanInterArrival = DEFAULT_MEAN_INTER_ARRIVAL;
    private Duration maxOutOfOrderness = Duration.ZERO;
    private boolean drift;
    private long driftAt = -1;

    private Builder() {}

    /**
     * Customers, merchants and cards as the simulator of {@code populationSeed} has them, while
     * {@link #seed} drives the transactions: the same bank's customers on another day. Default: the
     * population of {@link #seed}.
     */
    public Builder populationSeed(long populationSeed) {
      this.populationSeed = populationSeed;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Customers, each with one or two cards. Default 2,000. */
    public Builder customers(int customers) {
      if (customers < 1) {
        throw new IllegalArgumentException("customers must be positive: " + customers);
      }
      this.customers = customers;
      return this;
    }

    /** Merchants in the regular markets, at least {@link Population#MINIMUM_MERCHANTS}. Default 300. */
    public Builder merchants(int merchants) {
      if (merchants < Population.MINIMUM_MERCHANTS) {
        throw new IllegalArgumentException(
            "merchants must be at least " + Population.MINIMUM_MERCHANTS + ": " + merchants);
      }
      this.merchants = merchants;
      return this;
    }

    /** Share of fraudulent transactions, in [0, 0.5]. Default 0.02. */
    public Builder fraudRate(double fraudRate) {
      if (!(fraudRate >= 0 && fraudRate <= 0.5)) {
        throw new IllegalArgumentException("fraudRate must be in [0, 0.5]: " + fraudRate);
      }
      this.fraudRate = fraudRate;
      return this;
    }

    /** Simulated time of the first arrival. Default 2025-01-06T00:00:00Z. */
    public Builder start(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** Mean simulated time between arrivals. Default {@link TransactionSimulator#DEFAULT_MEAN_INTER_ARRIVAL}. */
    public Builder meanInterArrival(Duration meanInterArrival) {
      if (meanInterArrival.isNegative() || meanInterArrival.isZero()) {
        throw new IllegalArgumentException("meanInterArrival must be positive: " + meanInterArrival);
      }
      this.meanInterArrival = meanInterArrival;
      return this;
    }

    /** Moves each event time back by up to this much, to exercise watermarks. Default zero: in order. */
    public Builder maxOutOfOrderness(Duration maxOutOfOrderness) {
      if (maxOutOfOrderness.isNegative()) {
        throw new IllegalArgumentException("maxOutOfOrderness must not be negative: " + maxOutOfOrderness);
      }
      this.maxOutOfOrderness = maxOutOfOrderness;
      return this;
    }

    /**
     * Whether to start drifted. The drifted regime: trips are more frequent and go mostly to the
     * emerging markets (TH, TR), whose merchants trade only under drift; at home, card holders
     * spend 15% at those markets' merchants, 15% at online shops and 10% at high-risk categories
     * (electronics, jewellery, quasi-cash), so countries, channels and the merchant category mix all
     * shift; legitimate amounts grow by 35%, and account takeover and night-time cash-out spend
     * {@value FraudScenario#DRIFT_AMOUNT_FACTOR} times as much. Default false.
     */
    public Builder drift(boolean drift) {
      this.drift = drift;
      return this;
    }

    /**
     * Switches to the drifted regime (see {@link #drift(boolean)}) once {@code transactions} have
     * been emitted: those are exactly what a simulator without drift emits, and every arrival from
     * then on is drifted (fraud episodes already under way play out as planned). Default: never.
     */
    public Builder driftAt(long transactions) {
      if (transactions < 0) {
        throw new IllegalArgumentException("driftAt must not be negative: " + transactions);
      }
      this.driftAt = transactions;
      return this;
    }

    public TransactionSimulator build() {
      return new TransactionSimulator(this);
    }
  }
}
