package dev.riskstream.ops;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.onnx.OutputChoice;
import dev.riskstream.features.onnx.ProbabilityOutput;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Scores a CSV of rows with an ONNX model that has no bundle around it, reading the probability
 * exactly as the job would ({@link ProbabilityOutput}), so a model can be checked before it is
 * wrapped in a bundle.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Print the fraud probability of each row of a CSV of floats (no header), one per line.")
final class ModelScoreCommand implements Callable<Integer> {

  private static final OutputChoice.Options OPTIONS = new OutputChoice.Options("--output", "--positive-class");

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE.onnx", description = "The ONNX model.")
  Path model;

  @Option(names = "--input", required = true, paramLabel = "ROWS.csv",
      description = "Rows of floats in the model's input column order, comma-separated, no header.")
  Path input;

  @Mixin ModelOutputOptions modelOutput;

  @Option(names = "--batch-size", defaultValue = "1024", paramLabel = "ROWS",
      description = "Rows per ONNX Runtime call (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 1");
    }
    PrintWriter err = spec.commandLine().getErr();
    try {
      List<float[]> rows = CsvRows.read(input);
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
          OrtSession session = environment.createSession(model.toString(), options)) {
        String inputName = checkInput(session, rows.get(0).length);
        ProbabilityOutput probability = ProbabilityOutput.of(session, inputName, rows.get(0).length,
            OutputChoice.choose(session.getOutputInfo(), modelOutput.output, modelOutput.positiveClass, OPTIONS));
        score(session, inputName, probability, rows);
      }
      return 0;
    } catch (CliException | InvalidBundleException e) {
      err.println("riskstream model score: " + e.getMessage());
      return 1;
    } catch (OrtException e) {
      err.println("riskstream model score: ONNX Runtime failed on " + model + ": " + e.getMessage());
      return 1;
    }
  }

  /** The name of the model's only input, a float tensor {@code [N, width]}. */
  private String checkInput(OrtSession session, int width) throws OrtException, CliException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1
        || !(inputs.values().iterator().next().getInfo() instanceof TensorInfo tensor)
        || tensor.type != OnnxJavaType.FLOAT || tensor.getShape().length != 2) {
      throw new CliException("the model must have one float input [N, F], it has " + describe(inputs));
    }
    NodeInfo only = inputs.values().iterator().next();
    long modelWidth = tensor.getShape()[1];
    if (modelWidth >= 0 && modelWidth != width) {
      throw new CliException(input + " has " + width + " values per row but the model's input '"
          + only.getName() + "' " + Arrays.toString(tensor.getShape()) + " takes " + modelWidth);
    }
    return only.getName();
  }

  private void score(OrtSession session, String inputName, ProbabilityOutput probability, List<float[]> rows)
      throws OrtException {
    int width = rows.get(0).length;
    int capacity = Math.min(batchSize, rows.size());
    FloatBuffer batch = ByteBuffer.allocateDirect(Float.BYTES * capacity * width)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    FloatBuffer outputBuffer = probability.newBuffer(capacity);
    double[] scores = new double[capacity];
    PrintWriter out = spec.commandLine().getOut();
    for (int start = 0; start < rows.size(); start += capacity) {
      int n = Math.min(capacity, rows.size() - start);
      batch.clear();
      for (float[] row : rows.subList(start, start + n)) {
        batch.put(row);
      }
      batch.flip();
      try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), batch, new long[] {n, width})) {
        probability.score(session, Map.of(inputName, tensor), n, outputBuffer, scores, null);
      }
      for (int i = 0; i < n; i++) {
        // the model computed in float: its shortest form says all there is
        out.println((float) scores[i]);
      }
    }
    out.flush();
  }

  private static String describe(Map<String, NodeInfo> nodes) {
    return nodes.values().stream().map(node -> node.getName() + " " + node.getInfo()).toList().toString();
  }
}
