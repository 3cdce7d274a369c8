package dev.riskstream.rules;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.riskstream.features.TransactionFeatures;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Transaction;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What rules know of one scored transaction: the values of {@link RuleEnvironment}'s names; the
 * derived ones (the amount in the base currency, the local hour) computed once, when a rule first
 * asks for them. One instance per transaction, on one thread.
 */
public final class TransactionFacts {

  private static final CurrencyRates RATES = CurrencyRates.bundled();
  private static final Map<String, Integer> FEATURE_AT = new HashMap<>();

  static {
    FeatureSpec.CURRENT.names().forEach(
        name -> FEATURE_AT.put(RuleEnvironment.FEATURE_PREFIX + name, FeatureSpec.CURRENT.requireIndex(name)));
  }

  private final Transaction transaction;
  private final float[] features;
  private final LookupStatus lookupStatus;
  private final double score;
  private final String modelVersion;
  private Optional<Object> amount;
  private Optional<Object> localHour;

  /**
   * @param transaction tokenized: its {@code cardNumber} holds the card token
   * @param features in {@link FeatureSpec#CURRENT} order
   * @param score NaN when the model gave none
   */
  public TransactionFacts(Transaction transaction, float[] features, LookupStatus lookupStatus, double score,
      String modelVersion) {
    this.transaction = transaction;
    this.features = features;
    this.lookupStatus = lookupStatus;
    this.score = score;
    this.modelVersion = modelVersion;
  }

  /**
   * The value of a name of {@link RuleEnvironment}, but the lists, as CEL's runtime computes with it;
   * empty when it has none.
   */
  Optional<Object> find(String name) {
    Integer feature = FEATURE_AT.get(name);
    if (feature != null) {
      return prepared((double) features[feature], SimpleType.DOUBLE);
    }
    return switch (name) {
      case "amount" -> amount();
      case "amount_minor" -> prepared(transaction.getAmountMinor(), SimpleType.INT);
      case "currency" -> prepared(transaction.getCurrency(), SimpleType.STRING);
      case "country" -> prepared(transaction.getCountry(), SimpleType.STRING);
      case "mcc" -> prepared(transaction.getMerchantCategory(), SimpleType.STRING);
      case "channel" -> prepared(transaction.getChannel().name(), SimpleType.STRING);
      case "merchant" -> prepared(transaction.getMerchantId(), SimpleType.STRING);
      case "customer" -> prepared(transaction.getCustomerId(), SimpleType.STRING);
      case "card" -> prepared(transaction.getCardNumber(), SimpleType.STRING);
      case "device" -> prepared(transaction.getDeviceId(), SimpleType.STRING);
      case "has_device" -> prepared(transaction.getDeviceId() != null, SimpleType.BOOL);
      case "local_hour" -> localHour();
      case "lookup_status" -> prepared(lookupStatus.name(), SimpleType.STRING);
      case "score" -> Double.isNaN(score) ? Optional.empty() : prepared(score, SimpleType.DOUBLE);
      case "has_score" -> prepared(!Double.isNaN(score), SimpleType.BOOL);
      case "model_version" -> prepared(modelVersion, SimpleType.STRING);
      default -> Optional.empty();
    };
  }

  /** @param value a {@code Long}, {@code Double}, {@code String} or {@code Boolean}, as CEL computes with them; or null */
  private static Optional<Object> prepared(Object value, CelType type) {
    return value == null ? Optional.empty() : Optional.of(new PreparedValue(value, type));
  }

  /** The amount in the base currency (EUR); empty when its currency has no rate. */
  public Optional<Double> amountInBaseCurrency() {
    return amount().map(prepared -> (Double) ((PreparedValue) prepared).value());
  }

  private Optional<Object> amount() {
    if (amount == null) {
      amount = RATES.toBase(transaction.getAmountMinor(), transaction.getCurrency())
          .flatMap(base -> prepared(base, SimpleType.DOUBLE));
    }
    return amount;
  }

  private Optional<Object> localHour() {
    if (localHour == null) {
      localHour = prepared((long) TransactionFeatures.localHour(
          transaction.getEventTime().toEpochMilli(), transaction.getCountry()), SimpleType.INT);
    }
    return localHour;
  }
}
