package dev.riskstream.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The rule set riskstream ships: block and allow lists and the rules most fraud teams start with. */
public final class StarterRules {

  public static final String RESOURCE = "/dev/riskstream/rules/starter-rules.yaml";

  private StarterRules() {}

  public static String yaml() {
    try (InputStream in = StarterRules.class.getResourceAsStream(RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
