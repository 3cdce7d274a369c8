package dev.riskstream.job.rollout;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.PipelineState;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout of a candidate model: from the shadow announcement on the model-updates topic it
 * gathers the evidence of the candidate scoring beside the champion (guardrail windows, labelled
 * transactions both scored), judges it with {@link RolloutJudge} and reports each step as a
 * {@link ModelStatus} of subtask -1. Under {@code SHADOW_THEN_PROMOTE} and {@code CANARY} it acts on a verdict: it
 * announces the promotion (ACTIVATE) or the rejection (END_SHADOW) on the model-updates topic
 * ({@link #ANNOUNCEMENTS}), which the scorers then carry out as they would a person's. Any other
 * announcement about the candidate (a person promoting or ending it, another shadow) ends the
 * rollout; a new champion starts its evidence again. One rollout at a time, keyed by a constant.
 */
public final class RolloutController
    extends KeyedCoProcessFunction<String, RawRecord, RolloutSignal, ModelStatus> {

  /** The one key: there is one rollout at a time. */
  public static final String KEY = "rollout";
  /** The rollout's announcements, for the model-updates topic. */
  public static final OutputTag<ModelUpdate> ANNOUNCEMENTS =
      new OutputTag<>("rollout-announcements", new AvroTypeInfo<>(ModelUpdate.class));
  /** The subtask a rollout's status names. */
  static final int ROLLOUT_SUBTASK = -1;

  private static final Logger LOG = LoggerFactory.getLogger(RolloutController.class);
  private static final AvroCodec<ModelUpdate> UPDATES = AvroCodec.of(ModelUpdate.class);

  private final RolloutSettings settings;
  private transient ValueState<RolloutTally> rollout;
  private transient Counter promotions;
  private transient Counter rejections;
  private transient Counter unmatchedEvidence;
  private transient volatile long candidateScored;
  private transient volatile long candidateLabelledFrauds;
  private transient volatile int verdictCode;
  private transient volatile double candidateRocAuc;
  private transient volatile double championRocAuc;

  public RolloutController(RolloutSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext openContext) {
    rollout = getRuntimeContext().getState(PipelineState.rollout());
    MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("rollout");
    promotions = metrics.counter("promotions");
    rejections = metrics.counter("rejections");
    unmatchedEvidence = metrics.counter("unmatchedEvidence");
    metrics.gauge("candidateScored", () -> candidateScored);
    metrics.gauge("candidateLabelledFrauds", () -> candidateLabelledFrauds);
    // -1 no rollout, 0 waiting, 1 promote, 2 reject: a panel can show the stage as a number
    verdictCode = -1;
    metrics.gauge("verdict", () -> verdictCode);
    // the paired comparison, for a panel; NaN until both classes are labelled
    candidateRocAuc = Double.NaN;
    championRocAuc = Double.NaN;
    metrics.gauge("candidateRocAuc", () -> candidateRocAuc);
    metrics.gauge("championRocAuc", () -> championRocAuc);
  }

  /** An announcement: starts, restarts or ends the rollout; one that cannot be read the scorers report. */
  @Override
  public void processElement1(RawRecord raw, Context ctx, Collector<ModelStatus> out) throws Exception {
    ModelUpdate update;
    try {
      update = UPDATES.decode(raw.value);
    } catch (DecodeException e) {
      return;
    }
    String version = update.getModelVersion();
    RolloutTally tally = rollout.value();
    long now = ctx.timerService().currentProcessingTime();
    switch (update.getAction()) {
      case SHADOW -> {
        if (tally != null && tally.candidateVersion.equals(version)) {
          return;
        }
        if (tally != null) {
          end(tally, "replaced by a shadow of " + version, now, out);
        }
        start(RolloutTally.of(version, update.getModelSha256(), update.getAnnouncedAt().toEpochMilli()), "started", now,
            out);
      }
      case END_SHADOW -> {
        if (tally != null && tally.candidateVersion.equals(version)) {
          finish(tally, "its shadow was ended" + because(update), now, out);
        }
      }
      case ACTIVATE, ROLLBACK -> {
        if (tally == null) {
          return;
        }
        if (tally.candidateVersion.equals(version)) {
          finish(tally, "it was promoted" + because(update), now, out);
        } else {
          end(tally, "the champion changed to " + version + "; the evidence starts again", now, out);
          start(RolloutTally.of(tally.candidateVersion, tally.candidateSha256, update.getAnnouncedAt().toEpochMilli()),
              "started again against " + version, now, out);
        }
      }
      default -> { }
    }
  }

  /** Evidence: counted, judged, and under SHADOW_THEN_PROMOTE or CANARY acted on once it decides. */
  @Override
  public void processElement2(RolloutSignal signal, Context ctx, Collector<ModelStatus> out) throws Exception {
    RolloutTally tally = rollout.value();
    if (tally == null || tally.announced || !tally.candidateVersion.equals(signal.candidateVersion())) {
      // a shadow the rollout has not seen announced, or one it has already decided on
      unmatchedEvidence.inc();
      return;
    }
    if (signal.window != null) {
      tally.add(signal.window, settings);
    } else {
      tally.add(signal.labelled);
    }
    RolloutVerdict verdict = RolloutJudge.judge(tally, settings);
    long now = ctx.timerService().currentProcessingTime();
    if (verdict.decided() && settings.acts()) {
      boolean promote = verdict.kind() == RolloutVerdict.Kind.PROMOTE;
      ctx.output(ANNOUNCEMENTS, ModelUpdate.newBuilder()
          .setModelVersion(tally.candidateVersion)
          .setAction(promote ? ModelUpdateAction.ACTIVATE : ModelUpdateAction.END_SHADOW)
          .setModelSha256(tally.candidateSha256)
          .setAnnouncedAt(Instant.ofEpochMilli(now))
          .setReason("rollout " + (promote ? "promoted" : "rejected") + " it: " + verdict.detail())
          .build());
      (promote ? promotions : rejections).inc();
      tally.announced = true;
      LOG.info("Rollout of {} against {}: {} ({})", tally.candidateVersion, tally.championVersion, verdict.kind(),
          verdict.detail());
      out.collect(status(tally, promote ? ModelStatusKind.ROLLOUT_PROMOTED : ModelStatusKind.ROLLOUT_REJECTED,
          verdict, now));
    } else if (signal.window != null || verdict.kind() != tally.lastVerdict) {
      out.collect(status(tally, ModelStatusKind.ROLLOUT_EVIDENCE, verdict, now));
    }
    tally.lastVerdict = verdict.kind();
    rollout.update(tally);
    observe(tally, verdict);
  }

  private static String because(ModelUpdate update) {
    return update.getReason() == null ? "" : " (" + update.getReason() + ")";
  }

  private void start(RolloutTally tally, String detail, long now, Collector<ModelStatus> out) throws Exception {
    rollout.update(tally);
    RolloutVerdict verdict = RolloutVerdict.waiting(detail);
    out.collect(status(tally, ModelStatusKind.ROLLOUT_STARTED, verdict, now));
    observe(tally, verdict);
  }

  /** The candidate left its shadow: by the rollout's own announcement, quietly; otherwise said so. */
  private void finish(RolloutTally tally, String why, long now, Collector<ModelStatus> out) throws Exception {
    if (tally.announced) {
      clear();
    } else {
      end(tally, why, now, out);
    }
  }

  private void end(RolloutTally tally, String why, long now, Collector<ModelStatus> out) throws Exception {
    RolloutVerdict verdict = RolloutJudge.judge(tally, settings);
    out.collect(status(tally, ModelStatusKind.ROLLOUT_ENDED,
        new RolloutVerdict(verdict.kind(), "ended, " + why + "; the evidence then: " + verdict.detail(),
            verdict.tests()), now));
    clear();
  }

  private void clear() {
    rollout.clear();
    verdictCode = -1;
    candidateScored = 0;
    candidateLabelledFrauds = 0;
    candidateRocAuc = Double.NaN;
    championRocAuc = Double.NaN;
  }

  private ModelStatus status(RolloutTally tally, ModelStatusKind kind, RolloutVerdict verdict, long now) {
    return ModelStatus.newBuilder()
        .setModelVersion(tally.candidateVersion)
        .setStatus(kind)
        .setReason(verdict.detail())
        .setActiveVersion(tally.championVersion == null ? "" : tally.championVersion)
        .setExecutionProvider("")
        .setShadowVersion(tally.candidateVersion)
        .setSubtask(ROLLOUT_SUBTASK)
        .setReportedAt(Instant.ofEpochMilli(now))
        .setRollout(tally.report(settings, verdict))
        .build();
  }

  private void observe(RolloutTally tally, RolloutVerdict verdict) {
    candidateScored = tally.scored.scored;
    candidateLabelledFrauds = tally.labelled.frauds();
    candidateRocAuc = orNaN(tally.labelled.candidate.rocAuc());
    championRocAuc = orNaN(tally.labelled.champion.rocAuc());
    verdictCode = verdict.kind().ordinal();
  }

  private static double orNaN(Double value) {
    return value == null ? Double.NaN : value;
  }
}
