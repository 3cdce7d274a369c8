package dev.riskstream.features.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.golden.GoldenFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The feature table of {@code docs/features.md} is generated from {@link FeatureSpec#CURRENT}; this test
 * fails when it is stale, and rewrites it with {@code -Dgolden.update=true}.
 */
class FeatureTableTest {

  private static final Path FEATURES_PAGE = Path.of("..", "docs", "features.md");
  private static final String BEGIN = "<!-- feature table: generated from FeatureSpec, see FeatureTableTest -->\n";
  private static final String END = "<!-- end of feature table -->\n";

  static String table() {
    return "| feature | type | version | default | meaning |\n| --- | --- | --- | --- | --- |\n"
        + FeatureSpec.CURRENT.features().stream()
            .map(f -> String.format("| `%s` | %s | %d | %s | %s |", f.name(), f.type().name().toLowerCase(java.util.Locale.ROOT),
                f.version(), f.defaultValue(), f.description()))
            .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void featuresPageListsTheCurrentFeatures() throws Exception {
    String page = Files.readString(FEATURES_PAGE);
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);
    assertThat(begin).as("docs/features.md has the feature table markers").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String current = page.substring(begin + BEGIN.length(), end);
    if (GoldenFeatures.updating()) {
      Files.writeString(FEATURES_PAGE, page.substring(0, begin + BEGIN.length()) + table() + page.substring(end));
      current = table();
    }
    assertThat(current).as("docs/features.md feature table is stale: mvn -B install -D%s=true rewrites it",
        GoldenFeatures.UPDATE_PROPERTY).isEqualTo(table());
  }
}
