package dev.riskstream.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** A CSV of floats without a header, one row per line, all rows equally wide. */
final class CsvRows {

  /** An empty line is a record of its own, so that it is refused with its line number. */
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get();

  private CsvRows() {}

  /** The rows; a file that is no such CSV is refused with the line and the reason. */
  static List<float[]> read(Path file) throws CliException {
    List<float[]> rows = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8, FORMAT)) {
      for (CSVRecord record : parser) {
        rows.add(row(file, record, rows.isEmpty() ? record.size() : rows.get(0).length));
      }
    } catch (UncheckedIOException e) {
      // how the parser's iterator reports what it could not read
      throw unreadable(file, e.getCause());
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    if (rows.isEmpty()) {
      throw new CliException(file + " has no rows");
    }
    return rows;
  }

  private static CliException unreadable(Path file, IOException e) {
    return e instanceof CSVException malformed ? new CliException(file + " is no CSV: " + malformed.getMessage())
        : new CliException("cannot read " + file + ": " + e);
  }

  private static float[] row(Path file, CSVRecord record, int width) throws CliException {
    long lineNumber = record.getRecordNumber();
    if (record.size() == 1 && record.get(0).isBlank()) {
      throw new CliException(file + " line " + lineNumber + " is empty");
    }
    if (record.size() != width) {
      throw new CliException(file + " line " + lineNumber + " has " + record.size() + " values but line 1 has " + width);
    }
    float[] row = new float[width];
    for (int column = 0; column < width; column++) {
      try {
        row[column] = Float.parseFloat(record.get(column).trim());
      } catch (NumberFormatException e) {
        throw new CliException(file + " line " + lineNumber + " value " + (column + 1) + ": '" + record.get(column)
            + "' is not a number");
      }
    }
    return row;
  }
}
