package dev.riskstream.job;

import dev.riskstream.features.bundle.InvalidBundleException;
import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.features.bundle.ModelManifest;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.io.settings.SecretReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Transactions, payloads and settings shared by the job's tests. */
public final class TestData {

  public static final byte[] TOKEN_KEY = "test-token-key-0123456789".getBytes(StandardCharsets.UTF_8);
  /** The tests' token key in a file, as a deployment mounts it: the job reads it where it parses. */
  public static final Path TOKEN_KEY_FILE = secretFile("token-key", new String(TOKEN_KEY, StandardCharsets.UTF_8));
  /** The tests' token key and no card keys. */
  public static final PiiKeys PII = new PiiKeys(SecretReference.file(TOKEN_KEY_FILE), null, Duration.ofMinutes(1));
  public static final Instant START = Instant.parse("2026-03-02T12:00:00Z");
  /** The committed baseline bundle; tests run from the module directory. */
  public static final Path BASELINE_BUNDLE = Path.of("..", "models", "baseline");

  private static final AvroCodec<Transaction> CODEC = AvroCodec.of(Transaction.class);

  private TestData() {}

  /** A file holding {@code secret}, readable by this user only, gone when the JVM ends. */
  public static Path secretFile(String name, String secret) {
    try {
      Path file = Files.createTempFile(name, ".secret");
      file.toFile().deleteOnExit();
      return Files.writeString(file, secret);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Transaction.Builder transaction(int i) {
    return Transaction.newBuilder()
        .setTransactionId("tx-" + i)
        .setCardNumber("41111111111111" + String.format("%02d", i % 7))
        .setCustomerId("cust-" + i % 7)
        .setMerchantId("merchant-" + i % 5)
        .setMerchantCategory("5411")
        .setMerchantName("Марка " + i)
        .setAmountMinor(1_000 + i)
        .setCurrency("EUR")
        .setCountry("DE")
        .setChannel(Channel.POS)
        .setEventTime(START.plusSeconds(30L * i));
  }

  /**
   * Writes the baseline's model as bundle {@code version} with other thresholds into {@code directory};
   * returns the directory. A second model version whose scores are known.
   */
  /** The baseline's model and thresholds under another version, as a retrained bundle would arrive. */
  public static Path baselineAs(Path directory, String version) throws InvalidBundleException, IOException {
    return baselineAs(directory, version, ModelBundle.load(BASELINE_BUNDLE).manifest().thresholds());
  }

  public static Path baselineAs(Path directory, String version, ModelManifest.Thresholds thresholds)
      throws InvalidBundleException, IOException {
    ModelBundle baseline = ModelBundle.load(BASELINE_BUNDLE);
    ModelManifest m = baseline.manifest();
    ModelBundle.write(directory, new ModelManifest(m.formatVersion(), version, m.createdAt(), null, m.input(),
        m.output(), m.featureVersions(), thresholds, m.training()), baseline.model());
    return directory;
  }

  public static RawRecord announcement(long offset, ModelUpdate update) {
    return new RawRecord("model-updates", 0, offset, 0, AvroCodec.of(ModelUpdate.class).encode(update));
  }

  public static byte[] encode(Transaction tx) {
    return CODEC.encode(tx);
  }

  /** {@code tx} as parsing passes it on, read from offset 0 at wall-clock time {@code receivedAt}. */
  public static ParsedTransaction parsed(Transaction tx, long receivedAt) {
    return new ParsedTransaction("transactions", 0, 0, 0, tx, receivedAt);
  }

  public static RawRecord raw(long offset, byte[] value) {
    return new RawRecord("transactions", 0, offset, 0L, value);
  }

  public static RawRecord raw(long offset, Transaction tx) {
    return raw(offset, encode(tx));
  }
}
