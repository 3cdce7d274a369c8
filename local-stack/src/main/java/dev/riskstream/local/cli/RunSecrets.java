package dev.riskstream.local.cli;

import dev.riskstream.job.InputOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Secrets a local run makes for itself, in owner-only files that the job reads through
 * {@code file:} references, as a deployment's job reads its mounted Secrets. They live in the run's
 * scratch directory and go with it. No key lives in the repository.
 */
final class RunSecrets {

  private RunSecrets() {}

  /** Writes {@code secret} into a new owner-only file {@code name} in {@code directory}; its reference. */
  static String write(Path directory, String name, String secret) throws IOException {
    Path file = Files.createFile(directory.resolve(name).toAbsolutePath(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, secret);
    return "file:" + file;
  }

  /**
   * The card-token key's reference: the environment variable where it is set (the same tokens as
   * the deployment that shares it), else a fresh random key for this run (the job's state lives as long).
   */
  static String tokenKey(Path directory) throws IOException {
    if (System.getenv(InputOptions.TOKEN_KEY_ENV) != null) {
      return "env:" + InputOptions.TOKEN_KEY_ENV;
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return write(directory, "token-key", HexFormat.of().formatHex(key));
  }
}
