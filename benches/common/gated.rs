//! The gated 5-tier commission shared by `benches/tier.rs` and
//! `benches/script.rs`: the seeded inputs and the hand-written baseline.

use perfpay::Decimal;
use rust_decimal_macros::dec;

/// 10,000 (sales, satisfaction) pairs from a fixed-seed LCG: sales 0 to
/// 700,000.00, satisfaction 0.70 to 1.00.
pub fn inputs() -> Vec<(Decimal, Decimal)> {
    let mut state: u64 = 0x7e_2026_1128;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    (0..10_000)
        .map(|_| {
            let sales = Decimal::new((next() % 70_000_000) as i64, 2);
            let satisfaction = Decimal::new(70 + (next() % 31) as i64, 2);
            (sales, satisfaction)
        })
        .collect()
}

/// The rule written by hand, the baseline.
pub fn native(sales: Decimal, satisfaction: Decimal) -> Decimal {
    if satisfaction < dec!(0.85) {
        return Decimal::ZERO;
    }
    let commission = if sales < dec!(50000) {
        sales * dec!(0.01)
    } else if sales < dec!(100000) {
        dec!(500) + (sales - dec!(50000)) * dec!(0.02)
    } else if sales < dec!(200000) {
        dec!(1500) + (sales - dec!(100000)) * dec!(0.03)
    } else if sales < dec!(500000) {
        dec!(4500) + (sales - dec!(200000)) * dec!(0.04)
    } else {
        dec!(16500) + (sales - dec!(500000)) * dec!(0.05)
    };
    if satisfaction >= dec!(0.95) {
        commission * dec!(1.1)
    } else {
        commission
    }
}
