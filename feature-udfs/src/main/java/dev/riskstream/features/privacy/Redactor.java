package dev.riskstream.features.privacy;

import java.util.regex.Pattern;

/**
 * Masks anything that looks like a card number in text that echoes input: dead-letter previews, log
 * lines, error messages. Any run of 12 or more digits, optionally grouped by single spaces or dashes,
 * is masked whole: 12 is the shortest PAN the validator accepts, and a longer run may be a PAN glued
 * to other digits (in a binary preview, a string's length byte can read as a digit), so it has no
 * upper bound.
 */
public final class Redactor {

  static final String MASK = "[PAN]";
  private static final Pattern CARD_NUMBER_LIKE = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){11,}(?!\\d)");

  private Redactor() {}

  public static String redact(String text) {
    return text == null ? null : CARD_NUMBER_LIKE.matcher(text).replaceAll(MASK);
  }
}
