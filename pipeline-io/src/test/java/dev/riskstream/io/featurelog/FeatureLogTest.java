package dev.riskstream.io.featurelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureLogTest {

  private static final List<String> CURRENT_COLUMNS =
      List.of(FeatureLog.columns(FeatureSpec.CURRENT).split(","));

  @Test
  void aFileInSpecificationOrderMapsOntoItself() throws IOException {
    int[] positions = FeatureLog.positionsInFile(String.join(",", CURRENT_COLUMNS));

    for (int i = 0; i < positions.length; i++) {
      assertThat(positions[i]).isEqualTo(i);
    }
  }

  @Test
  void columnsInAnotherOrderAreFoundByName() throws IOException {
    List<String> reversed = new ArrayList<>(CURRENT_COLUMNS);
    Collections.reverse(reversed);
    reversed.add(0, "retired_feature:3");

    int[] positions = FeatureLog.positionsInFile(String.join(",", reversed));

    for (int i = 0; i < positions.length; i++) {
      assertThat(reversed.get(positions[i])).isEqualTo(CURRENT_COLUMNS.get(i));
    }
  }

  @Test
  void aFeatureComputedByAnotherVersionIsRefused() {
    Feature first = FeatureSpec.CURRENT.features().get(0);
    List<String> older = new ArrayList<>(CURRENT_COLUMNS);
    older.set(0, first.name() + ":" + (first.version() + 1));

    assertThatThrownBy(() -> FeatureLog.positionsInFile(String.join(",", older)))
        .isInstanceOf(IOException.class).hasMessageContaining(first.name() + " version " + first.version());
  }
}
