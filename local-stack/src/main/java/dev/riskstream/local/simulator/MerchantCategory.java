package dev.riskstream.local.simulator;

import dev.riskstream.schemas.Channel;

/**
 * The ISO 18245 merchant category codes the simulator uses, with a typical ticket in euros, how common
 * such merchants are, how many of them sell remotely, and whether fraudsters favour them.
 */
public enum MerchantCategory {
  GROCERY("5411", 45, 20, Channel.POS, 0.10, false, false),
  RESTAURANT("5812", 35, 14, Channel.POS, 0.0, false, false),
  FAST_FOOD("5814", 12, 10, Channel.POS, 0.15, false, false),
  FUEL("5541", 55, 8, Channel.POS, 0.0, false, false),
  PHARMACY("5912", 20, 6, Channel.POS, 0.2, false, false),
  DEPARTMENT_STORE("5311", 70, 4, Channel.POS, 0.3, false, false),
  CLOTHING("5651", 60, 6, Channel.POS, 0.4, false, false),
  BOOKS("5942", 25, 3, Channel.POS, 0.5, false, false),
  COMMUTER_TRANSPORT("4111", 3.5, 6, Channel.POS, 0.2, false, false),
  TAXI("4121", 20, 4, Channel.POS, 0.3, false, false),
  CINEMA("7832", 15, 2, Channel.POS, 0.3, false, false),
  MISC_RETAIL("5999", 30, 6, Channel.POS, 0.5, false, false),
  DIGITAL_GOODS("5815", 9, 4, Channel.POS, 1.0, false, false),
  CHARITY("8398", 20, 1, Channel.POS, 1.0, false, false),
  CATALOG_MERCHANT("5964", 50, 1, Channel.POS, 1.0, true, false),
  HOTEL("7011", 150, 3, Channel.POS, 0.5, false, false),
  AIRLINE("4511", 350, 1, Channel.POS, 0.9, false, false),
  TRAVEL_AGENCY("4722", 400, 1, Channel.POS, 0.6, true, false),
  ATM("6011", 100, 4, Channel.ATM, 0.0, false, false),
  ELECTRONICS("5732", 300, 3, Channel.POS, 0.5, false, true),
  JEWELRY("5944", 500, 1, Channel.POS, 0.2, false, true),
  QUASI_CASH("6051", 200, 1, Channel.POS, 0.7, false, true);

  private final String code;
  private final double typicalAmountEur;
  private final double popularity;
  private final Channel presentChannel;
  private final double remoteShare;
  private final boolean mailOrder;
  private final boolean highRisk;

  MerchantCategory(String code, double typicalAmountEur, double popularity, Channel presentChannel,
      double remoteShare, boolean mailOrder, boolean highRisk) {
    this.code = code;
    this.typicalAmountEur = typicalAmountEur;
    this.popularity = popularity;
    this.presentChannel = presentChannel;
    this.remoteShare = remoteShare;
    this.mailOrder = mailOrder;
    this.highRisk = highRisk;
  }

  /** The four-digit ISO 18245 code. */
  public String code() {
    return code;
  }

  public double typicalAmountEur() {
    return typicalAmountEur;
  }

  public boolean highRisk() {
    return highRisk;
  }

  double popularity() {
    return popularity;
  }

  /** How a new merchant of this category takes cards: in person, or remotely (online, or by mail/phone). */
  Channel channelFor(Dice dice) {
    if (!dice.chance(remoteShare)) {
      return presentChannel;
    }
    return mailOrder && dice.chance(0.5) ? Channel.MOTO : Channel.ECOM;
  }
}
