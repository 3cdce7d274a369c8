package dev.riskstream.local.bench;

import dev.riskstream.io.kafka.KafkaClientProperties;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.local.simulator.TransactionSimulator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The full job of one delivery guarantee fed at each latency rate in turn, with transactions whose
 * event time is the wall-clock time they are sent at, as real producers stamp them. At each rate,
 * after an unmeasured warm-up, each transaction's latency from its send time to its decision's
 * write, and to its decision being read by a {@code read_uncommitted} and by a
 * {@code read_committed} consumer, side by side.
 *
 * <p>One job serves every rate: a submission costs a MiniCluster, RocksDB, the model session and the
 * lookup pool, many seconds before the first decision, and a cold job decides slowly for a while
 * (classes loading, code not yet compiled, caches empty), none of which a producer of a running job
 * sees. So only the first rate waits for the job's first decision; each rate's warm-up then brings the
 * job to that rate. A rate the job cannot keep up with leaves a backlog: its decisions are waited for
 * (as long as they keep coming) and their latencies count, and the next rate starts once they are in.
 */
final class LatencyRun {

  private final JobConfig config;
  private final BenchOptions options;
  private final PrintStream progress;

  private LatencyRun(JobConfig config, BenchOptions options, PrintStream progress) {
    this.config = config;
    this.options = options;
    this.progress = progress;
  }

  /** One result per rate of {@code options}, in their order. */
  static List<BenchReport.LatencyResult> run(String bootstrapServers, JobConfig config, BenchOptions options,
      TransactionSimulator simulator, PrintStream progress) throws Exception {
    return new LatencyRun(config, options, progress).measure(bootstrapServers, simulator);
  }

  private List<BenchReport.LatencyResult> measure(String bootstrapServers, TransactionSimulator simulator)
      throws Exception {
    String phase = "latency " + config.deliveryGuarantee();
    List<BenchReport.LatencyResult> results = new ArrayList<>();
    Properties client = KafkaClientProperties.NONE.toProperties(bootstrapServers);
    client.putAll(options.writerProperties());
    try (LatencyProbe probe = new LatencyProbe(client, config.transactionsTopic(), config.decisionsTopic(), simulator);
        JobRun job = JobRun.submit(config, options, phase, env -> RiskstreamJob.wireKafka(env, config))) {
      List<Double> rates = options.latencyRates();
      probe.writeUntilDecided(rates.get(0), progress, phase);
      for (double rate : rates) {
        results.add(measureAt(rate, probe, job, String.format(Locale.ROOT, "%s %,.0f/s", phase, rate)));
      }
    }
    return results;
  }

  private BenchReport.LatencyResult measureAt(double rate, LatencyProbe probe, JobRun job, String phase)
      throws Exception {
    probe.warmUp(rate, options.latencyWarmup(), progress, phase);
    LatencyProbe.Measured measured = probe.measure(rate, options.latencyDuration(),
        (decisions, target) -> job.awaitCount(decisions::decided, target, options.stallTimeout()), progress, phase);
    if (options.latencySamples() != null) {
      Files.createDirectories(options.latencySamples());
      measured.writeSamples(options.latencySamples().resolve(String.format(Locale.ROOT, "latency-%s-%.0f.csv",
          config.deliveryGuarantee().name(), rate)));
    }
    return measured.result(config.deliveryGuarantee().name(), rate);
  }
}
