package dev.riskstream.bench;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.operators.OnnxScorer;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.tasks.TaskTimerServices;
import org.apache.flink.streaming.runtime.tasks.TimerService;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * The real scoring operator, {@link OnnxScorer}, fed rows one by one as its task thread feeds it.
 * Flink's operator test harness gives it what a task would (configuration, metric group), with a
 * real task's processing-time service and a {@link CountingOutput} in place of the harness's own.
 * Rows go in batch-sized groups, so each group is filled, scored in one ONNX Runtime call and
 * stamped, without waiting for a timer.
 */
public final class OperatorPath implements AutoCloseable {

  /** Never reached, so no timer fires while rows are fed: full batches are scored at once. */
  private static final Duration MAX_WAIT = Duration.ofDays(1);
  private static final long EVENT_TIME = 1_767_225_600_000L;

  private final AbstractStreamOperatorTestHarness<EnrichedTransaction> harness;
  private final TimerService timers;
  private final ThrowingConsumer<StreamRecord<EnrichedTransaction>, Exception> processElement;
  private final CountingOutput<EnrichedTransaction> output;
  private final StreamRecord<EnrichedTransaction> record = new StreamRecord<>(null);

  private OperatorPath(AbstractStreamOperatorTestHarness<EnrichedTransaction> harness, TimerService timers,
      ThrowingConsumer<StreamRecord<EnrichedTransaction>, Exception> processElement,
      CountingOutput<EnrichedTransaction> output) {
    this.harness = harness;
    this.timers = timers;
    this.processElement = processElement;
    this.output = output;
  }

  /** An open scorer of the bundle in {@code bundle} that scores {@code batchSize} rows a call. */
  public static OperatorPath open(Path bundle, ExecutionProviderChoice provider, int batchSize) throws Exception {
    // the only code that knows how the operator is built and fed: adapt it when the operator changes
    OnnxScorer scorer = new OnnxScorer(bundle.toString(), null, provider, batchSize, MAX_WAIT);
    CountingOutput<EnrichedTransaction> output = new CountingOutput<>();
    TimerService timers = TaskTimerServices.system();
    var harness = new OneInputStreamOperatorTestHarness<>(
        new AsInTask<>(scorer, output, TaskTimerServices.forOperator(timers)));
    harness.open();
    return new OperatorPath(harness, timers, scorer::processElement, output);
  }

  /**
   * Feeds {@code rows} to the operator, which stamps score, model version and execution provider
   * on each; returns how many rows it has emitted in all. Rows still buffered in a partial batch
   * are not emitted, so pass a multiple of the batch size.
   */
  public long process(EnrichedTransaction[] rows) throws Exception {
    for (EnrichedTransaction row : rows) {
      // timestamped, as every record is behind the job's event-time assigner
      record.replace(row, EVENT_TIME);
      processElement.accept(record);
    }
    return output.records();
  }

  @Override
  public void close() throws Exception {
    harness.close();
    timers.shutdownService();
  }

  /** Builds the operator as Flink does, with the given output and timers instead of the harness's. */
  private static final class AsInTask<IN, OUT> extends SimpleOperatorFactory<OUT>
      implements OneInputStreamOperatorFactory<IN, OUT> {

    private final transient Output<StreamRecord<OUT>> output;
    private final transient ProcessingTimeService timers;

    AsInTask(StreamOperator<OUT> operator, Output<StreamRecord<OUT>> output, ProcessingTimeService timers) {
      super(operator);
      this.output = output;
      this.timers = timers;
    }

    @Override
    public <T extends StreamOperator<OUT>> T createStreamOperator(StreamOperatorParameters<OUT> parameters) {
      return super.createStreamOperator(new StreamOperatorParameters<>(parameters.getContainingTask(),
          parameters.getStreamConfig(), output, () -> timers, parameters.getOperatorEventDispatcher(),
          parameters.getMailboxExecutor()));
    }
  }
}
