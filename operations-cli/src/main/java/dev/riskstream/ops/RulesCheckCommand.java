package dev.riskstream.ops;

import dev.riskstream.rules.CompiledRule;
import dev.riskstream.rules.CompiledRuleSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code riskstream rules check}: compiles and type-checks rule sets as the job would. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Compile and type-check rule sets as the job would. Every problem names its file, its rule and "
        + "its place in the expression; exit 1 when any set would be refused.")
public final class RulesCheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Rule set YAML files.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    boolean allValid = true;
    for (Path file : files) {
      Optional<RuleSetFiles.Compiled> compiled = RuleSetFiles.compile(file, spec.commandLine().getErr());
      if (compiled.isEmpty()) {
        allValid = false;
        continue;
      }
      CompiledRuleSet rules = compiled.get().rules();
      long active = rules.rules().stream().filter(CompiledRule::active).count();
      spec.commandLine().getOut().printf("%s: rule set %s, %d rules (%d active, %d shadow), lists: %s%n", file,
          rules.version(), rules.rules().size(), active, rules.rules().size() - active,
          rules.definition().lists().isEmpty() ? "none" : String.join(", ", rules.definition().lists().keySet()));
    }
    return allValid ? 0 : 1;
  }
}
