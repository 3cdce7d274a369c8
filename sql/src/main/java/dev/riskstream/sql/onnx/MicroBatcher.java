package dev.riskstream.sql.onnx;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.table.data.RowData;

/**
 * Collects one subtask's rows into batches of up to {@link OnnxModelSpec#rowsPerBatch} rows and
 * scores each batch in one ONNX Runtime run on a thread of its own, so the task thread only hands
 * rows over. A batch runs once it is full or its first row has waited {@code max-wait}. Every row's
 * future completes: with its score, with the reason the model refused it (a batch that fails is run
 * again row by row, so one bad row fails only itself), or with the reason the batcher closed.
 */
final class MicroBatcher implements AutoCloseable {

  private record Pending(float[] modelColumns, CompletableFuture<Collection<RowData>> result) {}

  private final OnnxModelSpec spec;
  private final LoadedModel model;
  private final ScoringMetrics metrics;
  private final int rowsPerBatch;
  private final long maxWaitNanos;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  MicroBatcher(OnnxModelSpec spec, LoadedModel model, ScoringMetrics metrics, String threadName) {
    this.spec = spec;
    this.model = model;
    this.metrics = metrics;
    this.rowsPerBatch = spec.rowsPerBatch();
    this.maxWaitNanos = spec.maxWait().toNanos();
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  void submit(float[] modelColumns, CompletableFuture<Collection<RowData>> result) {
    if (closed) {
      result.completeExceptionally(new IllegalStateException("model " + spec.model() + " is closed"));
      return;
    }
    queue.add(new Pending(modelColumns, result));
  }

  private void run() {
    LoadedModel.Buffers buffers = model.newBuffers(rowsPerBatch);
    List<Pending> batch = new ArrayList<>(rowsPerBatch);
    while (!closed) {
      try {
        collect(batch);
      } catch (InterruptedException e) {
        break;
      }
      if (!batch.isEmpty()) {
        score(batch, buffers);
        batch.clear();
      }
    }
    failAll(batch);
  }

  /** Waits for a first row, then for more until the batch is full or the first row has waited enough. */
  private void collect(List<Pending> batch) throws InterruptedException {
    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
    if (first == null) {
      return;
    }
    batch.add(first);
    long deadline = System.nanoTime() + maxWaitNanos;
    queue.drainTo(batch, rowsPerBatch - batch.size());
    while (batch.size() < rowsPerBatch) {
      Pending next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, rowsPerBatch - batch.size());
    }
  }

  private void score(List<Pending> batch, LoadedModel.Buffers buffers) {
    int width = spec.columns().width();
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).modelColumns(), 0, buffers.features(), i * width, width);
    }
    try {
      model.score(buffers, batch.size());
      metrics.batch(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(List.of(OnnxPredictFunction.outputRow(spec, buffers.scores()[i])));
      }
    } catch (OrtException e) {
      scoreRowByRow(batch, buffers);
    } catch (RuntimeException | Error e) {
      for (Pending pending : batch) {
        pending.result().completeExceptionally(e);
      }
    }
  }

  private void scoreRowByRow(List<Pending> batch, LoadedModel.Buffers buffers) {
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      try {
        model.score(buffers, i, 1);
        metrics.batch(1);
        pending.result().complete(List.of(OnnxPredictFunction.outputRow(spec, buffers.scores()[0])));
      } catch (OrtException | RuntimeException e) {
        pending.result().completeExceptionally(new ModelRefusedRowException(spec.model(), pending.modelColumns(), e));
      }
    }
  }

  private void failAll(List<Pending> batch) {
    List<Pending> left = new ArrayList<>(batch);
    queue.drainTo(left);
    for (Pending pending : left) {
      pending.result().completeExceptionally(new IllegalStateException("model " + spec.model()
          + " closed before scoring the row " + Arrays.toString(pending.modelColumns())));
    }
  }

  /** Stops taking rows; a run under way finishes; rows still waiting fail. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.interrupt();
    thread.join();
    failAll(List.of());
  }
}
