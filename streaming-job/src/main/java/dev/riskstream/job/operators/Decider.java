package dev.riskstream.job.operators;

import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.util.LogThrottle;
import dev.riskstream.rules.CompiledRule;
import dev.riskstream.rules.CompiledRuleSet;
import dev.riskstream.rules.RuleFailure;
import dev.riskstream.rules.RuleVerdict;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides scored transactions under a rule set, or none, and counts what it decided: outcomes, the
 * time from reading a transaction to deciding it ({@code decisions.decisionLatencyMs}, what an
 * authorising application waits for), and per rule ({@code rules.rule.<id>}) how often it fired,
 * would have fired in shadow, or could not be evaluated. The operators that decide share it.
 */
final class Decider {

  private static final Logger LOG = LoggerFactory.getLogger(Decider.class);
  /**
   * Decisions the latency histogram keeps, as many as the scoring histograms: about 10 of them lie
   * above its p99, enough for a stable estimate, and under load they are the last second or less, so
   * a slowdown shows at the next scrape rather than diluted in minutes of history.
   */
  private static final int LATENCY_WINDOW = 1024;
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

  private final Counter[] byOutcome;
  private final Histogram latencyMs;
  private final MetricGroup ruleGroup;
  private final Counter changedByRules;
  /** By rule id, across rule sets: a rule kept from one version to the next keeps counting. */
  private final Map<String, RuleCounters> ruleCounters = new HashMap<>();
  private CompiledRuleSet rules;

  Decider(MetricGroup operatorGroup) {
    MetricGroup decisions = operatorGroup.addGroup("decisions");
    byOutcome = new Counter[Outcome.values().length];
    for (Outcome outcome : Outcome.values()) {
      byOutcome[outcome.ordinal()] = decisions.counter(outcome.name().toLowerCase(Locale.ROOT));
    }
    latencyMs = decisions.histogram("decisionLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    ruleGroup = operatorGroup.addGroup("rules");
    changedByRules = ruleGroup.counter("outcomesChanged");
  }

  /** Decide with {@code rules} from now on; null: the model alone. */
  void use(CompiledRuleSet rules) {
    this.rules = rules;
    if (rules != null) {
      rules.rules().forEach(rule -> ruleCounters.computeIfAbsent(rule.id(), this::countersOf));
    }
  }

  CompiledRuleSet rules() {
    return rules;
  }

  Decision decide(EnrichedTransaction tx) {
    RuleVerdict verdict = rules == null ? RuleVerdict.NONE : rules.evaluate(tx.ruleFacts());
    // one clock reading, so the histogram measures what the decision says: decidedAt - receivedAt
    Instant now = Instant.now();
    Decision decision = DecisionPolicy.decision(tx, verdict, rules == null ? null : rules.version(), now);
    byOutcome[decision.getOutcome().ordinal()].inc();
    if (decision.getReceivedAt() != null) {
      latencyMs.update(now.toEpochMilli() - tx.receivedAt);
    }
    if (rules != null) {
      count(verdict, decision.getOutcome() != DecisionPolicy.outcome(tx));
    }
    return decision;
  }

  private void count(RuleVerdict verdict, boolean changed) {
    if (changed) {
      changedByRules.inc();
    }
    for (CompiledRule rule : verdict.fired()) {
      ruleCounters.get(rule.id()).fired.inc();
    }
    for (CompiledRule rule : verdict.shadowFired()) {
      ruleCounters.get(rule.id()).shadowFired.inc();
    }
    for (RuleFailure failure : verdict.failures()) {
      RuleCounters counters = ruleCounters.get(failure.rule().id());
      counters.failed.inc();
      if (counters.failureLog.due()) {
        LOG.warn("Rule {} of rule set {} could not be evaluated, counted as not fired ({} so far; logged at most "
            + "once a minute): {}", failure.rule().id(), rules.version(), counters.failed.getCount(), failure.message());
      }
    }
  }

  private RuleCounters countersOf(String ruleId) {
    MetricGroup group = ruleGroup.addGroup("rule", ruleId);
    return new RuleCounters(group.counter("fired"), group.counter("shadowFired"), group.counter("failed"),
        new LogThrottle(FAILURE_LOG_INTERVAL));
  }

  private record RuleCounters(Counter fired, Counter shadowFired, Counter failed, LogThrottle failureLog) {}
}
