package dev.riskstream.job.io;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ParseResult;
import dev.riskstream.job.operators.ParseAndValidate;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses each transactions record as the source reads it ({@link ParseAndValidate}), so that the
 * source takes event time per Kafka partition from valid transactions only: a partition that runs
 * ahead of the others while the job catches up holds the watermark back instead of making the
 * others' transactions late, and a record with an absurd event time becomes a dead letter before it
 * can move the watermark. A record that cannot be parsed is emitted too, as its dead letter.
 */
public final class TransactionDeserializer implements KafkaRecordDeserializationSchema<ParseResult> {

  private final ParseAndValidate parser;

  public TransactionDeserializer(ParseAndValidate parser) {
    this.parser = parser;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    parser.open();
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParseResult> out) {
    out.collect(parser.parse(
        new RawRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.value()),
        System.currentTimeMillis()));
  }

  @Override
  public TypeInformation<ParseResult> getProducedType() {
    return TypeInformation.of(ParseResult.class);
  }
}
