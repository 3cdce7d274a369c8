package dev.riskstream.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A rule set that compiled and type-checked: its rules ready to evaluate, in order. Thread-safe. */
public final class CompiledRuleSet {

  private final RuleSetDefinition definition;
  private final List<CompiledRule> rules;
  /**
   * Set-backed lists by their name in expressions ({@code lists.<name>}), so that resolving one
   * builds no string: membership ({@code in}) costs the same for ten entries or ten thousand.
   */
  private final Map<String, List<String>> lists;

  CompiledRuleSet(RuleSetDefinition definition, List<CompiledRule> rules, Map<String, List<String>> lists) {
    this.definition = definition;
    this.rules = List.copyOf(rules);
    this.lists = new HashMap<>();
    lists.forEach((name, entries) -> this.lists.put(RuleEnvironment.LIST_PREFIX + name, entries));
  }

  public String version() {
    return definition.version();
  }

  public RuleSetDefinition definition() {
    return definition;
  }

  public List<CompiledRule> rules() {
    return rules;
  }

  /** Evaluates every rule, active and shadow, so each decision says all that fired. */
  public RuleVerdict evaluate(TransactionFacts facts) {
    List<CompiledRule> fired = new ArrayList<>(2);
    List<CompiledRule> shadowFired = new ArrayList<>(2);
    List<RuleFailure> failures = null;
    CelVariableResolver names = name -> resolve(name, facts);
    for (CompiledRule rule : rules) {
      Object result;
      try {
        result = rule.program().eval(names);
      } catch (CelEvaluationException e) {
        failures = failures == null ? new ArrayList<>(1) : failures;
        failures.add(new RuleFailure(rule, e.getMessage()));
        continue;
      }
      if (result instanceof Boolean firedNow) {
        if (firedNow) {
          (rule.active() ? fired : shadowFired).add(rule);
        }
      } else {
        // an unknown: a name the expression needed had no value for this transaction
        failures = failures == null ? new ArrayList<>(1) : failures;
        failures.add(new RuleFailure(rule, "a value it needs is missing for this transaction"));
      }
    }
    return new RuleVerdict(fired, shadowFired, failures == null ? List.of() : failures);
  }

  private Optional<Object> resolve(String name, TransactionFacts facts) {
    List<String> list = lists.get(name);
    return list != null ? Optional.of(list) : facts.find(name);
  }
}
