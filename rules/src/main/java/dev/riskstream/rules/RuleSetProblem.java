package dev.riskstream.rules;

/**
 * One reason a rule set is refused.
 *
 * @param ruleId the rule it concerns; null when it concerns the set (its YAML, its size, its lists)
 * @param line 1-based line in the rule's expression (or in the YAML file, for the set); 0 when unknown
 * @param column 1-based column there; 0 when unknown
 */
public record RuleSetProblem(String ruleId, int line, int column, String message) {

  public static RuleSetProblem ofSet(String message) {
    return new RuleSetProblem(null, 0, 0, message);
  }

  public static RuleSetProblem ofRule(String ruleId, String message) {
    return new RuleSetProblem(ruleId, 0, 0, message);
  }

  @Override
  public String toString() {
    String where = ruleId == null ? "rule set" : "rule '" + ruleId + "'";
    if (line > 0) {
      where += ruleId == null ? " line " + line + ":" + column : " expression " + line + ":" + column;
    }
    return where + ": " + message;
  }
}
