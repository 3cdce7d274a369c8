-- Scores a model bundle on the job's feature log: for every decision, the exact feature vector the
-- job served, card history and profile included, which SQL cannot compute from the transactions
-- topic. With the served bundle it reproduces the job's scores; with a candidate it shows, on the
-- same traffic, what the candidate would have decided beside what was decided.
--
--   ./riskstream sql --file examples/sql/score-feature-log.sql \
--       --var feature-log=file:///var/riskstream/feature-log --var bundle=models/baseline
--
-- Values (--var NAME=VALUE; defaults after ':-'): feature-log, the job's feature.log.path (any file
-- system Flink reads); bundle, the bundle to score with; review-threshold and decline-threshold,
-- that bundle's manifest.json "thresholds" (the defaults are models/baseline's).
--
-- The log's vectors are in the feature specification's order when they were written (the files'
-- riskstream.features metadata); LOGGED_FEATURE reads them by name in today's order and refuses a
-- vector of another length. A WHERE on `date` and `hour` reads those partitions only.

SET 'table.local-time-zone' = 'UTC';

CREATE TABLE feature_log (
  transactionId STRING NOT NULL,
  eventTime TIMESTAMP(3) NOT NULL,
  features ARRAY<FLOAT NOT NULL> NOT NULL,
  modelVersion STRING NOT NULL,
  score DOUBLE NOT NULL,
  `date` STRING,
  `hour` STRING
) PARTITIONED BY (`date`, `hour`) WITH (
  'connector' = 'filesystem',
  'path' = '${feature-log}',
  'format' = 'avro'
);

CREATE TEMPORARY VIEW served AS
SELECT
  transactionId,
  modelVersion AS servedVersion,
  score AS servedScore,
  LOGGED_FEATURE(features, 'amount_base_log') AS amount_base_log,
  LOGGED_FEATURE(features, 'amount_to_card_mean') AS amount_to_card_mean,
  LOGGED_FEATURE(features, 'card_tx_count_1m') AS card_tx_count_1m,
  LOGGED_FEATURE(features, 'card_tx_count_1h') AS card_tx_count_1h,
  LOGGED_FEATURE(features, 'card_tx_count_24h') AS card_tx_count_24h,
  LOGGED_FEATURE(features, 'card_amount_sum_1m_log') AS card_amount_sum_1m_log,
  LOGGED_FEATURE(features, 'card_amount_sum_1h_log') AS card_amount_sum_1h_log,
  LOGGED_FEATURE(features, 'card_amount_sum_24h_log') AS card_amount_sum_24h_log,
  LOGGED_FEATURE(features, 'seconds_since_last_tx_log') AS seconds_since_last_tx_log,
  LOGGED_FEATURE(features, 'card_history_count_log') AS card_history_count_log,
  LOGGED_FEATURE(features, 'new_merchant_for_card') AS new_merchant_for_card,
  LOGGED_FEATURE(features, 'new_country_for_card') AS new_country_for_card,
  LOGGED_FEATURE(features, 'new_device_for_card') AS new_device_for_card,
  LOGGED_FEATURE(features, 'hour_of_day_sin') AS hour_of_day_sin,
  LOGGED_FEATURE(features, 'hour_of_day_cos') AS hour_of_day_cos,
  LOGGED_FEATURE(features, 'is_night') AS is_night,
  LOGGED_FEATURE(features, 'channel_ecom') AS channel_ecom,
  LOGGED_FEATURE(features, 'channel_atm') AS channel_atm,
  LOGGED_FEATURE(features, 'channel_moto') AS channel_moto,
  LOGGED_FEATURE(features, 'mcc_high_risk') AS mcc_high_risk,
  LOGGED_FEATURE(features, 'customer_risk_tier') AS customer_risk_tier,
  LOGGED_FEATURE(features, 'customer_account_age_days_log') AS customer_account_age_days_log,
  LOGGED_FEATURE(features, 'merchant_risk_score') AS merchant_risk_score,
  LOGGED_FEATURE(features, 'merchant_chargeback_rate') AS merchant_chargeback_rate,
  LOGGED_FEATURE(features, 'is_home_country_for_customer') AS is_home_country_for_customer,
  LOGGED_FEATURE(features, 'profile_missing') AS profile_missing
FROM feature_log;

CREATE MODEL candidate
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

SELECT
  transactionId,
  servedVersion,
  servedScore,
  score,
  CASE
    WHEN score >= CAST(${decline-threshold:-0.19277352598922132} AS DOUBLE) THEN 'DECLINE'
    WHEN score >= CAST(${review-threshold:-0.06313213006488709} AS DOUBLE) THEN 'REVIEW'
    ELSE 'APPROVE'
  END AS outcome
FROM ML_PREDICT(
  TABLE served,
  MODEL candidate,
  DESCRIPTOR(
    amount_base_log, amount_to_card_mean, card_tx_count_1m, card_tx_count_1h,
    card_tx_count_24h, card_amount_sum_1m_log, card_amount_sum_1h_log, card_amount_sum_24h_log,
    seconds_since_last_tx_log, card_history_count_log, new_merchant_for_card, new_country_for_card,
    new_device_for_card, hour_of_day_sin, hour_of_day_cos, is_night,
    channel_ecom, channel_atm, channel_moto, mcc_high_risk,
    customer_risk_tier, customer_account_age_days_log, merchant_risk_score, merchant_chargeback_rate,
    is_home_country_for_customer, profile_missing),
  MAP['async', 'true', 'max-concurrent-operations', '512']);
