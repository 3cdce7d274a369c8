package dev.riskstream.job.scoring;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A bundle whose model looks its fraud probability up in a table by one feature taken as an index,
 * as an embedding looks up a category: ONNX Runtime refuses to run it on a row whose index is past
 * the table, while every other row scores. Output {@code [N]}.
 */
public final class LookupTableBundle {

  /** The feature taken as the index. */
  public static final String INDEX_FEATURE = FeatureSpec.CARD_TX_COUNT_1M;
  /** The probabilities of indexes 0, 1 and 2; 3 and more are out of range. */
  public static final float[] TABLE = {0.1f, 0.5f, 0.9f};

  private LookupTableBundle() {}

  public static ModelBundle write(Path directory) throws IOException, InvalidBundleException {
    List<Feature> features = FeatureSpec.CURRENT.features();
    ModelManifest manifest = new ModelManifest(
        ModelManifest.FORMAT_VERSION,
        "lookup-table-1",
        "2026-11-29T00:00:00Z",
        null,
        new ModelManifest.Input("input", features.stream().map(Feature::name).toList()),
        new ModelManifest.Output("probability", null, null),
        features.stream().collect(Collectors.toMap(Feature::name, Feature::version)),
        // review at the table's middle entry, decline at its last (0.9f is a little below 0.9)
        new ModelManifest.Thresholds(0.5, 0.8),
        new ModelManifest.Training("a fixed table (not trained)", "LookupTableBundle.write", 0, 0, Map.of()));
    ModelBundle.write(directory, manifest, model(features.size()).toByteArray());
    return ModelBundle.load(directory);
  }

  private static OnnxMl.ModelProto model(int width) {
    TensorProto column = TensorProto.newBuilder().setName("column")
        .setDataType(TensorProto.DataType.INT64.getNumber())
        .addInt64Data(FeatureSpec.CURRENT.requireIndex(INDEX_FEATURE)).build();
    TensorProto.Builder table = TensorProto.newBuilder().setName("table")
        .setDataType(TensorProto.DataType.FLOAT.getNumber()).addDims(TABLE.length);
    for (float probability : TABLE) {
      table.addFloatData(probability);
    }
    GraphProto graph = GraphProto.newBuilder().setName("lookup-table")
        .addInput(floatTensor("input", TensorShapeProto.newBuilder().addDim(batchDimension())
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build()))
        .addOutput(floatTensor("probability", TensorShapeProto.newBuilder().addDim(batchDimension()).build()))
        .addInitializer(column)
        .addInitializer(table)
        .addNode(NodeProto.newBuilder().setOpType("Gather").addInput("input").addInput("column").addOutput("value")
            .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                .setI(1)))
        .addNode(NodeProto.newBuilder().setOpType("Cast").addInput("value").addOutput("index")
            .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                .setI(TensorProto.DataType.INT64.getNumber())))
        .addNode(NodeProto.newBuilder().setOpType("Gather").addInput("table").addInput("index")
            .addOutput("probability"))
        .build();
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
        .setProducerName("riskstream-tests")
        .setGraph(graph)
        .build();
  }

  private static TensorShapeProto.Dimension batchDimension() {
    return TensorShapeProto.Dimension.newBuilder().setDimParam("N").build();
  }

  private static ValueInfoProto floatTensor(String name, TensorShapeProto shape) {
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
        .build();
  }
}
