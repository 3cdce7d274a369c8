package dev.riskstream.local.recovery;

import static dev.riskstream.local.recovery.PipelineRuns.assertDecidedAlike;
import static dev.riskstream.local.recovery.PipelineRuns.awaitDecisions;
import static dev.riskstream.local.recovery.PipelineRuns.createTopics;
import static dev.riskstream.local.recovery.PipelineRuns.decideStraightThrough;
import static dev.riskstream.local.recovery.PipelineRuns.feedRecords;
import static dev.riskstream.local.recovery.PipelineRuns.miniCluster;
import static dev.riskstream.local.recovery.PipelineRuns.reader;
import static dev.riskstream.local.recovery.PipelineRuns.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.JobConfig;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.recovery.PipelineRuns.KeyedRecord;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State written by earlier releases restores in this build: each folder under
 * {@link #SAVEPOINTS} holds a savepoint of the whole Kafka pipeline (the job's real operators and
 * uids), written by the release the folder is named after, with the transactions it had decided
 * before the savepoint and those to feed after it, as the Kafka records that release's producer
 * wrote. This build restores each, decides the later transactions, and must decide them as a run
 * of this build over all the transactions does (same score and reasons, so each card's velocity,
 * amount and novelty features went on from the saved history), and must still know the
 * transactionIds seen before the savepoint: one of them sent again is a DUPLICATE dead letter.
 * Releases before {@value #FIRST_RELEASE_WITH_IDS_PER_CARD} kept those ids in an operator of their
 * own, keyed by transactionId, whose state the card-keyed operator that de-duplicates now cannot
 * take over (the ids do not say their card): their savepoints restore with that state left
 * unclaimed, as an upgrade with {@code --allowNonRestoredState} does, and the repeat is decided.
 *
 * <p>The restore runs on a broker that never saw the savepoint's run, as an upgrade onto a new
 * environment would. Two things make that work. The transactions topic gets the earlier records
 * again first: keyed alike into as many partitions, they take the same offsets, so the source
 * resumes from its saved offsets exactly behind them (a source that read them again would decide
 * none, the de-duplication would turn each into a dead letter, and the test counts those). And
 * the exactly-once sinks' committables: a savepoint holds those of its own checkpoint, and a job
 * restored from it commits them again, by transactional id, producer id and epoch, which only the
 * broker that opened those transactions knows. So the savepoint is taken with stop-with-savepoint
 * only after the job's output has settled (every decision committed, and two checkpoints more): the
 * sinks then have no records in their open transactions, which the Kafka sink does not turn into
 * committables, and the savepoint holds none. The sinks stay exactly-once, as in production, and the
 * writer restores the savepoint it wrote the same way and deletes it unless that passes, so one
 * that needs the old broker is never checked in.
 *
 * <p>A release adds its savepoint with
 * {@code mvn -B -o verify -pl local-stack -am -Dit.test=SavepointUpgradeITCase
 * -Driskstream.savepoint.release=NAME -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}, run from the repository
 * root, which writes {@code local-stack/src/test/resources/savepoints/NAME} (see docs/operations.md, Savepoints of
 * earlier releases).
 */
class SavepointUpgradeITCase {

  static final Path SAVEPOINTS = Path.of("src/test/resources/savepoints");
  /** Names the release whose savepoint the disabled-by-default writer adds. */
  static final String RELEASE_PROPERTY = "riskstream.savepoint.release";
  static final String SAVEPOINT = "savepoint";
  static final String BEFORE = "before-savepoint.records";
  static final String AFTER = "after-savepoint.records";
  /** The savepoint's run: its topics, group and transactional ids. */
  static final String RUN = "upgrade";
  static final int BEFORE_COUNT = 240;
  static final int AFTER_COUNT = 120;
  static final String FIRST_RELEASE_WITH_IDS_PER_CARD = "2026-12-06";

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkedInSavepoints")
  @Timeout(240)
  void aSavepointOfAnEarlierReleaseRestoresWithItsCardsFeaturesAndSeenTransactionIds(Path release)
      throws Exception {
    restoreAndContinue(release);
  }

  @Test
  @EnabledIfSystemProperty(named = RELEASE_PROPERTY, matches = "[A-Za-z0-9._-]+")
  @Timeout(300)
  void writesTheSavepointOfThisBuildForTheNamedRelease() throws Exception {
    Path release = SAVEPOINTS.resolve(System.getProperty(RELEASE_PROPERTY));
    assertThat(release).as("a release writes its savepoint once").doesNotExist();
    List<Transaction> traffic = traffic();
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    List<KeyedRecord> before = traffic.subList(0, BEFORE_COUNT).stream().map(tx -> KeyedRecord.of(tx, codec)).toList();
    List<KeyedRecord> after = traffic.subList(BEFORE_COUNT, traffic.size()).stream()
        .map(tx -> KeyedRecord.of(tx, codec)).toList();

    String written;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0);
        MiniCluster cluster = miniCluster(1)) {
      cluster.start();
      JobConfig config = RunConfig.of(broker, RUN);
      createTopics(broker, config);
      feedRecords(broker, config, before);
      JobID job = submit(cluster, config, 1, Optional.empty());
      try (KafkaConsumer<byte[], byte[]> decisions = reader(broker, config, config.decisionsTopic())) {
        awaitDecisions(decisions, ids(before));
      }
      Files.createDirectories(release);
      written = cluster.stopWithSavepoint(job, release.toAbsolutePath().toUri().toString(), false,
          SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
    }
    // savepoints refer to their files relative to _metadata, so the folder moves as a whole
    Files.move(Path.of(URI.create(written).getPath()), release.resolve(SAVEPOINT));
    writeRecords(release.resolve(BEFORE), before);
    writeRecords(release.resolve(AFTER), after);
    try {
      restoreAndContinue(release);
    } catch (Exception | AssertionError e) {
      // one that does not restore must not be checked in by mistake
      try (Stream<Path> files = Files.walk(release)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
      throw e;
    }
  }

  static Stream<Path> checkedInSavepoints() throws IOException {
    try (Stream<Path> releases = Files.list(SAVEPOINTS)) {
      return releases.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  private static void restoreAndContinue(Path release) throws Exception {
    List<KeyedRecord> before = readRecords(release.resolve(BEFORE));
    List<KeyedRecord> after = readRecords(release.resolve(AFTER));
    KeyedRecord repeated = before.get(before.size() / 2);
    String repeatedId = transactionId(repeated);
    List<KeyedRecord> all = new ArrayList<>(before);
    all.addAll(after);

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0);
        MiniCluster cluster = miniCluster(1)) {
      cluster.start();

      Map<String, Decision> expected = decideStraightThrough(cluster, broker, all, ids(all));

      JobConfig restored = RunConfig.of(broker, RUN);
      createTopics(broker, restored);
      feedRecords(broker, restored, before);
      List<KeyedRecord> later = new ArrayList<>(after);
      later.add(repeated);
      feedRecords(broker, restored, later);
      boolean idsCarriedOver = release.getFileName().toString().compareTo(FIRST_RELEASE_WITH_IDS_PER_CARD) >= 0;
      // the release's savepoint stays as it is (NO_CLAIM), and this run keeps no state changelog
      JobID job = submit(cluster, restored, 1, Optional.of(release.resolve(SAVEPOINT).toAbsolutePath().toUri().toString()),
          !idsCarriedOver, RecoveryClaimMode.NO_CLAIM);
      Set<String> decidedAfter = new HashSet<>(ids(after));
      if (!idsCarriedOver) {
        decidedAfter.add(repeatedId);
      }
      Map<String, Decision> actual;
      try (KafkaConsumer<byte[], byte[]> decisions = reader(broker, restored, restored.decisionsTopic())) {
        actual = awaitDecisions(decisions, decidedAfter);
      }
      List<DeadLetter> deadLetters = idsCarriedOver ? awaitDeadLetter(broker, restored) : List.of();
      cluster.cancelJob(job).get();

      assertThat(actual.keySet()).as("decisions after the restore: the later transactions, none before")
          .isEqualTo(decidedAfter);
      assertDecidedAlike(actual, expected, ids(after));
      if (idsCarriedOver) {
        assertThat(deadLetters).as("the only dead letter: %s sent again", repeatedId).singleElement()
            .satisfies(letter -> {
              assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DUPLICATE);
              assertThat(letter.getErrorMessage().toString()).contains(repeatedId);
            });
      }
      assertThat(cardsOf(after).stream().filter(cardsOf(before)::contains).count())
          .as("cards of the later transactions with history in the savepoint").isGreaterThanOrEqualTo(20);
    }
  }

  /** Reads the restored run's dead letters until the DUPLICATE one is there, and a second more. */
  private static List<DeadLetter> awaitDeadLetter(EmbeddedKafkaBroker broker, JobConfig config) throws Exception {
    AvroCodec<DeadLetter> codec = AvroCodec.of(DeadLetter.class);
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> reader = reader(broker, config, config.deadLettersTopic())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long settledAt = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settledAt)) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
          letters.add(codec.decode(record.value()));
        }
        if (!letters.isEmpty() && settledAt == Long.MAX_VALUE) {
          settledAt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        }
      }
    }
    return letters;
  }

  /** A few dozen customers, so that the cards of the later transactions have history in the savepoint. */
  private static List<Transaction> traffic() {
    TransactionSimulator simulator = TransactionSimulator.builder().seed(17).customers(40)
        .start(Instant.parse("2026-05-01T00:00:00Z")).build();
    return Stream.generate(() -> simulator.next().transaction()).limit(BEFORE_COUNT + AFTER_COUNT).toList();
  }

  private static Transaction decode(KeyedRecord record) {
    try {
      return AvroCodec.of(Transaction.class).decode(record.value());
    } catch (DecodeException e) {
      throw new IllegalStateException("This build cannot read a transaction an earlier release wrote", e);
    }
  }

  private static String transactionId(KeyedRecord record) {
    return decode(record).getTransactionId();
  }

  private static Set<String> ids(List<KeyedRecord> records) {
    return records.stream().map(SavepointUpgradeITCase::transactionId).collect(Collectors.toSet());
  }

  private static Set<String> cardsOf(List<KeyedRecord> records) {
    Set<String> cards = new HashSet<>();
    records.forEach(record -> cards.add(decode(record).getCardNumber()));
    return cards;
  }

  /** One record a line: key and value in base64, as the release's producer wrote them. */
  private static void writeRecords(Path file, List<KeyedRecord> records) throws IOException {
    Base64.Encoder base64 = Base64.getEncoder();
    Files.write(file, records.stream()
        .map(record -> base64.encodeToString(record.key()) + " " + base64.encodeToString(record.value()))
        .toList());
  }

  private static List<KeyedRecord> readRecords(Path file) throws IOException {
    Base64.Decoder base64 = Base64.getDecoder();
    return Files.readAllLines(file).stream()
        .map(line -> line.split(" "))
        .map(parts -> new KeyedRecord(base64.decode(parts[0]), base64.decode(parts[1])))
        .toList();
  }
}
