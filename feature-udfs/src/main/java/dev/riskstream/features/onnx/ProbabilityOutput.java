package dev.riskstream.features.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelManifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to read the fraud probability of each row from a model's outputs, decided once at load from
 * what ONNX Runtime says the output is and what the manifest says about it:
 *
 * <ul>
 *   <li>a float tensor {@code [N]} or {@code [N, 1]}: the value of the row;
 *   <li>a float tensor {@code [N, C]}: column {@code positiveClassIndex};
 *   <li>a ZipMap, a sequence of one map per row from class (int64 or string) to float probability,
 *       as scikit-learn and other converters emit: the value at key {@code positiveClassLabel}.
 * </ul>
 *
 * Only the named output is computed and fetched, so a model's label output costs nothing. Anything
 * this cannot read unambiguously is an {@link InvalidBundleException} at load, never a wrong score.
 * Immutable and shared by the threads that score with one session; each thread passes its own
 * buffer from {@link #newBuffer}.
 */
public abstract sealed class ProbabilityOutput {

  private final String name;

  private ProbabilityOutput(String name) {
    this.name = name;
  }

  /**
   * Reads {@code output} of {@code session}, whose only input is {@code inputName}, a float tensor
   * of {@code inputWidth} columns. A ZipMap's classes are not in the model's signature, so one row
   * of zeros is scored here to learn them.
   */
  public static ProbabilityOutput of(OrtSession session, String inputName, int inputWidth,
      ModelManifest.Output output) throws InvalidBundleException, OrtException {
    NodeInfo node = session.getOutputInfo().get(output.name());
    if (node == null) {
      throw new InvalidBundleException("the model has no output '" + output.name() + "', only "
          + session.getOutputNames());
    }
    ValueInfo info = node.getInfo();
    if (info instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT) {
      return FloatTensor.of(output, tensor.getShape());
    }
    if (info instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()
        && sequence.mapInfo.valueType == OnnxJavaType.FLOAT
        && (sequence.mapInfo.keyType == OnnxJavaType.INT64 || sequence.mapInfo.keyType == OnnxJavaType.STRING)) {
      return ZipMap.of(session, inputName, inputWidth, output, sequence.mapInfo);
    }
    throw new InvalidBundleException("output '" + output.name() + "' is " + describe(info)
        + ", not fraud probabilities: a float tensor [N], [N,1] or [N,C], or a ZipMap of int64 or string"
        + " classes to float");
  }

  /** The output read. */
  public String name() {
    return name;
  }

  /** A buffer for one thread's outputs of up to {@code rows} rows, to pass to {@link #score}. */
  public abstract FloatBuffer newBuffer(int rows);

  /**
   * Runs {@code session} on {@code inputs}, which hold {@code rows} rows, with {@code runOptions}
   * (null: the defaults), and writes the fraud probability of row {@code i} to {@code scores[i]}.
   */
  public abstract void score(OrtSession session, Map<String, ? extends OnnxTensorLike> inputs, int rows,
      FloatBuffer buffer, double[] scores, OrtSession.RunOptions runOptions) throws OrtException;

  /**
   * A float tensor {@code [N]}, {@code [N, 1]} or {@code [N, C]}. ONNX Runtime writes it straight
   * into the caller's direct buffer (a pinned output), so reading it copies nothing and allocates
   * nothing that grows with the batch.
   */
  private static final class FloatTensor extends ProbabilityOutput {

    private final boolean matrix;
    private final int columns;
    private final int column;

    private FloatTensor(String name, boolean matrix, int columns, int column) {
      super(name);
      this.matrix = matrix;
      this.columns = columns;
      this.column = column;
    }

    static FloatTensor of(ModelManifest.Output output, long[] shape) throws InvalidBundleException {
      String name = output.name();
      if (output.positiveClassLabel() != null) {
        throw new InvalidBundleException("output '" + name + "' is a tensor " + Arrays.toString(shape)
            + ", not a ZipMap: give its fraud column as positiveClassIndex, not positiveClassLabel '"
            + output.positiveClassLabel() + "'");
      }
      if (shape.length == 1) {
        return new FloatTensor(name, false, 1, singleColumn(output, shape));
      }
      if (shape.length != 2) {
        throw new InvalidBundleException("output '" + name + "' has shape " + Arrays.toString(shape)
            + "; fraud probabilities must be shaped [N], [N,1] or [N,C]");
      }
      long columns = shape[1];
      if (columns < 1) {
        throw new InvalidBundleException("output '" + name + "' has shape " + Arrays.toString(shape)
            + ": the model does not fix its number of classes, so no column can be trusted to be the fraud class");
      }
      if (columns == 1) {
        return new FloatTensor(name, true, 1, singleColumn(output, shape));
      }
      Integer index = output.positiveClassIndex();
      if (index == null) {
        throw new InvalidBundleException("output '" + name + "' has shape " + Arrays.toString(shape)
            + ": positiveClassIndex must say which of its " + columns + " columns is the fraud class");
      }
      if (index < 0 || index >= columns) {
        throw new InvalidBundleException("positiveClassIndex " + index + " is out of range for output '"
            + name + "' with " + columns + " columns " + Arrays.toString(shape));
      }
      return new FloatTensor(name, true, (int) columns, index);
    }

    private static int singleColumn(ModelManifest.Output output, long[] shape) throws InvalidBundleException {
      Integer index = output.positiveClassIndex();
      if (index != null && index != 0) {
        throw new InvalidBundleException("positiveClassIndex " + index + " is out of range for output '"
            + output.name() + "' with one probability per row " + Arrays.toString(shape));
      }
      return 0;
    }

    @Override
    public FloatBuffer newBuffer(int rows) {
      return ByteBuffer.allocateDirect(Float.BYTES * rows * columns).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void score(OrtSession session, Map<String, ? extends OnnxTensorLike> inputs, int rows,
        FloatBuffer buffer, double[] scores, OrtSession.RunOptions runOptions) throws OrtException {
      buffer.clear().limit(rows * columns);
      long[] shape = matrix ? new long[] {rows, columns} : new long[] {rows};
      try (OnnxTensor pinned = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer, shape)) {
        // the result holds nothing but the pinned output, which stays open until read below
        session.run(inputs, Set.of(), Map.of(name(), pinned), runOptions).close();
        for (int i = 0; i < rows; i++) {
          scores[i] = buffer.get(i * columns + column);
        }
      }
    }
  }

  /**
   * A ZipMap: ONNX Runtime hands over one map per row, so reading it allocates per row (a Java map
   * and boxed keys and values). Tree ensembles converted without ZipMap avoid that.
   */
  private static final class ZipMap extends ProbabilityOutput {

    private final Set<String> requested;
    private final Object fraudKey;

    private ZipMap(String name, Object fraudKey) {
      super(name);
      this.requested = Set.of(name);
      this.fraudKey = fraudKey;
    }

    static ZipMap of(OrtSession session, String inputName, int inputWidth, ModelManifest.Output output,
        MapInfo map) throws InvalidBundleException, OrtException {
      String name = output.name();
      String keyType = map.keyType == OnnxJavaType.INT64 ? "int64" : "string";
      if (output.positiveClassIndex() != null) {
        throw new InvalidBundleException("output '" + name + "' is a ZipMap of " + keyType
            + " classes: name the fraud class by its key in positiveClassLabel, not by positiveClassIndex "
            + output.positiveClassIndex());
      }
      String label = output.positiveClassLabel();
      if (label == null) {
        throw new InvalidBundleException("output '" + name + "' is a ZipMap of " + keyType
            + " classes: positiveClassLabel must name the fraud class");
      }
      Object key = label;
      if (map.keyType == OnnxJavaType.INT64) {
        try {
          key = Long.parseLong(label);
        } catch (NumberFormatException e) {
          throw new InvalidBundleException("output '" + name + "' is a ZipMap of int64 classes but positiveClassLabel '"
              + label + "' is not an integer", e);
        }
      }
      ZipMap zipMap = new ZipMap(name, key);
      Set<Object> classes = zipMap.classes(session, inputName, inputWidth);
      if (!classes.contains(key)) {
        throw new InvalidBundleException("output '" + name + "' has no class '" + label + "'; its classes are "
            + classes);
      }
      return zipMap;
    }

    /** The keys of the map the model returns for a row of zeros. */
    private Set<Object> classes(OrtSession session, String inputName, int inputWidth) throws OrtException {
      try (OnnxTensor zeros = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
              FloatBuffer.allocate(inputWidth), new long[] {1, inputWidth});
          OrtSession.Result result = session.run(Map.of(inputName, zeros), requested)) {
        List<? extends OnnxValue> maps = ((OnnxSequence) result.get(0)).getValue();
        try {
          return new TreeSet<>(((OnnxMap) maps.get(0)).getValue().keySet());
        } finally {
          closeAll(maps);
        }
      }
    }

    @Override
    public FloatBuffer newBuffer(int rows) {
      return FloatBuffer.allocate(0);
    }

    @Override
    public void score(OrtSession session, Map<String, ? extends OnnxTensorLike> inputs, int rows,
        FloatBuffer buffer, double[] scores, OrtSession.RunOptions runOptions) throws OrtException {
      try (OrtSession.Result result = session.run(inputs, requested, runOptions)) {
        // the maps are native values of their own that closing the sequence does not free
        List<? extends OnnxValue> maps = ((OnnxSequence) result.get(0)).getValue();
        try {
          if (maps.size() != rows) {
            throw new IllegalStateException("output '" + name() + "' has " + maps.size() + " maps for "
                + rows + " input rows");
          }
          for (int i = 0; i < rows; i++) {
            Object probability = ((OnnxMap) maps.get(i)).getValue().get(fraudKey);
            if (probability == null) {
              throw new IllegalStateException("output '" + name() + "' has no class " + fraudKey + " in row " + i);
            }
            scores[i] = (Float) probability;
          }
        } finally {
          closeAll(maps);
        }
      }
    }

    private static void closeAll(List<? extends OnnxValue> values) {
      for (OnnxValue value : values) {
        value.close();
      }
    }
  }

  private static String describe(ValueInfo info) {
    if (info instanceof TensorInfo tensor) {
      return "a tensor of " + tensor.type + " " + Arrays.toString(tensor.getShape());
    }
    if (info instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
      return "a sequence of maps from " + sequence.mapInfo.keyType + " to " + sequence.mapInfo.valueType;
    }
    if (info instanceof SequenceInfo sequence) {
      return "a sequence of " + sequence.sequenceType;
    }
    if (info instanceof MapInfo map) {
      return "a map from " + map.keyType + " to " + map.valueType;
    }
    return "a " + info;
  }
}
