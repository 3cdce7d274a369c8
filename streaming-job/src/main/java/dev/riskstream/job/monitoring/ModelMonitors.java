package dev.riskstream.job.monitoring;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.DriftThresholds;
import dev.riskstream.features.estimation.PerformanceEstimator;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each model version that scores is watched: its drift evaluator, built from the reference
 * profile in its bundle (the initial bundle, or the registry's entry), and its performance
 * estimator, built from the bundle's calibration and thresholds; once per version and operator
 * instance. A version whose bundle lacks one of them (bundles made before it existed) is not
 * watched that way, and said so once.
 */
public final class ModelMonitors implements Serializable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelMonitors.class);

  private record Monitors(Optional<DriftEvaluator> drift, Optional<PerformanceEstimator> estimator) {}

  private final String initialBundle;
  private final ModelRegistry registry;
  private final DriftThresholds thresholds;
  private transient Map<String, Monitors> byVersion;

  /**
   * @param registry where hot-swapped versions live; null when the job takes none
   */
  public ModelMonitors(Path initialBundle, ModelRegistry registry, DriftThresholds thresholds) {
    this.initialBundle = initialBundle.toString();
    this.registry = registry;
    this.thresholds = thresholds;
  }

  public DriftThresholds thresholds() {
    return thresholds;
  }

  /** The drift evaluator of {@code modelVersion}; empty when its bundle has no reference profile. */
  public Optional<DriftEvaluator> evaluatorOf(String modelVersion) {
    return monitors(modelVersion).drift();
  }

  /** The performance estimator of {@code modelVersion}; empty when its bundle has no calibration. */
  public Optional<PerformanceEstimator> estimatorOf(String modelVersion) {
    return monitors(modelVersion).estimator();
  }

  private Monitors monitors(String modelVersion) {
    if (byVersion == null) {
      byVersion = new HashMap<>();
    }
    return byVersion.computeIfAbsent(modelVersion, this::load);
  }

  private Monitors load(String modelVersion) {
    ModelManifest manifest;
    try {
      manifest = bundleOf(modelVersion).manifest();
    } catch (InvalidBundleException e) {
      throw new IllegalStateException("the bundle of " + modelVersion + ", which scored, cannot be read: "
          + e.getMessage(), e);
    }
    if (manifest.reference() == null) {
      LOG.warn("model {} has no reference profile in its bundle; its traffic is not monitored for drift", modelVersion);
    }
    if (manifest.calibration() == null) {
      LOG.warn("model {} has no calibration in its bundle; its performance is not estimated before labels",
          modelVersion);
    }
    return new Monitors(
        Optional.ofNullable(manifest.reference()).map(reference -> new DriftEvaluator(reference, thresholds)),
        Optional.ofNullable(manifest.calibration())
            .map(calibration -> new PerformanceEstimator(calibration, manifest.thresholds())));
  }

  private ModelBundle bundleOf(String modelVersion) throws InvalidBundleException {
    ModelBundle initial = ModelBundle.load(Path.of(initialBundle));
    if (initial.version().equals(modelVersion) || registry == null) {
      return initial;
    }
    return registry.load(modelVersion);
  }
}
