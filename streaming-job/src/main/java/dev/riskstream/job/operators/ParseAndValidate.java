package dev.riskstream.job.operators;

import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.privacy.CardDecryptionException;
import dev.riskstream.features.privacy.CardTokenizer;
import dev.riskstream.features.validation.TransactionValidator;
import dev.riskstream.features.validation.Violation;
import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.InputSettings;
import dev.riskstream.job.PiiKeys;
import dev.riskstream.job.ParseResult;
import dev.riskstream.job.ParsedTransaction;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decodes, validates and tokenizes each record. Whatever cannot be scored becomes a dead letter with
 * a reason: one bad record never fails the job. The PAN leaves this operator only as a token.
 *
 * <p>In order: the size (before decoding, so an oversize payload costs no parsing), the Avro
 * encoding, the card (exactly one of {@code cardNumber} and {@code encryptedCard}; an envelope is
 * decrypted with the card keys, then handled as a clear PAN and dropped), the fields
 * ({@link TransactionValidator}), and the event time against the processing time. Strings pass as
 * Avro decodes them: any Unicode, NUL included; bytes that are not UTF-8 (such as an encoded lone
 * surrogate) read as U+FFFD.
 *
 * <p>It runs where records enter the job, in the Kafka source's deserializer
 * ({@link dev.riskstream.job.io.TransactionDeserializer}) or a map over other input
 * ({@link ParseRecords}), so that event time is taken from valid transactions only. Dead letters are
 * counted downstream, by {@link SplitRejected}, where a metric group is at hand.
 */
public final class ParseAndValidate implements Serializable {

  private static final long serialVersionUID = 1L;

  private final PiiKeys keys;
  private final InputSettings settings;
  private transient AvroCodec<Transaction> codec;
  private transient TransactionValidator validator;
  private transient CardTokenizer tokenizer;
  private transient WatchedCardKeys cards;

  public ParseAndValidate(PiiKeys keys, InputSettings settings) {
    this.keys = keys;
    this.settings = settings;
  }

  /** Before the first {@link #parse}, where the records are read: the keys are read here, never shipped. */
  public void open() {
    codec = AvroCodec.of(Transaction.class);
    validator = new TransactionValidator(CurrencyRates.bundled());
    tokenizer = new CardTokenizer(keys.readTokenKey(System.getenv()));
    cards = new WatchedCardKeys(keys.cardKeysReference(), keys.cardKeysRefresh());
    cards.open(System.getenv());
  }

  /**
   * @param now the processing time, in epoch milliseconds, at which the record was received: event
   *     time is judged against it, and the decision reports it
   */
  public ParseResult parse(RawRecord raw, long now) {
    int size = raw.value == null ? 0 : raw.value.length;
    if (size > settings.maxRecordBytes()) {
      return rejected(raw, DeadLetterReason.OVERSIZE,
          size + " bytes is more than the " + settings.maxRecordBytes() + " a record may have", now);
    }
    Transaction tx;
    try {
      tx = codec.decode(raw.value);
    } catch (DecodeException e) {
      return rejected(raw, e.reason(), e.getMessage(), now);
    }
    if ((tx.getCardNumber() == null) == (tx.getEncryptedCard() == null)) {
      return rejected(raw, DeadLetterReason.INVALID_FIELD, tx.getCardNumber() == null
          ? "neither cardNumber nor encryptedCard is set" : "both cardNumber and encryptedCard are set; send one",
          now);
    }
    if (tx.getEncryptedCard() != null) {
      try {
        tx.setCardNumber(decrypt(tx, now));
      } catch (CardDecryptionException e) {
        return rejected(raw, e.reason(), e.getMessage(), now);
      }
      // from here on the record is the same as one sent in clear, and leaves with the token only
      tx.setEncryptedCard(null);
    }
    Optional<Violation> violation = validator.validate(tx);
    if (violation.isPresent()) {
      return rejected(raw, violation.get().reason(), violation.get().message(), now);
    }
    Optional<String> outOfRange = eventTimeOutOfRange(tx.getEventTime(), now);
    if (outOfRange.isPresent()) {
      return rejected(raw, DeadLetterReason.EVENT_TIME_OUT_OF_RANGE, outOfRange.get(), now);
    }
    tx.setCardNumber(tokenizer.token(tx.getCardNumber()));
    return ParseResult.valid(new ParsedTransaction(raw.topic, raw.partition, raw.offset, size, tx, now));
  }

  /** An id not known may be a key just added to the file: read once more before the dead letter. */
  private String decrypt(Transaction tx, long now) throws CardDecryptionException {
    try {
      return cards.at(now).decrypt(tx.getEncryptedCard(), tx.getTransactionId());
    } catch (CardDecryptionException e) {
      if (e.reason() != DeadLetterReason.UNKNOWN_CARD_KEY || !cards.readEarly(now)) {
        throw e;
      }
      return cards.at(now).decrypt(tx.getEncryptedCard(), tx.getTransactionId());
    }
  }

  /**
   * Event time far from now is a producer's clock or unit error (seconds for milliseconds, a default
   * date): scored, it would move the watermark (ahead: every on-time transaction after it is late) or
   * fill state with history that expires at once (behind).
   */
  private Optional<String> eventTimeOutOfRange(Instant eventTime, long now) {
    Duration ahead = settings.maxEventTimeAhead();
    if (ahead != null && eventTime.toEpochMilli() - now > ahead.toMillis()) {
      return Optional.of("eventTime " + eventTime + " is more than " + ahead + " after the processing time "
          + Instant.ofEpochMilli(now));
    }
    Duration behind = settings.maxEventTimeBehind();
    if (behind != null && now - eventTime.toEpochMilli() > behind.toMillis()) {
      return Optional.of("eventTime " + eventTime + " is more than " + behind + " before the processing time "
          + Instant.ofEpochMilli(now));
    }
    return Optional.empty();
  }

  private static ParseResult rejected(RawRecord raw, DeadLetterReason reason, String message, long now) {
    return ParseResult.rejected(DeadLetters.build(raw.topic, raw.partition, raw.offset, reason, message,
        raw.payloadPreview(), raw.payloadSize(), now));
  }
}
