package dev.riskstream.local.simulator;

import java.util.List;
import java.util.SplittableRandom;

/** The single source of randomness of a simulation, so that one seed reproduces everything. */
final class Dice {

  private final SplittableRandom random;

  Dice(long seed) {
    this.random = new SplittableRandom(seed);
  }

  private Dice(SplittableRandom random) {
    this.random = random;
  }

  /** An independent stream, so that consumers of one do not shift the draws of the other. */
  Dice split() {
    return new Dice(random.split());
  }

  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  double uniform() {
    return random.nextDouble();
  }

  double uniform(double from, double to) {
    return from + (to - from) * random.nextDouble();
  }

  /** Inclusive on both ends. */
  int between(int from, int to) {
    return from + random.nextInt(to - from + 1);
  }

  long below(long bound) {
    return random.nextLong(bound);
  }

  int below(int bound) {
    return random.nextInt(bound);
  }

  double gaussian() {
    return random.nextGaussian();
  }

  double exponential() {
    return random.nextExponential();
  }

  <T> T any(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** Same format for the holders' devices and the fraudsters', so that the format gives nothing away. */
  String deviceId() {
    // the top bit set keeps every id at 16 hex digits
    return "dev-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
