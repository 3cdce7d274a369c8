package dev.riskstream.schemas.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Builds a record with a plausible, non-default value in every field of any schema. */
public final class SampleRecords {

  private SampleRecords() {}

  public static GenericRecord sample(Schema schema) {
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      record.put(field.name(), value(field.schema(), field.name()));
    }
    return record;
  }

  private static Object value(Schema schema, String name) {
    return switch (schema.getType()) {
      case STRING -> "sample-" + name;
      case LONG -> 1_700_000_000_000L + name.length();
      case INT -> name.length();
      case DOUBLE -> 0.5;
      case FLOAT -> 0.5f;
      case BOOLEAN -> true;
      case BYTES -> ByteBuffer.wrap(("sample-" + name).getBytes(StandardCharsets.UTF_8));
      case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1));
      case ARRAY -> new GenericData.Array<>(schema, List.of(value(schema.getElementType(), name)));
      case RECORD -> sample(schema);
      case UNION -> value(schema.getTypes().get(schema.getTypes().size() - 1), name);
      default -> throw new IllegalArgumentException("no sample for " + schema);
    };
  }
}
