package dev.riskstream.job;

import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.DeadLetter;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * State descriptors and side outputs shared by the job and its operators. Their names are part of
 * savepoints: renaming one loses state.
 */
public final class PipelineState {

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  private PipelineState() {}

  /** Per card; a new descriptor each call because descriptors carry runtime state once used. */
  public static ValueStateDescriptor<CardState> cardHistory() {
    return new ValueStateDescriptor<>("card-history", new AvroTypeInfo<>(CardState.class));
  }
}
