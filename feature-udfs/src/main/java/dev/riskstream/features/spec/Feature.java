package dev.riskstream.features.spec;

/**
 * One model input.
 *
 * @param name stable identifier, used in model manifests
 * @param type numeric or categorical
 * @param defaultValue the value used when the feature's input is missing (for example, no history
 *     for a new card)
 * @param version bumped whenever the feature's definition changes, so that a model trained on an
 *     older definition is not served the new one silently
 * @param description what it measures, for humans
 */
public record Feature(
    String name, FeatureType type, float defaultValue, int version, String description) {}
