package dev.riskstream.job.operators;

import dev.riskstream.features.privacy.Redactor;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.io.RawRecord;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Decodes labels; one that cannot be read becomes a dead letter with its topic, partition and offset. */
public final class ParseLabels extends ProcessFunction<RawRecord, FraudLabel> {

  private transient AvroCodec<FraudLabel> codec;
  private transient Counter deadLetters;

  @Override
  public void open(OpenContext openContext) {
    codec = AvroCodec.of(FraudLabel.class);
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<FraudLabel> out) {
    try {
      out.collect(codec.decode(raw.value));
    } catch (DecodeException e) {
      deadLetters.inc();
      ctx.output(PipelineState.DEAD_LETTERS, DeadLetter.newBuilder()
          .setSourceTopic(raw.topic)
          .setPartition(raw.partition)
          .setOffset(raw.offset)
          .setReason(e.reason())
          .setErrorMessage(Redactor.redact(e.getMessage()))
          .setPayloadPreview(Redactor.redact(ParseAndValidate.preview(raw.value)))
          .setPayloadSize(raw.value == null ? 0 : raw.value.length)
          .setReceivedAt(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
          .build());
    }
  }
}
