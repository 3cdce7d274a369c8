package dev.riskstream.rules;

/** A rule that could not be evaluated for one transaction (a value it needs is missing): it did not fire. */
public record RuleFailure(CompiledRule rule, String message) {}
