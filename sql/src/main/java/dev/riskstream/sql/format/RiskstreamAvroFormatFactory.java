package dev.riskstream.sql.format;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'format' = 'riskstream-avro'}: riskstream's topics as tables, in the contracts' Avro
 * single-object encoding, every released version read, for Kafka's and the filesystem's connectors.
 */
public final class RiskstreamAvroFormatFactory implements DeserializationFormatFactory, SerializationFormatFactory {

  public static final String IDENTIFIER = "riskstream-avro";

  public static final ConfigOption<String> RECORD = key("record").stringType().noDefaultValue()
      .withDescription("The contract the topic carries: Transaction, Decision, FraudLabel, ...");

  /** What to do with a payload that is no readable record of the contract. */
  public enum Undecodable { FAIL, SKIP }

  public static final ConfigOption<Undecodable> UNDECODABLE = key("undecodable").enumType(Undecodable.class)
      .defaultValue(Undecodable.FAIL)
      .withDescription("fail: the query fails with the reason (a fingerprint that is no released version, not Avro, "
          + "a corrupt body); skip: the record is left out, counted and logged.");

  @Override
  public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(DynamicTableFactory.Context context,
      ReadableConfig options) {
    FactoryUtil.validateFactoryOptions(this, options);
    String record = options.get(RECORD);
    boolean skip = options.get(UNDECODABLE) == Undecodable.SKIP;
    ContractColumns.recordClass(record);
    return new DecodingFormat<>() {
      @Override
      public DeserializationSchema<RowData> createRuntimeDecoder(DynamicTableSource.Context source, DataType physical) {
        ContractColumns columns = ContractColumns.resolve(record, (RowType) physical.getLogicalType(), false);
        return new ContractDeserializationSchema(columns, skip, source.createTypeInformation(physical));
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }

  @Override
  public EncodingFormat<SerializationSchema<RowData>> createEncodingFormat(DynamicTableFactory.Context context,
      ReadableConfig options) {
    FactoryUtil.validateFactoryOptions(this, options);
    String record = options.get(RECORD);
    ContractColumns.recordClass(record);
    return new EncodingFormat<>() {
      @Override
      public SerializationSchema<RowData> createRuntimeEncoder(DynamicTableSink.Context sink, DataType physical) {
        return new ContractSerializationSchema(ContractColumns.resolve(record, (RowType) physical.getLogicalType(), true));
      }

      @Override
      public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
      }
    };
  }

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(RECORD);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(UNDECODABLE);
  }
}
