package dev.riskstream.features.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Where model bundles live, one directory per version: {@code <root>/<modelVersion>/}. Versions are
 * immutable: publishing a version that is there with another model is refused, so an announced
 * version means the same bytes on every TaskManager and after every restart.
 *
 * <p>The root is any location Flink's {@link FileSystem} reaches: a path or {@code file:} URI on a
 * shared volume, or object storage ({@code s3://}, {@code gs://}, {@code abfss://}, with the file
 * system's plugin in the cluster and its jar on the classpath of the CLI and the retraining service).
 * A version exists once its manifest does: publishing writes the model first and the manifest last,
 * under a temporary name renamed into place, so a reader never sees half a bundle, on stores whose
 * rename is a copy too.
 */
public final class ModelRegistry implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final String root;

  private ModelRegistry(String root) {
    this.root = root;
  }

  /** A registry at {@code location}: a path, or a URI of a file system Flink reaches. */
  public static ModelRegistry at(String location) {
    URI uri;
    try {
      uri = URI.create(location);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || uri.getScheme() == null || uri.getScheme().length() == 1) { // a path, or a drive letter
      return local(java.nio.file.Path.of(location));
    }
    if (uri.getScheme().equals("file")) {
      return local(java.nio.file.Path.of(uri));
    }
    return new ModelRegistry(location.replaceAll("/+$", ""));
  }

  // explicitly file:, so that a cluster's fs.default-scheme does not move it; unencoded, as Flink's Path takes it
  private static ModelRegistry local(java.nio.file.Path directory) {
    return new ModelRegistry("file://" + directory.toAbsolutePath().normalize());
  }

  /**
   * Fails unless this process has a file system for the root's scheme (the plugin, or its jar on the
   * classpath): a registry the job cannot read would show only as refused model updates.
   */
  public void requireReachable() {
    try {
      new Path(root).getFileSystem();
    } catch (IOException e) {
      throw new IllegalArgumentException("model registry " + root + ": " + e.getMessage(), e);
    }
  }

  /** Where the bundle of {@code version} is, whether or not it exists. */
  public String locationOf(String version) throws InvalidBundleException {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new InvalidBundleException("'" + version + "' is not a model version: use letters, digits, "
          + "'.', '_' and '-', starting with a letter or digit, at most 128 characters");
    }
    return root + "/" + version;
  }

  /** Whether {@code version} has been published. */
  public boolean contains(String version) throws InvalidBundleException {
    Path manifest = new Path(locationOf(version), ModelBundle.MANIFEST_FILE);
    try {
      return manifest.getFileSystem().exists(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the registry " + root, e);
    }
  }

  /** Loads and checks the bundle of {@code version}. */
  public ModelBundle load(String version) throws InvalidBundleException {
    if (!contains(version)) {
      throw new InvalidBundleException("model version " + version + " is not in the registry " + root);
    }
    String location = locationOf(version);
    ModelBundle bundle;
    try {
      bundle = ModelBundle.of(read(new Path(location, ModelBundle.MANIFEST_FILE)),
          read(new Path(location, ModelBundle.MODEL_FILE)), location);
    } catch (IOException e) {
      throw new InvalidBundleException("cannot read model bundle " + location + ": " + e.getMessage(), e);
    }
    if (!version.equals(bundle.version())) {
      throw new InvalidBundleException("registry entry " + version + " holds model version " + bundle.version());
    }
    return bundle;
  }

  /**
   * Copies the bundle in {@code bundleDirectory} into the registry under its version, after checking
   * it; publishing the same bundle again changes nothing.
   */
  public ModelManifest publish(java.nio.file.Path bundleDirectory) throws InvalidBundleException {
    ModelBundle bundle = ModelBundle.load(bundleDirectory);
    if (contains(bundle.version())) {
      ModelBundle existing = load(bundle.version());
      if (!existing.manifest().modelSha256().equalsIgnoreCase(bundle.manifest().modelSha256())) {
        throw new InvalidBundleException("model version " + bundle.version() + " is already in the registry "
            + "with another model; versions are immutable, so publish this one under a new version");
      }
      return existing.manifest();
    }
    String location = locationOf(bundle.version());
    try {
      // a model without a manifest is a publication cut short, not a version: this one completes it
      write(bundleDirectory.resolve(ModelBundle.MODEL_FILE), new Path(location, ModelBundle.MODEL_FILE));
      Path manifest = new Path(location, ModelBundle.MANIFEST_FILE);
      Path staged = new Path(location, "." + ModelBundle.MANIFEST_FILE + "-" + UUID.randomUUID());
      write(bundleDirectory.resolve(ModelBundle.MANIFEST_FILE), staged);
      if (!manifest.getFileSystem().rename(staged, manifest)) {
        throw new IOException("could not rename " + staged + " to " + manifest);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + bundle.version() + " to " + root, e);
    }
    return bundle.manifest();
  }

  /** The published versions, sorted by name. */
  public List<String> versions() {
    Path rootPath = new Path(root);
    try {
      FileSystem fs = rootPath.getFileSystem();
      if (!fs.exists(rootPath)) {
        return List.of();
      }
      List<String> versions = new ArrayList<>();
      for (FileStatus entry : fs.listStatus(rootPath)) {
        String name = entry.getPath().getName();
        if (entry.isDir() && VERSION.matcher(name).matches()
            && fs.exists(new Path(entry.getPath(), ModelBundle.MANIFEST_FILE))) {
          versions.add(name);
        }
      }
      return versions.stream().sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the registry " + root, e);
    }
  }

  private static byte[] read(Path file) throws IOException {
    try (InputStream in = file.getFileSystem().open(file); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      in.transferTo(bytes);
      return bytes.toByteArray();
    }
  }

  private static void write(java.nio.file.Path source, Path target) throws IOException {
    try (OutputStream out = target.getFileSystem().create(target, WriteMode.OVERWRITE)) {
      Files.copy(source, out);
    }
  }

  @Override
  public String toString() {
    return root;
  }
}
