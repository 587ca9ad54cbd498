//! Rounding, exact allocation and checked arithmetic through the public API.

use perfpay::money::{DecimalExt, RoundingMode, allocate, checked_sum};
use perfpay::{Decimal, ErrorKind, RoundingPolicy};
use rust_decimal_macros::dec;

#[test]
fn rounding_half_even_versus_half_up_on_a_payroll_column() {
    let half_up = RoundingPolicy::cents();
    let half_even = RoundingPolicy::new(2, RoundingMode::HalfEven).unwrap();
    let column = [dec!(10.125), dec!(10.135), dec!(10.145), dec!(10.155)];
    let up: Vec<Decimal> = column.iter().map(|v| half_up.round(*v)).collect();
    let even: Vec<Decimal> = column.iter().map(|v| half_even.round(*v)).collect();
    assert_eq!(up, [dec!(10.13), dec!(10.14), dec!(10.15), dec!(10.16)]);
    assert_eq!(even, [dec!(10.12), dec!(10.14), dec!(10.14), dec!(10.16)]);
    // rounding to whole currency units (a yen-like policy)
    let whole = RoundingPolicy::new(0, RoundingMode::HalfUp).unwrap();
    assert_eq!(whole.round(dec!(1234.5)), dec!(1235));
    assert_eq!(whole.round(dec!(-1234.5)), dec!(-1235));
}

#[test]
fn allocation_of_a_pool_by_the_seed_scorecard_weights() {
    // 1,000,000 split 50 / 30 / 20
    let parts = allocate(
        dec!(1000000),
        &[dec!(0.5), dec!(0.3), dec!(0.2)],
        RoundingPolicy::cents(),
    )
    .unwrap();
    assert_eq!(parts, [dec!(500000), dec!(300000), dec!(200000)]);
    // 0.05 over 3 equal weights: 0.02, 0.02, 0.01 (ties to the earlier index)
    let parts = allocate(dec!(0.05), &[dec!(1), dec!(1), dec!(1)], RoundingPolicy::cents()).unwrap();
    assert_eq!(parts, [dec!(0.02), dec!(0.02), dec!(0.01)]);
    // 7 over weights 1/3-ish: remainders decide, not order
    let parts = allocate(
        dec!(7),
        &[dec!(1), dec!(2), dec!(4)],
        RoundingPolicy::new(0, RoundingMode::HalfUp).unwrap(),
    )
    .unwrap();
    assert_eq!(parts, [dec!(1), dec!(2), dec!(4)]);
    let parts = allocate(
        dec!(10),
        &[dec!(1), dec!(2), dec!(4)],
        RoundingPolicy::new(0, RoundingMode::HalfUp).unwrap(),
    )
    .unwrap();
    // exact shares 1.43, 2.86, 5.71 → floors 1, 2, 5; the two units left go to .86 and .71
    assert_eq!(parts, [dec!(1), dec!(3), dec!(6)]);
}

#[test]
fn allocation_at_the_edges_of_decimal() {
    let whole = RoundingPolicy::new(0, RoundingMode::HalfUp).unwrap();
    let parts = allocate(Decimal::MAX, &[dec!(1), dec!(1)], whole).unwrap();
    assert_eq!(parts[0] + parts[1], Decimal::MAX);
    assert_eq!(parts[0] - parts[1], dec!(1));
    // the total cannot be expressed in units of the policy's scale
    let err = allocate(Decimal::MAX, &[dec!(1)], RoundingPolicy::cents()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Overflow);
}

#[test]
fn checked_arithmetic_reports_the_operation() {
    let err = Decimal::MAX.try_mul(dec!(2)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Overflow);
    assert_eq!(err.to_string(), format!("{} × 2 overflows", Decimal::MAX));
    let err = Decimal::MIN.try_sub(dec!(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Overflow);
    assert_eq!(dec!(1).try_div(dec!(3)).unwrap().round_dp(4), dec!(0.3333));
    assert_eq!(
        dec!(1).try_div(dec!(0)).unwrap_err().to_string(),
        "1 divided by zero"
    );
    assert_eq!(checked_sum([dec!(0.1), dec!(0.2)]).unwrap(), dec!(0.3));
}

#[test]
fn rounding_scale_above_decimal_is_rejected() {
    let err = RoundingPolicy::new(29, RoundingMode::HalfEven).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(RoundingPolicy::new(28, RoundingMode::HalfEven).is_ok());
}
