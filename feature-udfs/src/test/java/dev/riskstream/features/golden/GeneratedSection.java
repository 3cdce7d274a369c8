package dev.riskstream.features.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a documentation page generated from the code, between two marker lines that name it:
 * {@link #check} fails when the page's copy is stale and, with {@code -Dgolden.update=true}, rewrites it.
 */
public final class GeneratedSection {

  private GeneratedSection() {}

  /** @param name what the section holds and which test generates it, as the markers say */
  public static void check(Path page, String name, String generated) throws IOException {
    String begin = "<!-- " + name + ": generated, do not edit -->\n";
    String end = "<!-- end of " + name + " -->\n";
    String text = Files.readString(page);
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    assertThat(from).as("%s has the markers of the %s", page, name).isNotNegative();
    assertThat(to).as("%s has the end marker of the %s", page, name).isGreaterThan(from);
    String current = text.substring(from + begin.length(), to);
    if (GoldenFeatures.updating()) {
      Files.writeString(page, text.substring(0, from + begin.length()) + generated + text.substring(to));
      current = generated;
    }
    assertThat(current).as("the %s of %s is stale: mvn -B verify -D%s=true rewrites it", name, page,
        GoldenFeatures.UPDATE_PROPERTY).isEqualTo(generated);
  }
}
