package dev.riskstream.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
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
   * Set-backed lists by their name in expressions ({@code lists.<name>}), handed to the runtime as
   * they are ({@link PreparedValue}): membership ({@code in}) costs the same for ten entries or ten thousand.
   */
  private final Map<String, Optional<Object>> lists;
  /** Every rule in one program, its value each rule's result in order; see {@link RuleSetCompiler}. */
  private final CelRuntime.Program together;

  CompiledRuleSet(RuleSetDefinition definition, List<CompiledRule> rules, Map<String, List<String>> lists,
      CelRuntime.Program together) {
    this.definition = definition;
    this.rules = List.copyOf(rules);
    this.lists = new HashMap<>();
    lists.forEach((name, entries) -> this.lists.put(RuleEnvironment.LIST_PREFIX + name,
        Optional.of(new PreparedValue(entries, RuleEnvironment.LIST_TYPE))));
    this.together = together;
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

  /**
   * Evaluates every rule, active and shadow, so each decision says all that fired: the whole set at
   * once, or, when a rule fails for this transaction, rule by rule, so that the others still count
   * and the failing one is named.
   */
  public RuleVerdict evaluate(TransactionFacts facts) {
    if (rules.isEmpty()) {
      return RuleVerdict.NONE;
    }
    CelVariableResolver names = names(facts);
    List<?> results = evaluateTogether(names);
    return results != null ? verdict(results) : evaluateOneByOne(names);
  }

  /** Every rule evaluated on its own: what {@link #evaluate} falls back to, and what it must agree with. */
  RuleVerdict evaluateOneByOne(TransactionFacts facts) {
    return evaluateOneByOne(names(facts));
  }

  private CelVariableResolver names(TransactionFacts facts) {
    return name -> {
      Optional<Object> list = lists.get(name);
      return list != null ? list : facts.find(name);
    };
  }

  /** Each rule's result in order, or null when any rule failed or met a missing value. */
  private List<?> evaluateTogether(CelVariableResolver names) {
    try {
      List<?> results = (List<?>) together.eval(names);
      for (Object result : results) {
        if (!(result instanceof Boolean)) {
          return null;
        }
      }
      return results;
    } catch (CelEvaluationException e) {
      return null;
    }
  }

  private RuleVerdict verdict(List<?> results) {
    List<CompiledRule> fired = new ArrayList<>(2);
    List<CompiledRule> shadowFired = new ArrayList<>(2);
    for (int i = 0; i < rules.size(); i++) {
      if ((Boolean) results.get(i)) {
        CompiledRule rule = rules.get(i);
        (rule.active() ? fired : shadowFired).add(rule);
      }
    }
    return new RuleVerdict(fired, shadowFired, List.of());
  }

  private RuleVerdict evaluateOneByOne(CelVariableResolver names) {
    List<CompiledRule> fired = new ArrayList<>(2);
    List<CompiledRule> shadowFired = new ArrayList<>(2);
    List<RuleFailure> failures = new ArrayList<>(1);
    for (CompiledRule rule : rules) {
      Object result;
      try {
        result = rule.program().eval(names);
      } catch (CelEvaluationException e) {
        failures.add(new RuleFailure(rule, e.getMessage()));
        continue;
      }
      if (result instanceof Boolean firedNow) {
        if (firedNow) {
          (rule.active() ? fired : shadowFired).add(rule);
        }
      } else {
        // an unknown: a name the expression needed had no value for this transaction
        failures.add(new RuleFailure(rule, "a value it needs is missing for this transaction"));
      }
    }
    return new RuleVerdict(fired, shadowFired, failures);
  }
}
