package dev.riskstream.features.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import dev.riskstream.features.bundle.InvalidBundleException;
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
public final class OutputChoice {

  /** How the user names the output and the fraud class where the choice is made, for the refusals. */
  public record Options(String output, String positiveClass) {}

  private OutputChoice() {}

  /**
   * Refuses with an {@link InvalidBundleException} when the model leaves the choice open or a name is
   * not usable.
   *
   * @param outputName the output the user named, or null
   * @param positiveClass the fraud class the user named, or null
   */
  public static ModelManifest.Output choose(Map<String, NodeInfo> outputs, String outputName, String positiveClass,
      Options options) throws InvalidBundleException {
    String name = outputName != null ? outputName : onlyCandidate(outputs, options);
    NodeInfo node = outputs.get(name);
    if (node == null) {
      return new ModelManifest.Output(name, null, null);
    }
    if (node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
      if (positiveClass != null) {
        return new ModelManifest.Output(name, null, positiveClass);
      }
      if (sequence.mapInfo.keyType != OnnxJavaType.INT64) {
        throw new InvalidBundleException("output '" + name + "' is a ZipMap of "
            + sequence.mapInfo.keyType.name().toLowerCase(Locale.ROOT)
            + " classes: name the fraud class with " + options.positiveClass() + " LABEL");
      }
      return new ModelManifest.Output(name, null, "1");
    }
    if (node.getInfo() instanceof TensorInfo tensor) {
      return new ModelManifest.Output(name, column(name, tensor.getShape(), positiveClass, options), null);
    }
    return new ModelManifest.Output(name, null, positiveClass);
  }

  private static String onlyCandidate(Map<String, NodeInfo> outputs, Options options)
      throws InvalidBundleException {
    List<String> candidates = outputs.values().stream()
        .filter(node -> node.getInfo() instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT
            || node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps())
        .map(NodeInfo::getName)
        .toList();
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw new InvalidBundleException(candidates.isEmpty()
        ? "none of the outputs " + outputs.keySet() + " is a float tensor or a ZipMap"
        : "outputs " + candidates + " could each hold the probabilities: choose one with " + options.output());
  }

  private static Integer column(String name, long[] shape, String positiveClass, Options options)
      throws InvalidBundleException {
    if (positiveClass != null) {
      try {
        return Integer.parseInt(positiveClass);
      } catch (NumberFormatException e) {
        throw new InvalidBundleException("output '" + name + "' is a tensor: " + options.positiveClass()
            + " must be a column number, not '" + positiveClass + "'");
      }
    }
    long columns = shape.length == 2 ? shape[1] : 1;
    if (columns == 2) {
      return 1;
    }
    if (columns > 2) {
      throw new InvalidBundleException("output '" + name + "' has " + columns
          + " columns: choose the fraud column with " + options.positiveClass() + " INDEX");
    }
    return null;
  }
}
