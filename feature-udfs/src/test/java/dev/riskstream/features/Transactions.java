package dev.riskstream.features;

import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.time.Instant;

/** Valid transactions for tests, varied through the builder. */
public final class Transactions {

  public static final Instant NOON = Instant.parse("2026-03-02T12:00:00Z");

  private Transactions() {}

  public static Transaction.Builder valid() {
    return Transaction.newBuilder()
        .setTransactionId("tx-1")
        .setCardNumber("4111111111111111")
        .setCustomerId("cust-1")
        .setMerchantId("merchant-1")
        .setMerchantCategory("5411")
        .setMerchantName("Bäckerei Müller")
        .setAmountMinor(2_500)
        .setCurrency("EUR")
        .setCountry("DE")
        .setChannel(Channel.POS)
        .setEventTime(NOON);
  }
}
