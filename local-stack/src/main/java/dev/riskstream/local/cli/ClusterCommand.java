package dev.riskstream.local.cli;

import dev.riskstream.ops.CliException;
import dev.riskstream.ops.ModelBundleOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The deployable job jar on a real Flink cluster: an embedded Kafka broker, a standalone session
 * cluster (a JobManager and TaskManagers, each its own JVM), the job jar uploaded and run through the
 * REST API as a user would, and optionally the simulator feeding it.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Run broker, a standalone Flink session cluster and the job jar submitted to it until interrupted.")
final class ClusterCommand implements Callable<Integer> {

  @Option(names = "--taskmanagers", defaultValue = "2", description = "TaskManager processes (default ${DEFAULT-VALUE}).")
  int taskManagers;

  @Option(names = "--slots", defaultValue = "2", description = "Task slots per TaskManager (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--events", description = "Simulate this many transactions, exit 0 once each has its decision "
      + "or dead letter. Without it: no simulator; producers write to the transactions topic.")
  Long events;

  @Mixin SimulationOptions simulation;

  @Mixin ModelBundleOptions scoring;

  @Mixin PortOptions ports;

  @Mixin LocalJobOptions local;

  @Option(names = "--prometheus-port", description = "Port range, such as 9249-9259, from which the JobManager and "
      + "every TaskManager each take one to serve their metrics for Prometheus at /metrics, through Flink's "
      + "Prometheus reporter as the deployed images do; one port per process is needed (default: not served).")
  String prometheusPorts;

  @Option(names = "--job-jar", description = "The job jar to submit (default: the one mvn package built in streaming-job/target).")
  Path jobJar;

  @Mixin CardEncryptionOption cardEncryption;

  @Option(names = "--work-dir", defaultValue = "local-stack/target/cluster",
      description = "Configuration, logs and checkpoints of the cluster, emptied at start (default ${DEFAULT-VALUE}).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    Path jar;
    try {
      jar = jobJar != null ? jobJar : builtJobJar();
    } catch (CliException e) {
      System.err.println("riskstream cluster: " + e.getMessage());
      return 1;
    }
    return new LocalStack(ports.kafkaPort, local, new SessionClusterHost(taskManagers, slots, ports.uiPort,
            local.parallelism, workDir, jar, prometheusPorts))
        .jobSettings(scoring.jobSettings())
        .encryptCards(cardEncryption.encryptCards)
        .feed(events == null ? null : new LocalStack.Feed(simulation::simulator, simulation.rate, null))
        .awaiting(events, null)
        .run();
  }

  private static Path builtJobJar() throws IOException, CliException {
    Path target = Path.of("streaming-job", "target");
    if (Files.isDirectory(target)) {
      try (Stream<Path> files = Files.list(target)) {
        var jar = files.filter(file -> file.getFileName().toString().endsWith("-job.jar")).findFirst();
        if (jar.isPresent()) {
          return jar.get();
        }
      }
    }
    throw new CliException("no job jar in " + target.toAbsolutePath() + ": run mvn package (./riskstream builds it) "
        + "or pass --job-jar");
  }
}
