package dev.riskstream.ops;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.job.TestData;
import dev.riskstream.job.scoring.ReferenceModel;
import dev.riskstream.training.FeatureExport;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The reference models' 240 rows as {@code riskstream features export} writes them, the first 160
 * for training and the rest for validation, labelled fraud where the scikit-learn GBT's probability
 * passes 0.5: rows to make bundles from without a feature log. Fewer than a reference profile's
 * default minimum of training rows: bundles made from them take {@link #MIN_SEGMENT_ROWS}.
 */
public final class ReferenceExport {

  public static final int TRAINING_ROWS = 160;
  public static final int VALIDATION_ROWS = 80;
  /** {@code model bundle --min-segment-rows} for these rows: segment all is profiled, the others are not. */
  public static final int MIN_SEGMENT_ROWS = 100;
  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

  /** The model's input columns of the reference models: the baseline bundle's. */
  public static List<String> columns() {
    try {
      return ModelBundle.load(TestData.BASELINE_BUNDLE).manifest().input().features();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path training(Path dir) throws IOException {
    return write(dir.resolve("training.csv"), 0, TRAINING_ROWS);
  }

  public static Path validation(Path dir) throws IOException {
    return write(dir.resolve("validation.csv"), TRAINING_ROWS, TRAINING_ROWS + VALIDATION_ROWS);
  }

  /** Rows {@code [from, to)}, features by name in the specification's order. */
  private static Path write(Path file, int from, int to) throws IOException {
    float[][] rows = ReferenceModel.rows();
    double[] truth = ReferenceModel.SKLEARN_GBT_TENSOR.expected();
    List<String> columns = columns();
    try (Writer writer = Files.newBufferedWriter(file);
        CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT)) {
      csv.printRecord(FeatureExport.header());
      for (int i = from; i < to; i++) {
        List<Object> values = new ArrayList<>(List.of("r" + i, START.plusSeconds(60L * i).toString(),
            i % 3 == 0 ? "ECOM" : "POS", i % 2 == 0 ? "DE" : "FR", "EUR", "5411", "baseline-1", 0.0, "APPROVE", "HIT",
            truth[i] > 0.5 ? "1" : "0"));
        for (String feature : FeatureSpec.CURRENT.names()) {
          values.add(rows[i][columns.indexOf(feature)]);
        }
        csv.printRecord(values);
      }
    }
    return file;
  }

  private ReferenceExport() {}
}
