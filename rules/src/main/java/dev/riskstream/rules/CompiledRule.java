package dev.riskstream.rules;

import dev.cel.runtime.CelRuntime;

/** A rule ready to evaluate; {@link CompiledRuleSet} keeps them in the set's order, which is their precedence. */
public record CompiledRule(RuleDefinition definition, CelRuntime.Program program) {

  public String id() {
    return definition.id();
  }

  public boolean active() {
    return definition.mode() == RuleMode.ACTIVE;
  }
}
