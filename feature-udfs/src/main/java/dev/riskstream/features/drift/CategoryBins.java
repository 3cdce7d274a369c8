package dev.riskstream.features.drift;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The bins of a categorical attribute: one per top category, then "other" (seen in training but
 * not among the top) and "unseen" (never seen in training), so {@code top.size() + 2} bins.
 *
 * @param name attribute name ({@link Attribute#attributeName()})
 * @param top the most frequent training categories, most frequent first
 * @param other the remaining training categories, sorted
 */
public record CategoryBins(String name, List<String> top, List<String> other) implements Serializable {

  public CategoryBins {
    top = List.copyOf(top);
    other = List.copyOf(other);
    HashSet<String> all = new HashSet<>(top);
    all.addAll(other);
    if (all.size() != top.size() + other.size()) {
      throw new IllegalArgumentException(name + ": a category is listed twice in " + top + " and " + other);
    }
  }

  /** The {@code topK} most frequent categories of {@code countByCategory}; ties by name. */
  public static CategoryBins fromCounts(String name, Map<String, Long> countByCategory, int topK) {
    List<String> ranked = new ArrayList<>(countByCategory.keySet());
    ranked.sort(Comparator.comparing((String c) -> -countByCategory.get(c)).thenComparing(c -> c));
    List<String> top = ranked.subList(0, Math.min(topK, ranked.size()));
    List<String> other = new ArrayList<>(ranked.subList(top.size(), ranked.size()));
    other.sort(Comparator.naturalOrder());
    return new CategoryBins(name, top, other);
  }

  public int binCount() {
    return top.size() + 2;
  }

  int otherBin() {
    return top.size();
  }

  int unseenBin() {
    return top.size() + 1;
  }
}
