package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.rules.StarterRules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCheckCommandTest {

  @TempDir Path dir;

  @Test
  void describesASetTheJobWouldTake() throws Exception {
    Path starter = Files.writeString(dir.resolve("starter.yaml"), StarterRules.yaml());

    CliRun run = CliRun.of(new OperationsCli(), "rules", "check", starter.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(starter + ": rule set starter-1, 8 rules (6 active, 2 shadow), lists: "
        + "blocked_cards, trusted_customers, blocked_merchants, high_risk_mccs" + System.lineSeparator());
  }

  @Test
  void namesTheFileTheRuleAndThePlaceOfEveryProblemAndExitsOne() throws Exception {
    Path good = Files.writeString(dir.resolve("good.yaml"), StarterRules.yaml());
    Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        version: bad-1
        rules:
          - {id: typo, expression: "amount > 10.0 && chanel == 'ECOM'", action: DECLINE, reason: TYPO}
          - {id: typo, expression: "amount", action: REVIEW, reason: DUPLICATE}
        """);

    CliRun run = CliRun.of(new OperationsCli(), "rules", "check", good.toString(), bad.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).startsWith(good + ": rule set starter-1");
    assertThat(run.err().lines()).containsExactly(
        bad + ": rule 'typo': the id is used by an earlier rule too",
        bad + ": rule 'typo' expression 1:18: unknown name 'chanel'",
        bad + ": rule 'typo': must be a condition (bool), but is double");
  }
}
