package dev.riskstream.io.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  /** Keeps every counter registered under it, by its scope below this group. */
  private static final class RecordingGroup extends UnregisteredMetricsGroup {
    private final String scope;
    private final Map<String, Counter> counters;

    RecordingGroup(String scope, Map<String, Counter> counters) {
      this.scope = scope;
      this.counters = counters;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new RecordingGroup(scope + key + "=" + value + ".", counters);
    }

    @Override
    public Counter counter(String name) {
      return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
      counters.put(scope + name, counter);
      return counter;
    }
  }

  private final Map<String, Counter> counters = new HashMap<>();
  private final DeadLetters deadLetters = new DeadLetters(new RecordingGroup("", counters));

  private DeadLetter letter(DeadLetterReason reason, String message) {
    return deadLetters.letter("transactions", 0, 1, reason, message, "", 0, 0);
  }

  @Test
  void countsInAllAndPerReason() {
    letter(DeadLetterReason.OVERSIZE, "big");
    letter(DeadLetterReason.OVERSIZE, "big");
    letter(DeadLetterReason.DUPLICATE, "again");

    assertThat(counters.get("deadLetters").getCount()).isEqualTo(3);
    assertThat(counters.get("reason=OVERSIZE.deadLettersByReason").getCount()).isEqualTo(2);
    assertThat(counters.get("reason=DUPLICATE.deadLettersByReason").getCount()).isEqualTo(1);
    assertThat(counters.get("reason=NOT_AVRO.deadLettersByReason").getCount()).isZero();
    assertThat(counters).hasSize(1 + DeadLetterReason.values().length);
  }

  @Test
  void longMessagesAreRedactedThenCutNeverMidSurrogatePair() {
    String pan = "4539578763621486";
    // cut first, the message would end in the PAN's first 10 digits; redacted first, in the mask
    String atTheCut = "x".repeat(DeadLetters.MAX_MESSAGE_CHARS - 10) + pan + "y".repeat(100);
    assertThat(letter(DeadLetterReason.INVALID_FIELD, atTheCut).getErrorMessage())
        .doesNotContain("4539").contains("[PAN]").hasSize(DeadLetters.MAX_MESSAGE_CHARS + 3);

    String emojiAtTheCut = "x".repeat(DeadLetters.MAX_MESSAGE_CHARS - 1) + "\uD83D\uDCB3 and more";
    String cut = letter(DeadLetterReason.INVALID_FIELD, emojiAtTheCut).getErrorMessage();
    assertThat(cut).isEqualTo("x".repeat(DeadLetters.MAX_MESSAGE_CHARS - 1) + "...");
  }
}
