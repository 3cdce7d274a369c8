package dev.riskstream.features.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.golden.GoldenFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's feature table is generated from {@link FeatureSpec#CURRENT}; this test fails when it
 * is stale, and rewrites it with {@code -Dgolden.update=true}.
 */
class FeatureTableTest {

  private static final Path README = Path.of("..", "README.md");
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
  void readmeListsTheCurrentFeatures() throws Exception {
    String readme = Files.readString(README);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README has the feature table markers").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String current = readme.substring(begin + BEGIN.length(), end);
    if (GoldenFeatures.updating()) {
      Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + table() + readme.substring(end));
      current = table();
    }
    assertThat(current).as("README feature table is stale: mvn -B install -D%s=true rewrites it",
        GoldenFeatures.UPDATE_PROPERTY).isEqualTo(table());
  }
}
