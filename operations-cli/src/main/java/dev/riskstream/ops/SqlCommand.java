package dev.riskstream.ops;

import dev.riskstream.features.sql.RiskstreamFunctions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.text.StringSubstitutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code riskstream sql}: a file of Flink SQL statements run on a local MiniCluster with riskstream's
 * feature functions registered and its {@code onnx} model provider on the classpath, each query's
 * rows printed. A statement ends with a semicolon at the end of a line, as in Flink's SQL client; a
 * statement set ends at its {@code END;}; {@code SET 'key' = 'value'} sets an option, as in the client. {@code ${name}} and {@code ${name:-default}} take the value
 * of {@code --var name=value}, so one script serves several brokers and bundles. An INSERT runs to its
 * end (or, over an unbounded source, until the command is stopped) before the next statement starts.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run a file of Flink SQL statements on a local cluster, with riskstream's feature functions and "
        + "its 'onnx' model provider for ML_PREDICT; print each query's rows.")
public final class SqlCommand implements Callable<Integer> {

  private static final MemorySize LOCAL_NETWORK_MEMORY = MemorySize.ofMebiBytes(256);
  private static final Pattern STATEMENT_SET = Pattern.compile("^EXECUTE\\s+STATEMENT\\s+SET\\b");
  private static final Pattern WRITES = Pattern.compile("^(INSERT|EXECUTE)\\b");
  /** The SQL client's SET, which TableEnvironment#executeSql does not take. */
  private static final Pattern SET = Pattern.compile("^SET\\s+'([^']+)'\\s*=\\s*'([^']*)'$", Pattern.CASE_INSENSITIVE);

  /** How a query's rows are printed. */
  enum Format {
    /** a header of column names, then the rows, comma-separated */
    table,
    /** the rows only, comma-separated, quoted where needed */
    csv
  }

  @Spec CommandSpec spec;

  @Option(names = "--file", required = true, paramLabel = "F.sql", description = "The statements.")
  Path file;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
      description = "table (a header, then the rows) or csv (the rows only); floats at full precision "
          + "(default ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--parallelism", defaultValue = "1", paramLabel = "N",
      description = "Parallelism of the queries (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--var", paramLabel = "NAME=VALUE",
      description = "A value for ${NAME} in the statements; repeatable. ${NAME:-default} has a default.")
  Map<String, String> variables = Map.of();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<String> statements = new ArrayList<>();
    StringSubstitutor substitutor = new StringSubstitutor(variables);
    substitutor.setEnableUndefinedVariableException(true);
    for (String statement : statements(Files.readAllLines(file))) {
      try {
        statements.add(substitutor.replace(statement));
      } catch (IllegalArgumentException e) {
        // before anything runs: a script half run for want of a value helps no one
        err.println("riskstream sql: " + file + ": " + firstLine(statement) + ": " + e.getMessage()
            + " Give it with --var NAME=VALUE.");
        return 2;
      }
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(localCluster());
    env.setParallelism(parallelism);
    StreamTableEnvironment sql = StreamTableEnvironment.create(env);
    // a script's statements run in turn: a query reads what the INSERT before it wrote
    sql.getConfig().set(TableConfigOptions.TABLE_DML_SYNC, true);
    RiskstreamFunctions.register(sql);
    for (String statement : statements) {
      try {
        Matcher set = SET.matcher(statement.strip());
        if (set.matches()) {
          sql.getConfig().set(set.group(1), set.group(2));
          continue;
        }
        TableResult result = sql.executeSql(statement);
        if (!writes(statement)) {
          print(result);
        }
      } catch (Exception e) {
        err.println("riskstream sql: " + file + ": " + firstLine(statement) + ": "
            + ExceptionUtils.stringifyException(e).lines().filter(line -> line.contains("Exception: "))
                .reduce((first, last) -> last).orElse(String.valueOf(e.getMessage())));
        return 1;
      }
    }
    return 0;
  }

  /**
   * The local cluster's settings: a statement that calls several models over one input runs an
   * operator per call, each with its network buffers, more than a local cluster's default 64 MiB.
   */
  private static Configuration localCluster() {
    Configuration configuration = new Configuration();
    configuration.set(TaskManagerOptions.NETWORK_MEMORY_MIN, LOCAL_NETWORK_MEMORY);
    configuration.set(TaskManagerOptions.NETWORK_MEMORY_MAX, LOCAL_NETWORK_MEMORY);
    return configuration;
  }

  /**
   * The statements of a script: lines up to one that ends with a semicolon, or for a statement set up
   * to its {@code END;}; comment lines left out.
   */
  static List<String> statements(List<String> lines) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      boolean inStatementSet = STATEMENT_SET.matcher(upperCase(current.toString().strip())).find();
      if (inStatementSet ? upperCase(line.strip()).equals("END;") : line.strip().endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  /** Whether a statement writes to a table: its result is the job, not rows to print. */
  private static boolean writes(String statement) {
    return WRITES.matcher(upperCase(statement.strip())).find();
  }

  private static String upperCase(String text) {
    return text.toUpperCase(Locale.ROOT);
  }

  private void print(TableResult result) throws Exception {
    if (result.getResultKind() != ResultKind.SUCCESS_WITH_CONTENT) {
      return;
    }
    PrintWriter out = spec.commandLine().getOut();
    CSVFormat csv = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
    try (CloseableIterator<Row> rows = result.collect()) {
      CSVPrinter printer = new CSVPrinter(out, csv);
      if (format == Format.table) {
        printer.printRecord(result.getResolvedSchema().getColumnNames());
      }
      while (rows.hasNext()) {
        Row row = rows.next();
        List<String> fields = new ArrayList<>(row.getArity());
        for (int i = 0; i < row.getArity(); i++) {
          Object field = row.getField(i);
          // Float and Double print their shortest round-tripping form: full precision, nothing invented
          fields.add(field == null ? "" : field.toString());
        }
        printer.printRecord(fields);
      }
      printer.flush();
    }
  }

  private static String firstLine(String statement) {
    return statement.lines().findFirst().orElse("");
  }
}
