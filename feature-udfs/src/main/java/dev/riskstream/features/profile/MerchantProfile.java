package dev.riskstream.features.profile;

import java.io.Serializable;

/**
 * A row of {@code merchant_profile}.
 *
 * @param categoryGroup coarse grouping of the merchant's categories, for analysts; not a feature
 * @param riskScore in [0, 1]
 * @param chargebackRate share of the merchant's transactions charged back, in [0, 1]
 * @param country ISO 3166-1 alpha-2
 */
public record MerchantProfile(
    String merchantId, String categoryGroup, float riskScore, float chargebackRate, String country)
    implements Serializable {}
