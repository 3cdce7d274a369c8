package dev.riskstream.ops;

import dev.riskstream.io.kafka.ControlTopics;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.RuleSetStatusKind;
import dev.riskstream.schemas.RuleSetUpdate;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code riskstream rules list}: the rule sets on the topic, what the job did with each, the one it decides with. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the rule sets published to a running job, oldest first (a compacted topic keeps the latest), "
        + "what the job did with each, and the version it decides with.")
public final class RulesListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RuleSetTopicOptions target;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var kafka = target.kafka.clientProperties();
    out.println("Published on " + target.topic + ":");
    AvroCodec<RuleSetUpdate> updates = AvroCodec.of(RuleSetUpdate.class);
    for (ConsumerRecord<byte[], byte[]> record : ControlTopics.readAll(kafka, target.topic)) {
      try {
        RuleSetUpdate update = updates.decode(record.value());
        out.printf("  %-24s published %s at offset %d%s%n", update.getVersion(), update.getPublishedAt(),
            record.offset(), update.getReason() == null ? "" : " (" + update.getReason() + ")");
      } catch (DecodeException e) {
        out.printf("  (unreadable record at offset %d: %s)%n", record.offset(), e.getMessage());
      }
    }
    out.println("Reported on " + target.statusTopic + ":");
    AvroCodec<RuleSetStatus> statuses = AvroCodec.of(RuleSetStatus.class);
    String active = null;
    for (ConsumerRecord<byte[], byte[]> record : ControlTopics.readAll(kafka, target.statusTopic)) {
      try {
        RuleSetStatus status = statuses.decode(record.value());
        out.printf("  %-24s %-9s at %s%s%n", status.getVersion(), status.getStatus(), status.getReportedAt(),
            status.getStatus() == RuleSetStatusKind.REJECTED ? ": " + status.getReason() : "");
        active = status.getActiveVersion();
      } catch (DecodeException e) {
        out.printf("  (unreadable record at offset %d: %s)%n", record.offset(), e.getMessage());
      }
    }
    out.println("Deciding with: " + (active == null ? "no published set (rules.file, or the model alone)" : active));
    return 0;
  }
}
