package dev.riskstream.ops;

import dev.riskstream.features.sql.RiskstreamFunctions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
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
 * rows printed. A statement ends with a semicolon at the end of a line, as in Flink's SQL client.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run a file of Flink SQL statements on a local cluster, with riskstream's feature functions and "
        + "its 'onnx' model provider for ML_PREDICT; print each query's rows.")
public final class SqlCommand implements Callable<Integer> {

  private static final MemorySize LOCAL_NETWORK_MEMORY = MemorySize.ofMebiBytes(256);

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

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<String> statements = statements(Files.readAllLines(file));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(localCluster());
    env.setParallelism(parallelism);
    StreamTableEnvironment sql = StreamTableEnvironment.create(env);
    RiskstreamFunctions.register(sql);
    for (String statement : statements) {
      try {
        print(sql.executeSql(statement));
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

  /** The statements of a script: lines up to one that ends with a semicolon, comment lines left out. */
  static List<String> statements(List<String> lines) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.strip().endsWith(";")) {
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
