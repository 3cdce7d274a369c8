package dev.riskstream.ops;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import dev.riskstream.features.bundle.ModelManifest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * For a model without a manifest, what a manifest would say about its output: the output and fraud
 * class the user named, else the one output that can hold probabilities (a float tensor or a
 * ZipMap) and, of two classes, class 1, the usual encoding of "positive". Whether the model can
 * really be read that way is {@code ProbabilityOutput}'s to check.
 */
final class OutputChoice {

  private OutputChoice() {}

  /** Refuses with a {@link CliException} when the model leaves the choice open or a name is not usable. */
  static ModelManifest.Output choose(Map<String, NodeInfo> outputs, String outputName, String positiveClass)
      throws CliException {
    String name = outputName != null ? outputName : onlyCandidate(outputs);
    NodeInfo node = outputs.get(name);
    if (node == null) {
      return new ModelManifest.Output(name, null, null);
    }
    if (node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
      if (positiveClass != null) {
        return new ModelManifest.Output(name, null, positiveClass);
      }
      if (sequence.mapInfo.keyType != OnnxJavaType.INT64) {
        throw new CliException("output '" + name + "' is a ZipMap of "
            + sequence.mapInfo.keyType.name().toLowerCase(Locale.ROOT)
            + " classes: name the fraud class with --positive-class LABEL");
      }
      return new ModelManifest.Output(name, null, "1");
    }
    if (node.getInfo() instanceof TensorInfo tensor) {
      return new ModelManifest.Output(name, column(name, tensor.getShape(), positiveClass), null);
    }
    return new ModelManifest.Output(name, null, positiveClass);
  }

  private static String onlyCandidate(Map<String, NodeInfo> outputs) throws CliException {
    List<String> candidates = outputs.values().stream()
        .filter(node -> node.getInfo() instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT
            || node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps())
        .map(NodeInfo::getName)
        .toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw new CliException(candidates.isEmpty()
        ? "none of the outputs " + outputs.keySet() + " is a float tensor or a ZipMap"
        : "outputs " + candidates + " could each hold the probabilities: choose one with --output");
  }

  private static Integer column(String name, long[] shape, String positiveClass) throws CliException {
    if (positiveClass != null) {
      try {
        return Integer.parseInt(positiveClass);
      } catch (NumberFormatException e) {
        throw new CliException("output '" + name + "' is a tensor: --positive-class must be a column number,"
            + " not '" + positiveClass + "'");
      }
    }
    long columns = shape.length == 2 ? shape[1] : 1;
    if (columns == 2) {
      return 1;
    }
    if (columns > 2) {
      throw new CliException("output '" + name + "' has " + columns
          + " columns: choose the fraud column with --positive-class INDEX");
    }
    return null;
  }
}
