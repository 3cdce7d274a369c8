package dev.riskstream.local.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a command runs the job on this machine: its parallelism, its topics' partitions, its checkpoints. */
final class LocalJobOptions {

  @Option(names = "--parallelism", description = "Parallelism of the job (default ${DEFAULT-VALUE}).")
  int parallelism = 2;

  @Option(names = "--partitions", description = "Partitions of the transactions, labels and decisions topics, and of "
      + "the bench's copy topics (default ${DEFAULT-VALUE}).")
  int partitions = 4;

  @Option(names = "--checkpoint-interval", description = "Checkpoint interval, ISO-8601; exactly-once decisions "
      + "become visible at each checkpoint (default ${DEFAULT-VALUE}).")
  Duration checkpointInterval = Duration.ofSeconds(2);
}
