//! The gated 5-tier commission shared by `benches/tier.rs` and
//! `benches/script.rs`: the seeded inputs and the hand-written baseline.

use perfpay::Decimal;
use rust_decimal_macros::dec;

#[path = "seeded.rs"]
mod seeded;

/// 10,000 (sales, satisfaction) pairs from a fixed-seed LCG: sales 0 to
/// 700,000.00, satisfaction 0.70 to 1.00.
pub fn inputs() -> Vec<(Decimal, Decimal)> {
    let mut seeded = seeded::Seeded::new(0x7e_2026_1128);
    (0..10_000)
        .map(|_| {
            let sales = Decimal::new(seeded.below(70_000_000), 2);
            let satisfaction = Decimal::new(70 + seeded.below(31), 2);
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
