package dev.riskstream.job.monitoring;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.drift.DriftEvaluator;
import dev.riskstream.features.drift.DriftThresholds;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift evaluator of each model version that scores: built from the reference profile in that
 * version's bundle (the initial bundle, or the registry's entry), once per version and operator
 * instance. A version whose bundle carries no reference profile (bundles made before profiles
 * existed) is not monitored, and said so once.
 */
public final class DriftEvaluators implements Serializable {

  private static final Logger LOG = LoggerFactory.getLogger(DriftEvaluators.class);

  private final String initialBundle;
  private final ModelRegistry registry;
  private final DriftThresholds thresholds;
  private transient Map<String, Optional<DriftEvaluator>> byVersion;

  /**
   * @param registry where hot-swapped versions live; null when the job takes none
   */
  public DriftEvaluators(Path initialBundle, ModelRegistry registry, DriftThresholds thresholds) {
    this.initialBundle = initialBundle.toString();
    this.registry = registry;
    this.thresholds = thresholds;
  }

  public DriftThresholds thresholds() {
    return thresholds;
  }

  /** The evaluator of {@code modelVersion}; empty when its bundle has no reference profile. */
  public Optional<DriftEvaluator> of(String modelVersion) {
    if (byVersion == null) {
      byVersion = new HashMap<>();
    }
    return byVersion.computeIfAbsent(modelVersion, this::load);
  }

  private Optional<DriftEvaluator> load(String modelVersion) {
    ModelManifest manifest;
    try {
      manifest = bundleOf(modelVersion).manifest();
    } catch (InvalidBundleException e) {
      throw new IllegalStateException("the bundle of " + modelVersion + ", which scored, cannot be read: "
          + e.getMessage(), e);
    }
    if (manifest.reference() == null) {
      LOG.warn("model {} has no reference profile in its bundle; its traffic is not monitored for drift", modelVersion);
      return Optional.empty();
    }
    return Optional.of(new DriftEvaluator(manifest.reference(), thresholds));
  }

  private ModelBundle bundleOf(String modelVersion) throws InvalidBundleException {
    ModelBundle initial = ModelBundle.load(Path.of(initialBundle));
    if (initial.version().equals(modelVersion) || registry == null) {
      return initial;
    }
    return registry.load(modelVersion);
  }
}
