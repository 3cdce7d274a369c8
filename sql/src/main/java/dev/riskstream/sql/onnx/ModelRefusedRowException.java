package dev.riskstream.sql.onnx;

import java.util.Arrays;

/** ONNX Runtime failed on a row by itself: the row, not the session, is at fault. */
final class ModelRefusedRowException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ModelRefusedRowException(String model, float[] modelColumns, Throwable cause) {
    super("model " + model + " refused the row " + Arrays.toString(modelColumns) + " (its input columns in the "
        + "model's order): " + cause.getMessage(), cause);
  }
}
