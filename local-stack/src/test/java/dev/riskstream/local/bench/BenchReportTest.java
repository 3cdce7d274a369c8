package dev.riskstream.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

  private static final Throughput KAFKA = new Throughput(1_000_000, 10, 100_000, 120_000, 80_000, "1.00 1.00 1.00");
  private static final Throughput FLINK = new Throughput(1_000_000, 20, 50_000, 60_000, 40_000, "1.00 1.00 1.00");
  private static final Throughput FULL = new Throughput(1_000_000, 40, 25_000, 30_000, 10_000, "2.00 1.50 1.00");

  private static final Percentiles WITHIN_GOALS = new Percentiles(30_000, 9, 24, 49, 80);
  private static final Percentiles SLOW_MEDIAN = new Percentiles(30_000, 11, 24, 49, 80);

  private static BenchReport.LatencyResult latency(String delivery, double rate, Percentiles toWrite,
      Percentiles toReadUncommitted, Percentiles toReadCommitted) {
    LatencyGoals goals = LatencyGoals.AUTHORISATION;
    return new BenchReport.LatencyResult(delivery, rate, 30, toWrite.count(), toWrite.count(),
        BenchReport.PathLatency.judge(toWrite, goals), BenchReport.PathLatency.judge(toReadUncommitted, goals),
        BenchReport.PathLatency.judge(toReadCommitted, goals), "2.00 1.50 1.00");
  }

  private static BenchReport report(Throughput fullJob) {
    BenchReport.Ratios ratios = BenchReport.Ratios.of(KAFKA, FLINK, fullJob);
    return new BenchReport(new BenchReport.Machine(2, "OpenJDK 17", "Linux", 3L << 30),
        new BenchReport.Configuration(2, 4, 256, 2000, "EXACTLY_ONCE", "models/baseline", "auto", true, 256L << 20,
            List.of(1000.0, 5000.0), 30, 10, 100_000, java.util.Map.of(), java.util.Map.of(), java.util.Map.of()),
        1_000_000, KAFKA, FLINK, fullJob, 999_990, 10, ratios, BenchReport.Targets.judge(fullJob, ratios),
        BenchReport.Latency.of(LatencyGoals.AUTHORISATION, List.of(
            latency("EXACTLY_ONCE", 1000, WITHIN_GOALS, WITHIN_GOALS, new Percentiles(30_000, 1100, 2100, 2300, 2400)),
            latency("EXACTLY_ONCE", 5000, new Percentiles(150_000, 12, 40, 95, 130), SLOW_MEDIAN,
                new Percentiles(150_000, 1100, 2100, 2300, 2400)),
            latency("AT_LEAST_ONCE", 1000, new Percentiles(30_000, 11, 26, 49, 80), SLOW_MEDIAN, SLOW_MEDIAN),
            latency("AT_LEAST_ONCE", 5000, new Percentiles(150_000, 12, 26, 40, 60), WITHIN_GOALS, WITHIN_GOALS))),
        null);
  }

  @Test
  void ratiosAreTheFullJobOverEachBaseline() {
    BenchReport.Ratios ratios = BenchReport.Ratios.of(KAFKA, FLINK, FULL);

    assertThat(ratios.fullJobToKafkaCopyLoop()).isEqualTo(0.25);
    assertThat(ratios.fullJobToFlinkCopyJob()).isEqualTo(0.5);
    assertThat(ratios.steadyFullJobToKafkaCopyLoop()).isEqualTo(0.25);
    assertThat(ratios.steadyFullJobToFlinkCopyJob()).isEqualTo(0.5);
    assertThat(ratios.perCpuFullJobToKafkaCopyLoop()).isEqualTo(0.125);
    assertThat(ratios.perCpuFullJobToFlinkCopyJob()).isEqualTo(0.25);
  }

  @Test
  void targetsAreJudgedOnTheFigures() {
    assertThat(report(FULL).targets().perSecondMet()).isFalse();
    assertThat(report(FULL).targets().ratioMet()).isFalse();

    BenchReport fast = report(new Throughput(1_000_000, 16, 62_500, 70_000, 40_000, "1.00 1.00 1.00"));
    assertThat(fast.targets().perSecondMet()).isTrue();
    assertThat(fast.targets().ratioMet()).isTrue();
  }

  @Test
  void throughputIsRecordsOverSeconds() {
    Throughput measured = Throughput.measured(30_000, new Throughput.Reading(0, 0),
        new Throughput.Reading(2_000_000_000L, 3_000_000_000L), new Await.Milestones(500_000_000L, 1_700_000_000L),
        java.time.Duration.ofSeconds(1));

    assertThat(measured.seconds()).isEqualTo(2);
    assertThat(measured.perCpuSecond()).isEqualTo(10_000);
    assertThat(measured.perSecond()).isEqualTo(15_000);
    assertThat(measured.steadyPerSecond()).isEqualTo(20_000); // 24,000 records in 1.2 s
    assertThat(measured.loadAverage()).isNotBlank();
  }

  @Test
  void noSteadyRateOverFewerThanAFewCheckpoints() {
    Throughput measured = Throughput.measured(30_000, new Throughput.Reading(0, 0),
        new Throughput.Reading(2_000_000_000L, 3_000_000_000L), new Await.Milestones(500_000_000L, 1_700_000_000L),
        java.time.Duration.ofSeconds(5));

    assertThat(measured.steadyPerSecond()).isNaN();
    assertThat(measured.perSecond()).isEqualTo(15_000);
  }

  @Test
  void jsonHoldsEveryFigure(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bench.json");

    report(FULL).write(file);

    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.at("/kafkaCopyLoop/perSecond").asDouble()).isEqualTo(100_000);
    assertThat(json.at("/fullJob/loadAverage").asText()).isEqualTo("2.00 1.50 1.00");
    assertThat(json.at("/ratios/fullJobToKafkaCopyLoop").asDouble()).isEqualTo(0.25);
    assertThat(json.at("/configuration/delivery").asText()).isEqualTo("EXACTLY_ONCE");
    assertThat(json.at("/machine/cores").asInt()).isEqualTo(2);
    assertThat(json.at("/configuration/latencyRates/1").asDouble()).isEqualTo(5000);
    assertThat(json.at("/latency/goals/p99Millis").asDouble()).isEqualTo(25);
    assertThat(json.at("/latency/runs").size()).isEqualTo(4);
    assertThat(json.at("/latency/runs/1/rate").asDouble()).isEqualTo(5000);
    assertThat(json.at("/latency/runs/1/toReadCommitted/millis/p999").asDouble()).isEqualTo(2300);
    assertThat(json.at("/latency/runs/1/toReadUncommitted/verdict/p50Met").asBoolean()).isFalse();
    assertThat(json.at("/latency/runs/1/toReadUncommitted/verdict/p99Met").asBoolean()).isTrue();
    assertThat(json.at("/latency/runs/0/toWrite/millis/count").asLong()).isEqualTo(30_000);
    assertThat(json.at("/latency/highestRateMeetingWriteP99/EXACTLY_ONCE").asDouble()).isEqualTo(1000);
    // no rate met it: there, but null
    assertThat(json.at("/latency/highestRateMeetingWriteP99").has("AT_LEAST_ONCE")).isTrue();
    assertThat(json.at("/latency/highestRateMeetingWriteP99/AT_LEAST_ONCE").isNull()).isTrue();
    assertThat(json.at("/targets/perSecond").asDouble()).isEqualTo(30_000);
    assertThat(json.get("cardState").isNull()).isTrue();
  }

  @Test
  void tableShowsThroughputRatiosAndPercentiles() {
    String table = report(FULL).table();

    assertThat(table).contains("Kafka copy loop   1,000,000     10.0    100,000  0.250      120,000  0.250       80,000  "
        + "0.125  1.00 1.00 1.00");
    assertThat(table).contains("Flink copy job    1,000,000     20.0     50,000  0.500       60,000  0.500       40,000  0.250");
    assertThat(table).contains("full job: 999,990 decisions, 10 dead letters");
    assertThat(table).contains("30,000/s NOT MET");
    assertThat(table).contains("EXACTLY_ONCE to write                 1,000    30,000       9 MET          24 MET     "
        + "     49 MET          80  2.00 1.50 1.00");
    assertThat(table).contains("EXACTLY_ONCE to read_committed        5,000   150,000    1100 NOT MET    2100 NOT MET "
        + "   2300 NOT MET    2400");
    assertThat(table).contains("AT_LEAST_ONCE to read_uncommitted     1,000    30,000      11 NOT MET      24 MET");
    assertThat(table).contains("highest rate with to-write p99 <= 25 ms: EXACTLY_ONCE 1,000/s, AT_LEAST_ONCE none");
  }

  @Test
  void eachPercentileIsJudgedAgainstItsGoal() {
    assertThat(LatencyGoals.AUTHORISATION.judge(WITHIN_GOALS)).isEqualTo(new LatencyGoals.Verdict(true, true, true));
    assertThat(LatencyGoals.AUTHORISATION.judge(SLOW_MEDIAN)).isEqualTo(new LatencyGoals.Verdict(false, true, true));
    assertThat(LatencyGoals.AUTHORISATION.judge(new Percentiles(1, 10, 25, 50, 50)))
        .as("a goal is a bound: met when equalled").isEqualTo(new LatencyGoals.Verdict(true, true, true));
    assertThat(LatencyGoals.AUTHORISATION.judge(new Percentiles(100, 3, 26, 51, 900)))
        .isEqualTo(new LatencyGoals.Verdict(true, false, false));
  }

  @Test
  void highestRateMeetingTheWriteP99IsPerGuarantee() {
    BenchReport.Latency latency = BenchReport.Latency.of(LatencyGoals.AUTHORISATION, List.of(
        latency("EXACTLY_ONCE", 1000, WITHIN_GOALS, WITHIN_GOALS, WITHIN_GOALS),
        latency("EXACTLY_ONCE", 10_000, WITHIN_GOALS, WITHIN_GOALS, WITHIN_GOALS),
        latency("EXACTLY_ONCE", 5000, new Percentiles(1, 5, 30, 40, 40), WITHIN_GOALS, WITHIN_GOALS),
        // only the write path counts
        latency("AT_LEAST_ONCE", 1000, new Percentiles(1, 5, 26, 40, 40), WITHIN_GOALS, WITHIN_GOALS)));

    assertThat(latency.highestRateMeetingWriteP99()).containsEntry("EXACTLY_ONCE", 10_000.0)
        .containsEntry("AT_LEAST_ONCE", null);
    assertThat(latency.highestRateMeetingWriteP99().keySet()).containsExactly("EXACTLY_ONCE", "AT_LEAST_ONCE");
  }

  @Test
  void progressLineShowsCountShareAndRate() {
    assertThat(Progress.line("full job", 250_000, 500_000, 10))
        .isEqualTo("full job                          250,000 / 500,000 ( 50%)    10s     25,000/s");
  }

  @Test
  void syntheticCardsAreDistinctLuhnValidPans() {
    assertThat(CardStateRun.cardNumber(0)).isEqualTo("4000000000000002");
    assertThat(CardStateRun.cardNumber(123_456)).hasSize(16).isNotEqualTo(CardStateRun.cardNumber(123_457));
    assertThat(luhnValid(CardStateRun.cardNumber(123_456))).isTrue();
    assertThat(luhnValid(CardStateRun.cardNumber(999_999))).isTrue();
  }

  private static boolean luhnValid(String pan) {
    int sum = 0;
    for (int i = 0; i < pan.length(); i++) {
      int digit = pan.charAt(pan.length() - 1 - i) - '0';
      sum += i % 2 == 1 ? (digit * 2 > 9 ? digit * 2 - 9 : digit * 2) : digit;
    }
    return sum % 10 == 0;
  }
}
