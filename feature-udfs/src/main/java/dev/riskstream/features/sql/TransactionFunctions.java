package dev.riskstream.features.sql;

import dev.riskstream.features.TransactionFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.schemas.Channel;
import java.time.Instant;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * Flink SQL scalar functions over {@link TransactionFeatures} and {@link CurrencyRates}: each one
 * only converts SQL values and calls the function serving uses. NULL in gives NULL out, as SQL
 * expects; an unknown currency gives NULL rather than a guess. Register them all with {@link
 * RiskstreamFunctions#register}.
 */
public final class TransactionFunctions {

  private TransactionFunctions() {}

  private static Double amountBase(Long amountMinor, String currency) {
    return amountMinor == null ? null : CurrencyRates.bundled().toBase(amountMinor, currency).orElse(null);
  }

  private static Double localHour(Instant eventTime, String country) {
    return eventTime == null ? null : TransactionFeatures.localHour(eventTime.toEpochMilli(), country);
  }

  /** {@code AMOUNT_TO_BASE(amountMinor BIGINT, currency STRING) -> DOUBLE}: the amount in EUR. */
  public static final class AmountToBase extends ScalarFunction {
    public Double eval(Long amountMinor, String currency) {
      return amountBase(amountMinor, currency);
    }
  }

  /** {@code AMOUNT_BASE_LOG(amountMinor BIGINT, currency STRING) -> FLOAT}: feature amount_base_log. */
  public static final class AmountBaseLog extends ScalarFunction {
    public Float eval(Long amountMinor, String currency) {
      Double amountBase = amountBase(amountMinor, currency);
      return amountBase == null ? null : TransactionFeatures.amountBaseLog(amountBase);
    }
  }

  /**
   * {@code LOCAL_HOUR(eventTime TIMESTAMP_LTZ(3), country STRING) -> DOUBLE}: the hour of day, with
   * its fraction, in the merchant country's time zone (UTC for an unknown country).
   */
  public static final class LocalHour extends ScalarFunction {
    public Double eval(@DataTypeHint("TIMESTAMP_LTZ(3)") Instant eventTime, String country) {
      return localHour(eventTime, country);
    }
  }

  /** {@code HOUR_OF_DAY_SIN(eventTime TIMESTAMP_LTZ(3), country STRING) -> FLOAT}. */
  public static final class HourOfDaySin extends ScalarFunction {
    public Float eval(@DataTypeHint("TIMESTAMP_LTZ(3)") Instant eventTime, String country) {
      Double hour = localHour(eventTime, country);
      return hour == null ? null : TransactionFeatures.hourSin(hour);
    }
  }

  /** {@code HOUR_OF_DAY_COS(eventTime TIMESTAMP_LTZ(3), country STRING) -> FLOAT}. */
  public static final class HourOfDayCos extends ScalarFunction {
    public Float eval(@DataTypeHint("TIMESTAMP_LTZ(3)") Instant eventTime, String country) {
      Double hour = localHour(eventTime, country);
      return hour == null ? null : TransactionFeatures.hourCos(hour);
    }
  }

  /** {@code IS_NIGHT(eventTime TIMESTAMP_LTZ(3), country STRING) -> FLOAT}: 1 from 00:00 to 05:59 local. */
  public static final class IsNight extends ScalarFunction {
    public Float eval(@DataTypeHint("TIMESTAMP_LTZ(3)") Instant eventTime, String country) {
      Double hour = localHour(eventTime, country);
      return hour == null ? null : TransactionFeatures.isNight(hour);
    }
  }

  /** {@code MCC_HIGH_RISK(merchantCategory STRING) -> FLOAT}. */
  public static final class MccHighRisk extends ScalarFunction {
    public Float eval(String merchantCategory) {
      return merchantCategory == null ? null : TransactionFeatures.mccHighRisk(merchantCategory);
    }
  }

  /**
   * {@code CHANNEL_ECOM(channel STRING) -> FLOAT} and its siblings: 1 when the channel (a {@link
   * Channel} name) is the function's channel; a name that is no channel is not it.
   */
  public static final class ChannelIndicator extends ScalarFunction {
    private final Channel wanted;

    public ChannelIndicator(Channel wanted) {
      this.wanted = wanted;
    }

    public Float eval(String channel) {
      if (channel == null) {
        return null;
      }
      Channel actual = Channel.getClassSchema().getEnumSymbols().contains(channel) ? Channel.valueOf(channel) : null;
      return TransactionFeatures.channelIs(actual, wanted);
    }
  }
}
