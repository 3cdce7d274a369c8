package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code riskstream batch-score --input}: an Avro file of transactions, as {@code riskstream simulate
 * --output} writes one, scored into files of decisions, with a {@code SUMMARY} of what was written.
 * Scoring a range of a topic into a table is local-stack's {@code BatchScoreFromTopicITCase}: it needs a
 * broker.
 */
class BatchScoreCommandITCase {

  private static final int TRANSACTIONS = 200;

  @TempDir
  Path directory;

  @Test
  void scoresAFileOfTransactionsAndRefusesToMixRunsInOneOutput() throws Exception {
    Path file = writeTransactions(directory.resolve("transactions.avro"));
    List<String> args = List.of("batch-score", "--input", file.toString(),
        "--output", directory.resolve("scored").toString(), "--model", TestData.BASELINE_BUNDLE.toString(),
        "--execution-provider", "cpu",
        "--set", "pii.token-key=file:" + TestData.secretFile("token-key", "batch-score-itcase-key-0123456789"));

    JsonNode summary = CliRun.of(new OperationsCli(), args).summary();
    assertThat(summary.get("decisions").asLong()).isEqualTo(TRANSACTIONS);
    assertThat(summary.get("deadLetters").asLong()).isZero();

    CliRun again = CliRun.of(new OperationsCli(), args);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("is not empty");
  }

  /** Transactions of the last hours: none is ahead of the job's clock. */
  private static Path writeTransactions(Path file) throws Exception {
    Instant start = Instant.now().minus(Duration.ofHours(6));
    try (DataFileWriter<Transaction> writer = new DataFileWriter<>(new SpecificDatumWriter<>(Transaction.class))) {
      writer.create(Transaction.getClassSchema(), file.toFile());
      for (int i = 0; i < TRANSACTIONS; i++) {
        writer.append(TestData.transaction(i).setEventTime(start.plusSeconds(30L * i)).build());
      }
    }
    return file;
  }
}
