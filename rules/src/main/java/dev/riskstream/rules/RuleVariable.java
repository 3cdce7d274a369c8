package dev.riskstream.rules;

import dev.cel.common.types.CelType;

/** A name a rule's expression may use, its CEL type, and what it holds. */
public record RuleVariable(String name, CelType type, String description) {}
