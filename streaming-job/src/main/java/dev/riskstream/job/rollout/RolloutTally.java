package dev.riskstream.job.rollout;

import dev.riskstream.job.performance.PerformanceCounts;
import dev.riskstream.schemas.RolloutEvidence;
import dev.riskstream.schemas.VersionEvidence;
import java.time.Instant;
import java.util.Optional;

/**
 * The evidence on one candidate since its shadow was announced: the guardrail windows' counts and,
 * with labels, both versions' labelled decisions on the same transactions. Keyed state of the
 * rollout. A Flink POJO.
 */
public class RolloutTally {

  public String candidateVersion;
  public String candidateSha256;
  /** The deciding version, from the first evidence; null before. */
  public String championVersion;
  /** When the shadow was announced (the announcement's time). */
  public long startedAt;
  /** Event time the evidence spans: the first and the last guardrail window's end. */
  public long firstWindowEnd = Long.MAX_VALUE;
  public long lastWindowEnd = Long.MIN_VALUE;
  public GuardrailCounts scored = new GuardrailCounts();
  public LabelledPairs labelled = new LabelledPairs();
  /** The first guardrail broken, in words; null while they hold. */
  public String guardrailBreach;
  /** The verdict last reported, so a status goes out when it changes. */
  public RolloutVerdict.Kind lastVerdict = RolloutVerdict.Kind.WAITING;
  /** The job announced a promotion or rejection and waits for it to come back on the topic. */
  public boolean announced;

  public RolloutTally() {}

  public static RolloutTally of(String candidateVersion, String candidateSha256, long startedAt) {
    RolloutTally tally = new RolloutTally();
    tally.candidateVersion = candidateVersion;
    tally.candidateSha256 = candidateSha256;
    tally.startedAt = startedAt;
    return tally;
  }

  /** A closed guardrail window: counted, and judged on its own. */
  public void add(GuardrailCounts window, RolloutSettings settings) {
    if (championVersion == null) {
      championVersion = window.championVersion;
    }
    scored.add(window);
    firstWindowEnd = Math.min(firstWindowEnd, window.windowEnd);
    lastWindowEnd = Math.max(lastWindowEnd, window.windowEnd);
    if (guardrailBreach == null) {
      String breach = window.breach(settings);
      if (breach != null) {
        guardrailBreach = breach + " in the window ending " + Instant.ofEpochMilli(window.windowEnd);
      }
    }
  }

  /** A window's labelled transactions both versions scored. */
  public void add(LabelledPairs pairs) {
    labelled.add(pairs);
  }

  /** The event time the evidence spans, in milliseconds; 0 before two windows. */
  public long spanMillis() {
    return lastWindowEnd > firstWindowEnd ? lastWindowEnd - firstWindowEnd : 0;
  }

  /** The evidence as the status topic carries it, with {@code verdict}. */
  public RolloutEvidence report(RolloutSettings settings, RolloutVerdict verdict) {
    Optional<LabelledPairs.AtChampionVolume> atVolume = labelled.atChampionVolume();
    return RolloutEvidence.newBuilder()
        .setPolicy(settings.policy().name())
        .setStartedAt(Instant.ofEpochMilli(startedAt))
        .setScored(scored.scored)
        .setLabelled(labelled.labelled())
        .setFrauds(labelled.frauds())
        .setCandidateThresholdAtChampionVolume(atVolume.map(LabelledPairs.AtChampionVolume::threshold).orElse(null))
        .setFraudsCaughtOnlyByCandidate(atVolume.map(LabelledPairs.AtChampionVolume::candidateOnly).orElse(0L))
        .setFraudsCaughtOnlyByChampion(atVolume.map(LabelledPairs.AtChampionVolume::championOnly).orElse(0L))
        .setPValueBetter(verdict.tests().pValueBetter())
        .setPValueWorse(verdict.tests().pValueWorse())
        .setPValueAucHigher(verdict.tests().pValueAucHigher())
        .setPValueAucLower(verdict.tests().pValueAucLower())
        .setCandidate(evidence(candidateVersion, scored.candidateFlagged, scored.candidateDeclined,
            scored.candidateUnscored, labelled.candidate, labelled.candidateFraudAmount))
        .setChampion(evidence(championVersion == null ? "" : championVersion, scored.championFlagged,
            scored.championDeclined, 0, labelled.champion, labelled.championFraudAmount))
        .setVerdict(verdict.kind().name())
        .setDetail(verdict.detail())
        .build();
  }

  private VersionEvidence evidence(String version, long flagged, long declined, long unscored,
      PerformanceCounts labelledCounts, double fraudAmount) {
    return VersionEvidence.newBuilder()
        .setModelVersion(version)
        .setFlagRate(scored.scored == 0 ? null : flagged / (double) scored.scored)
        .setDeclineRate(scored.scored == 0 ? null : declined / (double) scored.scored)
        .setUnscored(unscored)
        .setReviewPrecision(labelledCounts.reviewPrecision())
        .setReviewRecall(labelledCounts.reviewRecall())
        .setDeclinePrecision(labelledCounts.declinePrecision())
        .setDeclineRecall(labelledCounts.declineRecall())
        .setRocAuc(labelledCounts.rocAuc())
        .setFraudAmountCaught(fraudAmount)
        .build();
  }
}
