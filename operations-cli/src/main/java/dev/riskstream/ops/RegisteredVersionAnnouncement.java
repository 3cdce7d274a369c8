package dev.riskstream.ops;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.training.ModelAnnouncer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A {@code model} subcommand that announces a version already in the registry: rollback, promote,
 * end-shadow. Each says which action, and what the user reads when it is refused or announced.
 */
abstract class RegisteredVersionAnnouncement implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "VERSION", description = "A model version in the registry.")
  String version;

  @Mixin ModelRegistryOptions target;

  private final ModelUpdateAction action;
  private final String refusal;
  private final String announcement;

  /**
   * @param refusal what the user reads when nothing was announced, before the reason
   * @param announcement what the user reads once it is on the topic: a format of the version and where
   */
  RegisteredVersionAnnouncement(ModelUpdateAction action, String refusal, String announcement) {
    this.action = action;
    this.refusal = refusal;
    this.announcement = announcement;
  }

  @Override
  public Integer call() throws Exception {
    String at;
    try {
      ModelManifest manifest = ModelRegistry.at(target.registry).load(version).manifest();
      at = ModelAnnouncer.announce(target.kafka.clientProperties(), target.topic, manifest, action, target.reason);
    } catch (InvalidBundleException e) {
      spec.commandLine().getErr().println(refusal + ": " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(announcement.formatted(version, at));
    return 0;
  }
}
