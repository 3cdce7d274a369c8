package dev.riskstream.training;

import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.schemas.FeatureLogEntry;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * The feature log over an event-time range joined with the labels known at a cutoff, written as CSV
 * or Parquet for a trainer outside riskstream: what serving scored, one column per feature by its {@link
 * FeatureSpec} name, beside the transaction's id, event time and segment attributes, the served model
 * version, score and outcome, and the label. A Flink batch job: the rows stream from the files to the
 * output, nothing is collected in the client.
 */
public final class FeatureExport {

  /** The columns before the features, in order. */
  public static final List<String> LEADING_COLUMNS = List.of("transaction_id", "event_time", "channel", "country",
      "currency", "merchant_category", "model_version", "score", "outcome", "lookup_status", "label");
  static final String TRAINING = "training";
  static final String VALIDATION = "validation";

  /**
   * @param from first event time exported
   * @param to event times before it are exported
   * @param labelsAsOf labels labelled after it are not joined: the rows as a trainer would have seen them then
   * @param validationFrom rows from this event time on go to {@code validation/}, earlier ones to
   *     {@code training/}; empty: all in the output directory
   * @param unlabelled whether rows without a label by the cutoff are exported (an empty label) or left out
   */
  public record Request(String featureLogPath, Instant from, Instant to, Instant labelsAsOf,
      Optional<Instant> validationFrom, boolean unlabelled, Format format, String out) {}

  /** The files' format: the same columns either way. */
  public enum Format {
    CSV(".csv"),
    /** Typed columns: the event time as timestamp-millis, the label a nullable int, features floats. */
    PARQUET(".parquet");

    private final String suffix;

    Format(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }
  }

  private FeatureExport() {}

  /** Runs the export on {@code env}; the files are complete when it returns. Returns how many rows it wrote. */
  public static long run(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> labels, Request request)
      throws Exception {
    DataStream<LabelledLogEntry> rows = LoggedFeatures.labelled(env, LoggedFeatures.files(request.featureLogPath()),
        labels, request.from(), request.to(), request.labelsAsOf());
    if (!request.unlabelled()) {
      rows = rows.filter(row -> row.fraud != null).name("Labelled only");
    }
    BulkWriter.Factory<LabelledLogEntry> writer = request.format() == Format.PARQUET ? new ParquetRows() : new CsvRows();
    rows.map(new CountedRows()).name("Count rows").sinkTo(FileSink.forBulkFormat(new Path(request.out()), writer)
            .withBucketAssigner(new Split(request.validationFrom().map(Instant::toEpochMilli).orElse(null)))
            .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part")
                .withPartSuffix(request.format().suffix()).build())
            .build())
        .name(request.format() + ": " + request.out());
    Long written = env.execute("riskstream feature export").getAccumulatorResult(CountedRows.ACCUMULATOR);
    return written == null ? 0 : written;
  }

  /** Counts the rows on their way to the files, in an accumulator the job's result carries. */
  private static final class CountedRows extends RichMapFunction<LabelledLogEntry, LabelledLogEntry> {

    static final String ACCUMULATOR = "exported-rows";
    private transient LongCounter rows;

    @Override
    public void open(OpenContext openContext) {
      rows = new LongCounter();
      getRuntimeContext().addAccumulator(ACCUMULATOR, rows);
    }

    @Override
    public LabelledLogEntry map(LabelledLogEntry row) {
      rows.add(1);
      return row;
    }
  }

  /** The header: the leading columns, then the features in the specification's order. */
  public static List<String> header() {
    List<String> header = new ArrayList<>(LEADING_COLUMNS);
    header.addAll(FeatureSpec.CURRENT.names());
    return header;
  }

  static List<Object> values(LabelledLogEntry row) {
    FeatureLogEntry entry = row.entry;
    List<Object> values = new ArrayList<>(LEADING_COLUMNS.size() + entry.getFeatures().size());
    values.add(entry.getTransactionId());
    values.add(entry.getEventTime());
    values.add(entry.getTransaction().getChannel());
    values.add(entry.getTransaction().getCountry());
    values.add(entry.getTransaction().getCurrency());
    values.add(entry.getTransaction().getMerchantCategory());
    values.add(entry.getModelVersion());
    values.add(entry.getScore());
    values.add(entry.getOutcome());
    values.add(entry.getLookupStatus());
    values.add(row.fraud == null ? "" : row.fraud ? "1" : "0");
    values.addAll(entry.getFeatures());
    return values;
  }

  /** Each part file a CSV file of its own, with the header first. */
  private static final class CsvRows implements BulkWriter.Factory<LabelledLogEntry> {

    @Override
    public BulkWriter<LabelledLogEntry> create(FSDataOutputStream out) throws IOException {
      Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
      printer.printRecord(header());
      return new BulkWriter<>() {
        @Override
        public void addElement(LabelledLogEntry row) throws IOException {
          printer.printRecord(values(row));
        }

        @Override
        public void flush() throws IOException {
          printer.flush();
        }

        @Override
        public void finish() throws IOException {
          // the sink closes the stream
          printer.flush();
        }
      };
    }
  }

  /** {@code training/} and {@code validation/} by event time, or one directory without a split. */
  private static final class Split implements BucketAssigner<LabelledLogEntry, String> {

    private final Long validationFromMillis;

    Split(Long validationFromMillis) {
      this.validationFromMillis = validationFromMillis;
    }

    @Override
    public String getBucketId(LabelledLogEntry row, Context context) {
      if (validationFromMillis == null) {
        return "";
      }
      return row.entry.getEventTime().toEpochMilli() < validationFromMillis ? TRAINING : VALIDATION;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
      return SimpleVersionedStringSerializer.INSTANCE;
    }
  }
}
