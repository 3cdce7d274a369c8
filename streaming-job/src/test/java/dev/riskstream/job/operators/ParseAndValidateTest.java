package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.job.PipelineState;
import dev.riskstream.job.TestData;
import dev.riskstream.job.io.RawRecord;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParseAndValidateTest {

  private OneInputStreamOperatorTestHarness<RawRecord, Transaction> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forProcessFunction(new ParseAndValidate(TestData.TOKEN_KEY));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private List<DeadLetter> deadLetters() {
    return harness.getSideOutput(PipelineState.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void passesValidTransactionsWithThePanReplacedByItsToken() throws Exception {
    Transaction tx = TestData.transaction(1).build();
    harness.processElement(TestData.raw(7, tx), 0);

    List<Transaction> out = harness.extractOutputValues();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getCardNumber()).hasSize(64).doesNotContain(tx.getCardNumber());
    assertThat(out.get(0).getMerchantName()).isEqualTo(tx.getMerchantName());
    assertThat(harness.getSideOutput(PipelineState.DEAD_LETTERS)).isNull();
  }

  @Test
  void turnsEveryKindOfBadRecordIntoOneDeadLetterWithItsReasonAndCoordinates() throws Exception {
    byte[] valid = TestData.encode(TestData.transaction(2).build());
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 9);
    harness.processElement(TestData.raw(1, "not avro 4111111111111111".getBytes(StandardCharsets.UTF_8)), 0);
    harness.processElement(TestData.raw(2, truncated), 0);
    harness.processElement(TestData.raw(3, (byte[]) null), 0);
    harness.processElement(TestData.raw(4, TestData.transaction(3).setCurrency("ABC").build()), 0);
    harness.processElement(TestData.raw(5, TestData.transaction(4).setAmountMinor(-1).build()), 0);

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(deadLetters()).extracting(DeadLetter::getOffset).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(
        DeadLetterReason.NOT_AVRO, DeadLetterReason.CORRUPT_AVRO, DeadLetterReason.EMPTY_PAYLOAD,
        DeadLetterReason.UNKNOWN_CURRENCY, DeadLetterReason.INVALID_FIELD);
    assertThat(deadLetters()).allSatisfy(letter -> {
      assertThat(letter.getSourceTopic()).isEqualTo("transactions");
      assertThat(letter.getPayloadPreview()).doesNotContain("41111111111111");
      assertThat(letter.getErrorMessage()).isNotBlank().doesNotContain("41111111111111");
    });
    assertThat(deadLetters().get(0).getPayloadPreview()).isEqualTo("not avro [PAN]");
    assertThat(deadLetters().get(3).getPayloadSize()).isPositive();
  }

  @Test
  void previewsBinaryPayloadsAsEscapedText() {
    assertThat(ParseAndValidate.preview(new byte[] {(byte) 0xC3, 0x01, 'a', '\\'})).isEqualTo("\\xc3\\x01a\\x5c");
    assertThat(ParseAndValidate.preview(new byte[1000])).hasSize(4 * ParseAndValidate.PREVIEW_BYTES);
  }
}
