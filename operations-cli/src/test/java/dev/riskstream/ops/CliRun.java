package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One run of a {@code riskstream} command line, in process, with what it printed. */
public record CliRun(int exitCode, String out, String err) {

  private static final String SUMMARY = "SUMMARY ";

  /** @param cli the command line's root: {@link OperationsCli} or local-stack's, which has every command */
  public static CliRun of(Object cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  public static CliRun of(Object cli, List<String> args) {
    return of(cli, args.toArray(String[]::new));
  }

  public List<String> outLines() {
    return out.lines().toList();
  }

  /** The {@code SUMMARY} JSON line of a run that succeeded, as batch-score prints it last. */
  public JsonNode summary() throws IOException {
    assertThat(exitCode).as(err).isZero();
    String line = outLines().stream().filter(l -> l.startsWith(SUMMARY)).findFirst().orElseThrow();
    return new ObjectMapper().readTree(line.substring(SUMMARY.length()));
  }
}
