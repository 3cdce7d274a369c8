package dev.riskstream.features;

import dev.riskstream.features.time.CountryZones;
import dev.riskstream.schemas.Channel;
import java.time.Instant;
import java.util.Set;

/**
 * The features of a transaction on its own, without its card's history: pure functions of a few
 * fields. {@link CardFeatures} builds vectors from them and the Flink SQL functions in {@code
 * dev.riskstream.features.sql} wrap them, so a query computes exactly what serving does.
 */
public final class TransactionFeatures {

  /** Local hours {@code [0, NIGHT_END_HOUR)} count as night. */
  public static final int NIGHT_END_HOUR = 6;

  private static final double NANOS_PER_HOUR = 3_600_000_000_000.0;
  private static final Set<String> HIGH_RISK_MCCS =
      Set.of("4829", "5732", "5944", "5967", "5816", "6051", "6211", "7995");

  private TransactionFeatures() {}

  /** log1p of the amount in the base currency; negative amounts count as 0. */
  public static float amountBaseLog(double amountBase) {
    return (float) Math.log1p(Math.max(0, amountBase));
  }

  /**
   * Hour of day, with its fraction, on the merchant country's wall clock (daylight saving
   * included; UTC for a country without a known zone), in {@code [0, 24)}.
   */
  public static double localHour(long epochMillis, String country) {
    return Instant.ofEpochMilli(epochMillis).atZone(CountryZones.zoneOf(country))
        .toLocalTime().toNanoOfDay() / NANOS_PER_HOUR;
  }

  /** Sine of the hour on the 24-hour circle, so that 23:59 and 00:00 are neighbours. */
  public static float hourSin(double hour) {
    return (float) Math.sin(2 * Math.PI * hour / 24);
  }

  public static float hourCos(double hour) {
    return (float) Math.cos(2 * Math.PI * hour / 24);
  }

  public static float isNight(double hour) {
    return indicator(hour < NIGHT_END_HOUR);
  }

  public static float channelIs(Channel channel, Channel wanted) {
    return indicator(channel == wanted);
  }

  /** Quasi-cash, jewellery, electronics, gambling and digital goods: categories with high fraud rates. */
  public static float mccHighRisk(String merchantCategory) {
    return indicator(merchantCategory != null && HIGH_RISK_MCCS.contains(merchantCategory));
  }

  static float indicator(boolean condition) {
    return condition ? 1f : 0f;
  }
}
