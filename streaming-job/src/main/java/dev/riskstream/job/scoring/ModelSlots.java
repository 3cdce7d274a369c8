package dev.riskstream.job.scoring;

import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelStatusKind;
import dev.riskstream.schemas.ModelUpdate;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.BroadcastState;

/**
 * The models of one scoring subtask: the deciding one and the one scoring in shadow, each a
 * {@link ModelSwitch} with its active model and the announced one loading beside it. Announcements
 * arrive at any time and take effect in {@link #takeLoaded}, which the subtask calls at batch
 * boundaries only, so every row is scored by exactly one version. The four announcements (active and
 * pending, deciding and shadow) are the operator state a restart resumes from. What becomes of an
 * announcement goes to the {@code reports} given, at the moment it is decided. Used by its subtask's
 * thread only.
 */
public final class ModelSlots implements AutoCloseable {

  private static final String ACTIVE = "active";
  private static final String PENDING = "pending";
  private static final String SHADOW_ACTIVE = "shadow-active";
  private static final String SHADOW_PENDING = "shadow-pending";

  private final int subtask;
  private final BroadcastState<String, ModelUpdate> state;
  private final Consumer<ModelSwitch.Outcome> reports;
  private final ModelSwitch deciding;
  private final ModelSwitch shadow;
  /** An END_SHADOW announcement waiting for a batch boundary; null when none is. */
  private ModelUpdate shadowEnding;

  /**
   * @param initialBundle what the deciding slot scores with until an announcement takes over
   * @param registry where announced versions live; null: announcements are rejected
   * @param state where the announcements are kept across restarts; read by {@link #open}
   */
  public ModelSlots(Path initialBundle, ProviderPlan providers, ModelRegistry registry, int subtask,
      BroadcastState<String, ModelUpdate> state, Consumer<ModelSwitch.Outcome> reports) {
    this.subtask = subtask;
    this.state = state;
    this.reports = reports;
    this.deciding = ModelSwitch.deciding(initialBundle, providers, registry, "model-loader-" + subtask);
    this.shadow = ModelSwitch.shadow(providers, registry, "shadow-model-loader-" + subtask);
  }

  /**
   * Loads the models the restored state names, else the initial bundle, and resumes loading what was
   * pending. Returns what was decided meanwhile (a restored version that cannot be loaded any more),
   * for the subtask to report once it can emit.
   */
  public List<ModelSwitch.Outcome> open() throws Exception {
    List<ModelSwitch.Outcome> outcomes = new ArrayList<>(deciding.open(state.get(ACTIVE), state.get(PENDING)));
    outcomes.addAll(shadow.open(state.get(SHADOW_ACTIVE), state.get(SHADOW_PENDING)));
    return outcomes;
  }

  /** The model that decides. */
  public OnnxModel deciding() {
    return deciding.current();
  }

  /** The model that scores in shadow; null while none does. */
  public OnnxModel shadow() {
    return shadow.current();
  }

  /** Whether an announced model awaits {@link #takeLoaded}: still loading, or loaded since the last call. */
  public boolean awaitingSwitch() {
    return deciding.awaitingSwitch() || shadow.awaitingSwitch();
  }

  /** Starts acting on an announcement; it takes effect in a later {@link #takeLoaded}. */
  public void announce(ModelUpdate update) {
    switch (update.getAction()) {
      case SHADOW -> {
        if (update.getModelVersion().equals(deciding().version())) {
          reports.accept(new ModelSwitch.Outcome(update.getModelVersion(), ModelStatusKind.REJECTED,
              "it already decides; shadow mode is for a candidate"));
        } else {
          shadow.announce(update).ifPresent(reports);
        }
      }
      // the shadow's rows in the batch being filled are laid out for it: it ends at the next boundary
      case END_SHADOW -> shadowEnding = update;
      default -> deciding.announce(update).ifPresent(reports);
    }
  }

  /**
   * At a batch boundary: the models that have loaded take over, and a shadow told to end does. A
   * deciding model of the shadow's version ends the shadow: it has been promoted.
   */
  public void takeLoaded() {
    Optional<ModelSwitch.Outcome> decided = deciding.completePending();
    decided.ifPresent(reports);
    if (decided.isPresent() && decided.get().taken() && decided.get().version().equals(shadowVersion())) {
      shadow.end(decided.get().version(), "promoted: it decides now").forEach(reports);
    }
    shadow.completePending().ifPresent(reports);
    if (shadowEnding != null) {
      String reason = shadowEnding.getReason();
      shadow.end(shadowEnding.getModelVersion(), reason == null ? "shadowing ended" : reason).forEach(reports);
      shadowEnding = null;
    }
  }

  /** The version scoring in shadow or loading to, or null. */
  private String shadowVersion() {
    ModelUpdate shadowing = shadow.pending() != null ? shadow.pending() : shadow.active();
    return shadowing == null ? null : shadowing.getModelVersion();
  }

  /** {@code outcome} as the subtask reports it, with the models it scores with now. */
  public ModelStatus status(ModelSwitch.Outcome outcome) {
    OnnxModel model = deciding();
    OnnxModel shadowModel = shadow();
    return ModelStatus.newBuilder()
        .setModelVersion(outcome.version())
        .setStatus(outcome.status())
        .setReason(outcome.reason())
        .setActiveVersion(model.version())
        .setShadowVersion(shadowModel == null ? null : shadowModel.version())
        .setExecutionProvider(model.executionProvider())
        .setSubtask(subtask)
        .setReportedAt(Instant.now())
        .build();
  }

  /** Writes the announcements the slots hold now to the state, for a checkpoint. */
  public void snapshot() throws Exception {
    state.clear();
    putIfPresent(ACTIVE, deciding.active());
    putIfPresent(PENDING, deciding.pending());
    putIfPresent(SHADOW_ACTIVE, shadow.active());
    putIfPresent(SHADOW_PENDING, shadow.pending());
  }

  private void putIfPresent(String key, ModelUpdate update) throws Exception {
    if (update != null) {
      state.put(key, update);
    }
  }

  @Override
  public void close() {
    deciding.close();
    shadow.close();
  }
}
