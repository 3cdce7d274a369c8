package dev.riskstream.training;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest.Thresholds;
import java.util.List;

/**
 * How one bundle does on held-out rows, scored through ONNX Runtime as serving scores it: ROC AUC,
 * and precision and recall at the bundle's own thresholds.
 *
 * @param scores the scores themselves, for comparisons at another model's operating points
 */
public record HeldOutEvaluation(String modelVersion, double rocAuc, HeldOutScores.AtThreshold review,
    HeldOutScores.AtThreshold decline, @JsonIgnore HeldOutScores scores) {

  public static HeldOutEvaluation of(ModelBundle bundle, List<FeatureRow> heldOut) throws TrainingException {
    double[] probabilities;
    try (OnnxBundleScorer scorer = new OnnxBundleScorer(bundle)) {
      probabilities = scorer.fraudProbabilities(heldOut.stream().map(FeatureRow::features).toList());
    } catch (OrtException e) {
      throw new TrainingException("ONNX Runtime cannot score bundle " + bundle.version(), e);
    }
    boolean[] fraud = new boolean[heldOut.size()];
    for (int i = 0; i < fraud.length; i++) {
      fraud[i] = heldOut.get(i).fraud();
    }
    HeldOutScores scores = new HeldOutScores(probabilities, fraud);
    Thresholds thresholds = bundle.manifest().thresholds();
    return new HeldOutEvaluation(bundle.version(), scores.rocAuc(), scores.at(thresholds.review()),
        scores.at(thresholds.decline()), scores);
  }
}
