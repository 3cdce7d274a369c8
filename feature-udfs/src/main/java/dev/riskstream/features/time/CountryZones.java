package dev.riskstream.features.time;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The time zone of a merchant country, so that time-of-day features read the clock the cardholder
 * and the merchant see: 23:00 in Tokyo is night even though it is 14:00 UTC. Zones are IANA ids
 * resolved by {@link ZoneId}, so daylight saving is applied. A country that spans several zones has
 * one representative zone (see the resource {@code country-zones.csv}); a country missing from the
 * table, or a null country, is read in UTC rather than guessed.
 */
public final class CountryZones {

  private static final String TABLE = "/dev/riskstream/features/country-zones.csv";
  private static final Map<String, ZoneId> ZONES = load();

  private CountryZones() {}

  /** The zone of an ISO 3166-1 alpha-2 country; UTC when the country is not in the table. */
  public static ZoneId zoneOf(String country) {
    ZoneId zone = country == null ? null : ZONES.get(country);
    return zone == null ? ZoneOffset.UTC : zone;
  }

  public static boolean isKnown(String country) {
    return country != null && ZONES.containsKey(country);
  }

  private static Map<String, ZoneId> load() {
    try (InputStream in = CountryZones.class.getResourceAsStream(TABLE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + TABLE);
      }
      Map<String, ZoneId> zones = new HashMap<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(",");
        if (parts.length != 2 || zones.put(parts[0].strip(), ZoneId.of(parts[1].strip())) != null) {
          throw new IllegalStateException("bad or duplicate line '" + line + "' in " + TABLE);
        }
      }
      return Map.copyOf(zones);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
