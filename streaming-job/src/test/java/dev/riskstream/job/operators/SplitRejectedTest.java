package dev.riskstream.job.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.job.InputSettings;
import dev.riskstream.job.ParseResult;
import dev.riskstream.job.TestData;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SplitRejectedTest {

  private final RecordedMetrics metrics = new RecordedMetrics();

  @Test
  void validTransactionsGoOnAndRejectedRecordsBecomeCountedDeadLettersInOrder() throws Exception {
    ParseAndValidate parser = new ParseAndValidate(TestData.PII,
        new InputSettings(2_048, Duration.ofDays(1), Duration.ofDays(30), Duration.ofHours(1)));
    parser.open();
    long now = TestData.START.toEpochMilli();
    List<ParseResult> parsed = List.of(
        parser.parse(TestData.raw(0, TestData.transaction(0).build()), now),
        parser.parse(TestData.raw(1, "not avro".getBytes(StandardCharsets.US_ASCII)), now),
        parser.parse(TestData.raw(2, TestData.transaction(2).build()), now),
        parser.parse(TestData.raw(3, new byte[0]), now));

    try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new SplitRejected()),
        metrics.environment())) {
      harness.open();
      for (ParseResult result : parsed) {
        harness.processElement(result, now);
      }

      assertThat(harness.extractOutputValues()).extracting(valid -> valid.offset).containsExactly(0L, 2L);
      List<DeadLetter> letters = harness.getSideOutput(DeadLetters.TAG).stream()
          .map(StreamRecord::getValue).toList();
      assertThat(letters).extracting(DeadLetter::getOffset).containsExactly(1L, 3L);
      assertThat(letters).extracting(DeadLetter::getReason)
          .containsExactly(DeadLetterReason.NOT_AVRO, DeadLetterReason.EMPTY_PAYLOAD);
      assertThat(metrics.counter("flink_taskmanager_job_task_operator_deadLetters", Map.of()).getCount()).isEqualTo(2);
      assertThat(metrics.counter("flink_taskmanager_job_task_operator_reason_deadLettersByReason",
          Map.of("reason", "NOT_AVRO")).getCount()).isEqualTo(1);
    }
  }
}
