package dev.riskstream.ops;

import dev.riskstream.io.settings.TopicOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code riskstream model status}: what each scoring subtask decides with, and the rollout as it stands. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show what a running job scores with, per scoring subtask, and the rollout of the candidate "
        + "in shadow as it stands: its evidence beside the champion and the verdict; then the rollouts that ended.")
public final class ModelStatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaConnectionOptions kafka;

  @Option(names = "--status-topic", description = "The job's topic.model-status (default ${DEFAULT-VALUE}).")
  String statusTopic = TopicOptions.MODEL_STATUS.defaultValue();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ModelStatusReport.Read read = ModelStatusReport.read(kafka.clientProperties(), statusTopic);
    out.print(ModelStatusReport.of(read.statuses()));
    if (read.unreadable() > 0) {
      out.printf("(%d records on %s could not be read)%n", read.unreadable(), statusTopic);
    }
    return 0;
  }
}
