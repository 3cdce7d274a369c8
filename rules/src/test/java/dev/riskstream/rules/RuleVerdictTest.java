package dev.riskstream.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.schemas.Outcome;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The precedence table of docs/rules.md, row by row. */
class RuleVerdictTest {

  private static RuleVerdict firstFired(RuleAction action) {
    CompiledRule first = new CompiledRule(
        new RuleDefinition("first", "true", action, "RULE_" + action, RuleMode.ACTIVE, null), null);
    CompiledRule second = new CompiledRule(
        new RuleDefinition("second", "true", RuleAction.REVIEW, "SECOND", RuleMode.ACTIVE, null), null);
    return new RuleVerdict(List.of(first, second), List.of(), List.of());
  }

  @ParameterizedTest(name = "rule {0}, model {1} -> {2}")
  @CsvSource({
      "DECLINE, APPROVE, DECLINE",
      "DECLINE, REVIEW, DECLINE",
      "DECLINE, DECLINE, DECLINE",
      "ALLOW, APPROVE, APPROVE",
      "ALLOW, REVIEW, APPROVE",
      "ALLOW, DECLINE, APPROVE",
      "REVIEW, APPROVE, REVIEW",
      "REVIEW, REVIEW, REVIEW",
      "REVIEW, DECLINE, DECLINE"})
  void theFirstActiveRuleThatFiresDecides(RuleAction action, Outcome byModel, Outcome expected) {
    assertThat(firstFired(action).outcome(byModel)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"APPROVE", "REVIEW", "DECLINE"})
  void withoutRulesTheModelDecides(Outcome byModel) {
    assertThat(RuleVerdict.NONE.outcome(byModel)).isEqualTo(byModel);
    assertThat(RuleVerdict.NONE.reasons(byModel, List.of("M"))).containsExactly("M");
  }

  @ParameterizedTest(name = "rule {0}, model {1}")
  @CsvSource({
      "DECLINE, APPROVE, RULE_DECLINE SECOND",
      "DECLINE, DECLINE, RULE_DECLINE SECOND SCORE",
      "REVIEW, APPROVE, RULE_REVIEW SECOND",
      "REVIEW, DECLINE, SCORE RULE_REVIEW SECOND",
      "ALLOW, DECLINE, RULE_ALLOW SECOND SCORE"})
  void theReasonsOfWhatDecidedComeFirst(RuleAction action, Outcome byModel, String expected) {
    List<String> byModelReasons = byModel == Outcome.APPROVE ? List.of() : List.of("SCORE");
    assertThat(String.join(" ", firstFired(action).reasons(byModel, byModelReasons))).isEqualTo(expected);
  }
}
