package dev.riskstream.rules;

import dev.cel.runtime.CelRuntime;

/**
 * A rule ready to evaluate.
 *
 * @param position its place in the set, from 0: earlier active rules take precedence
 */
public record CompiledRule(int position, RuleDefinition definition, CelRuntime.Program program) {

  public String id() {
    return definition.id();
  }

  public boolean active() {
    return definition.mode() == RuleMode.ACTIVE;
  }
}
