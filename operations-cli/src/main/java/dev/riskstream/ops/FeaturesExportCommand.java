package dev.riskstream.ops;

import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.training.FeatureExport;
import dev.riskstream.training.LoggedFeatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code riskstream features export}: the feature log over an event-time range, with the labels known
 * at a cutoff, as CSV or Parquet files ({@link FeatureExport}), in a Flink batch job on a local cluster.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write the decisions the job logged in an event-time range, each with the exact features it "
        + "scored (one column per feature by name), its transaction's id, event time and segment attributes, the "
        + "served model version, score and outcome, and its label as the labels topic held it at a cutoff, as CSV "
        + "or Parquet files under --out.",
        "A label counts when it was labelled at or before --labels-as-of; of several, the latest. Rows without one "
            + "are left out unless --unlabelled keep, which writes them with an empty label."})
public final class FeaturesExportCommand implements Callable<Integer> {

  /** What becomes of a decision without a label at the cutoff. */
  enum Unlabelled {
    drop,
    keep
  }

  @Spec CommandSpec spec;

  @Mixin KafkaConnectionOptions kafka;

  @Option(names = "--feature-log", required = true, paramLabel = "PATH",
      description = "The job's feature.log.path (a path or any URI Flink reads).")
  String featureLog;

  @Option(names = "--from", required = true, paramLabel = "ISO-INSTANT", description = "First event time exported.")
  Instant from;

  @Option(names = "--to", paramLabel = "ISO-INSTANT",
      description = "Event times before it are exported (default: the end of the log).")
  Instant to;

  @Option(names = "--labels-as-of", paramLabel = "ISO-INSTANT",
      description = "Labels labelled later are not joined, so the rows are what a trainer knew then (default: now).")
  Instant labelsAsOf;

  @Option(names = "--validation-from", paramLabel = "ISO-INSTANT",
      description = "Rows from this event time on go to --out/validation, earlier ones to --out/training "
          + "(default: no split).")
  Instant validationFrom;

  @Option(names = "--unlabelled", defaultValue = "drop", paramLabel = "drop|keep",
      description = "Rows without a label at the cutoff: drop them or keep them with an empty label "
          + "(default ${DEFAULT-VALUE}).")
  Unlabelled unlabelled;

  @Option(names = "--labels-topic", paramLabel = "TOPIC", description = "The labels topic (default ${DEFAULT-VALUE}).")
  String labelsTopic = TopicOptions.LABELS.defaultValue();

  @Option(names = "--format", defaultValue = "CSV", paramLabel = "CSV|PARQUET",
      description = "CSV (part-*.csv, each with the header) or PARQUET (part-*.parquet, typed columns: the event "
          + "time a timestamp, the label a nullable int, the features floats) (default ${DEFAULT-VALUE}).")
  FeatureExport.Format format;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "A directory that does not exist yet.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (Files.exists(out)) {
      err.println("riskstream features export: " + out + " exists; name a new directory, so that no earlier "
          + "export's files mix with these");
      return 1;
    }
    Instant end = to == null ? Instant.ofEpochMilli(Long.MAX_VALUE) : to;
    if (!from.isBefore(end)) {
      err.println("riskstream features export: --from " + from + " is not before --to " + to);
      return 1;
    }
    Instant cutoff = labelsAsOf == null ? Instant.now() : labelsAsOf;
    long rows = FeatureExport.run(StreamExecutionEnvironment.getExecutionEnvironment(),
        LoggedFeatures.labelsOnTopic(kafka.clientProperties(), labelsTopic, "riskstream-features-export"),
        new FeatureExport.Request(featureLog, from, end, cutoff, Optional.ofNullable(validationFrom),
            unlabelled == Unlabelled.keep, format, out.toAbsolutePath().toUri().toString()));
    if (rows == 0) {
      err.println("riskstream features export: nothing exported: no decision logged in the range had a label by "
          + cutoff + (unlabelled == Unlabelled.keep ? "" : " (--unlabelled keep exports them without)")
          + "; a simulated clock that runs ahead of the wall clock, as the demo's, needs a later --labels-as-of");
      return 1;
    }
    spec.commandLine().getOut().println("exported " + rows + " rows in " + filesOf(out, format.suffix())
        + " files under " + out + " (labels as of " + cutoff + ")");
    return 0;
  }

  private static long filesOf(Path directory, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(file -> file.getFileName().toString().endsWith(suffix)).count();
    }
  }
}
