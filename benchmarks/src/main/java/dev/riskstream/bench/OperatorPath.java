package dev.riskstream.bench;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.operators.OnnxScorer;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.ScoringSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.runtime.tasks.TaskTimerServices;
import org.apache.flink.streaming.runtime.tasks.TimerService;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * The real scoring operator, {@link OnnxScorer}, fed rows one by one as its task thread feeds it.
 * Flink's operator test harness gives it what a task would (configuration, metric group), with a
 * real task's processing-time service and a {@link CountingOutput} in place of the harness's own.
 * Rows go in batch-sized groups, so each group is filled and handed to the scoring lane without
 * waiting for a timer. Between rows the task's mailbox is checked, as a task's mailbox loop does
 * between records, which is how scored batches come back from a lane of their own.
 */
public final class OperatorPath implements AutoCloseable {

  /** Never reached, so no timer fires while rows are fed: full batches are scored at once. */
  private static final Duration MAX_WAIT = Duration.ofDays(1);
  private static final long EVENT_TIME = 1_767_225_600_000L;

  private final AbstractStreamOperatorTestHarness<EnrichedTransaction> harness;
  private final TimerService timers;
  private final ThrowingConsumer<StreamRecord<EnrichedTransaction>, Exception> processElement;
  private final CountingOutput<EnrichedTransaction> output;
  private final TaskMailbox mailbox;
  private long barriers;
  private final StreamRecord<EnrichedTransaction> record = new StreamRecord<>(null);

  private OperatorPath(AbstractStreamOperatorTestHarness<EnrichedTransaction> harness, TimerService timers,
      ThrowingConsumer<StreamRecord<EnrichedTransaction>, Exception> processElement,
      CountingOutput<EnrichedTransaction> output) {
    this.harness = harness;
    this.mailbox = harness.getTaskMailbox();
    this.timers = timers;
    this.processElement = processElement;
    this.output = output;
  }

  /** An open scorer of the bundle in {@code bundle} that scores {@code batchSize} rows a call in {@code lane}. */
  public static OperatorPath open(Path bundle, ProviderPlan providers, int batchSize, ScoringLaneChoice lane)
      throws Exception {
    // the only code that knows how the operator is built and fed: adapt it when the operator changes
    OnnxScorer scorer = new OnnxScorer(bundle.toString(), null,
        new ScoringSettings(providers, batchSize, MAX_WAIT, lane, batchSize));
    CountingOutput<EnrichedTransaction> output = new CountingOutput<>();
    TimerService timers = TaskTimerServices.system();
    var harness = new OneInputStreamOperatorTestHarness<>(
        new AsInTask<>(scorer, output, TaskTimerServices.forOperator(timers)));
    harness.open();
    return new OperatorPath(harness, timers, scorer::processElement, output);
  }

  /**
   * Feeds {@code rows} to the operator, which stamps score, model version and execution provider
   * on each; returns how many rows it has emitted in all. Rows of the batch in flight, or of a
   * partial one, are not emitted yet: {@link #emitAll} does that.
   */
  public long process(EnrichedTransaction[] rows) throws Exception {
    for (EnrichedTransaction row : rows) {
      // timestamped, as every record is behind the job's event-time assigner
      record.replace(row, EVENT_TIME);
      processElement.accept(record);
      for (Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY); mail.isPresent();
          mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)) {
        mail.get().run();
      }
    }
    return output.records();
  }

  /** Scores and emits every row fed so far, as the operator does before a checkpoint barrier; returns the rows emitted in all. */
  public long emitAll() throws Exception {
    harness.prepareSnapshotPreBarrier(++barriers);
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
