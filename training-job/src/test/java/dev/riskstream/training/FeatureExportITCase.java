package dev.riskstream.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.Transactions;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.io.featurelog.FeatureLog;
import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.schemas.FeatureLogEntry;
import dev.riskstream.schemas.FraudLabel;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.codec.AvroCodec;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export over a feature log the job's own sink wrote and labels as the topic holds them: the range,
 * the point-in-time cutoff of labels, the split by event time, and every value as it was logged.
 */
class FeatureExportITCase {

  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  private static final int LOGGED = 40;
  private static final Instant CUTOFF = START.plus(Duration.ofDays(10));
  private static final int LABEL = FeatureExport.header().indexOf("label");

  @TempDir static Path work;
  private static Map<String, FeatureLogEntry> logged;

  /** tx-0 .. tx-39, an hour apart, each with features i + k/100. */
  @BeforeAll
  static void writeTheFeatureLog() throws Exception {
    logged = new HashMap<>();
    List<FeatureLogEntry> entries = new ArrayList<>();
    for (int i = 0; i < LOGGED; i++) {
      List<Float> features = new ArrayList<>();
      for (int k = 0; k < FeatureSpec.CURRENT.size(); k++) {
        features.add(i + k / 100f);
      }
      Instant at = START.plus(Duration.ofHours(i));
      FeatureLogEntry entry = FeatureLogEntry.newBuilder().setTransactionId("tx-" + i).setCardToken("card-" + i % 3)
          .setEventTime(at).setFeatures(features).setModelVersion("baseline-1").setScore(i / 100.0)
          .setOutcome(i % 5 == 0 ? Outcome.REVIEW : Outcome.APPROVE).setLookupStatus(LookupStatus.HIT)
          .setTransaction(Transactions.valid().setTransactionId("tx-" + i).setCardNumber("card-" + i % 3)
              .setEventTime(at).setCountry(i % 2 == 0 ? "DE" : "FR").build())
          .build();
      entries.add(entry);
      logged.put("tx-" + i, entry);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.fromData(entries, new AvroTypeInfo<>(FeatureLogEntry.class))
        .sinkTo(FeatureLog.sink(work.resolve("feature-log").toUri().toString()));
    env.execute("write a feature log");
  }

  /**
   * Labels: every even transaction fraud if a multiple of four; tx-1 is labelled after the cutoff;
   * tx-2 is relabelled legitimate before it; odd ones other than tx-1 have none.
   */
  private static DataGeneratorSource<RawRecord> labels() {
    AvroCodec<FraudLabel> codec = AvroCodec.of(FraudLabel.class);
    ArrayList<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < LOGGED; i += 2) {
      payloads.add(codec.encode(new FraudLabel("tx-" + i, i % 4 == 0, START.plus(Duration.ofDays(2)), "chargeback")));
    }
    payloads.add(codec.encode(new FraudLabel("tx-1", true, CUTOFF.plusSeconds(1), "chargeback")));
    payloads.add(codec.encode(new FraudLabel("tx-2", false, START.plus(Duration.ofDays(3)), "review")));
    GeneratorFunction<Long, RawRecord> label = index ->
        new RawRecord("labels", 0, index, 0, payloads.get(index.intValue()));
    return new DataGeneratorSource<>(label, payloads.size(), TypeInformation.of(RawRecord.class));
  }

  private static Path export(String name, Optional<Instant> validationFrom, boolean unlabelled) throws Exception {
    return export(name, validationFrom, unlabelled, FeatureExport.Format.CSV);
  }

  private static Path export(String name, Optional<Instant> validationFrom, boolean unlabelled,
      FeatureExport.Format format) throws Exception {
    Path out = work.resolve(name);
    // tx-30 .. tx-39 are outside the range
    long written = FeatureExport.run(StreamExecutionEnvironment.getExecutionEnvironment(), labels(),
        new FeatureExport.Request(work.resolve("feature-log").toUri().toString(), START,
            START.plus(Duration.ofHours(30)), CUTOFF, validationFrom, unlabelled, format, out.toUri().toString()));
    assertThat(written).as("rows written").isEqualTo(unlabelled ? 30 : 15);
    return out;
  }

  /** Rows by transaction id, from every CSV file under {@code directory}; each file's header checked. */
  private static Map<String, CSVRecord> rows(Path directory) throws Exception {
    Map<String, CSVRecord> rows = new HashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(directory)) {
      files = walk.filter(file -> file.getFileName().toString().endsWith(".csv")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      try (Reader reader = Files.newBufferedReader(file)) {
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(reader).getRecords();
        assertThat(records.get(0).toList()).as(file.toString()).isEqualTo(FeatureExport.header());
        records.subList(1, records.size()).forEach(record -> rows.put(record.get(0), record));
      }
    }
    return rows;
  }

  @Test
  void labelledRowsOfTheRangeWithTheLabelsKnownAtTheCutoffAndEveryValueAsLogged() throws Exception {
    Map<String, CSVRecord> rows = rows(export("labelled", Optional.empty(), false));

    // the even ones: labelled by the cutoff; tx-1's label came after it
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
        Stream.iterate(0, i -> i < 30, i -> i + 2).map(i -> "tx-" + i).toList());
    assertThat(rows.get("tx-4").get(LABEL)).isEqualTo("1");
    assertThat(rows.get("tx-6").get(LABEL)).isEqualTo("0");
    assertThat(rows.get("tx-2").get(LABEL)).as("the latest label by the cutoff").isEqualTo("0");
    CSVRecord row = rows.get("tx-8");
    FeatureLogEntry entry = logged.get("tx-8");
    assertThat(row.toList().subList(0, LABEL)).containsExactly("tx-8", entry.getEventTime().toString(), "POS", "DE",
        entry.getTransaction().getCurrency(), entry.getTransaction().getMerchantCategory(), "baseline-1", "0.08",
        "APPROVE", "HIT");
    List<String> features = row.toList().subList(FeatureExport.LEADING_COLUMNS.size(), row.size());
    assertThat(features).hasSize(FeatureSpec.CURRENT.size());
    for (int k = 0; k < features.size(); k++) {
      assertThat(Float.parseFloat(features.get(k))).isEqualTo(entry.getFeatures().get(k));
    }
  }

  @Test
  void unlabelledRowsOnRequestAndASplitByEventTime() throws Exception {
    Path out = export("split", Optional.of(START.plus(Duration.ofHours(20))), true);
    Map<String, CSVRecord> training = rows(out.resolve(FeatureExport.TRAINING));
    Map<String, CSVRecord> validation = rows(out.resolve(FeatureExport.VALIDATION));

    assertThat(training.keySet()).containsExactlyInAnyOrderElementsOf(
        Stream.iterate(0, i -> i < 20, i -> i + 1).map(i -> "tx-" + i).toList());
    assertThat(validation.keySet()).containsExactlyInAnyOrderElementsOf(
        Stream.iterate(20, i -> i < 30, i -> i + 1).map(i -> "tx-" + i).toList());
    assertThat(training.get("tx-1").get(LABEL)).as("labelled after the cutoff: unknown at it").isEmpty();
    assertThat(training.get("tx-3").get(LABEL)).isEmpty();
    assertThat(validation.get("tx-24").get(LABEL)).isEqualTo("1");
  }

  @Test
  void parquetHoldsWhatCsvHoldsTyped() throws Exception {
    Path csv = export("round-trip-csv", Optional.empty(), false);
    Path parquet = export("round-trip-parquet", Optional.empty(), false, FeatureExport.Format.PARQUET);

    try (Stream<Path> files = Files.walk(parquet)) {
      assertThat(files.filter(file -> file.getFileName().toString().endsWith(".parquet"))).isNotEmpty();
    }
    Map<String, FeatureRow> fromCsv = byTransaction(ExportedRows.labelled(csv));
    Map<String, FeatureRow> fromParquet = byTransaction(ExportedRows.labelled(parquet));
    assertThat(fromParquet.keySet()).hasSize(15).isEqualTo(fromCsv.keySet());
    fromCsv.forEach((id, row) -> {
      FeatureRow typed = fromParquet.get(id);
      assertThat(typed.features()).as(id).containsExactly(row.features());
      assertThat(typed.source().fraud()).as(id).isEqualTo(row.source().fraud());
      assertThat(typed.source().transaction()).as(id).isEqualTo(row.source().transaction());
    });
    assertThat(fromParquet.get("tx-8").features()).containsExactly(toArray(logged.get("tx-8").getFeatures()));
  }

  private static Map<String, FeatureRow> byTransaction(List<FeatureRow> rows) {
    Map<String, FeatureRow> byId = new HashMap<>();
    rows.forEach(row -> byId.put(row.source().transaction().getTransactionId(), row));
    return byId;
  }

  private static float[] toArray(List<Float> values) {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }
}
