package dev.riskstream.features.profile;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * A row of {@code customer_profile}.
 *
 * @param segment free-form marketing segment, for analysts; not a feature
 * @param riskTier 1 (lowest) to 5 (highest)
 * @param homeCountry ISO 3166-1 alpha-2
 */
public record CustomerProfile(
    String customerId, String segment, int riskTier, LocalDate accountOpened, String homeCountry)
    implements Serializable {}
