package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.riskstream.job.BatchConfig;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code riskstream rules backtest} over a labelled batch: Avro files of transactions and of their
 * labels, a candidate set against the current one. Transaction i has amount 1,000 + i minor units and
 * merchant i % 5; i < 180 is labelled, fraud when i % 4 == 0.
 */
class RulesBacktestCommandITCase {

  private static final int TRANSACTIONS = 200;
  private static final int LABELLED = 180;
  /** Transactions of the last hours: none is ahead of the job's clock. */
  private static final Instant START = Instant.now().minus(Duration.ofHours(6));

  @TempDir
  Path directory;

  @Test
  void reportsEachRulesHitsAndPrecisionAndTheCandidatesOutcomesAsTheJobDecidesThem() throws Exception {
    Path transactions = write(directory.resolve("transactions.avro"), Transaction.class, IntStream.range(0, TRANSACTIONS)
        .mapToObj(i -> TestData.transaction(i).setEventTime(START.plusSeconds(30L * i)).build()).toList());
    Path labels = write(directory.resolve("labels.avro"), FraudLabel.class, IntStream.range(0, LABELLED)
        .mapToObj(i -> new FraudLabel("tx-" + i, i % 4 == 0, START.plus(Duration.ofDays(20)), "chargeback")).toList());
    Path current = Files.writeString(directory.resolve("current.yaml"), """
        version: current-1
        rules:
          - {id: merchant-1, expression: "merchant == 'merchant-1'", action: REVIEW, reason: WATCHED_MERCHANT}
        """);
    Path candidate = Files.writeString(directory.resolve("candidate.yaml"), """
        version: candidate-2
        rules:
          - {id: big, expression: "amount_minor >= 1150", action: DECLINE, reason: BIG}
          - {id: merchant-3, expression: "merchant == 'merchant-3'", action: REVIEW, reason: WATCHED, mode: shadow}
        """);
    Path output = directory.resolve("backtest");

    CliRun run = CliRun.of(new OperationsCli(), List.of("rules", "backtest", candidate.toString(),
        "--current", current.toString(), "--labels", labels.toString(), "--input", transactions.toString(),
        "--output", output.toString(), "--model", TestData.BASELINE_BUNDLE.toString(), "--execution-provider", "cpu",
        "--set", "pii.token-key=file:" + TestData.secretFile("token-key", "rules-backtest-itcase-key-0123456789")));

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = run.summary();
    assertThat(summary.get("transactions").asLong()).isEqualTo(TRANSACTIONS);
    assertThat(summary.get("labelled").asLong()).isEqualTo(LABELLED);
    assertThat(summary.get("fraud").asLong()).isEqualTo(45);

    // big fires on i = 150..199: labelled 150..179, of them fraud 152, 156, ..., 176
    JsonNode big = summary.get("rules").get("big");
    assertThat(big.get("flagged").asLong()).isEqualTo(50);
    assertThat(big.get("labelled").asLong()).isEqualTo(30);
    assertThat(big.get("fraud").asLong()).isEqualTo(7);
    assertThat(big.get("precision").asDouble()).isCloseTo(7 / 30.0, within(1e-9));
    assertThat(big.get("recall").asDouble()).isCloseTo(7 / 45.0, within(1e-9));
    assertThat(big.get("fraudAmount").asDouble())
        .isCloseTo(IntStream.iterate(152, i -> i <= 176, i -> i + 4).mapToDouble(i -> (1_000 + i) / 100.0).sum(),
            within(1e-6));
    JsonNode shadow = summary.get("rules").get("merchant-3");
    assertThat(shadow.get("mode").asText()).isEqualTo("SHADOW");
    assertThat(shadow.get("flagged").asLong()).isEqualTo(40);

    // the candidate's outcomes are those of the job deciding with it, written beside the report
    Map<String, Long> decided = BatchScoreCommand.count(output.resolve(BatchConfig.DECISIONS_DIRECTORY),
        Decision.class, decision -> decision.getOutcome().name());
    summary.get("outcomes").get("candidate").fields()
        .forEachRemaining(entry -> assertThat(entry.getValue().asLong()).isEqualTo(decided.get(entry.getKey())));
    assertThat(summary.get("outcomes").get("candidate").get("DECLINE").asLong()).isGreaterThanOrEqualTo(50);
    assertThat(run.out()).contains("Rule set candidate-2 against rule set current-1").contains("merchant-3");
  }

  @Test
  void refusesACandidateThatDoesNotCompileBeforeRunningAnything() throws Exception {
    Path candidate = Files.writeString(directory.resolve("bad.yaml"), """
        version: bad-1
        rules:
          - {id: typo, expression: "amout > 10.0", action: DECLINE, reason: TYPO}
        """);

    CliRun run = CliRun.of(new OperationsCli(), List.of("rules", "backtest", candidate.toString(),
        "--input", directory.resolve("none.avro").toString(), "--output", directory.resolve("out").toString(),
        "--model", TestData.BASELINE_BUNDLE.toString()));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("rule 'typo'").contains("unknown name 'amout'");
    assertThat(directory.resolve("out")).doesNotExist();
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> Path write(Path file, Class<T> type,
      List<T> records) throws Exception {
    try (DataFileWriter<T> writer = new DataFileWriter<>(new SpecificDatumWriter<>(type))) {
      writer.create(records.get(0).getSchema(), file.toFile());
      for (T record : records) {
        writer.append(record);
      }
    }
    return file;
  }
}
