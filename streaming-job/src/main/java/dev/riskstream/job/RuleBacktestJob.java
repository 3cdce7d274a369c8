package dev.riskstream.job;

import dev.riskstream.job.batch.BacktestRow;
import dev.riskstream.job.batch.BacktestTally;
import dev.riskstream.job.operators.LabelBacktestRows;
import dev.riskstream.job.operators.RuleBacktest;
import dev.riskstream.schemas.FraudLabel;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.AvroInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;

/**
 * A rule backtest, hung on batch scoring ({@link BatchScoringJob}): every scored transaction decided
 * by the model alone, the current rule set and a candidate ({@link RuleBacktest}), joined with its
 * label when labels are given ({@link LabelBacktestRows}), summed into one {@link BacktestTally}.
 */
public final class RuleBacktestJob {

  public static final String JOB_NAME = "riskstream-rules-backtest";

  private RuleBacktestJob() {}

  /**
   * @param current the rule set in use; null: the candidate is compared with the model alone
   * @param labelFiles Avro container files of {@link FraudLabel} records, or a directory of them
   */
  public static DataStream<BacktestTally> tally(DataStream<EnrichedTransaction> scored, String candidate,
      String current, Optional<String> labelFiles) {
    DataStream<BacktestRow> rows = scored
        .map(new RuleBacktest(candidate, current), TypeInformation.of(BacktestRow.class))
        .uid("rule-backtest").name("Decide by the model, the current and the candidate rules");
    if (labelFiles.isPresent()) {
      AvroInputFormat<FraudLabel> format = new AvroInputFormat<>(new Path(labelFiles.get()), FraudLabel.class);
      format.setNestedFileEnumeration(true);
      DataStream<FraudLabel> labels = scored.getExecutionEnvironment().createInput(format)
          .uid("label-files-source").name("Files: " + labelFiles.get());
      rows = rows.keyBy(row -> row.transactionId)
          .connect(labels.keyBy(label -> label.getTransactionId()))
          .process(new LabelBacktestRows(), TypeInformation.of(BacktestRow.class))
          .uid("label-backtest-rows").name("Join labels by transactionId");
    }
    return rows.windowAll(GlobalWindows.createWithEndOfStreamTrigger())
        .aggregate(new BacktestTally.Sum(), TypeInformation.of(BacktestTally.class), TypeInformation.of(BacktestTally.class))
        .uid("backtest-tally").name("Tally the backtest");
  }
}
