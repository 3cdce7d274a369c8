package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSplitTest {

  private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");

  @Test
  void trainsOnTheFirstPartOfTheTimeSpanAndTestsOnTheRest() {
    List<FeatureRow> rows = new ArrayList<>();
    for (int minute = 0; minute <= 100; minute++) {
      rows.add(row(minute, minute % 10 == 0));
    }

    TimeSplit split = TimeSplit.byEventTime(rows, 0.8);

    assertThat(split.cutoff()).isEqualTo(START.plusSeconds(80 * 60));
    assertThat(split.train()).hasSize(80).allMatch(r -> r.eventTimeMillis() < split.cutoff().toEpochMilli());
    assertThat(split.test()).hasSize(21).allMatch(r -> r.eventTimeMillis() >= split.cutoff().toEpochMilli());
  }

  @Test
  void refusesAPeriodWithoutFraud() {
    List<FeatureRow> rows = new ArrayList<>();
    for (int minute = 0; minute <= 100; minute++) {
      rows.add(row(minute, minute == 10 || minute == 20));
    }

    assertThatThrownBy(() -> TimeSplit.byEventTime(rows, 0.8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test period");
  }

  private static FeatureRow row(int minute, boolean fraud) {
    Transaction tx = Transaction.newBuilder()
        .setTransactionId("tx-" + minute)
        .setCardNumber("4111111111111111")
        .setCustomerId("cust-1")
        .setMerchantId("merchant-1")
        .setMerchantCategory("5411")
        .setMerchantName("shop")
        .setAmountMinor(100)
        .setCurrency("EUR")
        .setCountry("DE")
        .setChannel(Channel.POS)
        .setEventTime(START.plusSeconds(minute * 60L))
        .build();
    return new FeatureRow(new LabeledTransaction(tx, fraud), new float[0]);
  }
}
