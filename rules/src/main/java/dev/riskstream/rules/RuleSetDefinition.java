package dev.riskstream.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A rule set as its YAML file writes it: a version, named lists that rules test membership in, and
 * ordered rules.
 */
public record RuleSetDefinition(
    @JsonProperty(value = "version", required = true) String version,
    @JsonProperty("description") String description,
    @JsonProperty("lists") Map<String, List<String>> lists,
    @JsonProperty(value = "rules", required = true) List<RuleDefinition> rules) {

  public RuleSetDefinition {
    lists = lists == null ? Map.of() : lists;
    rules = rules == null ? List.of() : rules;
  }
}
