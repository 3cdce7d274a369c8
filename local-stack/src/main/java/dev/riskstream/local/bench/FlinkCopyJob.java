package dev.riskstream.local.bench;

import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling of a Flink job between Kafka topics: the job's source and sink with its delivery
 * guarantee and checkpointing, and nothing in between; record values are copied as bytes.
 */
final class FlinkCopyJob {

  private FlinkCopyJob() {}

  /** A class rather than a lambda: Flink cannot infer the type a lambda serializes. */
  private static final class Unchanged implements SerializationSchema<byte[]> {
    @Override
    public byte[] serialize(byte[] bytes) {
      return bytes;
    }
  }

  static void wire(StreamExecutionEnvironment env, JobConfig config, String from, String to) {
    KafkaSource<byte[]> source = KafkaSource.<byte[]>builder()
        .setProperties(config.kafkaProperties())
        .setTopics(from)
        .setGroupId(config.groupId())
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
        .build();
    var sink = KafkaSink.<byte[]>builder()
        .setKafkaProducerConfig(RiskstreamJob.sinkProducerProperties(config))
        .setDeliveryGuarantee(config.deliveryGuarantee())
        .setRecordSerializer(KafkaRecordSerializationSchema.<byte[]>builder()
            .setTopic(to)
            .setValueSerializationSchema(new Unchanged())
            .build());
    if (config.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      sink.setTransactionalIdPrefix(config.transactionalIdPrefix() + "-copy");
    }
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka: " + from).uid("copy-source")
        .sinkTo(sink.build()).uid("copy-sink").name("Kafka: " + to);
  }
}
