package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Black box: an independent producer sends valid transactions, then garbage and adversarial records
 * (each class of bad input, PANs hidden in every field), then valid ones again to
 * {@code riskstream demo --no-simulator}. Every bad record becomes a dead letter with its reason,
 * every valid one a decision, the job never restarts and its offsets move past them all; and no PAN, in any common format, appears on
 * any topic but the input, in the dead-letter previews, or in what the process logged and printed.
 */
class BadInputDemoITCase {

  /** Known PANs of 12 to 19 digits; valid traffic cycles through them. */
  private static final List<String> PANS = List.of(
      "4539578763621486", "371449635398431", "6011000990139424", "4222222222222", "6304000000000000018",
      "424242424242");
  private static final int VALID_PER_PHASE = 60;

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final StringWriter logs = new StringWriter();
  private PrintStream originalOut;
  private PrintStream originalErr;
  private WriterAppender appender;

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    // every log event that reaches the root logger, and riskstream's own down to DEBUG
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build(),
        null, logs, "pan-scan", false, true);
    appender.start();
    context.getConfiguration().addAppender(appender);
    context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    Configurator.setLevel("dev.riskstream", Level.DEBUG);
    context.updateLoggers();
  }

  @AfterEach
  void restore() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender("pan-scan");
    Configurator.setLevel("dev.riskstream", Level.INFO);
    context.updateLoggers();
    appender.stop();
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  @Test
  @Timeout(300)
  void badInputBecomesDeadLettersWithReasonsWhileValidTrafficFlowsAndNoPanLeaks() throws Exception {
    int kafkaPort = freePort();
    int uiPort = freePort();
    String bootstrap = "127.0.0.1:" + kafkaPort;
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    Map<String, DeadLetterReason> bad = new LinkedHashMap<>();
    List<byte[]> badPayloads = new ArrayList<>();
    String pan = PANS.get(0);
    String spaced = pan.replaceAll("(\\d{4})(?=\\d)", "$1 ");
    String dashed = pan.replaceAll("(\\d{4})(?=\\d)", "$1-");
    byte[] validBytes = codec.encode(transaction(0, b -> b));
    addBad(bad, badPayloads, "text", ("card " + pan + " / " + spaced).getBytes(StandardCharsets.UTF_8),
        DeadLetterReason.NOT_AVRO);
    addBad(bad, badPayloads, "json", ("{\"cardNumber\":\"" + dashed + "\",\"amount\":NaN}").getBytes(StandardCharsets.UTF_8),
        DeadLetterReason.NOT_AVRO);
    addBad(bad, badPayloads, "truncated", Arrays.copyOf(validBytes, validBytes.length - 7), DeadLetterReason.CORRUPT_AVRO);
    byte[] otherFingerprint = validBytes.clone();
    otherFingerprint[3] ^= 0x21;
    addBad(bad, badPayloads, "fingerprint", otherFingerprint, DeadLetterReason.UNKNOWN_SCHEMA);
    addBad(bad, badPayloads, "empty", new byte[0], DeadLetterReason.EMPTY_PAYLOAD);
    addBad(bad, badPayloads, "tombstone", null, DeadLetterReason.EMPTY_PAYLOAD);
    addBad(bad, badPayloads, "negative", codec.encode(transaction(900, b -> b.setAmountMinor(-500))),
        DeadLetterReason.INVALID_FIELD);
    addBad(bad, badPayloads, "absurd", codec.encode(transaction(901, b -> b.setAmountMinor(Long.MAX_VALUE))),
        DeadLetterReason.INVALID_FIELD);
    addBad(bad, badPayloads, "pan in category", codec.encode(transaction(902, b -> b.setMerchantCategory(dashed))),
        DeadLetterReason.INVALID_FIELD);
    addBad(bad, badPayloads, "pan as country", codec.encode(transaction(903, b -> b.setCountry(pan))),
        DeadLetterReason.INVALID_FIELD);
    addBad(bad, badPayloads, "bad card, pans in name", codec.encode(transaction(904, b -> b.setCardNumber("x")
        .setMerchantName("\u202e" + spaced + " \uD83D\uDCB3 " + pan + "\u0000"))), DeadLetterReason.INVALID_FIELD);
    addBad(bad, badPayloads, "currency", codec.encode(transaction(905, b -> b.setCurrency("XXX"))),
        DeadLetterReason.UNKNOWN_CURRENCY);
    addBad(bad, badPayloads, "future", codec.encode(transaction(906, b -> b.setEventTime(Instant.now().plus(Duration.ofDays(40))))),
        DeadLetterReason.EVENT_TIME_OUT_OF_RANGE);
    addBad(bad, badPayloads, "oversize", codec.encode(transaction(907, b -> b.setMerchantName(pan + " ".repeat(20_000)))),
        DeadLetterReason.OVERSIZE);
    addBad(bad, badPayloads, "duplicate", validBytes, DeadLetterReason.DUPLICATE);
    List<String> unicodeNames = List.of("Cafe\u0301", "\u05de\u05e1\u05e2\u05d3\u05d4", "\uD83C\uDF55 Pizza", "a\u0000b");

    ExecutorService demo = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exit = demo.submit(() -> new CommandLine(new RiskstreamCli()).execute(
          "demo", "--no-simulator", "--no-lookup", "--kafka-port", String.valueOf(kafkaPort),
          "--ui-port", String.valueOf(uiPort), "--model", "../models/baseline", "--checkpoint-interval", "PT1S"));
      awaitReady(exit);

      List<String> validIds = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
          Map.of("bootstrap.servers", bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("transactions", null, validBytes));
        validIds.add("bad-input-0");
        for (int i = 1; i < VALID_PER_PHASE; i++) {
          int n = i;
          producer.send(new ProducerRecord<>("transactions", null, codec.encode(transaction(n, b -> b))));
          validIds.add("bad-input-" + n);
        }
        for (byte[] payload : badPayloads) {
          producer.send(new ProducerRecord<>("transactions", pan.getBytes(StandardCharsets.US_ASCII), payload));
        }
        for (int i = 0; i < unicodeNames.size(); i++) {
          String name = unicodeNames.get(i);
          producer.send(new ProducerRecord<>("transactions", null,
              codec.encode(transaction(500 + i, b -> b.setMerchantName(name)))));
          validIds.add("bad-input-" + (500 + i));
        }
        for (int i = VALID_PER_PHASE; i < 2 * VALID_PER_PHASE; i++) {
          int n = i;
          producer.send(new ProducerRecord<>("transactions", null, codec.encode(transaction(n, b -> b))));
          validIds.add("bad-input-" + n);
        }
      }

      List<Decision> decisions = new ArrayList<>();
      List<DeadLetter> deadLetters = new ArrayList<>();
      await("all decided").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
          .failFast(() -> assertThat(exit.isDone()).as("demo ended: %s", stderr.toString(StandardCharsets.UTF_8)).isFalse())
          .untilAsserted(() -> {
            replace(decisions, readAll(bootstrap, "decisions", "read_committed").stream()
                .map(r -> decode(Decision.class, r.value())).toList());
            replace(deadLetters, readAll(bootstrap, "transactions-dlq", "read_committed").stream()
                .map(r -> decode(DeadLetter.class, r.value())).toList());
            assertThat(decisions.size()).as("decisions").isGreaterThanOrEqualTo(validIds.size());
            assertThat(deadLetters.size()).as("dead letters").isGreaterThanOrEqualTo(bad.size());
          });
      assertThat(failures(uiPort)).as("the job never failed, so never restarted").isEmpty();
      awaitCommittedToTheEnd(bootstrap);

      assertThat(decisions).extracting(Decision::getTransactionId).containsExactlyInAnyOrderElementsOf(validIds);
      // one input partition keeps these in order, but duplicates are found downstream: any order
      assertThat(deadLetters).extracting(DeadLetter::getReason).containsExactlyInAnyOrderElementsOf(bad.values());
      assertThat(deadLetters).allSatisfy(letter -> assertThat(letter.getErrorMessage()).isNotBlank());

      // every topic but the input, aborted transactions included, then the logs and the console
      StringBuilder everythingElse = new StringBuilder();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        for (String topic : admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get()) {
          if (!topic.equals("transactions")) {
            for (ConsumerRecord<byte[], byte[]> record : readAll(bootstrap, topic, "read_uncommitted")) {
              everythingElse.append(latin1(record.key())).append('\n').append(latin1(record.value())).append('\n');
            }
          }
        }
      }
      deadLetters.forEach(letter -> everythingElse.append(letter.getPayloadPreview()).append('\n')
          .append(letter.getErrorMessage()).append('\n'));
      everythingElse.append(logs).append(stdout.toString(StandardCharsets.UTF_8))
          .append(stderr.toString(StandardCharsets.UTF_8));
      assertThat(logs.toString()).as("the log capture works").isNotEmpty();
      for (String known : PANS) {
        for (String form : List.of(known, known.replaceAll("(\\d{4})(?=\\d)", "$1 "),
            known.replaceAll("(\\d{4})(?=\\d)", "$1-"))) {
          assertThat(everythingElse.toString()).as("occurrences of a PAN outside the input topic").doesNotContain(form);
        }
      }
    } finally {
      // interrupted, the demo cancels its job and stops its broker: wait, so that nothing of it is
      // left running (and writing to a port a later test's broker may get) when the next test starts
      demo.shutdownNow();
      assertThat(demo.awaitTermination(90, TimeUnit.SECONDS)).as("the demo stopped").isTrue();
    }
  }

  private static void addBad(Map<String, DeadLetterReason> bad, List<byte[]> payloads, String what, byte[] payload,
      DeadLetterReason reason) {
    bad.put(what, reason);
    payloads.add(payload);
  }

  /** Built from the published schema alone, as any producer would; the PAN from the known ones. */
  private static Transaction transaction(int i, UnaryOperator<Transaction.Builder> change) {
    return change.apply(Transaction.newBuilder()
        .setTransactionId("bad-input-" + i)
        .setCardNumber(PANS.get(i % PANS.size()))
        .setCustomerId("customer-" + i % 13)
        .setMerchantId("merchant-" + i % 7)
        .setMerchantCategory("5812")
        .setMerchantName("Shop " + i)
        .setAmountMinor(2_500 + i)
        .setCurrency("EUR")
        .setCountry("DE")
        .setChannel(Channel.ECOM)
        .setEventTime(Instant.now())).build();
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T decode(Class<T> type, byte[] value) {
    try {
      return AvroCodec.of(type).decode(value);
    } catch (dev.riskstream.schemas.codec.DecodeException e) {
      throw new AssertionError("the job wrote a " + type.getSimpleName() + " that does not decode", e);
    }
  }

  private static String latin1(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, String isolation) {
    Map<String, Object> settings = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "isolation.level", isolation));
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read %s within 30 s", topic).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
          : Long.compare(a.offset(), b.offset()));
      return records;
    }
  }

  /** The source's offsets move on past the bad records: the group commits the end of every partition. */
  private static void awaitCommittedToTheEnd(String bootstrap) throws Exception {
    Map<TopicPartition, Long> end;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      end = consumer.endOffsets(consumer.partitionsFor("transactions").stream()
          .map(p -> new TopicPartition("transactions", p.partition())).toList());
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      await("offsets committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        Map<TopicPartition, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets("riskstream").partitionsToOffsetAndMetadata().get()
            .forEach((partition, offset) -> committed.put(partition, offset == null ? -1 : offset.offset()));
        // an empty partition has nothing to commit
        assertThat(end.entrySet().stream().allMatch(e -> e.getValue() == 0
            || committed.getOrDefault(e.getKey(), -1L) >= e.getValue()))
            .as("offsets committed to %s, are %s", end, committed).isTrue();
      });
    }
  }

  /** The failures the job has seen, from the dashboard's REST API: each would have restarted it. */
  private static JsonNode failures(int uiPort) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    JsonNode jobs = json.readTree(http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + uiPort + "/jobs/overview")).build(), HttpResponse.BodyHandlers.ofString()).body());
    String jobId = jobs.get("jobs").get(0).get("jid").asText();
    return json.readTree(http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + uiPort + "/jobs/" + jobId + "/exceptions")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).get("exceptionHistory").get("entries");
  }

  private void awaitReady(Future<Integer> exit) {
    await("READY").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .failFast(() -> assertThat(exit.isDone()).as("demo ended before READY: %s", stderr.toString(StandardCharsets.UTF_8))
            .isFalse())
        .until(() -> stdout.toString(StandardCharsets.UTF_8).lines().anyMatch("READY"::equals));
  }

  private static <T> void replace(List<T> list, List<T> by) {
    list.clear();
    list.addAll(by);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
