package dev.riskstream.job.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionFileFormatTest {

  private static final AvroCodec<Transaction> CODEC = AvroCodec.of(Transaction.class);

  @TempDir
  Path directory;

  @Test
  void readsEachTransactionAsTheTopicWouldCarryItWithItsIndexAsOffset() throws Exception {
    int count = TransactionFileFormat.BATCH_RECORDS + 3;
    Path file = transactions(count);

    List<RawRecord> records = read(split(file));

    assertThat(records).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(records.get(i).offset).isEqualTo(i);
      assertThat(records.get(i).topic).endsWith(file.getFileName().toString());
      assertThat(CODEC.decode(records.get(i).value)).isEqualTo(TestData.transaction(i).build());
    }
  }

  @Test
  void aRestoredReaderSkipsTheRecordsAlreadyRead() throws Exception {
    Path file = transactions(5);
    FileSourceSplit split = split(file).updateWithCheckpointedPosition(
        new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 3));

    List<RawRecord> records = new ArrayList<>();
    try (BulkFormat.Reader<RawRecord> reader = new TransactionFileFormat().restoreReader(new Configuration(), split)) {
      drain(reader, records);
    }

    assertThat(records).extracting(record -> record.offset).containsExactly(3L, 4L);
  }

  @Test
  void recordsOfASchemaThatIsNoReleasedTransactionFailToDecodeAsOnTheTopic() throws Exception {
    Schema other = SchemaBuilder.record("Transaction").namespace("dev.riskstream.schemas").fields()
        .requiredString("transactionId").endRecord();
    Path file = directory.resolve("other.avro");
    try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(other))) {
      writer.create(other, file.toFile());
      GenericRecord record = new GenericData.Record(other);
      record.put("transactionId", "tx-1");
      writer.append(record);
    }

    List<RawRecord> records = read(split(file));

    assertThat(records).hasSize(1);
    assertThatThrownBy(() -> CODEC.decode(records.get(0).value)).isInstanceOfSatisfying(DecodeException.class,
        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA));
  }

  @Test
  void aFileThatIsNotAnAvroContainerFileFailsWithItsPath() throws Exception {
    Path file = Files.writeString(directory.resolve("notes.txt"), "not avro");

    assertThatThrownBy(() -> read(split(file))).isInstanceOf(IOException.class).hasMessageContaining("notes.txt")
        .hasMessageContaining("not an Avro object container file");
  }

  private Path transactions(int count) throws IOException {
    Path file = directory.resolve("transactions.avro");
    try (DataFileWriter<Transaction> writer = new DataFileWriter<>(new SpecificDatumWriter<>(Transaction.class))) {
      writer.create(Transaction.getClassSchema(), file.toFile());
      for (int i = 0; i < count; i++) {
        writer.append(TestData.transaction(i).build());
      }
    }
    return file;
  }

  private static FileSourceSplit split(Path file) throws IOException {
    long size = Files.size(file);
    return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, size, 0, size);
  }

  private static List<RawRecord> read(FileSourceSplit split) throws IOException {
    List<RawRecord> records = new ArrayList<>();
    try (BulkFormat.Reader<RawRecord> reader = new TransactionFileFormat().createReader(new Configuration(), split)) {
      drain(reader, records);
    }
    return records;
  }

  private static void drain(BulkFormat.Reader<RawRecord> reader, List<RawRecord> into) throws IOException {
    BulkFormat.RecordIterator<RawRecord> batch;
    while ((batch = reader.readBatch()) != null) {
      RecordAndPosition<RawRecord> next;
      while ((next = batch.next()) != null) {
        into.add(next.getRecord());
      }
      batch.releaseBatch();
    }
  }
}
