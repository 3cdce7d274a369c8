package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.operators.LookupDatabases;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Transaction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Batch inference decides as the streaming job does: the same events and model, the same decisions. */
class BatchScoringJobITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final int EVENTS = 3000;
  private static final int CARDS = 150;
  private static final int CUSTOMERS_WITH_PROFILE = 100;
  private static final int MERCHANTS = 40;
  private static String lookupUrl;

  @BeforeAll
  static void lookupDatabase() throws Exception {
    lookupUrl = LookupDatabases.h2();
    try (Connection connection = DriverManager.getConnection(lookupUrl, "sa", "");
        PreparedStatement customer = connection.prepareStatement("INSERT INTO customer_profile "
            + "(customer_id, segment, risk_tier, account_opened, home_country) VALUES (?, 'retail', ?, ?, 'DE')");
        PreparedStatement merchant = connection.prepareStatement("INSERT INTO merchant_profile "
            + "(merchant_id, category_group, risk_score, chargeback_rate, country) VALUES (?, 'retail', ?, ?, 'DE')")) {
      // customers beyond these have no profile: fallback features, lookupStatus MISS
      for (int c = 0; c < CUSTOMERS_WITH_PROFILE; c++) {
        customer.setString(1, "cust-" + c);
        customer.setInt(2, 1 + c % 5);
        customer.setObject(3, java.time.LocalDate.of(2015 + c % 10, 1 + c % 12, 1));
        customer.executeUpdate();
      }
      for (int m = 0; m < MERCHANTS; m++) {
        merchant.setString(1, "merchant-" + m);
        merchant.setFloat(2, m / (float) MERCHANTS);
        merchant.setFloat(3, m % 7 / 100f);
        merchant.executeUpdate();
      }
    }
  }

  private static JobConfig config(FeatureOrdering ordering) {
    return TestJobSettings.config(Map.of(
        DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1 s",
        FeatureOptions.ORDERING.key(), ordering.name(),
        // event-time ordering: no transaction is processed before the watermark passes it, however slowly
        // the machine runs
        FeatureOptions.MAX_WAIT.key(), "10 min",
        LookupOptions.JDBC_URL.key(), lookupUrl,
        LookupOptions.USERNAME.key(), "sa",
        // a lookup that times out falls back, and when it does depends on the machine's load, not the events
        LookupOptions.TIMEOUT.key(), "1 min"));
  }

  /**
   * A topic range: batch replays each card's transactions in offset order, as the streaming job
   * received them. The streaming run has one subtask per operator, so that its arrival order at the
   * card features is the input's order: with more, the collection source's records are spread over
   * the parsing subtasks, whose outputs interleave (a Kafka source's subtask parses what it reads).
   */
  @Test
  void replayedInArrivalOrderBatchMakesTheStreamingJobsDecisionsButForDecidedAt() throws Exception {
    JobConfig config = config(FeatureOrdering.ARRIVAL);
    assertSameDecisions(config, 1, BatchScoringJob.replayOrder(FeatureOrdering.ARRIVAL, config), FeatureOrdering.ARRIVAL);
  }

  /** Files: batch replays each card's transactions in event-time order, as event-time ordering streams them. */
  @Test
  void replayedInEventTimeOrderBatchMakesTheEventTimeOrderedJobsDecisionsButForDecidedAt() throws Exception {
    JobConfig config = config(FeatureOrdering.EVENT_TIME);
    assertSameDecisions(config, 2, RiskstreamJob.eventTime(config), FeatureOrdering.EVENT_TIME);
  }

  private static void assertSameDecisions(JobConfig config, int streamingParallelism,
      WatermarkStrategy<ParseResult> batchOrder, FeatureOrdering batchOrdering) throws Exception {
    Input input = input();

    CollectingSink<Decision> streamed = new CollectingSink<>();
    CollectingSink<DeadLetter> streamedDeadLetters = new CollectingSink<>();
    StreamExecutionEnvironment streaming = StreamExecutionEnvironment.getExecutionEnvironment(
        RiskstreamJob.runtimeSettings(config));
    streaming.setParallelism(streamingParallelism);
    RiskstreamJob.build(RiskstreamJob.parsed(streaming.fromData(input.records(), TypeInformation.of(RawRecord.class)),
        config), streamed,
        streamedDeadLetters, Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()), Optional.empty(), config);
    streaming.execute("streaming");

    CollectingSink<Decision> batched = new CollectingSink<>();
    CollectingSink<DeadLetter> batchedDeadLetters = new CollectingSink<>();
    StreamExecutionEnvironment batch = StreamExecutionEnvironment.getExecutionEnvironment(
        BatchScoringJob.runtimeSettings());
    assertThat(batch.getConfiguration().get(ExecutionOptions.RUNTIME_MODE)).isEqualTo(RuntimeExecutionMode.BATCH);
    batch.setParallelism(2);
    BatchScoringJob.build(RiskstreamJob.parsed(batch.fromData(input.records(), TypeInformation.of(RawRecord.class)),
        batchOrder, config), batched, batchedDeadLetters, Optional.empty(), batchOrdering, config);
    batch.execute("batch");

    Map<String, Decision> streamedById = withoutWallClockTimes(streamed.received());
    Map<String, Decision> batchedById = withoutWallClockTimes(batched.received());
    assertThat(streamedById).as("one streaming decision per valid transaction").hasSize(input.valid());
    assertThat(batchedById.keySet()).isEqualTo(streamedById.keySet());
    List<String> differing = streamedById.keySet().stream()
        .filter(id -> !streamedById.get(id).equals(batchedById.get(id))).sorted().toList();
    assertThat(differing).as("decisions that differ, e.g. %s streamed vs %s batched",
            differing.isEmpty() ? null : streamedById.get(differing.get(0)),
            differing.isEmpty() ? null : batchedById.get(differing.get(0)))
        .isEmpty();

    assertThat(reasons(batchedDeadLetters.received())).isEqualTo(reasons(streamedDeadLetters.received()))
        .containsOnlyKeys(DeadLetterReason.NOT_AVRO, DeadLetterReason.UNKNOWN_CURRENCY, DeadLetterReason.DUPLICATE);
    // what makes the comparison worth something: histories, lookups and outcomes of every kind
    assertThat(streamedById.values().stream().collect(Collectors.groupingBy(Decision::getCardToken,
        Collectors.counting())).values()).filteredOn(count -> count >= 10).hasSizeGreaterThan(CARDS / 2);
    assertThat(streamedById.values()).extracting(Decision::getLookupStatus)
        .contains(LookupStatus.HIT, LookupStatus.MISS);
    assertThat(streamedById.values().stream().map(Decision::getOutcome).distinct()).hasSizeGreaterThan(1);
    assertThat(streamedById.values().stream().map(Decision::getScore).distinct().count()).isGreaterThan(EVENTS / 2);
  }

  private static Map<String, Decision> withoutWallClockTimes(List<Decision> decisions) {
    return decisions.stream()
        .map(decision -> Decision.newBuilder(decision).setDecidedAt(Instant.EPOCH).setReceivedAt(null).build())
        .collect(Collectors.toMap(Decision::getTransactionId, Function.identity()));
  }

  private static Map<DeadLetterReason, Long> reasons(List<DeadLetter> letters) {
    return letters.stream().collect(Collectors.groupingBy(DeadLetter::getReason, Collectors.counting()));
  }

  record Input(List<RawRecord> records, int valid) {}

  /**
   * Transactions on {@value #CARDS} cards, about 10 s apart with pauses of hours (cards fall idle for
   * longer than their history is kept), with bursts of a few seconds on one card (some at the very
   * same millisecond), arrival order shuffled within the watermark's bound, and
   * bad records between them: not Avro, an unknown currency, a producer's retry.
   */
  private static Input input() {
    Random random = new Random(11);
    String[] categories = {"5411", "5812", "5999", "6011", "7995", "4829"};
    String[] currencies = {"EUR", "EUR", "EUR", "USD", "GBP"};
    String[] countries = {"DE", "DE", "DE", "FR", "US", "GB"};
    List<Transaction> transactions = new ArrayList<>();
    Instant time = TestData.START;
    while (transactions.size() < EVENTS) {
      int card = random.nextInt(CARDS);
      int burst = random.nextInt(20) == 0 ? 2 + random.nextInt(4) : 1;
      // mostly seconds apart; now and then a pause of hours, after which some cards' histories expire
      time = time.plusMillis(random.nextInt(400) == 0 ? 6 * 3_600_000 : random.nextInt(20_000));
      for (int b = 0; b < burst; b++) {
        transactions.add(Transaction.newBuilder()
            .setTransactionId("tx-" + transactions.size())
            .setCardNumber(String.format("4000%012d", card))
            .setCustomerId("cust-" + card)
            .setMerchantId("merchant-" + random.nextInt(MERCHANTS))
            .setMerchantCategory(categories[random.nextInt(categories.length)])
            .setMerchantName("Händler " + random.nextInt(MERCHANTS))
            .setAmountMinor(random.nextInt(10) == 0 ? 50_000 + random.nextInt(500_000) : 100 + random.nextInt(20_000))
            .setCurrency(currencies[random.nextInt(currencies.length)])
            .setCountry(countries[random.nextInt(countries.length)])
            .setChannel(Channel.values()[random.nextInt(Channel.values().length)])
            .setEventTime(time)
            .build());
        // some burst members share a millisecond
        time = time.plusMillis(random.nextInt(3) == 0 ? 0 : random.nextInt(3_000));
      }
    }
    // arrival out of event-time order, within watermark.max-out-of-orderness (5 s)
    for (int i = 1; i < transactions.size(); i++) {
      long apart = transactions.get(i).getEventTime().toEpochMilli()
          - transactions.get(i - 1).getEventTime().toEpochMilli();
      if (apart < 4_000 && random.nextBoolean()) {
        Collections.swap(transactions, i - 1, i);
      }
    }
    List<RawRecord> records = new ArrayList<>();
    int valid = 0;
    for (Transaction tx : transactions) {
      int i = records.size();
      if (i % 97 == 5) {
        records.add(TestData.raw(i, ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
      } else if (i % 89 == 7) {
        records.add(TestData.raw(i, Transaction.newBuilder(tx).setCurrency("QQQ").build()));
      } else {
        records.add(TestData.raw(i, tx));
        valid++;
        if (i % 83 == 3) {
          records.add(TestData.raw(i + 1, tx));
        }
      }
    }
    return new Input(records, valid);
  }
}
