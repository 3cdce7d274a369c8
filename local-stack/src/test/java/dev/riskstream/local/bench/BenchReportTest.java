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

  private static BenchReport report(Throughput fullJob) {
    BenchReport.Ratios ratios = BenchReport.Ratios.of(KAFKA, FLINK, fullJob);
    return new BenchReport(new BenchReport.Machine(2, "OpenJDK 17", "Linux", 3L << 30),
        new BenchReport.Configuration(2, 4, 256, 2000, "EXACTLY_ONCE", "models/baseline", "auto", true, 256L << 20,
            5000, 30, 10, java.util.Map.of()),
        1_000_000, KAFKA, FLINK, fullJob, 999_990, 10, ratios, BenchReport.Targets.judge(fullJob, ratios),
        List.of(new BenchReport.LatencyResult("EXACTLY_ONCE", 5000, 30, 150_000, 150_000,
            new Percentiles(150_000, 12, 40, 95, 130), new Percentiles(150_000, 1100, 2100, 2300, 2400),
            "2.00 1.50 1.00")),
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
    assertThat(json.at("/latency/0/toVisibleMillis/p999").asDouble()).isEqualTo(2300);
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
    assertThat(table).contains("EXACTLY_ONCE to read_committed     150,000      1100      2100      2300      2400");
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
