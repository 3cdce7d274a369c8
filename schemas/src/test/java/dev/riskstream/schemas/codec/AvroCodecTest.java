package dev.riskstream.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.DriftReport;
import dev.riskstream.schemas.EncryptedCard;
import dev.riskstream.schemas.FeatureLogEntry;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.ModelStatus;
import dev.riskstream.schemas.ModelUpdate;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.PerformanceReport;
import dev.riskstream.schemas.RetrainRequest;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.RuleSetUpdate;
import dev.riskstream.schemas.Transaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

  static Stream<AvroCodec<? extends SpecificRecord>> topicCodecs() {
    return Stream.of(
        AvroCodec.of(Transaction.class), AvroCodec.of(Decision.class), AvroCodec.of(DeadLetter.class),
        AvroCodec.of(ModelUpdate.class), AvroCodec.of(ModelStatus.class), AvroCodec.of(FraudLabel.class),
        AvroCodec.of(DriftReport.class), AvroCodec.of(PerformanceReport.class), AvroCodec.of(RetrainRequest.class),
        AvroCodec.of(FeatureLogEntry.class), AvroCodec.of(RuleSetUpdate.class), AvroCodec.of(RuleSetStatus.class));
  }

  /** What the job writes to Kafka: the records whose writer version can be pinned. */
  static Stream<AvroCodec<? extends SpecificRecord>> outputCodecs() {
    return Stream.of(
        AvroCodec.of(Decision.class), AvroCodec.of(DeadLetter.class), AvroCodec.of(DriftReport.class),
        AvroCodec.of(RetrainRequest.class), AvroCodec.of(PerformanceReport.class), AvroCodec.of(ModelStatus.class),
        AvroCodec.of(ModelUpdate.class), AvroCodec.of(RuleSetStatus.class));
  }

  static Transaction transaction() {
    return Transaction.newBuilder()
        .setTransactionId("tx-1")
        .setCardNumber("4111111111111111")
        .setCustomerId("c-1")
        .setMerchantId("m-1")
        .setMerchantCategory("5411")
        .setMerchantName("Café Ōsaka 東京 – магазин")
        .setAmountMinor(12_345)
        .setCurrency("JPY")
        .setCountry("JP")
        .setChannel(Channel.ECOM)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
        .setDeviceId("dev-9")
        .build();
  }

  @Test
  void transactionRoundTripsWithUnicodeIntact() throws DecodeException {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    byte[] bytes = codec.encode(transaction());

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(Transaction.getClassSchema()));
    assertThat(codec.decode(bytes)).isEqualTo(transaction());
  }

  /** v2: the envelope instead of the clear PAN; a v1 producer's record reads with no envelope. */
  @Test
  void transactionWithAnEncryptedCardRoundTripsAndV1ReadsAsClear() throws DecodeException, IOException {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    Transaction encrypted = Transaction.newBuilder(transaction()).setCardNumber(null)
        .setEncryptedCard(EncryptedCard.newBuilder().setKeyId("k1")
            .setIv(ByteBuffer.wrap(new byte[12])).setCiphertext(ByteBuffer.wrap(new byte[32])).build())
        .build();
    assertThat(codec.decode(codec.encode(encrypted))).isEqualTo(encrypted);

    Schema v1 = codec.releasedSchemas().get(0);
    GenericRecord old = SampleRecords.sample(v1);
    Transaction read = codec.decode(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array());
    assertThat(read.getCardNumber()).isEqualTo("sample-cardNumber");
    assertThat(read.getEncryptedCard()).isNull();
  }

  static Decision decision() {
    return Decision.newBuilder()
        .setTransactionId("tx-1")
        .setCardToken("ab12")
        .setEventTime(Instant.ofEpochMilli(1))
        .setDecidedAt(Instant.ofEpochMilli(3))
        .setReceivedAt(Instant.ofEpochMilli(2))
        .setScore(0.25)
        .setOutcome(Outcome.REVIEW)
        .setReasons(List.of("SCORE_REVIEW"))
        .setModelVersion("baseline-1")
        .setExecutionProvider("cpu")
        .setLookupStatus(LookupStatus.NOT_CONFIGURED)
        .build();
  }

  @Test
  void decisionAndDeadLetterRoundTrip() throws DecodeException {
    AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
    assertThat(decisions.decode(decisions.encode(decision()))).isEqualTo(decision());

    DeadLetter letter =
        DeadLetter.newBuilder()
            .setSourceTopic("transactions")
            .setPartition(3)
            .setOffset(42)
            .setReason(DeadLetterReason.NOT_AVRO)
            .setErrorMessage("bad")
            .setPayloadPreview("hello")
            .setPayloadSize(5)
            .setReceivedAt(Instant.ofEpochMilli(3))
            .build();
    AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
    assertThat(letters.decode(letters.encode(letter))).isEqualTo(letter);
  }

  /**
   * v2 adds receivedAt: a decision written before it reads with none, and a consumer still on v1
   * reads a v2 decision (given its writer schema, as the single-object fingerprint asks) without it.
   */
  @Test
  void decisionsOfV1AndV2ReadBothWays() throws DecodeException, IOException {
    AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
    Schema v1 = decisions.releasedSchemas().get(0);
    Decision old = decisions.decode(
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(SampleRecords.sample(v1)).array());
    assertThat(old.getReceivedAt()).isNull();

    BinaryMessageDecoder<GenericRecord> v1Reader = new BinaryMessageDecoder<>(GenericData.get(), v1);
    v1Reader.addSchema(decisions.schema());
    GenericRecord read = v1Reader.decode(decisions.encode(decision()));
    assertThat(read.hasField("receivedAt")).isFalse();
    assertThat(read.get("decidedAt")).isEqualTo(3L);
  }

  /** A consumer still on DeadLetter v1 must read reasons added since as OTHER, not fail. */
  @Test
  void aV1ReaderReadsNewDeadLetterReasonsAsOther() throws IOException {
    AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
    Schema v1 = letters.releasedSchemas().get(0);
    for (DeadLetterReason reason : List.of(
        DeadLetterReason.OVERSIZE, DeadLetterReason.EVENT_TIME_OUT_OF_RANGE, DeadLetterReason.DUPLICATE,
        DeadLetterReason.UNKNOWN_CARD_KEY, DeadLetterReason.CARD_DECRYPTION_FAILED)) {
      byte[] written = letters.encode(DeadLetter.newBuilder()
          .setSourceTopic("t").setPartition(0).setOffset(0).setReason(reason).setErrorMessage("")
          .setPayloadPreview("").setPayloadSize(0).setReceivedAt(Instant.EPOCH).build());
      BinaryMessageDecoder<GenericRecord> v1Reader =
          new BinaryMessageDecoder<>(GenericData.get(), v1);
      v1Reader.addSchema(letters.schema());
      assertThat(v1Reader.decode(written).get("reason")).as("%s read by v1", reason).hasToString("OTHER");
    }
  }

  @Test
  void rejectsEachKindOfBadPayloadWithItsReason() {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    byte[] valid = codec.encode(transaction());

    assertReason(codec, new byte[0], DeadLetterReason.EMPTY_PAYLOAD);
    assertReason(codec, null, DeadLetterReason.EMPTY_PAYLOAD);
    assertReason(codec, "{\"transactionId\":\"x\"}".getBytes(), DeadLetterReason.NOT_AVRO);
    byte[] otherFingerprint = valid.clone();
    otherFingerprint[5] ^= 0x5A;
    assertReason(codec, otherFingerprint, DeadLetterReason.UNKNOWN_SCHEMA);
    assertReason(codec, Arrays.copyOf(valid, valid.length / 2), DeadLetterReason.CORRUPT_AVRO);
    byte[] decisionBytes =
        AvroCodec.of(DeadLetter.class)
            .encode(
                DeadLetter.newBuilder()
                    .setSourceTopic("t").setPartition(0).setOffset(0)
                    .setReason(DeadLetterReason.OTHER).setErrorMessage("").setPayloadPreview("")
                    .setPayloadSize(0).setReceivedAt(Instant.EPOCH).build());
    assertReason(codec, decisionBytes, DeadLetterReason.UNKNOWN_SCHEMA);
  }

  private static void assertReason(AvroCodec<Transaction> codec, byte[] payload, DeadLetterReason reason) {
    assertThatThrownBy(() -> codec.decode(payload))
        .isInstanceOf(DecodeException.class)
        .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo(reason));
  }

  @ParameterizedTest
  @MethodSource("topicCodecs")
  void currentSchemaIsReleased(AvroCodec<? extends SpecificRecord> codec) {
    List<Schema> released = codec.releasedSchemas();
    assertThat(released).as("released versions of %s", codec.schema().getName()).isNotEmpty();
    assertThat(released.get(released.size() - 1))
        .as("the current %s schema must be added as the next released version", codec.schema().getName())
        .isEqualTo(codec.schema());
  }

  @ParameterizedTest
  @MethodSource("topicCodecs")
  void currentSchemaReadsEveryReleasedVersion(AvroCodec<? extends SpecificRecord> codec)
      throws DecodeException, IOException {
    for (Schema writer : codec.releasedSchemas()) {
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(codec.schema(), writer).getType())
          .as("reading %s v%d", writer.getName(), codec.releasedSchemas().indexOf(writer) + 1)
          .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);

      GenericRecord written = SampleRecords.sample(writer);
      byte[] bytes =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(written).array();
      SpecificRecord read = codec.decode(bytes);
      for (Schema.Field field : writer.getFields()) {
        if (codec.schema().getField(field.name()) != null) {
          assertThat(comparable(read.get(codec.schema().getField(field.name()).pos())))
              .as("field %s", field.name())
              .isEqualTo(comparable(written.get(field.name())));
        }
      }
    }
  }

  /**
   * A writer pinned to each released version writes what a reader that knows that version alone
   * decodes, field by field as the current record had it (a symbol added since as the version's
   * default), while the job's own codec still reads it.
   */
  @ParameterizedTest
  @MethodSource("outputCodecs")
  <T extends SpecificRecord> void aWriterPinnedToAReleasedVersionIsReadByAReaderThatKnowsOnlyIt(AvroCodec<T> codec)
      throws DecodeException, IOException {
    GenericRecord sample = SampleRecords.sample(codec.schema());
    T current = codec.decode(
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), codec.schema()).encode(sample).array());
    for (int version = 1; version <= codec.releasedSchemas().size(); version++) {
      Schema released = codec.releasedSchemas().get(version - 1);
      AvroCodec<T> pinned = codec.writingVersion(version);
      assertThat(pinned.writtenVersion()).hasValue(version);
      byte[] written = pinned.encode(current);

      GenericRecord read = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), released).decode(written);
      for (Schema.Field field : released.getFields()) {
        Object expected = sample.get(field.name());
        if (field.schema().getType() == Schema.Type.ENUM && !field.schema().hasEnumSymbol(expected.toString())) {
          expected = field.schema().getEnumDefault();
        }
        assertThat(comparable(read.get(field.name())))
            .as("%s v%d field %s", released.getName(), version, field.name())
            .isEqualTo(comparable(expected));
      }
      assertThat(codec.decode(written)).as("the job reads what it wrote pinned").isNotNull();
    }
  }

  /** Why pinning exists: a reader that knows only v1 cannot decode what the current schema writes. */
  @Test
  void aReaderOnV1DecodesADecisionPinnedToV1AndNotTheCurrentOne() throws IOException {
    AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
    BinaryMessageDecoder<GenericRecord> v1Only =
        new BinaryMessageDecoder<>(GenericData.get(), decisions.releasedSchemas().get(0));
    Decision withRules = Decision.newBuilder(decision()).setRuleSetVersion("rules-7")
        .setRulesFired(List.of("big")).build();

    assertThatThrownBy(() -> v1Only.decode(decisions.encode(withRules))).isInstanceOf(MissingSchemaException.class);
    GenericRecord read = v1Only.decode(decisions.writingVersion(1).encode(withRules));
    assertThat(read.get("transactionId")).hasToString("tx-1");
    assertThat(read.get("outcome")).hasToString("REVIEW");
    assertThat(read.hasField("rulesFired")).isFalse();
  }

  @Test
  void onlyReleasedVersionsThatCanHoldTheCurrentRecordCanBeWritten() {
    AvroCodec<Decision> decisions = AvroCodec.of(Decision.class);
    int released = decisions.releasedSchemas().size();
    assertThatThrownBy(() -> decisions.writingVersion(0)).hasMessageContaining("versions 1 to " + released);
    assertThatThrownBy(() -> decisions.writingVersion(released + 1)).hasMessageContaining("not " + (released + 1));
    assertThat(decisions.writtenVersion()).isEmpty();
    // v1 requires cardNumber, which a v2 transaction may leave null for its encryptedCard
    assertThatThrownBy(() -> AvroCodec.of(Transaction.class).writingVersion(1))
        .hasMessageContaining("cannot be written as its v1").hasMessageContaining("/fields/1/");
  }

  /**
   * Generic records hold timestamp-millis as long, generated classes as Instant, at any depth; byte
   * buffers compare by content.
   */
  private static String comparable(Object value) {
    if (value instanceof ByteBuffer bytes) {
      return java.util.HexFormat.of().formatHex(bytes.array(), bytes.arrayOffset() + bytes.position(),
          bytes.arrayOffset() + bytes.limit());
    }
    if (value instanceof Instant instant) {
      return String.valueOf(instant.toEpochMilli());
    }
    if (value instanceof List<?> list) {
      return list.stream().map(AvroCodecTest::comparable).toList().toString();
    }
    if (value instanceof IndexedRecord record) {
      return record.getSchema().getFields().stream()
          .map(field -> field.name() + "=" + comparable(record.get(field.pos()))).toList().toString();
    }
    return String.valueOf(value);
  }
}
