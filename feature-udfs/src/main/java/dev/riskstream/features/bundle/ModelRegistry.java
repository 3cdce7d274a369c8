package dev.riskstream.features.bundle;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where model bundles live, one directory per version: {@code <root>/<modelVersion>/}. Versions are
 * immutable: publishing a version that is there with another model is refused, so an announced
 * version means the same bytes on every TaskManager and after every restart.
 *
 * <p>The location is a URI so that object stores can be added as schemes; today it is a local or
 * shared directory ({@code file:} URI or a plain path), which every TaskManager must be able to read.
 */
public final class ModelRegistry implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final String root;

  private ModelRegistry(Path root) {
    this.root = root.toAbsolutePath().normalize().toString();
  }

  /** A registry at {@code location}: a {@code file:} URI or a path. */
  public static ModelRegistry at(String location) {
    URI uri;
    try {
      uri = URI.create(location);
    } catch (IllegalArgumentException e) {
      return new ModelRegistry(Path.of(location));
    }
    if (uri.getScheme() == null || uri.getScheme().length() == 1) { // a path, or a Windows drive letter
      return new ModelRegistry(Path.of(location));
    }
    if (uri.getScheme().equals("file")) {
      return new ModelRegistry(Path.of(uri));
    }
    throw new IllegalArgumentException("model registry " + location + ": scheme '" + uri.getScheme()
        + "' is not supported; use a directory every TaskManager can read (a path or a file: URI)");
  }

  public Path root() {
    return Path.of(root);
  }

  /** The directory of {@code version}, whether or not it exists. */
  public Path directoryOf(String version) throws InvalidBundleException {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new InvalidBundleException("'" + version + "' is not a model version: use letters, digits, "
          + "'.', '_' and '-', starting with a letter or digit, at most 128 characters");
    }
    return root().resolve(version);
  }

  /** Loads and checks the bundle of {@code version}. */
  public ModelBundle load(String version) throws InvalidBundleException {
    Path directory = directoryOf(version);
    if (!Files.isDirectory(directory)) {
      throw new InvalidBundleException("model version " + version + " is not in the registry " + root);
    }
    ModelBundle bundle = ModelBundle.load(directory);
    if (!version.equals(bundle.version())) {
      throw new InvalidBundleException("registry entry " + version + " holds model version " + bundle.version());
    }
    return bundle;
  }

  /**
   * Copies the bundle in {@code bundleDirectory} into the registry under its version, after checking
   * it; publishing the same bundle again changes nothing. The copy appears at once and whole (it is
   * written beside the registry's entries and renamed), so a job never reads half a bundle.
   */
  public ModelManifest publish(Path bundleDirectory) throws InvalidBundleException {
    ModelBundle bundle = ModelBundle.load(bundleDirectory);
    Path target = directoryOf(bundle.version());
    if (Files.exists(target)) {
      ModelBundle existing = ModelBundle.load(target);
      if (!existing.manifest().modelSha256().equalsIgnoreCase(bundle.manifest().modelSha256())) {
        throw new InvalidBundleException("model version " + bundle.version() + " is already in the registry "
            + "with another model; versions are immutable, so publish this one under a new version");
      }
      return existing.manifest();
    }
    try {
      Files.createDirectories(root());
      Path staging = root().resolve("." + bundle.version() + "-" + UUID.randomUUID());
      Files.createDirectory(staging);
      for (String file : List.of(ModelBundle.MODEL_FILE, ModelBundle.MANIFEST_FILE)) {
        Files.copy(bundleDirectory.resolve(file), staging.resolve(file));
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + bundle.version() + " to " + root, e);
    }
    return bundle.manifest();
  }

  /** The versions in the registry, sorted by name. */
  public List<String> versions() {
    if (!Files.isDirectory(root())) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(root())) {
      return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(name -> VERSION.matcher(name).matches()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the registry " + root, e);
    }
  }

  @Override
  public String toString() {
    return root;
  }
}
