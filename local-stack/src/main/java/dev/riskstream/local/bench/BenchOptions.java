package dev.riskstream.local.bench;

import dev.riskstream.job.DeliveryChoice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;

/**
 * What the bench runs and on what configuration.
 *
 * @param events transactions pre-loaded for the throughput runs
 * @param delivery guarantee of the throughput runs (the Flink copy job's and the full job's)
 * @param latencyDeliveries one latency run per guarantee
 * @param latencyRates transactions per second of each latency run, one after the other
 * @param latencySamples folder that each latency run's per-transaction samples are written to; null: none
 * @param cards distinct cards of the keyed-state run; 0: no such run
 * @param transactionsPerCard transactions of each card in the keyed-state run
 * @param jobSettings settings of the full job that every run shares (token key, event-time limits)
 * @param jobOverrides settings of the full job chosen for an experiment, over the bench's own for every run
 * @param flinkSettings Flink settings of every Flink run, over the job's own runtime settings
 * @param writerProperties Kafka producer properties of the latency runs' load generator, over its own
 */
public record BenchOptions(long events, int partitions, int parallelism, int batchSize, Duration checkpointInterval,
    DeliveryChoice delivery, List<DeliveryChoice> latencyDeliveries, List<Double> latencyRates, Duration latencyDuration,
    Duration latencyWarmup, int latencyCustomers, Path latencySamples, Path model, String executionProvider, boolean lookup, long cards, int transactionsPerCard,
    MemorySize managedMemory, Duration stallTimeout, long seed, long populationSeed,
    Map<String, String> jobSettings, Map<String, String> jobOverrides, Map<String, String> flinkSettings,
    Map<String, String> writerProperties) {

  public BenchOptions {
    latencyDeliveries = List.copyOf(latencyDeliveries);
    latencyRates = List.copyOf(latencyRates);
    jobSettings = Map.copyOf(jobSettings);
    jobOverrides = Map.copyOf(jobOverrides);
    flinkSettings = Map.copyOf(flinkSettings);
    writerProperties = Map.copyOf(writerProperties);
  }
}
