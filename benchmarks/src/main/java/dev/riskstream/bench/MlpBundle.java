package dev.riskstream.bench;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A bundle around the kind of model GPU.md measured: a 24→64→32→1 MLP with ReLU and a sigmoid, laid
 * out as PyTorch exports {@code nn.Linear} layers (Gemm with transposed weights), output
 * {@code [N, 1]}. Its weights are random but seeded, so every run writes the same file: it is for
 * measuring speed and CPU/GPU parity, not for deciding anything.
 *
 * <p>Usage: {@code MlpBundle OUT_DIR}
 */
public final class MlpBundle {

  private static final int[] LAYER_WIDTHS = {24, 64, 32, 1};
  private static final long SEED = 20261128;
  private static final int ONNX_IR_VERSION = 8;
  private static final int ONNX_OPSET = 13;

  private MlpBundle() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: MlpBundle OUT_DIR");
      System.exit(2);
    }
    ModelManifest written = write(Path.of(args[0]));
    System.out.println("wrote " + written.modelVersion() + " to " + args[0]);
  }

  /** Writes the bundle to {@code directory}; returns its manifest. */
  public static ModelManifest write(Path directory) throws IOException {
    List<Feature> features = FeatureSpec.CURRENT.features().subList(0, LAYER_WIDTHS[0]);
    ModelManifest manifest = new ModelManifest(
        ModelManifest.FORMAT_VERSION,
        "mlp-24-64-32-1",
        "2026-11-28T00:00:00Z",
        null,
        new ModelManifest.Input("input", features.stream().map(Feature::name).toList()),
        new ModelManifest.Output("output", null, null),
        features.stream().collect(Collectors.toMap(Feature::name, Feature::version)),
        new ModelManifest.Thresholds(0.5, 0.9),
        new ModelManifest.Training("random weights, seed " + SEED + " (not trained)",
            "java -cp benchmarks.jar " + MlpBundle.class.getName() + " " + directory, 0, 0, Map.of()));
    return ModelBundle.write(directory, manifest, model().toByteArray());
  }

  private static OnnxMl.ModelProto model() {
    SplittableRandom random = new SplittableRandom(SEED);
    GraphProto.Builder graph = GraphProto.newBuilder().setName("mlp")
        .addInput(floatMatrix("input", LAYER_WIDTHS[0]))
        .addOutput(floatMatrix("output", LAYER_WIDTHS[LAYER_WIDTHS.length - 1]));
    String activations = "input";
    for (int layer = 1; layer < LAYER_WIDTHS.length; layer++) {
      int in = LAYER_WIDTHS[layer - 1];
      int out = LAYER_WIDTHS[layer];
      // PyTorch's default initialisation of nn.Linear: uniform within ±1/sqrt(fan-in)
      double bound = 1 / Math.sqrt(in);
      String weights = "fc" + layer + ".weight";
      String bias = "fc" + layer + ".bias";
      String linear = "fc" + layer;
      graph.addInitializer(tensor(weights, random, bound, out, in))
          .addInitializer(tensor(bias, random, bound, out))
          .addNode(NodeProto.newBuilder().setOpType("Gemm").setName(linear)
              .addInput(activations).addInput(weights).addInput(bias).addOutput(linear)
              .addAttribute(AttributeProto.newBuilder().setName("transB")
                  .setType(AttributeProto.AttributeType.INT).setI(1)));
      boolean last = layer == LAYER_WIDTHS.length - 1;
      activations = last ? "output" : "relu" + layer;
      graph.addNode(NodeProto.newBuilder().setOpType(last ? "Sigmoid" : "Relu")
          .addInput(linear).addOutput(activations));
    }
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(ONNX_IR_VERSION)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(ONNX_OPSET))
        .setProducerName("riskstream-benchmarks")
        .setGraph(graph)
        .build();
  }

  /** A float tensor {@code [N, width]} with a free batch dimension. */
  private static ValueInfoProto floatMatrix(String name, int width) {
    TensorShapeProto shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
        .build();
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
        .build();
  }

  private static TensorProto tensor(String name, SplittableRandom random, double bound, int... dims) {
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT.getNumber());
    int size = 1;
    for (int dim : dims) {
      tensor.addDims(dim);
      size *= dim;
    }
    for (int i = 0; i < size; i++) {
      tensor.addFloatData((float) random.nextDouble(-bound, bound));
    }
    return tensor.build();
  }
}
