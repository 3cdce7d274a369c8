package dev.riskstream.features.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrivacyTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void tokensAreStablePerKeyAndHideThePan() {
    String token = new CardTokenizer(KEY).token("4111111111111111");
    assertThat(new CardTokenizer(KEY).token("4111111111111111")).isEqualTo(token);
    assertThat(new CardTokenizer("another-key-of-16-bytes!".getBytes(StandardCharsets.US_ASCII))
        .token("4111111111111111")).isNotEqualTo(token);
    assertThat(token).hasSize(64).doesNotContain("4111");
  }

  @Test
  void refusesShortKeys() {
    assertThatThrownBy(() -> new CardTokenizer(new byte[8])).hasMessageContaining("16 bytes");
  }

  @Test
  void redactsCardNumberLikeDigitRunsOnly() {
    assertThat(Redactor.redact("pan=4111111111111111;id=42")).isEqualTo("pan=[PAN];id=42");
    assertThat(Redactor.redact("card 4111 1111 1111 1111 end")).isEqualTo("card [PAN] end");
    assertThat(Redactor.redact("5500-0000-0000-0004")).isEqualTo("[PAN]");
    assertThat(Redactor.redact("order 123456 at 1700000000")).isEqualTo("order 123456 at 1700000000");
    assertThat(Redactor.redact("short pan 411111111111.")).isEqualTo("short pan [PAN].");
    assertThat(Redactor.redact("glued 04111111111111111119876")).isEqualTo("glued [PAN]");
    assertThat(Redactor.redact("11 digits 12345678901")).isEqualTo("11 digits 12345678901");
  }
}
