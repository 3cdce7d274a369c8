package dev.riskstream.rules;

import dev.riskstream.schemas.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a rule set made of one transaction, and how that meets the model's outcome.
 *
 * <p>Precedence: the first active rule in the set's order that fires decides. {@code DECLINE}
 * declines and {@code ALLOW} approves whatever the model says (a missing score included);
 * {@code REVIEW} reviews, unless the model declines. When no active rule fires, the model's
 * thresholds decide. Shadow rules never change the outcome.
 *
 * @param fired the active rules that fired, in the set's order
 * @param shadowFired the shadow rules that would have fired, in the set's order
 * @param failures rules that could not be evaluated for this transaction
 */
public record RuleVerdict(List<CompiledRule> fired, List<CompiledRule> shadowFired, List<RuleFailure> failures) {

  public static final RuleVerdict NONE = new RuleVerdict(List.of(), List.of(), List.of());

  /** The outcome once the rules have had their say over the model's. */
  public Outcome outcome(Outcome byModel) {
    if (fired.isEmpty()) {
      return byModel;
    }
    return switch (fired.get(0).definition().action()) {
      case DECLINE -> Outcome.DECLINE;
      case ALLOW -> Outcome.APPROVE;
      case REVIEW -> byModel == Outcome.DECLINE ? Outcome.DECLINE : Outcome.REVIEW;
    };
  }

  /**
   * Reason codes, most important first: when a rule decided the outcome, the reasons of the active
   * rules that fired, then the model's; when the model did, the model's, then the rules'.
   */
  public List<String> reasons(Outcome byModel, List<String> byModelReasons) {
    if (fired.isEmpty()) {
      return byModelReasons;
    }
    List<String> ruleReasons = fired.stream().map(rule -> rule.definition().reason()).toList();
    // only a review rule beside a model that declines leaves the model deciding
    boolean ruleDecided = fired.get(0).definition().action() != RuleAction.REVIEW || byModel != Outcome.DECLINE;
    Set<String> reasons = new LinkedHashSet<>(ruleDecided ? ruleReasons : byModelReasons);
    reasons.addAll(ruleDecided ? byModelReasons : ruleReasons);
    return new ArrayList<>(reasons);
  }

  public List<String> firedIds() {
    return fired.stream().map(CompiledRule::id).toList();
  }

  public List<String> shadowFiredIds() {
    return shadowFired.stream().map(CompiledRule::id).toList();
  }
}
