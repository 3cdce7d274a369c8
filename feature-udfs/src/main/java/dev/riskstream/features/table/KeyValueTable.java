package dev.riskstream.features.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference tables shipped as resources (currency rates, country zones): lines {@code
 * KEY,VALUE}, blank lines and {@code #} comments ignored. A malformed line or a repeated key is an
 * error, not something to skip: a wrong table silently changes features.
 */
public final class KeyValueTable {

  private KeyValueTable() {}

  /** Reads a table from the classpath; a missing or malformed resource fails loudly. */
  public static Map<String, String> resource(String path) {
    try (InputStream in = KeyValueTable.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return read(in, path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keys in file order. */
  private static Map<String, String> read(InputStream in, String source) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(",");
      if (parts.length != 2 || entries.put(parts[0].strip(), parts[1].strip()) != null) {
        throw new IOException("expected one KEY,VALUE per key but got '" + line + "' in " + source);
      }
    }
    return entries;
  }
}
