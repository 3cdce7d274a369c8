package dev.riskstream.features.validation;

import dev.riskstream.schemas.DeadLetterReason;

/** Why a decoded transaction cannot be scored. The message never contains the PAN. */
public record Violation(DeadLetterReason reason, String message) {}
