package dev.riskstream.bench;

import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * An operator output that only counts the records of its main output. The test harness's own output copies every record
 * into a queue, which would cost more than the scoring it is meant to measure.
 */
final class CountingOutput<T> implements Output<StreamRecord<T>> {

  private long records;

  long records() {
    return records;
  }

  @Override
  public void collect(StreamRecord<T> record) {
    records++;
  }

  @Override
  public <X> void collect(OutputTag<X> outputTag, StreamRecord<X> record) {}

  @Override
  public void emitWatermark(Watermark mark) {}

  @Override
  public void emitWatermarkStatus(WatermarkStatus watermarkStatus) {}

  @Override
  public void emitLatencyMarker(LatencyMarker latencyMarker) {}

  @Override
  public void emitRecordAttributes(RecordAttributes recordAttributes) {}

  @Override
  public void emitWatermark(WatermarkEvent watermark) {}

  @Override
  public void close() {}
}
