package dev.riskstream.local.simulator;

/**
 * A transaction decided but not yet emitted. Transaction ids are given at emission, so that they follow
 * the order of the stream.
 *
 * @param order tie-breaker between drafts at the same millisecond, so that emission order is reproducible
 */
record Draft(long timeMillis, long order, Card card, Merchant merchant, long amountMinor, String deviceId,
    FraudPattern pattern) {}
