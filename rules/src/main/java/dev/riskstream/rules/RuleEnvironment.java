package dev.riskstream.rules;

import dev.cel.common.CelOptions;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The names a rule's expression is written in, declared once: the transaction's fields, every
 * feature of {@link FeatureSpec#CURRENT} as {@code features.<name>}, the lookup's status, the
 * model's score, and the rule set's own lists as {@code lists.<name>}. Rules run after scoring, so
 * they see the score of the model that decides.
 *
 * <p>A name without a value for a transaction ({@code device} when it has none, {@code score} when the
 * model gave none) makes a rule that needs it fail for that transaction, which counts as not fired;
 * {@code has_device} and {@code has_score} guard them ({@code has_score && score > 0.5}), since CEL's
 * {@code &&} and {@code ||} absorb the failure of a side that does not decide.
 */
public final class RuleEnvironment {

  public static final String FEATURE_PREFIX = "features.";
  public static final String LIST_PREFIX = "lists.";
  /** At most this many elements in one comprehension ({@code exists}, {@code all}, {@code map}). */
  public static final int MAX_COMPREHENSION_ITERATIONS = 10_000;

  static final ListType LIST_TYPE = ListType.create(SimpleType.STRING);

  public static final List<RuleVariable> TRANSACTION = List.of(
      new RuleVariable("amount", SimpleType.DOUBLE, "the amount in the base currency (EUR) units"),
      new RuleVariable("amount_minor", SimpleType.INT, "the amount in minor units of its own currency"),
      new RuleVariable("currency", SimpleType.STRING, "ISO 4217 alphabetic code"),
      new RuleVariable("country", SimpleType.STRING, "ISO 3166-1 alpha-2 country of the merchant"),
      new RuleVariable("mcc", SimpleType.STRING, "the merchant category code, four digits, as a string"),
      new RuleVariable("channel", SimpleType.STRING, "POS, ECOM, ATM or MOTO"),
      new RuleVariable("merchant", SimpleType.STRING, "the merchant id"),
      new RuleVariable("customer", SimpleType.STRING, "the customer id"),
      new RuleVariable("card", SimpleType.STRING, "the card token (keyed HMAC of the PAN, hex), as decisions carry it"),
      new RuleVariable("device", SimpleType.STRING, "the device fingerprint; no value when the transaction has none"),
      new RuleVariable("has_device", SimpleType.BOOL, "whether the transaction names a device"),
      new RuleVariable("local_hour", SimpleType.INT, "hour of day, 0 to 23, on the merchant country's wall clock"),
      new RuleVariable("lookup_status", SimpleType.STRING,
          "how the profile lookup went: HIT, MISS, TIMEOUT, ERROR or NOT_CONFIGURED"),
      new RuleVariable("score", SimpleType.DOUBLE, "the fraud probability of the deciding model; no value when it gave none"),
      new RuleVariable("has_score", SimpleType.BOOL, "whether the model gave a score"),
      new RuleVariable("model_version", SimpleType.STRING, "the version of the deciding model"));

  /**
   * Numbers compare within their type ({@code amount > 100.0}, {@code local_hour < 5}): the checker
   * refuses {@code amount > 100} with a hint ({@link RuleSetCompiler}). The runtime is CEL's planner,
   * which compares numbers across types whatever it is told; with every expression checked this way
   * it never meets a mixed comparison, and {@code in} asks a list's set before it compares entries.
   */
  private static final CelOptions CHECKER_OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(false)
      .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
      .maxExpressionCodePointSize(RuleLimits.MAX_EXPRESSION_CHARS)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.plannerRuntimeBuilder()
      .setOptions(CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
          .build())
      .build();

  private RuleEnvironment() {}

  /** Every name but the lists, in the order the documentation lists them. */
  public static List<RuleVariable> variables() {
    List<RuleVariable> variables = new ArrayList<>(TRANSACTION);
    for (Feature feature : FeatureSpec.CURRENT.features()) {
      variables.add(new RuleVariable(FEATURE_PREFIX + feature.name(), SimpleType.DOUBLE, feature.description()));
    }
    return variables;
  }

  /** A compiler that knows every name, and the given lists as {@code lists.<name>} of strings. */
  static CelCompiler compiler(Collection<String> listNames) {
    return compiler(listNames, CHECKER_OPTIONS);
  }

  /**
   * The same compiler for a whole set's rules joined in one expression: each rule was checked alone
   * against {@link RuleLimits#MAX_EXPRESSION_CHARS} first, so their sum may exceed it.
   */
  static CelCompiler setCompiler(Collection<String> listNames) {
    return compiler(listNames, CHECKER_OPTIONS.toBuilder().maxExpressionCodePointSize(RuleLimits.MAX_SOURCE_BYTES).build());
  }

  private static CelCompiler compiler(Collection<String> listNames, CelOptions options) {
    CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    for (RuleVariable variable : variables()) {
      builder.addVar(variable.name(), variable.type());
    }
    for (String list : listNames) {
      builder.addVar(LIST_PREFIX + list, LIST_TYPE);
    }
    return builder.build();
  }

  static CelRuntime runtime() {
    return RUNTIME;
  }
}
