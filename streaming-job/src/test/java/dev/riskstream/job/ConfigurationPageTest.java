package dev.riskstream.job;

import dev.riskstream.features.golden.GeneratedSection;
import dev.riskstream.io.settings.OptionGroup;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job's and batch inference's settings on {@code docs/configuration.md} are generated from their
 * declarations: a setting added, changed or left undescribed in the code makes this test fail until
 * the page says the same ({@code -Dgolden.update=true} rewrites it).
 */
class ConfigurationPageTest {

  static final Path PAGE = Path.of("..", "docs", "configuration.md");

  @Test
  void pageListsEverySettingOfTheJob() throws Exception {
    GeneratedSection.check(PAGE, "job settings", OptionGroup.markdown(JobConfig.GROUPS));
  }

  @Test
  void pageListsEverySettingOfBatchInference() throws Exception {
    GeneratedSection.check(PAGE, "batch settings", OptionGroup.markdown(List.of(BatchConfig.GROUP)));
  }
}
