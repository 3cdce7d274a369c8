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
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads what {@link FeatureExport} wrote, for a bundle made around a model trained on it. */
public final class ExportedRows {

  private ExportedRows() {}

  /**
   * The labelled rows of an export: one CSV file, or every {@code .csv} file under a directory (the
   * export's {@code training/} or {@code validation/}), in the order of their files. A row without a
   * label is skipped; a file without the export's header, or with a value that is not a number where a
   * feature is, is refused naming the file and the line.
   */
  public static List<FeatureRow> labelled(Path exported) throws IOException {
    List<Path> files;
    if (Files.isDirectory(exported)) {
      try (Stream<Path> walk = Files.walk(exported)) {
        files = walk.filter(file -> file.getFileName().toString().endsWith(".csv")).sorted().toList();
      }
    } else {
      files = List.of(exported);
    }
    if (files.isEmpty()) {
      throw new IOException(exported + " holds no .csv file");
    }
    List<FeatureRow> rows = new ArrayList<>();
    List<String> features = FeatureSpec.CURRENT.names();
    for (Path file : files) {
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
          rows.add(new FeatureRow(new LabeledTransaction(segmentCarrier(record), label.equals("1")), values));
        }
      }
    }
    return rows;
  }

  /**
   * The exported row's transaction as far as the export keeps it: its id, event time and the
   * attributes segments are made of. The rest of the contract's fields are empty; nothing that reads
   * these rows looks at them.
   */
  private static Transaction segmentCarrier(CSVRecord record) {
    return Transaction.newBuilder()
        .setTransactionId(record.get("transaction_id"))
        .setEventTime(Instant.parse(record.get("event_time")))
        .setChannel(Channel.valueOf(record.get("channel")))
        .setCountry(record.get("country"))
        .setCurrency(record.get("currency"))
        .setMerchantCategory(record.get("merchant_category"))
        .setCustomerId("").setMerchantId("").setMerchantName("").setAmountMinor(0)
        .build();
  }

}
