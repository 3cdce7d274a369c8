package dev.riskstream.job;

/** In which order a card's transactions go through its history; see {@link JobConfig#FEATURE_ORDERING}. */
public enum FeatureOrdering {
  /**
   * Each card's transactions wait in keyed state until the watermark passes them and are then
   * processed in event-time order, so features do not depend on arrival order within the
   * watermark's bound; decisions wait for the watermark. Late ones (behind the watermark) are
   * processed at once.
   */
  EVENT_TIME,
  /**
   * Each transaction is decided when it arrives, with its card's history as it stands then, and then
   * takes its event-time place in it (the default; {@link dev.riskstream.features.CardFeatures#arrive}).
   */
  ARRIVAL
}
