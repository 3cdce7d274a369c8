package dev.riskstream.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.job.BatchConfig;
import dev.riskstream.job.BatchScoringJob;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.batch.DecisionTableKey;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Batch inference on this machine: {@link BatchScoringJob} on a local Flink MiniCluster, then a
 * {@code SUMMARY} JSON line with what it wrote.
 */
@Command(name = "batch-score", mixinStandardHelpOptions = true,
    description = "Score bounded input with the streaming job's pipeline and model in Flink's batch mode: Avro "
        + "files of transactions or a range of the transactions topic in, Avro files of decisions and dead letters "
        + "out, and optionally upserts into a PostgreSQL table keyed by transaction_id. The card-token key is where "
        + "pii.token-key says (default env:" + InputOptions.TOKEN_KEY_ENV + "; --set pii.token-key=file:PATH for a "
        + "file): use the streaming job's, for the same card tokens.")
public final class BatchScoreCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin BatchRunOptions batch;

  @Option(names = "--jdbc-url", description = "Also upsert the decisions into a table of this PostgreSQL database "
      + "(created when missing).")
  String jdbcUrl;

  @Option(names = "--jdbc-table", defaultValue = "decisions", description = "The decision table, optionally "
      + "schema-qualified (default ${DEFAULT-VALUE}).")
  String jdbcTable;

  @Option(names = "--jdbc-key", defaultValue = "TRANSACTION", description = "TRANSACTION: a row per transaction; "
      + "CUSTOMER: a row per customer with the decision of its latest transaction (default ${DEFAULT-VALUE}).")
  DecisionTableKey jdbcKey;

  @Option(names = "--jdbc-username", description = "User of --jdbc-url.")
  String jdbcUsername;

  @Option(names = "--jdbc-password", paramLabel = "REF", description = "Where the password of --jdbc-url is: "
      + "env:NAME or file:PATH (default env:" + BatchConfig.JDBC_PASSWORD_ENV + ").")
  String jdbcPassword;

  @Override
  public Integer call() throws Exception {
    BatchConfig config;
    try {
      config = batch.config(tableSettings());
    } catch (IllegalArgumentException | CliException e) {
      spec.commandLine().getErr().println("riskstream batch-score: " + e.getMessage());
      return 1;
    }
    StreamExecutionEnvironment env = batch.environment();
    BatchScoringJob.wire(env, config);
    env.execute(BatchScoringJob.JOB_NAME);

    Path output = batch.output();
    Map<String, Object> summary = new LinkedHashMap<>();
    Map<String, Long> outcomes = count(output.resolve(BatchConfig.DECISIONS_DIRECTORY), Decision.class,
        decision -> decision.getOutcome().name());
    Map<String, Long> reasons = count(output.resolve(BatchConfig.DEAD_LETTERS_DIRECTORY), DeadLetter.class,
        letter -> letter.getReason().name());
    summary.put("decisions", outcomes.values().stream().mapToLong(Long::longValue).sum());
    summary.put("outcomes", outcomes);
    summary.put("deadLetters", reasons.values().stream().mapToLong(Long::longValue).sum());
    summary.put("deadLetterReasons", reasons);
    summary.put("output", output.toAbsolutePath().toString());
    config.table().ifPresent(table -> summary.put("table", table.table()));
    spec.commandLine().getOut().println("SUMMARY " + new ObjectMapper().writeValueAsString(summary));
    return 0;
  }

  private Map<String, String> tableSettings() {
    Map<String, String> values = new HashMap<>();
    if (jdbcUrl != null) {
      values.put(BatchConfig.JDBC_URL.key(), jdbcUrl);
      values.put(BatchConfig.JDBC_TABLE.key(), jdbcTable);
      values.put(BatchConfig.JDBC_KEY.key(), jdbcKey.name());
      BatchRunOptions.putIfSet(values, BatchConfig.JDBC_USERNAME.key(), jdbcUsername);
      BatchRunOptions.putIfSet(values, BatchConfig.JDBC_PASSWORD.key(), jdbcPassword);
    }
    return values;
  }

  /** Records of the Avro container files in {@code directory}, counted by {@code key}. */
  static <T extends SpecificRecord> Map<String, Long> count(Path directory, Class<T> type,
      Function<T, String> key) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    if (!Files.isDirectory(directory)) {
      return counts;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".avro")).toList()) {
        try (DataFileReader<T> records = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
          records.forEach(record -> counts.merge(key.apply(record), 1L, Long::sum));
        }
      }
    }
    return counts;
  }
}
