package dev.riskstream.local.cli;

import dev.riskstream.io.settings.TopicOptions;
import dev.riskstream.local.simulator.Labeller;
import dev.riskstream.local.simulator.SimulatedTransaction;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.ops.KafkaConnectionOptions;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The demo's transaction simulator against any Kafka cluster: a load generator for a deployed job;
 * or into a file, as input of {@code riskstream batch-score --input}. Its clock runs ahead of the
 * wall clock (about 10 s of event time per transaction), so the job it feeds needs an
 * {@code input.max-event-time-ahead} that allows for it.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Produce simulated transactions (and, with --labels, their labels) to the topics of any Kafka "
        + "cluster until interrupted, or until --events are written.",
        "With --output, write --events transactions to an Avro object container file of Transaction records instead; "
        + "like the transactions topic, it holds card numbers in clear. With --labels-output too, their labels to "
        + "another, of FraudLabel records (as `rules backtest --labels` reads them)."})
final class SimulateCommand implements Callable<Integer> {

  @Mixin KafkaConnectionOptions kafka;

  @Mixin SimulationOptions simulation;

  @Mixin LabelDelayOptions labelling;

  @Option(names = "--events", description = "Write this many transactions (and the labels still due for them), then "
      + "exit 0 once the broker has acknowledged every record. Without it: until interrupted.")
  Long events;

  @Option(names = "--output", description = "Write the transactions to this file instead of Kafka (never "
      + "overwritten; needs --events).")
  Path output;

  @Option(names = "--labels-output", description = "With --output: also write the transactions' labels, those that "
      + "ever come (see --label-delay), to this Avro file of FraudLabel records (never overwritten).")
  Path labelsOutput;

  @Option(names = "--labels", description = "Also write each transaction's fraud label to the labels topic once its "
      + "simulated time comes (see --label-delay).")
  boolean labels;

  @Option(names = "--transactions-topic", description = "The job's topic.transactions (default ${DEFAULT-VALUE}).")
  String transactionsTopic = TopicOptions.TRANSACTIONS.defaultValue();

  @Option(names = "--labels-topic", description = "The job's topic.labels (default ${DEFAULT-VALUE}).")
  String labelsTopic = TopicOptions.LABELS.defaultValue();

  @Override
  public Integer call() throws Exception {
    return output == null ? toKafka() : toFile();
  }

  private int toKafka() throws Exception {
    System.err.printf("Simulating %s transactions at %s per second to %s/%s%s%n", events == null ? "endless" : events,
        simulation.rate, kafka.bootstrapServers(), transactionsTopic, labels ? ", labels to " + labelsTopic : "");
    try (ShutdownRequest shutdown = ShutdownRequest.install();
        SimulatorFeed feed = SimulatorFeed.start(kafka.clientProperties(), transactionsTopic, simulation.simulator(),
            labels ? new SimulatorFeed.LabelFeed(labelsTopic, labelling.labeller(simulation.seed)) : null, null, simulation.rate,
            events, () -> false)) {
      while (!shutdown.requested()) {
        if (feed.awaitEnd(Duration.ofSeconds(1))) {
          System.err.println("Written and acknowledged: " + events + " transactions");
          return 0;
        }
      }
      return 0;
    } catch (IllegalArgumentException | KafkaException e) {
      System.err.println("riskstream simulate: " + e.getMessage());
      return 1;
    }
  }

  private int toFile() throws Exception {
    if (events == null || labels) {
      System.err.println("riskstream simulate: --output needs --events and writes no labels to Kafka; "
          + "--labels-output writes them to a file");
      return 1;
    }
    for (Path file : labelsOutput == null ? List.of(output) : List.of(output, labelsOutput)) {
      if (Files.exists(file)) {
        System.err.println("riskstream simulate: " + file + " exists");
        return 1;
      }
    }
    TransactionSimulator simulator = simulation.simulator();
    Labeller labeller = labelling.labeller(simulation.seed);
    long labelled = 0;
    try (DataFileWriter<Transaction> file = avroFile(Transaction.class, Transaction.getClassSchema(), output);
        DataFileWriter<FraudLabel> labelFile = labelsOutput == null ? null
            : avroFile(FraudLabel.class, FraudLabel.getClassSchema(), labelsOutput)) {
      for (long i = 0; i < events; i++) {
        SimulatedTransaction simulated = simulator.next();
        file.append(simulated.transaction());
        Optional<FraudLabel> label = labelFile == null ? Optional.empty() : labeller.label(simulated);
        if (label.isPresent()) {
          labelFile.append(label.get());
          labelled++;
        }
      }
    }
    System.err.printf("wrote %d transactions to %s%s%n", events, output,
        labelsOutput == null ? "" : ", " + labelled + " labels to " + labelsOutput);
    return 0;
  }

  private static <T> DataFileWriter<T> avroFile(Class<T> type, Schema schema, Path path) throws IOException {
    DataFileWriter<T> file = new DataFileWriter<>(new SpecificDatumWriter<>(type));
    file.setCodec(CodecFactory.deflateCodec(6));
    return file.create(schema, path.toFile());
  }
}
