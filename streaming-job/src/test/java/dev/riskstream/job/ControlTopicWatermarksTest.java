package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.operators.RuleDecisions;
import dev.riskstream.schemas.Decision;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A control topic's watermarks ({@link RiskstreamJob#noEventTime}) beside the transactions, at the
 * deciding operator of a job with rules.updates: the decisions carry the transactions' event time, and
 * when the transactions go idle the decisions do too, rather than jump to the end of time.
 */
class ControlTopicWatermarksTest {

  /** What a control topic's source says about event time, replayed on the harness's second input. */
  private static final class ControlSourceOutput implements WatermarkOutput {
    private final List<Object> said = new ArrayList<>();

    @Override
    public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) {
      said.add(new Watermark(watermark.getTimestamp()));
    }

    @Override
    public void markIdle() {
      said.add(WatermarkStatus.IDLE);
    }

    @Override
    public void markActive() {
      said.add(WatermarkStatus.ACTIVE);
    }
  }

  @Test
  void decisionsFollowTheTransactionsEventTimeAndGoIdleWithThem() throws Exception {
    WatermarkGenerator<RawRecord> generator = RiskstreamJob.noEventTime().createWatermarkGenerator(null);
    ControlSourceOutput control = new ControlSourceOutput();
    generator.onPeriodicEmit(control);
    generator.onPeriodicEmit(control);

    try (TwoInputStreamOperatorTestHarness<EnrichedTransaction, RawRecord, Decision> harness =
        new TwoInputStreamOperatorTestHarness<>(
            new CoBroadcastWithNonKeyedOperator<>(new RuleDecisions(null), List.of(PipelineState.ruleSets())))) {
      harness.open();
      harness.processWatermark1(new Watermark(1_000));
      for (Object event : control.said) {
        if (event instanceof Watermark watermark) {
          harness.processWatermark2(watermark);
        } else {
          harness.processWatermarkStatus2((WatermarkStatus) event);
        }
      }
      harness.processWatermark1(new Watermark(2_000));
      harness.processWatermarkStatus1(WatermarkStatus.IDLE);

      List<Object> emitted = new ArrayList<>(harness.getOutput());
      assertThat(emitted).as("the transactions' watermarks, then idle: never the end of time")
          .containsExactly(new Watermark(1_000), new Watermark(2_000), WatermarkStatus.IDLE);
    }
  }
}
