package dev.riskstream.sql.format;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * A table's columns over one of the contracts: which field of the record each column is. Columns are
 * matched by name, in any order, and each must have the type Flink gives the field
 * ({@link AvroSchemaConverter}), nullability aside; a table may leave fields out when it only reads.
 */
final class ContractColumns implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String CONTRACTS = "dev.riskstream.schemas.";

  private final String recordName;
  private final int[] fieldOfColumn;
  private final RowType rowType;

  private ContractColumns(String recordName, int[] fieldOfColumn, RowType rowType) {
    this.recordName = recordName;
    this.fieldOfColumn = fieldOfColumn;
    this.rowType = rowType;
  }

  /** @throws ValidationException naming the record, column or type that does not fit */
  static ContractColumns resolve(String recordName, RowType declared, boolean writing) {
    Schema schema = schemaOf(recordName);
    int[] fieldOfColumn = new int[declared.getFieldCount()];
    List<String> problems = new ArrayList<>();
    for (int column = 0; column < declared.getFieldCount(); column++) {
      String name = declared.getFieldNames().get(column);
      Schema.Field field = schema.getField(name);
      if (field == null) {
        problems.add("column " + name + " is no field of " + recordName);
        continue;
      }
      fieldOfColumn[column] = field.pos();
      LogicalType expected = AvroSchemaConverter.convertToDataType(field.schema().toString()).getLogicalType();
      LogicalType actual = declared.getTypeAt(column);
      if (!actual.copy(true).equals(expected.copy(true))) {
        problems.add("column " + name + " is " + actual.asSummaryString() + ", the field is " + expected.asSummaryString());
      }
    }
    if (writing && declared.getFieldCount() != schema.getFields().size()) {
      List<String> missing = schema.getFields().stream().map(Schema.Field::name)
          .filter(name -> !declared.getFieldNames().contains(name)).toList();
      problems.add("writing a " + recordName + " takes every field; missing " + missing);
    }
    if (!problems.isEmpty()) {
      throw new ValidationException("format 'riskstream-avro' with record " + recordName + ": "
          + String.join("; ", problems));
    }
    return new ContractColumns(recordName, fieldOfColumn, declared);
  }

  @SuppressWarnings("unchecked")
  static Class<? extends SpecificRecord> recordClass(String recordName) {
    try {
      Class<?> type = Class.forName(CONTRACTS + recordName);
      if (SpecificRecord.class.isAssignableFrom(type)) {
        return (Class<? extends SpecificRecord>) type;
      }
    } catch (ClassNotFoundException e) {
      // refused below, with the names that would do
    }
    throw new ValidationException("format 'riskstream-avro': 'record' = '" + recordName + "' is no riskstream "
        + "contract; one of Transaction, Decision, DeadLetter, FraudLabel, ModelUpdate, ModelStatus, DriftReport, "
        + "PerformanceReport, RetrainRequest, FeatureLogEntry, RuleSetUpdate, RuleSetStatus");
  }

  private static Schema schemaOf(String recordName) {
    Class<? extends SpecificRecord> type = recordClass(recordName);
    return SpecificData.getForClass(type).getSchema(type);
  }

  String recordName() {
    return recordName;
  }

  RowType rowType() {
    return rowType;
  }

  /** The record field of each column, by position. */
  int[] fieldOfColumn() {
    return fieldOfColumn.clone();
  }
}
