package dev.riskstream.training;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.FeatureLogEntry;
import java.io.IOException;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * The export's rows as Parquet (parquet-avro), one file per part: the columns of the CSV export with
 * their types (the event time as timestamp-millis, the label as a nullable int, each feature a
 * float), so that a trainer reads them without parsing.
 */
final class ParquetRows implements BulkWriter.Factory<LabelledLogEntry> {

  /** The rows' schema; the columns in {@link FeatureExport#header()}'s order. */
  static final Schema SCHEMA = schema();

  private static Schema schema() {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("ExportedRow")
        .namespace("dev.riskstream.export").fields()
        .requiredString("transaction_id")
        .name("event_time").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
        .noDefault()
        .requiredString("channel")
        .requiredString("country")
        .requiredString("currency")
        .requiredString("merchant_category")
        .requiredString("model_version")
        .requiredDouble("score")
        .requiredString("outcome")
        .requiredString("lookup_status")
        .optionalInt("label");
    for (String feature : FeatureSpec.CURRENT.names()) {
      fields = fields.requiredFloat(feature);
    }
    return fields.endRecord();
  }

  @Override
  public BulkWriter<LabelledLogEntry> create(FSDataOutputStream out) throws IOException {
    ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new StreamOutputFile(out))
        .withSchema(SCHEMA)
        .withDataModel(GenericData.get())
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .build();
    return new BulkWriter<>() {
      @Override
      public void addElement(LabelledLogEntry row) throws IOException {
        writer.write(record(row));
      }

      @Override
      public void flush() {
        // row groups are written as they fill; the last one when the part finishes
      }

      @Override
      public void finish() throws IOException {
        writer.close();
      }
    };
  }

  static GenericRecord record(LabelledLogEntry row) {
    FeatureLogEntry entry = row.entry;
    GenericData.Record record = new GenericData.Record(SCHEMA);
    record.put("transaction_id", entry.getTransactionId());
    record.put("event_time", entry.getEventTime().toEpochMilli());
    record.put("channel", String.valueOf(entry.getTransaction().getChannel()));
    record.put("country", String.valueOf(entry.getTransaction().getCountry()));
    record.put("currency", String.valueOf(entry.getTransaction().getCurrency()));
    record.put("merchant_category", String.valueOf(entry.getTransaction().getMerchantCategory()));
    record.put("model_version", entry.getModelVersion());
    record.put("score", entry.getScore());
    record.put("outcome", String.valueOf(entry.getOutcome()));
    record.put("lookup_status", String.valueOf(entry.getLookupStatus()));
    record.put("label", row.fraud == null ? null : row.fraud ? 1 : 0);
    List<String> features = FeatureSpec.CURRENT.names();
    for (int i = 0; i < features.size(); i++) {
      record.put(features.get(i), entry.getFeatures().get(i));
    }
    return record;
  }

  /**
   * The part file's stream as Parquet's output. Closing the Parquet writer does not close the stream:
   * the file sink closes and commits it.
   */
  private record StreamOutputFile(FSDataOutputStream out) implements OutputFile {

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        @Override
        public long getPos() throws IOException {
          return out.getPos();
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          out.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() {
          // the sink's to close
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
