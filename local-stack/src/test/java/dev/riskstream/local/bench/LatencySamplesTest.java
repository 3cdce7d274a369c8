package dev.riskstream.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySamplesTest {

  @Test
  void aTransactionCountsOnceWithItsFirstLatency() {
    LatencySamples samples = new LatencySamples(3);

    samples.record(2, 40);
    samples.record(0, 5);
    samples.record(2, 900); // its decision read again, a retried write's

    assertThat(samples.recorded()).isEqualTo(2);
    Percentiles p = samples.percentiles();
    assertThat(p.count()).isEqualTo(2);
    assertThat(p.max()).isEqualTo(40);
  }

  @Test
  void noLatencyIsASampleToo() {
    LatencySamples samples = new LatencySamples(2);

    samples.record(0, 0); // read within the millisecond it was sent
    samples.record(0, 3);

    assertThat(samples.recorded()).isEqualTo(1);
    assertThat(samples.percentiles().max()).isZero();
  }
}
