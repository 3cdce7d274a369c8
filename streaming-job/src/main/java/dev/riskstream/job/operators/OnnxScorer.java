package dev.riskstream.job.operators;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.onnx.ExecutionProviderUnavailableException;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ControlRecord;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.scoring.BatchRun;
import dev.riskstream.job.scoring.CanaryShare;
import dev.riskstream.job.scoring.ModelSlots;
import dev.riskstream.job.scoring.ModelSwitch;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.RowBatch;
import dev.riskstream.job.scoring.ScoringLane;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.ScoringSettings;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Scores transactions with the ONNX model in micro-batches, and stamps model version, thresholds and
 * execution provider. Rows are buffered until {@code batchSize} have arrived or the first of them has
 * waited {@code maxWait} of processing time, then scored in one {@code OrtSession.run}.
 *
 * <p>A full batch is handed to a {@link ScoringLane} and the task thread goes on filling the next
 * one; at most one batch is in flight, so rows leave in arrival order. The scored batch is emitted
 * by a mail to the task thread as soon as its run ends, or at once when the next batch is ready to go
 * and finds it done. Which thread runs the batches is {@link ScoringLaneChoice}: the task thread
 * itself (CPU), or one shared by the TaskManager's slots that merges their batches (GPU).
 *
 * <p>Every row is scored and emitted before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}),
 * at the end of input ({@link #finish}) and before every watermark, so a checkpoint never covers a
 * row that is not yet emitted (nothing is lost or scored twice on recovery) and no row is emitted
 * behind a watermark that has passed it. The session is shared by the TaskManager's slots
 * ({@link dev.riskstream.job.scoring.SharedModels}); the batches are this subtask's own.
 *
 * <p>Hot swap: with a model registry, model-update announcements come down the decision path in line
 * with the rows ({@link ControlRecord}; broadcast, so every subtask sees each). An announced version
 * is loaded and validated beside the current model ({@link ModelSlots}) and takes over at a batch
 * boundary, so every row is scored by exactly one version; each subtask reports what it did on the
 * {@link PipelineState#MODEL_STATUS} side output. The announcement of the active model, and of one
 * still loading, is operator state (broadcast state, as when announcements were a second input, so
 * savepoints of those releases restore), so a restart resumes with the same model. Without a
 * registry no announcement comes and the operator scores with the initial bundle. A control record
 * for the deciding operator goes on after the rows that came before it.
 *
 * <p>Shadow mode: a version announced with {@code SHADOW} is loaded the same way into a second
 * slot and, from a batch boundary on, scores every row too, after the deciding model and on the
 * same lane kind; its score and thresholds ride on the row for monitoring, while the decision stays
 * the deciding model's, but under a canary rollout ({@link CanaryShare}), where the shadow decides the
 * rows of its share of cards. {@code END_SHADOW} empties that slot, and so does activating the
 * shadow's version, which promotes it. Both slots' announcements are operator state.
 *
 * <p>Metrics: {@link ScorerMetrics}.
 */
public final class OnnxScorer extends AbstractStreamOperator<EnrichedTransaction>
    implements OneInputStreamOperator<EnrichedTransaction, EnrichedTransaction> {

  /** How often a subtask without traffic checks whether an announced model has loaded. */
  private static final long LOAD_POLL_MILLIS = 50;
  private static final AvroCodec<ModelUpdate> UPDATES = AvroCodec.of(ModelUpdate.class);

  private final String bundleDirectory;
  private final ModelRegistry registry;
  private final ScoringSettings scoring;
  /** The cards a model in shadow decides under a canary rollout; null: none. */
  private final CanaryShare canary;

  private transient BroadcastState<String, ModelUpdate> updateState;
  private transient ModelSlots models;
  /** Decided while opening, reported at the first load poll. */
  private transient List<ModelSwitch.Outcome> unreported;
  private transient ScorerMetrics metrics;
  private transient MailboxExecutor mailbox;
  /** Where arriving rows go. */
  private transient RowBatch filling;
  /** The batch handed to a lane and not yet emitted; exactly one of this and {@link #spare} is null. */
  private transient RowBatch inFlight;
  /** The other batch, empty, while none is in flight. */
  private transient RowBatch spare;
  private transient StreamRecord<EnrichedTransaction> emitted;
  private transient ScheduledFuture<?> maxWaitTimer;
  private transient ScheduledFuture<?> loadPollTimer;

  /**
   * @param registry where announced model versions live; null: no hot swap
   */
  public OnnxScorer(String bundleDirectory, ModelRegistry registry, ScoringSettings scoring) {
    this(bundleDirectory, registry, scoring, null);
  }

  /**
   * @param registry where announced model versions live; null: no hot swap
   * @param canary the cards a model in shadow decides (rollout.policy CANARY); null: it decides none
   */
  public OnnxScorer(String bundleDirectory, ModelRegistry registry, ScoringSettings scoring, CanaryShare canary) {
    this.bundleDirectory = bundleDirectory;
    this.registry = registry;
    this.scoring = scoring;
    this.canary = canary;
  }

  /** Called by Flink before {@link #open}: scored batches come back to the task thread through it. */
  @Override
  public void setMailboxExecutor(MailboxExecutor mailboxExecutor) {
    super.setMailboxExecutor(mailboxExecutor);
    this.mailbox = mailboxExecutor;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    updateState = context.getOperatorStateStore().getBroadcastState(PipelineState.modelUpdates());
  }

  @Override
  public void open() throws Exception {
    super.open();
    models = new ModelSlots(Path.of(bundleDirectory), scoring.providers(), registry,
        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), updateState, this::report);
    try {
      unreported = new ArrayList<>(models.open());
    } catch (ExecutionProviderUnavailableException e) {
      // restarting cannot make a GPU appear: fail the job instead of restarting it in a loop
      throw new SuppressRestartsException(e);
    }
    filling = new RowBatch(models.deciding(), models.shadow(), scoring.batchSize());
    spare = new RowBatch(models.deciding(), models.shadow(), scoring.batchSize());
    emitted = new StreamRecord<>(null);
    metrics = new ScorerMetrics(getMetricGroup(), models, scoring.lane());
    if (!unreported.isEmpty() || models.awaitingSwitch()) {
      scheduleLoadPoll();
    }
  }

  @Override
  public void processElement(StreamRecord<EnrichedTransaction> element) throws Exception {
    ControlRecord control = element.getValue().control;
    if (control != null) {
      take(control, element);
      return;
    }
    filling.add(element);
    if (filling.isFull()) {
      dispatch();
    } else if (maxWaitTimer == null) {
      var time = getProcessingTimeService();
      maxWaitTimer = time.registerTimer(time.getCurrentProcessingTime() + scoring.maxWait().toMillis(),
          now -> dispatch());
    }
  }

  /**
   * A model-update announcement is this operator's; a control record for an operator further down goes
   * on after every row that arrived before it.
   */
  private void take(ControlRecord control, StreamRecord<EnrichedTransaction> element) throws Exception {
    if (control.kind == ControlRecord.Kind.MODEL_UPDATE) {
      announce(control.record);
    } else {
      flush();
      output.collect(element);
    }
  }

  /** A model-update announcement; one that cannot be read is reported as rejected. */
  private void announce(RawRecord raw) {
    ModelUpdate update;
    try {
      update = UPDATES.decode(raw.value);
    } catch (DecodeException e) {
      report(new ModelSwitch.Outcome("(unreadable)", ModelStatusKind.REJECTED, "model update at " + raw.topic
          + "/" + raw.partition + "/" + raw.offset + " cannot be read: " + e.getMessage()));
      return;
    }
    models.announce(update);
    scheduleLoadPoll();
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    models.snapshot();
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  /** Scores and emits every row that has arrived, in arrival order. */
  private void flush() throws Exception {
    dispatch();
    emitInFlight();
  }

  /**
   * Hands the filling batch to its lane, after the batch in flight has been emitted (waiting for it
   * only if it is still running) and an announced model that has loaded has taken over.
   */
  private void dispatch() throws Exception {
    cancelMaxWaitTimer();
    emitInFlight();
    switchIfLoaded();
    if (filling.size() == 0) {
      return;
    }
    RowBatch batch = filling;
    filling = spare;
    spare = null;
    inFlight = batch;
    batch.handTo(scoring::laneFor);
    if (batch.isScored()) {
      emitInFlight();
    } else {
      batch.whenScored(() -> emitLater(batch));
    }
  }

  /**
   * On the lane's thread: asks the task thread to emit {@code batch}, unless it has already. By the
   * time the mail runs, the batch may have been emitted and handed over again, for another run: that
   * run posts its own mail, so an unfinished batch is left alone and the task thread never waits here.
   */
  private void emitLater(RowBatch batch) {
    try {
      mailbox.execute(() -> {
        if (inFlight == batch && batch.isScored()) {
          emitInFlight();
        }
      }, "emit a scored batch");
    } catch (RejectedExecutionException e) {
      // the task is shutting down and its mailbox closed: nothing waits for these rows any more
    }
  }

  private void emitInFlight() throws Exception {
    RowBatch batch = inFlight;
    if (batch == null) {
      return;
    }
    long waitStart = System.nanoTime();
    BatchRun run = batch.awaitScores();
    long laneWaitNanos = System.nanoTime() - waitStart;
    metrics.emitted(batch.emit(output, emitted, run.executionProvider(), canary), run, laneWaitNanos);
    inFlight = null;
    spare = batch;
  }

  /**
   * Between batches only, with none in flight: the rows that have arrived have no scores yet, so
   * they all get the models that take over now.
   */
  private void switchIfLoaded() {
    models.takeLoaded();
    filling.scoreWith(models.deciding(), models.shadow());
    spare.scoreWith(models.deciding(), models.shadow());
  }

  private void scheduleLoadPoll() {
    if (loadPollTimer == null) {
      var time = getProcessingTimeService();
      loadPollTimer = time.registerTimer(time.getCurrentProcessingTime() + LOAD_POLL_MILLIS, now -> pollLoad());
    }
  }

  private void pollLoad() throws Exception {
    loadPollTimer = null;
    unreported.forEach(this::report);
    unreported.clear();
    emitInFlight();
    switchIfLoaded();
    if (models.awaitingSwitch()) {
      scheduleLoadPoll();
    }
  }

  private void report(ModelSwitch.Outcome outcome) {
    metrics.reported(outcome.status());
    output.collect(PipelineState.MODEL_STATUS, new StreamRecord<>(models.status(outcome)));
  }

  private void cancelMaxWaitTimer() {
    if (maxWaitTimer != null) {
      maxWaitTimer.cancel(false);
      maxWaitTimer = null;
    }
  }

  @Override
  public void close() throws Exception {
    cancelMaxWaitTimer();
    if (loadPollTimer != null) {
      loadPollTimer.cancel(false);
    }
    inFlight = null;
    if (models != null) {
      models.close();
    }
    super.close();
  }

  /** The model this subtask scores with; null before {@link #open}. For tests. */
  OnnxModel model() {
    return models == null ? null : models.deciding();
  }
}
