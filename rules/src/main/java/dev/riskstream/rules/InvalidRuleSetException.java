package dev.riskstream.rules;

import java.util.List;
import java.util.stream.Collectors;

/** A rule set that does not parse, compile or type-check, with every problem found in it. */
public final class InvalidRuleSetException extends Exception {

  private final transient List<RuleSetProblem> problems;

  public InvalidRuleSetException(List<RuleSetProblem> problems) {
    super(problems.stream().map(RuleSetProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<RuleSetProblem> problems() {
    return problems;
  }
}
