package dev.riskstream.bench;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.EnrichedTransaction;
import java.util.SplittableRandom;

/** Seeded random feature vectors, so every path and every run scores the same rows. */
public final class RandomRows {

  private RandomRows() {}

  /** {@code count} vectors in {@link FeatureSpec#CURRENT} order, each value in [0, 1). */
  public static float[][] featureVectors(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] rows = new float[count][FeatureSpec.CURRENT.size()];
    for (float[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) random.nextDouble();
      }
    }
    return rows;
  }

  /** The vectors as the scoring operator receives them; it reads nothing of a row but its features. */
  public static EnrichedTransaction[] transactions(float[][] featureVectors) {
    EnrichedTransaction[] rows = new EnrichedTransaction[featureVectors.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new EnrichedTransaction(null, featureVectors[i]);
    }
    return rows;
  }
}
