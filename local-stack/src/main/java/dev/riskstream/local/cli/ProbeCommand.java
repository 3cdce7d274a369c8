package dev.riskstream.local.cli;

import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.local.bench.Await;
import dev.riskstream.local.bench.BenchReport;
import dev.riskstream.local.bench.LatencyGoals;
import dev.riskstream.local.bench.LatencyProbe;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.KafkaConnectionOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The latency of a running job as its producers and decision consumers see it: simulated
 * transactions stamped with the wall clock, sent at a fixed rate, each timed to its decision. The
 * demo's acceptance of tens of milliseconds at 100 and 2,000 transactions/s is checked with it, and
 * so can a deployed job be after a change, if its teams accept the simulator's cards in its traffic.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Send simulated transactions stamped with the wall clock to a running job at --rate for --duration, "
        + "and time each one from its send to its decision: written (the decision record's timestamp), readable "
        + "read_uncommitted and readable read_committed. Prints p50/p99/p99.9/max per path against the "
        + "authorisation goals; exits 1 if some decisions never came.",
        "The transactions count in the job's state and monitoring like any others, from the simulated "
            + "population's cards: for the demo, a staging job, or a job whose teams accept them."})
final class ProbeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaConnectionOptions kafka;

  @Mixin PopulationOptions population;

  @Option(names = "--rate", defaultValue = "100", description = "Transactions per second (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "PT30S", description = "How long to send the measured transactions "
      + "(default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warm-up", defaultValue = "PT0S", description = "Send at --rate this long first without measuring, "
      + "for a job that has just started and still compiles its code (default ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(names = "--timeout", defaultValue = "PT30S", description = "Stop waiting for the outstanding decisions once "
      + "none has come for this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--seed", description = "Simulator seed (default: the time, so that no two probes send the same "
      + "transactionIds, which the job would take for duplicates).")
  Long seed;

  @Option(names = "--samples", description = "Also write each measured transaction's send time and latencies to this "
      + "CSV file.")
  Path samples;

  @Option(names = "--transactions-topic", description = "The job's topic.transactions (default ${DEFAULT-VALUE}).")
  String transactionsTopic = TopicOptions.TRANSACTIONS.defaultValue();

  @Option(names = "--decisions-topic", description = "The job's topic.decisions (default ${DEFAULT-VALUE}).")
  String decisionsTopic = TopicOptions.DECISIONS.defaultValue();

  @Override
  public Integer call() throws Exception {
    if (rate <= 0 || duration.isNegative() || duration.isZero() || warmUp.isNegative()) {
      spec.commandLine().getErr().println("riskstream probe: --rate and --duration must be positive, --warm-up not negative");
      return 1;
    }
    TransactionSimulator simulator = TransactionSimulator.builder()
        .seed(seed == null ? System.currentTimeMillis() : seed).populationSeed(population.seed).start(Instant.now())
        .build();
    String phase = "probe " + decisionsTopic;
    try (LatencyProbe probe = new LatencyProbe(kafka.clientProperties(), transactionsTopic, decisionsTopic, simulator)) {
      if (!warmUp.isZero()) {
        probe.warmUp(rate, warmUp, System.err, phase);
      }
      LatencyProbe.Measured measured = probe.measure(rate, duration,
          (decisions, target) -> Await.reaches(decisions::decided, target, timeout), System.err, phase);
      if (samples != null) {
        measured.writeSamples(samples);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (measured.decided() > 0) {
        BenchReport.LatencyResult result = measured.result(decisionsTopic, rate);
        out.print(BenchReport.Latency.of(LatencyGoals.AUTHORISATION, List.of(result)).table());
      }
      out.printf(Locale.ROOT, "%,d sent, %,d decided%n", measured.sent(), measured.decided());
      out.flush();
      if (measured.decided() < measured.sent()) {
        spec.commandLine().getErr().printf(Locale.ROOT, "riskstream probe: %,d transactions got no decision on %s, "
            + "none came for %s; the job's dead letters and log say why%n", measured.sent() - measured.decided(),
            decisionsTopic, timeout);
        return 1;
      }
      return 0;
    } catch (IllegalArgumentException | KafkaException e) {
      spec.commandLine().getErr().println("riskstream probe: " + e.getMessage());
      return 1;
    }
  }
}
