package dev.riskstream.features.validation;

import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks what the Avro schema cannot: formats, ranges and known codes. */
public final class TransactionValidator {

  /** Larger single card payments are data errors, not fraud to score. */
  public static final double MAX_AMOUNT_BASE = 10_000_000;

  private static final Pattern PAN = Pattern.compile("\\d{12,19}");
  private static final Pattern MCC = Pattern.compile("\\d{4}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  private final CurrencyRates rates;

  public TransactionValidator(CurrencyRates rates) {
    this.rates = rates;
  }

  public Optional<Violation> validate(Transaction tx) {
    if (isBlank(tx.getTransactionId())) {
      return invalid("transactionId is blank");
    }
    // null: an encrypted card the caller has not decrypted, or neither card field
    if (tx.getCardNumber() == null || !PAN.matcher(tx.getCardNumber()).matches()) {
      return invalid("cardNumber is not 12 to 19 digits");
    }
    if (isBlank(tx.getCustomerId())) {
      return invalid("customerId is blank");
    }
    if (isBlank(tx.getMerchantId())) {
      return invalid("merchantId is blank");
    }
    if (!MCC.matcher(tx.getMerchantCategory()).matches()) {
      return invalid("merchantCategory '" + tx.getMerchantCategory() + "' is not a four-digit MCC");
    }
    if (!COUNTRY.matcher(tx.getCountry()).matches()) {
      return invalid("country '" + tx.getCountry() + "' is not ISO 3166-1 alpha-2");
    }
    if (tx.getAmountMinor() <= 0) {
      return invalid("amountMinor " + tx.getAmountMinor() + " is not positive");
    }
    Optional<Double> amountBase = rates.toBase(tx.getAmountMinor(), tx.getCurrency());
    if (amountBase.isEmpty()) {
      return Optional.of(new Violation(DeadLetterReason.UNKNOWN_CURRENCY,
          "currency '" + tx.getCurrency() + "' has no rate"));
    }
    if (amountBase.get() > MAX_AMOUNT_BASE) {
      return invalid("amount " + tx.getAmountMinor() + " " + tx.getCurrency() + " exceeds "
          + (long) MAX_AMOUNT_BASE + " " + CurrencyRates.BASE_CURRENCY);
    }
    return Optional.empty();
  }

  private static Optional<Violation> invalid(String message) {
    return Optional.of(new Violation(DeadLetterReason.INVALID_FIELD, message));
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
