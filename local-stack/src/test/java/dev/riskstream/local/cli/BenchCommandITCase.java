package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.ops.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code riskstream bench} at a small size, judged by whether its figures agree with each other and the run. */
class BenchCommandITCase {

  private static final int EVENTS = 20_000;
  private static final List<Integer> RATES = List.of(200, 400);
  private static final int LATENCY_SECONDS = 2;
  private static final int CARDS = 1_000;
  private static final Offset<Double> TOLERANCE = within(1e-9);

  @Test
  void everyRunHandlesEveryRecordAndTheFiguresAgree(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench.json");
    Path samples = dir.resolve("samples");

    CliRun run = CliRun.of(new RiskstreamCli(), "bench", "--events", String.valueOf(EVENTS), "--out", out.toString(),
        "--model", "../models/baseline", "--checkpoint-interval", "PT1S", "--latency-rates", "200,400",
        "--latency-duration", "PT" + LATENCY_SECONDS + "S", "--latency-warm-up", "PT1S",
        "--latency-customers", "3000", "--cards", String.valueOf(CARDS), "--stall-timeout", "PT1M", "--latency-samples", samples.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertThat(json.get("events").asLong()).isEqualTo(EVENTS);
    for (String pass : List.of("kafkaCopyLoop", "flinkCopyJob", "fullJob")) {
      JsonNode figures = json.get(pass);
      assertThat(figures.get("records").asLong()).as(pass).isEqualTo(EVENTS);
      assertThat(figures.get("perSecond").asDouble()).as(pass)
          .isCloseTo(EVENTS / figures.get("seconds").asDouble(), TOLERANCE);
      // NaN when a tenth and nine tenths became readable within five checkpoint intervals
      double steady = figures.get("steadyPerSecond").asDouble();
      assertThat(Double.isNaN(steady) || steady > 0).as(pass + " steady " + steady).isTrue();
      assertThat(figures.get("perCpuSecond").asDouble()).as(pass).isPositive();
    }
    // the simulator writes only valid transactions: each gets exactly one committed decision
    assertThat(json.get("fullJobDecisions").asLong()).isEqualTo(EVENTS);
    assertThat(json.get("fullJobDeadLetters").asLong()).isZero();
    double full = json.at("/fullJob/perSecond").asDouble();
    assertThat(json.at("/ratios/fullJobToKafkaCopyLoop").asDouble())
        .isCloseTo(full / json.at("/kafkaCopyLoop/perSecond").asDouble(), TOLERANCE);
    assertThat(json.at("/ratios/fullJobToFlinkCopyJob").asDouble())
        .isCloseTo(full / json.at("/flinkCopyJob/perSecond").asDouble(), TOLERANCE);
    double steady = json.at("/fullJob/steadyPerSecond").asDouble();
    assertQuotient(json.at("/ratios/steadyFullJobToKafkaCopyLoop").asDouble(),
        steady / json.at("/kafkaCopyLoop/steadyPerSecond").asDouble());
    assertQuotient(json.at("/ratios/steadyFullJobToFlinkCopyJob").asDouble(),
        steady / json.at("/flinkCopyJob/steadyPerSecond").asDouble());
    double perCpu = json.at("/fullJob/perCpuSecond").asDouble();
    assertThat(json.at("/ratios/perCpuFullJobToKafkaCopyLoop").asDouble())
        .isCloseTo(perCpu / json.at("/kafkaCopyLoop/perCpuSecond").asDouble(), TOLERANCE);
    assertThat(json.at("/targets/perSecondMet").asBoolean()).isEqualTo(full >= 30_000);

    assertThat(json.at("/configuration/latencyCustomers").asInt()).isEqualTo(3_000);
    assertThat(json.at("/configuration/latencyRates")).hasSize(RATES.size());
    assertThat(json.at("/configuration/latencyRates/0").asDouble()).isEqualTo((double) RATES.get(0));
    assertThat(json.at("/configuration/latencyRates/1").asDouble()).isEqualTo((double) RATES.get(1));
    JsonNode goals = json.at("/latency/goals");
    JsonNode runs = json.at("/latency/runs");
    // each guarantee's job runs every rate in turn
    assertThat(runs).hasSize(4);
    int i = 0;
    for (String delivery : List.of("EXACTLY_ONCE", "AT_LEAST_ONCE")) {
      Double highest = null;
      for (int rate : RATES) {
        JsonNode runAtRate = runs.get(i++);
        assertThat(runAtRate.get("delivery").asText()).isEqualTo(delivery);
        assertThat(runAtRate.get("rate").asDouble()).isEqualTo(rate);
        long sent = runAtRate.get("sent").asLong();
        assertThat(sent).isEqualTo((long) rate * LATENCY_SECONDS);
        assertThat(runAtRate.get("seconds").asDouble()).isGreaterThanOrEqualTo(LATENCY_SECONDS - 1.0 / rate);
        long decided = runAtRate.get("decided").asLong();
        assertThat(decided).isEqualTo(sent);
        JsonNode written = runAtRate.at("/toWrite/millis");
        for (String path : List.of("toWrite", "toReadUncommitted", "toReadCommitted")) {
          JsonNode p = runAtRate.at("/" + path + "/millis");
          assertThat(p.get("count").asLong()).as(path).isEqualTo(decided);
          assertThat(p.get("p50").asDouble()).as(path).isGreaterThanOrEqualTo(0)
              .isLessThanOrEqualTo(p.get("p99").asDouble());
          assertThat(p.get("p99").asDouble()).as(path).isLessThanOrEqualTo(p.get("p999").asDouble());
          assertThat(p.get("p999").asDouble()).as(path).isLessThanOrEqualTo(p.get("max").asDouble());
          // a decision is read after it is written, so each percentile of reading is at least that of writing
          for (String percentile : List.of("p50", "p99", "p999", "max")) {
            assertThat(p.get(percentile).asDouble()).as(path + " " + percentile)
                .isGreaterThanOrEqualTo(written.get(percentile).asDouble());
          }
          JsonNode verdict = runAtRate.at("/" + path + "/verdict");
          for (String percentile : List.of("p50", "p99", "p999")) {
            assertThat(verdict.get(percentile + "Met").asBoolean()).as(path + " " + percentile)
                .isEqualTo(p.get(percentile).asDouble() <= goals.get(percentile + "Millis").asDouble());
          }
        }
        assertSamplesAgree(samples.resolve("latency-" + delivery + "-" + rate + ".csv"), runAtRate);
        if (runAtRate.at("/toWrite/verdict/p99Met").asBoolean()) {
          highest = (double) rate;
        }
      }
      JsonNode highestRate = json.at("/latency/highestRateMeetingWriteP99/" + delivery);
      assertThat(highestRate.isNull() ? null : highestRate.asDouble()).as(delivery).isEqualTo(highest);
    }

    JsonNode cards = json.get("cardState");
    assertThat(cards.get("cards").asLong()).isEqualTo(CARDS);
    assertThat(cards.get("transactions").asLong()).isEqualTo(2L * CARDS);
    assertThat(cards.get("decisions").asLong()).isEqualTo(2L * CARDS);
    // every card active: its history (times, amounts, merchants, countries, devices) under a key of its token
    assertThat(cards.get("canonicalBytesPerCard").asDouble()).isGreaterThan(50);
    assertThat(cards.get("cardFeaturesNativeBytes").asLong()).isPositive();
    assertThat(cards.get("canonicalBytesPerCard").asDouble())
        .isCloseTo(cards.get("cardFeaturesCanonicalBytes").asDouble() / CARDS, TOLERANCE);
    assertThat(cards.get("nativeBytesPerCard").asDouble())
        .isCloseTo(cards.get("cardFeaturesNativeBytes").asDouble() / CARDS, TOLERANCE);
    assertThat(cards.get("heapPeakUsedBytes").asLong()).isPositive();
    assertThat(cards.get("heapHeldBytesPerCard").asDouble())
        .isCloseTo(cards.get("heapHeldBytes").asDouble() / CARDS, TOLERANCE);

    assertThat(run.out()).contains("Kafka copy loop", "Flink copy job", "EXACTLY_ONCE to read_committed",
        "AT_LEAST_ONCE to read_uncommitted", "highest rate with to-write p99 <= 25 ms",
        "keyed state: 1,000 cards", "figures written to " + out.toAbsolutePath());
  }

  /** Each sent transaction is a line, in the order sent, whose latencies make the run's maximum on each path. */
  private static void assertSamplesAgree(Path csv, JsonNode runAtRate) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("sentAtMillis,toWriteMillis,toReadUncommittedMillis,toReadCommittedMillis");
    List<long[]> rows = lines.subList(1, lines.size()).stream()
        .map(line -> Arrays.stream(line.split(",")).mapToLong(Long::parseLong).toArray()).toList();
    assertThat(rows).hasSize(runAtRate.get("sent").asInt());
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i)[0]).isGreaterThanOrEqualTo(rows.get(i - 1)[0]);
    }
    String[] paths = {"toWrite", "toReadUncommitted", "toReadCommitted"};
    for (int p = 0; p < paths.length; p++) {
      int column = p + 1;
      assertThat(rows.stream().mapToLong(row -> row[column]).max().orElseThrow()).as(csv + " " + paths[p])
          .isEqualTo(runAtRate.at("/" + paths[p] + "/millis/max").asLong());
    }
  }

  /** A ratio of two steady rates is NaN exactly when one of them is (too short to tell). */
  private static void assertQuotient(double ratio, double quotient) {
    if (Double.isNaN(quotient)) {
      assertThat(ratio).isNaN();
    } else {
      assertThat(ratio).isCloseTo(quotient, TOLERANCE);
    }
  }
}
