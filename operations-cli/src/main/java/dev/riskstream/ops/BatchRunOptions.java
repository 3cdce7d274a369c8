package dev.riskstream.ops;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.job.BatchConfig;
import dev.riskstream.job.BatchScoringJob;
import dev.riskstream.job.LookupOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every command that runs the streaming job's pipeline over bounded input takes ({@code
 * batch-score}, {@code rules backtest}): the transactions, the output directory, the model, the lookup
 * database, the parallelism and any other setting of the job.
 */
public final class BatchRunOptions {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--input", description = "Avro object container file of Transaction records, or a directory "
        + "of them (`riskstream simulate --output` writes one).")
    String input;

    @Option(names = "--bootstrap-servers", description = "Read the transactions topic of this Kafka cluster instead.")
    String bootstrapServers;
  }

  @Option(names = "--topic", defaultValue = "transactions", description = "With --bootstrap-servers: the topic "
      + "(default ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--from", defaultValue = "earliest", description = "With --bootstrap-servers: where to start: "
      + "earliest, latest, an ISO-8601 instant (Kafka record timestamps) or partition:offset pairs like 0:1200,1:900 "
      + "(default ${DEFAULT-VALUE}).")
  String from;

  @Option(names = "--until", defaultValue = "latest", description = "With --bootstrap-servers: where to stop, "
      + "exclusive: latest (what the topic holds at the start), an ISO-8601 instant or partition:offset pairs "
      + "(default ${DEFAULT-VALUE}).")
  String until;

  @Option(names = "--output", required = true, description = "Directory to write " + BatchConfig.DECISIONS_DIRECTORY
      + "/ and " + BatchConfig.DEAD_LETTERS_DIRECTORY + "/ into; must be empty or new.")
  Path output;

  @Mixin ModelBundleOptions scoring;

  @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism of the job (default ${DEFAULT-VALUE}).")
  int parallelism;

  /** Without a URL, no lookup join: lookupStatus NOT_CONFIGURED. */
  @Mixin LookupDatabaseOptions lookup;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other setting of the job, as the "
      + "streaming job takes it, e.g. --set input.max-event-time-ahead=3650d for the simulator's clock.")
  Map<String, String> settings = new HashMap<>();

  Path output() {
    return output;
  }

  /**
   * The batch job's settings: these options, then the command's own, then {@code --set}, each over the last.
   *
   * @throws CliException when the output directory holds files of an earlier run: they would be taken as this run's
   */
  BatchConfig config(Map<String, String> commandSettings) throws CliException, IOException {
    requireEmpty(output);
    Map<String, String> values = new HashMap<>(scoring.jobSettings());
    values.put(BatchConfig.OUTPUT.key(), output.toAbsolutePath().toString());
    if (source.input != null) {
      values.put(BatchConfig.INPUT.key(), Path.of(source.input).toAbsolutePath().toString());
    } else {
      values.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), source.bootstrapServers);
      values.put(TopicOptions.TRANSACTIONS.key(), topic);
      values.put(BatchConfig.STARTING_OFFSETS.key(), from);
      values.put(BatchConfig.STOPPING_OFFSETS.key(), until);
    }
    if (lookup.jdbcUrl() != null) {
      values.put(LookupOptions.JDBC_URL.key(), lookup.jdbcUrl());
      putIfSet(values, LookupOptions.USERNAME.key(), lookup.username());
      values.put(LookupOptions.PASSWORD.key(), lookup.passwordReference());
    }
    values.putAll(commandSettings);
    values.putAll(settings);
    return BatchConfig.fromMap(values, System.getenv());
  }

  /** A local Flink MiniCluster in batch execution mode. */
  StreamExecutionEnvironment environment() {
    return StreamExecutionEnvironment.createLocalEnvironment(parallelism, BatchScoringJob.runtimeSettings());
  }

  static void putIfSet(Map<String, String> values, String key, String value) {
    if (value != null) {
      values.put(key, value);
    }
  }

  private static void requireEmpty(Path directory) throws IOException, CliException {
    if (Files.exists(directory)) {
      try (Stream<Path> entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new CliException("output directory " + directory + " is not empty");
        }
      }
    }
  }
}
