package dev.riskstream.job.operators;

import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;

/** Every case of {@link CardFeatureEnricherDeduplicationTest} on the heap, the job's default state backend. */
class CardFeatureEnricherDeduplicationOnHeapTest extends CardFeatureEnricherDeduplicationTest {

  @Override
  StateBackend stateBackend() {
    return new HashMapStateBackend();
  }
}
