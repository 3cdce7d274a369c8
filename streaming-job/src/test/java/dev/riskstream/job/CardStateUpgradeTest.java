package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.schemas.CardState;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;
import org.apache.flink.util.StringUtils;
import org.junit.jupiter.api.Test;

/**
 * Per-card state written by the build before {@code knownDevices} was added to {@code CardState}
 * restores in this one: the savepoint holds the old build's serializer snapshot (the state's class
 * and the schema it was written with) and values in that schema; Flink's Avro serializer resolves
 * the old schema against the current one and migrates each value, the new field taking its default.
 * A field added without a default could not be restored, and the job would refuse the savepoint.
 */
class CardStateUpgradeTest {

  private static final String ADDED_FIELD = "knownDevices";

  @Test
  void stateOfTheBuildBeforeKnownDevicesRestoresWithTheFieldsDefault() throws Exception {
    Schema previous = without(CardState.getClassSchema(), ADDED_FIELD);
    AvroSerializerSnapshot<CardState> written = snapshotOfPreviousBuild(previous);

    assertThat(currentSerializer().snapshotConfiguration().resolveSchemaCompatibility(written)
        .isCompatibleAfterMigration()).isTrue();

    GenericRecord value = new GenericRecordBuilder(previous)
        .set("lastEventTime", 1_700_000_000_000L)
        .set("transactionCount", 3L)
        .set("meanAmountBase", 42.5)
        .set("recentTimes", List.of(1_699_999_000_000L, 1_700_000_000_000L))
        .set("recentAmountsBase", List.of(40.0, 45.0))
        .set("knownMerchants", List.of("m-1", "m-2"))
        .set("knownCountries", List.of("DE"))
        .build();
    DataOutputSerializer bytes = new DataOutputSerializer(256);
    new AvroSerializer<>(GenericRecord.class, previous).serialize(value, bytes);

    CardState restored = written.restoreSerializer().deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
    assertThat(restored.getLastEventTime()).isEqualTo(1_700_000_000_000L);
    assertThat(restored.getTransactionCount()).isEqualTo(3L);
    assertThat(restored.getMeanAmountBase()).isEqualTo(42.5);
    assertThat(restored.getRecentTimes()).containsExactly(1_699_999_000_000L, 1_700_000_000_000L);
    assertThat(restored.getKnownMerchants()).extracting(CharSequence::toString).containsExactly("m-1", "m-2");
    assertThat(restored.getKnownDevices()).isEmpty();
  }

  @Test
  void aFieldAddedWithoutADefaultWouldNotRestore() throws Exception {
    Schema previous = without(CardState.getClassSchema(), ADDED_FIELD);
    Schema withoutDefault = withoutDefault(CardState.getClassSchema(), ADDED_FIELD);
    assertThat(new AvroSerializer<>(GenericRecord.class, withoutDefault).snapshotConfiguration()
        .resolveSchemaCompatibility(genericSnapshot(previous)).isIncompatible()).isTrue();
  }

  /** The serializer of the job's card-history state, as the job creates it. */
  private static TypeSerializer<CardState> currentSerializer() {
    ValueStateDescriptor<CardState> descriptor = PipelineState.cardHistory();
    descriptor.initializeSerializerUnlessSet(new ExecutionConfig());
    return descriptor.getSerializer();
  }

  /**
   * What a savepoint of the previous build holds for the state's serializer: the Avro snapshot's
   * fields, the state's class name and the schema the values were written with.
   */
  private static AvroSerializerSnapshot<CardState> snapshotOfPreviousBuild(Schema previous) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(1024);
    StringUtils.writeString(CardState.class.getName(), out);
    StringUtils.writeString(previous.toString(false), out);
    AvroSerializerSnapshot<CardState> snapshot = new AvroSerializerSnapshot<>();
    snapshot.readSnapshot(snapshot.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()),
        CardStateUpgradeTest.class.getClassLoader());
    return snapshot;
  }

  @SuppressWarnings("unchecked")
  private static AvroSerializerSnapshot<GenericRecord> genericSnapshot(Schema schema) {
    return (AvroSerializerSnapshot<GenericRecord>) new AvroSerializer<>(GenericRecord.class, schema)
        .snapshotConfiguration();
  }

  private static Schema without(Schema schema, String field) {
    return copy(schema, schema.getFields().stream().filter(f -> !f.name().equals(field)).map(CardStateUpgradeTest::copy)
        .toList());
  }

  private static Schema withoutDefault(Schema schema, String field) {
    return copy(schema, schema.getFields().stream()
        .map(f -> f.name().equals(field) ? new Schema.Field(f.name(), f.schema(), f.doc(), (Object) null) : copy(f))
        .toList());
  }

  private static Schema copy(Schema schema, List<Schema.Field> fields) {
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static Schema.Field copy(Schema.Field field) {
    // a field belongs to one schema; the copy keeps its doc and default
    return new Schema.Field(field, field.schema());
  }
}
