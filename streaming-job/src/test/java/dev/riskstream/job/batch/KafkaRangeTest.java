package dev.riskstream.job.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaRangeTest {

  @Test
  void acceptsEarliestLatestInstantsAndPartitionOffsets() {
    assertThat(KafkaRange.starting("earliest", "t")).isNotNull();
    assertThat(KafkaRange.starting("2026-03-02T12:00:00Z", "t")).isNotNull();
    assertThat(KafkaRange.stopping("latest", "t")).isNotNull();
    assertThat(KafkaRange.stopping("0:1200, 3:900", "t")).isNotNull();
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThatThrownBy(() -> KafkaRange.stopping("earliest", "t")).hasMessageContaining("nothing would be read");
    assertThatThrownBy(() -> KafkaRange.starting("yesterday", "t")).hasMessageContaining("is not partition:offset");
    assertThatThrownBy(() -> KafkaRange.starting("2026-13-02T12:00:00Z", "t")).hasMessageContaining("ISO-8601");
    assertThatThrownBy(() -> KafkaRange.starting("0:-5", "t")).hasMessageContaining("'0:-5'");
    assertThatThrownBy(() -> KafkaRange.starting("0:5,0:7", "t")).hasMessageContaining("listed twice");
  }
}
