package dev.riskstream.job.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.estimation.ScoreBins;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.RulePerformance;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** The window counts against a straightforward offline computation over the same labelled decisions. */
class PerformanceCountsTest {

  private static final double REVIEW = 0.3;
  private static final double DECLINE = 0.7;

  record Labelled(double score, boolean fraud) {
    Outcome outcome() {
      return score >= DECLINE ? Outcome.DECLINE : score >= REVIEW ? Outcome.REVIEW : Outcome.APPROVE;
    }
  }

  /** Frauds score higher on average, with overlap, like a useful but imperfect model. */
  private static List<Labelled> sample(long seed, int count, double fraudRate, boolean scoresAtBinCentres) {
    Random random = new Random(seed);
    List<Labelled> sample = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean fraud = random.nextDouble() < fraudRate;
      double score = 1 / (1 + Math.exp(-(random.nextGaussian() * 1.5 + (fraud ? 1.5 : -2))));
      if (scoresAtBinCentres) {
        score = (Math.min(99, (int) (score * 100)) + 0.5) / 100;
      }
      sample.add(new Labelled(score, fraud));
    }
    return sample;
  }

  private static PerformanceCounts count(List<Labelled> sample) {
    PerformanceCounts counts = new PerformanceCounts();
    sample.forEach(l -> counts.add(l.score(), l.outcome(), l.fraud()));
    return counts;
  }

  /** Mann-Whitney over every fraud-legitimate pair, ties half. */
  private static double exactAuc(List<Labelled> sample) {
    double concordant = 0;
    long pairs = 0;
    for (Labelled fraud : sample) {
      if (!fraud.fraud()) {
        continue;
      }
      for (Labelled legitimate : sample) {
        if (legitimate.fraud()) {
          continue;
        }
        pairs++;
        concordant += fraud.score() > legitimate.score() ? 1 : fraud.score() == legitimate.score() ? 0.5 : 0;
      }
    }
    return concordant / pairs;
  }

  private static double precision(List<Labelled> sample, double threshold) {
    return sample.stream().filter(l -> l.score() >= threshold).filter(Labelled::fraud).count()
        / (double) sample.stream().filter(l -> l.score() >= threshold).count();
  }

  private static double recall(List<Labelled> sample, double threshold) {
    return sample.stream().filter(Labelled::fraud).filter(l -> l.score() >= threshold).count()
        / (double) sample.stream().filter(Labelled::fraud).count();
  }

  @Test
  void countsAndRatesMatchTheOfflineComputation() {
    List<Labelled> sample = sample(1, 5_000, 0.05, false);
    PerformanceCounts counts = count(sample);

    assertThat(counts.labelled()).isEqualTo(5_000);
    assertThat(counts.frauds()).isEqualTo(sample.stream().filter(Labelled::fraud).count());
    assertThat(counts.reviewPrecision()).isEqualTo(precision(sample, REVIEW), within(1e-12));
    assertThat(counts.reviewRecall()).isEqualTo(recall(sample, REVIEW), within(1e-12));
    assertThat(counts.declinePrecision()).isEqualTo(precision(sample, DECLINE), within(1e-12));
    assertThat(counts.declineRecall()).isEqualTo(recall(sample, DECLINE), within(1e-12));
  }

  @Test
  void binnedAucIsExactWhenScoresWithinABinAreEqual() {
    List<Labelled> sample = sample(2, 4_000, 0.1, true);

    assertThat(count(sample).rocAuc()).isEqualTo(exactAuc(sample), within(1e-12));
  }

  @Test
  void binnedAucStaysWithinItsDocumentedBoundOfTheExactOne() {
    List<Labelled> sample = sample(3, 4_000, 0.1, false);
    PerformanceCounts counts = count(sample);
    double sameBinPairs = 0;
    for (int i = 0; i < ScoreBins.COUNT; i++) {
      sameBinPairs += (double) counts.fraudByScoreBin[i] * counts.legitimateByScoreBin[i];
    }
    double bound = 0.5 * sameBinPairs / (counts.frauds() * (double) (counts.labelled() - counts.frauds()));

    double exact = exactAuc(sample);
    assertThat(exact).isBetween(0.8, 0.99);
    assertThat(counts.rocAuc()).isCloseTo(exact, within(bound));
    assertThat(bound).isLessThan(0.01);
  }

  @Test
  void ratesAreUndefinedWithoutTheirDenominators() {
    PerformanceCounts onlyLegitimate = count(List.of(new Labelled(0.1, false), new Labelled(0.2, false)));

    assertThat(onlyLegitimate.reviewPrecision()).isNull();
    assertThat(onlyLegitimate.reviewRecall()).isNull();
    assertThat(onlyLegitimate.declineRecall()).isNull();
    assertThat(onlyLegitimate.rocAuc()).isNull();
  }

  @Test
  void eachRuleIsCountedPerRuleSetVersionAndModeApartFromTheModel() {
    PerformanceCounts counts = new PerformanceCounts();
    counts.add(new LabelledDecision("baseline-1", "all", 0, 0.9, Outcome.DECLINE, true));
    counts.add(LabelledDecision.ofRule("baseline-1", "all", 0, "rules-1", "velocity", false, true, true));
    counts.add(LabelledDecision.ofRule("baseline-1", "all", 0, "rules-1", "velocity", false, false, true));
    counts.add(LabelledDecision.ofRule("baseline-1", "all", 0, "rules-1", "velocity", false, false, false));
    counts.add(LabelledDecision.ofRule("baseline-1", "all", 0, "rules-1", "velocity", true, false, true));
    counts.add(LabelledDecision.ofRule("baseline-1", "all", 0, "rules-2", "velocity", false, false, false));

    assertThat(counts.labelled()).as("the model's decisions only").isEqualTo(1);
    assertThat(counts.rulePerformance())
        .extracting(RulePerformance::getRuleSetVersion, RulePerformance::getShadow, RulePerformance::getFired,
            RulePerformance::getFrauds, RulePerformance::getPrecision, RulePerformance::getFraudsModelMissed)
        .containsExactly(tuple("rules-1", false, 3L, 2L, 2 / 3.0, 1L), tuple("rules-1", true, 1L, 1L, 1.0, 1L),
            tuple("rules-2", false, 1L, 0L, 0.0, 0L));
  }

  @Test
  void theStateTypesArePojosWithoutAGenericField() {
    for (Class<?> type : List.of(PerformanceCounts.class, RuleCounts.class, RuleHits.class, LabelledDecision.class)) {
      TypeInformation<?> info = TypeInformation.of(type);
      assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
      PojoTypeInfo<?> pojo = (PojoTypeInfo<?>) info;
      for (int i = 0; i < pojo.getArity(); i++) {
        // Kryo would serialise it, and a savepoint could not evolve with the class
        assertThat(pojo.getPojoFieldAt(i).getTypeInformation()).as("%s.%s", type.getSimpleName(),
            pojo.getPojoFieldAt(i).getField().getName()).isNotInstanceOf(GenericTypeInfo.class);
      }
    }
  }
}
