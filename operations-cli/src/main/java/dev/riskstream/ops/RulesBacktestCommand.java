package dev.riskstream.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.riskstream.job.BatchConfig;
import dev.riskstream.job.BatchScoringJob;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.RuleBacktestJob;
import dev.riskstream.job.RuleOptions;
import dev.riskstream.job.batch.BacktestTally;
import dev.riskstream.job.batch.BacktestTally.Flags;
import dev.riskstream.rules.CompiledRule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code riskstream rules backtest}: a candidate rule set against the current one (or the model alone)
 * over bounded input, through batch scoring's pipeline on a local MiniCluster; a report, then a
 * {@code SUMMARY} JSON line.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = "Replay transactions (Avro files or a range of the transactions topic) through the job's "
        + "pipeline in Flink's batch mode and decide each by the model alone, by the current rule set and by the "
        + "candidate FILE, on the same features and score. Reports per rule its hits, the decisions the candidate "
        + "changes and, with --labels, precision, recall and the fraud amount caught, per rule and per set. The "
        + "candidate's decisions are written to --output. The card-token key is where "
        + "pii.token-key says (default env:" + InputOptions.TOKEN_KEY_ENV + "; --set pii.token-key=file:PATH for a "
        + "file): use the streaming job's, for the same card tokens and block lists.")
public final class RulesBacktestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The candidate rule set's YAML.")
  Path candidate;

  @Option(names = "--current", paramLabel = "FILE", description = "The rule set in use, which the candidate is "
      + "compared with; without it, the model alone.")
  Path current;

  @Option(names = "--labels", paramLabel = "PATH", description = "Avro container files of FraudLabel records, or a "
      + "directory of them. A transaction's latest label counts; a transaction without one is unlabelled and left "
      + "out of precision and recall.")
  Path labels;

  @Mixin BatchRunOptions batch;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Optional<RuleSetFiles.Compiled> candidateSet = RuleSetFiles.compile(candidate, err);
    Optional<RuleSetFiles.Compiled> currentSet = current == null ? Optional.empty() : RuleSetFiles.compile(current, err);
    if (candidateSet.isEmpty() || (current != null && currentSet.isEmpty())) {
      return 1;
    }
    BatchConfig config;
    try {
      config = batch.config(Map.of(RuleOptions.FILE.key(), candidate.toAbsolutePath().toString()));
    } catch (IllegalArgumentException | CliException e) {
      err.println("riskstream rules backtest: " + e.getMessage());
      return 1;
    }
    StreamExecutionEnvironment env = batch.environment();
    BacktestTally tally = new BacktestTally();
    // read to the end, which is the job's end: the decision files are committed by then
    try (CloseableIterator<BacktestTally> tallies = RuleBacktestJob.tally(BatchScoringJob.wire(env, config).scored(),
            candidateSet.get().yaml(), currentSet.map(RuleSetFiles.Compiled::yaml).orElse(null),
            Optional.ofNullable(labels).map(path -> path.toAbsolutePath().toString()))
        .executeAndCollect(RuleBacktestJob.JOB_NAME)) {
      while (tallies.hasNext()) {
        tally = tallies.next();
      }
    }

    Map<String, Object> summary = summary(tally, candidateSet.get(), currentSet);
    new BacktestReport(spec.commandLine().getOut()).print(tally, candidateSet.get(), currentSet);
    spec.commandLine().getOut().println("SUMMARY " + new ObjectMapper().writeValueAsString(summary));
    return 0;
  }

  private Map<String, Object> summary(BacktestTally tally, RuleSetFiles.Compiled candidateSet,
      Optional<RuleSetFiles.Compiled> currentSet) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("candidate", candidateSet.rules().version());
    summary.put("current", currentSet.map(set -> set.rules().version()).orElse(null));
    summary.put("transactions", tally.transactions);
    summary.put("labelled", tally.labelled);
    summary.put("fraud", tally.fraud);
    summary.put("fraudAmount", tally.fraudAmount);
    summary.put("outcomes", byDecider(tally.byModel.outcomes, tally.byCurrent.outcomes, tally.byCandidate.outcomes));
    summary.put("changes", tally.changes);
    summary.put("changedFraud", tally.changedFraud);
    summary.put("changedLegitimate", tally.changedLegitimate);
    summary.put("flagged", byDecider(flags(tally.byModel.flagged, tally), flags(tally.byCurrent.flagged, tally),
        flags(tally.byCandidate.flagged, tally)));
    Map<String, Object> rules = new LinkedHashMap<>();
    for (CompiledRule rule : candidateSet.rules().rules()) {
      Map<String, Object> entry = flags(tally.rules.getOrDefault(rule.id(), new Flags()), tally);
      entry.put("mode", rule.definition().mode().name());
      entry.put("failed", tally.ruleFailures.getOrDefault(rule.id(), 0L));
      rules.put(rule.id(), entry);
    }
    summary.put("rules", rules);
    summary.put("output", batch.output().toAbsolutePath().toString());
    return summary;
  }

  /** In the report's order: the model alone, the current set, the candidate. */
  private static Map<String, Object> byDecider(Object model, Object current, Object candidate) {
    Map<String, Object> entries = new LinkedHashMap<>();
    entries.put("model", model);
    entries.put("current", current);
    entries.put("candidate", candidate);
    return entries;
  }

  private static Map<String, Object> flags(Flags flags, BacktestTally tally) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("flagged", flags.flagged);
    entry.put("labelled", flags.labelled);
    entry.put("fraud", flags.fraud);
    entry.put("fraudAmount", flags.fraudAmount);
    entry.put("precision", finiteOrNull(flags.precision()));
    entry.put("recall", finiteOrNull(flags.recall(tally.fraud)));
    return entry;
  }

  /** JSON has no NaN: a ratio with nothing to divide by is null. */
  private static Double finiteOrNull(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
