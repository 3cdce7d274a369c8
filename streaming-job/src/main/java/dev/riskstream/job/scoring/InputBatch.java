package dev.riskstream.job.scoring;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.onnx.ProbabilityOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Up to {@code capacity} rows as one model sees them: in its column order, in one direct buffer that
 * is reused for every batch, so scoring allocates no input arrays per row; the buffer the model's
 * output is read into; and the fraud probabilities it gives the rows. Mutable: each scoring thread
 * owns its own, while the {@link OnnxModel} session is shared. Made by {@link OnnxModel#newBatch}.
 */
public final class InputBatch {

  private final OnnxModel model;
  private final ModelBundle bundle;
  private final int width;
  private final FloatBuffer buffer;
  private final FloatBuffer output;
  private final double[] scores;
  private final int capacity;
  private int rows;

  InputBatch(OnnxModel model, ModelBundle bundle, int capacity, FloatBuffer output) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a batch holds at least one row, not " + capacity);
    }
    this.model = model;
    this.bundle = bundle;
    this.width = bundle.inputWidth();
    this.capacity = capacity;
    this.output = output;
    this.scores = new double[capacity];
    // direct, so ONNX Runtime reads the rows in place instead of copying them into a buffer of its own
    this.buffer = ByteBuffer.allocateDirect(Float.BYTES * capacity * width)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** The model whose column order the rows are in, and which scores them. */
  public OnnxModel model() {
    return model;
  }

  /** Appends a feature vector in {@code FeatureSpec.CURRENT} order. */
  public void add(float[] specVector) {
    if (rows == capacity) {
      throw new IllegalStateException("the batch is full (" + capacity + " rows)");
    }
    bundle.toModelColumns(specVector, buffer, rows * width);
    rows++;
  }

  /** Appends the rows of {@code other}, a batch of the same model. */
  void addAll(InputBatch other) {
    addRows(other, 0, other.rows);
  }

  /** Appends {@code count} rows of {@code other}, a batch of the same model, from its row {@code first}. */
  void addRows(InputBatch other, int first, int count) {
    if (other.width != width || rows + count > capacity || first + count > other.rows) {
      throw new IllegalArgumentException("cannot append rows " + first + " to " + (first + count) + " of "
          + other.rows + " rows of width " + other.width + " to " + rows + " of " + capacity + " rows of width "
          + width);
    }
    buffer.put(rows * width, other.buffer, first * width, count * width);
    rows += count;
  }

  public int size() {
    return rows;
  }

  public int capacity() {
    return capacity;
  }

  /** What the model gave row {@code row} in the latest run: a fraud probability, unless the model misbehaves. */
  public double score(int row) {
    return scores[row];
  }

  /** Empties the batch for reuse. */
  public void clear() {
    rows = 0;
    // scoring limited the buffer to the last batch's rows; a fuller batch must fit
    buffer.clear();
  }

  int width() {
    return width;
  }

  /** Where {@link ProbabilityOutput#score} puts this batch's output. */
  FloatBuffer output() {
    return output;
  }

  /** Where a run writes the fraud probability of row {@code i}, at {@code i}. */
  double[] scores() {
    return scores;
  }

  /** The filled rows: position 0, limit rows × width, which is what a tensor over it reads. */
  FloatBuffer filled() {
    buffer.clear();
    buffer.limit(rows * width);
    return buffer;
  }
}
