package dev.riskstream.job.scoring;

import ai.onnxruntime.OrtException;
import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@link OnnxModel} (one ONNX Runtime session) per model and {@link ProviderPlan}, shared by the
 * scoring subtasks of a TaskManager and closed when the last of them closes. Sharing keeps one copy
 * of the weights in memory (on the GPU: one CUDA context and arena instead of one per slot); batches
 * are still formed per subtask. Keyed by bundle location, model checksum and plan, so a
 * bundle replaced in place is loaded afresh. Static state lives in the job's user-code class loader,
 * so jobs on one TaskManager do not share sessions with each other.
 */
public final class SharedModels {

  private record Key(String bundle, String sha256, ProviderPlan plan) {}

  private static final class Entry {
    final OnnxModel model;
    int users;

    Entry(OnnxModel model) {
      this.model = model;
    }
  }

  private static final Map<Key, Entry> MODELS = new HashMap<>();

  private SharedModels() {}

  /** The model of the bundle in {@code directory}, loaded on first use; close the lease when done. */
  public static Lease acquire(Path directory, ProviderPlan plan) throws InvalidBundleException, OrtException {
    return acquire(ModelBundle.load(directory), directory.toAbsolutePath().normalize().toUri().toString(), plan);
  }

  /** The model of {@code bundle}, already loaded from {@code location}; close the lease when done. */
  public static synchronized Lease acquire(ModelBundle bundle, String location, ProviderPlan plan)
      throws InvalidBundleException, OrtException {
    Key key = new Key(location, bundle.manifest().modelSha256().toLowerCase(Locale.ROOT), plan);
    Entry entry = MODELS.get(key);
    if (entry == null) {
      entry = new Entry(OnnxModel.load(bundle, plan));
      MODELS.put(key, entry);
    }
    entry.users++;
    return new Lease(key, entry.model);
  }

  /** How many open leases hold {@code model}; 0 once it is closed. For tests and diagnostics. */
  public static synchronized int users(OnnxModel model) {
    return MODELS.values().stream().filter(e -> e.model == model).mapToInt(e -> e.users).sum();
  }

  private static synchronized void release(Key key) throws OrtException {
    Entry entry = MODELS.get(key);
    if (--entry.users == 0) {
      MODELS.remove(key);
      entry.model.close();
    }
  }

  /** One user's hold on a shared model. */
  public static final class Lease implements AutoCloseable {
    private final Key key;
    private final OnnxModel model;
    private boolean released;

    private Lease(Key key, OnnxModel model) {
      this.key = key;
      this.model = model;
    }

    public OnnxModel model() {
      return model;
    }

    /** Releases the hold once; the last release closes the session. */
    @Override
    public void close() throws OrtException {
      if (!released) {
        released = true;
        release(key);
      }
    }
  }
}
