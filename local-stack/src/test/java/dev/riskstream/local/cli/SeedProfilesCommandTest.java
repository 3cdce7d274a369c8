package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.ops.CliRun;
import org.junit.jupiter.api.Test;

class SeedProfilesCommandTest {

  @Test
  void withoutADatabaseItSaysWhatIsMissing() {
    assertThat(CliRun.of(new RiskstreamCli(), "seed-profiles").exitCode()).isEqualTo(2);
  }
}
