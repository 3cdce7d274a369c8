package dev.riskstream.training;

import dev.riskstream.features.bundle.ModelManifest.Thresholds;

/**
 * Chooses the review and decline thresholds on held-out scores.
 *
 * <ul>
 *   <li>Decline: the lowest threshold at which at least {@value #MIN_DECLINE_PRECISION} of declined
 *       transactions are fraud, and at least {@value #MIN_DECLINED_FRAUD} frauds are declined (so
 *       that a single lucky top score cannot set it). Declining a customer's legitimate payment is
 *       the costliest mistake, so this is where precision matters most. If no threshold qualifies,
 *       decline is 1: the model alone declines nothing short of a saturated score.
 *   <li>Review: the lowest threshold that sends at most {@value #MAX_REVIEW_RATE} of traffic to
 *       review (the analysts' capacity) while at least {@value #MIN_REVIEW_PRECISION} of reviewed
 *       transactions are fraud (so their time is not mostly wasted). If none qualifies, review equals
 *       decline: no review band.
 * </ul>
 *
 * "Lowest" because among thresholds that meet the constraints the lowest catches the most fraud.
 */
public final class ThresholdRule {

  public static final double MIN_DECLINE_PRECISION = 0.8;
  public static final int MIN_DECLINED_FRAUD = 5;
  public static final double MAX_REVIEW_RATE = 0.03;
  public static final double MIN_REVIEW_PRECISION = 0.3;

  private ThresholdRule() {}

  public static Thresholds choose(HeldOutScores heldOut) {
    double decline = 1;
    double review = Double.NaN;
    for (HeldOutScores.AtThreshold point : heldOut.sweep()) {
      if (point.precision() >= MIN_DECLINE_PRECISION && point.caughtFraud() >= MIN_DECLINED_FRAUD) {
        decline = point.threshold();
      }
      if (point.flaggedRate() <= MAX_REVIEW_RATE && point.precision() >= MIN_REVIEW_PRECISION) {
        review = point.threshold();
      }
    }
    return new Thresholds(Double.isNaN(review) ? decline : Math.min(review, decline), decline);
  }
}
