package dev.riskstream.io.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.riskstream.io.deadletters.DeadLetters;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ParseLabelsTest {

  private static final Instant LABELLED_AT = Instant.parse("2026-11-02T10:00:00Z");

  @Test
  void decodesLabelsAndTurnsWhatCannotBeReadIntoDeadLettersWithTheirCoordinates() throws Exception {
    FraudLabel label = FraudLabel.newBuilder().setTransactionId("tx-1").setIsFraud(true)
        .setLabelledAt(LABELLED_AT).setSource("chargeback").build();
    byte[] encoded = AvroCodec.of(FraudLabel.class).encode(label);

    try (var harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParseLabels()))) {
      harness.open();
      harness.setProcessingTime(LABELLED_AT.toEpochMilli());
      harness.processElement(new RawRecord("labels", 0, 7, 0, encoded), 0);
      harness.processElement(new RawRecord("labels", 1, 8, 0, "not avro".getBytes(StandardCharsets.US_ASCII)), 0);
      harness.processElement(new RawRecord("labels", 1, 9, 0, null), 0);

      assertThat(harness.extractOutputValues()).containsExactly(label);
      List<DeadLetter> letters = harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
      assertThat(letters).extracting(DeadLetter::getSourceTopic, DeadLetter::getPartition, DeadLetter::getOffset)
          .containsExactly(tuple("labels", 1, 8L),
              tuple("labels", 1, 9L));
      assertThat(letters).extracting(DeadLetter::getReason)
          .containsExactly(DeadLetterReason.NOT_AVRO, DeadLetterReason.EMPTY_PAYLOAD);
      assertThat(letters.get(0).getPayloadPreview()).isEqualTo("not avro");
      assertThat(letters.get(0).getReceivedAt()).isEqualTo(LABELLED_AT);
    }
  }
}
