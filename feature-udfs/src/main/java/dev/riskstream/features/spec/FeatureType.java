package dev.riskstream.features.spec;

/** How a feature's value is to be read by models and by drift monitoring. */
public enum FeatureType {
  /** A real number. */
  NUMERIC,
  /** An indicator or code; its value is one of a small set. */
  CATEGORICAL
}
