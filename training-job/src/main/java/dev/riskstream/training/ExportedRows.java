package dev.riskstream.training;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Reads what {@link FeatureExport} wrote, for a bundle made around a model trained on it. */
public final class ExportedRows {

  private ExportedRows() {}

  /**
   * The labelled rows of an export: one CSV or Parquet file, or every {@code .csv} and
   * {@code .parquet} file under a directory (the export's {@code training/} or {@code validation/}),
   * in the order of their files. A row without a label is skipped; a CSV file without the export's
   * header, or with a value that is not a number where a feature is, and a Parquet file of another
   * schema are refused naming the file (and the line).
   */
  public static List<FeatureRow> labelled(Path exported) throws IOException {
    List<Path> files;
    if (Files.isDirectory(exported)) {
      try (Stream<Path> walk = Files.walk(exported)) {
        files = walk.filter(ExportedRows::isExported).sorted().toList();
      }
    } else {
      files = List.of(exported);
    }
    if (files.isEmpty()) {
      throw new IOException(exported + " holds no .csv or .parquet file");
    }
    List<FeatureRow> rows = new ArrayList<>();
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(FeatureExport.Format.PARQUET.suffix())) {
        addParquet(file, rows);
      } else {
        addCsv(file, rows);
      }
    }
    return rows;
  }

  private static boolean isExported(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(FeatureExport.Format.CSV.suffix()) || name.endsWith(FeatureExport.Format.PARQUET.suffix());
  }

  private static void addCsv(Path file, List<FeatureRow> rows) throws IOException {
    List<String> features = FeatureSpec.CURRENT.names();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().get().parse(reader)) {
      Set<String> missing = new LinkedHashSet<>(FeatureExport.header());
      missing.removeAll(csv.getHeaderNames());
      if (!missing.isEmpty()) {
        throw new IOException(file + " is not a feature export: it lacks the columns " + missing);
      }
      for (CSVRecord record : csv) {
        String label = record.get("label");
        if (label.isEmpty()) {
          continue;
        }
        float[] values = new float[features.size()];
        for (int i = 0; i < values.length; i++) {
          try {
            values[i] = Float.parseFloat(record.get(features.get(i)));
          } catch (NumberFormatException e) {
            throw new IOException(file + " line " + record.getRecordNumber() + ": " + features.get(i) + " is not a "
                + "number: '" + record.get(features.get(i)) + "'");
          }
        }
        rows.add(new FeatureRow(new LabeledTransaction(segmentCarrier(record::get,
            Instant.parse(record.get("event_time"))), label.equals("1")), values));
      }
    }
  }

  private static void addParquet(Path file, List<FeatureRow> rows) throws IOException {
    List<String> features = FeatureSpec.CURRENT.names();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
        .withDataModel(GenericData.get()).build()) {
      for (GenericRecord next = reader.read(); next != null; next = reader.read()) {
        GenericRecord record = next;
        if (!record.getSchema().getFields().equals(ParquetRows.SCHEMA.getFields())) {
          throw new IOException(file + " is not a feature export of this feature specification: its columns are "
              + record.getSchema().getFields().stream().map(Schema.Field::name).toList());
        }
        Object label = record.get("label");
        if (label == null) {
          continue;
        }
        float[] values = new float[features.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (Float) record.get(features.get(i));
        }
        rows.add(new FeatureRow(new LabeledTransaction(segmentCarrier(column -> String.valueOf(record.get(column)),
            Instant.ofEpochMilli((Long) record.get("event_time"))), ((Integer) label) == 1), values));
      }
    }
  }

  /**
   * The exported row's transaction as far as the export keeps it: its id, event time and the
   * attributes segments are made of. The rest of the contract's fields are empty; nothing that reads
   * these rows looks at them.
   */
  private static Transaction segmentCarrier(UnaryOperator<String> column, Instant eventTime) {
    return Transaction.newBuilder()
        .setTransactionId(column.apply("transaction_id"))
        .setEventTime(eventTime)
        .setChannel(Channel.valueOf(column.apply("channel")))
        .setCountry(column.apply("country"))
        .setCurrency(column.apply("currency"))
        .setMerchantCategory(column.apply("merchant_category"))
        .setCustomerId("").setMerchantId("").setMerchantName("").setAmountMinor(0)
        .build();
  }

}
