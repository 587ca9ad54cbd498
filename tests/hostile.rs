//! The hostile space: rules from a grammar with loops and closures,
//! extreme decimals, plan documents and stored records with hostile values.
//! The law is the same each time — no panic, and every failure is a typed
//! `perfpay::Error`. A panic inside perfpay fails the property.
//!
//! The long run (a million generated cases, outside CI) is in docs/rules.md.

use perfpay::id::RuleId;
use perfpay::incentive::PointsLedger;
use perfpay::metric::NoMetrics;
use perfpay::ports::Storage;
use perfpay::ports::memory::{MemoryAttendance, MemoryMetrics, MemoryStorage};
use perfpay::script::{ScriptContext, ScriptEngine};
use perfpay::testing::hostile;
use perfpay::{
    ClosedPeriod, Decimal, ErrorKind, NaiveDate, Period, Plan, close_period, correct_period, evaluate_period,
};
use proptest::prelude::*;
use serde_json::Value;

const SHOP: &str = include_str!("../examples/shop.toml");

fn nov() -> Period {
    Period::month(2026, 11).unwrap()
}

/// The sample plan as the JSON a vendor could write.
fn shop_json() -> Value {
    serde_json::to_value(Plan::from_toml(SHOP).unwrap()).unwrap()
}

/// November of the sample shop, closed, as storage keeps it.
fn closed_november() -> Value {
    let plan = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let storage = MemoryStorage::new();
    let mut metrics = MemoryMetrics::new();
    for input in crate::plan::team() {
        storage
            .add_staff(perfpay::ports::StaffMember::new(
                input.employee.clone(),
                input.role.clone(),
                input.salary.clone(),
            ))
            .unwrap();
        metrics.insert(input.employee.clone(), nov(), input.metrics.clone());
    }
    close_period(&plan, &nov(), &storage, &MemoryAttendance::new(), &metrics).unwrap();
    serde_json::to_value(storage.record(&nov()).unwrap().unwrap()).unwrap()
}

/// A ledger with a credit, a redemption and an expiry, as storage keeps it.
fn ledger() -> Value {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let mut ledger = PointsLedger::default();
    ledger
        .credit(d(1, 10), Decimal::from(200), "course", "a")
        .unwrap();
    ledger
        .credit(d(6, 10), Decimal::from(100), "course", "b")
        .unwrap();
    ledger.redeem(d(7, 1), Decimal::from(30), "mug").unwrap();
    ledger.expire(d(9, 1), 180).unwrap();
    serde_json::to_value(ledger).unwrap()
}

fn typed(err: &perfpay::Error) -> bool {
    // every kind is a typed error; this names the ones hostile input may
    // produce, so a new kind here is looked at, not waved through
    matches!(
        err.kind(),
        ErrorKind::Plan
            | ErrorKind::Script
            | ErrorKind::Data
            | ErrorKind::InvalidInput
            | ErrorKind::Overflow
            | ErrorKind::DivisionByZero
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

    /// A rule from the hostile grammar, run on extreme decimals in both
    /// engines, ends in a value or a typed error.
    #[test]
    fn prop_hostile_rules_end_in_a_value_or_a_typed_error(
        source in hostile::script(),
        amount in hostile::decimal(),
        prior in hostile::decimal(),
    ) {
        for engine in [ScriptEngine::builder().build(), ScriptEngine::builder().rhai_only().build()] {
            match engine.compile(RuleId::new("hostile").unwrap(), &source, ScriptContext::Commission) {
                Ok(script) => {
                    if let Err(err) = script.evaluate_commission(amount, prior, &NoMetrics) {
                        prop_assert!(typed(&err) && err.rule().is_some(), "{}: {}", source, err);
                    }
                }
                Err(err) => prop_assert_eq!(err.kind(), ErrorKind::Script, "{}: {}", source, err),
            }
        }
    }

    /// A plan document with hostile values compiles, or is refused with
    /// its problems; a plan that compiles evaluates the sample month to
    /// outcomes or typed errors.
    #[test]
    fn prop_hostile_plans_compile_or_are_refused(doc in hostile::mutated(shop_json(), 3)) {
        let text = serde_json::to_string(&doc).unwrap();
        match Plan::from_json(&text).and_then(|p| p.compile()) {
            Ok(plan) => {
                if let Err(err) = evaluate_period(&plan, &nov(), &crate::plan::team()) {
                    prop_assert!(typed(&err), "{}", err);
                }
            }
            Err(err) => {
                prop_assert!(typed(&err), "{}", err);
                if err.kind() == ErrorKind::Plan {
                    prop_assert!(!err.problems().is_empty(), "{}", err);
                }
            }
        }
    }

    /// A closed period read back from storage with hostile values is
    /// refused as it is read, or can be committed and corrected.
    #[test]
    fn prop_hostile_records_are_refused_or_corrected(doc in hostile::mutated(closed_november(), 3)) {
        let Ok(record) = serde_json::from_value::<ClosedPeriod>(doc) else {
            return Ok(());
        };
        let v1 = Plan::from_toml(SHOP).unwrap();
        let storage = MemoryStorage::new();
        if let Err(err) = storage.commit(&v1, &record) {
            prop_assert!(typed(&err), "{}", err);
            return Ok(());
        }
        let mut v2 = Plan::from_toml(SHOP).unwrap();
        v2.set("tiers.sales.tiers[1].rate", "0.035").unwrap();
        v2.version = 2;
        match correct_period(&v2.compile().unwrap(), &record.outcome.period, &storage) {
            Ok(_) => {}
            Err(err) => prop_assert!(typed(&err), "{}", err),
        }
    }

    /// A points ledger read back with hostile values is refused as it is
    /// read, or keeps its laws: a balance never negative, movements that
    /// refuse what would break them.
    #[test]
    fn prop_hostile_ledgers_are_refused_or_keep_their_laws(
        doc in hostile::mutated(ledger(), 3),
        points in hostile::decimal(),
    ) {
        let Ok(mut ledger) = serde_json::from_value::<PointsLedger>(doc) else {
            return Ok(());
        };
        prop_assert!(!ledger.balance().is_sign_negative() || ledger.balance().is_zero());
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        for result in [
            ledger.credit(day, points, "hostile", "hostile-credit"),
            ledger.redeem(day, points, "hostile"),
            ledger.expire(day, 30).map(|_| ()),
            ledger.clawback(day, points, "x", "hostile"),
        ] {
            if let Err(err) = result {
                prop_assert!(typed(&err), "{}", err);
            }
            prop_assert!(!ledger.balance().is_sign_negative() || ledger.balance().is_zero());
        }
    }
}
