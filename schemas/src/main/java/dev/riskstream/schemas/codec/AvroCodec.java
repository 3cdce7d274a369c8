package dev.riskstream.schemas.codec;

import dev.riskstream.schemas.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads and writes one record type in Avro's single-object encoding ({@code C3 01}, the 8-byte
 * CRC-64-AVRO fingerprint of the writer's schema, then the binary body).
 *
 * <p>The decoder knows the current schema and every released version of it (resources
 * {@code released/<Record>/v1.avsc}, {@code v2.avsc}, ...), so records written by producers on an
 * older release are resolved to the current classes. It writes the current schema, or, pinned to a
 * released version ({@link #writingVersion}), that version's, so that consumers that know only it
 * read what is written: they upgrade after the writer, not before. Instances are thread-safe; they
 * are not serializable, so Flink functions create them in {@code open()}.
 */
public final class AvroCodec<T extends SpecificRecord> {

  private static final String RELEASED_ROOT = "/dev/riskstream/schemas/released/";

  private final Class<T> type;
  private final Schema schema;
  private final List<Schema> releasedSchemas;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final PinnedVersion<T> pinned;

  private AvroCodec(Class<T> type, PinnedVersion<T> pinned) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.releasedSchemas = loadReleasedSchemas(schema.getName());
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    releasedSchemas.forEach(decoder::addSchema);
    this.pinned = pinned;
  }

  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return new AvroCodec<>(type, null);
  }

  /**
   * This codec, writing with released version {@code version} (1 the first) instead of the current
   * schema: fields added since are left out, and enum symbols added since are written as the
   * version's default symbol (an older reader's OTHER or UNKNOWN). Reads as before.
   *
   * @throws IllegalArgumentException for a version that was not released, or one that cannot hold
   *     what the current schema writes
   */
  public AvroCodec<T> writingVersion(int version) {
    if (version < 1 || version > releasedSchemas.size()) {
      throw new IllegalArgumentException(schema.getName() + " has released versions 1 to " + releasedSchemas.size()
          + ", not " + version);
    }
    Schema written = releasedSchemas.get(version - 1);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(written, schema);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new IllegalArgumentException("the current " + schema.getName() + " cannot be written as its v" + version
          + ": " + compatibility.getResult().getIncompatibilities());
    }
    return new AvroCodec<>(type, new PinnedVersion<>(version, SpecificData.getForClass(type), schema, written));
  }

  /** The released version this codec writes; empty: the current schema. */
  public OptionalInt writtenVersion() {
    return pinned == null ? OptionalInt.empty() : OptionalInt.of(pinned.version);
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
      ByteBuffer buffer = pinned == null ? encoder.encode(record) : pinned.encode(record);
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

  /**
   * A released version to write: the record is written with the current schema and read back as
   * the version reads it (Avro's schema resolution), then written with the version's.
   */
  private static final class PinnedVersion<T> {

    private final int version;
    private final SpecificDatumWriter<T> current;
    private final GenericDatumReader<GenericRecord> asVersion;
    private final BinaryMessageEncoder<GenericRecord> encoder;

    PinnedVersion(int version, SpecificData model, Schema current, Schema written) {
      this.version = version;
      this.current = new SpecificDatumWriter<>(current, model);
      this.asVersion = new GenericDatumReader<>(current, written);
      this.encoder = new BinaryMessageEncoder<>(GenericData.get(), written);
    }

    ByteBuffer encode(T record) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream(256);
      BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(body, null);
      current.write(record, out);
      out.flush();
      return encoder.encode(asVersion.read(null, DecoderFactory.get().binaryDecoder(body.toByteArray(), null)));
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
