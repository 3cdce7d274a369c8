package dev.riskstream.ops;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.drift.ReferenceProfiler;
import dev.riskstream.training.ExportedRows;
import dev.riskstream.training.FeatureRow;
import dev.riskstream.training.ModelBundler;
import dev.riskstream.training.ThresholdRule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code riskstream model bundle}: a complete bundle around an ONNX classifier trained elsewhere on
 * rows of {@code riskstream features export} ({@link ModelBundler}).
 */
@Command(name = "bundle", mixinStandardHelpOptions = true,
    description = {"Write a complete model bundle around an ONNX classifier trained elsewhere, from the rows "
        + "`riskstream features export` wrote: the training rows give the reference profile drift monitoring "
        + "needs, the validation rows the thresholds and the held-out metrics. The bundle is loaded with the "
        + "job's loader before the command reports success.",
        "Thresholds: decline at the lowest score where at least " + (int) (ThresholdRule.MIN_DECLINE_PRECISION * 100)
            + "%% of declined validation rows are fraud (and at least " + ThresholdRule.MIN_DECLINED_FRAUD
            + " frauds), review at the lowest that sends at most " + ThresholdRule.MAX_REVIEW_RATE * 100
            + "%% of rows to review with at least " + (int) (ThresholdRule.MIN_REVIEW_PRECISION * 100)
            + "%% fraud among them, as retraining chooses them."})
final class ModelBundleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE.onnx", description = "The ONNX classifier.")
  Path model;

  @Option(names = "--columns", split = ",", paramLabel = "FEATURE",
      description = "The model's input columns by feature name, in order (default: the model's metadata "
          + "'" + ModelBundler.COLUMNS_METADATA + "'; never guessed).")
  List<String> columns;

  @Mixin ModelOutputOptions modelOutput;

  @Option(names = "--training", required = true, paramLabel = "DIR|FILE.csv",
      description = "Exported rows the model was trained on (features export's training/).")
  Path training;

  @Option(names = "--validation", required = true, paramLabel = "DIR|FILE.csv",
      description = "Exported rows the model was not trained on (features export's validation/).")
  Path validation;

  @Option(names = "--min-segment-rows", paramLabel = "N", description = "Training rows a segment needs to get a "
      + "reference profile, segment all included: drift monitoring judges the model only in segments it has one for; "
      + "fewer training rows than this are refused (default ${DEFAULT-VALUE}, as retraining profiles).")
  int minSegmentRows = ReferenceProfiler.MIN_SEGMENT_ROWS;

  @Option(names = "--version", required = true, paramLabel = "VERSION", description = "The bundle's model version.")
  String version;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The bundle directory; must not exist.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    try {
      List<FeatureRow> trainingRows = ExportedRows.labelled(training);
      List<FeatureRow> validationRows = ExportedRows.labelled(validation);
      ModelManifest manifest = ModelBundler.bundle(new ModelBundler.Request(model, Optional.ofNullable(columns),
          modelOutput.output, modelOutput.positiveClass, trainingRows, validationRows, minSegmentRows, version,
          String.join(" ", spec.commandLine()
              .getParseResult().originalArgs())), out, Clock.systemUTC());
      spec.commandLine().getOut().printf("bundle %s written to %s: review at %s, decline at %s; validation ROC AUC "
              + "%.4f over %d rows; reference profile of %d training rows in %d segments%n", manifest.modelVersion(),
          out, manifest.thresholds().review(), manifest.thresholds().decline(),
          manifest.training().metrics().get("roc_auc"), validationRows.size(), trainingRows.size(),
          manifest.reference().segments().size());
      return 0;
    } catch (InvalidBundleException | IOException | IllegalArgumentException e) {
      err.println("riskstream model bundle: " + e.getMessage());
      return 1;
    }
  }
}
