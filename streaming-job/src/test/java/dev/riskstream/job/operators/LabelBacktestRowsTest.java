package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.batch.BacktestRow;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.Outcome;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabelBacktestRowsTest {

  private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");

  private KeyedTwoInputStreamOperatorTestHarness<String, BacktestRow, FraudLabel, BacktestRow> harness;

  @BeforeEach
  void open() throws Exception {
    harness = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new LabelBacktestRows()),
        (BacktestRow row) -> row.transactionId, FraudLabel::getTransactionId, Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static BacktestRow row(String transactionId) {
    return new BacktestRow(transactionId, 10.0, Outcome.APPROVE, Outcome.APPROVE, Outcome.DECLINE, List.of("r1"));
  }

  private static FraudLabel label(String transactionId, boolean fraud, Instant labelledAt) {
    return new FraudLabel(transactionId, fraud, labelledAt, "chargeback");
  }

  /** Batch execution ends each key with the watermark at its end; the harness ends them all at once. */
  private List<BacktestRow> endOfInput() throws Exception {
    harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));
    return harness.extractOutputValues();
  }

  @Test
  void aRowTakesItsLatestLabelWhicheverInputCameFirst() throws Exception {
    harness.processElement2(label("t1", false, T0.plusSeconds(60)), 0);
    harness.processElement1(row("t1"), 0);
    harness.processElement2(label("t1", true, T0.plusSeconds(120)), 0);
    harness.processElement2(label("t1", false, T0), 0);

    List<BacktestRow> joined = endOfInput();

    assertThat(joined).singleElement().satisfies(row -> {
      assertThat(row.transactionId).isEqualTo("t1");
      assertThat(row.fraud).isTrue();
    });
  }

  @Test
  void aRowWithoutALabelIsUnlabelledAndALabelWithoutARowIsDropped() throws Exception {
    harness.processElement1(row("t1"), 0);
    harness.processElement2(label("t2", true, T0), 0);

    List<BacktestRow> joined = endOfInput();

    assertThat(joined).singleElement().satisfies(row -> {
      assertThat(row.transactionId).isEqualTo("t1");
      assertThat(row.fraud).isNull();
    });
  }
}
