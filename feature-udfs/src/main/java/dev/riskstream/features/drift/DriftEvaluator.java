package dev.riskstream.features.drift;

import dev.riskstream.schemas.DriftStatus;
import dev.riskstream.schemas.FeatureDrift;
import dev.riskstream.schemas.JointDrift;
import dev.riskstream.schemas.Transaction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges windows of one model version's traffic against that model's reference profile: per
 * feature PSI and binned KS distance, per attribute PSI and Jensen–Shannon distance, missing and
 * unseen rates, each against {@link DriftThresholds}; and the features taken together, by their
 * mean reconstruction error against the reference's {@link JointReference}. {@link Serializable}, so an operator can hold
 * one per model version.
 */
public final class DriftEvaluator implements Serializable {

  private static final long serialVersionUID = 1L;

  private final ProfileBinning binning;
  private final Segmenter segmenter;
  private final DriftThresholds thresholds;
  private final Map<String, WindowCounts> referenceBySegment = new HashMap<>();
  private final JointReference joint;
  private final PrincipalComponents.Projector projector;

  public DriftEvaluator(ReferenceProfile reference, DriftThresholds thresholds) {
    this.binning = reference.binning();
    this.segmenter = reference.segmenter();
    this.thresholds = thresholds;
    reference.segments().forEach((key, segment) -> referenceBySegment.put(key, binning.countsOf(key, segment)));
    this.joint = reference.joint();
    this.projector = joint == null ? null : joint.components().projector();
  }

  /**
   * The transaction's reconstruction error through the reference's principal components, to add to
   * {@link WindowCounts#reconstructionErrorSum} of each of its segments; 0 when the reference has none.
   * Not thread-safe.
   */
  public double reconstructionError(float[] specVector) {
    return projector == null ? 0 : projector.reconstructionError(specVector);
  }

  /** The binning that windows judged here must be counted with. */
  public ProfileBinning binning() {
    return binning;
  }

  /** The segments of a transaction, by the dimensions the reference was profiled on. */
  public Segmenter segmenter() {
    return segmenter;
  }

  public boolean hasSegment(String segment) {
    return referenceBySegment.containsKey(segment);
  }

  /**
   * The segments of the reference that a transaction belongs to ({@code all} first): the ones its
   * windows are judged in. Drift counts and realised performance both take their segments from here,
   * so the two name the same segments for the same model version.
   */
  public String[] segmentsOf(Transaction tx) {
    String[] keys = segmenter.keysOf(tx);
    int kept = 0;
    for (String key : keys) {
      if (referenceBySegment.containsKey(key)) {
        keys[kept++] = key;
      }
    }
    return kept == keys.length ? keys : Arrays.copyOf(keys, kept);
  }

  /**
   * @param segment a segment key of the reference ({@link #hasSegment})
   * @param window the segment's counts in one window, counted with {@link #binning()}
   */
  public DriftEvaluation evaluate(String segment, WindowCounts window) {
    WindowCounts reference = referenceBySegment.get(segment);
    if (reference == null) {
      throw new IllegalArgumentException("the reference profile has no segment '" + segment + "'");
    }
    if (window.events < thresholds.minEvents()) {
      return new DriftEvaluation(window.events, DriftStatus.TOO_FEW_EVENTS, List.of(), 0, 0, null);
    }
    List<FeatureDrift> features = new ArrayList<>();
    List<NumericBins> numeric = binning.features();
    for (int f = 0; f < numeric.size(); f++) {
      double missingRate = window.missing[f] / (double) window.events;
      double referenceMissingRate = reference.events == 0 ? 0 : reference.missing[f] / (double) reference.events;
      features.add(numeric(numeric.get(f).name(), reference, window, binning.featureOffset(f),
          numeric.get(f).binCount(), missingRate, missingRate - referenceMissingRate));
    }
    features.add(numeric(binning.score().name(), reference, window, binning.scoreOffset(),
        binning.score().binCount(), 0, 0));
    List<CategoryBins> attributes = binning.attributes();
    for (int a = 0; a < attributes.size(); a++) {
      features.add(categorical(attributes.get(a), reference, window, binning.attributeOffset(a)));
    }
    double maxPsi = features.stream().mapToDouble(FeatureDrift::getPsi).max().orElse(0);
    int drifting = (int) features.stream().filter(FeatureDrift::getDrifting).count();
    JointDrift jointDrift = jointDrift(segment, window);
    DriftStatus status = drifting > 0 || jointDrift != null && jointDrift.getDrifting()
        ? DriftStatus.DRIFTING : DriftStatus.STABLE;
    return new DriftEvaluation(window.events, status, features, maxPsi, drifting, jointDrift);
  }

  private JointDrift jointDrift(String segment, WindowCounts window) {
    JointReference.Segment reference = joint == null ? null : joint.segments().get(segment);
    if (reference == null) {
      return null;
    }
    double mean = window.reconstructionErrorSum / window.events;
    double threshold = reference.threshold(window.events);
    return new JointDrift(mean, reference.meanError(), threshold, mean > threshold);
  }

  private FeatureDrift numeric(String name, WindowCounts reference, WindowCounts window, int offset, int bins,
      double missingRate, double missingRateIncrease) {
    double psi = DriftStatistics.psi(reference.bins, window.bins, offset, bins);
    double ks = DriftStatistics.ksDistance(reference.bins, window.bins, offset, bins);
    boolean drifting = !thresholds.unjudgedFeatures().contains(name)
        && (psi > thresholds.psi() || ks > thresholds.secondStatistic()
            || missingRateIncrease > thresholds.missingRateIncrease());
    return new FeatureDrift(name, psi, ks, missingRate, 0.0, drifting);
  }

  private FeatureDrift categorical(CategoryBins attribute, WindowCounts reference, WindowCounts window, int offset) {
    double psi = DriftStatistics.psi(reference.bins, window.bins, offset, attribute.binCount());
    double js = DriftStatistics.jensenShannonDistance(reference.bins, window.bins, offset, attribute.binCount());
    double unseenRate = window.bins[offset + attribute.unseenBin()] / (double) window.events;
    boolean drifting = !thresholds.unjudgedFeatures().contains(attribute.name())
        && (psi > thresholds.psi() || js > thresholds.secondStatistic() || unseenRate > thresholds.unseenRate());
    return new FeatureDrift(attribute.name(), psi, js, 0.0, unseenRate, drifting);
  }
}
