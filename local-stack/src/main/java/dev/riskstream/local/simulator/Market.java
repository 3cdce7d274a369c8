package dev.riskstream.local.simulator;

import dev.riskstream.features.currency.CurrencyRates;
import java.util.Currency;
import java.util.List;

/**
 * A country where customers live and merchants trade, with its real currency, one representative UTC
 * offset (daylight saving ignored: "local" hours are local-ish) and merchant names in its script.
 * Emerging markets have merchants only under drift, so that drift brings countries never seen before.
 */
public enum Market {
  DE("EUR", 60, 14, false, List.of("Müller", "Bäckerei Schäfer", "Jäger & Köhler", "Weiß", "Günther"),
      List.of("München", "Köln", "Düsseldorf", "Nürnberg")),
  FR("EUR", 60, 12, false, List.of("Chez Hélène", "Lefèvre", "Maison Dupré", "Crêperie Bérénice", "Garçon"),
      List.of("Orléans", "Besançon", "Nîmes", "Paris")),
  ES("EUR", 60, 8, false, List.of("Peña", "Muñoz", "Ibáñez", "Castañeda", "La Española"),
      List.of("Logroño", "Cádiz", "Málaga", "A Coruña")),
  CH("CHF", 60, 4, false, List.of("Zürcher", "Brändli", "Käserei Hübscher", "Crémerie"),
      List.of("Zürich", "Genève", "Bern")),
  GB("GBP", 0, 10, false, List.of("Smith & Sons", "The Crown", "Hart's", "Corner Shop"),
      List.of("Leeds", "Bath", "York", "Norwich")),
  GR("EUR", 120, 4, false, List.of("Παπαδόπουλος", "Καφενείο Ο Νίκος", "Ελιά", "Φούρνος"),
      List.of("Αθήνα", "Θεσσαλονίκη", "Πάτρα")),
  UA("UAH", 120, 4, false, List.of("Петренко", "Кав'ярня", "Смачно", "Ковальчук"),
      List.of("Київ", "Львів", "Одеса")),
  US("USD", -300, 10, false, List.of("Joe's", "Main Street", "Liberty", "Sunrise Deli"),
      List.of("Boston", "Austin", "Denver", "Miami")),
  MX("MXN", -360, 4, false, List.of("Doña Inés", "La Señora", "Peñafiel", "Abarrotes Güero"),
      List.of("Mérida", "Querétaro", "Ciudad de México")),
  BR("BRL", -180, 6, false, List.of("São Jorge", "Açaí da Praça", "Conceição", "Padaria Irmão"),
      List.of("São Paulo", "Belém", "Maceió")),
  IN("INR", 330, 6, false, List.of("शर्मा", "गणेश", "लक्ष्मी स्टोर", "अन्नपूर्णा"),
      List.of("दिल्ली", "मुंबई", "जयपुर")),
  JP("JPY", 540, 6, false, List.of("山田", "さくら", "𠮷田商店", "まるや"),
      List.of("東京", "大阪", "京都")),
  KR("KRW", 540, 4, false, List.of("김씨네", "한빛", "푸른마트", "다온"),
      List.of("서울", "부산", "대구")),
  KW("KWD", 180, 2, false, List.of("الصباح", "النور", "بيت الخليج", "الوطني"),
      List.of("الكويت", "حولي", "الجهراء")),
  BH("BHD", 180, 2, false, List.of("اللؤلؤ", "دلمون", "السيف", "المنار"),
      List.of("المنامة", "المحرق", "الرفاع")),
  AU("AUD", 600, 4, false, List.of("Wattle", "Bondi Corner", "Kookaburra", "Outback Co"),
      List.of("Sydney", "Perth", "Hobart")),
  TH("THB", 420, 3, true, List.of("สยาม", "ช้างทอง", "บ้านสวน", "ร้านดี"),
      List.of("กรุงเทพ", "เชียงใหม่", "ภูเก็ต")),
  TR("TRY", 180, 3, true, List.of("Çınar", "Güneş", "Öztürk", "Şeker Dükkânı"),
      List.of("İstanbul", "İzmir", "Muğla"));

  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;

  private final Currency currency;
  private final long utcOffsetMillis;
  private final double weight;
  private final boolean emerging;
  private final List<String> nameStems;
  private final List<String> places;
  private final double minorUnitsPerEur;
  private final long cashStepMinor;

  Market(String currencyCode, int utcOffsetMinutes, double weight, boolean emerging, List<String> nameStems,
      List<String> places) {
    this.currency = Currency.getInstance(currencyCode);
    this.utcOffsetMillis = utcOffsetMinutes * 60_000L;
    this.weight = weight;
    this.emerging = emerging;
    this.nameStems = nameStems;
    this.places = places;
    this.minorUnitsPerEur = CurrencyRates.bundled().minorUnitsPerBaseUnit(currencyCode)
        .orElseThrow(() -> new IllegalStateException("no rate for " + currencyCode));
    this.cashStepMinor = cashStepMinor(minorUnitsPerEur, currency.getDefaultFractionDigits());
  }

  /** Cash comes in round amounts of the local currency: 10 EUR, 1000 JPY, 10000 KRW, 1 KWD. */
  private static long cashStepMinor(double minorUnitsPerEur, int fractionDigits) {
    double majorUnitsForTwentyEur = 20 * minorUnitsPerEur / Math.pow(10, fractionDigits);
    double stepMajor = Math.pow(10, Math.floor(Math.log10(majorUnitsForTwentyEur)));
    return Math.round(stepMajor * Math.pow(10, fractionDigits));
  }

  public String country() {
    return name();
  }

  public Currency currency() {
    return currency;
  }

  /** Relative size of the market, for customers, merchants and travel destinations alike. */
  double weight() {
    return weight;
  }

  boolean emerging() {
    return emerging;
  }

  String merchantName(Dice dice) {
    return dice.any(nameStems) + " " + dice.any(places);
  }

  /** The amount in minor units of this market's currency, never below one unit. */
  long toMinor(double amountEur) {
    return Math.max(1, Math.round(amountEur * minorUnitsPerEur));
  }

  long toCashMinor(double amountEur) {
    return Math.max(1, Math.round(amountEur * minorUnitsPerEur / cashStepMinor)) * cashStepMinor;
  }

  int localHour(long epochMillis) {
    return (int) Math.floorMod(Math.floorDiv(epochMillis + utcOffsetMillis, HOUR_MILLIS), 24L);
  }

  /** The first local midnight after the instant, as epoch millis. */
  long nextLocalMidnight(long epochMillis) {
    long localMillis = epochMillis + utcOffsetMillis;
    return (Math.floorDiv(localMillis, DAY_MILLIS) + 1) * DAY_MILLIS - utcOffsetMillis;
  }
}
