package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code riskstream demo} as a user runs it, on free ports, judged only by what it prints and serves. */
class DemoCommandITCase {

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private PrintStream originalOut;

  @BeforeEach
  void captureStdout() {
    originalOut = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStdout() {
    System.setOut(originalOut);
  }

  private String printed() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  private JsonNode summary() throws Exception {
    String line = printed().lines().filter(l -> l.startsWith("SUMMARY ")).findFirst().orElseThrow();
    return new ObjectMapper().readTree(line.substring("SUMMARY ".length()));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  @Timeout(240)
  void decidesEverySimulatedTransactionAndSummarises() throws Exception {
    int exit = new CommandLine(new RiskstreamCli()).execute(
        "demo", "--events", "800", "--rate", "400", "--kafka-port", "0", "--ui-port", "0",
        "--model", "../models/baseline", "--checkpoint-interval", "PT1S");

    assertThat(exit).as(printed()).isZero();
    JsonNode summary = summary();
    assertThat(summary.get("transactions").asLong()).isEqualTo(800);
    assertThat(summary.get("decisions").asLong()).isEqualTo(800);
    assertThat(summary.get("approve").asLong() + summary.get("review").asLong() + summary.get("decline").asLong())
        .isEqualTo(800);
    assertThat(summary.get("deadLetters").asLong()).isZero();
    assertThat(summary.get("modelVersion").asText()).isEqualTo("baseline-1");
    assertThat(summary.get("executionProvider").asText()).isEqualTo("cpu");
    // the embedded lookup database has most simulated profiles, and leaves some out on purpose
    assertThat(summary.get("lookupHits").asLong()).isPositive();
    assertThat(summary.get("lookupFallbacks").asLong()).isPositive();
    assertThat(summary.get("lookupHits").asLong() + summary.get("lookupFallbacks").asLong()).isEqualTo(800);
  }

  @Test
  @Timeout(240)
  void looksUpProfilesInTheLocalPostgres() throws Exception {
    String schema = PostgresSchema.create();
    try {
      int exit = new CommandLine(new RiskstreamCli()).execute(
          "demo", "--events", "800", "--rate", "400", "--kafka-port", "0", "--ui-port", "0",
          "--model", "../models/baseline", "--checkpoint-interval", "PT1S",
          "--lookup-jdbc-url", PostgresSchema.URL + "?currentSchema=" + schema,
          "--lookup-username", PostgresSchema.USER);

      assertThat(exit).as(printed()).isZero();
      JsonNode summary = summary();
      assertThat(summary.get("decisions").asLong()).isEqualTo(800);
      assertThat(summary.get("lookupHits").asLong()).isPositive();
      assertThat(summary.get("lookupHits").asLong() + summary.get("lookupFallbacks").asLong()).isEqualTo(800);
    } finally {
      PostgresSchema.drop(schema);
    }
  }

  @Test
  @Timeout(240)
  void faultInjectionUnreachableLookupDatabaseDecidesEverythingWithFallbacks() throws Exception {
    int exit = new CommandLine(new RiskstreamCli()).execute(
        "demo", "--events", "800", "--rate", "400", "--kafka-port", "0", "--ui-port", "0",
        "--model", "../models/baseline", "--checkpoint-interval", "PT1S",
        "--lookup-jdbc-url", "jdbc:postgresql://127.0.0.1:" + freePort() + "/test");

    assertThat(exit).as(printed()).isZero();
    JsonNode summary = summary();
    assertThat(summary.get("decisions").asLong()).isEqualTo(800);
    assertThat(summary.get("lookupHits").asLong()).isZero();
    assertThat(summary.get("lookupFallbacks").asLong()).isEqualTo(800);
  }

  @Test
  @Timeout(240)
  void withoutLookupEveryDecisionSaysNotConfigured() throws Exception {
    int exit = new CommandLine(new RiskstreamCli()).execute(
        "demo", "--events", "200", "--rate", "400", "--kafka-port", "0", "--ui-port", "0",
        "--model", "../models/baseline", "--checkpoint-interval", "PT1S", "--no-lookup");

    assertThat(exit).as(printed()).isZero();
    JsonNode summary = summary();
    assertThat(summary.get("decisions").asLong()).isEqualTo(200);
    assertThat(summary.get("lookupHits").asLong() + summary.get("lookupFallbacks").asLong()).isZero();
  }

  @Test
  @Timeout(240)
  void servesAnIndependentProducerAndShowsTheNamedOperatorsOnTheDashboard() throws Exception {
    int kafkaPort = freePort();
    int uiPort = freePort();
    int valid = 300;
    List<byte[]> garbage = List.of("hello".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x01, 7},
        new byte[0], "4111111111111111".getBytes(StandardCharsets.US_ASCII));
    ExecutorService demo = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> exit = demo.submit(() -> new CommandLine(new RiskstreamCli()).execute(
          "demo", "--no-simulator", "--events", String.valueOf(valid + garbage.size()),
          "--kafka-port", String.valueOf(kafkaPort), "--ui-port", String.valueOf(uiPort),
          "--model", "../models/baseline", "--checkpoint-interval", "PT1S"));
      awaitReady(exit);

      assertThat(operatorNames(uiPort)).anySatisfy(name -> assertThat(name)
          .contains("Parse and validate").contains("Kafka: transactions"))
          .anySatisfy(name -> assertThat(name).contains("Card features (keyed state)")
              .contains("Profile lookup (JDBC)").contains("ONNX scoring").contains("Decision policy").contains("Decisions: decisions"));

      AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
          Map.of("bootstrap.servers", "127.0.0.1:" + kafkaPort), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < valid; i++) {
          producer.send(new ProducerRecord<>("transactions", null, codec.encode(transaction(i))));
        }
        garbage.forEach(bytes -> producer.send(new ProducerRecord<>("transactions", null, bytes)));
      }

      assertThat(exit.get(180, TimeUnit.SECONDS)).as(printed()).isZero();
      JsonNode summary = summary();
      assertThat(summary.get("transactions").asLong()).isEqualTo(valid + garbage.size());
      assertThat(summary.get("decisions").asLong()).isEqualTo(valid);
      assertThat(summary.get("deadLetters").asLong()).isEqualTo(garbage.size());
    } finally {
      demo.shutdownNow();
    }
  }

  private void awaitReady(Future<Integer> exit) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!printed().lines().anyMatch("READY"::equals)) {
      assertThat(exit.isDone()).as("demo ended before READY: %s", printed()).isFalse();
      assertThat(System.nanoTime()).as("READY within 120 s").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** The names of the job's vertices, from the dashboard's REST API. */
  private static List<String> operatorNames(int uiPort) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    JsonNode jobs = json.readTree(http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + uiPort + "/jobs/overview")).build(), HttpResponse.BodyHandlers.ofString()).body());
    String jobId = jobs.get("jobs").get(0).get("jid").asText();
    JsonNode job = json.readTree(http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + uiPort + "/jobs/" + jobId)).build(), HttpResponse.BodyHandlers.ofString()).body());
    List<String> names = new ArrayList<>();
    job.get("vertices").forEach(vertex -> names.add(vertex.get("name").asText()));
    return names;
  }

  /** Built from the published schema alone, as any producer would. */
  private static Transaction transaction(int i) {
    return Transaction.newBuilder()
        .setTransactionId("external-" + i)
        .setCardNumber(String.valueOf(4_000_000_000_000_000L + (i % 37) * 7919L))
        .setCustomerId("customer-" + i % 37)
        .setMerchantId("merchant-" + i % 11)
        .setMerchantCategory("5812")
        .setMerchantName("مطعم " + i)
        .setAmountMinor(1_500 + i)
        .setCurrency("KWD")
        .setCountry("KW")
        .setChannel(Channel.POS)
        .setEventTime(Instant.now())
        .build();
  }
}
