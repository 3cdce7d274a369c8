package dev.riskstream.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RuleSetCompilerTest {

  private static String set(String rules) {
    return "version: v1\nlists:\n  blocked: [a, b]\nrules:\n" + rules;
  }

  private static String rule(String id, String expression) {
    return "  - id: " + id + "\n    expression: \"" + expression + "\"\n    action: DECLINE\n    reason: R\n";
  }

  private static List<RuleSetProblem> problems(String yaml) {
    try {
      RuleSetCompiler.compile(yaml);
    } catch (InvalidRuleSetException e) {
      return e.problems();
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @Test
  void compilesTheStarterSet() throws InvalidRuleSetException {
    CompiledRuleSet starter = RuleSetCompiler.compile(StarterRules.yaml());
    assertThat(starter.version()).isEqualTo("starter-1");
    assertThat(starter.rules()).extracting(CompiledRule::id).contains("blocked-card", "card-testing-burst");
    assertThat(starter.rules()).filteredOn(rule -> !rule.active()).isNotEmpty();
  }

  @Test
  void namesTheRuleAndThePositionOfAnUnknownName() {
    assertThat(problems(set(rule("ok", "amount > 10.0") + rule("typo", "amount > 10.0 && features.amount_to_mean > 2.0"))))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.ruleId()).isEqualTo("typo");
          assertThat(problem.line()).isEqualTo(1);
          assertThat(problem.column()).isEqualTo(18);
          assertThat(problem.message()).isEqualTo("unknown name 'features.amount_to_mean' (no such feature)");
        });
  }

  @Test
  void anUnknownListNamesTheListsThereAre() {
    assertThat(problems(set(rule("list", "card in lists.blokced"))))
        .singleElement()
        .extracting(RuleSetProblem::message)
        .isEqualTo("unknown name 'lists.blokced' (the set's lists: blocked)");
  }

  @Test
  void refusesTypeErrorsAndExpressionsThatAreNotConditions() {
    List<String> problems = problems(set(rule("types", "country > 3") + rule("number", "amount * 2.0")))
        .stream().map(RuleSetProblem::toString).toList();
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0))
        .startsWith("rule 'types' expression 1:9: found no matching overload for '_>_' applied to '(string, int)'");
    assertThat(problems.get(1)).isEqualTo("rule 'number': must be a condition (bool), but is double");
  }

  @Test
  void anIntegerComparedWithADoubleGetsAHint() {
    assertThat(problems(set(rule("int", "amount > 100")))).singleElement().extracting(RuleSetProblem::message)
        .asString().endsWith("numbers compare within their type: write a double with a decimal point (100.0)");
  }

  @Test
  void refusesDuplicateIdsBadCodesAndMissingExpressions() {
    String yaml = set(rule("same", "true") + rule("same", "false")
        + "  - id: lower\n    expression: \"true\"\n    action: REVIEW\n    reason: not-a-code\n"
        + "  - id: empty\n    expression: \"\"\n    action: REVIEW\n    reason: R\n");
    assertThat(problems(yaml)).extracting(RuleSetProblem::toString).containsExactly(
        "rule 'same': the id is used by an earlier rule too",
        "rule 'lower': reason 'not-a-code' must be an upper-case code: letters, digits and '_'",
        "rule 'empty': has no expression");
  }

  @Test
  void refusesYamlThatIsNotARuleSet() {
    assertThat(problems("just a string")).singleElement().extracting(RuleSetProblem::message)
        .asString().startsWith("is not a rule set: ");
    assertThat(problems("version: v1\nrules: [\n")).singleElement()
        .satisfies(problem -> {
          assertThat(problem.message()).startsWith("is not YAML: ");
          assertThat(problem.line()).isEqualTo(2);
        });
    assertThat(problems("version: v1\nrules: []\nextra: 1\n")).singleElement().extracting(RuleSetProblem::message)
        .asString().startsWith("is not a rule set at extra: Unrecognized field \"extra\"");
    assertThat(problems("version: v1\nrules:\n  - id: x\n    expression: 'true'\n    action: BLOCK\n    reason: R\n"))
        .singleElement().extracting(RuleSetProblem::message).asString()
        .startsWith("is not a rule set at rules[0].action: Cannot deserialize value of type RuleAction from String \"BLOCK\"")
        .contains("REVIEW", "ALLOW", "DECLINE");
    assertThat(problems("rules: []\n")).singleElement().extracting(RuleSetProblem::message).asString()
        .contains("version");
    assertThat(problems("")).singleElement().extracting(RuleSetProblem::message).isEqualTo("is empty");
  }

  @Test
  void refusesSetsOverTheLimits() {
    String many = IntStream.range(0, RuleLimits.MAX_RULES + 1).mapToObj(i -> rule("r" + i, "true"))
        .collect(Collectors.joining());
    assertThat(problems(set(many))).extracting(RuleSetProblem::message)
        .containsExactly("has 501 rules, more than the 500 a set may have");

    String longList = IntStream.range(0, RuleLimits.MAX_LIST_ENTRIES + 1).mapToObj(i -> "\"" + i + "\"")
        .collect(Collectors.joining(",", "version: v1\nlists:\n  big: [", "]\nrules: []\n"));
    assertThat(problems(longList)).extracting(RuleSetProblem::message)
        .containsExactly("its lists hold 50001 entries, more than the 50000 a set may hold");

    String huge = "version: v1\nrules: []\n#" + "x".repeat(RuleLimits.MAX_SOURCE_BYTES);
    assertThat(problems(huge)).singleElement().extracting(RuleSetProblem::message).asString()
        .contains("more than the " + RuleLimits.MAX_SOURCE_BYTES);
  }
}
