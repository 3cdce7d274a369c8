package dev.riskstream.ops;

import dev.riskstream.rules.CompiledRuleSet;
import dev.riskstream.rules.InvalidRuleSetException;
import dev.riskstream.rules.RuleSetCompiler;
import dev.riskstream.rules.RuleSetProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and compiles a rule set's file as the job would, printing every problem with the file's name. */
final class RuleSetFiles {

  private RuleSetFiles() {}

  /** The compiled set; empty, with its problems printed to {@code err}, when the job would refuse it. */
  static Optional<Compiled> compile(Path file, PrintWriter err) throws IOException {
    String yaml = Files.readString(file);
    try {
      return Optional.of(new Compiled(yaml, RuleSetCompiler.compile(yaml)));
    } catch (InvalidRuleSetException e) {
      for (RuleSetProblem problem : e.problems()) {
        err.println(file + ": " + problem);
      }
      return Optional.empty();
    }
  }

  /** A rule set's YAML and what it compiled to. */
  record Compiled(String yaml, CompiledRuleSet rules) {}
}
