package dev.riskstream.sql.onnx;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A model as planning resolved it from {@code CREATE MODEL}: where it is, how rows feed it and which
 * output is the fraud probability. Travels in the job graph to the TaskManagers.
 *
 * @param model the model's name in the catalog, for messages and metrics
 * @param bundle whether {@code path} is a bundle directory rather than a model file
 * @param floatOutput whether the OUTPUT column is FLOAT rather than DOUBLE
 * @param maxRowsInFlight ML_PREDICT's max-concurrent-operations in async mode: no batch can grow past it
 */
record OnnxModelSpec(String model, String path, boolean bundle, ExecutionProviderChoice executionProvider,
    String inputName, InputColumns columns, String outputName, Integer positiveClassIndex, String positiveClassLabel,
    boolean floatOutput, int batchSize, Duration maxWait, int maxRowsInFlight) implements Serializable {

  ModelManifest.Output output() {
    return new ModelManifest.Output(outputName, positiveClassIndex, positiveClassLabel);
  }

  /** Rows of one run: the batch size, unless fewer rows can be in flight at once. */
  int rowsPerBatch() {
    return Math.max(1, Math.min(batchSize, maxRowsInFlight));
  }

  OnnxModelSpec withMaxRowsInFlight(int rows) {
    return new OnnxModelSpec(model, path, bundle, executionProvider, inputName, columns, outputName,
        positiveClassIndex, positiveClassLabel, floatOutput, batchSize, maxWait, rows);
  }

  /** What sessions of this model may be shared by: the same file read the same way on the same provider. */
  SessionKey sessionKey() {
    return new SessionKey(path, executionProvider, outputName, positiveClassIndex, positiveClassLabel);
  }

  record SessionKey(String path, ExecutionProviderChoice executionProvider, String outputName,
      Integer positiveClassIndex, String positiveClassLabel) {}

  /** The ONNX model's bytes: the file, or the bundle's model after its checksum is verified. */
  static byte[] modelBytes(String path, boolean bundle) throws IOException, InvalidBundleException {
    if (bundle) {
      return ModelBundle.load(Path.of(path)).model();
    }
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(path, null, "the model file does not exist");
    }
  }
}
