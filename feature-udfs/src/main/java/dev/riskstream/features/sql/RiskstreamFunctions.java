package dev.riskstream.features.sql;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Channel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.UserDefinedFunction;

/**
 * Registers the riskstream SQL functions in a {@link TableEnvironment}, so that batch queries and
 * ad-hoc analysis compute the per-transaction features with the serving code, and name the
 * others by the specification. Functions that compute a feature are named after it, upper-cased.
 */
public final class RiskstreamFunctions {

  private RiskstreamFunctions() {}

  /** Name to function, in a stable order. */
  public static Map<String, UserDefinedFunction> all() {
    Map<String, UserDefinedFunction> functions = new LinkedHashMap<>();
    functions.put("AMOUNT_TO_BASE", new TransactionFunctions.AmountToBase());
    functions.put(sqlName(FeatureSpec.AMOUNT_BASE_LOG), new TransactionFunctions.AmountBaseLog());
    functions.put("LOCAL_HOUR", new TransactionFunctions.LocalHour());
    functions.put(sqlName(FeatureSpec.HOUR_OF_DAY_SIN), new TransactionFunctions.HourOfDaySin());
    functions.put(sqlName(FeatureSpec.HOUR_OF_DAY_COS), new TransactionFunctions.HourOfDayCos());
    functions.put(sqlName(FeatureSpec.IS_NIGHT), new TransactionFunctions.IsNight());
    functions.put(sqlName(FeatureSpec.MCC_HIGH_RISK), new TransactionFunctions.MccHighRisk());
    functions.put(sqlName(FeatureSpec.CHANNEL_ECOM), new TransactionFunctions.ChannelIndicator(Channel.ECOM));
    functions.put(sqlName(FeatureSpec.CHANNEL_ATM), new TransactionFunctions.ChannelIndicator(Channel.ATM));
    functions.put(sqlName(FeatureSpec.CHANNEL_MOTO), new TransactionFunctions.ChannelIndicator(Channel.MOTO));
    functions.put("FEATURE_DEFAULT", new FeatureSpecFunctions.FeatureDefault());
    functions.put("LOGGED_FEATURE", new FeatureSpecFunctions.LoggedFeature());
    return functions;
  }

  /** Registers every function as a temporary system function (usable from any catalog and database). */
  public static void register(TableEnvironment env) {
    all().forEach(env::createTemporarySystemFunction);
  }

  private static String sqlName(String feature) {
    return feature.toUpperCase(Locale.ROOT);
  }
}
