package dev.riskstream.local.simulator;

import dev.riskstream.schemas.Channel;

/** A merchant, which takes cards through exactly one channel (a shop, a web shop, an ATM, a mail-order desk). */
public record Merchant(String id, String name, MerchantCategory category, Market market, Channel channel) {}
