package dev.riskstream.features.drift;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the training rows' features looked like together, for drift monitoring of the joint
 * distribution: their {@link PrincipalComponents} and, per segment, the mean reconstruction error of
 * its training rows and how much a window's mean varies around it.
 *
 * <p>The variation is the reference's own: the standard deviation of the segment's daily means over
 * the training days (UTC, as monitoring windows are aligned; days with fewer than half the median
 * day's rows, the partial first and last, left out), never less than the rows' own standard deviation
 * over the square root of a day's rows, which is what it would be if rows were independent; with
 * fewer than {@value #MIN_DAYS} days, that. A window drifts when its mean exceeds the segment's by
 * more than {@value #DEVIATIONS} times its variation: a day's, plus the chance a window with fewer rows
 * than a day adds ({@link Segment#threshold}).
 *
 * @param segments by segment key, those of the {@link ReferenceProfile}
 */
public record JointReference(PrincipalComponents components, Map<String, Segment> segments)
    implements Serializable {

  static final double DEVIATIONS = 3;
  static final int MIN_DAYS = 5;
  private static final long DAY_MILLIS = 86_400_000L;

  /**
   * @param rows training rows in the segment
   * @param rowsPerDay their mean number per training day
   * @param meanError their mean reconstruction error
   * @param rowStandardDeviation the standard deviation of their errors
   * @param dailyStandardDeviation the standard deviation of a day's mean error
   */
  public record Segment(long rows, double rowsPerDay, double meanError, double rowStandardDeviation,
      double dailyStandardDeviation) implements Serializable {

    /** The mean error above which a window of {@code windowRows} of the segment's transactions drifts. */
    public double threshold(long windowRows) {
      double rowVariance = rowStandardDeviation * rowStandardDeviation;
      double windowChance = rowVariance * Math.max(0, 1.0 / windowRows - 1.0 / rowsPerDay);
      return meanError + DEVIATIONS * Math.sqrt(dailyStandardDeviation * dailyStandardDeviation + windowChance);
    }
  }

  public JointReference {
    segments = Collections.unmodifiableMap(new LinkedHashMap<>(segments));
  }

  /**
   * The segment's reference from its rows' reconstruction errors and event times (epoch milliseconds),
   * in the same order.
   */
  static Segment segment(List<Double> errors, List<Long> eventTimes) {
    int n = errors.size();
    double mean = errors.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double rowVariance = errors.stream().mapToDouble(e -> (e - mean) * (e - mean)).sum() / Math.max(1, n - 1);
    Map<Long, double[]> sumAndCountByDay = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      double[] day = sumAndCountByDay.computeIfAbsent(Math.floorDiv(eventTimes.get(i), DAY_MILLIS), d -> new double[2]);
      day[0] += errors.get(i);
      day[1]++;
    }
    double medianRows = sumAndCountByDay.values().stream().mapToDouble(day -> day[1]).sorted()
        .skip(sumAndCountByDay.size() / 2).findFirst().orElseThrow();
    List<double[]> wholeDays = sumAndCountByDay.values().stream().filter(day -> day[1] >= medianRows / 2).toList();
    double rowsPerDay = wholeDays.stream().mapToDouble(day -> day[1]).average().orElseThrow();
    double independent = Math.sqrt(rowVariance / rowsPerDay);
    double daily = independent;
    if (wholeDays.size() >= MIN_DAYS) {
      double dayMean = wholeDays.stream().mapToDouble(day -> day[0] / day[1]).average().orElseThrow();
      double dayVariance = wholeDays.stream().mapToDouble(day -> day[0] / day[1] - dayMean)
          .map(deviation -> deviation * deviation).sum() / (wholeDays.size() - 1);
      daily = Math.max(independent, Math.sqrt(dayVariance));
    }
    return new Segment(n, rowsPerDay, mean, Math.sqrt(rowVariance), daily);
  }
}
