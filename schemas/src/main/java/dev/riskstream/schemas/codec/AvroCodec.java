package dev.riskstream.schemas.codec;

import dev.riskstream.schemas.DeadLetterReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads and writes one record type in Avro's single-object encoding ({@code C3 01}, the 8-byte
 * CRC-64-AVRO fingerprint of the writer's schema, then the binary body).
 *
 * <p>The decoder knows the current schema and every released version of it (resources
 * {@code released/<Record>/v1.avsc}, {@code v2.avsc}, ...), so records written by producers on an
 * older release are resolved to the current classes. Instances are thread-safe; they are not
 * serializable, so Flink functions create them in {@code open()}.
 */
public final class AvroCodec<T extends SpecificRecord> {

  private static final String RELEASED_ROOT = "/dev/riskstream/schemas/released/";

  private final Class<T> type;
  private final Schema schema;
  private final List<Schema> releasedSchemas;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroCodec(Class<T> type) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.releasedSchemas = loadReleasedSchemas(schema.getName());
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    releasedSchemas.forEach(decoder::addSchema);
  }

  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return new AvroCodec<>(type);
  }

  public Class<T> type() {
    return type;
  }

  public Schema schema() {
    return schema;
  }

  /** Every released version of this record's schema, oldest first. */
  public List<Schema> releasedSchemas() {
    return releasedSchemas;
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + schema.getName(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot encode " + schema.getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decodes one single-object-encoded record.
   *
   * @throws DecodeException with the reason a dead letter should carry
   */
  public T decode(byte[] payload) throws DecodeException {
    if (payload == null || payload.length == 0) {
      throw new DecodeException(DeadLetterReason.EMPTY_PAYLOAD, "empty payload");
    }
    try {
      return decoder.decode(payload);
    } catch (MissingSchemaException e) {
      throw new DecodeException(
          DeadLetterReason.UNKNOWN_SCHEMA,
          "schema fingerprint is not a released " + schema.getName() + " schema");
    } catch (BadHeaderException e) {
      throw new DecodeException(
          DeadLetterReason.NOT_AVRO, "not Avro single-object encoding: " + e.getMessage());
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException
        | NegativeArraySizeException | ClassCastException e) {
      throw new DecodeException(
          DeadLetterReason.CORRUPT_AVRO,
          "corrupt " + schema.getName() + " body: " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private static List<Schema> loadReleasedSchemas(String recordName) {
    List<Schema> released = new ArrayList<>();
    for (int version = 1; ; version++) {
      String resource = RELEASED_ROOT + recordName + "/v" + version + ".avsc";
      try (InputStream in = AvroCodec.class.getResourceAsStream(resource)) {
        if (in == null) {
          return List.copyOf(released);
        }
        released.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read released schema " + resource, e);
      }
    }
  }
}
