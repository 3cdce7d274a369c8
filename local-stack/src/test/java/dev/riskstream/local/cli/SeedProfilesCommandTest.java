package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeedProfilesCommandTest {

  @Test
  void withoutADatabaseItSaysWhatIsMissing() {
    assertThat(CliRun.of("seed-profiles").exitCode()).isEqualTo(2);
  }
}
