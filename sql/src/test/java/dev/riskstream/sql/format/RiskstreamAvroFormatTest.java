package dev.riskstream.sql.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.SampleRecords;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every contract through the format and back, from every released version of its schema. */
class RiskstreamAvroFormatTest {

  static Stream<String> contracts() {
    return Stream.of("Transaction", "Decision", "DeadLetter", "FraudLabel", "ModelUpdate", "ModelStatus", "DriftReport",
        "PerformanceReport", "RetrainRequest", "FeatureLogEntry", "RuleSetUpdate", "RuleSetStatus");
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void everyReleasedVersionReadsAndWritesBackAsTheCodecReadsIt(String record) throws Exception {
    AvroCodec<? extends SpecificRecord> codec = AvroCodec.of(ContractColumns.recordClass(record));
    ContractColumns columns = ContractColumns.resolve(record, rowTypeOf(codec.schema()), true);
    ContractDeserializationSchema reader = reader(columns, false);
    ContractSerializationSchema writer = new ContractSerializationSchema(columns);
    writer.open(new TestContext());

    for (Schema version : codec.releasedSchemas()) {
      byte[] written = encode(SampleRecords.sample(version), version);

      RowData row = reader.deserialize(written);
      byte[] rewritten = writer.serialize(row);

      assertThat(codec.decode(rewritten)).as("%s written as %s", record, version.getFullName())
          .isEqualTo(codec.decode(written));
    }
  }

  @Test
  void aTableMayReadSomeFieldsInAnyOrder() throws Exception {
    AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
    Transaction transaction = codec.decode(encode(SampleRecords.sample(codec.schema()), codec.schema()));
    RowType all = rowTypeOf(codec.schema());
    RowType two = new RowType(List.of(all.getFields().get(all.getFieldIndex("currency")),
        all.getFields().get(all.getFieldIndex("transactionId"))));

    RowData row = reader(ContractColumns.resolve("Transaction", two, false), false)
        .deserialize(codec.encode(transaction));

    assertThat(row.getString(0).toString()).isEqualTo(transaction.getCurrency());
    assertThat(row.getString(1).toString()).isEqualTo(transaction.getTransactionId());
  }

  @Test
  void anUnknownFingerprintFailsOrIsSkippedAsConfigured() throws Exception {
    Schema other = Schema.createRecord("Other", null, "example", false,
        List.of(new Schema.Field("id", Schema.create(Schema.Type.STRING))));
    GenericRecord record = new GenericData.Record(other);
    record.put("id", "x");
    byte[] foreign = encode(record, other);
    ContractColumns columns = ContractColumns.resolve("Transaction", rowTypeOf(AvroCodec.of(Transaction.class).schema()),
        false);

    assertThatThrownBy(() -> reader(columns, false).deserialize(foreign)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a readable Transaction (UNKNOWN_SCHEMA)")
        .hasMessageContaining("'riskstream-avro.undecodable' = 'skip'");
    assertThat(reader(columns, true).deserialize(foreign)).isNull();
  }

  @Test
  void refusesAColumnOfAnotherTypeAFieldTheContractLacksAndAnUnknownRecord() {
    RowType all = rowTypeOf(AvroCodec.of(Transaction.class).schema());
    RowType wrong = (RowType) AvroSchemaConverter.convertToDataType(
        "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"amountMinor\",\"type\":\"int\"},"
            + "{\"name\":\"shoeSize\",\"type\":\"int\"}]}").getLogicalType();

    assertThatThrownBy(() -> ContractColumns.resolve("Transaction", wrong, false))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("column amountMinor is INT NOT NULL, the field is BIGINT NOT NULL")
        .hasMessageContaining("column shoeSize is no field of Transaction");
    assertThatThrownBy(() -> ContractColumns.resolve("Transaction",
        new RowType(all.getFields().subList(0, 2)), true))
        .hasMessageContaining("writing a Transaction takes every field; missing");
    assertThatThrownBy(() -> ContractColumns.recordClass("Transactions")).hasMessageContaining("is no riskstream contract");
  }

  private static RowType rowTypeOf(Schema schema) {
    return (RowType) AvroSchemaConverter.convertToDataType(schema.toString()).getLogicalType();
  }

  private static byte[] encode(GenericRecord record, Schema schema) throws IOException {
    return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record).array();
  }

  private static ContractDeserializationSchema reader(ContractColumns columns, boolean skip) {
    ContractDeserializationSchema reader =
        new ContractDeserializationSchema(columns, skip, InternalTypeInfo.of(columns.rowType()));
    reader.open(new TestContext());
    return reader;
  }

  /** What a format's schemas are opened with: no metrics, this class's loader. */
  private static final class TestContext
      implements DeserializationSchema.InitializationContext, SerializationSchema.InitializationContext {

    @Override
    public MetricGroup getMetricGroup() {
      return new UnregisteredMetricsGroup();
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
      return SimpleUserCodeClassLoader.create(RiskstreamAvroFormatTest.class.getClassLoader());
    }
  }
}
