package dev.riskstream.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A CSV of floats without a header, one row per line, all rows equally wide. */
final class CsvRows {

  private CsvRows() {}

  /** The rows; a file that is no such CSV is refused with the line and the reason. */
  static List<float[]> read(Path file) throws CliException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e);
    }
    List<float[]> rows = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i);
      if (line.isBlank()) {
        throw new CliException(file + " line " + lineNumber + " is empty");
      }
      String[] values = line.split(",", -1);
      if (!rows.isEmpty() && values.length != rows.get(0).length) {
        throw new CliException(file + " line " + lineNumber + " has " + values.length
            + " values but line 1 has " + rows.get(0).length);
      }
      float[] row = new float[values.length];
      for (int column = 0; column < values.length; column++) {
        try {
          row[column] = Float.parseFloat(values[column].trim());
        } catch (NumberFormatException e) {
          throw new CliException(file + " line " + lineNumber + " value " + (column + 1) + ": '"
              + values[column] + "' is not a number");
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new CliException(file + " has no rows");
    }
    return rows;
  }
}
