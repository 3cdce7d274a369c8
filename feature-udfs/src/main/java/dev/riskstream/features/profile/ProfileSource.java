package dev.riskstream.features.profile;

/**
 * Customer and merchant profiles for code that computes features outside the streaming job
 * (training replays, batch scoring), so that their profile features are the ones the lookup join
 * serves rather than fallbacks.
 */
public interface ProfileSource {

  /** No profiles: every profile feature at its fallback, as a job without a lookup database serves. */
  ProfileSource NONE = new ProfileSource() {
    @Override
    public CustomerProfile customer(String customerId) {
      return null;
    }

    @Override
    public MerchantProfile merchant(String merchantId) {
      return null;
    }
  };

  /** The customer's profile, or null when there is none. */
  CustomerProfile customer(String customerId);

  /** The merchant's profile, or null when there is none. */
  MerchantProfile merchant(String merchantId);
}
