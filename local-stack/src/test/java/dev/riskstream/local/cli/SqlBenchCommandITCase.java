package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.ops.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code riskstream bench-sql} at a small size: every run completes and reports a rate. */
class SqlBenchCommandITCase {

  @Test
  void everyPathReportsItsRowsPerSecond() throws Exception {
    CliRun run = CliRun.of(new RiskstreamCli(), "bench-sql", "--rows", "4000", "--model", "../models/baseline",
        "--batch-sizes", "1,64");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(1 + 2 + 1 + 1 + 2);
    for (String line : lines.subList(1, lines.size())) {
      double rowsPerSecond = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).replace(",", ""));
      assertThat(rowsPerSecond).as(line).isPositive();
    }
    assertThat(lines).anyMatch(line -> line.startsWith("ML_PREDICT async") && line.contains(" 64 "));
  }
}
