package dev.riskstream.features.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.spec.FeatureSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowCountsTest {

  private static final ReferenceProfile REFERENCE = SyntheticTraffic.reference(new SyntheticTraffic(1).rows(5_000));
  private static final ProfileBinning BINNING = REFERENCE.binning();

  @Test
  void mergingPartialCountsEqualsCountingEverythingInOnePlace() {
    List<ReferenceProfiler.Row> rows = new SyntheticTraffic(2).rows(3_000);
    WindowCounts a = SyntheticTraffic.count(BINNING, rows.subList(0, 1_000));
    WindowCounts b = SyntheticTraffic.count(BINNING, rows.subList(1_000, 1_700));
    WindowCounts c = SyntheticTraffic.count(BINNING, rows.subList(1_700, 3_000));
    WindowCounts all = SyntheticTraffic.count(BINNING, rows);

    WindowCounts leftFirst = a.copy().merge(b).merge(c);
    WindowCounts rightFirst = a.copy().merge(b.copy().merge(c));
    WindowCounts otherOrder = c.copy().merge(a).merge(b);

    assertThat(leftFirst).isEqualTo(all).isEqualTo(rightFirst).isEqualTo(otherOrder);
    assertThat(all.events()).isEqualTo(3_000);
    assertThat(BINNING.newCounts().merge(all)).as("empty counts are the identity").isEqualTo(all);
  }

  @Test
  void countsEveryFeatureTheScoreAndEveryAttributeOncePerTransaction() {
    WindowCounts counts = SyntheticTraffic.count(BINNING, new SyntheticTraffic(3).rows(200));
    int sections = REFERENCE.features().size() + 1 + REFERENCE.attributes().size();

    assertThat(java.util.Arrays.stream(counts.bins).sum()).isEqualTo(200L * sections);
  }

  @Test
  void aTransactionWithoutAModelScoreCountsInEverySectionButTheScores() {
    WindowCounts counts = BINNING.newCounts();
    BINNING.add(counts, FeatureSpec.CURRENT.defaults(), dev.riskstream.features.Transactions.valid().build(),
        Double.NaN, false);
    int sections = REFERENCE.features().size() + 1 + REFERENCE.attributes().size();

    assertThat(counts.events).isEqualTo(1);
    assertThat(java.util.Arrays.stream(counts.bins).sum()).isEqualTo(sections - 1);
    assertThat(java.util.Arrays.stream(counts.bins, BINNING.scoreOffset(), BINNING.scoreOffset()
        + REFERENCE.score().binCount()).sum()).isZero();
  }

  @Test
  void countsProfileFeaturesAsMissingWhenTheLookupFellBackAndOthersWhenAtTheirDefault() {
    float[] vector = FeatureSpec.CURRENT.defaults();
    vector[FeatureSpec.CURRENT.requireIndex(FeatureSpec.AMOUNT_BASE_LOG)] = 3f;
    WindowCounts counts = BINNING.newCounts();
    BINNING.add(counts, vector, dev.riskstream.features.Transactions.valid().build(), 0.1, true);
    BINNING.add(counts, vector, dev.riskstream.features.Transactions.valid().build(), 0.1, false);

    List<String> names = REFERENCE.features().stream().map(NumericBins::name).toList();
    assertThat(counts.missing[names.indexOf(FeatureSpec.MERCHANT_RISK_SCORE)]).isEqualTo(1);
    assertThat(counts.missing[names.indexOf(FeatureSpec.CARD_TX_COUNT_24H)]).isEqualTo(2);
    assertThat(counts.missing[names.indexOf(FeatureSpec.AMOUNT_BASE_LOG)]).isZero();
  }

  @Test
  void refusesToMergeCountsOfAnotherLayout() {
    WindowCounts other = new WindowCounts(3, 1);
    assertThatThrownBy(() -> BINNING.newCounts().merge(other)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void survivesJavaSerializationWithTheBinningThatCountsIt() throws Exception {
    WindowCounts counts = SyntheticTraffic.count(BINNING, new SyntheticTraffic(4).rows(100));
    ProfileBinning binning = roundTrip(BINNING);
    List<ReferenceProfiler.Row> more = new SyntheticTraffic(5).rows(10);

    WindowCounts restored = roundTrip(counts);
    more.forEach(row -> SyntheticTraffic.add(binning, restored, row));
    more.forEach(row -> SyntheticTraffic.add(BINNING, counts, row));
    assertThat(restored).isEqualTo(counts);
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
