package dev.riskstream.ops;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.training.ModelAnnouncer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A {@code model} subcommand that announces a version already in the registry: rollback, promote,
 * end-shadow. The subclasses say which action and how to tell the user.
 */
abstract class RegisteredVersionAnnouncement implements Callable<Integer> {

  @Parameters(paramLabel = "VERSION", description = "A model version in the registry.")
  String version;

  @Mixin ModelRegistryOptions target;

  abstract ModelUpdateAction action();

  /** What the user reads when nothing was announced, before the reason. */
  abstract String refusal();

  /** What the user reads once the announcement is on the topic at {@code at}. */
  abstract String announced(String at);

  @Override
  public Integer call() throws Exception {
    String at;
    try {
      ModelManifest manifest = ModelRegistry.at(target.registry).load(version).manifest();
      at = ModelAnnouncer.announce(target.kafka.clientProperties(), target.topic, manifest, action(), target.reason);
    } catch (InvalidBundleException e) {
      System.err.println(refusal() + ": " + e.getMessage());
      return 1;
    }
    System.out.println(announced(at));
    return 0;
  }
}
