package dev.riskstream.sql.format;

import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.AvroToRowDataConverters;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a contract's single-object encoding, every released version of it, into a table's columns.
 * A payload the codec refuses (a fingerprint that is no released version, not Avro, a corrupt body)
 * fails the query with the codec's reason, or with {@code 'riskstream-avro.undecodable' = 'skip'} is
 * left out, counted ({@code undecodableRecords}) and logged.
 */
final class ContractDeserializationSchema implements DeserializationSchema<RowData> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ContractDeserializationSchema.class);

  private final ContractColumns columns;
  private final boolean skipUndecodable;
  private final TypeInformation<RowData> producedType;
  private transient AvroCodec<? extends SpecificRecord> codec;
  private transient AvroToRowDataConverters.AvroToRowDataConverter converter;
  private transient Counter undecodable;

  ContractDeserializationSchema(ContractColumns columns, boolean skipUndecodable, TypeInformation<RowData> producedType) {
    this.columns = columns;
    this.skipUndecodable = skipUndecodable;
    this.producedType = producedType;
  }

  @Override
  public void open(InitializationContext context) {
    codec = AvroCodec.of(ContractColumns.recordClass(columns.recordName()));
    converter = AvroToRowDataConverters.createRowConverter(columns.rowType());
    undecodable = context.getMetricGroup().counter("undecodableRecords");
  }

  @Override
  public RowData deserialize(byte[] message) throws IOException {
    SpecificRecord record;
    try {
      record = codec.decode(message);
    } catch (DecodeException e) {
      if (!skipUndecodable) {
        throw new IOException("not a readable " + columns.recordName() + " (" + e.reason() + "): " + e.getMessage()
            + "; 'riskstream-avro.undecodable' = 'skip' leaves such records out", e);
      }
      undecodable.inc();
      LOG.warn("left out a record that is not a readable {} ({}): {}", columns.recordName(), e.reason(), e.getMessage());
      return null;
    }
    return (RowData) converter.convert(new Projected(record, columns.fieldOfColumn()));
  }

  @Override
  public void deserialize(byte[] message, Collector<RowData> out) throws IOException {
    RowData row = deserialize(message);
    if (row != null) {
      out.collect(row);
    }
  }

  @Override
  public boolean isEndOfStream(RowData nextElement) {
    return false;
  }

  @Override
  public TypeInformation<RowData> getProducedType() {
    return producedType;
  }

  /** The record's fields in the table's column order, as the row converter reads them. */
  private record Projected(IndexedRecord record, int[] fieldOfColumn) implements IndexedRecord {

    @Override
    public void put(int i, Object v) {
      throw new UnsupportedOperationException("read only");
    }

    @Override
    public Object get(int i) {
      return record.get(fieldOfColumn[i]);
    }

    @Override
    public Schema getSchema() {
      return record.getSchema();
    }
  }
}
