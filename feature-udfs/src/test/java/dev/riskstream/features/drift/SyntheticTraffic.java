package dev.riskstream.features.drift;

import dev.riskstream.features.Transactions;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Scored transactions from one fixed distribution, optionally shifted, for drift tests. */
final class SyntheticTraffic {

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;
  private static final String[] COUNTRIES = {"DE", "DE", "DE", "FR", "FR", "GB"};
  private static final String[] MCCS = {"5411", "5812", "4511", "6011", "5816"};

  private final Random random;
  private double amountFactor = 1;
  private String newCountry;
  private double newCountryShare;

  SyntheticTraffic(long seed) {
    this.random = new Random(seed);
  }

  SyntheticTraffic amountsTimes(double factor) {
    this.amountFactor = factor;
    return this;
  }

  SyntheticTraffic withNewCountry(String country, double share) {
    this.newCountry = country;
    this.newCountryShare = share;
    return this;
  }

  List<ReferenceProfiler.Row> rows(int count) {
    List<ReferenceProfiler.Row> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(row());
    }
    return rows;
  }

  private ReferenceProfiler.Row row() {
    String country = newCountry != null && random.nextDouble() < newCountryShare
        ? newCountry : COUNTRIES[random.nextInt(COUNTRIES.length)];
    Channel channel = random.nextDouble() < 0.3 ? Channel.ECOM : Channel.POS;
    double amount = Math.exp(3 + random.nextGaussian()) * amountFactor;
    Transaction tx = Transactions.valid().setCountry(country).setChannel(channel)
        .setMerchantCategory(MCCS[random.nextInt(MCCS.length)]).setAmountMinor(Math.round(amount * 100)).build();

    float[] features = SPEC.defaults();
    features[SPEC.requireIndex(FeatureSpec.AMOUNT_BASE_LOG)] = (float) Math.log1p(amount);
    features[SPEC.requireIndex(FeatureSpec.CHANNEL_ECOM)] = channel == Channel.ECOM ? 1f : 0f;
    features[SPEC.requireIndex(FeatureSpec.CARD_TX_COUNT_24H)] = random.nextInt(6);
    features[SPEC.requireIndex(FeatureSpec.HOUR_OF_DAY_SIN)] = (float) Math.sin(random.nextDouble() * 2 * Math.PI);
    boolean profileFound = random.nextDouble() < 0.9;
    if (profileFound) {
      features[SPEC.requireIndex(FeatureSpec.CUSTOMER_RISK_TIER)] = 1 + random.nextInt(5);
      features[SPEC.requireIndex(FeatureSpec.MERCHANT_RISK_SCORE)] = random.nextFloat();
      features[SPEC.requireIndex(FeatureSpec.PROFILE_MISSING)] = 0f;
    }
    double score = 1 / (1 + Math.exp(-(features[SPEC.requireIndex(FeatureSpec.AMOUNT_BASE_LOG)] - 6
        + 0.5 * random.nextGaussian())));
    return new ReferenceProfiler.Row(features, tx, score);
  }

  static ReferenceProfile reference(List<ReferenceProfiler.Row> rows) {
    return new ReferenceProfiler(SPEC.names(), new Segmenter(Segmenter.DEFAULT_DIMENSIONS), 1_000).profile(rows);
  }

  static WindowCounts count(ProfileBinning binning, List<ReferenceProfiler.Row> rows) {
    WindowCounts counts = binning.newCounts();
    for (ReferenceProfiler.Row row : rows) {
      add(binning, counts, row);
    }
    return counts;
  }

  static void add(ProfileBinning binning, WindowCounts counts, ReferenceProfiler.Row row) {
    boolean fallback = row.features()[SPEC.requireIndex(FeatureSpec.PROFILE_MISSING)] == 1f;
    binning.add(counts, row.features(), row.transaction(), row.score(), fallback);
  }
}
