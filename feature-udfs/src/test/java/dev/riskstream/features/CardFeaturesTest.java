package dev.riskstream.features;

import static dev.riskstream.features.spec.FeatureSpec.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.CardState;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CardFeaturesTest {

  private final CardFeatures features = new CardFeatures();

  private static float value(float[] vector, String name) {
    return vector[FeatureSpec.CURRENT.requireIndex(name)];
  }

  private static Transaction at(Duration offset, String merchant, long amountMinor) {
    return Transactions.valid()
        .setEventTime(Transactions.NOON.plus(offset))
        .setMerchantId(merchant)
        .setAmountMinor(amountMinor)
        .build();
  }

  @Test
  void aCardWithoutHistoryGetsTheDocumentedDefaults() {
    float[] v = features.extract(Transactions.valid().build(), 25.0, CardFeatures.emptyHistory());

    assertThat(value(v, SECONDS_SINCE_LAST_TX_LOG)).isEqualTo(FeatureSpec.NO_PREVIOUS_TRANSACTION);
    assertThat(value(v, AMOUNT_TO_CARD_MEAN)).isEqualTo(1f);
    assertThat(value(v, CARD_TX_COUNT_24H)).isZero();
    assertThat(value(v, NEW_MERCHANT_FOR_CARD)).isEqualTo(1f);
    assertThat(value(v, AMOUNT_BASE_LOG)).isCloseTo((float) Math.log1p(25), within(1e-6f));
    assertThat(value(v, IS_NIGHT)).isZero();
    // 12:00 UTC is 13:00 in Berlin in March
    assertThat(value(v, HOUR_OF_DAY_COS)).isCloseTo((float) Math.cos(2 * Math.PI * 13 / 24), within(1e-6f));
    assertThat(value(v, NEW_DEVICE_FOR_CARD)).as("no deviceId: default").isZero();
  }

  @Test
  void countsEarlierTransactionsPerHorizon() {
    CardState history = CardFeatures.emptyHistory();
    for (Duration offset : List.of(Duration.ofHours(-30), Duration.ofHours(-5), Duration.ofMinutes(-30),
        Duration.ofSeconds(-20), Duration.ofSeconds(-10))) {
      CardFeatures.remember(history, at(offset, "merchant-1", 1_000), 10.0);
    }

    float[] v = features.extract(at(Duration.ZERO, "merchant-2", 5_000), 50.0, history);

    assertThat(value(v, CARD_TX_COUNT_1M)).isEqualTo(2f);
    assertThat(value(v, CARD_TX_COUNT_1H)).isEqualTo(3f);
    assertThat(value(v, CARD_TX_COUNT_24H)).isEqualTo(4f);
    assertThat(value(v, CARD_AMOUNT_SUM_1M_LOG)).isCloseTo((float) Math.log1p(20), within(1e-5f));
    assertThat(value(v, CARD_AMOUNT_SUM_1H_LOG)).isCloseTo((float) Math.log1p(30), within(1e-5f));
    assertThat(value(v, CARD_AMOUNT_SUM_24H_LOG)).isCloseTo((float) Math.log1p(40), within(1e-5f));
    assertThat(value(v, SECONDS_SINCE_LAST_TX_LOG)).isCloseTo((float) Math.log1p(10), within(1e-5f));
    assertThat(value(v, AMOUNT_TO_CARD_MEAN)).isCloseTo(5f, within(1e-5f));
    assertThat(value(v, NEW_MERCHANT_FOR_CARD)).isEqualTo(1f);
    assertThat(value(v, NEW_COUNTRY_FOR_CARD)).isZero();
    assertThat(history.getRecentTimes()).as("older than 24 h is dropped").hasSize(4);
  }

  @Test
  void outOfOrderArrivalGivesTheSameFeaturesAsEventTimeOrder() {
    List<Transaction> stream = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      stream.add(at(Duration.ofSeconds(37L * i), "merchant-" + (i % 3), 1_000 + 100L * i));
    }
    Transaction probe = at(Duration.ofSeconds(37L * 20), "merchant-9", 9_999);

    CardState inOrder = CardFeatures.emptyHistory();
    stream.forEach(tx -> CardFeatures.remember(inOrder, tx, tx.getAmountMinor() / 100.0));
    List<Transaction> shuffled = new ArrayList<>(stream);
    Collections.shuffle(shuffled, new java.util.Random(7));
    CardState outOfOrder = CardFeatures.emptyHistory();
    shuffled.forEach(tx -> CardFeatures.remember(outOfOrder, tx, tx.getAmountMinor() / 100.0));

    assertThat(features.extract(probe, 99.99, outOfOrder))
        .containsExactly(features.extract(probe, 99.99, inOrder), within(1e-5f));
  }

  @Test
  void historyReadBackByAvroCanBeUpdated() throws Exception {
    CardState history = CardFeatures.emptyHistory();
    for (int i = 0; i < 40; i++) {
      history = roundTrip(history);
      CardFeatures.remember(history, at(Duration.ofMinutes(i), "m-" + (i % 3), 100), 1.0);
    }
    assertThat(history.getKnownMerchants()).containsExactly("m-1", "m-2", "m-0");
    assertThat(history.getTransactionCount()).isEqualTo(40);
  }

  /** What a state backend that serializes (RocksDB) hands back. */
  private static CardState roundTrip(CardState state) throws java.io.IOException {
    var out = new java.io.ByteArrayOutputStream();
    var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
    new org.apache.avro.specific.SpecificDatumWriter<>(CardState.class).write(state, encoder);
    encoder.flush();
    var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
    return new org.apache.avro.specific.SpecificDatumReader<>(CardState.class).read(null, decoder);
  }

  @Test
  void stateStaysBoundedUnderABurst() {
    CardState history = CardFeatures.emptyHistory();
    for (int i = 0; i < 5_000; i++) {
      CardFeatures.remember(history, at(Duration.ofMillis(10L * i), "m-" + i, 100), 1.0);
    }
    assertThat(history.getRecentTimes()).hasSize(CardFeatures.MAX_RECENT_TRANSACTIONS);
    assertThat(history.getRecentAmountsBase()).hasSize(CardFeatures.MAX_RECENT_TRANSACTIONS);
    assertThat(history.getKnownMerchants()).hasSize(CardFeatures.MAX_KNOWN_MERCHANTS).contains("m-4999");
    assertThat(history.getTransactionCount()).isEqualTo(5_000);
  }

  @Test
  void knownDevicesAreBoundedAndTransactionsWithoutOneLeaveThemAlone() {
    CardState history = CardFeatures.emptyHistory();
    for (int i = 0; i < 50; i++) {
      Transaction tx = Transactions.valid().setEventTime(Transactions.NOON.plusSeconds(i))
          .setDeviceId(i % 2 == 0 ? "device-" + i : null).build();
      CardFeatures.remember(history, tx, 1.0);
    }
    assertThat(history.getKnownDevices()).hasSize(CardFeatures.MAX_KNOWN_DEVICES).contains("device-48")
        .doesNotContain("device-0");
  }

  @Test
  void aDeviceIsNewUntilTheCardHasUsedIt() {
    CardState history = CardFeatures.emptyHistory();
    Transaction first = Transactions.valid().setDeviceId("device-a").build();
    assertThat(value(features.extract(first, 25, history), NEW_DEVICE_FOR_CARD)).isEqualTo(1f);
    CardFeatures.remember(history, first, 25);

    Transaction sameDevice = Transactions.valid().setEventTime(Transactions.NOON.plusSeconds(60))
        .setDeviceId("device-a").build();
    Transaction otherDevice = Transactions.valid().setEventTime(Transactions.NOON.plusSeconds(60))
        .setDeviceId("device-b").build();
    Transaction noDevice = Transactions.valid().setEventTime(Transactions.NOON.plusSeconds(60)).build();
    assertThat(value(features.extract(sameDevice, 25, history), NEW_DEVICE_FOR_CARD)).isZero();
    assertThat(value(features.extract(otherDevice, 25, history), NEW_DEVICE_FOR_CARD)).isEqualTo(1f);
    assertThat(value(features.extract(noDevice, 25, history), NEW_DEVICE_FOR_CARD))
        .isEqualTo(FeatureSpec.CURRENT.feature(NEW_DEVICE_FOR_CARD).defaultValue());
  }

  @Test
  void hourOfDayIsTheMerchantCountrysLocalTimeWithDaylightSaving() {
    // 20:30 UTC is 05:30 the next morning in Tokyo: night there, not in UTC
    assertThat(value(extractAt("2026-03-02T20:30:00Z", "JP"), IS_NIGHT)).isEqualTo(1f);
    assertThat(value(extractAt("2026-03-02T20:30:00Z", "GB"), IS_NIGHT)).isZero();
    // Berlin moves to summer time at 01:00 UTC on 29 March 2026: 04:30 UTC is 05:30, then 06:30
    assertThat(value(extractAt("2026-03-28T04:30:00Z", "DE"), IS_NIGHT)).isEqualTo(1f);
    assertThat(value(extractAt("2026-03-29T04:30:00Z", "DE"), IS_NIGHT)).isZero();
    assertThat(TransactionFeatures.localHour(java.time.Instant.parse("2026-03-29T04:30:00Z").toEpochMilli(), "DE"))
        .isCloseTo(6.5, within(1e-9));
    // New York: UTC-5 in winter, UTC-4 from 8 March 2026
    assertThat(TransactionFeatures.localHour(java.time.Instant.parse("2026-03-02T12:00:00Z").toEpochMilli(), "US"))
        .isCloseTo(7.0, within(1e-9));
    assertThat(TransactionFeatures.localHour(java.time.Instant.parse("2026-03-09T12:00:00Z").toEpochMilli(), "US"))
        .isCloseTo(8.0, within(1e-9));
  }

  @Test
  void anUnknownCountryIsReadInUtc() {
    assertThat(dev.riskstream.features.time.CountryZones.isKnown("ZZ")).isFalse();
    assertThat(TransactionFeatures.localHour(java.time.Instant.parse("2026-03-02T03:15:00Z").toEpochMilli(), "ZZ"))
        .isCloseTo(3.25, within(1e-9));
    assertThat(value(extractAt("2026-03-02T03:15:00Z", "ZZ"), IS_NIGHT)).isEqualTo(1f);
  }

  private float[] extractAt(String instant, String country) {
    Transaction tx = Transactions.valid().setEventTime(java.time.Instant.parse(instant)).setCountry(country).build();
    return features.extract(tx, 10, CardFeatures.emptyHistory());
  }

  @Test
  void channelMerchantCategoryAndNightAreIndicated() {
    Transaction tx = Transactions.valid()
        .setChannel(Channel.ECOM)
        .setMerchantCategory("6051")
        .setEventTime(java.time.Instant.parse("2026-03-02T03:30:00Z"))
        .build();
    float[] v = features.extract(tx, 10, CardFeatures.emptyHistory());
    assertThat(value(v, CHANNEL_ECOM)).isEqualTo(1f);
    assertThat(value(v, CHANNEL_ATM)).isZero();
    assertThat(value(v, MCC_HIGH_RISK)).isEqualTo(1f);
    assertThat(value(v, IS_NIGHT)).isEqualTo(1f);
  }
}
