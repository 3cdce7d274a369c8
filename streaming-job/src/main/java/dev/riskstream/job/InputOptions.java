package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Settings of the area "Input": what the job accepts, how it protects card numbers, and how long it
 * remembers transactionIds.
 */
public final class InputOptions {

  public static final String TOKEN_KEY_ENV = "RISKSTREAM_TOKEN_KEY";

  public static final ConfigOption<String> TOKEN_KEY =
      key("pii.token-key").stringType().defaultValue("env:" + TOKEN_KEY_ENV)
          .withDescription("Where the secret key (at least 16 bytes) of the HMAC that replaces PANs by card tokens "
              + "is: env:NAME, an environment variable, or file:PATH, a file such as a mounted Secret. Read by each "
              + "TaskManager as the job starts there, and once at submission to fail early; the job graph holds this "
              + "reference only. A new key gives every card a new token, and so new state: it is changed with a new "
              + "job, not while one runs.");
  public static final ConfigOption<String> CARD_KEYS =
      key("pii.card-keys").stringType().noDefaultValue()
          .withDescription("Where the AES-256 keys of encrypted card numbers (Transaction.encryptedCard) are, "
              + "env:NAME or file:PATH; their text is one keyId=base64key a line, listing every id producers may "
              + "still use while keys rotate. A file is read again every pii.card-keys-refresh, and at once (at most "
              + "once a second) when an envelope names an id not known: a key added to the file is used without a "
              + "restart. Unset: an encrypted card is a dead letter (UNKNOWN_CARD_KEY).");
  public static final ConfigOption<Duration> CARD_KEYS_REFRESH =
      key("pii.card-keys-refresh").durationType().defaultValue(Duration.ofMinutes(1))
          .withDescription("How often a card keys file is read again for changes. A file that no longer parses "
              + "leaves the keys read before in use, with a warning in the TaskManager's log.");
  public static final ConfigOption<Integer> MAX_RECORD_BYTES =
      key("input.max-record-bytes").intType().defaultValue(16_384)
          .withDescription("Largest transaction record, in bytes; a larger one becomes a dead letter (OVERSIZE) "
              + "without being decoded. A transaction is about 200 bytes; the bound leaves room for long merchant "
              + "names in any script and stops a producer's mistake from costing a decode.");
  public static final ConfigOption<Duration> MAX_EVENT_TIME_AHEAD =
      key("input.max-event-time-ahead").durationType().defaultValue(Duration.ofDays(1))
          .withDescription("How far a transaction's eventTime may lie after the processing time; beyond, it "
              + "becomes a dead letter (EVENT_TIME_OUT_OF_RANGE): scored, it would move the watermark so far "
              + "that every later transaction is late. A day covers clock skew and time-zone mistakes.");
  public static final ConfigOption<Duration> MAX_EVENT_TIME_BEHIND =
      key("input.max-event-time-behind").durationType().noDefaultValue()
          .withDescription("How far a transaction's eventTime may lie before the processing time; beyond, it "
              + "becomes a dead letter (EVENT_TIME_OUT_OF_RANGE). Unset: unchecked, because a job that catches up "
              + "after an outage, or replays a topic, reads old transactions legitimately; set it above the "
              + "topic's retention (e.g. P30D) to catch epoch-zero and seconds-for-milliseconds mistakes.");
  public static final ConfigOption<Duration> DEDUP_HORIZON =
      key("dedup.horizon").durationType().defaultValue(Duration.ofHours(1))
          .withDescription("A transaction whose transactionId was already seen within this much event time "
              + "after the first one's becomes a dead letter (DUPLICATE) and is not scored. Keyed state holds "
              + "about one horizon of transactionIds (some 60 bytes each), so an hour covers producer retries "
              + "and redeliveries at a bounded cost; longer catches late replays.");

  /** Every setting of this area, in the order the configuration page lists them. */
  public static final OptionGroup GROUP = new OptionGroup("Input",
      "What the job accepts, how it protects card numbers, and how long it remembers transactionIds.",
      List.of(TOKEN_KEY, CARD_KEYS, CARD_KEYS_REFRESH, MAX_RECORD_BYTES, MAX_EVENT_TIME_AHEAD, MAX_EVENT_TIME_BEHIND,
          DEDUP_HORIZON),
      List.of(CARD_KEYS, MAX_EVENT_TIME_BEHIND));

  private InputOptions() {}
}
