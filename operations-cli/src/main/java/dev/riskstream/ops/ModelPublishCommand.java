package dev.riskstream.ops;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.training.ModelAnnouncer;
import java.nio.file.Path;
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

  @Mixin ModelRegistryOptions target;

  @Override
  public Integer call() throws Exception {
    ModelManifest manifest;
    try {
      manifest = ModelRegistry.at(target.registry).publish(bundle);
    } catch (InvalidBundleException e) {
      spec.commandLine().getErr().println("not published: " + e.getMessage());
      return 1;
    }
    String at = ModelAnnouncer.announce(target.kafka.clientProperties(), target.topic, manifest,
        shadow ? ModelUpdateAction.SHADOW : ModelUpdateAction.ACTIVATE, target.reason);
    spec.commandLine().getOut().printf("published %s (model.onnx SHA-256 %s) to %s; announced%s at %s%n",
        manifest.modelVersion(), manifest.modelSha256(), target.registry, shadow ? " for shadow scoring" : "", at);
    return 0;
  }
}
