package dev.riskstream.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.RolloutPolicy;
import dev.riskstream.schemas.ModelUpdateAction;
import dev.riskstream.schemas.RetrainEvidence;
import dev.riskstream.schemas.RetrainRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retraining, start to end: the logged decisions of the request's time range joined with their
 * labels ({@link LoggedFeatures}, a Flink batch job), a candidate trained on them by the same
 * {@link ModelTrainer} as the baseline, the champion and the candidate scored on the same held-out
 * rows, the {@link ValidationGate}'s verdict, and then either the candidate published to the registry
 * and announced on the model-updates topic, or its rejection. Either way a report with the evidence
 * goes to {@code <reports>/<candidate>/report.json}.
 */
public final class Retraining {

  private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);
  private static final DateTimeFormatter VERSION_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
  /** No upper bound on event time: everything logged so far. */
  static final Instant OPEN_END = Instant.ofEpochMilli(Long.MAX_VALUE);

  private final RetrainingSettings settings;
  private final Supplier<StreamExecutionEnvironment> environments;
  private final Clock clock;

  /** @param environments a fresh environment for each join: a local one in process, or the cluster's */
  public Retraining(RetrainingSettings settings, Supplier<StreamExecutionEnvironment> environments, Clock clock) {
    this.settings = settings;
    this.environments = environments;
    this.clock = clock;
  }

  /**
   * The event-time range a request retrains on: the windows its evidence covers, from the start of
   * the earliest (or {@link RetrainingSettings#history()} before the end of the latest) to the end of
   * the latest. Not beyond: the log's tail is still being committed and labelled, so a range up to
   * "now" ended in a held-out period of a few sparse hours (1,335 rows, 28 frauds, in one demo run).
   */
  public Instant[] rangeOf(RetrainRequest request) {
    List<RetrainEvidence> evidence = request.getEvidence();
    if (evidence.isEmpty()) {
      throw new IllegalArgumentException("request " + request.getRequestId() + " has no evidence to date it");
    }
    Instant latestEnd = evidence.stream().map(RetrainEvidence::getWindowEnd).max(Comparator.naturalOrder()).orElseThrow();
    Instant from = settings.history().map(latestEnd::minus).orElseGet(() ->
        evidence.stream().map(RetrainEvidence::getWindowStart).min(Comparator.naturalOrder()).orElseThrow());
    return new Instant[] {from, latestEnd};
  }

  /** Retrains for {@code request} on the logged decisions from {@code from} (inclusive) to {@code to} (exclusive). */
  public RetrainingReport run(RetrainRequest request, Instant from, Instant to) throws IOException {
    String candidateVersion = "retrained-" + VERSION_TIME.format(clock.instant());
    Path reportFile = settings.reportOf(candidateVersion);
    Path work = reportFile.getParent();
    Files.createDirectories(work);
    RetrainingReport report;
    try {
      report = trainAndJudge(request, candidateVersion, from, to, work.resolve("bundle"));
    } catch (Exception e) {
      LOG.error("Retraining {} for {} failed", candidateVersion, request.getRequestId(), e);
      report = new RetrainingReport(request.getRequestId(), request.getReason().name(), request.getModelVersion(),
          candidateVersion, from.toString(), describe(to), 0, 0, 0, null, null, null, List.of(),
          RetrainingReport.Outcome.FAILED, String.valueOf(e.getMessage()));
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(reportFile.toFile(), report);
    LOG.info("Retraining {} for {}: {} ({})", candidateVersion, request.getRequestId(), report.outcome(), report.detail());
    return report;
  }

  private RetrainingReport trainAndJudge(RetrainRequest request, String candidateVersion, Instant from, Instant to,
      Path bundleDirectory) throws Exception {
    ModelBundle champion = champion(request.getModelVersion());
    LoggedFeatures.Joined data = LoggedFeatures.join(environments.get(), LoggedFeatures.files(settings.featureLogPath()),
        labels(), from, to);
    String command = String.format("riskstream retrain --champion %s --reason %s --from %s%s",
        request.getModelVersion(), request.getReason(), from,
        to.equals(OPEN_END) ? "" : " --to " + to);
    TrainingResult trained = new ModelTrainer(clock).train(data.rows(), candidateVersion, command, bundleDirectory);
    List<FeatureRow> heldOut = trained.heldOut();
    HeldOutEvaluation championResult = HeldOutEvaluation.of(champion, heldOut);
    HeldOutEvaluation candidateResult = HeldOutEvaluation.of(ModelBundle.load(bundleDirectory), heldOut);
    ValidationGate.Verdict verdict = settings.gate().judge(championResult, candidateResult, request.getReason());
    String detail;
    RetrainingReport.Outcome outcome;
    if (verdict.accepted()) {
      ModelManifest published = settings.registry().publish(bundleDirectory);
      // the configured rollout decides how it goes live: at once, or in shadow for the job's rollout to judge
      ModelUpdateAction action = settings.rolloutPolicy() == RolloutPolicy.IMMEDIATE
          ? ModelUpdateAction.ACTIVATE : ModelUpdateAction.SHADOW;
      detail = (action == ModelUpdateAction.SHADOW ? "in shadow (rollout.policy " + settings.rolloutPolicy() + "), " : "")
          + "announced at " + ModelAnnouncer.announce(settings.kafkaProperties(), settings.modelUpdatesTopic(),
          published, action, "retrained for " + request.getRequestId() + " (" + request.getReason()
              + "); held-out ROC AUC " + round(candidateResult.rocAuc()) + " against " + round(championResult.rocAuc()))
          + withinChance(verdict);
      outcome = RetrainingReport.Outcome.PUBLISHED;
    } else {
      detail = "the gate failed " + verdict.failed().stream().map(ValidationGate.Check::measure).toList();
      outcome = RetrainingReport.Outcome.REJECTED;
    }
    return new RetrainingReport(request.getRequestId(), request.getReason().name(), champion.version(),
        candidateVersion, from.toString(), describe(to), data.logged(), data.rows().size(), data.fraud(),
        heldOut.get(0).source().transaction().getEventTime().toString(), championResult, candidateResult,
        verdict.checks(), outcome, detail);
  }

  /** The losses beyond the margins that the gate let pass because the held-out rows could not show them. */
  private static String withinChance(ValidationGate.Verdict verdict) {
    List<String> losses = verdict.checks().stream().filter(check -> check.passed() && check.candidate() < check.required())
        .map(check -> check.measure() + " " + round(check.candidate()) + " against " + round(check.champion())
            + " (p " + round(check.lossPValue()) + ")")
        .toList();
    return losses.isEmpty() ? "" : "; losses within chance: " + String.join(", ", losses);
  }

  /** The champion from the registry, or the job's initial bundle when the version is that one's. */
  private ModelBundle champion(String version) throws InvalidBundleException {
    if (settings.registry().contains(version)) {
      return settings.registry().load(version);
    }
    ModelBundle initial = ModelBundle.load(settings.initialBundle());
    if (!initial.version().equals(version)) {
      throw new InvalidBundleException("champion " + version + " is neither in the registry " + settings.registry()
          + " nor the initial bundle " + settings.initialBundle() + " (" + initial.version() + ")");
    }
    return initial;
  }

  /** Every label on the topic now: what is known at the time of the retraining. */
  private Source<RawRecord, ?, ?> labels() {
    return LoggedFeatures.labelsOnTopic(settings.kafkaProperties(), settings.labelsTopic(), settings.groupId() + "-labels");
  }

  private static String describe(Instant to) {
    return to.equals(OPEN_END) ? "end of log" : to.toString();
  }

  private static double round(double value) {
    return Math.round(value * 1e4) / 1e4;
  }
}
