package dev.riskstream.features.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.TransactionFeatures;
import dev.riskstream.features.Transactions;
import dev.riskstream.schemas.Channel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmenterTest {

  @Test
  void segmentsByTheConfiguredDimensions() {
    Segmenter segmenter = new Segmenter(Segmenter.DEFAULT_DIMENSIONS);

    assertThat(segmenter.keysOf(Transactions.valid().setChannel(Channel.ECOM).setCountry("FR")
        .setMerchantCategory("4511").build()))
        .containsExactly("all", "channel=ECOM", "country=FR", "mccGroup=travel");
    assertThat(new Segmenter(List.of("currency")).keysOf(Transactions.valid().build()))
        .containsExactly("all", "currency=EUR");
    assertThatThrownBy(() -> new Segmenter(List.of("shoeSize"))).hasMessageContaining("shoeSize");
  }

  @Test
  void groupsMerchantCategories() {
    assertThat(MccGroups.groupOf("3021")).as("a branded airline").isEqualTo("travel");
    assertThat(MccGroups.groupOf("7011")).isEqualTo("travel");
    assertThat(MccGroups.groupOf("6011")).isEqualTo("cash");
    assertThat(MccGroups.groupOf("5815")).isEqualTo("digital");
    assertThat(MccGroups.groupOf("5411")).isEqualTo("retail");
    assertThat(MccGroups.groupOf("8398")).isEqualTo("other");
    assertThat(MccGroups.groupOf(null)).isEqualTo("other");
    assertThat(MccGroups.groupOf("30x1")).isEqualTo("other");
  }

  @Test
  void theHighRiskGroupIsExactlyTheHighRiskFeature() {
    for (int code = 0; code < 10_000; code++) {
      String mcc = String.format("%04d", code);
      assertThat(MccGroups.groupOf(mcc).equals("high_risk"))
          .as(mcc).isEqualTo(TransactionFeatures.mccHighRisk(mcc) == 1f);
    }
  }
}
