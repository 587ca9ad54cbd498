//! Sandboxed rhai rules: the seed's rules as scripts, equal to the native
//! building blocks; the hostile-script catalogue.

use std::sync::Arc;

use perfpay::error::{Limit, ScriptFault};
use perfpay::id::RuleId;
use perfpay::metric::NoMetrics;
use perfpay::score::{Direction, Kpi, Scorecard};
use perfpay::script::{Sandbox, Script, ScriptContext, ScriptEngine, ScriptValue};
use perfpay::tier::{Commission, CommissionContext, Gate, Tier, TierTable};
use perfpay::{Decimal, ErrorKind, MetricId, RoundingPolicy};
use rust_decimal_macros::dec;

fn m(s: &str) -> MetricId {
    MetricId::new(s).unwrap()
}

fn rule(s: &str) -> RuleId {
    RuleId::new(s).unwrap()
}

fn engine() -> ScriptEngine {
    ScriptEngine::builder()
        .metrics([m("satisfaction"), m("conversion_growth"), m("complaint_rate")])
        .table(
            "seed",
            TierTable::marginal([
                Tier::rate(dec!(0), dec!(0.02)),
                Tier::rate(dec!(100000), dec!(0.03)),
            ])
            .unwrap(),
        )
        .build()
}

fn commission(
    script: &Script,
    amount: Decimal,
    metrics: &[(MetricId, Decimal)],
) -> perfpay::Result<ScriptValue> {
    script.evaluate_commission(amount, Decimal::ZERO, &metrics)
}

#[test]
fn seed_commission_as_a_script_equals_the_native_table() {
    let engine = engine();
    // marginal: 2 % up to 100,000, 3 % on the part above
    let marginal = engine
        .compile(
            rule("seed-marginal"),
            "if amount <= 100000 { amount * 0.02 } else { 2000 + (amount - 100000) * 0.03 }",
            ScriptContext::Commission,
        )
        .unwrap();
    // whole-amount: 3 % on everything from 100,000
    let whole = engine
        .compile(
            rule("seed-whole"),
            "amount * (if amount >= 100000 { 0.03 } else { 0.02 })",
            ScriptContext::Commission,
        )
        .unwrap();
    let native_m = TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.02)),
        Tier::rate(dec!(100000), dec!(0.03)),
    ])
    .unwrap();
    let native_w = TierTable::whole_amount([
        Tier::rate(dec!(0), dec!(0.02)),
        Tier::rate(dec!(100000), dec!(0.03)),
    ])
    .unwrap();
    for amount in [
        dec!(0),
        dec!(80000),
        dec!(99999.99),
        dec!(100000),
        dec!(150000),
        dec!(1234567.89),
    ] {
        assert_eq!(
            commission(&marginal, amount, &[]).unwrap(),
            ScriptValue::Amount(native_m.compute(amount).unwrap())
        );
        assert_eq!(
            commission(&whole, amount, &[]).unwrap(),
            ScriptValue::Amount(native_w.compute(amount).unwrap())
        );
    }
    assert_eq!(
        commission(&marginal, dec!(150000), &[]).unwrap(),
        ScriptValue::Amount(dec!(3500))
    );
    // the same rule through the native tier helper
    let helper = engine
        .compile(
            rule("seed-helper"),
            r#"tier("seed", amount)"#,
            ScriptContext::Commission,
        )
        .unwrap();
    assert_eq!(
        commission(&helper, dec!(150000), &[]).unwrap(),
        ScriptValue::Amount(dec!(3500))
    );
}

#[test]
fn satisfaction_gate_as_a_script_equals_the_native_gate() {
    let engine = engine();
    let gate = engine
        .compile(rule("cs-gate"), "satisfaction >= 0.90", ScriptContext::Commission)
        .unwrap();
    assert_eq!(gate.reads(), [m("satisfaction")]);
    let table = TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.02)),
        Tier::rate(dec!(100000), dec!(0.03)),
    ])
    .unwrap();
    let scripted =
        Commission::on_table(table.clone()).condition("satisfaction at least 90 %", Arc::new(gate));
    let native = Commission::on_table(table).gate(Gate::at_least(m("satisfaction"), dec!(0.90)));
    for sat in [dec!(0.5), dec!(0.8999), dec!(0.9), dec!(0.97)] {
        let metrics = [(m("satisfaction"), sat)];
        let ctx = CommissionContext::new(dec!(120000), &metrics);
        assert_eq!(
            scripted.compute(&ctx).unwrap(),
            native.compute(&ctx).unwrap(),
            "satisfaction {sat}"
        );
        assert_eq!(
            scripted.evaluate(&ctx).unwrap().amount,
            native.compute(&ctx).unwrap()
        );
    }
    let metrics = [(m("satisfaction"), dec!(0.97))];
    let out = scripted
        .evaluate(&CommissionContext::new(dec!(120000), &metrics))
        .unwrap();
    assert_eq!(out.amount, dec!(2600));
    assert_eq!(
        out.explanation
            .children()
            .nth(1)
            .unwrap()
            .statement(&RoundingPolicy::cents()),
        "satisfaction at least 90 % 1 = holds: rule cs-gate (satisfaction = 0.97)"
    );
    // a scripted base formula names its rule and what it read
    let formula = engine
        .compile(
            rule("seed-formula"),
            r#"tier("seed", amount)"#,
            ScriptContext::Commission,
        )
        .unwrap();
    let out = Commission::on_formula(Arc::new(formula))
        .evaluate(&CommissionContext::new(dec!(150000), &NoMetrics))
        .unwrap();
    assert_eq!(
        out.explanation.render(&RoundingPolicy::cents()),
        "commission 3,500.00 = rule seed-formula (amount = 150000)\n"
    );
}

#[test]
fn conversion_bonus_as_a_script() {
    // bonus 1,000 when conversion rose by at least 20 %
    let engine = engine();
    let bonus = engine
        .compile(
            rule("conversion-bonus"),
            "if conversion_growth >= 0.20 { 1000 } else { 0 }",
            ScriptContext::Commission,
        )
        .unwrap();
    let at = |g| commission(&bonus, dec!(0), &[(m("conversion_growth"), g)]).unwrap();
    assert_eq!(at(dec!(0.25)), ScriptValue::Amount(dec!(1000)));
    assert_eq!(at(dec!(0.20)), ScriptValue::Amount(dec!(1000)));
    assert_eq!(at(dec!(0.1999)), ScriptValue::Amount(dec!(0)));
    // a metric the rule reads but the employee lacks is a data error naming it
    let err = commission(&bonus, dec!(0), &[]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Data);
    assert_eq!(
        err.to_string(),
        "rule conversion-bonus, metrics.conversion_growth: metric conversion_growth is missing"
    );
}

#[test]
fn decimals_are_exact_in_scripts() {
    let engine = engine();
    let s = engine
        .compile(rule("exact"), "0.1 + 0.2", ScriptContext::Commission)
        .unwrap();
    assert_eq!(
        commission(&s, dec!(0), &[]).unwrap(),
        ScriptValue::Amount(dec!(0.3))
    );
    let s = engine
        .compile(rule("mix"), "amount * 3 / 4 + 1", ScriptContext::Commission)
        .unwrap();
    assert_eq!(
        commission(&s, dec!(10), &[]).unwrap(),
        ScriptValue::Amount(dec!(8.5))
    );
    let s = engine
        .compile(
            rule("helpers"),
            "round_money(clamp(amount * percent(3), 0, 500)) + max(1, 0.5)",
            ScriptContext::Commission,
        )
        .unwrap();
    assert_eq!(
        commission(&s, dec!(1234.567), &[]).unwrap(),
        ScriptValue::Amount(dec!(38.04))
    );
    assert_eq!(
        commission(&s, dec!(100000), &[]).unwrap(),
        ScriptValue::Amount(dec!(501.00))
    );
}

#[test]
fn a_kpi_curve_as_a_script() {
    let engine = ScriptEngine::builder().metric(m("teamwork")).build();
    let curve = engine
        .compile(
            rule("teamwork-curve"),
            "clamp(value * 20, 0, 100)",
            ScriptContext::Kpi,
        )
        .unwrap();
    let kpi = Kpi::custom(m("teamwork"), Direction::HigherIsBetter, Arc::new(curve));
    let card = Scorecard::builder("support").item(kpi, dec!(1)).build().unwrap();
    let out = card.evaluate(&[(m("teamwork"), dec!(4.5))]).unwrap();
    assert_eq!(out.score, dec!(90));
    assert_eq!(
        out.explanation
            .children()
            .next()
            .unwrap()
            .statement(&RoundingPolicy::cents()),
        "teamwork 90.00 = rule teamwork-curve (value = 4.5)"
    );
}

#[test]
fn compile_errors_carry_rule_and_position() {
    let engine = engine();
    let err = engine
        .compile(
            rule("typo"),
            "let x = 1;\nsatisfation >= 0.9",
            ScriptContext::Commission,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Script);
    assert_eq!(err.script_fault(), Some(ScriptFault::UnknownVariable));
    assert_eq!(
        err.to_string(),
        "rule typo at line 2, column 1: variable satisfation is not defined"
    );
    let err = engine
        .compile(rule("syntax"), "amount * (0.02", ScriptContext::Commission)
        .unwrap_err();
    assert_eq!(err.script_fault(), Some(ScriptFault::Syntax));
    assert_eq!(err.rule().map(RuleId::as_str), Some("syntax"));
    assert!(err.position().is_some());
    let err = engine
        .compile(
            rule("table"),
            r#"tier("sales", amount)"#,
            ScriptContext::Commission,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "rule table at line 1, column 1: no tier table named sales"
    );
    let err = engine
        .compile(
            rule("table2"),
            r#"let t = tier("sales", amount); t"#,
            ScriptContext::Commission,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "rule table2 at line 1, column 9: no tier table named sales"
    );
    // a KPI script does not see `amount`
    let err = engine
        .compile(rule("ctx"), "amount", ScriptContext::Kpi)
        .unwrap_err();
    assert_eq!(err.script_fault(), Some(ScriptFault::UnknownVariable));
}

fn hostile(engine: &ScriptEngine, source: &str) -> perfpay::Error {
    match engine.compile(rule("hostile"), source, ScriptContext::Commission) {
        Err(err) => err,
        Ok(script) => commission(&script, dec!(1), &[(m("satisfaction"), dec!(1))]).unwrap_err(),
    }
}

/// An entry of `tests/data/hostile-scripts.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Hostile {
    name: String,
    source: String,
    fault: String,
    #[serde(default)]
    runs: bool,
}

fn catalogue() -> Vec<Hostile> {
    #[derive(serde::Deserialize)]
    struct File {
        script: Vec<Hostile>,
    }
    let text = include_str!("data/hostile-scripts.toml");
    toml::from_str::<File>(text).unwrap().script
}

fn fault(name: &str) -> ScriptFault {
    match name {
        "syntax" => ScriptFault::Syntax,
        "unknown variable" => ScriptFault::UnknownVariable,
        "unknown function" => ScriptFault::UnknownFunction,
        "wrong type" => ScriptFault::WrongType,
        "arithmetic" => ScriptFault::Arithmetic,
        "runtime" => ScriptFault::Runtime,
        "operations" => ScriptFault::Limit(Limit::Operations),
        "call depth" => ScriptFault::Limit(Limit::CallDepth),
        "expression depth" => ScriptFault::Limit(Limit::ExpressionDepth),
        "string size" => ScriptFault::Limit(Limit::StringSize),
        "array size" => ScriptFault::Limit(Limit::ArraySize),
        other => panic!("unknown fault {other} in the catalogue"),
    }
}

#[test]
fn hostile_script_catalogue_stops_with_typed_errors() {
    let catalogue = catalogue();
    assert!(catalogue.len() >= 50, "the catalogue lost entries");
    for engine in [
        ScriptEngine::builder().metric(m("satisfaction")).build(),
        ScriptEngine::builder()
            .metric(m("satisfaction"))
            .rhai_only()
            .build(),
    ] {
        for entry in &catalogue {
            let name = &entry.name;
            let err = hostile(&engine, &entry.source);
            assert_eq!(err.kind(), ErrorKind::Script, "{name}: {err}");
            assert_eq!(err.script_fault(), Some(fault(&entry.fault)), "{name}: {err}");
            assert_eq!(err.rule().map(RuleId::as_str), Some("hostile"), "{name}");
            // a script that runs until a limit stops it is stopped by the
            // limit, at the script's position
            if entry.runs {
                assert!(err.position().is_some(), "{name}: {err}");
            }
        }
    }
    // print and debug go nowhere, and the script still answers
    let engine = ScriptEngine::builder().build();
    let quiet = engine
        .compile(
            rule("quiet"),
            r#"print("hello"); debug(1); 7"#,
            ScriptContext::Commission,
        )
        .unwrap();
    assert_eq!(
        commission(&quiet, dec!(0), &[]).unwrap(),
        ScriptValue::Amount(dec!(7))
    );
}

#[test]
fn a_tighter_sandbox_stops_sooner() {
    let engine = ScriptEngine::builder()
        .sandbox(Sandbox::default().max_operations(50))
        .build();
    let script = engine
        .compile(
            rule("loop100"),
            "let x = 0; for i in 0..100 { x += i; } x",
            ScriptContext::Commission,
        )
        .unwrap();
    let err = commission(&script, dec!(0), &[]).unwrap_err();
    assert_eq!(err.script_fault(), Some(ScriptFault::Limit(Limit::Operations)));
    let roomy = ScriptEngine::builder().build();
    let script = roomy
        .compile(
            rule("loop100"),
            "let x = 0; for i in 0..100 { x += i; } x",
            ScriptContext::Commission,
        )
        .unwrap();
    assert_eq!(
        commission(&script, dec!(0), &[]).unwrap(),
        ScriptValue::Amount(dec!(4950))
    );
}

#[test]
fn scripts_are_send_and_sync_and_run_in_parallel() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Script>();
    assert_send_sync::<ScriptEngine>();
    let script = engine()
        .compile(rule("par"), "amount * 0.02", ScriptContext::Commission)
        .unwrap();
    let handles: Vec<_> = (1..=4)
        .map(|i| {
            let s = script.clone();
            std::thread::spawn(move || {
                s.evaluate_commission(Decimal::from(i * 1000), Decimal::ZERO, &NoMetrics)
                    .unwrap()
            })
        })
        .collect();
    let results: Vec<ScriptValue> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results[3], ScriptValue::Amount(dec!(80)));
}

#[test]
fn a_failing_rule_reports_per_call_and_does_not_poison_the_script() {
    let script = engine()
        .compile(rule("fragile"), "1000 / (amount - 5)", ScriptContext::Commission)
        .unwrap();
    assert_eq!(
        commission(&script, dec!(5), &[]).unwrap_err().script_fault(),
        Some(ScriptFault::Arithmetic)
    );
    assert_eq!(
        commission(&script, dec!(15), &[]).unwrap(),
        ScriptValue::Amount(dec!(100))
    );
}

mod native_trees {
    //! Rules in the arithmetic subset run as native trees; rhai stays the
    //! authority for everything the tree declines.

    use perfpay::id::RuleId;
    use perfpay::script::{ScriptContext, ScriptEngine};
    use perfpay::tier::{Tier, TierTable};
    use perfpay::{Decimal, MetricId};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn engine(rhai_only: bool) -> ScriptEngine {
        let b = ScriptEngine::builder()
            .metric(MetricId::new("satisfaction").unwrap())
            .table(
                "sales",
                TierTable::marginal([
                    Tier::rate(dec!(0), dec!(0.01)),
                    Tier::rate(dec!(50000), dec!(0.02)),
                    Tier::rate(dec!(100000), dec!(0.03)),
                ])
                .unwrap(),
            );
        if rhai_only { b.rhai_only() } else { b }.build()
    }

    /// Numbers: integer and decimal literals, variables, operators, helpers
    /// and `if`; now and then a boolean where a number is expected, so that
    /// some scripts fail (as do overflows and divisions by zero) and the two
    /// paths must fail alike.
    fn num(depth: u32, with_a: bool) -> BoxedStrategy<String> {
        let var = if with_a { "a" } else { "amount" };
        let leaf = prop_oneof![
            3 => (-2_000i64..2_000).prop_map(|i| i.to_string()),
            3 => (-2_000_000i64..2_000_000, 1u32..5).prop_map(|(m, s)| {
                let d = Decimal::new(m, s);
                // keep a decimal point so the literal stays a decimal
                if d.scale() == 0 { format!("{d}.0") } else { d.to_string() }
            }),
            2 => Just("amount".to_string()),
            1 => Just("prior".to_string()),
            1 => Just("satisfaction".to_string()),
            1 => Just(var.to_string()),
        ];
        if depth == 0 {
            return leaf.boxed();
        }
        let sub = num(depth - 1, with_a);
        prop_oneof![
            3 => leaf,
            5 => (sub.clone(), prop::sample::select(vec!["+", "-", "*", "/", "%"]), sub.clone())
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            1 => sub.clone().prop_map(|a| format!("(-({a}))")),
            2 => (cond(depth - 1, with_a), sub.clone(), sub.clone())
                .prop_map(|(c, a, b)| format!("(if {c} {{ {a} }} else {{ {b} }})")),
            1 => (prop::sample::select(vec!["min", "max"]), sub.clone(), sub.clone())
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
            1 => (sub.clone(), sub.clone(), sub.clone()).prop_map(|(x, lo, hi)| format!("clamp({x}, {lo}, {hi})")),
            1 => (prop::sample::select(vec!["percent", "round_money"]), sub.clone())
                .prop_map(|(f, a)| format!("{f}({a})")),
            1 => sub.clone().prop_map(|a| format!("tier(\"sales\", {a})")),
            // a type error: a boolean in arithmetic
            1 => (cond(0, with_a), sub).prop_map(|(c, a)| format!("({c} + {a})")),
        ]
        .boxed()
    }

    /// Conditions: comparisons of numbers, `&&`, `||`, `!`.
    fn cond(depth: u32, with_a: bool) -> BoxedStrategy<String> {
        let sub = num(depth, with_a);
        let cmp = (
            sub.clone(),
            prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">="]),
            sub,
        )
            .prop_map(|(a, op, b)| format!("({a} {op} {b})"));
        if depth == 0 {
            return prop_oneof![4 => cmp, 1 => Just("true".to_string())].boxed();
        }
        let sub = cond(depth - 1, with_a);
        prop_oneof![
            4 => cmp,
            1 => (sub.clone(), sub.clone()).prop_map(|(a, b)| format!("({a} && {b})")),
            1 => (sub.clone(), sub.clone()).prop_map(|(a, b)| format!("({a} || {b})")),
            1 => sub.prop_map(|a| format!("(!{a})")),
        ]
        .boxed()
    }

    fn script() -> impl Strategy<Value = String> {
        (num(1, false), num(3, true), any::<bool>(), cond(1, true)).prop_map(|(a, body, early, guard)| {
            if early {
                format!("let a = {a};\nif {guard} {{ return a; }}\n{body}")
            } else {
                format!("let a = {a};\n{body}")
            }
        })
    }

    fn amount() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (0i64..70_000_000).prop_map(|c| Decimal::new(c, 2)),
            Just(Decimal::ZERO),
            Just(Decimal::MAX),
            (-1_000_000i64..0).prop_map(|c| Decimal::new(c, 2)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(1024)))]

        /// A rule compiled to a native tree gives exactly what rhai gives —
        /// the same value with the same scale, or the same error with the same
        /// rule, position and fault.
        #[test]
        fn prop_compiled_rules_agree_with_rhai(
            source in script(),
            amount in amount(),
            prior in amount(),
            satisfaction in (0i64..=100).prop_map(|s| Decimal::new(s, 2)),
        ) {
            let id = RuleId::new("generated").unwrap();
            let native = engine(false).compile(id.clone(), &source, ScriptContext::Commission).unwrap();
            let rhai = engine(true).compile(id, &source, ScriptContext::Commission).unwrap();
            prop_assert!(native.is_native(), "{source}");
            prop_assert!(!rhai.is_native());
            let metrics = [(MetricId::new("satisfaction").unwrap(), satisfaction)];
            let a = native.evaluate_commission(amount, prior, &metrics);
            let b = rhai.evaluate_commission(amount, prior, &metrics);
            prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", source);
        }
    }

    #[test]
    fn the_seed_rules_run_natively_and_loops_do_not() {
        let e = engine(false);
        let id = || RuleId::new("r").unwrap();
        let seed = e
            .compile(
                id(),
                "if amount > 100000 { 100000 * 0.02 + (amount - 100000) * 0.03 } else { amount * 0.02 }",
                ScriptContext::Commission,
            )
            .unwrap();
        assert!(seed.is_native());
        assert_eq!(
            seed.evaluate_commission(dec!(165000), Decimal::ZERO, &perfpay::metric::NoMetrics)
                .unwrap(),
            perfpay::script::ScriptValue::Amount(dec!(3950.00))
        );
        for outside in [
            "let s = 0; for i in 0..3 { s += i } s",
            "let x = [1, 2]; x[0]",
            "fn f(x) { x * 2 } f(amount)",
            "let s = \"a\"; amount",
            "amount ** 2",
        ] {
            let script = e.compile(id(), outside, ScriptContext::Commission).unwrap();
            assert!(!script.is_native(), "{outside}");
        }
        // an overflow is declined by the tree and reported by rhai, with its position
        let overflow = e
            .compile(
                id(),
                "let big = amount * amount;\nbig * amount",
                ScriptContext::Commission,
            )
            .unwrap();
        assert!(overflow.is_native());
        let err = overflow
            .evaluate_commission(Decimal::MAX, Decimal::ZERO, &perfpay::metric::NoMetrics)
            .unwrap_err();
        assert_eq!(err.script_fault(), Some(perfpay::error::ScriptFault::Arithmetic));
        assert_eq!(err.position().map(|p| p.line), Some(1));
    }

    #[test]
    fn a_tree_is_never_built_where_the_sandbox_would_stop_rhai() {
        let source = "let x = amount;\nlet y = x * 2;\nlet z = y + 1;\nz";
        let id = || RuleId::new("r").unwrap();
        let roomy = engine(false)
            .compile(id(), source, ScriptContext::Commission)
            .unwrap();
        assert!(roomy.is_native());
        // rhai's scope holds what the rule reads (`amount`) and its three
        // `let`s: four variables, one more than this sandbox allows
        let tight = ScriptEngine::builder()
            .sandbox(perfpay::script::Sandbox::default().max_variables(3))
            .build();
        let script = tight.compile(id(), source, ScriptContext::Commission).unwrap();
        assert!(!script.is_native());
        let err = script
            .evaluate_commission(dec!(10), Decimal::ZERO, &perfpay::metric::NoMetrics)
            .unwrap_err();
        assert_eq!(
            err.script_fault(),
            Some(perfpay::error::ScriptFault::Limit(
                perfpay::error::Limit::Variables
            ))
        );
        let few_ops = ScriptEngine::builder()
            .sandbox(perfpay::script::Sandbox::default().max_operations(8))
            .build();
        assert!(
            !few_ops
                .compile(id(), source, ScriptContext::Commission)
                .unwrap()
                .is_native()
        );
    }
}

mod sandbox_arithmetic {
    //! Money in rules is never truncated or sent through a panicking
    //! function: integer division is exact, powers are checked, maths
    //! functions end in a value or a typed error.

    use perfpay::Decimal;
    use perfpay::error::{Limit, ScriptFault};
    use perfpay::id::RuleId;
    use perfpay::metric::NoMetrics;
    use perfpay::script::{Sandbox, ScriptContext, ScriptEngine, ScriptValue};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn run(engine: &ScriptEngine, source: &str, amount: Decimal) -> perfpay::Result<ScriptValue> {
        engine
            .compile(RuleId::new("r").unwrap(), source, ScriptContext::Commission)?
            .evaluate_commission(amount, Decimal::ZERO, &NoMetrics)
    }

    fn both() -> [ScriptEngine; 2] {
        [
            ScriptEngine::builder().build(),
            ScriptEngine::builder().rhai_only().build(),
        ]
    }

    #[test]
    fn integers_divide_exactly() {
        for engine in both() {
            for (source, expected) in [
                // perfpay 0.1 paid 0 here: rhai divided 3 by 4 as integers
                ("amount * (3/4)", dec!(750)),
                ("3 / 4", dec!(0.75)),
                ("amount * 3 / 4 + 1", dec!(751)),
                ("1 / 8 * amount", dec!(125)),
                ("6 / 3", dec!(2)),
                ("let x = 7; x /= 2; x", dec!(3.5)),
                ("let x = 7.0; x /= 2; x", dec!(3.5)),
                ("7 % 2", dec!(1)),
            ] {
                assert_eq!(
                    run(&engine, source, dec!(1000)).unwrap(),
                    ScriptValue::Amount(expected),
                    "{source}"
                );
            }
        }
    }

    #[test]
    fn powers_are_exact_for_whole_exponents() {
        let engine = ScriptEngine::builder().build();
        for (source, expected) in [
            // perfpay 0.1 reported "exponential overflow" for this one
            ("2.0 ** -1.0", dec!(0.5)),
            ("2 ** -2", dec!(0.25)),
            ("2 ** 10", dec!(1024)),
            ("1.5 ** 2", dec!(2.25)),
            ("1.1 ** 0", dec!(1)),
        ] {
            assert_eq!(
                run(&engine, source, dec!(0)).unwrap(),
                ScriptValue::Amount(expected),
                "{source}"
            );
        }
    }

    #[test]
    fn maths_functions_give_published_digits() {
        let engine = ScriptEngine::builder().build();
        for (source, expected) in [
            // √2 = 1.41421356237309504880168872420969… and e =
            // 2.71828182845904523536028747135266… (OEIS A002193, A001113),
            // to rust_decimal's 28 places
            ("sqrt(2)", dec!(1.4142135623730950488016887242)),
            ("sqrt(16)", dec!(4)),
            ("exp(1)", dec!(2.7182818284590452353602874714)),
            ("log10(1000)", dec!(3)),
            ("round(2.5)", dec!(3)),
            ("round(-2.5)", dec!(-3)),
            ("round(1.23456, 2)", dec!(1.23)),
            ("floor(-1.5)", dec!(-2)),
            ("ceiling(1.2)", dec!(2)),
            ("abs(-3)", dec!(3)),
        ] {
            assert_eq!(
                run(&engine, source, dec!(0)).unwrap(),
                ScriptValue::Amount(expected),
                "{source}"
            );
        }
    }

    #[test]
    fn closure_calls_count_against_the_operation_limit() {
        let source = "let f = |x| x + 1; let s = 0; for i in 0..100 { s += f.call(i) } s";
        // 1 + 2 + … + 100
        assert_eq!(
            run(&ScriptEngine::builder().build(), source, dec!(0)).unwrap(),
            ScriptValue::Amount(dec!(5050))
        );
        let tight = ScriptEngine::builder()
            .sandbox(Sandbox::default().max_operations(300))
            .build();
        assert_eq!(
            run(&tight, source, dec!(0)).unwrap_err().script_fault(),
            Some(ScriptFault::Limit(Limit::Operations))
        );
    }

    #[test]
    fn a_costly_function_is_charged_a_hundred_operations() {
        let engine = ScriptEngine::builder()
            .sandbox(Sandbox::default().max_operations(1_000))
            .build();
        // five square roots cost 500 operations and some 30 for the loop
        let five = "let s = 0; for i in 0..5 { s += sqrt(4) } s";
        assert_eq!(
            run(&engine, five, dec!(0)).unwrap(),
            ScriptValue::Amount(dec!(10))
        );
        // ten cost more than the thousand the sandbox allows
        let ten = "let s = 0; for i in 0..10 { s += sqrt(4) } s";
        assert_eq!(
            run(&engine, ten, dec!(0)).unwrap_err().script_fault(),
            Some(ScriptFault::Limit(Limit::Operations))
        );
    }

    #[cfg(feature = "testing")]
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

        /// Every maths function and operator a rule may call ends in a
        /// value or a typed script error, for any decimal: none panics.
        #[test]
        fn prop_script_maths_end_in_a_value_or_a_typed_error(
            x in perfpay::testing::hostile::decimal(),
            y in perfpay::testing::hostile::decimal(),
        ) {
            let engine = ScriptEngine::builder().build();
            for source in [
                "sqrt(amount)", "exp(amount)", "ln(amount)", "log10(amount)", "abs(amount)",
                "floor(amount)", "ceiling(amount)", "round(amount)", "round(amount, 2)",
                "amount ** prior", "prior ** amount", "amount / prior", "amount % prior",
                "amount * prior", "amount + prior", "amount - prior", "-amount", "percent(amount)",
                "clamp(amount, prior, 100.0)", "round_money(amount)",
            ] {
                let script = engine.compile(RuleId::new("r").unwrap(), source, ScriptContext::Commission).unwrap();
                match script.evaluate_commission(x, y, &NoMetrics) {
                    Ok(_) => {}
                    Err(err) => prop_assert_eq!(err.kind(), perfpay::ErrorKind::Script, "{} with {}, {}: {}", source, x, y, err),
                }
            }
        }
    }
}

#[test]
fn a_diagnostics_rule_reads_each_figure_of_the_role_by_name_natively_and_in_rhai() {
    use perfpay::extension::Condition;
    use perfpay::feedback::RoleStats;
    // scores 60, 70, 95: 3 staff, mean 75, min 60, max 95; achievements
    // 0.8, 1.1, 0.9: median 0.9
    let stats = RoleStats {
        role: perfpay::RoleId::new("sales").unwrap(),
        scores: vec![dec!(60), dec!(70), dec!(95)],
        achievements: vec![dec!(0.8), dec!(1.1), dec!(0.9)],
        incentive_shares: Vec::new(),
    };
    // each figure tested on its own, so a figure read in another's place
    // fails its line, on the native tree and through rhai
    let checks = [
        "staff == 3",
        "mean_score == 75",
        "min_score == 60",
        "max_score == 95",
        "median_achievement == 0.9",
    ];
    let native = ScriptEngine::builder().build();
    let rhai = ScriptEngine::builder().rhai_only().build();
    for check in checks {
        for (engine, native_tree) in [(&native, true), (&rhai, false)] {
            let script = engine
                .compile(rule("figure"), check, ScriptContext::Diagnostics)
                .unwrap();
            assert_eq!(script.is_native(), native_tree, "{check}");
            assert!(
                Condition::holds(&script, &stats).unwrap(),
                "{check}, native {native_tree}"
            );
        }
    }
}
