package dev.riskstream.io.featurelog;

import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.FeatureLogEntry;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.avro.AvroWriterFactory;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * The feature log on files: Avro object container files of {@link FeatureLogEntry}, in directories
 * {@code date=YYYY-MM-DD/hour=HH} of the decisions' event time (UTC). {@link #sink} writes them with
 * Flink's {@link FileSink}, which makes a file visible only when the checkpoint that covers it
 * completes, so the log holds each decision exactly once; {@link #FORMAT} reads them back.
 *
 * <p>Each file names its vector's columns in the metadata {@value #FEATURES_METADATA}
 * ({@code name:version,...}), and the reader maps them onto the current {@link FeatureSpec}: a file
 * written under another specification is read correctly or refused, never misread.
 */
public final class FeatureLog {

  public static final String FEATURES_METADATA = "riskstream.features";
  /** Committed files end so; in-progress ones are hidden (leading dot) until their checkpoint completes. */
  public static final String FILE_SUFFIX = ".avro";

  private static final DateTimeFormatter BUCKET =
      DateTimeFormatter.ofPattern("'date='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

  /** Reads committed feature-log files, vectors in {@link FeatureSpec#CURRENT} order. */
  public static final StreamFormat<FeatureLogEntry> FORMAT = new Reading();

  private FeatureLog() {}

  /** A sink of the feature log under {@code basePath} (any file system Flink can write: a path, file:, s3:...). */
  public static FileSink<FeatureLogEntry> sink(String basePath) {
    return FileSink.forBulkFormat(new Path(basePath), writers())
        .withBucketAssigner(new EventHourBuckets())
        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("decisions").withPartSuffix(FILE_SUFFIX).build())
        .build();
  }

  /** {@code name:version} of every feature in specification order, as written to each file. */
  static String columns(FeatureSpec spec) {
    return spec.features().stream().map(f -> f.name() + ":" + f.version()).collect(Collectors.joining(","));
  }

  /**
   * For each feature of the current specification, its position in a file whose columns are
   * {@code written}.
   *
   * @throws IOException when a current feature is missing from the file or was computed by another
   *     version of its definition
   */
  static int[] positionsInFile(String written) throws IOException {
    List<String> columns = List.of(written.split(","));
    List<Feature> current = FeatureSpec.CURRENT.features();
    int[] positions = new int[current.size()];
    for (int i = 0; i < positions.length; i++) {
      Feature feature = current.get(i);
      positions[i] = columns.indexOf(feature.name() + ":" + feature.version());
      if (positions[i] < 0) {
        throw new IOException("the feature log file has no column " + feature.name() + " version "
            + feature.version() + " (its columns: " + written + "); it was written under another feature specification");
      }
    }
    return positions;
  }

  private static AvroWriterFactory<FeatureLogEntry> writers() {
    String columns = columns(FeatureSpec.CURRENT);
    return new AvroWriterFactory<>(out -> {
      DataFileWriter<FeatureLogEntry> writer = new DataFileWriter<>(new SpecificDatumWriter<>(FeatureLogEntry.class));
      writer.setCodec(CodecFactory.deflateCodec(1));
      writer.setMeta(FEATURES_METADATA, columns);
      return writer.create(FeatureLogEntry.getClassSchema(), out);
    });
  }

  /** By the decision's event time, not the time it is written, so a replay files decisions alike. */
  private static final class EventHourBuckets implements BucketAssigner<FeatureLogEntry, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(FeatureLogEntry entry, Context context) {
      return BUCKET.format(entry.getEventTime());
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
      return SimpleVersionedStringSerializer.INSTANCE;
    }
  }

  private static final class Reading extends SimpleStreamFormat<FeatureLogEntry> {

    private static final long serialVersionUID = 1L;

    @Override
    public Reader<FeatureLogEntry> createReader(Configuration config, FSDataInputStream stream) throws IOException {
      DataFileStream<FeatureLogEntry> file =
          new DataFileStream<>(stream, new SpecificDatumReader<>(FeatureLogEntry.class));
      String columns = file.getMetaString(FEATURES_METADATA);
      if (columns == null) {
        file.close();
        throw new IOException("not a feature log file: no " + FEATURES_METADATA + " metadata");
      }
      int[] positions = positionsInFile(columns);
      return new Reader<>() {
        @Override
        public FeatureLogEntry read() {
          if (!file.hasNext()) {
            return null;
          }
          FeatureLogEntry entry = file.next();
          List<Float> written = entry.getFeatures();
          List<Float> inSpecOrder = new ArrayList<>(positions.length);
          for (int position : positions) {
            inSpecOrder.add(written.get(position));
          }
          entry.setFeatures(inSpecOrder);
          return entry;
        }

        @Override
        public void close() throws IOException {
          file.close();
        }
      };
    }

    @Override
    public TypeInformation<FeatureLogEntry> getProducedType() {
      return new AvroTypeInfo<>(FeatureLogEntry.class);
    }
  }
}
