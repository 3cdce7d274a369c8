package dev.riskstream.rules;

import dev.riskstream.features.golden.GeneratedSection;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The names rules may use, on {@code docs/rules.md}, are generated from {@link RuleEnvironment}: a name
 * added or changed in the code makes this test fail until the page says the same
 * ({@code -Dgolden.update=true} rewrites it).
 */
class RulesPageTest {

  @Test
  void pageListsEveryNameARuleMayUse() throws Exception {
    String table = RuleEnvironment.variables().stream()
        .map(variable -> "| `" + variable.name() + "` | " + variable.type().name() + " | "
            + variable.description().replace("|", "\\|") + " |")
        .collect(Collectors.joining("\n", "| name | type | holds |\n| --- | --- | --- |\n", "\n"));
    GeneratedSection.check(Path.of("..", "docs", "rules.md"), "rule environment", table);
  }
}
