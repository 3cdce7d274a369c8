-- Profiles that the job's lookup join reads (ProfileLookup), keyed by the ids of the Transaction
-- schema. Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode (the local stack and tests).
-- Applied with Flyway by the local stack or an operator (README, "The lookup database"); the job
-- itself only reads.

CREATE TABLE customer_profile (
    customer_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    segment        VARCHAR(32)  NOT NULL,
    -- 1 (lowest) to 5 (highest)
    risk_tier      SMALLINT     NOT NULL CHECK (risk_tier BETWEEN 1 AND 5),
    account_opened DATE         NOT NULL,
    -- ISO 3166-1 alpha-2
    home_country   CHAR(2)      NOT NULL,
    updated_at     TIMESTAMP    DEFAULT CURRENT_TIMESTAMP NOT NULL
);

CREATE TABLE merchant_profile (
    merchant_id     VARCHAR(64)  NOT NULL PRIMARY KEY,
    category_group  VARCHAR(32)  NOT NULL,
    risk_score      REAL         NOT NULL CHECK (risk_score BETWEEN 0 AND 1),
    -- share of the merchant's transactions charged back
    chargeback_rate REAL         NOT NULL CHECK (chargeback_rate BETWEEN 0 AND 1),
    country         CHAR(2)      NOT NULL,
    updated_at      TIMESTAMP    DEFAULT CURRENT_TIMESTAMP NOT NULL
);
