package dev.riskstream.job.operators;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.io.RawRecord;
import dev.riskstream.job.scoring.BatchRun;
import dev.riskstream.job.scoring.CurrentValueGauges;
import dev.riskstream.job.scoring.ExecutionProviderUnavailableException;
import dev.riskstream.job.scoring.ModelSwitch;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.RowBatch;
import dev.riskstream.job.scoring.ScoringLane;
import dev.riskstream.job.scoring.ScoringLaneChoice;
import dev.riskstream.job.scoring.ScoringSettings;
import dev.riskstream.job.util.LogThrottle;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Hot swap: with a model registry, the operator has a second input of model-update announcements
 * (broadcast: every subtask sees each). An announced version is loaded and validated beside the
 * current model ({@link ModelSwitch}) and takes over at a batch boundary, so every row is scored by
 * exactly one version; each subtask reports what it did on the {@link PipelineState#MODEL_STATUS}
 * side output. The announcement of the active model, and of one still loading, is operator state, so
 * a restart resumes with the same model. Without a registry the operator runs with one input and
 * scores with the initial bundle. Watermarks come from the transactions alone: announcements carry
 * no event time.
 *
 * <p>Shadow mode: a version announced with {@code SHADOW} is loaded the same way into a second
 * switch and, from a batch boundary on, scores every row too, after the deciding model and on the
 * same lane kind; its score and thresholds ride on the row for monitoring, while the decision stays
 * the deciding model's. {@code END_SHADOW} empties that switch, and so does activating the shadow's
 * version, which promotes it. Both switches' announcements are operator state.
 */
public final class OnnxScorer extends AbstractStreamOperator<EnrichedTransaction>
    implements OneInputStreamOperator<EnrichedTransaction, EnrichedTransaction>,
        TwoInputStreamOperator<EnrichedTransaction, RawRecord, EnrichedTransaction> {

  static final String METRIC_GROUP = "model";
  /** Key-value groups of the numeric gauges Prometheus gets instead of the web UI's string ones. */
  static final String VERSION_KEY = "model_version";
  static final String PROVIDER_KEY = "execution_provider";
  static final String ACTIVE_GAUGE = "active";
  /** Samples the histograms keep: enough for stable percentiles, small enough to compute often. */
  private static final int HISTOGRAM_WINDOW = 1024;
  /** How often a subtask without traffic checks whether an announced model has loaded. */
  private static final long LOAD_POLL_MILLIS = 50;
  private static final String ACTIVE = "active";
  private static final String PENDING = "pending";
  private static final String SHADOW_ACTIVE = "shadow-active";
  private static final String SHADOW_PENDING = "shadow-pending";
  private static final AvroCodec<ModelUpdate> UPDATES = AvroCodec.of(ModelUpdate.class);
  private static final Logger LOG = LoggerFactory.getLogger(OnnxScorer.class);

  private final String bundleDirectory;
  private final ModelRegistry registry;
  private final ScoringSettings scoring;

  private transient BroadcastState<String, ModelUpdate> updateState;
  private transient ModelUpdate restoredActive;
  private transient ModelUpdate restoredPending;
  private transient ModelUpdate restoredShadowActive;
  private transient ModelUpdate restoredShadowPending;
  private transient ModelSwitch models;
  private transient ModelSwitch shadow;
  /** An END_SHADOW announcement waiting for a batch boundary; null when none is. */
  private transient ModelUpdate shadowEnding;
  private transient List<ModelSwitch.Outcome> unreported;
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
  private transient Counter scored;
  private transient Counter unscored;
  private transient LogThrottle unscoredWarnings;
  private transient Map<String, Counter> scoredByProvider;
  private transient MetricGroup modelMetrics;
  private transient Counter shadowScored;
  private transient Counter activatedUpdates;
  private transient Counter rejectedUpdates;
  private transient Histogram batchSizes;
  private transient Histogram inferenceMicros;
  private transient Histogram laneWaitMicros;
  private transient CurrentValueGauges versionGauges;
  private transient CurrentValueGauges providerGauges;

  /**
   * @param registry where announced model versions live; null: no hot swap, one input
   */
  public OnnxScorer(String bundleDirectory, ModelRegistry registry, ScoringSettings scoring) {
    this.bundleDirectory = bundleDirectory;
    this.registry = registry;
    this.scoring = scoring;
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
    restoredActive = updateState.get(ACTIVE);
    restoredPending = updateState.get(PENDING);
    restoredShadowActive = updateState.get(SHADOW_ACTIVE);
    restoredShadowPending = updateState.get(SHADOW_PENDING);
  }

  @Override
  public void open() throws Exception {
    super.open();
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    models = ModelSwitch.deciding(Path.of(bundleDirectory), scoring.providers(), registry,
        "model-loader-" + subtask);
    shadow = ModelSwitch.shadow(scoring.providers(), registry, "shadow-model-loader-" + subtask);
    try {
      unreported = new ArrayList<>(models.open(restoredActive, restoredPending));
      unreported.addAll(shadow.open(restoredShadowActive, restoredShadowPending));
    } catch (ExecutionProviderUnavailableException e) {
      // restarting cannot make a GPU appear: fail the job instead of restarting it in a loop
      throw new SuppressRestartsException(e);
    }
    filling = new RowBatch(models.current(), shadow.current(), scoring.batchSize());
    spare = new RowBatch(models.current(), shadow.current(), scoring.batchSize());
    emitted = new StreamRecord<>(null);
    var metrics = getMetricGroup().addGroup(METRIC_GROUP);
    modelMetrics = metrics;
    metrics.gauge("version", () -> models.current().version());
    metrics.gauge("executionProvider", () -> models.current().executionProvider());
    metrics.gauge("scoringLane", () -> scoring.lane().resolve(models.current().executionProvider()).name());
    metrics.gauge("shadowVersion", () -> shadow.current() == null ? "none" : shadow.current().version());
    versionGauges = new CurrentValueGauges(metrics, VERSION_KEY, ACTIVE_GAUGE, () -> models.current().version());
    providerGauges = new CurrentValueGauges(metrics, PROVIDER_KEY, ACTIVE_GAUGE,
        () -> models.current().executionProvider());
    scored = metrics.counter("scored");
    unscored = metrics.counter("unscored");
    unscoredWarnings = new LogThrottle(Duration.ofMinutes(1));
    scoredByProvider = new HashMap<>();
    shadowScored = metrics.counter("shadowScored");
    metrics.meter("scoredPerSecond", new MeterView(scored));
    activatedUpdates = metrics.counter("activatedUpdates");
    rejectedUpdates = metrics.counter("rejectedUpdates");
    batchSizes = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    inferenceMicros = metrics.histogram("inferenceLatencyUs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    laneWaitMicros = metrics.histogram("laneWaitUs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    if (!unreported.isEmpty() || models.loading() || shadow.loading()) {
      scheduleLoadPoll();
    }
  }

  @Override
  public void processElement(StreamRecord<EnrichedTransaction> element) throws Exception {
    filling.add(element);
    if (filling.isFull()) {
      dispatch();
    } else if (maxWaitTimer == null) {
      var time = getProcessingTimeService();
      maxWaitTimer = time.registerTimer(time.getCurrentProcessingTime() + scoring.maxWait().toMillis(),
          now -> dispatch());
    }
  }

  @Override
  public void processElement1(StreamRecord<EnrichedTransaction> element) throws Exception {
    processElement(element);
  }

  /** A model-update announcement; one that cannot be read is reported as rejected. */
  @Override
  public void processElement2(StreamRecord<RawRecord> element) {
    RawRecord raw = element.getValue();
    ModelUpdate update;
    try {
      update = UPDATES.decode(raw.value);
    } catch (DecodeException e) {
      report(new ModelSwitch.Outcome("(unreadable)", ModelStatusKind.REJECTED, "model update at " + raw.topic
          + "/" + raw.partition + "/" + raw.offset + " cannot be read: " + e.getMessage()));
      return;
    }
    switch (update.getAction()) {
      case SHADOW -> {
        if (update.getModelVersion().equals(models.current().version())) {
          report(new ModelSwitch.Outcome(update.getModelVersion(), ModelStatusKind.REJECTED,
              "it already decides; shadow mode is for a candidate"));
        } else {
          shadow.announce(update).ifPresent(this::report);
        }
      }
      // the shadow's rows in the batch being filled are laid out for it: it ends at the next boundary
      case END_SHADOW -> shadowEnding = update;
      default -> models.announce(update).ifPresent(this::report);
    }
    scheduleLoadPoll();
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    flush();
    super.processWatermark(mark);
  }

  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    processWatermark(mark);
  }

  @Override
  public void processWatermark2(Watermark mark) {}

  @Override
  protected void processWatermarkStatus(WatermarkStatus status, int inputIndex) throws Exception {
    if (inputIndex == 0) {
      processWatermarkStatus(status);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    updateState.clear();
    if (models.active() != null) {
      updateState.put(ACTIVE, models.active());
    }
    if (models.pending() != null) {
      updateState.put(PENDING, models.pending());
    }
    if (shadow.active() != null) {
      updateState.put(SHADOW_ACTIVE, shadow.active());
    }
    if (shadow.pending() != null) {
      updateState.put(SHADOW_PENDING, shadow.pending());
    }
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
    batch.handTo(this::lane);
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
    laneWaitMicros.update((System.nanoTime() - waitStart) / 1_000);
    inferenceMicros.update(run.nanos() / 1_000);
    RowBatch.Emitted sent = batch.emit(output, emitted, run.executionProvider());
    int n = sent.rows();
    batchSizes.update(n);
    scored.inc(n);
    scoredOn(run.executionProvider()).inc(n);
    if (sent.unscored() > 0) {
      reportUnscored(sent.version(), sent.unscored(), n);
    }
    if (sent.shadowed()) {
      shadowScored.inc(n);
    }
    inFlight = null;
    spare = batch;
  }

  private void reportUnscored(String version, int rows, int batchRows) {
    unscored.inc(rows);
    if (unscoredWarnings.due()) {
      LOG.warn("model {} gave no probability (NaN, infinite, outside [0, 1], or ONNX Runtime refused the row) for {} "
          + "of the {} rows of a batch, {} so far: they go to review with the reason {}", version, rows, batchRows,
          unscored.getCount(), DecisionPolicy.NO_MODEL_SCORE);
    }
  }

  /** Rows scored on {@code provider}: with scoring.cuda-min-rows, a model on CUDA scores small runs on the CPU. */
  private Counter scoredOn(String provider) {
    return scoredByProvider.computeIfAbsent(provider,
        p -> modelMetrics.addGroup(PROVIDER_KEY, p).counter("scored"));
  }

  private ScoringLane lane(OnnxModel model) {
    return switch (scoring.lane().resolve(model.executionProvider())) {
      case SHARED -> model.sharedLane(scoring.sharedMaxRows());
      case TASK_THREAD, AUTO -> ScoringLane.CALLER;
    };
  }

  /**
   * Between batches only, with none in flight: the rows that have arrived have no scores yet, so
   * they all get the new models. A deciding model of the shadow's version ends the shadow: it has
   * been promoted.
   */
  private void switchIfLoaded() {
    Optional<ModelSwitch.Outcome> decided = models.completePending();
    decided.ifPresent(this::report);
    if (decided.isPresent() && decided.get().taken()) {
      versionGauges.update();
      providerGauges.update();
      if (decided.get().version().equals(shadowVersion())) {
        shadow.end(decided.get().version(), "promoted: it decides now").forEach(this::report);
      }
    }
    shadow.completePending().ifPresent(this::report);
    if (shadowEnding != null) {
      String reason = shadowEnding.getReason();
      shadow.end(shadowEnding.getModelVersion(), reason == null ? "shadowing ended" : reason).forEach(this::report);
      shadowEnding = null;
    }
    for (RowBatch batch : new RowBatch[] {filling, spare}) {
      batch.scoreWith(models.current(), shadow.current());
    }
  }

  /** The version scoring in shadow or loading to, or null. */
  private String shadowVersion() {
    ModelUpdate shadowing = shadow.pending() != null ? shadow.pending() : shadow.active();
    return shadowing == null ? null : shadowing.getModelVersion();
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
    if (models.loading() || shadow.loading()) {
      scheduleLoadPoll();
    }
  }

  private void report(ModelSwitch.Outcome outcome) {
    if (outcome.status() == ModelStatusKind.ACTIVATED) {
      activatedUpdates.inc();
    } else if (outcome.status() == ModelStatusKind.REJECTED) {
      rejectedUpdates.inc();
    }
    OnnxModel model = models.current();
    OnnxModel shadowModel = shadow.current();
    ModelStatus status = ModelStatus.newBuilder()
        .setModelVersion(outcome.version())
        .setStatus(outcome.status())
        .setReason(outcome.reason())
        .setActiveVersion(model.version())
        .setShadowVersion(shadowModel == null ? null : shadowModel.version())
        .setExecutionProvider(model.executionProvider())
        .setSubtask(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())
        .setReportedAt(Instant.now())
        .build();
    output.collect(PipelineState.MODEL_STATUS, new StreamRecord<>(status));
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
    if (shadow != null) {
      shadow.close();
    }
    super.close();
  }

  /** The model this subtask scores with; null before {@link #open}. For tests. */
  OnnxModel model() {
    return models == null ? null : models.current();
  }
}
