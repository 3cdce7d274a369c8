package dev.riskstream.job.operators;

import dev.riskstream.features.privacy.CardEncryption;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.io.settings.SecretReference;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The card keys a parser decrypts envelopes with, kept current with the file they come from, so that
 * keys rotate without a restart: a key is added to the file (a Kubernetes Secret volume shows the
 * change within a minute or so), producers move to it, the old one is removed later. The file is read
 * again every refresh interval, and early when an envelope names an id not known, so that a producer
 * that moved before the interval came round loses nothing. A file that does not parse any more
 * leaves the keys in use as they were, with a warning: a bad edit must not turn every encrypted card
 * into a dead letter. Keys from an environment variable cannot change while the process runs.
 */
final class WatchedCardKeys {

  private static final Logger LOG = LoggerFactory.getLogger(WatchedCardKeys.class);
  // an unknown id is a producer's mistake as often as a rotation: at most one early read a second
  private static final long EARLIEST_EARLY_READ_MS = 1_000;
  private static final long NOT_YET = Long.MIN_VALUE;

  private final Optional<SecretReference> reference;
  private final long refreshMs;
  private CardEncryption current;
  private String text;
  private String refused;
  private long lastRead;

  WatchedCardKeys(Optional<SecretReference> reference, Duration refresh) {
    this.reference = reference;
    this.refreshMs = refresh.toMillis();
  }

  /** Reads the keys; a missing or malformed source fails here, when the parser opens. */
  void open(Map<String, String> environment) {
    text = reference.map(source -> source.require(environment)).orElse(null);
    current = new CardEncryption(text == null ? CardKeys.NONE : CardKeys.parse(text, reference.get().toString()));
    lastRead = NOT_YET;
  }

  /**
   * The keys to decrypt with at {@code now}, read again if the interval has passed. Time is the
   * parser's processing time, which the first call starts the interval from.
   */
  CardEncryption at(long now) {
    if (lastRead == NOT_YET) {
      lastRead = now;
    } else if (now - lastRead >= refreshMs) {
      readAgain(now);
    }
    return current;
  }

  /** Reads the file again at once, unless it was read within the last second; whether the keys changed. */
  boolean readEarly(long now) {
    return lastRead != NOT_YET && now - lastRead >= EARLIEST_EARLY_READ_MS && readAgain(now);
  }

  private boolean readAgain(long now) {
    lastRead = now;
    if (reference.flatMap(SecretReference::file).isEmpty()) {
      return false;
    }
    SecretReference source = reference.get();
    String latest;
    try {
      latest = source.require();
    } catch (IllegalArgumentException e) {
      LOG.warn("Card keys of {} not read again, the keys read before stay in use: {}", source, e.getMessage());
      return false;
    }
    if (latest.equals(text) || latest.equals(refused)) {
      return false;
    }
    try {
      CardKeys keys = CardKeys.parse(latest, source.toString());
      current = new CardEncryption(keys);
      text = latest;
      LOG.info("Card keys read again from {}: now {}", source, keys);
      return true;
    } catch (IllegalArgumentException e) {
      // warned once per content: the same bad file is not worth a line a second
      refused = latest;
      LOG.warn("Card keys of {} not read again, the keys read before stay in use: {}", source, e.getMessage());
      return false;
    }
  }
}
