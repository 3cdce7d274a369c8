package dev.riskstream.job;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A card's most recent transactionIds, each with the event time it was first seen at, oldest first:
 * one small value read with the card, so that de-duplicating a transaction costs one read and one
 * write rather than a lookup, a write and a timer of its own. A Flink POJO; a new value each change.
 */
public class RecentTransactionIds {

  public String[] ids;
  public long[] firstSeen;

  public RecentTransactionIds() {}

  private RecentTransactionIds(String[] ids, long[] firstSeen) {
    this.ids = ids;
    this.firstSeen = firstSeen;
  }

  public static RecentTransactionIds none() {
    return new RecentTransactionIds(new String[0], new long[0]);
  }

  public int size() {
    return ids.length;
  }

  /** When the card was first seen with {@code id}; null if it was not. */
  public Long firstSeenOf(String id) {
    int at = indexOf(id);
    return at < 0 ? null : firstSeen[at];
  }

  private int indexOf(String id) {
    for (int i = ids.length - 1; i >= 0; i--) {
      if (ids[i].equals(id)) {
        return i;
      }
    }
    return -1;
  }

  /** These without the ids whose first-seen time is {@code forgotten}; these if none is. */
  public RecentTransactionIds without(LongPredicate forgotten) {
    int kept = 0;
    for (long seen : firstSeen) {
      if (!forgotten.test(seen)) {
        kept++;
      }
    }
    if (kept == ids.length) {
      return this;
    }
    String[] keptIds = new String[kept];
    long[] keptSeen = new long[kept];
    int at = 0;
    for (int i = 0; i < ids.length; i++) {
      if (!forgotten.test(firstSeen[i])) {
        keptIds[at] = ids[i];
        keptSeen[at++] = firstSeen[i];
      }
    }
    return new RecentTransactionIds(keptIds, keptSeen);
  }

  /** These without the oldest id. */
  public RecentTransactionIds withoutOldest() {
    return new RecentTransactionIds(Arrays.copyOfRange(ids, 1, ids.length),
        Arrays.copyOfRange(firstSeen, 1, firstSeen.length));
  }

  /** These and {@code id}, the newest. */
  public RecentTransactionIds with(String id, long seenAt) {
    String[] moreIds = Arrays.copyOf(ids, ids.length + 1);
    long[] moreSeen = Arrays.copyOf(firstSeen, firstSeen.length + 1);
    moreIds[ids.length] = id;
    moreSeen[ids.length] = seenAt;
    return new RecentTransactionIds(moreIds, moreSeen);
  }

  /** The earliest first-seen time; there is at least one id. */
  public long earliest() {
    return Arrays.stream(firstSeen).min().orElseThrow();
  }
}
