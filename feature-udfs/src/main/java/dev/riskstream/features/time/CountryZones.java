package dev.riskstream.features.time;

import dev.riskstream.features.table.KeyValueTable;
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
    Map<String, ZoneId> zones = new HashMap<>();
    KeyValueTable.resource(TABLE).forEach((country, zone) -> zones.put(country, ZoneId.of(zone)));
    return Map.copyOf(zones);
  }
}
