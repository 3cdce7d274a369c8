package dev.riskstream.features.drift;

import dev.riskstream.schemas.Transaction;
import java.io.Serializable;
import java.util.List;

/**
 * The drift segments a transaction belongs to: {@code all}, and one per configured dimension, such
 * as {@code channel=ECOM}, {@code country=DE} and {@code mccGroup=travel}. Training profiles the
 * same segments, so a key produced here names a segment of the reference profile whenever training
 * saw enough of its rows ({@link ReferenceProfile#segment}).
 */
public final class Segmenter implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final String ALL = "all";
  /** Channel, country and merchant-category group. */
  public static final List<String> DEFAULT_DIMENSIONS =
      List.of(Attribute.CHANNEL.attributeName(), Attribute.COUNTRY.attributeName(), Attribute.MCC_GROUP.attributeName());

  private final List<String> dimensionNames;
  private final Attribute[] dimensions;

  /** @param dimensions attribute names: {@code channel}, {@code country}, {@code currency}, {@code mccGroup} */
  public Segmenter(List<String> dimensions) {
    this.dimensionNames = List.copyOf(dimensions);
    this.dimensions = dimensionNames.stream().map(Attribute::named).toArray(Attribute[]::new);
  }

  public List<String> dimensions() {
    return dimensionNames;
  }

  /** {@code all} first, then one key per dimension in configuration order. */
  public String[] keysOf(Transaction tx) {
    String[] keys = new String[dimensions.length + 1];
    keys[0] = ALL;
    for (int i = 0; i < dimensions.length; i++) {
      keys[i + 1] = dimensions[i].attributeName() + "=" + dimensions[i].valueOf(tx);
    }
    return keys;
  }
}
