package dev.riskstream.job.scoring;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The cards a candidate decides under a canary rollout: those whose hash of the candidate's version
 * and the card token falls in the lowest {@code share} of the hash's range. A function of the two
 * alone, so a card stays with one model for the whole rollout, whichever subtask scores it, across
 * restarts and rescaling; the version in the hash draws other cards for the next rollout, so that the
 * same customers do not try every new model.
 *
 * @param share of cards, strictly between 0 and 1
 */
public record CanaryShare(double share) implements Serializable {

  public CanaryShare {
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("a canary share lies strictly between 0 and 1, not " + share);
    }
  }

  /** Whether {@code candidateVersion} decides the transactions of the card with this token. */
  public boolean decides(String candidateVersion, String cardToken) {
    // a name-based UUID is an MD5 of the bytes: fixed by its specification, so the same on every JVM
    UUID hash = UUID.nameUUIDFromBytes((candidateVersion + '\n' + cardToken).getBytes(StandardCharsets.UTF_8));
    double position = (hash.getMostSignificantBits() >>> 11) * 0x1.0p-53;
    return position < share;
  }
}
