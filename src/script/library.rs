//! Everything a script can call, in one place.
//!
//! The engine starts from rhai's raw engine (no packages at all) and gets
//! exactly the functions registered here. [`FUNCTIONS`] names them; a
//! script that calls anything else — a function of rhai's standard library
//! such as `reduce`, `sort`, `sleep` or `tan`, or a name nobody defined —
//! fails to compile, with the rule and position.
//!
//! Why no standard library: its higher-order array methods (`map`,
//! `reduce`, `filter`, `sort`, `all`, `some`, `for_each` …) call closures
//! from native code, and rhai does not count those calls against the
//! operation limit; `sleep` blocks the host's thread; and rust_decimal's
//! `tan`, `exp`, `ln` and `powd` panic on overflow. Pay rules need none of
//! them. Every function below does a bounded amount of work (at most one
//! pass over a value the sandbox's size limits already bound) and reports
//! overflow as an error.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhai::{Dynamic, Engine, EvalAltResult, INT, ImmutableString};
use rust_decimal::{Decimal, MathematicalOps};

use crate::money::RoundingPolicy;
use crate::tier::TierTable;

/// The functions a script may call, besides the functions it defines and
/// rhai's operators. Each one is registered by [`register`]; the compiler
/// refuses any other call.
pub(super) const FUNCTIONS: &[&str] = &[
    // perfpay's helpers
    "tier",
    "clamp",
    "min",
    "max",
    "round_money",
    "percent",
    // exact maths
    "abs",
    "floor",
    "ceiling",
    "round",
    "sqrt",
    "exp",
    "ln",
    "log10",
    // small, bounded collection methods
    "len",
    "push",
    "pop",
    "is_empty",
    // output that goes nowhere
    "print",
    "debug",
];

/// Names rhai handles itself (keywords and function-pointer methods); they
/// never reach a native function that could escape the sandbox.
pub(super) const KEYWORDS: &[&str] = &[
    "Fn",
    "call",
    "curry",
    "type_of",
    "is_def_var",
    "is_def_fn",
    "is_shared",
];

type Fallible<T> = std::result::Result<T, Box<EvalAltResult>>;

/// The budget of operations left to the evaluation running on this thread.
///
/// rhai counts operations per call frame, and a frame that native code
/// opens (a closure called back from a method) starts from a copy of the
/// count and throws its own count away. perfpay's engine therefore counts
/// every operation itself, here, through rhai's progress callback: one
/// budget per evaluation, whatever runs it. A function that costs more
/// than an operation charges its cost ([`COSTLY`]). Evaluations do not
/// nest (a rule never runs another rule), and each thread runs one at a
/// time.
pub(super) mod budget {
    use std::cell::Cell;

    thread_local! {
        static LEFT: Cell<u64> = const { Cell::new(0) };
    }

    /// Gives the evaluation about to start on this thread `operations`.
    pub(crate) fn start(operations: u64) {
        LEFT.with(|left| left.set(operations));
    }

    /// Spends one operation; `false` once the budget is spent.
    pub(crate) fn spend() -> bool {
        charge(1)
    }

    /// Spends `operations`; `false` (and nothing left) when the budget
    /// does not cover them.
    pub(crate) fn charge(operations: u64) -> bool {
        LEFT.with(|left| match left.get().checked_sub(operations) {
            Some(rest) => {
                left.set(rest);
                true
            }
            None => {
                left.set(0);
                false
            }
        })
    }
}

/// What a series-based function (`exp`, `ln`, `log10`, `sqrt`, a
/// fractional `**`) costs in operations: each takes up to a few
/// microseconds, about a hundred times a plain operation.
pub(super) const COSTLY: u64 = 100;

/// Charges a costly function to the evaluation's budget.
fn costly() -> Fallible<()> {
    if budget::charge(COSTLY) {
        Ok(())
    } else {
        Err(Box::new(EvalAltResult::ErrorTooManyOperations(
            rhai::Position::NONE,
        )))
    }
}

/// A runtime error rhai reports with the script's position.
fn runtime_error(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        rhai::Position::NONE,
    ))
}

/// An arithmetic error (overflow, a value outside a function's domain).
fn arithmetic(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorArithmetic(
        message.into(),
        rhai::Position::NONE,
    ))
}

/// The helpers' arithmetic, shared by the rhai registrations and the native
/// trees so both compute the same numbers.
pub(super) mod helpers {
    use rust_decimal::Decimal;

    /// `percent(p)`: `p ÷ 100`.
    #[allow(clippy::arithmetic_side_effects)] // dividing by 100 lowers the magnitude; it cannot overflow
    pub(crate) fn percent(p: Decimal) -> Decimal {
        p / Decimal::ONE_HUNDRED
    }

    /// `clamp(x, lo, hi)`, refusing `lo > hi`.
    pub(crate) fn clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Result<Decimal, String> {
        if lo > hi {
            return Err(format!("clamp: lower bound {lo} is above upper bound {hi}"));
        }
        Ok(x.max(lo).min(hi))
    }

    /// `a / b` for two integers: the exact quotient as a decimal (`3 / 4`
    /// is 0.75, never 0); `None` when `b` is zero.
    pub(crate) fn int_divide(a: i64, b: i64) -> Option<Decimal> {
        if b == 0 {
            return None;
        }
        Decimal::from(a)
            .checked_div(Decimal::from(b))
            .map(|q| q.normalize())
    }
}

/// `x ** y` in decimals: an integer exponent is exact (`2.0 ** -1` is 0.5),
/// a fractional one needs a positive base; overflow is an error.
fn power(x: Decimal, y: Decimal) -> Fallible<Decimal> {
    let overflow = || arithmetic(format!("exponential overflow: {x} ** {y}"));
    if y.fract().is_zero() {
        let exponent = i64::try_from(y).map_err(|_| overflow())?;
        if x.is_zero() && exponent < 0 {
            return Err(arithmetic(format!("division by zero: {x} ** {y}")));
        }
        return x.checked_powi(exponent).ok_or_else(overflow);
    }
    if x.is_sign_negative() && !x.is_zero() {
        return Err(arithmetic(format!(
            "a negative number has no real power {y}: {x} ** {y}"
        )));
    }
    if x.is_zero() {
        return if y.is_sign_negative() {
            Err(arithmetic(format!("division by zero: {x} ** {y}")))
        } else {
            Ok(Decimal::ZERO)
        };
    }
    costly()?;
    let ln = x.checked_ln().ok_or_else(overflow)?;
    ln.checked_mul(y)
        .and_then(|e| e.checked_exp())
        .ok_or_else(overflow)
}

/// `x ** y` in integers; a negative exponent gives an exact decimal.
fn int_power(x: INT, y: INT) -> Fallible<Dynamic> {
    if y < 0 {
        return power(Decimal::from(x), Decimal::from(y)).map(Dynamic::from_decimal);
    }
    let exponent = u32::try_from(y).map_err(|_| arithmetic(format!("exponential overflow: {x} ** {y}")))?;
    x.checked_pow(exponent)
        .map(Dynamic::from_int)
        .ok_or_else(|| arithmetic(format!("exponential overflow: {x} ** {y}")))
}

/// The square root, by Newton's method in checked arithmetic (rust_decimal's
/// own `sqrt` asserts it converges within 1,000 steps).
fn sqrt(x: Decimal) -> Fallible<Decimal> {
    if x.is_sign_negative() && !x.is_zero() {
        return Err(arithmetic(format!("square root of a negative number: sqrt({x})")));
    }
    if x.is_zero() {
        return Ok(Decimal::ZERO);
    }
    costly()?;
    let overflow = || arithmetic(format!("square root failed: sqrt({x})"));
    // start at or above the root so every step comes down towards it:
    // x/2 ≥ √x from 4 up, 2 ≥ √x below 4, 1 ≥ √x up to 1
    let four = Decimal::from(4);
    let mut root = if x >= four {
        x.checked_div(Decimal::TWO).ok_or_else(overflow)?
    } else if x > Decimal::ONE {
        Decimal::TWO
    } else {
        Decimal::ONE
    };
    // Newton's method doubles the correct digits each step: 120 steps
    // reach the root of any decimal from either end of the range
    for _ in 0..120 {
        let next = root
            .checked_add(x.checked_div(root).ok_or_else(overflow)?)
            .and_then(|s| s.checked_div(Decimal::TWO))
            .ok_or_else(overflow)?;
        if next >= root {
            return Ok(root.normalize());
        }
        root = next;
    }
    Ok(root.normalize())
}

fn checked(name: &'static str, x: Decimal, f: impl Fn(&Decimal) -> Option<Decimal>) -> Fallible<Decimal> {
    costly()?;
    f(&x).ok_or_else(|| arithmetic(format!("{name}({x}) is out of range")))
}

fn ln(x: Decimal) -> Fallible<Decimal> {
    if x <= Decimal::ZERO {
        return Err(arithmetic(format!(
            "logarithm of a number that is not positive: ln({x})"
        )));
    }
    checked("ln", x, MathematicalOps::checked_ln)
}

fn log10(x: Decimal) -> Fallible<Decimal> {
    if x <= Decimal::ZERO {
        return Err(arithmetic(format!(
            "logarithm of a number that is not positive: log10({x})"
        )));
    }
    checked("log10", x, MathematicalOps::checked_log10)
}

/// `round(x, places)`: half away from zero, like rhai's `round`.
fn round_to(x: Decimal, places: INT) -> Fallible<Decimal> {
    let places = u32::try_from(places)
        .ok()
        .filter(|p| *p <= 28)
        .ok_or_else(|| arithmetic(format!("round({x}, {places}): places must be 0 to 28")))?;
    Ok(x.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// Registers [`FUNCTIONS`] and the operators rhai's raw engine lacks.
pub(super) fn register(
    engine: &mut Engine,
    rounding: RoundingPolicy,
    tables: Arc<BTreeMap<String, TierTable>>,
) {
    register_operators(engine);
    register_helpers(engine, rounding, tables);
    register_maths(engine);
    register_collections(engine);
    // print and debug never reach the host's stdout
    // (rhai's `print` asks the function for the text, then hands it to the
    // engine's print callback, which perfpay leaves empty)
    engine.register_fn("print", |_: Dynamic| ImmutableString::new());
    engine.register_fn("debug", |_: Dynamic| ImmutableString::new());
}

/// Unary operators (the raw engine has none once operators are
/// overridable), integer division that never truncates money, and `**`.
fn register_operators(engine: &mut Engine) {
    engine.register_fn("-", |x: INT| -> Fallible<INT> {
        x.checked_neg()
            .ok_or_else(|| arithmetic(format!("negation overflow: -{x}")))
    });
    engine.register_fn("-", |x: Decimal| -x);
    engine.register_fn("+", |x: INT| x);
    engine.register_fn("+", |x: Decimal| x);
    engine.register_fn("!", |x: bool| !x);
    engine.register_fn("/", |a: INT, b: INT| -> Fallible<Decimal> {
        helpers::int_divide(a, b).ok_or_else(|| arithmetic(format!("division by zero: {a} / {b}")))
    });
    // `x /= y` with two integers: rhai's own op-assignment would truncate
    // (registered for any left side, so it also meets a decimal one)
    engine.register_fn("/=", |x: &mut Dynamic, y: INT| -> Fallible<()> {
        let quotient = if let Ok(a) = x.as_int() {
            helpers::int_divide(a, y)
        } else if let Some(a) = x.clone().try_cast::<Decimal>() {
            (y != 0).then(|| a.checked_div(Decimal::from(y))).flatten()
        } else {
            return Err(runtime_error(format!(
                "cannot divide {} by an integer",
                x.type_name()
            )));
        };
        *x = Dynamic::from_decimal(
            quotient.ok_or_else(|| arithmetic(format!("division by zero or overflow: {x} / {y}")))?,
        );
        Ok(())
    });
    engine.register_fn("**", power);
    engine.register_fn("**", |x: Decimal, y: INT| power(x, Decimal::from(y)));
    engine.register_fn("**", |x: INT, y: Decimal| power(Decimal::from(x), y));
    engine.register_fn("**", int_power);
}

fn register_helpers(engine: &mut Engine, rounding: RoundingPolicy, tables: Arc<BTreeMap<String, TierTable>>) {
    engine.register_fn(
        "tier",
        move |name: ImmutableString, x: Decimal| -> Fallible<Decimal> {
            let table = tables
                .get(name.as_str())
                .ok_or_else(|| runtime_error(format!("no tier table named {name}")))?;
            table.compute(x).map_err(|e| runtime_error(e.to_string()))
        },
    );
    engine.register_fn("tier", |_: ImmutableString, _: INT| -> Fallible<Decimal> {
        Err(runtime_error(
            "tier() needs a decimal amount; write the number with a decimal point",
        ))
    });
    engine.register_fn("round_money", move |x: Decimal| rounding.round(x));
    engine.register_fn("round_money", move |x: INT| rounding.round(Decimal::from(x)));
    engine.register_fn("percent", helpers::percent);
    engine.register_fn("percent", |p: INT| helpers::percent(Decimal::from(p)));
    let clamp = |x: Decimal, lo: Decimal, hi: Decimal| -> Fallible<Decimal> {
        helpers::clamp(x, lo, hi).map_err(runtime_error)
    };
    engine.register_fn("clamp", clamp);
    engine.register_fn("clamp", move |x: Decimal, lo: INT, hi: INT| {
        clamp(x, Decimal::from(lo), Decimal::from(hi))
    });
    engine.register_fn("clamp", move |x: INT, lo: INT, hi: INT| {
        clamp(Decimal::from(x), Decimal::from(lo), Decimal::from(hi))
    });
    engine.register_fn("min", |a: Decimal, b: Decimal| a.min(b));
    engine.register_fn("min", |a: Decimal, b: INT| a.min(Decimal::from(b)));
    engine.register_fn("min", |a: INT, b: Decimal| Decimal::from(a).min(b));
    engine.register_fn("min", |a: INT, b: INT| a.min(b));
    engine.register_fn("max", |a: Decimal, b: Decimal| a.max(b));
    engine.register_fn("max", |a: Decimal, b: INT| a.max(Decimal::from(b)));
    engine.register_fn("max", |a: INT, b: Decimal| Decimal::from(a).max(b));
    engine.register_fn("max", |a: INT, b: INT| a.max(b));
}

fn register_maths(engine: &mut Engine) {
    engine.register_fn("abs", |x: Decimal| x.abs());
    engine.register_fn("abs", |x: INT| -> Fallible<INT> {
        x.checked_abs()
            .ok_or_else(|| arithmetic(format!("abs overflow: abs({x})")))
    });
    engine.register_fn("floor", |x: Decimal| x.floor());
    engine.register_fn("ceiling", |x: Decimal| x.ceil());
    engine.register_fn("round", |x: Decimal| {
        x.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    });
    engine.register_fn("round", round_to);
    engine.register_fn("sqrt", sqrt);
    engine.register_fn("sqrt", |x: INT| sqrt(Decimal::from(x)));
    engine.register_fn("exp", |x: Decimal| {
        checked("exp", x, MathematicalOps::checked_exp)
    });
    engine.register_fn("exp", |x: INT| {
        checked("exp", Decimal::from(x), MathematicalOps::checked_exp)
    });
    engine.register_fn("ln", ln);
    engine.register_fn("ln", |x: INT| ln(Decimal::from(x)));
    engine.register_fn("log10", log10);
    engine.register_fn("log10", |x: INT| log10(Decimal::from(x)));
}

fn register_collections(engine: &mut Engine) {
    fn count(n: usize) -> INT {
        INT::try_from(n).unwrap_or(INT::MAX)
    }
    engine.register_fn("len", |a: &mut rhai::Array| count(a.len()));
    engine.register_fn("len", |s: &mut ImmutableString| count(s.chars().count()));
    engine.register_fn("is_empty", |a: &mut rhai::Array| a.is_empty());
    engine.register_fn("is_empty", |s: &mut ImmutableString| s.is_empty());
    engine.register_fn("push", |a: &mut rhai::Array, item: Dynamic| a.push(item));
    engine.register_fn("pop", |a: &mut rhai::Array| a.pop().unwrap_or(Dynamic::UNIT));
    // `for x in array` and `for i in 0..n`: each turn of the loop is an
    // operation
    engine.register_iterator::<rhai::Array>();
    engine.register_iterator::<std::ops::Range<INT>>();
    engine.register_iterator::<std::ops::RangeInclusive<INT>>();
}
