package dev.riskstream.features.drift;

import dev.riskstream.schemas.Transaction;
import java.util.Arrays;

/**
 * A categorical attribute of a transaction that drift monitoring follows and segments by. Its name
 * is the name in reports and in segment keys ({@code country=DE}).
 */
public enum Attribute {
  CHANNEL("channel"),
  COUNTRY("country"),
  CURRENCY("currency"),
  MCC_GROUP("mccGroup");

  /** What a missing value counts as, so that a null field is a category rather than an error. */
  static final String ABSENT = "";

  private final String attributeName;

  Attribute(String attributeName) {
    this.attributeName = attributeName;
  }

  public String attributeName() {
    return attributeName;
  }

  /** This attribute's value in {@code tx}. */
  public String valueOf(Transaction tx) {
    String value = switch (this) {
      case CHANNEL -> tx.getChannel() == null ? null : tx.getChannel().name();
      case COUNTRY -> tx.getCountry();
      case CURRENCY -> tx.getCurrency();
      case MCC_GROUP -> MccGroups.groupOf(tx.getMerchantCategory());
    };
    return value == null ? ABSENT : value;
  }

  public static Attribute named(String attributeName) {
    return Arrays.stream(values()).filter(a -> a.attributeName.equals(attributeName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown attribute '" + attributeName
            + "'; known: " + Arrays.stream(values()).map(Attribute::attributeName).toList()));
  }
}
