-- Decides the transactions topic in Flink SQL with a riskstream model bundle: the features a
-- transaction alone gives, computed by the job's own feature code; the card-history and profile
-- features at the values the job gives them where it knows nothing (FEATURE_DEFAULT); the bundle's
-- model through ML_PREDICT; approve, review or decline by the bundle's thresholds, with the reason
-- codes the job gives; decisions and dead letters to topics of their own.
--
--   ./riskstream demo --topic sql-decisions --topic sql-dead-letters    # its broker creates no topic on first use
--   ./riskstream sql --file examples/sql/decide.sql --var bootstrap=localhost:9092 --var bundle=models/baseline
--
-- Values (--var NAME=VALUE; defaults after ':-'): bootstrap; bundle, a bundle directory, read when
-- the statement is planned and by every TaskManager; review-threshold, decline-threshold and
-- model-version, the bundle's manifest.json "thresholds" and "modelVersion" (the defaults are
-- models/baseline's); the topics; startup-mode and bounded-mode, the Kafka connector's
-- scan.startup.mode and scan.bounded.mode (by default: what arrives from now on, for ever).
--
-- What it is not: the job. Its scores equal the job's only where the job, too, knew nothing of the
-- card and the profile (a card's first transaction without a device, no profile lookup); elsewhere
-- they approximate them. docs/sql.md says which features SQL computes and why; score-feature-log.sql
-- scores with every feature the job computed.

SET 'table.local-time-zone' = 'UTC';

CREATE TABLE transactions (
  transactionId STRING NOT NULL,
  merchantCategory STRING NOT NULL,
  amountMinor BIGINT NOT NULL,
  currency STRING NOT NULL,
  country STRING NOT NULL,
  channel STRING NOT NULL,
  eventTime TIMESTAMP(3) NOT NULL
) WITH (
  'connector' = 'kafka',
  'topic' = '${transactions-topic:-transactions}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = '${group:-riskstream-sql-decide}',
  'scan.startup.mode' = '${startup-mode:-latest-offset}',
  'scan.bounded.mode' = '${bounded-mode:-unbounded}',
  -- a payload that no released Transaction schema reads is counted and logged
  -- (undecodableRecords); the job, reading the same topic, dead-letters it with its reason
  'format' = 'riskstream-avro',
  'riskstream-avro.record' = 'Transaction',
  'riskstream-avro.undecodable' = 'skip'
);

CREATE TABLE sql_decisions (
  transactionId STRING NOT NULL,
  eventTime TIMESTAMP_LTZ(3) NOT NULL,
  decidedAt TIMESTAMP_LTZ(3) NOT NULL,
  score DOUBLE NOT NULL,
  outcome STRING NOT NULL,
  reasons ARRAY<STRING> NOT NULL,
  modelVersion STRING NOT NULL
) WITH (
  'connector' = 'kafka',
  'topic' = '${decisions-topic:-sql-decisions}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'format' = 'json'
);

-- as in the job, a currency without a rate is a dead letter, not a guess
CREATE TABLE sql_dead_letters (
  transactionId STRING NOT NULL,
  reason STRING NOT NULL,
  detail STRING NOT NULL
) WITH (
  'connector' = 'kafka',
  'topic' = '${dead-letters-topic:-sql-dead-letters}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'format' = 'json'
);

CREATE TEMPORARY VIEW features AS
SELECT
  transactionId,
  eventTime,
  AMOUNT_BASE_LOG(amountMinor, currency) AS amount_base_log,
  FEATURE_DEFAULT('amount_to_card_mean') AS amount_to_card_mean,
  FEATURE_DEFAULT('card_tx_count_1m') AS card_tx_count_1m,
  FEATURE_DEFAULT('card_tx_count_1h') AS card_tx_count_1h,
  FEATURE_DEFAULT('card_tx_count_24h') AS card_tx_count_24h,
  FEATURE_DEFAULT('card_amount_sum_1m_log') AS card_amount_sum_1m_log,
  FEATURE_DEFAULT('card_amount_sum_1h_log') AS card_amount_sum_1h_log,
  FEATURE_DEFAULT('card_amount_sum_24h_log') AS card_amount_sum_24h_log,
  FEATURE_DEFAULT('seconds_since_last_tx_log') AS seconds_since_last_tx_log,
  FEATURE_DEFAULT('card_history_count_log') AS card_history_count_log,
  FEATURE_DEFAULT('new_merchant_for_card') AS new_merchant_for_card,
  FEATURE_DEFAULT('new_country_for_card') AS new_country_for_card,
  FEATURE_DEFAULT('new_device_for_card') AS new_device_for_card,
  HOUR_OF_DAY_SIN(CAST(eventTime AS TIMESTAMP_LTZ(3)), country) AS hour_of_day_sin,
  HOUR_OF_DAY_COS(CAST(eventTime AS TIMESTAMP_LTZ(3)), country) AS hour_of_day_cos,
  IS_NIGHT(CAST(eventTime AS TIMESTAMP_LTZ(3)), country) AS is_night,
  CHANNEL_ECOM(channel) AS channel_ecom,
  CHANNEL_ATM(channel) AS channel_atm,
  CHANNEL_MOTO(channel) AS channel_moto,
  MCC_HIGH_RISK(merchantCategory) AS mcc_high_risk,
  FEATURE_DEFAULT('customer_risk_tier') AS customer_risk_tier,
  FEATURE_DEFAULT('customer_account_age_days_log') AS customer_account_age_days_log,
  FEATURE_DEFAULT('merchant_risk_score') AS merchant_risk_score,
  FEATURE_DEFAULT('merchant_chargeback_rate') AS merchant_chargeback_rate,
  FEATURE_DEFAULT('is_home_country_for_customer') AS is_home_country_for_customer,
  FEATURE_DEFAULT('profile_missing') AS profile_missing
FROM transactions
WHERE AMOUNT_BASE_LOG(amountMinor, currency) IS NOT NULL;

-- a bundle: the INPUT columns are matched to its features by name, the fraud output is its manifest's
CREATE MODEL fraud
INPUT (
  amount_base_log FLOAT,
  amount_to_card_mean FLOAT,
  card_tx_count_1m FLOAT,
  card_tx_count_1h FLOAT,
  card_tx_count_24h FLOAT,
  card_amount_sum_1m_log FLOAT,
  card_amount_sum_1h_log FLOAT,
  card_amount_sum_24h_log FLOAT,
  seconds_since_last_tx_log FLOAT,
  card_history_count_log FLOAT,
  new_merchant_for_card FLOAT,
  new_country_for_card FLOAT,
  new_device_for_card FLOAT,
  hour_of_day_sin FLOAT,
  hour_of_day_cos FLOAT,
  is_night FLOAT,
  channel_ecom FLOAT,
  channel_atm FLOAT,
  channel_moto FLOAT,
  mcc_high_risk FLOAT,
  customer_risk_tier FLOAT,
  customer_account_age_days_log FLOAT,
  merchant_risk_score FLOAT,
  merchant_chargeback_rate FLOAT,
  is_home_country_for_customer FLOAT,
  profile_missing FLOAT
)
OUTPUT (score DOUBLE)
WITH ('provider' = 'onnx', 'path' = '${bundle}', 'execution-provider' = '${execution-provider:-auto}');

CREATE TEMPORARY VIEW outcomes AS
SELECT
  transactionId,
  eventTime,
  score,
  CASE
    WHEN score >= CAST(${decline-threshold:-0.19277352598922132} AS DOUBLE) THEN 'DECLINE'
    WHEN score >= CAST(${review-threshold:-0.06313213006488709} AS DOUBLE) THEN 'REVIEW'
    ELSE 'APPROVE'
  END AS outcome,
  is_night,
  mcc_high_risk
FROM ML_PREDICT(
  TABLE features,
  MODEL fraud,
  DESCRIPTOR(
    amount_base_log, amount_to_card_mean, card_tx_count_1m, card_tx_count_1h,
    card_tx_count_24h, card_amount_sum_1m_log, card_amount_sum_1h_log, card_amount_sum_24h_log,
    seconds_since_last_tx_log, card_history_count_log, new_merchant_for_card, new_country_for_card,
    new_device_for_card, hour_of_day_sin, hour_of_day_cos, is_night,
    channel_ecom, channel_atm, channel_moto, mcc_high_risk,
    customer_risk_tier, customer_account_age_days_log, merchant_risk_score, merchant_chargeback_rate,
    is_home_country_for_customer, profile_missing),
  -- rows in flight per subtask, which bound a batch (docs/sql.md)
  MAP['async', 'true', 'max-concurrent-operations', '512']);

EXECUTE STATEMENT SET BEGIN
INSERT INTO sql_decisions
SELECT
  transactionId,
  CAST(eventTime AS TIMESTAMP_LTZ(3)),
  CURRENT_TIMESTAMP,
  score,
  outcome,
  -- the reason codes the job gives a transaction that it knows nothing else of: the others need
  -- the card's history
  ARRAY_REMOVE(ARRAY[
    CASE outcome
      WHEN 'DECLINE' THEN 'SCORE_ABOVE_DECLINE_THRESHOLD'
      WHEN 'REVIEW' THEN 'SCORE_ABOVE_REVIEW_THRESHOLD'
    END,
    CASE WHEN outcome <> 'APPROVE' AND is_night > 0 THEN 'NIGHT_TIME' END,
    CASE WHEN outcome <> 'APPROVE' AND mcc_high_risk > 0 THEN 'HIGH_RISK_MERCHANT_CATEGORY' END], NULL),
  '${model-version:-baseline-1}'
FROM outcomes;
INSERT INTO sql_dead_letters
SELECT transactionId, 'UNKNOWN_CURRENCY', 'no rate for currency ' || currency
FROM transactions
WHERE AMOUNT_BASE_LOG(amountMinor, currency) IS NULL;
END;
