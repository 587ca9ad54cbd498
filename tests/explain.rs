//! Explanation trees: building, rendering, serializing.

use perfpay::explain::Term;
use perfpay::money::RoundingMode;
use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
use rust_decimal_macros::dec;

fn commission() -> Explanation {
    let slices = [
        (dec!(50000), dec!(0.01)),
        (dec!(50000), dec!(0.02)),
        (dec!(65000), dec!(0.03)),
    ];
    let mut e = Explanation::money("commission", dec!(3450)).input("sales", dec!(165000), Unit::Money);
    for (i, (amount, rate)) in slices.into_iter().enumerate() {
        if i > 0 {
            e = e.text(" + ");
        }
        e = e.value(amount, Unit::Money).text(" × ").value(rate, Unit::Rate);
        e.push_child(
            Explanation::money("slice", amount * rate)
                .value(amount, Unit::Money)
                .text(" × ")
                .value(rate, Unit::Rate),
        );
    }
    e
}

#[test]
fn the_design_commission_statement_renders_exactly() {
    let e = commission();
    assert_eq!(
        e.statement(&RoundingPolicy::cents()),
        "commission 3,450.00 = 50,000.00 × 1 % + 50,000.00 × 2 % + 65,000.00 × 3 % (sales = 165,000.00)"
    );
    assert_eq!(
        e.render(&RoundingPolicy::cents()),
        "commission 3,450.00 = 50,000.00 × 1 % + 50,000.00 × 2 % + 65,000.00 × 3 % (sales = 165,000.00)\n\
         \x20 slice 500.00 = 50,000.00 × 1 %\n\
         \x20 slice 1,000.00 = 50,000.00 × 2 %\n\
         \x20 slice 1,950.00 = 65,000.00 × 3 %\n"
    );
    let children: Decimal = e.children().iter().map(Explanation::result).sum();
    assert_eq!(children, e.result(), "the slices add up to the commission");
}

#[test]
fn rendering_follows_the_policy_scale() {
    let e = Explanation::money("base", dec!(8523.805));
    let yuan = RoundingPolicy::new(0, RoundingMode::HalfUp).unwrap();
    assert_eq!(e.statement(&yuan), "base 8,524");
    let mills = RoundingPolicy::new(3, RoundingMode::HalfUp).unwrap();
    assert_eq!(e.statement(&mills), "base 8,523.805");
    assert_eq!(e.result(), dec!(8523.805), "rendering never changes the value");
}

#[test]
fn explanations_serialize_deterministically() {
    let a = serde_json::to_string(&commission()).unwrap();
    let b = serde_json::to_string(&commission()).unwrap();
    assert_eq!(a, b);
    let back: Explanation = serde_json::from_str(&a).unwrap();
    assert_eq!(back, commission());
    assert_eq!(back.formula()[1], Term::text(" × "));
    assert_eq!(back.formula()[1].as_text(), Some(" × "));
    assert_eq!(back.formula()[0].quantity(), commission().formula()[0].quantity());
    assert!(back.formula()[0].quantity().is_some());
    assert_eq!(back.steps().count(), 4);
    assert_eq!(back.inputs().next().map(|(name, _)| name), Some("sales"));
}
