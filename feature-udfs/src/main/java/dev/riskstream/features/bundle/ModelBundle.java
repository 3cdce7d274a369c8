package dev.riskstream.features.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A model directory: {@code model.onnx} and {@code manifest.json}. Loading checks the model's
 * checksum and that every input feature is one the serving code computes, at the version the model
 * was trained on, and works out where each model column comes from in a {@link FeatureSpec} vector.
 */
public final class ModelBundle {

  public static final String MANIFEST_FILE = "manifest.json";
  public static final String MODEL_FILE = "model.onnx";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final ModelManifest manifest;
  private final byte[] model;
  private final int[] specIndexOfColumn;

  private ModelBundle(ModelManifest manifest, byte[] model, int[] specIndexOfColumn) {
    this.manifest = manifest;
    this.model = model;
    this.specIndexOfColumn = specIndexOfColumn;
  }

  public static ModelBundle load(Path directory) throws InvalidBundleException {
    return load(directory, FeatureSpec.CURRENT);
  }

  static ModelBundle load(Path directory, FeatureSpec spec) throws InvalidBundleException {
    byte[] manifest;
    byte[] model;
    try {
      manifest = Files.readAllBytes(directory.resolve(MANIFEST_FILE));
      model = Files.readAllBytes(directory.resolve(MODEL_FILE));
    } catch (IOException e) {
      throw new InvalidBundleException("cannot read model bundle " + directory + ": " + e.getMessage(), e);
    }
    return of(manifest, model, directory.toString(), spec);
  }

  /**
   * The bundle of a manifest and a model read from anywhere (a registry on object storage), checked
   * as {@link #load} checks a directory's.
   *
   * @param source where they were read, for error messages
   */
  public static ModelBundle of(byte[] manifestJson, byte[] model, String source) throws InvalidBundleException {
    return of(manifestJson, model, source, FeatureSpec.CURRENT);
  }

  private static ModelBundle of(byte[] manifestJson, byte[] model, String source, FeatureSpec spec)
      throws InvalidBundleException {
    ModelManifest manifest;
    try {
      manifest = JSON.readValue(manifestJson, ModelManifest.class);
    } catch (IOException e) {
      throw new InvalidBundleException("cannot read the manifest of model bundle " + source + ": " + e.getMessage(), e);
    }
    if (manifest.formatVersion() != ModelManifest.FORMAT_VERSION) {
      throw new InvalidBundleException("unsupported manifest format " + manifest.formatVersion());
    }
    if (manifest.input() == null || manifest.output() == null || manifest.thresholds() == null) {
      throw new InvalidBundleException("manifest lacks input, output or thresholds");
    }
    String actualSha = sha256(model);
    if (!actualSha.equalsIgnoreCase(String.valueOf(manifest.modelSha256()))) {
      throw new InvalidBundleException(
          "model.onnx has SHA-256 " + actualSha + " but the manifest says " + manifest.modelSha256());
    }
    List<String> columns = manifest.input().features();
    int[] specIndexOfColumn = new int[columns.size()];
    for (int column = 0; column < columns.size(); column++) {
      String name = columns.get(column);
      Optional<Integer> index = spec.indexOf(name);
      if (index.isEmpty()) {
        throw new InvalidBundleException("model input '" + name + "' is not a served feature");
      }
      Feature feature = spec.features().get(index.get());
      Integer trainedVersion = manifest.featureVersions() == null ? null : manifest.featureVersions().get(name);
      if (trainedVersion == null || trainedVersion != feature.version()) {
        throw new InvalidBundleException("model was trained on " + name + " v" + trainedVersion
            + " but the serving code computes v" + feature.version());
      }
      specIndexOfColumn[column] = index.get();
    }
    checkReference(manifest);
    return new ModelBundle(manifest, model, specIndexOfColumn);
  }

  /** A reference profile that does not fit its own bins would fail later, in the drift operators. */
  private static void checkReference(ModelManifest manifest) throws InvalidBundleException {
    if (manifest.reference() == null) {
      return;
    }
    try {
      manifest.reference().binning();
    } catch (RuntimeException e) {
      throw new InvalidBundleException("the manifest's reference profile is inconsistent: " + e.getMessage(), e);
    }
  }

  /** Writes a bundle, filling in the model's checksum; returns the manifest as written. */
  public static ModelManifest write(Path directory, ModelManifest manifest, byte[] model) throws IOException {
    ModelManifest withChecksum =
        new ModelManifest(
            manifest.formatVersion(), manifest.modelVersion(), manifest.createdAt(), sha256(model),
            manifest.input(), manifest.output(), manifest.featureVersions(), manifest.thresholds(),
            manifest.training(), manifest.reference(), manifest.calibration());
    Files.createDirectories(directory);
    Files.write(directory.resolve(MODEL_FILE), model);
    JSON.writeValue(directory.resolve(MANIFEST_FILE).toFile(), withChecksum);
    return withChecksum;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  public String version() {
    return manifest.modelVersion();
  }

  /** The serialized ONNX model. */
  public byte[] model() {
    return model.clone();
  }

  public int inputWidth() {
    return specIndexOfColumn.length;
  }

  /** Copies a {@link FeatureSpec} vector into {@code row} in the model's column order. */
  public void toModelColumns(float[] specVector, float[] row) {
    for (int column = 0; column < specIndexOfColumn.length; column++) {
      row[column] = specVector[specIndexOfColumn[column]];
    }
  }

  /**
   * Writes a {@link FeatureSpec} vector into {@code target} from index {@code offset} on, in the
   * model's column order: straight into a batch's buffer, with no row array in between.
   */
  public void toModelColumns(float[] specVector, FloatBuffer target, int offset) {
    for (int column = 0; column < specIndexOfColumn.length; column++) {
      target.put(offset + column, specVector[specIndexOfColumn[column]]);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
