package dev.riskstream.ops;

import dev.riskstream.io.kafka.ControlTopics;
import dev.riskstream.schemas.RuleSetUpdate;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code riskstream rules publish}: a rule set to a running job's rule-sets topic, once it compiles.
 * Every publication shares one key, so the compacted topic keeps the latest: the set a fresh job
 * decides with.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Publish a rule set to a running job (rules.updates on): it decides with it within seconds, without "
        + "a restart. The set is checked first and not published when the job would refuse it. Rolling back is "
        + "publishing an earlier set again.")
public final class RulesPublishCommand implements Callable<Integer> {

  static final byte[] KEY = "riskstream-rules".getBytes(StandardCharsets.UTF_8);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The rule set's YAML file.")
  Path file;

  @Mixin RuleSetTopicOptions target;

  @Option(names = "--reason", description = "Why, for the people reading the rule-status topic.")
  String reason;

  @Override
  public Integer call() throws Exception {
    Optional<RuleSetFiles.Compiled> compiled = RuleSetFiles.compile(file, spec.commandLine().getErr());
    if (compiled.isEmpty()) {
      spec.commandLine().getErr().println("Not published: the job would refuse " + file);
      return 1;
    }
    String version = compiled.get().rules().version();
    RuleSetUpdate update = RuleSetUpdate.newBuilder()
        .setVersion(version)
        .setSource(compiled.get().yaml())
        .setPublishedAt(Instant.now())
        .setReason(reason)
        .build();
    String at = ControlTopics.write(target.kafka.clientProperties(), target.topic, KEY,
        AvroCodec.of(RuleSetUpdate.class).encode(update));
    spec.commandLine().getOut().printf("Published rule set %s at %s; the job reports on %s%n", version, at,
        target.statusTopic);
    return 0;
  }
}
