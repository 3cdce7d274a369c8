package dev.riskstream.features.privacy;

import java.util.regex.Pattern;

/**
 * Masks anything that looks like a card number (13 to 19 digits, optionally grouped by spaces or
 * dashes) in text that echoes input: dead-letter previews, log lines, error messages.
 */
public final class Redactor {

  static final String MASK = "[PAN]";
  private static final Pattern CARD_NUMBER_LIKE = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

  private Redactor() {}

  public static String redact(String text) {
    return text == null ? null : CARD_NUMBER_LIKE.matcher(text).replaceAll(MASK);
  }
}
