package dev.riskstream.rules;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One rule as a rule set's YAML writes it.
 *
 * @param id unique in its set; decisions, metrics and reports name the rule by it
 * @param expression a CEL expression of type bool over {@link RuleEnvironment}'s names
 * @param reason the reason code a decision carries when the rule fires
 */
public record RuleDefinition(
    @JsonProperty(value = "id", required = true) String id,
    @JsonProperty(value = "expression", required = true) String expression,
    @JsonProperty(value = "action", required = true) RuleAction action,
    @JsonProperty(value = "reason", required = true) String reason,
    @JsonProperty("mode") RuleMode mode,
    @JsonProperty("description") String description) {

  public RuleDefinition {
    mode = mode == null ? RuleMode.ACTIVE : mode;
  }
}
