package dev.riskstream.job;

import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.io.settings.SecretReference;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the keys that protect card numbers are: the card tokenization key and the keys of encrypted
 * card envelopes. The job graph carries this, the references; the keys are read where the records are
 * parsed. See the {@code pii.*} settings of {@link InputOptions}.
 *
 * @param cardKeys null: no keys, every encrypted card is a dead letter
 * @param cardKeysRefresh how often a card keys file is read again
 */
public record PiiKeys(SecretReference tokenKey, SecretReference cardKeys, Duration cardKeysRefresh)
    implements Serializable {

  static final int MIN_TOKEN_KEY_BYTES = 16;

  public PiiKeys {
    if (tokenKey == null) {
      throw new IllegalArgumentException("name the card tokenization key with " + InputOptions.TOKEN_KEY.key());
    }
    if (cardKeysRefresh.isNegative() || cardKeysRefresh.isZero()) {
      throw new IllegalArgumentException(InputOptions.CARD_KEYS_REFRESH.key() + " must be positive, not "
          + cardKeysRefresh);
    }
  }

  /** The keys of encrypted envelopes, if any are named. */
  public Optional<SecretReference> cardKeysReference() {
    return Optional.ofNullable(cardKeys);
  }

  /** The tokenization key, read now; absent or too short fails with where it was looked for. */
  public byte[] readTokenKey(Map<String, String> environment) {
    byte[] key = tokenKey.read(environment).map(text -> text.getBytes(StandardCharsets.UTF_8)).orElse(null);
    if (key == null || key.length < MIN_TOKEN_KEY_BYTES) {
      throw new IllegalArgumentException("the card tokenization key at " + tokenKey + " (" + InputOptions.TOKEN_KEY.key()
          + ") " + (key == null ? "is not set" : "has " + key.length + " bytes") + "; it must have at least "
          + MIN_TOKEN_KEY_BYTES);
    }
    return key;
  }

  /** The card keys, read now; {@link CardKeys#NONE} when none are named. */
  public CardKeys readCardKeys(Map<String, String> environment) {
    if (cardKeys == null) {
      return CardKeys.NONE;
    }
    return CardKeys.parse(cardKeys.require(environment), cardKeys.toString());
  }

  /**
   * Reads every key once, where the job is submitted, so that a key missing or malformed stops the
   * submission with its reason rather than failing each task as it starts, again at every restart.
   */
  public void requireReadable(Map<String, String> environment) {
    readTokenKey(environment);
    readCardKeys(environment);
  }
}
