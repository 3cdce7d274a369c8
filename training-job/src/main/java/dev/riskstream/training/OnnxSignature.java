package dev.riskstream.training;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;

/**
 * The input and output of an ONNX classifier as ONNX Runtime sees them, read from the model rather
 * than assumed from what the exporter is documented to produce.
 *
 * @param inputWidth columns of the {@code [N, inputWidth]} input
 * @param outputWidth columns of the {@code [N, outputWidth]} output, one per class
 */
record OnnxSignature(String inputName, long inputWidth, String outputName, long outputWidth) {

  static OnnxSignature read(byte[] model) throws OrtException, TrainingException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = OrtEnvironment.getEnvironment().createSession(model, options)) {
      Map.Entry<String, Long> input = onlyMatrix("input", session.getInputInfo());
      Map.Entry<String, Long> output = onlyMatrix("output", session.getOutputInfo());
      return new OnnxSignature(input.getKey(), input.getValue(), output.getKey(), output.getValue());
    }
  }

  /** The name and column count of the single {@code [N, columns]} tensor in {@code nodes}. */
  private static Map.Entry<String, Long> onlyMatrix(String role, Map<String, NodeInfo> nodes)
      throws TrainingException {
    if (nodes.size() != 1) {
      throw new TrainingException("expected one " + role + " but the model has " + nodes.keySet());
    }
    NodeInfo node = nodes.values().iterator().next();
    if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.getShape().length != 2) {
      throw new TrainingException("expected a [N, columns] " + role + " tensor but got " + node);
    }
    return Map.entry(node.getName(), tensor.getShape()[1]);
  }
}
