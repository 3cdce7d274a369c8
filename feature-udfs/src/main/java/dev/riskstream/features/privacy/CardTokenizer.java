package dev.riskstream.features.privacy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a PAN by its keyed HMAC-SHA256, hex-encoded: stable per card for a given key, so it can
 * key state and join labels, and useless to anyone without the key. Not thread-safe (a {@link Mac}
 * is stateful); each Flink subtask holds its own.
 */
public final class CardTokenizer {

  private static final String ALGORITHM = "HmacSHA256";
  private final Mac mac;

  public CardTokenizer(byte[] key) {
    if (key == null || key.length < 16) {
      throw new IllegalArgumentException("the card tokenization key must have at least 16 bytes");
    }
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("cannot initialise " + ALGORITHM, e);
    }
  }

  public String token(String pan) {
    return HexFormat.of().formatHex(mac.doFinal(pan.getBytes(StandardCharsets.US_ASCII)));
  }
}
