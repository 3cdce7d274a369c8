package dev.riskstream.job.scoring;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.ModelUpdateAction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model one scoring subtask scores with, and the announced one that is to replace it. An
 * announced version is loaded from the registry and validated on a background thread, beside the
 * current model, which keeps scoring; the subtask takes the new one with {@link #completePending} at
 * a batch boundary. Validation: the version is in the registry, its checksum is the announced one
 * and matches its manifest, its input and output match the manifest, and a smoke batch gives finite
 * probabilities ({@link OnnxModel#load}). A rejected or superseded announcement leaves the current
 * model in place. Not thread-safe: used by its subtask's thread only.
 *
 * <p>The same switch holds the model that scores in shadow: a switch without an initial bundle, empty
 * until a version is announced for it, emptied again by {@link #end}.
 */
public final class ModelSwitch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelSwitch.class);

  /** What became of an announcement, for the status topic. */
  public record Outcome(String version, ModelStatusKind status, String reason) {

    /** Whether the switch now scores with {@code version}. */
    public boolean taken() {
      return status == ModelStatusKind.ACTIVATED || status == ModelStatusKind.SHADOWING;
    }
  }

  private record Pending(ModelUpdate update, CompletableFuture<SharedModels.Lease> lease) {}

  private final Path initialBundle;
  private final ModelStatusKind whenTaken;
  private final Set<ModelUpdateAction> accepted;
  private final ProviderPlan plan;
  private final ModelRegistry registry;
  private final ExecutorService loader;
  private SharedModels.Lease lease;
  private ModelUpdate active;
  private Pending pending;

  /** The switch of the model that decides: it starts with {@code initialBundle} and is never empty. */
  public static ModelSwitch deciding(Path initialBundle, ProviderPlan plan, ModelRegistry registry,
      String threadName) {
    return new ModelSwitch(initialBundle, ModelStatusKind.ACTIVATED,
        EnumSet.of(ModelUpdateAction.ACTIVATE, ModelUpdateAction.ROLLBACK), plan, registry, threadName);
  }

  /** The switch of the model that scores in shadow: empty until a version is announced for it. */
  public static ModelSwitch shadow(ProviderPlan plan, ModelRegistry registry, String threadName) {
    return new ModelSwitch(null, ModelStatusKind.SHADOWING, EnumSet.of(ModelUpdateAction.SHADOW), plan,
        registry, threadName);
  }

  /**
   * @param initialBundle null for a switch that starts empty
   * @param registry where announced versions are found; null when the job takes no announcements
   */
  private ModelSwitch(Path initialBundle, ModelStatusKind whenTaken, Set<ModelUpdateAction> accepted,
      ProviderPlan plan, ModelRegistry registry, String threadName) {
    this.initialBundle = initialBundle;
    this.whenTaken = whenTaken;
    this.accepted = accepted;
    this.plan = plan;
    this.registry = registry;
    this.loader = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Loads the model to score with: the version a checkpoint says was active, else the initial bundle
   * (if any); then resumes loading the announcement that was pending. A restored version that cannot
   * be loaded any more (removed from the registry, say) is reported and replaced by the initial
   * bundle, so that a restart cannot turn into a crash loop.
   */
  public List<Outcome> open(ModelUpdate restoredActive, ModelUpdate restoredPending)
      throws InvalidBundleException, ai.onnxruntime.OrtException {
    List<Outcome> outcomes = new ArrayList<>();
    if (restoredActive != null) {
      try {
        lease = load(restoredActive);
        active = restoredActive;
      } catch (Exception e) {
        String reason = "cannot restore " + restoredActive.getModelVersion() + " after a restart: "
            + message(e) + (initialBundle == null ? "" : "; scoring with the initial bundle " + initialBundle);
        LOG.error(reason, e);
        outcomes.add(new Outcome(restoredActive.getModelVersion(), ModelStatusKind.REJECTED, reason));
      }
    }
    if (lease == null && initialBundle != null) {
      lease = SharedModels.acquire(initialBundle, plan);
    }
    if (restoredPending != null) {
      announce(restoredPending).ifPresent(outcomes::add);
    }
    return outcomes;
  }

  /** Null while a shadow switch is empty. */
  public OnnxModel current() {
    return lease == null ? null : lease.model();
  }

  /** The announcement the current model came from; null while the initial bundle scores. */
  public ModelUpdate active() {
    return active;
  }

  /** The announcement being loaded; null when none is. */
  public ModelUpdate pending() {
    return pending == null ? null : pending.update();
  }

  /**
   * Starts loading {@code update} beside the current model; the latest announcement wins. Returns the
   * outcome when it is decided at once: rejected as unusable, or a pending one superseded.
   */
  public Optional<Outcome> announce(ModelUpdate update) {
    String version = update.getModelVersion();
    if (registry == null) {
      return Optional.of(new Outcome(version, ModelStatusKind.REJECTED, "the job has no model registry (model.registry)"));
    }
    if (!accepted.contains(update.getAction())) {
      return Optional.of(new Outcome(version, ModelStatusKind.REJECTED, update.getAction() == ModelUpdateAction.UNKNOWN
          ? "unknown action; this job knows " + EnumSet.complementOf(EnumSet.of(ModelUpdateAction.UNKNOWN))
          : update.getAction() + " is not for this switch"));
    }
    Optional<Outcome> superseded = dropPending("superseded by " + version + " before it was loaded");
    LOG.info("loading model {} ({}) beside {}", version, update.getAction(), describe(current()));
    pending = new Pending(update, CompletableFuture.supplyAsync(() -> {
      try {
        return load(update);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, loader));
    return superseded;
  }

  /**
   * Whether an announcement awaits {@link #completePending}: still loading, or loaded since. A caller
   * that polls must poll again while this holds: a load that completes just after a poll found it
   * running is taken by the next poll, not lost until the next batch.
   */
  public boolean awaitingSwitch() {
    return pending != null;
  }

  /**
   * Takes the announced model if it has loaded and passed validation, or drops the announcement if it
   * failed; returns what happened, or nothing while it is still loading or nothing is pending.
   */
  public Optional<Outcome> completePending() {
    if (pending == null || !pending.lease().isDone()) {
      return Optional.empty();
    }
    Pending done = pending;
    pending = null;
    String version = done.update().getModelVersion();
    SharedModels.Lease loaded;
    try {
      loaded = done.lease().join();
    } catch (CompletionException e) {
      String reason = message(e.getCause());
      LOG.warn("model {} rejected, {} keeps scoring: {}", version, describe(current()), reason);
      return Optional.of(new Outcome(version, ModelStatusKind.REJECTED, reason));
    }
    SharedModels.Lease previous = lease;
    lease = loaded;
    active = done.update();
    String replaced = previous == null ? "none" : previous.model().version();
    if (previous != null) {
      release(previous);
    }
    String reason = done.update().getReason();
    LOG.info("model {} taken ({}), replacing {}", version, done.update().getAction(), replaced);
    return Optional.of(new Outcome(version, whenTaken,
        done.update().getAction() == ModelUpdateAction.ROLLBACK ? "rollback" + (reason == null ? "" : ": " + reason) : reason));
  }

  /**
   * Empties the switch: its model and any announcement still loading are dropped. For the shadow
   * switch, when shadowing ends or the shadow is promoted.
   */
  public List<Outcome> end(String version, String reason) {
    List<Outcome> outcomes = new ArrayList<>();
    dropPending("shadowing ended before it was loaded").ifPresent(outcomes::add);
    if (lease != null) {
      LOG.info("model {} no longer scores in shadow: {}", lease.model().version(), reason);
      release(lease);
      lease = null;
    }
    active = null;
    outcomes.add(new Outcome(version, ModelStatusKind.SHADOW_ENDED, reason));
    return outcomes;
  }

  private Optional<Outcome> dropPending(String reason) {
    if (pending == null) {
      return Optional.empty();
    }
    pending.lease().thenAccept(ModelSwitch::release);
    Outcome dropped = new Outcome(pending.update().getModelVersion(), ModelStatusKind.REJECTED, reason);
    pending = null;
    return Optional.of(dropped);
  }

  private static String describe(OnnxModel model) {
    return model == null ? "no model" : model.version();
  }

  private SharedModels.Lease load(ModelUpdate update) throws Exception {
    ModelBundle bundle = registry.load(update.getModelVersion());
    if (!bundle.manifest().modelSha256().equalsIgnoreCase(update.getModelSha256())) {
      throw new InvalidBundleException("the announcement says model.onnx has SHA-256 " + update.getModelSha256()
          + " but the registry's has " + bundle.manifest().modelSha256());
    }
    return SharedModels.acquire(bundle, registry.locationOf(update.getModelVersion()), plan);
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static void release(SharedModels.Lease lease) {
    try {
      lease.close();
    } catch (Exception e) {
      LOG.warn("closing model {} failed", lease.model().version(), e);
    }
  }

  /** Closes the current model; one still loading is closed when its load ends. */
  @Override
  public void close() {
    loader.shutdownNow();
    if (pending != null) {
      pending.lease().thenAccept(ModelSwitch::release);
      pending = null;
    }
    if (lease != null) {
      release(lease);
      lease = null;
    }
  }
}
