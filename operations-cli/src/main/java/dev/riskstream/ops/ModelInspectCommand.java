package dev.riskstream.ops;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints what an ONNX file declares, read from its protobuf rather than from ONNX Runtime, so that
 * it works on a model the runtime refuses and keeps the symbolic dimension names the runtime drops.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print an ONNX model's inputs, outputs, opsets, producer and metadata.")
final class ModelInspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The ONNX model.")
  Path file;

  @Override
  public Integer call() {
    OnnxMl.ModelProto model;
    try {
      model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file));
    } catch (IOException e) {
      spec.commandLine().getErr().println("riskstream model inspect: cannot read " + file + " as an ONNX model: " + e);
      return 1;
    }
    if (!model.hasGraph()) {
      spec.commandLine().getErr().println("riskstream model inspect: " + file + " is not an ONNX model (no graph)");
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("model: " + file);
    out.println("producer: " + (model.getProducerName() + " " + model.getProducerVersion()).strip());
    out.println("ir version: " + model.getIrVersion());
    out.println("opsets: " + model.getOpsetImportList().stream()
        .map(opset -> (opset.getDomain().isEmpty() ? "ai.onnx" : opset.getDomain()) + " " + opset.getVersion())
        .collect(Collectors.joining(", ")));
    if (!model.getDomain().isEmpty()) {
      out.println("domain: " + model.getDomain());
    }
    if (model.getModelVersion() != 0) {
      out.println("model version: " + model.getModelVersion());
    }
    if (!model.getDocString().isEmpty()) {
      out.println("doc: " + model.getDocString().lines().findFirst().orElse(""));
    }
    OnnxMl.GraphProto graph = model.getGraph();
    // before IR version 4 the weights were listed among the inputs as well
    Set<String> weights = graph.getInitializerList().stream().map(OnnxMl.TensorProto::getName).collect(Collectors.toSet());
    out.println("inputs:");
    printValues(out, graph.getInputList().stream().filter(value -> !weights.contains(value.getName())).toList());
    out.println("outputs:");
    printValues(out, graph.getOutputList());
    out.println("metadata:" + (model.getMetadataPropsCount() == 0 ? " none" : ""));
    for (OnnxMl.StringStringEntryProto entry : model.getMetadataPropsList()) {
      out.println("  " + entry.getKey() + ": " + entry.getValue());
    }
    out.flush();
    return 0;
  }

  private static void printValues(PrintWriter out, List<OnnxMl.ValueInfoProto> values) {
    for (OnnxMl.ValueInfoProto value : values) {
      out.println("  " + value.getName() + ": " + type(value.getType()));
    }
  }

  /** ONNX's own notation, {@code tensor(float) [N, 26]}, {@code seq(map(int64,tensor(float)))}. */
  private static String type(OnnxMl.TypeProto type) {
    return switch (type.getValueCase()) {
      case TENSOR_TYPE -> "tensor(" + elementType(type.getTensorType().getElemType()) + ")"
          + (type.getTensorType().hasShape() ? " " + shape(type.getTensorType().getShape()) : "");
      case SEQUENCE_TYPE -> "seq(" + type(type.getSequenceType().getElemType()) + ")";
      case MAP_TYPE -> "map(" + elementType(type.getMapType().getKeyType()) + ","
          + type(type.getMapType().getValueType()) + ")";
      case OPTIONAL_TYPE -> "optional(" + type(type.getOptionalType().getElemType()) + ")";
      case SPARSE_TENSOR_TYPE -> "sparse_tensor(" + elementType(type.getSparseTensorType().getElemType()) + ")";
      case OPAQUE_TYPE -> "opaque(" + type.getOpaqueType().getDomain() + "." + type.getOpaqueType().getName() + ")";
      case VALUE_NOT_SET -> "(no type)";
    };
  }

  private static String elementType(int code) {
    OnnxMl.TensorProto.DataType type = OnnxMl.TensorProto.DataType.forNumber(code);
    return type == null ? "type " + code : type.name().toLowerCase(Locale.ROOT);
  }

  /** Fixed sizes as numbers, named ones by name, unknown ones as {@code ?}. */
  private static String shape(OnnxMl.TensorShapeProto shape) {
    return shape.getDimList().stream()
        .map(dim -> dim.hasDimValue() ? Long.toString(dim.getDimValue()) : dim.hasDimParam() ? dim.getDimParam() : "?")
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
