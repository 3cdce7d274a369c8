package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.privacy.CardEncryption;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.job.InputSettings;
import dev.riskstream.job.ParseResult;
import dev.riskstream.job.ParsedTransaction;
import dev.riskstream.job.PiiKeys;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.EncryptedCard;
import dev.riskstream.schemas.Transaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per class of bad input: each becomes one dead letter with its reason, and traffic around it flows. */
class ParseAndValidateTest {

  static final int MAX_RECORD_BYTES = 2_048;
  static final InputSettings SETTINGS =
      new InputSettings(MAX_RECORD_BYTES, Duration.ofDays(1), Duration.ofDays(30), Duration.ofHours(1));
  /** The PAN of the bad records, and the digits of it no output may show. */
  private static final String PAN = "4539578763621486";
  /** Two live key ids, as while producers move from the older to the newer. */
  private static final String OLDER_KEY = CardKeys.generateLine("2026-01");
  private static final String NEWER_KEY = CardKeys.generateLine("2026-02");
  private static final CardEncryption PRODUCER =
      new CardEncryption(CardKeys.parse(OLDER_KEY + "\n" + NEWER_KEY, "test keys"));
  private static final Path CARD_KEYS = TestData.secretFile("card-keys", OLDER_KEY + "\n" + NEWER_KEY + "\n");

  private final List<ParseResult> results = new ArrayList<>();
  private ParseAndValidate parser;
  private long offset;
  private long now = TestData.START.toEpochMilli();

  @BeforeEach
  void open() {
    parser = opened(SETTINGS);
  }

  private static ParseAndValidate opened(InputSettings settings) {
    return opened(settings, CARD_KEYS);
  }

  private static ParseAndValidate opened(InputSettings settings, Path cardKeys) {
    ParseAndValidate parser = new ParseAndValidate(new PiiKeys(TestData.PII.tokenKey(), SecretReference.file(cardKeys),
        Duration.ofMinutes(1)), settings);
    parser.open();
    return parser;
  }

  /** Parses at the processing time {@link #now}, from {@link TestData#START}: the event times of TestData are recent. */
  private void parse(RawRecord raw) {
    results.add(parser.parse(raw, now));
  }

  private List<DeadLetter> deadLetters() {
    return results.stream().filter(result -> result.rejected != null).map(result -> result.rejected).toList();
  }

  private List<ParsedTransaction> valid() {
    return results.stream().filter(result -> result.valid != null).map(result -> result.valid).toList();
  }

  private List<Transaction> passed() {
    return valid().stream().map(parsed -> parsed.transaction).toList();
  }

  /**
   * Sends a valid transaction, the bad payload, and another valid one; asserts that exactly the bad one
   * became a dead letter with {@code reason}, at its coordinates, without the PAN, and returns it.
   */
  private DeadLetter deadLettered(byte[] bad, DeadLetterReason reason) throws Exception {
    int before = passed().size();
    int lettersBefore = deadLetters().size();
    parse(TestData.raw(offset++, TestData.transaction((int) offset).build()));
    long badOffset = offset++;
    parse(TestData.raw(badOffset, bad));
    parse(TestData.raw(offset++, TestData.transaction((int) offset).build()));

    assertThat(passed()).as("the valid transactions around it").hasSize(before + 2);
    assertThat(deadLetters()).hasSize(lettersBefore + 1);
    DeadLetter letter = deadLetters().get(lettersBefore);
    assertThat(letter.getReason()).as(letter.getErrorMessage()).isEqualTo(reason);
    assertThat(letter.getSourceTopic()).isEqualTo("transactions");
    assertThat(letter.getOffset()).isEqualTo(badOffset);
    assertThat(letter.getPayloadSize()).isEqualTo(bad == null ? 0 : bad.length);
    assertThat(letter.getErrorMessage()).isNotBlank();
    assertNoPan(letter);
    return letter;
  }

  private static void assertNoPan(DeadLetter letter) {
    String text = letter.getErrorMessage() + "\n" + letter.getPayloadPreview();
    assertThat(text).doesNotContain(PAN).doesNotContain(PAN.substring(0, 12))
        .doesNotContain("4539 5787 6362 1486").doesNotContain("4539-5787-6362-1486");
  }

  private static byte[] encode(UnaryOperator<Transaction.Builder> change) {
    return TestData.encode(change.apply(TestData.transaction(1000).setCardNumber(PAN)).build());
  }

  /** Transaction 1000 with {@code envelope} instead of the clear PAN. */
  private static byte[] encrypted(EncryptedCard envelope, UnaryOperator<Transaction.Builder> change) {
    return encode(b -> change.apply(b.setCardNumber(null).setEncryptedCard(envelope)));
  }

  /** The PAN encrypted for transaction 1000, as {@link #encode} writes it. */
  private static EncryptedCard envelope(String keyId, String pan) {
    return PRODUCER.encrypt(keyId, pan, "tx-1000");
  }

  /** A record written with a schema derived from Transaction's by {@code change}, as a producer with its own would. */
  private static byte[] encodeWithSchema(UnaryOperator<List<Schema.Field>> change, String setField, Object value) {
    List<Schema.Field> fields = change.apply(Transaction.getClassSchema().getFields().stream()
        .map(f -> new Schema.Field(f, f.schema())).toList());
    Schema schema = Schema.createRecord("Transaction", null, "dev.riskstream.schemas", false, fields);
    Transaction tx = TestData.transaction(1000).setCardNumber(PAN).build();
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Object original = tx.hasField(field.name()) ? tx.get(field.name()) : null;
      record.put(field.name(), original instanceof java.time.Instant t ? t.toEpochMilli()
          : original instanceof Enum<?> e ? new GenericData.EnumSymbol(field.schema(), e.name()) : original);
    }
    if (setField != null) {
      record.put(setField, value);
    }
    try {
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record).array();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void passesValidTransactionsWithThePanReplacedByItsTokenAndTheirCoordinates() throws Exception {
    Transaction tx = TestData.transaction(1).build();
    parse(TestData.raw(7, tx));

    List<ParsedTransaction> out = valid();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).transaction.getCardNumber()).hasSize(64).doesNotContain(tx.getCardNumber());
    assertThat(out.get(0).transaction.getMerchantName()).isEqualTo(tx.getMerchantName());
    assertThat(out.get(0).offset).isEqualTo(7);
    assertThat(out.get(0).payloadSize).isEqualTo(TestData.encode(tx).length);
    assertThat(deadLetters()).isEmpty();
  }

  /** Same PAN, same token: card history and labels join across producers that encrypt and those that do not. */
  @Test
  void anEncryptedPanIsTokenizedLikeTheClearOneUnderEveryLiveKey() throws Exception {
    parse(TestData.raw(1, encode(b -> b)));
    parse(TestData.raw(2, encrypted(envelope("2026-01", PAN), b -> b)));
    parse(TestData.raw(3, encrypted(envelope("2026-02", PAN), b -> b)));

    assertThat(deadLetters()).isEmpty();
    List<Transaction> out = passed();
    assertThat(out).hasSize(3);
    String clearToken = out.get(0).getCardNumber();
    assertThat(clearToken).hasSize(64).isNotEqualTo(PAN);
    assertThat(out).extracting(Transaction::getCardNumber).containsOnly(clearToken);
    assertThat(out).extracting(Transaction::getEncryptedCard).as("the envelope goes no further").containsOnlyNulls();
  }

  @Test
  void anUnknownCardKeyIsADeadLetter() throws Exception {
    EncryptedCard retired = new CardEncryption(CardKeys.parse(CardKeys.generateLine("2025-12"), "retired"))
        .encrypt("2025-12", PAN, "tx-1000");
    DeadLetter letter = deadLettered(encrypted(retired, b -> b), DeadLetterReason.UNKNOWN_CARD_KEY);
    assertThat(letter.getErrorMessage()).contains("2025-12");
  }

  /** Keys rotate as a mounted Secret changes: added, broken by a bad edit, removed; the job never restarts. */
  @Test
  void theCardKeysFileIsReadAgainAsItChanges(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("card-keys"), OLDER_KEY + "\n");
    parser = opened(SETTINGS, file);
    String added = CardKeys.generateLine("2026-03");
    EncryptedCard underAdded = new CardEncryption(CardKeys.parse(added, "producer")).encrypt("2026-03", PAN, "tx-1000");
    deadLettered(encrypted(underAdded, b -> b), DeadLetterReason.UNKNOWN_CARD_KEY);

    Files.writeString(file, OLDER_KEY + "\n" + added + "\n");
    now += 1_000;
    parse(TestData.raw(offset++, encrypted(underAdded, b -> b)));
    assertThat(passed()).as("an unknown id reads the file at once, a second after the last read").hasSize(3);

    Files.writeString(file, "2026-03 without a key\n");
    now += Duration.ofMinutes(2).toMillis();
    parse(TestData.raw(offset++, encrypted(underAdded, b -> b)));
    parse(TestData.raw(offset++, encrypted(envelope("2026-01", PAN), b -> b)));
    assertThat(passed()).as("a file that does not parse leaves the keys as they were").hasSize(5);

    Files.writeString(file, added + "\n");
    now += Duration.ofMinutes(1).toMillis();
    parse(TestData.raw(offset++, encrypted(underAdded, b -> b)));
    assertThat(passed()).hasSize(6);
    deadLettered(encrypted(envelope("2026-01", PAN), b -> b), DeadLetterReason.UNKNOWN_CARD_KEY);
  }

  @Test
  void anEnvelopeThatDoesNotAuthenticateIsADeadLetter() throws Exception {
    EncryptedCard envelope = envelope("2026-01", PAN);
    byte[] tampered = envelope.getCiphertext().array().clone();
    tampered[tampered.length - 1] ^= 0x01;
    deadLettered(encrypted(EncryptedCard.newBuilder(envelope).setCiphertext(ByteBuffer.wrap(tampered)).build(),
        b -> b), DeadLetterReason.CARD_DECRYPTION_FAILED);
    deadLettered(encrypted(EncryptedCard.newBuilder(envelope).setIv(ByteBuffer.wrap(new byte[8])).build(), b -> b),
        DeadLetterReason.CARD_DECRYPTION_FAILED);
    // the same key id, another key: producer and job out of step
    EncryptedCard otherKey = new CardEncryption(CardKeys.parse(CardKeys.generateLine("2026-02"), "stale"))
        .encrypt("2026-02", PAN, "tx-1000");
    deadLettered(encrypted(otherKey, b -> b), DeadLetterReason.CARD_DECRYPTION_FAILED);
  }

  /** The transactionId is authenticated with the PAN: a valid envelope copied into another transaction fails. */
  @Test
  void anEnvelopeMovedToAnotherTransactionIsADeadLetter() throws Exception {
    DeadLetter letter = deadLettered(encrypted(envelope("2026-01", PAN), b -> b.setTransactionId("tx-1001")),
        DeadLetterReason.CARD_DECRYPTION_FAILED);
    assertThat(letter.getErrorMessage()).contains("another transaction");
  }

  @Test
  void exactlyOneOfTheCardFieldsIsSet() throws Exception {
    assertThat(deadLettered(encode(b -> b.setCardNumber(null)), DeadLetterReason.INVALID_FIELD).getErrorMessage())
        .contains("neither");
    assertThat(deadLettered(encrypted(envelope("2026-01", PAN), b -> b.setCardNumber(PAN)),
        DeadLetterReason.INVALID_FIELD).getErrorMessage()).contains("both");
  }

  /**
   * A decrypted PAN is validated like a clear one, and a record rejected after decryption shows neither
   * the PAN nor the decoded record: {@link #deadLettered} checks message and preview.
   */
  @Test
  void aDecryptedRecordIsValidatedAndItsDeadLetterHoldsNoPan() throws Exception {
    deadLettered(encrypted(envelope("2026-01", "4539-abc"), b -> b), DeadLetterReason.INVALID_FIELD);
    deadLettered(encrypted(envelope("2026-02", PAN), b -> b.setCountry("Germany " + PAN)),
        DeadLetterReason.INVALID_FIELD);
    deadLettered(encrypted(envelope("2026-02", PAN), b -> b.setCurrency("XXX")), DeadLetterReason.UNKNOWN_CURRENCY);
  }

  @Test
  void notAvro() throws Exception {
    DeadLetter letter = deadLettered(("{\"cardNumber\":\"" + PAN + "\"}").getBytes(StandardCharsets.UTF_8),
        DeadLetterReason.NOT_AVRO);
    assertThat(letter.getPayloadPreview()).isEqualTo("{\"cardNumber\":\"[PAN]\"}");
  }

  @Test
  void truncatedAvro() throws Exception {
    byte[] valid = encode(b -> b);
    deadLettered(Arrays.copyOf(valid, valid.length - 9), DeadLetterReason.CORRUPT_AVRO);
    deadLettered(Arrays.copyOf(valid, 5), DeadLetterReason.NOT_AVRO);
  }

  @Test
  void unknownSchemaFingerprint() throws Exception {
    byte[] otherFingerprint = encode(b -> b);
    otherFingerprint[4] ^= 0x5A;
    deadLettered(otherFingerprint, DeadLetterReason.UNKNOWN_SCHEMA);
  }

  @Test
  void nullAndEmptyValues() throws Exception {
    deadLettered(null, DeadLetterReason.EMPTY_PAYLOAD);
    deadLettered(new byte[0], DeadLetterReason.EMPTY_PAYLOAD);
  }

  /**
   * Avro binary has no absent field: a producer that leaves one out writes another schema (unknown
   * fingerprint); one that sends an empty value fails validation.
   */
  @Test
  void missingRequiredField() throws Exception {
    deadLettered(encodeWithSchema(fields -> fields.stream().filter(f -> !f.name().equals("merchantId")).toList(),
        null, null), DeadLetterReason.UNKNOWN_SCHEMA);
    deadLettered(encode(b -> b.setMerchantId("")), DeadLetterReason.INVALID_FIELD);
    deadLettered(encode(b -> b.setTransactionId(" ")), DeadLetterReason.INVALID_FIELD);
  }

  @Test
  void negativeZeroOrAbsurdAmount() throws Exception {
    deadLettered(encode(b -> b.setAmountMinor(-1)), DeadLetterReason.INVALID_FIELD);
    deadLettered(encode(b -> b.setAmountMinor(0)), DeadLetterReason.INVALID_FIELD);
    deadLettered(encode(b -> b.setAmountMinor(Long.MAX_VALUE)), DeadLetterReason.INVALID_FIELD);
    DeadLetter absurd = deadLettered(encode(b -> b.setAmountMinor(2_000_000_000L).setCurrency("EUR")),
        DeadLetterReason.INVALID_FIELD);
    assertThat(absurd.getErrorMessage()).contains("exceeds");
  }

  /**
   * The contract has no floating-point field (amounts are minor units in a long), so NaN cannot be
   * written in a Transaction: a producer with a double amount writes another schema, and NaN as text
   * is not Avro.
   */
  @Test
  void nanWhereANumberIsExpected() throws Exception {
    deadLettered(encodeWithSchema(fields -> fields.stream().map(f -> f.name().equals("amountMinor")
        ? new Schema.Field("amountMinor", Schema.create(Schema.Type.DOUBLE)) : f).toList(), "amountMinor", Double.NaN),
        DeadLetterReason.UNKNOWN_SCHEMA);
    deadLettered("NaN".getBytes(StandardCharsets.US_ASCII), DeadLetterReason.NOT_AVRO);
  }

  @Test
  void unknownCurrency() throws Exception {
    deadLettered(encode(b -> b.setCurrency("XXX")), DeadLetterReason.UNKNOWN_CURRENCY);
    deadLettered(encode(b -> b.setCurrency(PAN)), DeadLetterReason.UNKNOWN_CURRENCY);
  }

  @Test
  void eventTimeFarInTheFutureOrPast() throws Exception {
    deadLettered(encode(b -> b.setEventTime(TestData.START.plus(Duration.ofDays(1)).plusMillis(1))),
        DeadLetterReason.EVENT_TIME_OUT_OF_RANGE);
    DeadLetter past = deadLettered(encode(b -> b.setEventTime(java.time.Instant.EPOCH)),
        DeadLetterReason.EVENT_TIME_OUT_OF_RANGE);
    assertThat(past.getErrorMessage()).contains("1970-01-01T00:00:00Z").contains("before");

    parse(TestData.raw(offset++, encode(b -> b.setEventTime(TestData.START.plus(Duration.ofDays(1))))));
    parse(TestData.raw(offset++, encode(b -> b.setEventTime(TestData.START.minus(Duration.ofDays(30))))));
    assertThat(deadLetters()).as("the bounds themselves are in range").hasSize(2);
  }

  @Test
  void eventTimeIsUncheckedWithoutBounds() throws Exception {
    parser = opened(new InputSettings(MAX_RECORD_BYTES, null, null, Duration.ofHours(1)));
    parse(TestData.raw(1, encode(b -> b.setEventTime(java.time.Instant.EPOCH))));
    parse(TestData.raw(2, encode(b -> b.setEventTime(TestData.START.plus(Duration.ofDays(3650))))));
    assertThat(passed()).hasSize(2);
  }

  @Test
  void oversizeRecordsAreNotDecoded() throws Exception {
    byte[] oversize = encode(b -> b.setMerchantName("x".repeat(MAX_RECORD_BYTES)));
    DeadLetter letter = deadLettered(oversize, DeadLetterReason.OVERSIZE);
    assertThat(letter.getPayloadPreview()).hasSizeLessThan(4 * RawRecord.PREVIEW_BYTES + 1);

    int overhead = encode(b -> b.setMerchantName("x".repeat(1000))).length - 1000;
    byte[] justFits = encode(b -> b.setMerchantName("x".repeat(MAX_RECORD_BYTES - overhead)));
    assertThat(justFits).hasSize(MAX_RECORD_BYTES);
    parse(TestData.raw(offset++, justFits));
    assertThat(deadLetters()).hasSize(1);
  }

  /** Merchant names are any Unicode and pass as they are; bytes that are not UTF-8 read as U+FFFD. */
  @Test
  void unicodeEdgeCasesPassThrough() throws Exception {
    List<String> names = List.of("Cafe\u0301 Zo\u0308e", "\u05de\u05e1\u05e2\u05d3\u05d4 \u202eabc\u202c",
        "Pizza \uD83C\uDF55\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "nul\u0000inside", "\uFEFFbom");
    for (String name : names) {
      parse(TestData.raw(offset++, encode(b -> b.setMerchantName(name))));
    }
    // a lone high surrogate as CESU-8 writes it (ED A0 80) where "QQQ" was: not UTF-8
    byte[] loneSurrogate = encode(b -> b.setMerchantName("shop QQQ"));
    int at = indexOf(loneSurrogate, "QQQ".getBytes(StandardCharsets.US_ASCII));
    loneSurrogate[at] = (byte) 0xED;
    loneSurrogate[at + 1] = (byte) 0xA0;
    loneSurrogate[at + 2] = (byte) 0x80;
    parse(TestData.raw(offset++, loneSurrogate));

    assertThat(deadLetters()).isEmpty();
    List<String> passedNames = passed().stream().map(Transaction::getMerchantName).toList();
    assertThat(passedNames.subList(0, names.size())).isEqualTo(names);
    assertThat(passedNames.get(names.size())).startsWith("shop \uFFFD").doesNotContain("QQQ");
  }

  /** A bad record's preview is ASCII whatever it holds, and masks the PAN wherever it hides. */
  @Test
  void previewsOfUnicodeAndPansInOtherFieldsStayValidAndMasked() throws Exception {
    DeadLetter inCategory = deadLettered(encode(b -> b.setMerchantCategory("4539 5787 6362 1486")
        .setMerchantName("\uD83D\uDCB3 \u05d7\u05e0\u05d5\u05ea\u0000")), DeadLetterReason.INVALID_FIELD);
    assertThat(inCategory.getPayloadPreview()).matches("[\\x20-\\x7e]*").contains("\\xf0\\x9f");
    deadLettered(encode(b -> b.setCardNumber("not-a-pan").setMerchantName("card " + PAN + " and "
        + "4539-5787-6362-1486")), DeadLetterReason.INVALID_FIELD);
    deadLettered(encode(b -> b.setCountry(PAN)), DeadLetterReason.INVALID_FIELD);
    // a 19-digit PAN glued to the next field's length byte, a digit in the binary preview
    deadLettered(encode(b -> b.setCardNumber(PAN + "123").setCustomerId("c".repeat(24)).setCurrency("ABC")),
        DeadLetterReason.UNKNOWN_CURRENCY);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
