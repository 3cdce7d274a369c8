package dev.riskstream.ops;

import dev.riskstream.io.kafka.ControlTopics;
import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    AvroCodec<ModelStatus> codec = AvroCodec.of(ModelStatus.class);
    List<ModelStatus> statuses = new ArrayList<>();
    int unreadable = 0;
    for (ConsumerRecord<byte[], byte[]> record : ControlTopics.readAll(kafka.clientProperties(), statusTopic)) {
      try {
        statuses.add(codec.decode(record.value()));
      } catch (DecodeException e) {
        unreadable++;
      }
    }
    out.print(ModelStatusReport.of(statuses));
    if (unreadable > 0) {
      out.printf("(%d records on %s could not be read)%n", unreadable, statusTopic);
    }
    return 0;
  }
}
