package dev.riskstream.features.drift;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training distribution of one segment, over the bins of its {@link ReferenceProfile}.
 *
 * @param rows training rows in the segment
 * @param counts per feature, {@code score} and attribute: training rows in each bin, in bin order
 * @param missing per feature: training rows where the feature fell back to its default (see {@link
 *     ProfileBinning} for what counts as a fallback)
 */
public record SegmentProfile(long rows, Map<String, List<Long>> counts, Map<String, Long> missing)
    implements Serializable {

  public SegmentProfile {
    // insertion order is the JSON order: the reference's feature order
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
  }
}
