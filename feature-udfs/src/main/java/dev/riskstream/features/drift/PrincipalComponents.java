package dev.riskstream.features.drift;

import dev.riskstream.features.spec.FeatureSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * The principal components of standardised training features: the few directions along which the
 * features vary together. A row's reconstruction error is how far its standardised features lie from
 * their projection on those directions (the Euclidean norm of the residual): small for rows whose
 * features go together as in training, large for rows where they do not, whatever each feature's own
 * distribution. Standardised values are clipped to {@value #CLIP} standard deviations, so that one
 * extreme amount cannot make a window's mean error.
 *
 * @param features the features, in {@link FeatureSpec#CURRENT} order
 * @param means each feature's training mean
 * @param scales each feature's training standard deviation (1 for a feature constant in training)
 * @param components the kept directions, each a unit vector over {@code features}, by falling variance
 * @param explainedVariance the share of the standardised variance the kept directions explain
 */
public record PrincipalComponents(List<String> features, List<Double> means, List<Double> scales,
    List<List<Double>> components, double explainedVariance) implements Serializable {

  /** As NannyML's reconstruction-error drift: directions up to 65% of the variance. */
  public static final double VARIANCE_KEPT = 0.65;
  static final double CLIP = 5;

  public PrincipalComponents {
    features = List.copyOf(features);
    means = List.copyOf(means);
    scales = List.copyOf(scales);
    components = components.stream().map(List::copyOf).toList();
    int width = features.size();
    if (means.size() != width || scales.size() != width
        || components.stream().anyMatch(component -> component.size() != width)) {
      throw new IllegalArgumentException("principal components of " + width + " features need as many "
          + "means, scales and loadings per component");
    }
  }

  /** The components of {@code rows} (spec vectors) over {@code features}, kept up to {@link #VARIANCE_KEPT}. */
  public static PrincipalComponents fit(List<float[]> rows, List<String> features) {
    return fit(rows, features, VARIANCE_KEPT);
  }

  /** The components of {@code rows} over {@code features}, as many as explain {@code varianceKept}. */
  public static PrincipalComponents fit(List<float[]> rows, List<String> features, double varianceKept) {
    if (features.size() < 2 || rows.size() < 2) {
      throw new IllegalArgumentException("principal components need at least two features and two rows");
    }
    int[] index = features.stream().mapToInt(FeatureSpec.CURRENT::requireIndex).toArray();
    int d = index.length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (float[] row : rows) {
      for (int f = 0; f < d; f++) {
        mean[f] += row[index[f]];
      }
    }
    for (int f = 0; f < d; f++) {
      mean[f] /= rows.size();
    }
    for (float[] row : rows) {
      for (int f = 0; f < d; f++) {
        double deviation = row[index[f]] - mean[f];
        scale[f] += deviation * deviation;
      }
    }
    for (int f = 0; f < d; f++) {
      scale[f] = Math.sqrt(scale[f] / (rows.size() - 1));
      if (!(scale[f] > 0)) {
        scale[f] = 1; // constant in training: any other value at all is a deviation in standard units
      }
    }
    double[][] covariance = new double[d][d];
    double[] z = new double[d];
    for (float[] row : rows) {
      standardise(row, index, mean, scale, z);
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          covariance[a][b] += z[a] * z[b];
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        covariance[a][b] /= rows.size() - 1;
        covariance[b][a] = covariance[a][b];
      }
    }
    EigenDecomposition decomposition = new EigenDecomposition(new Array2DRowRealMatrix(covariance, false));
    double[] eigenvalues = decomposition.getRealEigenvalues();
    Integer[] byVariance = IntStream.range(0, d).boxed().toArray(Integer[]::new);
    Arrays.sort(byVariance, Comparator.comparingDouble((Integer i) -> eigenvalues[i]).reversed());
    double total = Arrays.stream(eigenvalues).map(value -> Math.max(0, value)).sum();
    List<List<Double>> components = new ArrayList<>();
    double kept = 0;
    for (int i : byVariance) {
      if (kept >= varianceKept * total) {
        break;
      }
      RealVector direction = decomposition.getEigenvector(i).unitVector();
      components.add(Arrays.stream(direction.toArray()).boxed().toList());
      kept += Math.max(0, eigenvalues[i]);
    }
    return new PrincipalComponents(features, Arrays.stream(mean).boxed().toList(),
        Arrays.stream(scale).boxed().toList(), components, total > 0 ? kept / total : 1);
  }

  private static void standardise(float[] row, int[] index, double[] mean, double[] scale, double[] z) {
    for (int f = 0; f < index.length; f++) {
      z[f] = Math.max(-CLIP, Math.min(CLIP, (row[index[f]] - mean[f]) / scale[f]));
    }
  }

  /** Computes reconstruction errors; holds scratch space, so one per thread. */
  public Projector projector() {
    return new Projector(this);
  }

  /** The reconstruction error of spec vectors through these components. */
  public static final class Projector implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int[] index;
    private final double[] mean;
    private final double[] scale;
    private final double[][] components;
    private final double[] z;
    private final double[] residual;

    private Projector(PrincipalComponents pca) {
      index = pca.features().stream().mapToInt(FeatureSpec.CURRENT::requireIndex).toArray();
      mean = pca.means().stream().mapToDouble(Double::doubleValue).toArray();
      scale = pca.scales().stream().mapToDouble(Double::doubleValue).toArray();
      components = pca.components().stream()
          .map(component -> component.stream().mapToDouble(Double::doubleValue).toArray()).toArray(double[][]::new);
      z = new double[index.length];
      residual = new double[index.length];
    }

    /** How far the row's standardised features lie from their projection on the components. */
    public double reconstructionError(float[] specVector) {
      standardise(specVector, index, mean, scale, z);
      System.arraycopy(z, 0, residual, 0, z.length);
      for (double[] component : components) {
        double coordinate = 0;
        for (int f = 0; f < z.length; f++) {
          coordinate += component[f] * z[f];
        }
        for (int f = 0; f < z.length; f++) {
          residual[f] -= coordinate * component[f];
        }
      }
      double squared = 0;
      for (double r : residual) {
        squared += r * r;
      }
      return Math.sqrt(squared);
    }
  }
}
