package dev.riskstream.job.batch;

import dev.riskstream.io.kafka.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;

/**
 * Reads Avro object container files of {@code Transaction} records as the records the transactions
 * topic would carry: each record in the Avro single-object encoding of the file's own (writer)
 * schema, so that decoding, schema resolution and validation are the streaming job's, and a record
 * of a schema that is no released {@code Transaction} becomes a dead letter as on the topic. A
 * record's coordinates are the file (as the topic), partition 0 and its index in the file (as the
 * offset), so a dead letter points at it.
 *
 * <p>A file that is not an Avro container file, or is truncated, fails the job with its path:
 * there is no record to point a dead letter at.
 */
public final class TransactionFileFormat implements BulkFormat<RawRecord, FileSourceSplit> {

  /** Records handed over per batch. */
  static final int BATCH_RECORDS = 512;

  @Override
  public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
    return new FileReader(split, 0);
  }

  @Override
  public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
    long done = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
    return new FileReader(split, done);
  }

  /** A container file is read from its header on, so a file is one split. */
  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }

  private static final class FileReader implements Reader<RawRecord> {

    private final String file;
    private final DataFileStream<GenericRecord> records;
    private final BinaryMessageEncoder<GenericRecord> encoder;
    private long read;

    FileReader(FileSourceSplit split, long skip) throws IOException {
      file = split.path().toString();
      InputStream in = split.path().getFileSystem().open(split.path());
      try {
        records = new DataFileStream<>(in, new GenericDatumReader<>());
      } catch (IOException e) {
        in.close();
        throw new IOException(file + " is not an Avro object container file: " + e.getMessage(), e);
      }
      encoder = new BinaryMessageEncoder<>(GenericData.get(), records.getSchema());
      for (; read < skip && records.hasNext(); read++) {
        records.next();
      }
    }

    @Override
    public BulkFormat.RecordIterator<RawRecord> readBatch() throws IOException {
      long first = read;
      List<RawRecord> batch = new ArrayList<>(BATCH_RECORDS);
      try {
        while (batch.size() < BATCH_RECORDS && records.hasNext()) {
          ByteBuffer encoded = encoder.encode(records.next());
          byte[] value = new byte[encoded.remaining()];
          encoded.get(value);
          batch.add(new RawRecord(file, 0, read++, 0L, value));
        }
      } catch (IOException | UncheckedIOException | org.apache.avro.AvroRuntimeException e) {
        throw new IOException(file + " cannot be read after record " + read + ": " + e.getMessage(), e);
      }
      return batch.isEmpty() ? null
          : new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, first);
    }

    @Override
    public void close() throws IOException {
      records.close();
    }
  }
}
