package dev.riskstream.features.spec;

import dev.riskstream.features.golden.GeneratedSection;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The feature table of {@code docs/features.md} is generated from {@link FeatureSpec#CURRENT}; this test
 * fails when it is stale, and rewrites it with {@code -Dgolden.update=true}.
 */
class FeatureTableTest {

  private static final Path FEATURES_PAGE = Path.of("..", "docs", "features.md");

  static String table() {
    return "| feature | type | version | default | meaning |\n| --- | --- | --- | --- | --- |\n"
        + FeatureSpec.CURRENT.features().stream()
            .map(f -> String.format("| `%s` | %s | %d | %s | %s |", f.name(), f.type().name().toLowerCase(java.util.Locale.ROOT),
                f.version(), f.defaultValue(), f.description()))
            .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void featuresPageListsTheCurrentFeatures() throws Exception {
    GeneratedSection.check(FEATURES_PAGE, "feature table", table());
  }
}
