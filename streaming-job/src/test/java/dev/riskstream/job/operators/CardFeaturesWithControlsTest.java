package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ControlRecord;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.FeatureOrdering;
import dev.riskstream.job.ParsedTransaction;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The deciding task's head with control topics: the card features of each transaction, and every
 * control record handed on between the transactions it came between; the transactions' event time,
 * idle when they are, whatever a control topic's source says ({@link RiskstreamJob#noEventTime}).
 */
class CardFeaturesWithControlsTest {

  private static KeyedTwoInputStreamOperatorTestHarness<String, ParsedTransaction, ControlRecord, EnrichedTransaction>
      harness() throws Exception {
    var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
        new CardFeaturesWithControls(new CardFeatureEnricher(FeatureOrdering.ARRIVAL, Duration.ofSeconds(1),
            Duration.ofHours(1))),
        (ParsedTransaction parsed) -> parsed.transaction.getCardNumber(),
        // control records touch no keyed state
        (ControlRecord control) -> "", Types.STRING);
    harness.open();
    return harness;
  }

  private static StreamRecord<ParsedTransaction> transaction(int i) {
    var tx = TestData.transaction(i).build();
    return new StreamRecord<>(TestData.parsed(tx, 1_000 + i), tx.getEventTime().toEpochMilli());
  }

  /** What a control topic's source says about event time, to replay on the harness's second input. */
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
  void handsEachControlRecordOnBetweenTheTransactionsItArrivedBetween() throws Exception {
    RawRecord publication = new RawRecord("rule-sets", 0, 7, 0, new byte[] {1});
    try (var harness = harness()) {
      harness.processElement1(transaction(1));
      harness.processElement2(new StreamRecord<>(new ControlRecord(ControlRecord.Kind.RULE_SET, publication)));
      harness.processElement1(transaction(2));

      List<EnrichedTransaction> out = harness.extractOutputValues();
      assertThat(out).hasSize(3);
      assertThat(out.get(0).transaction.getTransactionId()).isEqualTo("tx-1");
      assertThat(out.get(0).features).as("the transaction's card features").isNotNull();
      assertThat(out.get(0).receivedAt).isEqualTo(1_001);
      assertThat(out.get(1).transaction).isNull();
      assertThat(out.get(1).control.kind).isEqualTo(ControlRecord.Kind.RULE_SET);
      assertThat(out.get(1).control.record.offset).isEqualTo(7);
      assertThat(out.get(2).transaction.getTransactionId()).isEqualTo("tx-2");
      assertThat(out.get(2).control).isNull();
    }
  }

  @Test
  void followsTheTransactionsEventTimeAndGoesIdleWithThem() throws Exception {
    WatermarkGenerator<RawRecord> generator = RiskstreamJob.noEventTime().createWatermarkGenerator(null);
    ControlSourceOutput control = new ControlSourceOutput();
    generator.onPeriodicEmit(control);
    generator.onPeriodicEmit(control);

    try (var harness = harness()) {
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

      assertThat(new ArrayList<>(harness.getOutput())).as("the transactions' watermarks, then idle: never the end of time")
          .containsExactly(new Watermark(1_000), new Watermark(2_000), WatermarkStatus.IDLE);
    }
  }
}
