package dev.riskstream.features.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.Transactions;
import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import org.junit.jupiter.api.Test;

class TransactionValidatorTest {

  private final TransactionValidator validator = new TransactionValidator(CurrencyRates.bundled());

  private Violation violation(Transaction.Builder tx) {
    return validator.validate(tx.build()).orElseThrow();
  }

  @Test
  void acceptsAValidTransactionInAnyScript() {
    assertThat(validator.validate(Transactions.valid().setMerchantName("東京 カフェ").build())).isEmpty();
  }

  @Test
  void rejectsEachBrokenFieldWithAReasonThatNeverEchoesThePan() {
    assertThat(violation(Transactions.valid().setTransactionId(" ")).message()).contains("transactionId");
    assertThat(violation(Transactions.valid().setCardNumber("4111-abc")).message())
        .contains("cardNumber").doesNotContain("4111");
    // since Transaction v2 the clear PAN is optional; a record without it is invalid, not a crash
    assertThat(violation(Transactions.valid().setCardNumber(null)).message()).contains("cardNumber");
    assertThat(violation(Transactions.valid().setMerchantCategory("54")).message()).contains("merchantCategory");
    assertThat(violation(Transactions.valid().setCountry("Germany")).message()).contains("country");
    assertThat(violation(Transactions.valid().setAmountMinor(-5)).message()).contains("not positive");
    assertThat(violation(Transactions.valid().setAmountMinor(0)).reason()).isEqualTo(DeadLetterReason.INVALID_FIELD);
    assertThat(violation(Transactions.valid().setAmountMinor(Long.MAX_VALUE)).message()).contains("exceeds");
  }

  @Test
  void anUnknownCurrencyHasItsOwnReason() {
    Violation v = violation(Transactions.valid().setCurrency("ZZZ"));
    assertThat(v.reason()).isEqualTo(DeadLetterReason.UNKNOWN_CURRENCY);
    assertThat(v.message()).contains("ZZZ");
  }
}
