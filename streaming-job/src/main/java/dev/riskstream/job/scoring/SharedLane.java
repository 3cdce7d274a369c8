package dev.riskstream.job.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@link ScoringLaneChoice#SHARED}: the batches of every subtask that scores with one model on a
 * TaskManager, run on one thread; the batches waiting when it is free are merged into one run of up
 * to {@code maxRows} rows. On a GPU a run costs nearly the same from a few hundred rows to many
 * thousands, so merging turns the slots' small batches into the large ones that make the GPU pay.
 * Made and closed by its {@link OnnxModel}.
 */
final class SharedLane implements ScoringLane {

  private record Request(InputBatch batch, CompletableFuture<BatchRun> scored) {}

  private final OnnxModel model;
  private final int maxRows;
  private final Queue<Request> waiting = new ConcurrentLinkedQueue<>();
  private final LaneThread thread;
  /** Touched by the lane's thread only. */
  private final InputBatch merged;

  SharedLane(OnnxModel model, int maxRows, LaneThread thread) {
    this.model = model;
    this.maxRows = maxRows;
    this.thread = thread;
    this.merged = model.newBatch(maxRows);
  }

  @Override
  public CompletableFuture<BatchRun> score(InputBatch batch) {
    if (batch.model() != model) {
      throw new IllegalArgumentException("this lane scores with " + model.version() + ", not "
          + batch.model().version());
    }
    Request request = new Request(batch, new CompletableFuture<>());
    waiting.add(request);
    // one run per request at most; a run that finds its requests already merged into an earlier one does nothing
    thread.execute(this::runWaiting);
    return request.scored();
  }

  private void runWaiting() {
    List<Request> run = takeWaiting();
    if (run.isEmpty()) {
      return;
    }
    try {
      if (run.size() == 1) {
        Request only = run.get(0);
        only.scored().complete(model.timedScoreBatch(only.batch()));
        return;
      }
      merged.clear();
      for (Request request : run) {
        merged.addAll(request.batch());
      }
      BatchRun mergedRun = model.timedScoreBatch(merged);
      int offset = 0;
      for (Request request : run) {
        int rows = request.batch().size();
        System.arraycopy(merged.scores(), offset, request.batch().scores(), 0, rows);
        offset += rows;
        request.scored().complete(mergedRun);
      }
    } catch (Throwable e) {
      run.forEach(request -> request.scored().completeExceptionally(e));
    }
  }

  /** The oldest waiting batches that fit in one run together; the first always does. */
  private List<Request> takeWaiting() {
    List<Request> run = new ArrayList<>();
    int rows = 0;
    for (Request next = waiting.peek(); next != null; next = waiting.peek()) {
      if (!run.isEmpty() && rows + next.batch().size() > maxRows) {
        break;
      }
      run.add(waiting.poll());
      rows += next.batch().size();
    }
    return run;
  }

  @Override
  public void close() {
    thread.close();
  }
}
