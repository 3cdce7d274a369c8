package dev.riskstream.features.privacy;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that card envelopes may be encrypted with, by key id. Several ids are live at
 * once so that producers can move to a new key while records under the old one are still in flight.
 *
 * <p>Text form, one {@code keyId=base64key} a line ({@code #} comments and blank lines ignored), the
 * key 32 bytes in standard Base64. {@link #toString()} names the ids only: the keys never reach a log.
 * Serializable, because the job ships it to its operators like the tokenization key.
 */
public final class CardKeys implements Serializable {

  private static final long serialVersionUID = 1L;

  /** No keys: every encrypted card is a dead letter with an unknown key. */
  public static final CardKeys NONE = new CardKeys(Map.of());

  static final int KEY_BYTES = 32;

  private final Map<String, byte[]> keys;

  private CardKeys(Map<String, byte[]> keys) {
    this.keys = keys;
  }

  /** Reads a key file; the error of a missing or malformed file names the file, never a key. */
  public static CardKeys load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("card key file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read card key file " + file, e);
    }
  }

  /** @param source where {@code text} comes from, for error messages */
  public static CardKeys parse(String text, String source) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1);
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(where + " is not keyId=base64key");
      }
      String id = line.substring(0, equals).strip();
      byte[] key;
      try {
        key = Base64.getDecoder().decode(line.substring(equals + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": the key of id '" + id + "' is not Base64");
      }
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException(where + ": the key of id '" + id + "' has " + key.length
            + " bytes, not the " + KEY_BYTES + " of AES-256");
      }
      if (keys.put(id, key) != null) {
        throw new IllegalArgumentException(where + ": key id '" + id + "' appears twice");
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no card key");
    }
    return new CardKeys(Map.copyOf(keys));
  }

  /** One line of a key file with a fresh random key, for tests and the demo's simulator. */
  public static String generateLine(String keyId) {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return keyId + "=" + Base64.getEncoder().encodeToString(key);
  }

  /** The key ids, sorted. */
  public SortedSet<String> ids() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(keys.keySet()));
  }

  Optional<SecretKey> key(String keyId) {
    byte[] key = keys.get(keyId);
    return key == null ? Optional.empty() : Optional.of(new SecretKeySpec(key, "AES"));
  }

  @Override
  public String toString() {
    return "CardKeys" + ids();
  }
}
