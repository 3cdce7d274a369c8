package dev.riskstream.ops;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.RetrainReason;
import dev.riskstream.training.ExportedRows;
import dev.riskstream.training.FeatureRow;
import dev.riskstream.training.HeldOutEvaluation;
import dev.riskstream.training.ModelAnnouncer;
import dev.riskstream.training.TrainingException;
import dev.riskstream.training.ValidationGate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Copies a bundle into the registry and tells the running job to score with it. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Check a model bundle, copy it into the registry under its version and announce it on the "
        + "model-updates topic; the running job loads it beside the current model and switches without a restart.",
        "Watch the model-status topic (or the demo's status line) for what each scoring subtask did."})
final class ModelPublishCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "BUNDLE", description = "Bundle directory (model.onnx and manifest.json).")
  Path bundle;

  @Option(names = "--shadow", description = "Score with it in shadow, beside the deciding model, instead of "
      + "switching to it: its would-be decisions go to the performance reports only. Then `model promote VERSION` "
      + "or `model end-shadow VERSION`.")
  boolean shadow;

  @Option(names = "--validation-rows", paramLabel = "PATH", description = "Judge the bundle first with the "
      + "validation gate a retrained candidate must pass (docs/retraining.md), against the champion on these "
      + "labelled rows as `riskstream features export` writes them (its validation/ directory, or one file); one "
      + "that fails is not published. Then publish it --shadow, for the live rollout to judge.")
  Path validationRows;

  @Option(names = "--champion", paramLabel = "VERSION", description = "With --validation-rows: the registry version "
      + "to judge against (default: the one the running job decides with, from --status-topic).")
  String champion;

  @Option(names = "--status-topic", description = "The job's topic.model-status, where --validation-rows finds the "
      + "deciding version (default ${DEFAULT-VALUE}).")
  String statusTopic = TopicOptions.MODEL_STATUS.defaultValue();

  @Mixin ModelRegistryOptions target;

  @Override
  public Integer call() throws Exception {
    ModelRegistry registry = ModelRegistry.at(target.registry);
    ModelManifest manifest;
    try {
      if (validationRows != null && !passesTheGate(registry)) {
        return 1;
      }
      manifest = registry.publish(bundle);
    } catch (InvalidBundleException | TrainingException e) {
      spec.commandLine().getErr().println("not published: " + e.getMessage());
      return 1;
    }
    String at = ModelAnnouncer.announce(target.kafka.clientProperties(), target.topic, manifest,
        shadow ? ModelUpdateAction.SHADOW : ModelUpdateAction.ACTIVATE, target.reason);
    spec.commandLine().getOut().printf("published %s (model.onnx SHA-256 %s) to %s; announced%s at %s%n",
        manifest.modelVersion(), manifest.modelSha256(), target.registry, shadow ? " for shadow scoring" : "", at);
    return 0;
  }

  /**
   * The validation gate of retraining on the given rows, against the champion; without a retraining
   * request's reason, the bundle may fall at most the gate's margins below it. Prints every check.
   */
  private boolean passesTheGate(ModelRegistry registry) throws IOException, InvalidBundleException, TrainingException {
    String against = champion != null ? champion
        : ModelStatusReport.read(target.kafka.clientProperties(), statusTopic).decidingVersion().orElse(null);
    if (against == null) {
      spec.commandLine().getErr().println("not published: no model-status says which version the job decides with; "
          + "name the champion with --champion");
      return false;
    }
    List<FeatureRow> rows = ExportedRows.labelled(validationRows);
    HeldOutEvaluation championResult = HeldOutEvaluation.of(registry.load(against), rows);
    HeldOutEvaluation candidateResult = HeldOutEvaluation.of(ModelBundle.load(bundle), rows);
    ValidationGate.Verdict verdict = ValidationGate.DEFAULTS.judge(championResult, candidateResult,
        RetrainReason.UNKNOWN);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("validation gate on %d rows of %s, against %s:%n", rows.size(), validationRows, against);
    for (ValidationGate.Check check : verdict.checks()) {
      out.printf("  %-22s champion %.4f, candidate %.4f, needs %.4f%s: %s%n", check.measure(), check.champion(),
          check.candidate(), check.required(), check.lossPValue() == null ? "" : String.format(" (loss p %.4f)",
              check.lossPValue()), check.passed() ? "passed" : "FAILED");
    }
    if (!verdict.accepted()) {
      spec.commandLine().getErr().println("not published: the validation gate failed "
          + verdict.failed().stream().map(ValidationGate.Check::measure).toList());
    }
    return verdict.accepted();
  }
}
