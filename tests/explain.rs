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
    let children: Decimal = e.children().map(|c| c.result()).sum();
    assert_eq!(children, e.result(), "the slices add up to the commission");
}

#[test]
fn a_step_reads_as_the_part_of_the_tree_it_is() {
    let e = commission();
    let cents = RoundingPolicy::cents();
    // the children in order, from either end, by position
    let children = e.children();
    assert_eq!(children.len(), 3);
    let results: Vec<Decimal> = children.clone().rev().map(|c| c.result()).collect();
    assert_eq!(results, [dec!(1950), dec!(1000), dec!(500)]);
    let second = e.children().nth(1).unwrap();
    assert_eq!(second.statement(&cents), "slice 1,000.00 = 50,000.00 × 2 %");
    assert!(second.children().is_empty());
    assert_eq!(second.to_string(), "slice 1,000.00 = 50,000.00 × 2 %\n");
    // a step is the subtree it heads: equal to it, the same JSON
    let kept = second.to_explanation();
    assert_eq!(second, kept);
    assert_eq!(kept.statement(&cents), second.statement(&cents));
    assert_eq!(
        serde_json::to_string(&second).unwrap(),
        serde_json::to_string(&kept).unwrap()
    );
    assert_ne!(
        e.children().next().unwrap(),
        kept,
        "the first slice is not the second"
    );
    // depth first from the root: the root, then each slice
    let labels: Vec<&str> = e.steps().map(|s| s.label()).collect();
    assert_eq!(labels, ["commission", "slice", "slice", "slice"]);
    assert_eq!(e.find("slice").map(|s| s.result()), Some(dec!(500)));
    assert_eq!(e.as_step().inputs().count(), 1);
    assert!(e.find("bonus").is_none());
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

#[test]
fn terms_keep_every_value_exactly_as_written() {
    // a term packs a value whose mantissa fits 64 bits beside its unit and
    // boxes the rest: both must give back the same digits, scale and sign
    let wide = Decimal::from_i128_with_scale(i128::from(u64::MAX) + 1, 4); // 2^64, just too wide
    let third = Decimal::ONE / Decimal::from(3); // 28 places
    let values = [
        dec!(1.50),
        dec!(0.000),
        -Decimal::ZERO,
        dec!(-12345.6789),
        Decimal::from(u64::MAX), // the widest packed mantissa
        wide,
        -wide,
        third,
        Decimal::MAX,
        Decimal::MIN,
    ];
    for value in values {
        let term = Term::value(value, Unit::Money);
        let back = term.quantity().map(|q| q.value).expect("a value");
        assert_eq!(back.serialize(), value.serialize(), "{value} read back as {back}");
        let json = serde_json::to_string(&term).expect("serializes");
        assert_eq!(json, format!(r#"{{"value":"{value}","unit":"money"}}"#));
        let read: Term = serde_json::from_str(&json).expect("reads back");
        assert_eq!(read, term);
    }
    // equality is the numbers', as it was before terms were packed
    assert_eq!(
        Term::value(dec!(1.0), Unit::Rate),
        Term::value(dec!(1.00), Unit::Rate)
    );
    assert_ne!(
        Term::value(dec!(1.0), Unit::Rate),
        Term::value(dec!(1.0), Unit::Money)
    );
    assert_eq!(Term::value(wide, Unit::Number), Term::value(wide, Unit::Number));
    assert_ne!(
        Term::value(wide, Unit::Number),
        Term::value(Decimal::from(u64::MAX), Unit::Number)
    );
    assert_eq!(
        Explanation::new("x", dec!(2.50), Unit::Money).value(third, Unit::Number),
        Explanation::new("x", dec!(2.5), Unit::Money).value(third, Unit::Number)
    );
}

#[test]
fn the_building_blocks_of_an_outcome_stay_small() {
    // an explained employee holds ~140 terms, ~22 steps and ~12 pay lines:
    // these sizes are most of an outcome's memory (docs/plan.md), so a
    // change that grows one shows here first
    use std::mem::size_of;
    assert_eq!(size_of::<Term>(), 16);
    assert_eq!(size_of::<perfpay::text::Text>(), size_of::<usize>());
    assert_eq!(size_of::<perfpay::EmployeeId>(), size_of::<usize>());
    assert_eq!(size_of::<Option<perfpay::text::Text>>(), size_of::<usize>());
    assert!(size_of::<Explanation>() <= 48, "{}", size_of::<Explanation>());
    assert!(
        size_of::<perfpay::payroll::PayLine>() <= 96,
        "{}",
        size_of::<perfpay::payroll::PayLine>()
    );
}

#[test]
fn a_step_keeps_its_result_exactly_and_counts_its_inputs() {
    // a step packs its result beside its input count as a term packs a
    // value, and boxes a wider one: both read back, render and compare alike
    let third = Decimal::ONE / Decimal::from(3);
    for result in [dec!(2.50), -Decimal::ZERO, third, Decimal::MAX, Decimal::MIN] {
        let mut step = Explanation::new("x", Decimal::ZERO, Unit::Number)
            .input("a", dec!(1), Unit::Money)
            .with_result(result);
        step = step.input("b", third, Unit::Number);
        assert_eq!(step.result().serialize(), result.serialize(), "{result}");
        assert_eq!(step.unit(), Unit::Number);
        assert_eq!(step.inputs().count(), 2);
        let json = serde_json::to_string(&step).expect("serializes");
        let back: Explanation = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, step);
        assert_eq!(serde_json::to_string(&back).expect("serializes"), json);
    }
    assert_eq!(
        Explanation::new("x", dec!(1.0), Unit::Rate),
        Explanation::new("x", dec!(1.00), Unit::Rate)
    );
    assert_ne!(
        Explanation::new("x", dec!(1), Unit::Rate),
        Explanation::new("x", dec!(1), Unit::Rate).input("a", dec!(1), Unit::Money)
    );
}

/// A formula's terms are read by what comes — text, a message by key, a
/// value with its unit — and anything else is refused with the forms it
/// may take; a message with a field of its own is refused, a value's
/// extra fields are ignored (as an untagged enum read them).
#[test]
fn formula_terms_read_by_their_form() {
    let step = |formula: &str| {
        serde_json::from_str::<Explanation>(&format!(
            r#"{{"label":"commission","value":"650","unit":"money","formula":{formula}}}"#
        ))
    };
    let read = step(r#"[{"value":"65000","unit":"money","note":1},{"key":"times"},{"value":"0.01","unit":"rate"}," (wu)"]"#)
        .unwrap();
    assert_eq!(
        read.statement(&RoundingPolicy::cents()),
        "commission 650.00 = 65,000.00 × 1 % (wu)"
    );
    for bad in [
        r#"[{"key":"times","value":"1","unit":"count"}]"#,
        r#"[{"key":"times","note":1}]"#,
        r#"[{"value":"1"}]"#,
        r#"[7]"#,
    ] {
        let err = step(bad).unwrap_err().to_string();
        assert!(
            err.contains(r#"text, a message {"key", "args"} or a value {"value", "unit"}"#),
            "{bad}: {err}"
        );
    }
}
