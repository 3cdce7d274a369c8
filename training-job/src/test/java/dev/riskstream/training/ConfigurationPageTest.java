package dev.riskstream.training;

import dev.riskstream.features.golden.GeneratedSection;
import dev.riskstream.io.settings.OptionGroup;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retraining's own settings on {@code docs/configuration.md} are generated from their declarations
 * ({@code -Dgolden.update=true} rewrites them); the settings it shares with the job are listed with the job's.
 */
class ConfigurationPageTest {

  @Test
  void pageListsEverySettingOfRetraining() throws Exception {
    GeneratedSection.check(Path.of("..", "docs", "configuration.md"), "retraining settings",
        OptionGroup.markdown(List.of(RetrainingSettings.GROUP)));
  }
}
