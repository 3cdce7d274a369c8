package dev.riskstream.rules;

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

  /** The value of a name of {@link RuleEnvironment}, but the lists; empty when it has none. */
  Optional<Object> find(String name) {
    Integer feature = FEATURE_AT.get(name);
    if (feature != null) {
      return Optional.of((double) features[feature]);
    }
    return switch (name) {
      case "amount" -> amount();
      case "amount_minor" -> Optional.of(transaction.getAmountMinor());
      case "currency" -> Optional.of(transaction.getCurrency());
      case "country" -> Optional.of(transaction.getCountry());
      case "mcc" -> Optional.of(transaction.getMerchantCategory());
      case "channel" -> Optional.of(transaction.getChannel().name());
      case "merchant" -> Optional.of(transaction.getMerchantId());
      case "customer" -> Optional.of(transaction.getCustomerId());
      case "card" -> Optional.ofNullable(transaction.getCardNumber());
      case "device" -> Optional.ofNullable(transaction.getDeviceId());
      case "has_device" -> Optional.of(transaction.getDeviceId() != null);
      case "local_hour" -> localHour();
      case "lookup_status" -> Optional.of(lookupStatus.name());
      case "score" -> Double.isNaN(score) ? Optional.empty() : Optional.of(score);
      case "has_score" -> Optional.of(!Double.isNaN(score));
      case "model_version" -> Optional.ofNullable(modelVersion);
      default -> Optional.empty();
    };
  }

  private Optional<Object> amount() {
    if (amount == null) {
      amount = RATES.toBase(transaction.getAmountMinor(), transaction.getCurrency()).map(Object.class::cast);
    }
    return amount;
  }

  private Optional<Object> localHour() {
    if (localHour == null) {
      localHour = Optional.of((long) TransactionFeatures.localHour(
          transaction.getEventTime().toEpochMilli(), transaction.getCountry()));
    }
    return localHour;
  }
}
