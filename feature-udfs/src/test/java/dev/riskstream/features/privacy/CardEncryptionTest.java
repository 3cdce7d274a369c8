package dev.riskstream.features.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.EncryptedCard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardEncryptionTest {

  private static final String PAN = "4539578763621486";
  private static final String OLD = CardKeys.generateLine("2026-01");
  private static final String NEW = CardKeys.generateLine("2026-02");
  private static final CardEncryption BOTH = new CardEncryption(CardKeys.parse(OLD + "\n" + NEW, "test"));

  @Test
  void roundTripsWithAFreshIvAndATagAndNoClearDigits() throws CardDecryptionException {
    EncryptedCard first = BOTH.encrypt("2026-02", PAN, "tx-1");
    EncryptedCard second = BOTH.encrypt("2026-02", PAN, "tx-1");

    assertThat(first.getKeyId()).isEqualTo("2026-02");
    assertThat(first.getIv().remaining()).isEqualTo(12);
    assertThat(first.getCiphertext().remaining()).as("PAN + 16-byte tag").isEqualTo(PAN.length() + 16);
    assertThat(new String(first.getCiphertext().array(), StandardCharsets.ISO_8859_1)).doesNotContain("4539");
    assertThat(second.getIv()).as("IV unique per envelope").isNotEqualTo(first.getIv());
    assertThat(second.getCiphertext()).isNotEqualTo(first.getCiphertext());
    assertThat(BOTH.decrypt(first, "tx-1")).isEqualTo(PAN);
    assertThat(BOTH.decrypt(second, "tx-1")).isEqualTo(PAN);
  }

  /** Rotation: envelopes under the old and the new key decrypt side by side. */
  @Test
  void decryptsUnderEveryLiveKeyId() throws CardDecryptionException {
    CardEncryption oldProducer = new CardEncryption(CardKeys.parse(OLD, "old"));
    CardEncryption newProducer = new CardEncryption(CardKeys.parse(NEW, "new"));
    assertThat(BOTH.decrypt(oldProducer.encrypt("2026-01", PAN, "tx-1"), "tx-1")).isEqualTo(PAN);
    assertThat(BOTH.decrypt(newProducer.encrypt("2026-02", "5500000000000004", "tx-2"), "tx-2"))
        .isEqualTo("5500000000000004");
  }

  @Test
  void anUnknownKeyIdIsItsOwnReason() {
    EncryptedCard retired = new CardEncryption(CardKeys.parse(CardKeys.generateLine("2025-12"), "x"))
        .encrypt("2025-12", PAN, "tx-1");
    assertReason(retired, "tx-1", DeadLetterReason.UNKNOWN_CARD_KEY, "2025-12");
  }

  @Test
  void anythingThatDoesNotAuthenticateFails() {
    EncryptedCard envelope = BOTH.encrypt("2026-01", PAN, "tx-1");
    for (int at : new int[] {0, PAN.length() - 1, PAN.length(), PAN.length() + 15}) {
      byte[] flipped = envelope.getCiphertext().array().clone();
      flipped[at] ^= 0x01;
      assertReason(with(envelope, envelope.getIv().array(), flipped), "tx-1",
          DeadLetterReason.CARD_DECRYPTION_FAILED, "authenticate");
    }
    byte[] otherIv = envelope.getIv().array().clone();
    otherIv[3] ^= 0x01;
    assertReason(with(envelope, otherIv, envelope.getCiphertext().array()), "tx-1",
        DeadLetterReason.CARD_DECRYPTION_FAILED, "authenticate");
    assertReason(envelope, "tx-2", DeadLetterReason.CARD_DECRYPTION_FAILED, "another transaction");
    // the same id, another key: a producer and the job out of step
    EncryptedCard otherKey = new CardEncryption(CardKeys.parse(CardKeys.generateLine("2026-01"), "x"))
        .encrypt("2026-01", PAN, "tx-1");
    assertReason(otherKey, "tx-1", DeadLetterReason.CARD_DECRYPTION_FAILED, "another key");
  }

  @Test
  void malformedEnvelopesFailWithoutDecrypting() {
    EncryptedCard envelope = BOTH.encrypt("2026-01", PAN, "tx-1");
    assertReason(with(envelope, new byte[16], envelope.getCiphertext().array()), "tx-1",
        DeadLetterReason.CARD_DECRYPTION_FAILED, "iv has 16 bytes");
    assertReason(with(envelope, envelope.getIv().array(), Arrays.copyOf(envelope.getCiphertext().array(), 16)),
        "tx-1", DeadLetterReason.CARD_DECRYPTION_FAILED, "16-byte tag");
    assertReason(with(envelope, envelope.getIv().array(), new byte[0]), "tx-1",
        DeadLetterReason.CARD_DECRYPTION_FAILED, "0 bytes");
  }

  @Test
  void keyFilesHoldSeveralIdsAndNeverShowTheKeys(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("card-keys.properties");
    Files.writeString(file, "# rotated monthly\n\n" + OLD + "\n  " + NEW + "  \n");
    CardKeys keys = CardKeys.load(file);
    assertThat(keys.ids()).containsExactly("2026-01", "2026-02");
    assertThat(keys.toString()).contains("2026-01", "2026-02")
        .doesNotContain(OLD.substring(OLD.indexOf('=') + 1)).doesNotContain(NEW.substring(NEW.indexOf('=') + 1));

    assertThatThrownBy(() -> CardKeys.load(dir.resolve("absent")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent").hasMessageContaining("does not exist");
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> CardKeys.parse("k=" + shortKey, "f"))
        .hasMessageContaining("16 bytes").hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> CardKeys.parse("k=not base64!", "f")).hasMessageContaining("not Base64")
        .hasMessageNotContaining("not base64!");
    assertThatThrownBy(() -> CardKeys.parse(OLD + "\n" + OLD, "f")).hasMessageContaining("twice");
    assertThatThrownBy(() -> CardKeys.parse("just-a-key", "f")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> CardKeys.parse("# nothing\n", "f")).hasMessageContaining("no card key");
  }

  @Test
  void encryptingUnderAnUnknownIdIsRefused() {
    assertThatThrownBy(() -> BOTH.encrypt("2099-01", PAN, "tx-1")).hasMessageContaining("2099-01");
  }

  private static EncryptedCard with(EncryptedCard envelope, byte[] iv, byte[] ciphertext) {
    return EncryptedCard.newBuilder(envelope).setIv(ByteBuffer.wrap(iv)).setCiphertext(ByteBuffer.wrap(ciphertext))
        .build();
  }

  private static void assertReason(EncryptedCard envelope, String transactionId, DeadLetterReason reason,
      String messagePart) {
    assertThatThrownBy(() -> BOTH.decrypt(envelope, transactionId))
        .isInstanceOf(CardDecryptionException.class)
        .hasMessageContaining(messagePart)
        .hasMessageNotContaining(PAN)
        .satisfies(e -> assertThat(((CardDecryptionException) e).reason()).isEqualTo(reason));
  }
}
