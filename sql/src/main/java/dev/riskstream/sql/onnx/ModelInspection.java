package dev.riskstream.sql.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.onnx.OutputChoice;
import dev.riskstream.features.onnx.ProbabilityOutput;
import dev.riskstream.features.onnx.ScoringSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Checks at planning time that a {@code CREATE MODEL} can be scored: its INPUT columns are numbers
 * the model takes, its OUTPUT is one probability column, and the model file (or bundle) opens in
 * ONNX Runtime with one float input of that width and an output that holds fraud probabilities,
 * chosen as {@code riskstream model score} chooses it. Every refusal is a {@link ValidationException}
 * that says what to change.
 */
final class ModelInspection {

  private static final OutputChoice.Options OPTION_NAMES =
      new OutputChoice.Options("'" + OnnxModelOptions.OUTPUT.key() + "'", "'" + OnnxModelOptions.POSITIVE_CLASS.key() + "'");

  private ModelInspection() {}

  static OnnxModelSpec resolve(String model, ReadableConfig options, ResolvedCatalogModel catalogModel,
      int maxRowsInFlight) {
    List<Column> inputs = catalogModel.getResolvedInputSchema().getColumns();
    String[] names = inputs.stream().map(Column::getName).toArray(String[]::new);
    LogicalTypeRoot[] types = inputs.stream().map(c -> c.getDataType().getLogicalType().getTypeRoot())
        .toArray(LogicalTypeRoot[]::new);
    for (int i = 0; i < names.length; i++) {
      if (!InputColumns.readable(types[i])) {
        throw new ValidationException("model " + model + ": INPUT column " + names[i] + " is "
            + inputs.get(i).getDataType() + "; the model takes FLOAT, DOUBLE, an integer type or BOOLEAN (compute "
            + "features with riskstream's functions, or CAST a DECIMAL to DOUBLE)");
      }
    }
    boolean floatOutput = outputIsFloat(model, catalogModel.getResolvedOutputSchema().getColumns());
    String path = options.get(OnnxModelOptions.PATH);
    boolean bundle = Files.isDirectory(Path.of(path));
    try {
      // a bundle is read once: its checksum-verified model and its manifest
      ModelBundle loaded = bundle ? ModelBundle.load(Path.of(path)) : null;
      byte[] bytes = bundle ? loaded.model() : OnnxModelSpec.modelBytes(path, false);
      try (OrtSession.SessionOptions sessionOptions = ScoringSessions.options(false);
          OrtSession session = OrtEnvironment.getEnvironment().createSession(bytes, sessionOptions)) {
        String inputName = onlyFloatInput(model, session, names.length);
        int[] fieldOfColumn;
        ModelManifest.Output output;
        if (bundle) {
          refuseOutputOptions(model, options);
          ModelManifest manifest = loaded.manifest();
          fieldOfColumn = fieldsByFeatureName(model, manifest.input().features(), names);
          output = manifest.output();
        } else {
          fieldOfColumn = new int[names.length];
          Arrays.setAll(fieldOfColumn, i -> i);
          output = OutputChoice.choose(session.getOutputInfo(), options.getOptional(OnnxModelOptions.OUTPUT).orElse(null),
              options.getOptional(OnnxModelOptions.POSITIVE_CLASS).orElse(null), OPTION_NAMES);
        }
        ProbabilityOutput.of(session, inputName, names.length, output);
        return new OnnxModelSpec(model, path, bundle, options.get(OnnxModelOptions.EXECUTION_PROVIDER), inputName,
            new InputColumns(names, types, fieldOfColumn), output.name(), output.positiveClassIndex(),
            output.positiveClassLabel(), floatOutput, options.get(OnnxModelOptions.BATCH_SIZE),
            options.get(OnnxModelOptions.MAX_WAIT), maxRowsInFlight);
      }
    } catch (IOException e) {
      throw new ValidationException("model " + model + ": cannot read the model: " + e.getMessage(), e);
    } catch (InvalidBundleException e) {
      throw new ValidationException("model " + model + " (" + path + "): " + e.getMessage(), e);
    } catch (OrtException e) {
      throw new ValidationException("model " + model + ": ONNX Runtime cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  private static boolean outputIsFloat(String model, List<Column> outputs) {
    LogicalTypeRoot type = outputs.size() == 1 ? outputs.get(0).getDataType().getLogicalType().getTypeRoot() : null;
    if (type != LogicalTypeRoot.DOUBLE && type != LogicalTypeRoot.FLOAT) {
      throw new ValidationException("model " + model + ": OUTPUT must be one DOUBLE or FLOAT column, the fraud "
          + "probability; it is " + outputs.stream().map(c -> c.getName() + " " + c.getDataType()).toList());
    }
    return type == LogicalTypeRoot.FLOAT;
  }

  private static String onlyFloatInput(String model, OrtSession session, int columns) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    NodeInfo only = inputs.size() == 1 ? inputs.values().iterator().next() : null;
    if (only == null || !(only.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
        || tensor.getShape().length != 2) {
      throw new ValidationException("model " + model + ": the model must have one float input [N, F], it has "
          + inputs.values().stream().map(node -> node.getName() + " " + node.getInfo()).toList());
    }
    long width = tensor.getShape()[1];
    if (width >= 0 && width != columns) {
      throw new ValidationException("model " + model + ": INPUT has " + columns + " columns but the model's input '"
          + only.getName() + "' " + Arrays.toString(tensor.getShape()) + " takes " + width);
    }
    return only.getName();
  }

  private static void refuseOutputOptions(String model, ReadableConfig options) {
    if (options.getOptional(OnnxModelOptions.OUTPUT).isPresent()
        || options.getOptional(OnnxModelOptions.POSITIVE_CLASS).isPresent()) {
      throw new ValidationException("model " + model + ": a bundle's manifest names its output and fraud class; leave '"
          + OnnxModelOptions.OUTPUT.key() + "' and '" + OnnxModelOptions.POSITIVE_CLASS.key() + "' out");
    }
  }

  /** For each of the model's columns, the INPUT column of the manifest feature's name. */
  private static int[] fieldsByFeatureName(String model, List<String> features, String[] names) {
    List<String> inputNames = List.of(names);
    List<String> missing = new ArrayList<>(features);
    missing.removeAll(inputNames);
    List<String> extra = new ArrayList<>(inputNames);
    extra.removeAll(features);
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new ValidationException("model " + model + ": a bundle's INPUT columns are its manifest's features by "
          + "name" + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; not features "
          + extra));
    }
    return features.stream().mapToInt(inputNames::indexOf).toArray();
  }
}
