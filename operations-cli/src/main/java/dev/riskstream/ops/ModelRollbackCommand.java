package dev.riskstream.ops;

import dev.riskstream.schemas.ModelUpdateAction;
import picocli.CommandLine.Command;

/** Tells the running job to go back to a version that is already in the registry. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Announce a version already in the registry as a rollback; the running job switches back to it.")
final class ModelRollbackCommand extends RegisteredVersionAnnouncement {

  ModelRollbackCommand() {
    super(ModelUpdateAction.ROLLBACK, "no rollback", "announced rollback to %s at %s");
  }
}
