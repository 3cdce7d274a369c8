package dev.riskstream.local.simulator;

import java.util.List;

/** A card holder; the first device is the one used for most online purchases. */
public record Customer(String id, Market home, List<String> deviceIds) {

  public Customer {
    deviceIds = List.copyOf(deviceIds);
  }
}
