package dev.riskstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.rules.RuleVerdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark measures rules at work only while its rules compile and fire for some transactions, not all. */
class RuleBenchmarkTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 100})
  void itsRulesCompileAndFireForSomeTransactions(int ruleCount) throws Exception {
    RuleBenchmark benchmark = new RuleBenchmark();
    benchmark.ruleCount = ruleCount;
    benchmark.open();
    List<RuleVerdict> verdicts = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      verdicts.add(benchmark.evaluate());
    }
    long deciding = verdicts.stream().filter(verdict -> !verdict.fired().isEmpty()).count();
    assertThat(deciding).as("transactions an active rule fired for").isBetween(1L, 1023L);
    if (ruleCount > 0) {
      assertThat(verdicts.stream().filter(verdict -> !verdict.shadowFired().isEmpty()).count()).isPositive();
    }
  }
}
