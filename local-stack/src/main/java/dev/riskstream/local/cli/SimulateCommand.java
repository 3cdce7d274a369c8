package dev.riskstream.local.cli;

import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Simulated transactions to a file, as input of {@code riskstream batch-score --input}. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Write simulated transactions to an Avro object container file of Transaction records. Like the "
        + "transactions topic, it holds card numbers in clear.")
final class SimulateCommand implements Callable<Integer> {

  @Option(names = "--events", required = true, description = "Number of transactions.")
  long events;

  @Option(names = "--output", required = true, description = "File to create; never overwritten.")
  Path output;

  @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--population-seed", defaultValue = TrainBaselineCommand.DEFAULT_SEED,
      description = "Seed of the simulated customers, merchants and cards (default ${DEFAULT-VALUE}: those the "
          + "baseline model was trained on).")
  long populationSeed;

  @Option(names = "--start", description = "Event time of the first transaction, ISO-8601 (default: now).")
  Instant start;

  @Option(names = "--drift", description = "Simulate the drifted regime.")
  boolean drift;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(output)) {
      System.err.println("riskstream simulate: " + output + " exists");
      return 1;
    }
    TransactionSimulator simulator = TransactionSimulator.builder().seed(seed).populationSeed(populationSeed)
        .start(start != null ? start : Instant.now()).drift(drift).build();
    try (DataFileWriter<Transaction> file = new DataFileWriter<>(new SpecificDatumWriter<>(Transaction.class))) {
      file.setCodec(CodecFactory.deflateCodec(6));
      file.create(Transaction.getClassSchema(), output.toFile());
      for (long i = 0; i < events; i++) {
        file.append(simulator.next().transaction());
      }
    }
    System.err.printf("wrote %d transactions to %s%n", events, output);
    return 0;
  }
}
