package dev.riskstream.ops;

import dev.riskstream.training.RetrainingJob;
import dev.riskstream.training.RetrainingReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * One retraining from a shell or a scheduler, with an exit code per outcome, which {@code flink run}
 * of {@link RetrainingJob} cannot give: its main returns or fails, as a Flink application must.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
    description = {"Retrain once in this process (the join on a local Flink cluster) and exit 0 when the candidate "
        + "was published, 2 when the validation gate rejected it, 1 when retraining failed or the arguments are wrong.",
        "Arguments as RetrainingJob's on a cluster: --champion VERSION --from ISO-INSTANT [--to ISO-INSTANT] "
            + "[--reason DRIFT|PERFORMANCE|ESTIMATED_PERFORMANCE|SCHEDULED] [--config retraining.properties] [--key value ...] (docs/retraining.md)."})
public final class RetrainCommand implements Callable<Integer> {

  @Unmatched List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() {
    try {
      RetrainingReport report = RetrainingJob.parse(arguments.toArray(String[]::new))
          .run(StreamExecutionEnvironment::getExecutionEnvironment);
      return switch (report.outcome()) {
        case PUBLISHED -> 0;
        case REJECTED -> 2;
        case FAILED -> 1;
      };
    } catch (Exception e) {
      System.err.println("riskstream retrain: " + e.getMessage());
      return 1;
    }
  }
}
