package dev.riskstream.local.simulator;

import java.util.Comparator;
import java.util.PriorityQueue;

/** Drafts waiting for their event time: a fraud episode is planned all at once but plays out over minutes. */
final class Schedule {

  private final PriorityQueue<Draft> drafts =
      new PriorityQueue<>(Comparator.comparingLong(Draft::timeMillis).thenComparingLong(Draft::order));
  private long added;

  void add(long timeMillis, Card card, Merchant merchant, long amountMinor, String deviceId, FraudPattern pattern) {
    drafts.add(new Draft(timeMillis, added++, card, merchant, amountMinor, deviceId, pattern));
  }

  /** Whether the earliest draft is due no later than {@code timeMillis}. */
  boolean hasDueBy(double timeMillis) {
    Draft earliest = drafts.peek();
    return earliest != null && earliest.timeMillis() <= timeMillis;
  }

  Draft takeEarliest() {
    return drafts.remove();
  }
}
