package dev.riskstream.local.cli;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.training.ModelAnnouncer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Tells the running job to go back to a version that is already in the registry. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Announce a version already in the registry as a rollback; the running job switches back to it.")
final class ModelRollbackCommand implements Callable<Integer> {

  @Parameters(paramLabel = "VERSION", description = "A model version in the registry.")
  String version;

  @Mixin ModelRegistryOptions target;

  @Override
  public Integer call() throws Exception {
    ModelManifest manifest;
    try {
      manifest = ModelRegistry.at(target.registry).load(version).manifest();
    } catch (InvalidBundleException e) {
      System.err.println("no rollback: " + e.getMessage());
      return 1;
    }
    String at = ModelAnnouncer.announce(target.kafka(), target.topic, manifest, ModelUpdateAction.ROLLBACK,
        target.reason);
    System.out.printf("announced rollback to %s at %s%n", version, at);
    return 0;
  }
}
