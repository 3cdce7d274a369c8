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

  /**
   * CEL's common-subexpression optimizer gives up on much larger programs (past some 120 rules of
   * the benchmark's kinds) and takes longer than linearly to try: 0.1 s for 25 rules, 0.7 s for 100.
   */
  static final int RULES_PER_PROGRAM = 100;

  private final RuleSetDefinition definition;
  private final List<CompiledRule> rules;
  /**
   * Set-backed lists by their name in expressions ({@code lists.<name>}), handed to the runtime as
   * they are ({@link PreparedValue}): membership ({@code in}) costs the same for ten entries or ten thousand.
   */
  private final Map<String, Optional<Object>> lists;
  /** The rules in programs of {@value #RULES_PER_PROGRAM}, in order; see {@link RuleSetCompiler}. */
  private final List<RuleProgram> programs;

  CompiledRuleSet(RuleSetDefinition definition, List<CompiledRule> rules, Map<String, List<String>> lists,
      List<RuleProgram> programs) {
    this.definition = definition;
    this.rules = List.copyOf(rules);
    this.lists = new HashMap<>();
    lists.forEach((name, entries) -> this.lists.put(RuleEnvironment.LIST_PREFIX + name,
        Optional.of(new PreparedValue(entries, RuleEnvironment.LIST_TYPE))));
    this.programs = List.copyOf(programs);
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
   * Evaluates every rule, active and shadow, so each decision says all that fired: a program of
   * rules at once, or, when one of its rules fails for this transaction, its rules one by one, so
   * that the others still count and the failing one is named.
   */
  public RuleVerdict evaluate(TransactionFacts facts) {
    if (rules.isEmpty()) {
      return RuleVerdict.NONE;
    }
    CelVariableResolver names = names(facts);
    Verdicts verdicts = new Verdicts();
    for (RuleProgram program : programs) {
      List<?> results = evaluateTogether(program.program(), names);
      if (results == null) {
        program.rules().forEach(rule -> verdicts.evaluate(rule, names));
      } else {
        for (int i = 0; i < results.size(); i++) {
          verdicts.count(program.rules().get(i), (Boolean) results.get(i));
        }
      }
    }
    return verdicts.verdict();
  }

  /** Every rule evaluated on its own: what {@link #evaluate} falls back to, and what it must agree with. */
  RuleVerdict evaluateOneByOne(TransactionFacts facts) {
    CelVariableResolver names = names(facts);
    Verdicts verdicts = new Verdicts();
    rules.forEach(rule -> verdicts.evaluate(rule, names));
    return verdicts.verdict();
  }

  private CelVariableResolver names(TransactionFacts facts) {
    return name -> {
      Optional<Object> list = lists.get(name);
      return list != null ? list : facts.find(name);
    };
  }

  /** Each rule's result in order, or null when any rule failed or met a missing value. */
  private static List<?> evaluateTogether(CelRuntime.Program program, CelVariableResolver names) {
    try {
      List<?> results = (List<?>) program.eval(names);
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

  /** Rules as one program, whose value lists each rule's result in order. */
  record RuleProgram(List<CompiledRule> rules, CelRuntime.Program program) {}

  /** What fired and what failed, in the set's order. */
  private static final class Verdicts {
    private final List<CompiledRule> fired = new ArrayList<>(2);
    private final List<CompiledRule> shadowFired = new ArrayList<>(2);
    private List<RuleFailure> failures;

    void count(CompiledRule rule, boolean firedNow) {
      if (firedNow) {
        (rule.active() ? fired : shadowFired).add(rule);
      }
    }

    void evaluate(CompiledRule rule, CelVariableResolver names) {
      Object result;
      try {
        result = rule.program().eval(names);
      } catch (CelEvaluationException e) {
        fail(rule, e.getMessage());
        return;
      }
      if (result instanceof Boolean firedNow) {
        count(rule, firedNow);
      } else {
        // an unknown: a name the expression needed had no value for this transaction
        fail(rule, "a value it needs is missing for this transaction");
      }
    }

    private void fail(CompiledRule rule, String message) {
      failures = failures == null ? new ArrayList<>(1) : failures;
      failures.add(new RuleFailure(rule, message));
    }

    RuleVerdict verdict() {
      return new RuleVerdict(fired, shadowFired, failures == null ? List.of() : failures);
    }
  }
}
