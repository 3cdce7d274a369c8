package dev.riskstream.features.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.Transactions;
import dev.riskstream.features.spec.Feature;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Transaction;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ProfileFeaturesTest {

  private static final FeatureSpec SPEC = FeatureSpec.CURRENT;
  private static final CustomerProfile CUSTOMER =
      new CustomerProfile("cust-1", "retail", 2, LocalDate.parse("2025-03-02"), "DE");
  private static final MerchantProfile MERCHANT = new MerchantProfile("merchant-1", "everyday", 0.2f, 0.004f, "DE");

  private static float feature(float[] vector, String name) {
    return vector[SPEC.requireIndex(name)];
  }

  @Test
  void bothProfilesFillEveryProfileFeature() {
    float[] v = SPEC.defaults();
    ProfileFeatures.apply(v, Transactions.valid().build(), CUSTOMER, MERCHANT);

    assertThat(feature(v, FeatureSpec.CUSTOMER_RISK_TIER)).isEqualTo(2f);
    // 2025-03-02 to 2026-03-02
    assertThat(feature(v, FeatureSpec.CUSTOMER_ACCOUNT_AGE_DAYS_LOG)).isEqualTo((float) Math.log1p(365));
    assertThat(feature(v, FeatureSpec.MERCHANT_RISK_SCORE)).isEqualTo(0.2f);
    assertThat(feature(v, FeatureSpec.MERCHANT_CHARGEBACK_RATE)).isEqualTo(0.004f);
    assertThat(feature(v, FeatureSpec.IS_HOME_COUNTRY_FOR_CUSTOMER)).isEqualTo(1f);
    assertThat(feature(v, FeatureSpec.PROFILE_MISSING)).isZero();
  }

  @Test
  void abroadAndFutureOpeningDates() {
    float[] v = SPEC.defaults();
    Transaction abroad = Transactions.valid().setCountry("FR").build();
    ProfileFeatures.apply(v, abroad, new CustomerProfile("cust-1", "x", 1, LocalDate.parse("2027-01-01"), "DE"), MERCHANT);

    assertThat(feature(v, FeatureSpec.IS_HOME_COUNTRY_FOR_CUSTOMER)).isZero();
    assertThat(feature(v, FeatureSpec.CUSTOMER_ACCOUNT_AGE_DAYS_LOG)).isZero();
  }

  @Test
  void aMissingProfileLeavesItsFeaturesAtTheSpecDefaultsAndFlagsIt() {
    float[] onlyCustomer = SPEC.defaults();
    ProfileFeatures.apply(onlyCustomer, Transactions.valid().build(), CUSTOMER, null);
    assertThat(feature(onlyCustomer, FeatureSpec.CUSTOMER_RISK_TIER)).isEqualTo(2f);
    assertThat(feature(onlyCustomer, FeatureSpec.MERCHANT_RISK_SCORE)).isEqualTo(default_(FeatureSpec.MERCHANT_RISK_SCORE));
    assertThat(feature(onlyCustomer, FeatureSpec.PROFILE_MISSING)).isEqualTo(1f);

    float[] neither = new float[SPEC.size()];
    ProfileFeatures.apply(neither, Transactions.valid().build(), null, null);
    float[] unavailable = new float[SPEC.size()];
    ProfileFeatures.unavailable(unavailable);
    assertThat(neither).isEqualTo(unavailable);
    for (String name : profileFeatures()) {
      assertThat(feature(neither, name)).as(name).isEqualTo(default_(name));
    }
  }

  @Test
  void profileFeaturesComeAfterTheCardFeatures() {
    assertThat(SPEC.names().subList(SPEC.size() - 6, SPEC.size())).containsExactly(profileFeatures());
  }

  private static String[] profileFeatures() {
    return new String[] {FeatureSpec.CUSTOMER_RISK_TIER, FeatureSpec.CUSTOMER_ACCOUNT_AGE_DAYS_LOG,
        FeatureSpec.MERCHANT_RISK_SCORE, FeatureSpec.MERCHANT_CHARGEBACK_RATE,
        FeatureSpec.IS_HOME_COUNTRY_FOR_CUSTOMER, FeatureSpec.PROFILE_MISSING};
  }

  private static float default_(String name) {
    Feature feature = SPEC.features().get(SPEC.requireIndex(name));
    return feature.defaultValue();
  }
}
