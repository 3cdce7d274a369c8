package dev.riskstream.local.simulator;

/** The Luhn (mod 10) check digit that every real PAN ends with. */
public final class Luhn {

  private Luhn() {}

  /** The digit that makes {@code payload} followed by it pass the Luhn check. */
  public static int checkDigit(CharSequence payload) {
    int sum = 0;
    boolean doubled = true;
    for (int i = payload.length() - 1; i >= 0; i--) {
      int digit = payload.charAt(i) - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return (10 - sum % 10) % 10;
  }
}
