package dev.riskstream.job.operators;

import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;

/** Every case of {@link CardFeatureEnricherTest} on the heap, the job's default state backend. */
class CardFeatureEnricherOnHeapTest extends CardFeatureEnricherTest {

  @Override
  StateBackend stateBackend() {
    return new HashMapStateBackend();
  }
}
