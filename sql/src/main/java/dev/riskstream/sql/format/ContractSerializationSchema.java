package dev.riskstream.sql.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.formats.avro.RowDataToAvroConverters;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * Writes a table's rows as a contract's single-object encoding under its current schema, so the
 * job and every consumer read them as they read the producers' records.
 */
final class ContractSerializationSchema implements SerializationSchema<RowData> {

  private static final long serialVersionUID = 1L;

  private final ContractColumns columns;
  private transient Schema schema;
  private transient int[] columnOfField;
  private transient RowDataToAvroConverters.RowDataToAvroConverter converter;
  private transient BinaryMessageEncoder<GenericRecord> encoder;

  ContractSerializationSchema(ContractColumns columns) {
    this.columns = columns;
  }

  @Override
  public void open(InitializationContext context) {
    Class<?> type = ContractColumns.recordClass(columns.recordName());
    schema = SpecificData.getForClass(type).getSchema(type);
    int[] fieldOfColumn = columns.fieldOfColumn();
    columnOfField = new int[fieldOfColumn.length];
    for (int column = 0; column < fieldOfColumn.length; column++) {
      columnOfField[fieldOfColumn[column]] = column;
    }
    RowType declared = columns.rowType();
    List<RowType.RowField> inFieldOrder = new ArrayList<>();
    for (int column : columnOfField) {
      inFieldOrder.add(declared.getFields().get(column));
    }
    converter = RowDataToAvroConverters.createConverter(new RowType(inFieldOrder));
    encoder = new BinaryMessageEncoder<>(GenericData.get(), schema);
  }

  @Override
  public byte[] serialize(RowData row) {
    Object record = converter.convert(schema, ProjectedRowData.from(columnOfField).replaceRow(row));
    try {
      ByteBuffer buffer = encoder.encode((GenericRecord) withEnumSymbols(record, schema));
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a " + columns.recordName(), e);
    }
  }

  /** Flink writes a STRING column as a string; where the contract has an enum, Avro takes its symbol. */
  private static Object withEnumSymbols(Object value, Schema schema) {
    if (value == null) {
      return null;
    }
    return switch (schema.getType()) {
      case ENUM -> new GenericData.EnumSymbol(schema, value.toString());
      case RECORD -> {
        GenericRecord record = (GenericRecord) value;
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), withEnumSymbols(record.get(field.pos()), field.schema()));
        }
        yield record;
      }
      case ARRAY -> {
        List<Object> elements = new ArrayList<>();
        for (Object element : (List<?>) value) {
          elements.add(withEnumSymbols(element, schema.getElementType()));
        }
        yield new GenericData.Array<>(schema, elements);
      }
      case UNION -> withEnumSymbols(value, schema.getTypes().get(GenericData.get().resolveUnion(schema,
          value instanceof CharSequence && hasEnum(schema) ? enumSymbolFor(schema, value) : value)));
      default -> value;
    };
  }

  private static boolean hasEnum(Schema union) {
    return union.getTypes().stream().anyMatch(type -> type.getType() == Schema.Type.ENUM);
  }

  private static Object enumSymbolFor(Schema union, Object value) {
    Schema enumSchema = union.getTypes().stream().filter(type -> type.getType() == Schema.Type.ENUM).findFirst()
        .orElseThrow();
    return new GenericData.EnumSymbol(enumSchema, value.toString());
  }
}
