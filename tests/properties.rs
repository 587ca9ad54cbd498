//! Laws of the vocabulary, checked with proptest through `perfpay::testing`.
//! Each property runs at least 256 cases.

use perfpay::testing::{self, check_allocation, check_segments_sum};
use perfpay::{DayBasis, Decimal, RoundingPolicy, WorkCalendar, allocate};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Parts of an allocation always add up to the total, for any grid,
    /// any non-negative weights and totals of either sign.
    #[test]
    fn prop_allocation_sums_to_total(
        policy in testing::rounding_policy(),
        units in -10_000_000_000i64..10_000_000_000,
        weights in testing::weights(1..12),
    ) {
        let total = Decimal::new(units, policy.scale());
        let parts = allocate(total, &weights, policy).unwrap();
        prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
        prop_assert_eq!(parts.len(), weights.len());
    }

    /// Every part lies within one grid unit of its exact share, zero weights
    /// get zero, and no part has the opposite sign of the total.
    #[test]
    fn prop_allocation_is_proportional_within_one_unit(
        total in testing::amount(2, 1_000_000),
        weights in testing::weights(1..12),
    ) {
        let policy = RoundingPolicy::cents();
        let parts = allocate(total, &weights, policy).unwrap();
        if let Err(violation) = check_allocation(total, &weights, &parts, policy) {
            prop_assert!(false, "{}", violation);
        }
    }

    /// Rounding an already rounded value changes nothing, in every mode and
    /// at every scale, and the result is on the policy's grid.
    #[test]
    fn prop_rounding_is_idempotent(policy in testing::rounding_policy(), value in testing::any_decimal()) {
        let once = policy.round(value);
        prop_assert!(policy.is_rounded(once));
        prop_assert_eq!(policy.round(once), once);
        // and never moves a value by a whole unit or more
        prop_assert!((once - value).abs() < policy.unit());
    }

    /// round_ratio agrees with plain rounding whenever the quotient is exact.
    #[test]
    fn prop_round_ratio_matches_round_on_exact_quotients(
        policy in testing::rounding_policy(),
        value in testing::amount(4, 1_000_000),
        divisor in prop_oneof![Just(1i64), Just(2), Just(4), Just(5), Just(8), Just(-2), Just(10)],
    ) {
        let divisor = Decimal::from(divisor);
        let numerator = value * divisor;
        prop_assert_eq!(policy.round_ratio(numerator, divisor).unwrap(), policy.round(value));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Prorated segments add up exactly to the prorated total, on calendar
    /// days and on working days, and the total never exceeds the largest
    /// value in force.
    #[test]
    fn prop_proration_segments_sum_to_whole(
        (period, timeline) in testing::timeline_in_period(50_000, 4),
        working in any::<bool>(),
    ) {
        let basis = if working {
            DayBasis::WorkingDays(WorkCalendar::monday_to_friday())
        } else {
            DayBasis::CalendarDays
        };
        let policy = RoundingPolicy::cents();
        match timeline.prorate(&period, &basis, policy) {
            Ok(paid) => {
                let amounts: Vec<Decimal> = paid.segments.iter().map(|s| s.amount).collect();
                if let Err(violation) = check_segments_sum(paid.total, &amounts) {
                    prop_assert!(false, "{}", violation);
                }
                let max = timeline.changes().iter().map(|c| c.value).max().unwrap_or_default();
                prop_assert!(paid.total <= max);
                let days: u32 = paid.segments.iter().map(|s| s.days).sum();
                prop_assert!(days <= paid.period_days);
            }
            // only a period without a single working day may fail
            Err(err) => {
                prop_assert_eq!(err.kind(), perfpay::ErrorKind::DivisionByZero);
                prop_assert_eq!(basis.count(&period), 0);
            }
        }
    }
}
