package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code riskstream demo --events N} as a user runs it, on free ports. */
class DemoCommandITCase {

  @Test
  @Timeout(240)
  void decidesEverySimulatedTransactionAndSummarises() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new RiskstreamCli()).execute(
          "demo", "--events", "800", "--rate", "400", "--kafka-port", "0", "--ui-port", "0",
          "--model", "../models/baseline", "--checkpoint-interval", "PT1S");
    } finally {
      System.setOut(original);
    }

    String out = stdout.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isZero();
    String summaryLine = out.lines().filter(l -> l.startsWith("SUMMARY ")).findFirst().orElseThrow();
    JsonNode summary = new ObjectMapper().readTree(summaryLine.substring("SUMMARY ".length()));
    assertThat(summary.get("transactions").asLong()).isEqualTo(800);
    assertThat(summary.get("decisions").asLong()).isEqualTo(800);
    assertThat(summary.get("approve").asLong() + summary.get("review").asLong() + summary.get("decline").asLong())
        .isEqualTo(800);
    assertThat(summary.get("deadLetters").asLong()).isZero();
    assertThat(summary.get("modelVersion").asText()).isEqualTo("baseline-1");
    assertThat(summary.get("executionProvider").asText()).isEqualTo("cpu");
  }
}
