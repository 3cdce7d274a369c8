package dev.riskstream.ops;

import dev.riskstream.schemas.ModelUpdateAction;
import picocli.CommandLine.Command;

/** Tells the running job to decide with a version already in the registry, typically the one in shadow. */
@Command(name = "promote", mixinStandardHelpOptions = true,
    description = "Announce a version already in the registry, typically the one scoring in shadow, as the one to "
        + "decide with; the running job switches to it and, if it was in shadow, ends the shadow.")
final class ModelPromoteCommand extends RegisteredVersionAnnouncement {

  ModelPromoteCommand() {
    super(ModelUpdateAction.ACTIVATE, "not promoted", "announced %s to decide at %s");
  }
}
