package dev.riskstream.io.labels;

import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes labels; one that cannot be read becomes a dead letter ({@link DeadLetters#TAG}) with its
 * topic, partition and offset.
 */
public final class ParseLabels extends ProcessFunction<RawRecord, FraudLabel> {

  private transient AvroCodec<FraudLabel> codec;
  private transient DeadLetters deadLetters;

  @Override
  public void open(OpenContext openContext) {
    codec = AvroCodec.of(FraudLabel.class);
    deadLetters = new DeadLetters(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<FraudLabel> out) {
    try {
      out.collect(codec.decode(raw.value));
    } catch (DecodeException e) {
      ctx.output(DeadLetters.TAG, deadLetters.letter(raw.topic, raw.partition, raw.offset, e.reason(), e.getMessage(),
          raw.payloadPreview(), raw.payloadSize(), ctx.timerService().currentProcessingTime()));
    }
  }
}
