package dev.riskstream.local.cli;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.FeatureOptions;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.local.flink.FlinkRestClient;
import dev.riskstream.local.flink.StandaloneFlinkCluster;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.JobTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FileUtils;
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

  private static final Set<String> TERMINAL_STATES = Set.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED");

  @Option(names = "--taskmanagers", defaultValue = "2", description = "TaskManager processes (default ${DEFAULT-VALUE}).")
  int taskManagers;

  @Option(names = "--slots", defaultValue = "2", description = "Task slots per TaskManager (default ${DEFAULT-VALUE}).")
  int slots;

  @Option(names = "--events", description = "Simulate this many transactions, exit 0 once each has its decision "
      + "or dead letter. Without it: no simulator; producers write to the transactions topic.")
  Long events;

  @Mixin SimulationOptions simulation;

  @Mixin ModelOptions scoring;

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
    FileUtils.deleteDirectory(workDir.toFile());
    Files.createDirectories(workDir);
    // Ctrl-C: the main loop stops, and the JVM waits until the summary is out
    try (ShutdownRequest shutdown = ShutdownRequest.install();
        CardEncryptionOption.RunCardKey cardKey = cardEncryption.create();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(ports.kafkaPort)) {
      Map<String, String> settings = jobSettings(broker.bootstrapServers());
      if (cardKey != null) {
        settings.putAll(cardKey.jobSettings());
      }
      String tokenKey = DemoCommand.tokenKey();
      JobConfig config = JobConfig.from(Configuration.fromMap(withEntry(settings, InputOptions.TOKEN_KEY.key(), tokenKey)));
      JobTopics.create(broker, config, local.partitions);
      // the job's main method runs in the JobManager and takes the key from its environment, not the REST call
      try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(new StandaloneFlinkCluster.Settings(
              taskManagers, slots, ports.uiPort, workDir.toAbsolutePath(), jar, Map.of(InputOptions.TOKEN_KEY_ENV, tokenKey),
              prometheusPorts));
          TopicMonitor monitor = TopicMonitor.start(broker.bootstrapServers(), config)) {
        FlinkRestClient rest = cluster.rest();
        String jobId = rest.runJar(rest.uploadJar(jar), programArguments(settings), local.parallelism);
        System.err.printf("Flink dashboard: %s  Kafka: %s  job: %s  logs: %s%n",
            cluster.restUri(), broker.bootstrapServers(), jobId, cluster.workDir());
        try (SimulatorFeed feed = events == null ? null
            : SimulatorFeed.start(KafkaClientProperties.NONE.toProperties(broker.bootstrapServers()),
                config.transactionsTopic(),
                simulation.simulator(), null, cardKey == null ? null : cardKey.sealing(), simulation.rate, events,
                () -> false)) {
          return runUntilDone(rest, jobId, monitor, shutdown);
        } finally {
          System.out.println("SUMMARY " + monitor.summary(broker.bootstrapServers()));
          System.out.flush();
        }
      }
    }
  }

  /** The job's settings, its token key aside; paths absolute, for processes with other working directories. */
  private Map<String, String> jobSettings(String bootstrapServers) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(dev.riskstream.io.settings.KafkaOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    settings.putAll(scoring.jobSettings());
    settings.put(DeliveryOptions.CHECKPOINT_INTERVAL.key(), local.checkpointInterval.toMillis() + " ms");
    // the feed can end (--events): its last transactions then wait for no watermark, only this
    settings.put(FeatureOptions.MAX_WAIT.key(), "1 s");
    if (events != null) {
      DemoCommand.allowSimulatedClock(settings);
    }
    return settings;
  }

  private static Map<String, String> withEntry(Map<String, String> settings, String key, String value) {
    Map<String, String> extended = new LinkedHashMap<>(settings);
    extended.put(key, value);
    return extended;
  }

  /** {@code --key value}, as the job's main method reads them. */
  private static List<String> programArguments(Map<String, String> settings) {
    List<String> arguments = new ArrayList<>();
    settings.forEach((key, value) -> {
      arguments.add("--" + key);
      arguments.add(value);
    });
    return arguments;
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

  private int runUntilDone(FlinkRestClient rest, String jobId, TopicMonitor monitor, ShutdownRequest shutdown)
      throws Exception {
    StatusLine status = new StatusLine(System.err);
    while (!shutdown.requested()) {
      Thread.sleep(1_000);
      String state = rest.jobState(jobId);
      if (TERMINAL_STATES.contains(state)) {
        status.finish();
        System.err.println("the job is " + state + ": " + rest.latestFailure(jobId).orElse("see the JobManager's log"));
        return 1;
      }
      TopicMonitor.Counts counts = monitor.counts();
      status.show(counts);
      if (events != null && counts.decisions() + counts.deadLetters() >= events) {
        break;
      }
    }
    status.finish();
    return 0;
  }
}
