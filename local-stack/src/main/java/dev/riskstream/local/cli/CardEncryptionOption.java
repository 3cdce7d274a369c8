package dev.riskstream.local.cli;

import dev.riskstream.features.privacy.CardEncryption;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.job.InputOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --encrypt-cards} of the commands that run the simulator and the job together: the simulator
 * sends every PAN encrypted under a random key made for the run, and the job decrypts it with the
 * same key, read from an owner-only key file that lives as long as the run. No card key lives in
 * the repository.
 */
final class CardEncryptionOption {

  @Option(names = "--encrypt-cards", description = "The simulator sends every PAN encrypted (Transaction v2 "
      + "encryptedCard) under a random AES-256 key made for this run; the job decrypts it with the same key.")
  boolean encryptCards;

  /** This run's card key, or null without {@code --encrypt-cards}. */
  RunCardKey create() throws IOException {
    return encryptCards ? RunCardKey.create() : null;
  }

  /** A per-run card key: its file for the job, the simulator's side of it; close deletes the file. */
  static final class RunCardKey implements AutoCloseable {

    private final Path file;
    private final SimulatorFeed.CardSealing sealing;

    private RunCardKey(Path file, SimulatorFeed.CardSealing sealing) {
      this.file = file;
      this.sealing = sealing;
    }

    static RunCardKey create() throws IOException {
      Path file = Files.createTempFile("riskstream-card-keys", ".properties",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        String keyId = "run-" + Instant.now().getEpochSecond();
        Files.writeString(file, CardKeys.generateLine(keyId) + "\n");
        return new RunCardKey(file, new SimulatorFeed.CardSealing(new CardEncryption(CardKeys.load(file)), keyId));
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(file);
        throw e;
      }
    }

    /** The job's setting that names the key file (an absolute path: cluster processes read it too). */
    Map<String, String> jobSettings() {
      return Map.of(InputOptions.CARD_KEYS.key(), "file:" + file.toAbsolutePath());
    }

    SimulatorFeed.CardSealing sealing() {
      return sealing;
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(file);
    }
  }
}
