package dev.riskstream.local.retraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.job.CollectingSink;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.LookupOptions;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.TestData;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.cli.RiskstreamCli;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.lookup.ProfileSeeder;
import dev.riskstream.local.simulator.SimulatedTransaction;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.CliRun;
import dev.riskstream.ops.LookupMigrations;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.training.ExportedRows;
import dev.riskstream.training.Retraining;
import dev.riskstream.training.RetrainingJob;
import dev.riskstream.training.RetrainingNotPublishedException;
import dev.riskstream.training.RetrainingReport;
import dev.riskstream.training.RetrainingService;
import dev.riskstream.training.RetrainingSettings;
import dev.riskstream.training.ScheduledRetraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Retraining over real inputs: the streaming job scores simulated traffic, undrifted and then drifted,
 * on a MiniCluster with the profile lookup and writes its feature log; the labels go to the labels
 * topic of an embedded broker. A retraining on the drifted part beats the baseline there and is
 * published and announced; one on the undrifted part does not, and is rejected. The service answers
 * the requests on the retrain-requests topic.
 */
class RetrainingITCase {

  private static final int UNDRIFTED = 7_000;
  private static final int DRIFTED = 7_000;
  private static final String LOOKUP_URL = "jdbc:h2:mem:riskstream-retraining;DB_CLOSE_DELAY=-1;MODE=PostgreSQL";

  @TempDir static Path work;
  private static EmbeddedKafkaBroker broker;
  private static Instant start;
  private static Instant driftStart;
  private static RetrainingSettings settings;
  private static Map<String, String> retrainingSettings;

  @BeforeAll
  static void scoreAndLabelTraffic() throws Exception {
    broker = EmbeddedKafkaBroker.startTemporary(0);
    broker.createTopics(Map.of(TopicOptions.LABELS.defaultValue(), 2, TopicOptions.MODEL_UPDATES.defaultValue(), 1));
    TransactionSimulator simulator = TransactionSimulator.builder().seed(42).populationSeed(7)
        .start(Instant.parse("2026-02-02T00:00:00Z")).driftAt(UNDRIFTED).build();
    LookupMigrations.migrate(LOOKUP_URL, ProfileSeeder.EMBEDDED_USER, "");
    ProfileSeeder.seed(LOOKUP_URL, ProfileSeeder.EMBEDDED_USER, "", simulator.population());
    List<SimulatedTransaction> traffic = simulator.stream(UNDRIFTED + DRIFTED).toList();
    start = traffic.get(0).transaction().getEventTime();
    driftStart = traffic.get(UNDRIFTED).transaction().getEventTime();

    Path featureLog = work.resolve("feature-log");
    JobConfig config = TestJobSettings.config(Map.of(
        DeliveryOptions.CHECKPOINT_INTERVAL.key(), "1 s",
        LookupOptions.JDBC_URL.key(), LOOKUP_URL,
        LookupOptions.USERNAME.key(), ProfileSeeder.EMBEDDED_USER,
        FeatureLogOptions.PATH.key(), featureLog.toUri().toString()));
    List<RawRecord> input = new ArrayList<>();
    for (SimulatedTransaction simulated : traffic) {
      input.add(TestData.raw(input.size(), simulated.transaction()));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
    // one subtask each: cards' transactions arrive in the simulator's order, as a topic keyed by
    // customer delivers them; more parsing subtasks behind the collection source would interleave
    // them, and the baseline would be served features of an order it was not trained on
    env.setParallelism(1);
    RiskstreamJob.build(RiskstreamJob.parsed(env.fromData(input, TypeInformation.of(RawRecord.class)), config),
        new CollectingSink<>(),
        new CollectingSink<>(), Optional.empty(),
        new RiskstreamJob.MonitoringSinks(new CollectingSink<>(), new CollectingSink<>()), Optional.empty(), config);
    env.execute("riskstream-retraining-itcase");

    AvroCodec<FraudLabel> labels = AvroCodec.of(FraudLabel.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (SimulatedTransaction simulated : traffic) {
        String id = simulated.transaction().getTransactionId();
        producer.send(new ProducerRecord<>(TopicOptions.LABELS.defaultValue(), id.getBytes(StandardCharsets.UTF_8),
            labels.encode(new FraudLabel(id, simulated.fraud(), simulated.transaction().getEventTime().plusSeconds(3600),
                "test"))));
      }
    }

    retrainingSettings = Map.of(
        KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
        FeatureLogOptions.PATH.key(), featureLog.toUri().toString(),
        ModelOptions.REGISTRY.key(), work.resolve("registry").toString(),
        ModelOptions.BUNDLE.key(), TestData.BASELINE_BUNDLE.toString(),
        RetrainingSettings.REPORTS.key(), work.resolve("retraining").toString());
    settings = RetrainingSettings.fromMap(retrainingSettings);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aCandidateTrainedOnDriftedTrafficBeatsTheBaselineThereAndIsPublishedAndAnnounced() throws Exception {
    RetrainingReport report = retraining(Instant.parse("2026-06-01T00:00:00Z"))
        .run(request(), driftStart, Instant.ofEpochMilli(Long.MAX_VALUE));

    assertThat(report.outcome()).as(report.detail()).isEqualTo(RetrainingReport.Outcome.PUBLISHED);
    assertThat(report.loggedDecisions()).isEqualTo(DRIFTED);
    assertThat(report.labelledRows()).isEqualTo(DRIFTED);
    assertThat(report.candidate().rocAuc()).isGreaterThan(report.champion().rocAuc());
    assertThat(report.checks()).allSatisfy(check -> assertThat(check.passed()).isTrue());
    ModelBundle published = settings.registry().load(report.candidateVersion());
    assertThat(published.manifest().training().trainRows() + published.manifest().training().testRows())
        .isEqualTo(DRIFTED);
    List<ModelUpdate> announced = announcements().stream()
        .filter(update -> update.getModelVersion().equals(report.candidateVersion())).toList();
    assertThat(announced).as("into shadow, as rollout.policy MANUAL has it").singleElement().satisfies(update -> {
      assertThat(update.getAction()).isEqualTo(ModelUpdateAction.SHADOW);
      assertThat(update.getModelSha256()).isEqualTo(published.manifest().modelSha256());
    });
    assertThat(report.detail()).startsWith("in shadow (rollout.policy MANUAL), announced at model-updates/");
    assertThat(work.resolve("retraining").resolve(report.candidateVersion()).resolve("report.json")).isRegularFile();
  }

  @Test
  void aCandidateThatRanksNoBetterThanTheBaselineOnUndriftedTrafficIsRejectedWithTheEvidence() throws Exception {
    RetrainingReport report = retraining(Instant.parse("2026-06-02T00:00:00Z")).run(request(), start, driftStart);

    assertThat(report.outcome()).isEqualTo(RetrainingReport.Outcome.REJECTED);
    assertThat(report.loggedDecisions()).isEqualTo(UNDRIFTED);
    assertThat(report.candidate().rocAuc()).isLessThanOrEqualTo(report.champion().rocAuc());
    assertThat(report.detail()).contains("roc_auc");
    assertThat(settings.registry().versions()).doesNotContain(report.candidateVersion());
    assertThat(announcements()).noneMatch(update -> update.getModelVersion().equals(report.candidateVersion()));
    Path reportFile = work.resolve("retraining").resolve(report.candidateVersion()).resolve("report.json");
    assertThat(Files.readString(reportFile)).contains("REJECTED", "roc_auc");
    assertThat(reportFile.resolveSibling("bundle").resolve(ModelBundle.MODEL_FILE)).as("kept for inspection").isRegularFile();
  }

  @Test
  void theServiceAnswersARequestFromTheTopicOnceAndSkipsWhatItCannotReadOrHasAlreadyReplaced() throws Exception {
    String topic = TopicOptions.RETRAIN_REQUESTS.defaultValue();
    broker.createTopics(Map.of(topic, 1));
    AvroCodec<RetrainRequest> codec = AvroCodec.of(RetrainRequest.class);
    RetrainRequest first = request();
    RetrainRequest later = RetrainRequest.newBuilder(first).setRequestId("baseline-1@later").build();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, "not a request".getBytes(StandardCharsets.UTF_8)));
      producer.send(new ProducerRecord<>(topic, codec.encode(first)));
      producer.send(new ProducerRecord<>(topic, codec.encode(later)));
    }

    try (RetrainingService service = RetrainingService.start(settings, retraining(Instant.parse("2026-06-03T00:00:00Z")))) {
      await("every request committed, the unreadable one too").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500)).until(RetrainingITCase::committedRequests, committed -> committed >= 3);
      assertThat(committedRequests()).as("every request committed, the unreadable one too").isEqualTo(3);
      assertThat(service.reports()).singleElement().satisfies(report -> {
        assertThat(report.requestId()).isEqualTo(first.getRequestId());
        assertThat(report.outcome()).isEqualTo(RetrainingReport.Outcome.PUBLISHED);
        assertThat(report.from()).as("from the request's evidence").isEqualTo(driftStart.toString());
      });
    }
  }

  /**
   * What a CronJob runs: ScheduledRetraining's main finds the deciding model on model-updates (the
   * latest ACTIVATE or ROLLBACK; before any, the initial bundle's) and requests a SCHEDULED retraining
   * of it on the retrain-requests topic, which the service answers like any other request.
   */
  @Test
  void aScheduledRequestNamesTheDecidingModelAndThePeriodBeforeTheLabelLag() throws Exception {
    String updates = "scheduled-model-updates";
    String requests = "scheduled-retrain-requests";
    broker.createTopics(Map.of(updates, 1, requests, 1));
    List<String> args = new ArrayList<>();
    retrainingSettings.forEach((key, value) -> args.addAll(List.of("--" + key, value)));
    args.addAll(List.of("--" + TopicOptions.MODEL_UPDATES.key(), updates, "--" + TopicOptions.RETRAIN_REQUESTS.key(),
        requests, "--" + RetrainingSettings.SCHEDULE.key(), "7 d", "--" + RetrainingSettings.LABEL_LAG.key(), "3 d"));

    Instant before = Instant.now();
    ScheduledRetraining.main(args.toArray(String[]::new));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka(), new ByteArraySerializer(), new ByteArraySerializer())) {
      AvroCodec<ModelUpdate> codec = AvroCodec.of(ModelUpdate.class);
      producer.send(new ProducerRecord<>(updates, "ACTIVATE".getBytes(StandardCharsets.UTF_8), codec.encode(
          new ModelUpdate("retrained-2", ModelUpdateAction.ACTIVATE, "sha", before.minusSeconds(60), null))));
      producer.send(new ProducerRecord<>(updates, "ROLLBACK".getBytes(StandardCharsets.UTF_8), codec.encode(
          new ModelUpdate("retrained-1", ModelUpdateAction.ROLLBACK, "sha", before.minusSeconds(30), null))));
      producer.send(new ProducerRecord<>(updates, "SHADOW".getBytes(StandardCharsets.UTF_8), codec.encode(
          new ModelUpdate("retrained-3", ModelUpdateAction.SHADOW, "sha", before, null))));
    }
    ScheduledRetraining.main(args.toArray(String[]::new));

    List<RetrainRequest> sent = records(requests, RetrainRequest.class);
    assertThat(sent).extracting(RetrainRequest::getModelVersion)
        .as("the initial bundle's before any activation, then the version rolled back to last")
        .containsExactly("baseline-1", "retrained-1");
    assertThat(sent).allSatisfy(request -> {
      assertThat(request.getReason()).isEqualTo(RetrainReason.SCHEDULED);
      assertThat(request.getEvidence()).singleElement().satisfies(window -> {
        assertThat(Duration.between(window.getWindowStart(), window.getWindowEnd())).isEqualTo(Duration.ofDays(7));
        assertThat(window.getWindowEnd()).isBetween(before.minus(Duration.ofDays(3)), Instant.now().minus(Duration.ofDays(3)));
      });
    });
  }

  /**
   * The service's own cadence: every retraining.schedule it requests a SCHEDULED retraining of the
   * deciding model through the topic, and answers it in turn (here one that finds nothing logged in
   * the last period, and says so).
   */
  @Test
  void theServiceRequestsAScheduledRetrainingEveryPeriodAndAnswersIt() throws Exception {
    broker.createTopics(Map.of("cadence-retrain-requests", 1, "cadence-model-updates", 1));
    Map<String, String> cadence = new HashMap<>(retrainingSettings);
    cadence.put(TopicOptions.RETRAIN_REQUESTS.key(), "cadence-retrain-requests");
    cadence.put(TopicOptions.MODEL_UPDATES.key(), "cadence-model-updates");
    cadence.put(RetrainingSettings.GROUP_ID.key(), "cadence");
    cadence.put(RetrainingSettings.SCHEDULE.key(), "2 s");
    cadence.put(RetrainingSettings.LABEL_LAG.key(), "0 s");
    RetrainingSettings scheduled = RetrainingSettings.fromMap(cadence);

    try (RetrainingService service = RetrainingService.start(scheduled,
        new Retraining(scheduled, StreamExecutionEnvironment::getExecutionEnvironment, Clock.systemUTC()))) {
      await("a scheduled request answered").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
          .until(() -> !service.reports().isEmpty());
      assertThat(service.reports().get(0)).satisfies(report -> {
        assertThat(report.reason()).isEqualTo(RetrainReason.SCHEDULED.name());
        assertThat(report.championVersion()).as("no activation yet: the initial bundle's").isEqualTo("baseline-1");
        assertThat(report.outcome()).as("nothing was logged in the last two seconds")
            .isEqualTo(RetrainingReport.Outcome.FAILED);
      });
    }
  }

  /**
   * As a Flink application (application mode), a retraining whose candidate is rejected fails its
   * main with the report's path rather than exiting the JVM, which would take the JobManager down.
   */
  @Test
  void asAFlinkApplicationARejectedRetrainingFailsNamingItsReport() {
    assertThatThrownBy(() -> RetrainingJob.main(arguments(start, driftStart)))
        .isInstanceOf(RetrainingNotPublishedException.class)
        .hasMessageContaining("the gate rejected the candidate")
        .satisfies(rejected -> {
          Matcher report = Pattern.compile("report: (\\S+)$").matcher(rejected.getMessage());
          assertThat(report.find()).as(rejected.getMessage()).isTrue();
          assertThat(Files.readString(Path.of(report.group(1)))).contains("REJECTED");
        });
  }

  @Test
  void theRetrainCommandExitsTwoWhenTheGateRejectsAndOneOnAnUnknownSetting() {
    assertThat(new CommandLine(new RiskstreamCli()).execute(
        Stream.concat(Stream.of("retrain"), Arrays.stream(arguments(start, driftStart))).toArray(String[]::new)))
        .isEqualTo(2);
    assertThat(new CommandLine(new RiskstreamCli()).execute("retrain", "--champion", "baseline-1", "--from",
        start.toString(), "--retraining.max-auc-los", "0.01")).isEqualTo(1);
  }

  @Test
  void theFeaturesExportCommandWritesTheLabelledDecisionsOfARangeFromTheLogAndTheLabelsTopic() throws Exception {
    Path out = work.resolve("export");
    CliRun run = CliRun.of(new RiskstreamCli(), "features", "export", "--bootstrap-servers", broker.bootstrapServers(),
        "--feature-log", work.resolve("feature-log").toUri().toString(), "--from", start.toString(),
        "--to", driftStart.toString(), "--out", out.toString());
    CliRun again = CliRun.of(new RiskstreamCli(), "features", "export", "--bootstrap-servers",
        broker.bootstrapServers(), "--feature-log", work.resolve("feature-log").toUri().toString(), "--from",
        start.toString(), "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("exported " + UNDRIFTED + " rows");
    assertThat(ExportedRows.labelled(out)).hasSize(UNDRIFTED);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains(out + " exists");
  }

  /** RetrainingJob's arguments for a retraining of the baseline on {@code [from, to)}, with this test's settings. */
  private static String[] arguments(Instant from, Instant to) {
    List<String> args = new ArrayList<>(List.of("--champion", "baseline-1", "--from", from.toString(), "--to", to.toString()));
    retrainingSettings.forEach((key, value) -> args.addAll(List.of("--" + key, value)));
    return args.toArray(String[]::new);
  }

  private static long committedRequests() throws Exception {
    try (Admin admin = Admin.create(kafka())) {
      var offsets = admin.listConsumerGroupOffsets(settings.groupId()).partitionsToOffsetAndMetadata().get();
      return offsets.values().stream().mapToLong(offset -> offset.offset()).sum();
    }
  }

  private static Retraining retraining(Instant now) {
    return new Retraining(settings, StreamExecutionEnvironment::getExecutionEnvironment, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static RetrainRequest request() {
    RetrainEvidence evidence = new RetrainEvidence(driftStart, driftStart.plus(Duration.ofDays(1)), "all", "country",
        "psi", 0.9, 0.25);
    return new RetrainRequest("baseline-1@test", "baseline-1", RetrainReason.DRIFT, 3, List.of(evidence), Instant.now());
  }

  private static List<ModelUpdate> announcements() throws Exception {
    return records(TopicOptions.MODEL_UPDATES.defaultValue(), ModelUpdate.class);
  }

  /** Every record of partition 0 of {@code topic}, decoded. */
  private static <T extends SpecificRecord> List<T> records(String topic, Class<T> type) throws Exception {
    AvroCodec<T> codec = AvroCodec.of(type);
    List<T> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          records.add(codec.decode(record.value()));
        }
      }
    }
    return records;
  }

  private static Properties kafka() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return props;
  }
}
