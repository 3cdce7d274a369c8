import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Run by ProviderJarITCase in a JVM of its own whose classpath is Flink and the provider jar, as a
 * cluster with the jar in lib/ has it: scores one row of 0.5s with the model or bundle at args[0], whose
 * input columns are the comma-separated args[1], and prints the score.
 */
public class ProviderJarQuery {
  public static void main(String[] args) throws Exception {
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    StringBuilder inputs = new StringBuilder();
    StringBuilder values = new StringBuilder();
    String[] columns = args[1].split(",");
    for (int i = 0; i < columns.length; i++) {
      inputs.append(i == 0 ? "" : ", ").append(columns[i]).append(" FLOAT");
      values.append(i == 0 ? "" : ", ").append("CAST(0.5 AS FLOAT) AS ").append(columns[i]);
    }
    sql.executeSql("CREATE MODEL m INPUT (" + inputs + ") OUTPUT (score DOUBLE) WITH ('provider' = 'onnx', "
        + "'path' = '" + args[0] + "')");
    try (CloseableIterator<Row> rows = sql.executeSql("SELECT score FROM ML_PREDICT((SELECT " + values
        + "), MODEL m, DESCRIPTOR(" + args[1] + "))").collect()) {
      System.out.println("score=" + rows.next().getField(0));
    }
  }
}
