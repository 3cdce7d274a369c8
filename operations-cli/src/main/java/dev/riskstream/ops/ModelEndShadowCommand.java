package dev.riskstream.ops;

import dev.riskstream.schemas.ModelUpdateAction;
import picocli.CommandLine.Command;

/** Tells the running job to stop scoring in shadow, without promoting the shadow. */
@Command(name = "end-shadow", mixinStandardHelpOptions = true,
    description = "Stop scoring in shadow: the running job drops the version that scores beside the deciding "
        + "one.")
final class ModelEndShadowCommand extends RegisteredVersionAnnouncement {

  ModelEndShadowCommand() {
    super(ModelUpdateAction.END_SHADOW, "shadow not ended", "announced the end of shadow scoring for %s at %s");
  }
}
