package dev.riskstream.features.drift;

import dev.riskstream.features.table.KeyValueTable;
import java.util.Map;

/**
 * Coarse merchant-category groups (travel, retail, digital, cash, high_risk, other): few enough that
 * each gets a drift segment with enough traffic, which single MCCs would not.
 */
public final class MccGroups {

  public static final String OTHER = "other";
  static final String TRAVEL = "travel";

  private static final String TABLE = "/dev/riskstream/features/mcc-groups.csv";
  private static final Map<String, String> GROUP_BY_MCC = KeyValueTable.resource(TABLE);
  // ISO 18245 reserves these for airlines, car rentals and hotels by brand: too many to list
  private static final int FIRST_BRANDED_TRAVEL_MCC = 3000;
  private static final int LAST_BRANDED_TRAVEL_MCC = 3999;

  private MccGroups() {}

  /** The group of {@code merchantCategory}; "other" for codes outside the table, or null. */
  public static String groupOf(String merchantCategory) {
    if (merchantCategory == null) {
      return OTHER;
    }
    String group = GROUP_BY_MCC.get(merchantCategory);
    if (group != null) {
      return group;
    }
    return isBrandedTravel(merchantCategory) ? TRAVEL : OTHER;
  }

  private static boolean isBrandedTravel(String merchantCategory) {
    if (merchantCategory.length() != 4) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      if (!Character.isDigit(merchantCategory.charAt(i))) {
        return false;
      }
    }
    int code = Integer.parseInt(merchantCategory);
    return code >= FIRST_BRANDED_TRAVEL_MCC && code <= LAST_BRANDED_TRAVEL_MCC;
  }
}
