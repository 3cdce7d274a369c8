package dev.riskstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.features.bundle.ModelRegistry;
import dev.riskstream.features.drift.ReferenceProfile;
import dev.riskstream.features.drift.ReferenceProfiler;
import dev.riskstream.features.drift.SegmentProfile;
import dev.riskstream.features.drift.Segmenter;
import dev.riskstream.features.onnx.ExecutionProviderChoice;
import dev.riskstream.job.TestData;
import dev.riskstream.job.scoring.InputBatch;
import dev.riskstream.job.scoring.OnnxModel;
import dev.riskstream.job.scoring.ProviderPlan;
import dev.riskstream.job.scoring.ReferenceModel;
import dev.riskstream.training.ExportedRows;
import dev.riskstream.training.FeatureRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code model bundle} around models other frameworks trained, from rows in the export's format
 * ({@link ReferenceExport}).
 */
class ModelBundleCommandTest {

  private static final int TRAINING_ROWS = ReferenceExport.TRAINING_ROWS;

  @TempDir Path dir;
  private List<String> columns;
  private Path training;
  private Path validation;

  @BeforeEach
  void exportedRows() throws Exception {
    columns = ReferenceExport.columns();
    training = ReferenceExport.training(dir);
    validation = ReferenceExport.validation(dir);
  }

  private CliRun bundle(ReferenceModel model, Path out, String... more) throws Exception {
    return bundle(model.copyModel(dir), out, more);
  }

  private CliRun bundle(Path model, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("model", "bundle", "--model", model.toString(),
        "--training", training.toString(), "--validation", validation.toString(), "--version", "imported-1",
        "--min-segment-rows", String.valueOf(ReferenceExport.MIN_SEGMENT_ROWS), "--out", out.toString()));
    args.addAll(List.of(more));
    return CliRun.of(new OperationsCli(), args);
  }

  /** One of the models make_refused_models.py made, copied into the test's directory. */
  private Path refusedModel(String name) throws Exception {
    Path copy = dir.resolve(name);
    try (var model = getClass().getResourceAsStream("/refused-models/" + name)) {
      Files.copy(model, copy);
    }
    return copy;
  }

  @ParameterizedTest
  @EnumSource(value = ReferenceModel.class, names = {"SKLEARN_GBT_ZIPMAP", "SKLEARN_GBT_TENSOR", "LIGHTGBM_TENSOR"})
  void aBundleTheJobLoadsScoresTheRowsAsModelScoreDoesWithTheTrainersReferenceProfile(ReferenceModel model)
      throws Exception {
    Path out = dir.resolve("bundle-" + model);
    CliRun run = bundle(model, out, "--columns", String.join(",", columns));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("bundle imported-1 written to " + out);

    ModelBundle bundle = ModelBundle.load(out);
    ModelManifest manifest = bundle.manifest();
    assertThat(manifest.output()).isEqualTo(model.output());
    assertThat(manifest.input().features()).isEqualTo(columns);
    assertThat(manifest.featureVersions()).containsOnlyKeys(columns);
    assertThat(manifest.training().trainRows()).isEqualTo(TRAINING_ROWS);
    assertThat(manifest.training().metrics()).containsKeys("roc_auc", "review_precision", "decline_recall");

    // model score on the same rows, in the model's column order
    Path scoreInput = ReferenceModel.copyRows(dir);
    List<Double> scored = CliRun.of(new OperationsCli(), "model", "score", "--model", model.copyModel(dir).toString(),
        "--input", scoreInput.toString()).outLines().stream().map(Double::parseDouble).toList();
    List<FeatureRow> trainingRows = ExportedRows.labelled(training);
    List<FeatureRow> all = Stream.concat(trainingRows.stream(), ExportedRows.labelled(validation).stream()).toList();
    try (OnnxModel loaded = OnnxModel.load(bundle, ProviderPlan.of(ExecutionProviderChoice.CPU))) {
      InputBatch batch = loaded.newBatch(all.size());
      all.forEach(row -> batch.add(row.features()));
      loaded.scoreBatch(batch);
      for (int i = 0; i < all.size(); i++) {
        assertThat(batch.score(i)).as("row %d", i).isCloseTo(scored.get(i), within(ReferenceModel.TOLERANCE));
      }
    }
    List<ReferenceProfiler.Row> profiled = new ArrayList<>();
    for (int i = 0; i < TRAINING_ROWS; i++) {
      profiled.add(new ReferenceProfiler.Row(trainingRows.get(i).features(),
          trainingRows.get(i).source().transaction(), scored.get(i)));
    }
    ReferenceProfile expected = new ReferenceProfiler(columns, new Segmenter(Segmenter.DEFAULT_DIMENSIONS),
        ReferenceExport.MIN_SEGMENT_ROWS).profile(profiled);
    ReferenceProfile reference = manifest.reference();
    assertThat(reference.segments()).as("monitored: segment all at least").containsKey(Segmenter.ALL);
    // model score prints what the bundler scored to the last float digit or so: a score on a bin edge may
    // fall on its other side, so the score's counts are compared by their total
    assertThat(withoutScoreCounts(reference)).isEqualTo(withoutScoreCounts(expected));
    reference.segments().forEach((segment, profile) -> assertThat(profile.counts().get(ReferenceProfile.SCORE)
        .stream().mapToLong(Long::longValue).sum()).isEqualTo(profile.rows()));
  }

  private static ReferenceProfile withoutScoreCounts(ReferenceProfile profile) {
    Map<String, SegmentProfile> segments = new TreeMap<>();
    profile.segments().forEach((segment, counts) -> {
      Map<String, List<Long>> features = new TreeMap<>(counts.counts());
      features.remove(ReferenceProfile.SCORE);
      segments.put(segment, new SegmentProfile(counts.rows(), features, counts.missing()));
    });
    return new ReferenceProfile(profile.minSegmentRows(), profile.dimensions(), profile.features(), profile.score(),
        profile.attributes(), segments);
  }

  @Test
  void columnsAreNeverGuessedAndEveryRefusalSaysWhatIsWrong() throws Exception {
    CliRun unnamed = bundle(ReferenceModel.LIGHTGBM_TENSOR, dir.resolve("unnamed"));
    CliRun narrow = bundle(ReferenceModel.LIGHTGBM_TENSOR, dir.resolve("narrow"), "--columns",
        String.join(",", columns.subList(1, columns.size())));
    List<String> misnamed = new ArrayList<>(columns);
    misnamed.set(3, "amount_in_dollars");
    CliRun unknown = bundle(ReferenceModel.LIGHTGBM_TENSOR, dir.resolve("unknown"), "--columns",
        String.join(",", misnamed));
    CliRun noSuchOutput = bundle(ReferenceModel.LIGHTGBM_TENSOR, dir.resolve("output"), "--columns",
        String.join(",", columns), "--output", "scores");
    Files.createDirectories(dir.resolve("taken"));
    CliRun taken = bundle(ReferenceModel.LIGHTGBM_TENSOR, dir.resolve("taken"), "--columns", String.join(",", columns));

    assertThat(unnamed.exitCode()).isEqualTo(1);
    assertThat(unnamed.err()).contains("cannot be guessed", "--columns");
    assertThat(narrow.err()).contains("takes 26 columns, but 25 features are named");
    assertThat(unknown.err()).contains("no such features [amount_in_dollars]");
    assertThat(noSuchOutput.exitCode()).isEqualTo(1);
    assertThat(noSuchOutput.err()).contains("scores");
    assertThat(taken.err()).contains("never overwritten");
    CliRun ambiguous = bundle(refusedModel("two_float_outputs.onnx"), dir.resolve("ambiguous"), "--columns",
        String.join(",", columns));
    CliRun margin = bundle(refusedModel("margin.onnx"), dir.resolve("margin"), "--columns", String.join(",", columns));

    assertThat(ambiguous.exitCode()).isEqualTo(1);
    assertThat(ambiguous.err()).contains("outputs [a, b] could each hold the probabilities", "--output");
    assertThat(margin.exitCode()).isEqualTo(1);
    assertThat(margin.err()).contains("not a probability", "sigmoid");
    for (String name : List.of("unnamed", "narrow", "unknown", "output", "ambiguous", "margin")) {
      assertThat(dir.resolve(name)).as("nothing written for a refusal").doesNotExist();
    }
  }

  @Test
  void tooFewTrainingRowsForAReferenceProfileAreRefused() throws Exception {
    // by default a segment needs 1,000 training rows: drift monitoring would have none to judge the model in
    CliRun run = CliRun.of(new OperationsCli(), "model", "bundle", "--model",
        ReferenceModel.LIGHTGBM_TENSOR.copyModel(dir).toString(), "--columns", String.join(",", columns),
        "--training", training.toString(), "--validation", validation.toString(), "--version", "imported-1",
        "--out", dir.resolve("too-few").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("needs at least 1000 training rows (--min-segment-rows), for its segment all; "
        + "there are 160");
    assertThat(dir.resolve("too-few")).doesNotExist();
  }

  @Test
  void aBundleThatLosesTheValidationGateAgainstTheChampionIsNotPublished() throws Exception {
    // the champion ranks these rows' labels perfectly: they are where its probability passes 0.5
    Path champion = dir.resolve("champion");
    assertThat(bundle(ReferenceModel.SKLEARN_GBT_TENSOR, champion, "--columns", String.join(",", columns)).exitCode())
        .isZero();
    Path registry = dir.resolve("registry");
    ModelRegistry.at(registry.toString()).publish(champion);

    CliRun run = CliRun.of(new OperationsCli(), "model", "publish", TestData.BASELINE_BUNDLE.toString(), "--shadow",
        "--validation-rows", validation.toString(), "--champion", "imported-1", "--registry", registry.toString(),
        "--bootstrap-servers", "127.0.0.1:1");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("validation gate on 80 rows of " + validation + ", against imported-1:",
        "roc_auc", "FAILED");
    assertThat(run.err()).contains("not published: the validation gate failed [roc_auc");
    assertThat(ModelRegistry.at(registry.toString()).versions()).containsExactly("imported-1");
  }
}
