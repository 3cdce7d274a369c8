package dev.riskstream.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.optimizer.CelOptimizationException;
import dev.cel.optimizer.CelOptimizerFactory;
import dev.cel.optimizer.optimizers.SubexpressionOptimizer;
import dev.cel.optimizer.optimizers.SubexpressionOptimizer.SubexpressionOptimizerOptions;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rule set's YAML and compiles it, or refuses it with every problem found: YAML that is not a
 * rule set, a set over {@link RuleLimits}, duplicate ids, names no rule may use, type errors,
 * expressions that are not conditions. What the job accepts, {@code riskstream rules check} accepts.
 */
public final class RuleSetCompiler {

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** Rule ids name metrics too: letters, digits, '_' and '-'. */
  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final Pattern LIST_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern MIXED_NUMBERS = Pattern.compile("\\((double, int|int, double)\\)");
  private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .build();

  private RuleSetCompiler() {}

  public static CompiledRuleSet compile(String yaml) throws InvalidRuleSetException {
    return compile(parse(yaml));
  }

  /** The rule set a YAML document writes, checked for its shape only; {@link #compile(RuleSetDefinition)} checks the rest. */
  public static RuleSetDefinition parse(String yaml) throws InvalidRuleSetException {
    int bytes = yaml.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > RuleLimits.MAX_SOURCE_BYTES) {
      throw new InvalidRuleSetException(List.of(RuleSetProblem.ofSet(
          "is " + bytes + " bytes, more than the " + RuleLimits.MAX_SOURCE_BYTES + " a rule set may have")));
    }
    if (yaml.isBlank()) {
      throw new InvalidRuleSetException(List.of(RuleSetProblem.ofSet("is empty")));
    }
    try {
      return YAML.readValue(yaml, RuleSetDefinition.class);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException notYaml) {
        throw notYaml(notYaml);
      }
      // where in the set: a path reads better than the position the YAML parser had reached
      String message = "is not a rule set" + (e.getPath().isEmpty() ? "" : " at " + path(e.getPath())) + ": "
          + e.getOriginalMessage().lines().findFirst().orElse("").replaceAll("`[a-z.]+\\.(\\w+)`", "$1");
      throw new InvalidRuleSetException(List.of(RuleSetProblem.ofSet(message)));
    } catch (JsonProcessingException e) {
      throw notYaml(e);
    }
  }

  private static InvalidRuleSetException notYaml(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String message = "is not YAML: " + String.join(" ", e.getOriginalMessage().lines().map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("^") && !line.contains(" line ")).toList());
    return new InvalidRuleSetException(List.of(at == null ? RuleSetProblem.ofSet(message)
        : new RuleSetProblem(null, at.getLineNr(), at.getColumnNr(), message)));
  }

  private static String path(List<JsonMappingException.Reference> path) {
    StringBuilder where = new StringBuilder();
    for (JsonMappingException.Reference step : path) {
      if (step.getFieldName() != null) {
        where.append(where.isEmpty() ? "" : ".").append(step.getFieldName());
      } else {
        where.append('[').append(step.getIndex()).append(']');
      }
    }
    return where.toString();
  }

  public static CompiledRuleSet compile(RuleSetDefinition definition) throws InvalidRuleSetException {
    List<RuleSetProblem> problems = new ArrayList<>(shapeProblems(definition));
    Map<String, List<String>> lists = new HashMap<>();
    definition.lists().forEach((name, entries) -> lists.put(name, ImmutableSet.copyOf(entries).asList()));
    CelCompiler compiler = RuleEnvironment.compiler(lists.keySet());
    List<CompiledRule> rules = new ArrayList<>();
    for (RuleDefinition rule : definition.rules()) {
      if (rule.expression() == null || rule.expression().isBlank()) {
        continue; // reported with the shape
      }
      CelValidationResult result = compiler.compile(rule.expression());
      if (result.hasError()) {
        for (CelIssue issue : result.getErrors()) {
          problems.add(problem(rule, issue, lists.keySet()));
        }
        continue;
      }
      try {
        CelAbstractSyntaxTree ast = result.getAst();
        if (!ast.getResultType().equals(SimpleType.BOOL)) {
          problems.add(RuleSetProblem.ofRule(rule.id(),
              "must be a condition (bool), but is " + ast.getResultType().name()));
          continue;
        }
        rules.add(new CompiledRule(rule, RuleEnvironment.runtime().createProgram(ast)));
      } catch (CelValidationException | CelEvaluationException e) {
        problems.add(RuleSetProblem.ofRule(rule.id(), e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRuleSetException(problems);
    }
    List<CompiledRuleSet.RuleProgram> programs = new ArrayList<>();
    for (int from = 0; from < rules.size(); from += CompiledRuleSet.RULES_PER_PROGRAM) {
      List<CompiledRule> part = List.copyOf(
          rules.subList(from, Math.min(from + CompiledRuleSet.RULES_PER_PROGRAM, rules.size())));
      programs.add(new CompiledRuleSet.RuleProgram(part, together(part, lists.keySet())));
    }
    return new CompiledRuleSet(definition, rules, lists, programs);
  }

  /**
   * Rules as one program whose value lists each rule's result in order, with what they share
   * computed once by CEL's common-subexpression optimizer: a hundred rules that ask the same list,
   * channel or score pay for it once, and the runtime is entered once, not a hundred times.
   */
  private static CelRuntime.Program together(List<CompiledRule> rules, Set<String> lists)
      throws InvalidRuleSetException {
    // each on lines of its own, so that a rule ending in a // comment comments out nothing of the next
    StringJoiner joined = new StringJoiner(",\n", "[\n", "\n]");
    rules.forEach(rule -> joined.add("(" + rule.definition().expression() + "\n)"));
    CelCompiler compiler = RuleEnvironment.setCompiler(lists);
    try {
      CelAbstractSyntaxTree ast = compiler.compile(joined.toString()).getAst();
      try {
        ast = CelOptimizerFactory.standardCelOptimizerBuilder(compiler, RuleEnvironment.runtime())
            .addAstOptimizers(SubexpressionOptimizer.newInstance(
                SubexpressionOptimizerOptions.newBuilder().enableCelBlock(true).build()))
            .build()
            .optimize(ast);
      } catch (CelOptimizationException e) {
        // sharing nothing is slower, not wrong
      }
      return RuleEnvironment.runtime().createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new InvalidRuleSetException(List.of(RuleSetProblem.ofSet(
          "compiles rule by rule but not as one program: " + e.getMessage())));
    }
  }

  private static List<RuleSetProblem> shapeProblems(RuleSetDefinition definition) {
    List<RuleSetProblem> problems = new ArrayList<>();
    if (definition.version() == null || !VERSION.matcher(definition.version()).matches()) {
      problems.add(RuleSetProblem.ofSet("version '" + definition.version() + "' must be 1 to 64 letters, digits, "
          + "'.', '_' or '-', starting with a letter or digit"));
    }
    if (definition.rules().size() > RuleLimits.MAX_RULES) {
      problems.add(RuleSetProblem.ofSet("has " + definition.rules().size() + " rules, more than the "
          + RuleLimits.MAX_RULES + " a set may have"));
    }
    int entries = 0;
    for (Map.Entry<String, List<String>> list : definition.lists().entrySet()) {
      if (!LIST_NAME.matcher(list.getKey()).matches()) {
        problems.add(RuleSetProblem.ofSet("list name '" + list.getKey()
            + "' must be lower-case letters, digits and '_', starting with a letter"));
      }
      if (list.getValue() == null || list.getValue().stream().anyMatch(entry -> entry == null)) {
        problems.add(RuleSetProblem.ofSet("list '" + list.getKey() + "' must be a list of strings without nulls"));
      } else {
        entries += list.getValue().size();
      }
    }
    if (entries > RuleLimits.MAX_LIST_ENTRIES) {
      problems.add(RuleSetProblem.ofSet("its lists hold " + entries + " entries, more than the "
          + RuleLimits.MAX_LIST_ENTRIES + " a set may hold"));
    }
    Set<String> ids = new HashSet<>();
    for (RuleDefinition rule : definition.rules()) {
      if (rule.id() == null || !RULE_ID.matcher(rule.id()).matches()) {
        problems.add(RuleSetProblem.ofSet("rule id '" + rule.id() + "' must be 1 to 64 letters, digits, '_' or '-'"));
      } else if (!ids.add(rule.id())) {
        problems.add(RuleSetProblem.ofRule(rule.id(), "the id is used by an earlier rule too"));
      }
      if (rule.reason() == null || !REASON.matcher(rule.reason()).matches()) {
        problems.add(RuleSetProblem.ofRule(rule.id(), "reason '" + rule.reason()
            + "' must be an upper-case code: letters, digits and '_'"));
      }
      if (rule.expression() == null || rule.expression().isBlank()) {
        problems.add(RuleSetProblem.ofRule(rule.id(), "has no expression"));
      }
    }
    return problems;
  }

  /** A compiler issue with its place in the expression, and the names that were meant where CEL says too little. */
  private static RuleSetProblem problem(RuleDefinition rule, CelIssue issue, Set<String> lists) {
    int line = issue.getSourceLocation().getLine();
    int column = issue.getSourceLocation().getColumn() + 1;
    String message = issue.getMessage();
    if (message.startsWith("undeclared reference")) {
      String name = nameAt(rule.expression(), line, column);
      message = "unknown name '" + name + "'" + (name.startsWith(RuleEnvironment.LIST_PREFIX)
          ? " (the set's lists: " + (lists.isEmpty() ? "none" : String.join(", ", lists.stream().sorted().toList())) + ")"
          : name.startsWith(RuleEnvironment.FEATURE_PREFIX) ? " (no such feature)" : "");
    }
    if (message.startsWith("found no matching overload") && MIXED_NUMBERS.matcher(message).find()) {
      message += "; numbers compare within their type: write a double with a decimal point (100.0)";
    }
    return new RuleSetProblem(rule.id(), Math.max(line, 0), Math.max(column, 0), message);
  }

  private static String nameAt(String expression, int line, int column) {
    List<String> lines = expression.lines().toList();
    if (line < 1 || line > lines.size() || column < 1 || column > lines.get(line - 1).length()) {
      return "?";
    }
    Matcher name = QUALIFIED_NAME.matcher(lines.get(line - 1)).region(column - 1, lines.get(line - 1).length());
    return name.lookingAt() ? name.group() : "?";
  }
}
