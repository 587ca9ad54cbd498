//! The gated 5-tier commission of `benches/tier.rs` as a rhai rule, in six
//! forms measured in one run over 10,000 seeded inputs:
//!
//! 1. hand-written native Rust (the baseline);
//! 2. perfpay's compiled rule (`Script::evaluate_commission`; the rule is in
//!    the arithmetic subset, so it runs as a native tree);
//! 3. raw rhai: compile once, `eval_ast_with_scope` with a fresh scope of
//!    the rule's own variables (the bare-engine baseline the wrapper is
//!    measured against); 3b the same with perfpay's calling convention
//!    (`prior` pushed too); 3c the same on an engine whose operators are
//!    functions, as perfpay's are (`set_fast_operators(false)`: checked
//!    decimal arithmetic, exact `/` on integers) — the baseline form 6 is
//!    compared with, since it differs from form 6 only by perfpay's call;
//! 4. raw rhai parsing the source on every evaluation;
//! 5. perfpay's compiled rule calling the native `tier()` helper;
//! 6. perfpay's compiled rule forced through rhai (`rhai_only`): the
//!    wrapper's own cost against form 3.
//!
//! Every form is checked against native Rust on all 10,000 inputs before
//! timing, and every timed loop sums the figures (as the native one does),
//! so each form does the same work. Report each figure and its ratio to
//! native; the wrapper (6) against raw rhai with the same kind of operators
//! (3c), and against plain rhai (3).
//!
//! The second group, "worst hostile script", runs every script of the
//! hostile catalogue (`tests/data/hostile-scripts.toml`) that works until a
//! limit stops it, once per iteration under the default sandbox: the
//! slowest of them bounds how long any rule can hold a core (target: at
//! most 50 ms).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/gated.rs"]
mod gated;
use gated::{inputs, native};
use perfpay::id::RuleId;
use perfpay::script::{ScriptContext, ScriptEngine, ScriptValue};
use perfpay::tier::{Tier, TierTable};
use perfpay::{Decimal, MetricId};
use rhai::{Dynamic, Engine, Scope};
use rust_decimal_macros::dec;

const RULE: &str = "
if satisfaction < 0.85 { 0 } else {
    let c = if amount < 50000 { amount * 0.01 }
        else if amount < 100000 { 500 + (amount - 50000) * 0.02 }
        else if amount < 200000 { 1500 + (amount - 100000) * 0.03 }
        else if amount < 500000 { 4500 + (amount - 200000) * 0.04 }
        else { 16500 + (amount - 500000) * 0.05 };
    if satisfaction >= 0.95 { c * 1.1 } else { c }
}";

const WITH_HELPER: &str = r#"
if satisfaction < 0.85 { 0 } else {
    let c = tier("sales", amount);
    if satisfaction >= 0.95 { c * 1.1 } else { c }
}"#;

fn raw_engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_max_operations(50_000);
    engine
}

/// rhai's own engine with operators called as functions, as perfpay's
/// engine calls them (its overrides need it), but rhai's standard library.
fn checked_engine() -> Engine {
    let mut engine = raw_engine();
    engine.set_fast_operators(false);
    engine
}

fn bench(c: &mut Criterion) {
    let satisfaction = MetricId::new("satisfaction").expect("valid id");
    let table = TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.01)),
        Tier::rate(dec!(50000), dec!(0.02)),
        Tier::rate(dec!(100000), dec!(0.03)),
        Tier::rate(dec!(200000), dec!(0.04)),
        Tier::rate(dec!(500000), dec!(0.05)),
    ])
    .expect("valid table");
    let engine = ScriptEngine::builder()
        .metric(satisfaction.clone())
        .table("sales", table)
        .build();
    let rule = engine
        .compile(RuleId::new("bench").expect("id"), RULE, ScriptContext::Commission)
        .expect("compiles");
    let helper = engine
        .compile(
            RuleId::new("bench-helper").expect("id"),
            WITH_HELPER,
            ScriptContext::Commission,
        )
        .expect("compiles");
    let through_rhai = ScriptEngine::builder()
        .metric(satisfaction.clone())
        .rhai_only()
        .build()
        .compile(
            RuleId::new("bench-rhai").expect("id"),
            RULE,
            ScriptContext::Commission,
        )
        .expect("compiles");
    assert!(rule.is_native() && helper.is_native() && !through_rhai.is_native());
    let raw = raw_engine();
    let ast = raw.compile(RULE).expect("compiles");
    let checked = checked_engine();
    let checked_ast = checked.compile(RULE).expect("compiles");
    let inputs = inputs();
    let metrics: Vec<[(MetricId, Decimal); 1]> =
        inputs.iter().map(|(_, s)| [(satisfaction.clone(), *s)]).collect();

    // every form gives the native figure on every input it is timed on
    let raw_value = |value: Dynamic| -> Decimal {
        value
            .clone()
            .try_cast::<Decimal>()
            .or_else(|| value.try_cast::<i64>().map(Decimal::from))
            .expect("a number")
    };
    let plain = |s: Decimal, q: Decimal| {
        let mut scope = Scope::new();
        scope.push_constant("amount", s);
        scope.push_constant("satisfaction", q);
        scope
    };
    let amount = |v: perfpay::Result<ScriptValue>| match v {
        Ok(ScriptValue::Amount(a)) => a,
        other => panic!("not an amount: {other:?}"),
    };
    for ((sales, sat), m) in inputs.iter().zip(&metrics) {
        let want = native(*sales, *sat);
        // the script's integer 0 and the native decimal 0 are equal values
        assert_eq!(
            amount(rule.evaluate_commission(*sales, Decimal::ZERO, m)),
            want,
            "{sales} {sat}"
        );
        assert_eq!(amount(helper.evaluate_commission(*sales, Decimal::ZERO, m)), want);
        assert_eq!(
            amount(through_rhai.evaluate_commission(*sales, Decimal::ZERO, m)),
            want
        );
        let mut scope = plain(*sales, *sat);
        assert_eq!(
            raw_value(
                raw.eval_ast_with_scope::<Dynamic>(&mut scope, &ast)
                    .expect("evaluates")
            ),
            want
        );
        let mut scope = plain(*sales, *sat);
        assert_eq!(
            raw_value(
                checked
                    .eval_ast_with_scope::<Dynamic>(&mut scope, &checked_ast)
                    .expect("evaluates")
            ),
            want
        );
        let mut scope = plain(*sales, *sat);
        assert_eq!(
            raw_value(
                raw.eval_with_scope::<Dynamic>(&mut scope, RULE)
                    .expect("evaluates")
            ),
            want
        );
    }
    // each timed loop sums the figures, as the native baseline does
    let sum = |a: Decimal, v: perfpay::Result<ScriptValue>| match v {
        Ok(ScriptValue::Amount(x)) => a + x,
        _ => a,
    };
    let raw_sum = |a: Decimal, v: Result<Dynamic, Box<rhai::EvalAltResult>>| match v {
        Ok(x) => a + x.try_cast::<Decimal>().unwrap_or_default(),
        Err(_) => a,
    };

    let mut group = c.benchmark_group("script/gated 5-tier x10k");
    group.sample_size(20);
    group.bench_function("1 native (baseline)", |b| {
        b.iter(|| {
            inputs.iter().fold(Decimal::ZERO, |a, (s, q)| {
                a + native(black_box(*s), black_box(*q))
            })
        })
    });
    group.bench_function("2 perfpay compiled rule", |b| {
        b.iter(|| {
            inputs.iter().zip(&metrics).fold(Decimal::ZERO, |a, ((s, _), m)| {
                sum(a, rule.evaluate_commission(black_box(*s), Decimal::ZERO, m))
            })
        })
    });
    group.bench_function("3 raw rhai, compiled once", |b| {
        b.iter(|| {
            inputs.iter().fold(Decimal::ZERO, |a, (s, q)| {
                let mut scope = plain(black_box(*s), *q);
                raw_sum(a, raw.eval_ast_with_scope::<Dynamic>(&mut scope, &ast))
            })
        })
    });
    group.bench_function("3b raw rhai, compiled once, with prior", |b| {
        b.iter(|| {
            inputs.iter().fold(Decimal::ZERO, |a, (s, q)| {
                let mut scope = Scope::new();
                scope.push_constant("amount", black_box(*s));
                scope.push_constant("prior", Decimal::ZERO);
                scope.push_constant("satisfaction", *q);
                raw_sum(a, raw.eval_ast_with_scope::<Dynamic>(&mut scope, &ast))
            })
        })
    });
    group.bench_function("3c raw rhai, compiled once, operators as functions", |b| {
        b.iter(|| {
            inputs.iter().fold(Decimal::ZERO, |a, (s, q)| {
                let mut scope = plain(black_box(*s), *q);
                raw_sum(
                    a,
                    checked.eval_ast_with_scope::<Dynamic>(&mut scope, &checked_ast),
                )
            })
        })
    });
    group.bench_function("4 raw rhai, parsed every time", |b| {
        b.iter(|| {
            inputs.iter().fold(Decimal::ZERO, |a, (s, q)| {
                let mut scope = plain(black_box(*s), *q);
                raw_sum(a, raw.eval_with_scope::<Dynamic>(&mut scope, RULE))
            })
        })
    });
    group.bench_function("5 perfpay rule calling tier()", |b| {
        b.iter(|| {
            inputs.iter().zip(&metrics).fold(Decimal::ZERO, |a, ((s, _), m)| {
                sum(a, helper.evaluate_commission(black_box(*s), Decimal::ZERO, m))
            })
        })
    });
    group.bench_function("6 perfpay rule through rhai", |b| {
        b.iter(|| {
            inputs.iter().zip(&metrics).fold(Decimal::ZERO, |a, ((s, _), m)| {
                sum(
                    a,
                    through_rhai.evaluate_commission(black_box(*s), Decimal::ZERO, m),
                )
            })
        })
    });
    group.finish();
}

/// The catalogue's scripts that run until a limit stops them.
fn hostile_scripts() -> Vec<(String, String)> {
    let file: toml::Table =
        toml::from_str(include_str!("../tests/data/hostile-scripts.toml")).expect("the catalogue parses");
    let scripts = file
        .get("script")
        .and_then(toml::Value::as_array)
        .expect("[[script]] entries");
    scripts
        .iter()
        .filter(|s| s.get("runs").and_then(toml::Value::as_bool) == Some(true))
        .map(|s| {
            let field = |k: &str| {
                s.get(k)
                    .and_then(toml::Value::as_str)
                    .expect("name and source")
                    .to_owned()
            };
            (field("name"), field("source"))
        })
        .collect()
}

fn hostile(c: &mut Criterion) {
    let engine = ScriptEngine::builder().build();
    let mut group = c.benchmark_group("script/worst hostile script");
    group.sample_size(10);
    for (name, source) in hostile_scripts() {
        let script = engine
            .compile(
                RuleId::new("hostile").expect("id"),
                &source,
                ScriptContext::Commission,
            )
            .expect("compiles");
        group.bench_function(name, |b| {
            b.iter(|| {
                let stopped = script.evaluate_commission(
                    black_box(Decimal::ONE),
                    Decimal::ZERO,
                    &perfpay::metric::NoMetrics,
                );
                assert!(stopped.is_err(), "a hostile script must be stopped");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench, hostile);
criterion_main!(benches);
