package dev.riskstream.io.settings;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a secret is, written {@code env:NAME} (an environment variable) or {@code file:PATH} (a file,
 * such as a mounted Kubernetes Secret). Settings hold the reference, and so does the job graph: the
 * secret itself is read where it is used, on the TaskManager when the operator that needs it opens,
 * so it never reaches the JobManager's HA storage.
 */
public record SecretReference(Source source, String location) implements Serializable {

  /** What the location names. */
  public enum Source {
    ENV("env:"),
    FILE("file:");

    private final String prefix;

    Source(String prefix) {
      this.prefix = prefix;
    }
  }

  public SecretReference {
    if (source == null || location == null || location.isBlank()) {
      throw new IllegalArgumentException("a secret reference names an environment variable or a file");
    }
  }

  public static SecretReference env(String variable) {
    return new SecretReference(Source.ENV, variable);
  }

  public static SecretReference file(Path file) {
    return new SecretReference(Source.FILE, file.toString());
  }

  /**
   * Reads the value of {@code setting}; anything but a reference is refused with the reason, since a
   * secret given in its place would travel in the job graph.
   */
  public static SecretReference parse(String setting, String value) {
    for (Source source : Source.values()) {
      if (value.startsWith(source.prefix) && value.length() > source.prefix.length()) {
        return new SecretReference(source, value.substring(source.prefix.length()));
      }
    }
    throw new IllegalArgumentException(setting + " says where the secret is, env:NAME or file:PATH, not the "
        + "secret itself, which would travel in the job graph; its value of " + value.length() + " characters is "
        + "neither");
  }

  /** The secret, read now from this process's environment or the file. */
  public Optional<String> read() {
    return read(System.getenv());
  }

  /**
   * The secret, read now; empty when the environment variable is not set. A file's trailing line
   * break is not part of it ({@code echo key > file} writes one).
   *
   * @throws IllegalArgumentException when the file does not exist or cannot be read: a file named is
   *     expected, unlike a variable, which may stand for "none"
   */
  public Optional<String> read(Map<String, String> environment) {
    if (source == Source.ENV) {
      return Optional.ofNullable(environment.get(location));
    }
    try {
      return Optional.of(Files.readString(Path.of(location), StandardCharsets.UTF_8).replaceFirst("\\R\\z", ""));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the secret file " + location + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the secret file " + location + ": " + e, e);
    }
  }

  /** The secret as the reference says it must be: present. */
  public String require(Map<String, String> environment) {
    return read(environment).orElseThrow(() -> new IllegalArgumentException(
        "the environment variable " + location + " is not set"));
  }

  /** The secret, read now from this process's environment or the file; it must be there. */
  public String require() {
    return require(System.getenv());
  }

  /** The file to watch for a new secret; empty for a variable, which cannot change while the process runs. */
  public Optional<Path> file() {
    return source == Source.FILE ? Optional.of(Path.of(location)) : Optional.empty();
  }

  /** The form the settings take: {@code env:NAME} or {@code file:PATH}. */
  @Override
  public String toString() {
    return source.prefix + location;
  }
}
