package dev.riskstream.features.privacy;

import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.EncryptedCard;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The {@link EncryptedCard} envelope: AES-256-GCM from the JDK ({@code AES/GCM/NoPadding}), a random
 * 96-bit IV per envelope, a 128-bit tag appended to the ciphertext, and the transactionId's UTF-8
 * bytes as additional authenticated data, so that an envelope copied into another transaction fails
 * authentication instead of lending its card to it.
 *
 * <p>Producers, tests and the simulator {@link #encrypt}; the job {@link #decrypt}s at ingestion.
 * Thread-safe: each call takes its own {@link Cipher}.
 */
public final class CardEncryption {

  static final int IV_BYTES = 12;
  static final int TAG_BYTES = 16;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final CardKeys keys;
  private final SecureRandom random = new SecureRandom();

  public CardEncryption(CardKeys keys) {
    this.keys = keys;
  }

  public EncryptedCard encrypt(String keyId, String pan, String transactionId) {
    SecretKey key = keys.key(keyId)
        .orElseThrow(() -> new IllegalArgumentException("no card key with id '" + keyId + "'"));
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv, transactionId);
      byte[] ciphertext = cipher.doFinal(pan.getBytes(StandardCharsets.US_ASCII));
      return EncryptedCard.newBuilder().setKeyId(keyId).setIv(ByteBuffer.wrap(iv))
          .setCiphertext(ByteBuffer.wrap(ciphertext)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt with " + TRANSFORMATION, e);
    }
  }

  /**
   * @return the PAN, unvalidated
   * @throws CardDecryptionException {@link DeadLetterReason#UNKNOWN_CARD_KEY} for a key id not
   *     among the keys, {@link DeadLetterReason#CARD_DECRYPTION_FAILED} for a malformed envelope or a
   *     tag that does not verify (wrong key, altered bytes, another transaction's envelope)
   */
  public String decrypt(EncryptedCard envelope, String transactionId) throws CardDecryptionException {
    SecretKey key = keys.key(envelope.getKeyId()).orElseThrow(() -> new CardDecryptionException(
        DeadLetterReason.UNKNOWN_CARD_KEY,
        "encryptedCard key id '" + envelope.getKeyId() + "' is not one of the card keys " + keys.ids()));
    byte[] iv = bytes(envelope.getIv());
    byte[] ciphertext = bytes(envelope.getCiphertext());
    if (iv.length != IV_BYTES) {
      throw failed("encryptedCard iv has " + iv.length + " bytes, not " + IV_BYTES);
    }
    if (ciphertext.length <= TAG_BYTES) {
      throw failed("encryptedCard ciphertext has " + ciphertext.length + " bytes, no more than its "
          + TAG_BYTES + "-byte tag");
    }
    try {
      byte[] pan = cipher(Cipher.DECRYPT_MODE, key, iv, transactionId).doFinal(ciphertext);
      String text = new String(pan, StandardCharsets.US_ASCII);
      Arrays.fill(pan, (byte) 0);
      return text;
    } catch (AEADBadTagException e) {
      throw failed("encryptedCard does not authenticate with key id '" + envelope.getKeyId()
          + "': another key, altered bytes, or the envelope of another transaction");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt with " + TRANSFORMATION, e);
    }
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] iv, String transactionId)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
    cipher.updateAAD(transactionId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static CardDecryptionException failed(String message) {
    return new CardDecryptionException(DeadLetterReason.CARD_DECRYPTION_FAILED, message);
  }

  /** The remaining bytes, leaving the record's buffer as it was. */
  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
