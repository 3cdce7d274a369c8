package dev.riskstream.job.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

  @Test
  void letsTheFirstLineThroughAndThenNoneUntilTheIntervalHasPassed() {
    LogThrottle hourly = new LogThrottle(Duration.ofHours(1));
    assertThat(hourly.due()).isTrue();
    assertThat(hourly.due()).isFalse();
    assertThat(hourly.due()).isFalse();
  }

  @Test
  void withoutAnIntervalEveryLineIsDue() {
    LogThrottle always = new LogThrottle(Duration.ZERO);
    assertThat(always.due()).isTrue();
    assertThat(always.due()).isTrue();
  }
}
