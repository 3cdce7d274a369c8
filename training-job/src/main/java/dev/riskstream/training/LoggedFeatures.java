package dev.riskstream.training;

import dev.riskstream.io.featurelog.FeatureLog;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.io.kafka.RawRecordDeserializer;
import dev.riskstream.io.labels.ParseLabels;
import dev.riskstream.schemas.FeatureLogEntry;
import dev.riskstream.schemas.FraudLabel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;
import org.apache.flink.util.CloseableIterator;

/**
 * Retraining data: the decisions the streaming job logged in an event-time range, with the labels
 * that have come for them, joined by transactionId in a Flink batch job. The features are the ones
 * serving scored, so training sees exactly what the model will see; which labels count is decided by
 * the labels topic at the time the job runs, so a retraining learns only what was known then.
 */
public final class LoggedFeatures {

  /**
   * @param rows labelled decisions, as training rows, in event-time order (ties by transactionId)
   * @param logged decisions in the range, labelled or not
   */
  public record Joined(List<FeatureRow> rows, long logged) {

    public Joined {
      rows = List.copyOf(rows);
    }

    public long fraud() {
      return rows.stream().filter(FeatureRow::fraud).count();
    }
  }

  /**
   * A file source reader's split fetcher at times sits out the whole close timeout (30 s by default)
   * once its input is done (FLINK-40660: SplitFetcher drops its shutdown batch when the element queue
   * is full), which made a retraining 30 s slower. Every record has been handed over by then, so
   * closing sooner loses nothing. Readers take it from the TaskManagers' configuration: a cluster
   * that runs retraining joins should have it; a local environment gets it from {@link #join}.
   */
  public static final Configuration READER_SETTINGS =
      new Configuration().set(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT, 1_000L);

  private LoggedFeatures() {}

  /** The committed files under {@code featureLogPath} (a path or any URI Flink reads). */
  public static Source<FeatureLogEntry, ?, ?> files(String featureLogPath) {
    return FileSource.forRecordStreamFormat(FeatureLog.FORMAT, new Path(featureLogPath)).build();
  }

  /**
   * Runs the join on {@code env}, switched to batch execution, over bounded {@code log} and {@code
   * labels} sources, keeping decisions with {@code from <= eventTime < to} and every label read.
   */
  public static Joined join(StreamExecutionEnvironment env, Source<FeatureLogEntry, ?, ?> log,
      Source<RawRecord, ?, ?> labels, Instant from, Instant to) throws Exception {
    DataStream<LabelledLogEntry> joined = labelled(env, log, labels, from, to, Instant.MAX);
    List<FeatureRow> rows = new ArrayList<>();
    long logged = 0;
    try (CloseableIterator<LabelledLogEntry> results = joined.executeAndCollect("riskstream retraining join")) {
      while (results.hasNext()) {
        LabelledLogEntry result = results.next();
        logged++;
        if (result.fraud != null) {
          rows.add(row(result.entry, result.fraud));
        }
      }
    }
    rows.sort(Comparator.comparingLong(FeatureRow::eventTimeMillis)
        .thenComparing(row -> row.source().transaction().getTransactionId()));
    return new Joined(rows, logged);
  }

  /**
   * The logged decisions with {@code from <= eventTime < to}, each with its label as it stood at
   * {@code labelsAsOf}: of the labels labelled by then the latest, none when none was (a label after
   * the cutoff is not known at it). Runs on {@code env} switched to batch execution, over bounded
   * {@code log} and {@code labels} sources. A label record that cannot be read is left out (the
   * streaming job dead-letters it).
   */
  public static DataStream<LabelledLogEntry> labelled(StreamExecutionEnvironment env,
      Source<FeatureLogEntry, ?, ?> log, Source<RawRecord, ?, ?> labels, Instant from, Instant to, Instant labelsAsOf) {
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.configure(READER_SETTINGS);
    long fromMillis = from.toEpochMilli();
    long toMillis = to.toEpochMilli();
    DataStream<FeatureLogEntry> entries = env
        .fromSource(log, WatermarkStrategy.noWatermarks(), "Feature log")
        .filter(entry -> entry.getEventTime().toEpochMilli() >= fromMillis && entry.getEventTime().toEpochMilli() < toMillis)
        .name("Event-time range");
    DataStream<FraudLabel> parsedLabels = env
        .fromSource(labels, WatermarkStrategy.noWatermarks(), "Labels")
        .process(new ParseLabels(), new AvroTypeInfo<>(FraudLabel.class)).name("Parse labels")
        .filter(label -> !label.getLabelledAt().isAfter(labelsAsOf)).name("Labels known at the cutoff");
    return entries.coGroup(parsedLabels)
        .where(FeatureLogEntry::getTransactionId).equalTo(FraudLabel::getTransactionId)
        .window(GlobalWindows.createWithEndOfStreamTrigger())
        .apply((logged, labelsOfTransaction, out) -> {
          FraudLabel latest = null;
          for (FraudLabel label : labelsOfTransaction) {
            latest = latest == null || label.getLabelledAt().isAfter(latest.getLabelledAt()) ? label : latest;
          }
          for (FeatureLogEntry entry : logged) {
            out.collect(new LabelledLogEntry(entry, latest == null ? null : latest.getIsFraud()));
          }
        }, TypeInformation.of(LabelledLogEntry.class));
  }

  /** Every label on {@code topic} now, read from its start: what is known when the join runs. */
  public static Source<RawRecord, ?, ?> labelsOnTopic(Properties kafka, String topic, String groupId) {
    return KafkaSource.<RawRecord>builder()
        .setProperties(kafka)
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setBounded(OffsetsInitializer.latest())
        .setDeserializer(new RawRecordDeserializer())
        .build();
  }

  private static FeatureRow row(FeatureLogEntry entry, boolean fraud) {
    float[] features = new float[entry.getFeatures().size()];
    for (int i = 0; i < features.length; i++) {
      features[i] = entry.getFeatures().get(i);
    }
    return new FeatureRow(new LabeledTransaction(entry.getTransaction(), fraud), features);
  }
}
