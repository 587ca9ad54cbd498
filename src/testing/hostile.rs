//! Strategies for the hostile space: what a careless HR user, a hostile
//! vendor or a failing database hands perfpay.
//!
//! - [`decimal`]: extreme decimals — `Decimal::MAX` and `MIN`, the smallest
//!   steps at scale 28, wide mantissas at any scale, values at a function's
//!   edge (π/2 for `tan`);
//! - [`script`]: rules from a grammar with loops, closures, recursion,
//!   maths functions, arrays and calls to functions rules may not use;
//! - [`mutated`]: a JSON document (a plan, a stored record) with some of its
//!   values replaced by hostile ones, or removed.
//!
//! The law a suite checks with them is the same each time: *no panic, and
//! every failure is a typed [`Error`](crate::Error)*.
//!
//! ```
//! use perfpay::testing::hostile;
//! use perfpay::id::RuleId;
//! use perfpay::metric::NoMetrics;
//! use perfpay::script::{ScriptContext, ScriptEngine};
//! use proptest::prelude::*;
//!
//! let engine = ScriptEngine::builder().build();
//! proptest!(|(source in hostile::script(), amount in hostile::decimal())| {
//!     let rule = RuleId::new("hostile").unwrap();
//!     if let Ok(script) = engine.compile(rule, &source, ScriptContext::Commission) {
//!         // a value or a typed error; a panic fails the test
//!         let _ = script.evaluate_commission(amount, amount, &NoMetrics);
//!     }
//! });
//! ```

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

/// Extreme decimals: the bounds, the smallest steps, wide mantissas at every
/// scale, and ordinary amounts among them.
pub fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::MAX),
        Just(Decimal::MIN),
        Just(Decimal::ZERO),
        Just(Decimal::ONE),
        Just(Decimal::NEGATIVE_ONE),
        Just(Decimal::new(1, 28)),
        Just(Decimal::new(-1, 28)),
        // π/2 to 28 places: tan's pole
        Just(Decimal::from_parts(
            1_102_470_952,
            185_874_565,
            851_530_166,
            false,
            27
        )),
        (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, negative, scale)| Decimal::from_parts(lo, mid, hi, negative, scale)),
        (-1_000_000_000i64..1_000_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
    ]
}

/// A number as a rule writes it: a decimal or integer literal, extreme ones
/// included.
fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        decimal().prop_map(|d| {
            let text = d.to_string();
            // a literal with a decimal point is a decimal in rules
            if text.contains('.') {
                text
            } else {
                format!("{text}.0")
            }
        }),
        any::<i64>().prop_map(|i| i.to_string()),
        (0i64..100).prop_map(|i| i.to_string()),
    ]
}

/// Functions a rule may call with one number, and some it may not.
const UNARY: &[&str] = &[
    "sqrt",
    "exp",
    "ln",
    "log10",
    "abs",
    "floor",
    "ceiling",
    "round",
    "percent",
    "round_money",
    // not available to rules: refused when the rule is compiled
    "tan",
    "sin",
    "sleep",
    "to_string",
];

/// An expression of the grammar, `depth` levels deep at most.
fn expr(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        3 => literal(),
        2 => Just("amount".to_owned()),
        1 => Just("prior".to_owned()),
    ];
    leaf.prop_recursive(depth, 48, 4, |inner| {
        let op = prop_oneof![
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("%"),
            Just("**"),
            Just("<"),
            Just("=="),
            Just("&&"),
        ];
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            (proptest::sample::select(UNARY), inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max({a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("if {a} > {b} {{ {c} }} else {{ {a} }}")),
            // closures, called directly and in a loop
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("(|x| x * {a}).call({b})")),
            (0u32..2_000, inner.clone())
                .prop_map(|(n, a)| format!("{{ let s = 0; for i in 0..{n} {{ s += {a}; }} s }}")),
            (0u32..2_000, inner.clone())
                .prop_map(|(n, a)| format!("{{ let f = |x| x + {a}; let s = 0; let i = 0; while i < {n} {{ s = f.call(s); i += 1; }} s }}")),
            // arrays, and higher-order methods rules may not use
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}].len()")),
            inner.clone().prop_map(|a| format!("[1, 2, 3].reduce(|s, x| s + x * {a}, 0)")),
            inner.prop_map(|a| format!("{{ let a = []; for i in 0..100 {{ a.push({a}); }} a.len() }}")),
        ]
    })
    .boxed()
}

/// A rule from a grammar that covers the hostile space: arithmetic on
/// extreme literals, every maths function, `if`, closures, `for` and
/// `while` loops, recursion, arrays and the higher-order methods rules may
/// not use, endless loops, and calls to functions that do not exist.
pub fn script() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => expr(4),
        1 => expr(2).prop_map(|a| format!("fn f(n) {{ if n <= 0 {{ {a} }} else {{ f(n - 1) + f(n - 2) }} }} f(20)")),
        1 => expr(2).prop_map(|a| format!("let x = {a}; loop {{ x += 1; }}")),
        1 => expr(2).prop_map(|a| format!("let s = \"{a}\"; loop {{ s += s; }}")),
        1 => expr(2).prop_map(|a| format!("#{{ a: {a} }}.a")),
        1 => Just("launch_rockets(amount)".to_owned()),
    ]
}

/// A hostile value for a place in a JSON document: a decimal written as a
/// string (extreme ones included), a bare number, a negative, an empty or
/// long string, a rule, `null`, an empty array or object.
pub fn json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => decimal().prop_map(|d| Value::String(d.to_string())),
        2 => any::<i64>().prop_map(Value::from),
        // a bare fractional number, as a host's JSON parser reads it
        1 => (-1_000i64..1_000, 0u32..1_000).prop_map(|(i, f)| {
            serde_json::from_str(&format!("{i}.{f:03}")).unwrap_or(Value::Null)
        }),
        1 => Just(Value::String(String::new())),
        1 => Just(Value::String("x".repeat(5_000))),
        1 => Just(Value::String("\u{feff}指纹 ✓".to_owned())),
        1 => script().prop_map(Value::String),
        1 => Just(Value::Null),
        1 => Just(Value::Bool(true)),
        1 => Just(Value::Array(Vec::new())),
        1 => Just(Value::Object(serde_json::Map::new())),
    ]
}

/// `base` with up to `changes` of its values replaced by [`json_value`]s
/// or removed. Each change picks a value of the document by its position
/// in a walk of every value, so any place — a rate deep in a tier table, a
/// sequence number in a ledger, a rule's source — can be hit.
pub fn mutated(base: Value, changes: usize) -> impl Strategy<Value = Value> {
    let places = count(&base);
    let change = prop_oneof![
        7 => json_value().prop_map(Change::Replace),
        1 => Just(Change::Remove),
    ];
    proptest::collection::vec((0..places.max(1), change), 1..=changes.max(1)).prop_map(move |edits| {
        let mut doc = base.clone();
        for (at, change) in edits {
            if at == 0 {
                if let Change::Replace(value) = change {
                    doc = value;
                }
            } else {
                visit(&mut doc, at, &mut 0, &change);
            }
        }
        doc
    })
}

/// What [`mutated`] does to one value.
#[derive(Clone, Debug)]
enum Change {
    Replace(Value),
    Remove,
}

/// How many values `doc` holds, itself and all nested ones.
fn count(doc: &Value) -> usize {
    1usize.saturating_add(match doc {
        Value::Array(items) => items.iter().map(count).fold(0, usize::saturating_add),
        Value::Object(map) => map.values().map(count).fold(0, usize::saturating_add),
        _ => 0,
    })
}

/// Applies `change` to the value at position `at` of a pre-order walk
/// among the values inside `doc` (`doc` itself is at `seen`). Returns
/// whether it was found.
fn visit(doc: &mut Value, at: usize, seen: &mut usize, change: &Change) -> bool {
    match doc {
        Value::Array(items) => {
            let mut i = 0;
            while let Some(item) = items.get_mut(i) {
                *seen = seen.saturating_add(1);
                if *seen == at {
                    match change {
                        Change::Replace(value) => *item = value.clone(),
                        Change::Remove => {
                            items.remove(i);
                        }
                    }
                    return true;
                }
                if visit(item, at, seen, change) {
                    return true;
                }
                i = i.saturating_add(1);
            }
            false
        }
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                *seen = seen.saturating_add(1);
                if *seen == at {
                    match change {
                        Change::Replace(value) => {
                            map.insert(key, value.clone());
                        }
                        Change::Remove => {
                            map.remove(&key);
                        }
                    }
                    return true;
                }
                if let Some(value) = map.get_mut(&key)
                    && visit(value, at, seen, change)
                {
                    return true;
                }
            }
            false
        }
        _ => false,
    }
}
