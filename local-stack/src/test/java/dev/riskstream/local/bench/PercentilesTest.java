package dev.riskstream.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOfAThousandSamplesInAnyOrder() {
    long[] samples = LongStream.rangeClosed(1, 1000).map(i -> 1001 - i).toArray();

    Percentiles p = Percentiles.of(samples);

    assertThat(p.count()).isEqualTo(1000);
    assertThat(p.p50()).isEqualTo(500);
    assertThat(p.p99()).isEqualTo(990);
    assertThat(p.p999()).isEqualTo(999);
    assertThat(p.max()).isEqualTo(1000);
  }

  @Test
  void everyPercentileIsAMeasuredSample() {
    Percentiles p = Percentiles.of(new long[] {7, 3, 120, 3, 45});

    assertThat(p.p50()).isEqualTo(7);
    assertThat(p.p99()).isEqualTo(120);
    assertThat(p.p999()).isEqualTo(120);
  }

  @Test
  void oneSampleIsEveryPercentile() {
    Percentiles p = Percentiles.of(new long[] {12});

    assertThat(p.p50()).isEqualTo(12);
    assertThat(p.p999()).isEqualTo(12);
  }

  @Test
  void latenciesOfMinutesAreExactToTheMillisecond() {
    Percentiles p = Percentiles.of(new long[] {262_143, 100_001, 1});

    assertThat(p.p50()).isEqualTo(100_001);
    assertThat(p.max()).isEqualTo(262_143);
  }

  @Test
  void aLatencyBelowZeroIsAnError() {
    assertThatThrownBy(() -> Percentiles.of(new long[] {5, -1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 ms");
  }

  @Test
  void noSamplesIsAnError() {
    assertThatThrownBy(() -> Percentiles.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
  }
}
