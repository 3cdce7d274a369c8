package dev.riskstream.local.cli;

import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.io.settings.RolloutOptions;
import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.job.RuleOptions;
import dev.riskstream.job.StateBackendChoice;
import dev.riskstream.job.StateOptions;
import dev.riskstream.job.monitoring.MonitoringOptions;
import dev.riskstream.job.performance.LabelOptions;
import dev.riskstream.ops.LookupDatabaseOptions;
import dev.riskstream.ops.ModelBundleOptions;
import dev.riskstream.ops.ModelRegistryOptions;
import dev.riskstream.rules.StarterRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole product on one machine: an embedded Kafka broker, a lookup database with the simulated
 * customers' and merchants' profiles (embedded H2, or an external database), the job on a Flink
 * MiniCluster with its web dashboard, and the transaction simulator feeding it; a live status line,
 * and a {@code SUMMARY} JSON line at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run broker, job, dashboard and simulator on this machine until interrupted.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--events", description = "Simulate this many transactions (with --no-simulator: await this many "
      + "input records), exit 0 once each has its decision or dead letter.")
  Long events;

  @Option(names = "--no-simulator", description = "Serve only: external producers write to the transactions topic.")
  boolean noSimulator;

  @Mixin CardEncryptionOption cardEncryption;

  @Mixin SimulationOptions simulation;

  @Mixin LabelDelayOptions labelling;

  @Option(names = "--monitoring-window", defaultValue = "P1D",
      description = "Monitoring window in simulated time: about 8,600 transactions a day, a few seconds of the "
          + "demo (default ${DEFAULT-VALUE}).")
  Duration monitoringWindow;

  @Option(names = "--prometheus-port", description = "Serve the job's metrics for Prometheus on this port at /metrics, "
      + "through Flink's Prometheus reporter as the deployed images do (default: not served).")
  Integer prometheusPort;

  @Mixin ModelBundleOptions scoring;

  @Mixin PortOptions ports;

  @Mixin LocalJobOptions local;

  @Option(names = "--registry", defaultValue = ModelRegistryOptions.DEFAULT_REGISTRY,
      description = "Model registry the job takes announced versions from; `riskstream model publish` writes "
          + "to it (default ${DEFAULT-VALUE}).")
  String registry;

  /** Without --lookup-jdbc-url: an embedded H2 database. When preparing it fails, the demo runs on with fallbacks. */
  @Mixin LookupDatabaseOptions lookup;

  @Option(names = "--rules", paramLabel = "FILE", description = "The rule set the job decides with from the start "
      + "(default: the starter set, " + StarterRules.RESOURCE + " in the rules module). Publish others while it runs "
      + "with riskstream rules publish.")
  Path rules;

  @Option(names = "--no-rules", description = "Start without rules: the model alone decides until a set is published.")
  boolean noRules;

  @Option(names = "--no-lookup", description = "Run the job without the profile lookup join (lookupStatus NOT_CONFIGURED).")
  boolean noLookup;

  @Option(names = "--retrain", description = "Close the loop: the job writes its feature log, and a retraining "
      + "service in this process answers each retraining request by training on the logged features and the labels "
      + "so far, judging the candidate against the model in use on the same held-out rows, and publishing and "
      + "announcing it when it passes (see docs/retraining.md). The simulator holds while a retraining runs, and "
      + "while it is more than " + LocalStack.LOOP_LEAD_SECONDS + " s of its rate ahead of the decisions, and "
      + "unless --rate says otherwise sends " + RETRAINING_RATE + " transactions per second.")
  boolean retrain;

  /**
   * The demo compresses a day of traffic into seconds, but not retraining: a rate a quiet machine keeps
   * up with beside the retraining joins, where the feed rarely has to wait for the job (see
   * {@link LocalStack#LOOP_LEAD_SECONDS}).
   */
  static final int RETRAINING_RATE = 1000;

  @Spec CommandSpec spec;

  @Option(names = "--rollout-policy", defaultValue = "SHADOW_THEN_PROMOTE",
      description = "How a retrained or published version goes live (rollout.policy): SHADOW_THEN_PROMOTE (here the "
          + "default: it scores in shadow until the live evidence promotes or rejects it), CANARY (the same, and "
          + "meanwhile it decides the transactions of 5%% of the cards), MANUAL or IMMEDIATE.")
  RolloutPolicy rolloutPolicy;

  /**
   * The rollout's guardrail windows in the simulator's time: some 2,000 transactions each, enough to
   * be judged (rollout.guardrail-min-scored), where the deployed default of five minutes holds 30.
   */
  static final Duration GUARDRAIL_WINDOW = Duration.ofHours(6);

  @Option(names = "--retraining-reports", defaultValue = "models/retraining",
      description = "With --retrain: where each retraining leaves its report and candidate bundle (default ${DEFAULT-VALUE}).")
  Path retrainingReports;

  @Option(names = "--feature-log", paramLabel = "DIR",
      description = "Write the feature log under DIR, kept after the demo ends, for `riskstream features export` "
          + "(default: none; with --retrain a temporary directory).")
  Path featureLog;

  @Option(names = "--topic", paramLabel = "NAME",
      description = "Also create topic NAME (one partition) on the demo's broker, which creates none on first use, "
          + "for producers and consumers of your own: examples/sql writes sql-decisions and sql-dead-letters. "
          + "Repeatable.")
  List<String> extraTopics = List.of();

  @Option(names = "--state-backend", description = "Where the job keeps its keyed state: HASHMAP, the heap, or "
      + "ROCKSDB (default ${DEFAULT-VALUE}, the job's).")
  StateBackendChoice stateBackend = StateOptions.BACKEND.defaultValue();

  @Option(names = "--stall-timeout", defaultValue = "PT3M",
      description = "With --events: give up (exit 1) when nothing is decided for this long (default ${DEFAULT-VALUE}).")
  Duration stallTimeout;

  @Override
  public Integer call() throws Exception {
    MiniClusterHost host = new MiniClusterHost(ports.uiPort, local.parallelism, prometheusPort, retrain);
    Map<String, String> settings = new HashMap<>(scoring.jobSettings());
    settings.put(ModelOptions.REGISTRY.key(), registry);
    settings.put(StateOptions.BACKEND.key(), stateBackend.name());
    settings.putAll(labelSettings());
    settings.put(RolloutOptions.POLICY.key(), rolloutPolicy.name());
    settings.put(RolloutOptions.GUARDRAIL_WINDOW.key(), GUARDRAIL_WINDOW.toMillis() + " ms");
    settings.putAll(ruleSettings());
    if (featureLog != null) {
      settings.put(FeatureLogOptions.PATH.key(), Files.createDirectories(featureLog).toAbsolutePath().toUri().toString());
    }
    return new LocalStack(ports.kafkaPort, local, host)
        .jobSettings(settings)
        .extraTopics(extraTopics)
        .encryptCards(cardEncryption.encryptCards)
        .feed(noSimulator ? null
            : new LocalStack.Feed(simulation::simulator, rate(), labelling.labeller(simulation.seed)))
        .lookup(noLookup ? null : new LookupDatabase(lookup, simulation.population.population()))
        .retraining(retrain ? new InProcessRetraining(retrainingReports, host.restPort()) : null)
        .awaiting(events, stallTimeout)
        .printingReady(noSimulator)
        .run();
  }

  private Map<String, String> ruleSettings() throws IOException {
    Map<String, String> settings = new HashMap<>(Map.of(RuleOptions.UPDATES.key(), "true"));
    if (!noRules) {
      Path file = rules;
      if (file == null) {
        file = Files.createTempFile("riskstream-starter-rules", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, StarterRules.yaml());
      }
      settings.put(RuleOptions.FILE.key(), file.toString());
    }
    return settings;
  }

  private double rate() {
    return retrain && !spec.commandLine().getParseResult().hasMatchedOption("--rate") ? RETRAINING_RATE : simulation.rate;
  }

  /**
   * Labels on, in the simulator's time: a report waits twice the typical label delay after its
   * window, so that only stragglers come late, and decisions and labels wait for each other six
   * times the typical delay, so that stragglers still find their decision.
   */
  private Map<String, String> labelSettings() {
    return Map.of(
        LabelOptions.ENABLED.key(), "true",
        MonitoringOptions.WINDOW.key(), monitoringWindow.toMillis() + " ms",
        LabelOptions.WAIT.key(), labelling.labelDelay.multipliedBy(2).toMillis() + " ms",
        LabelOptions.TTL.key(), labelling.labelDelay.multipliedBy(6).toMillis() + " ms");
  }
}
