//! Extension points: where a vendor may replace a built-in calculation.
//!
//! A building block that allows a custom calculation (a commission formula,
//! a gate, a KPI curve, an incentive condition) takes a [`Formula`] or a
//! [`Condition`] over a read-only context type of its own. The scripting
//! layer implements both with compiled rhai; tests and hosts can pass plain
//! Rust closures, which implement them automatically.

use rust_decimal::Decimal;

use crate::error::Result;
use crate::explain::{Explanation, Label};
use crate::text::msg;

/// A calculation over a read-only context `C` that yields a number.
///
/// Closures `Fn(&C) -> Result<Decimal>` implement it.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::extension::Formula;
///
/// struct Sales(Decimal);
/// let three_percent = |ctx: &Sales| Ok(ctx.0 * Decimal::new(3, 2));
/// assert_eq!(three_percent.evaluate(&Sales(Decimal::from(1_000)))?, Decimal::from(30));
/// # Ok::<(), perfpay::Error>(())
/// ```
pub trait Formula<C: ?Sized>: Send + Sync {
    /// Computes the number.
    ///
    /// # Errors
    ///
    /// Whatever the calculation reports: missing data, overflow, a script
    /// error with its rule id and position.
    fn evaluate(&self, ctx: &C) -> Result<Decimal>;

    /// A short description for explanations, such as `rule cs-bonus`:
    /// literal text (`Label::from("my formula")`) or a message.
    fn describe(&self) -> Label {
        Label::from(&msg::CUSTOM_FORMULA)
    }

    /// Adds what the formula read to the explanation step the building
    /// block made for its result (a script adds its rule id and the metric
    /// values it read). The default adds nothing.
    fn annotate(&self, ctx: &C, step: Explanation) -> Explanation {
        let _ = ctx;
        step
    }
}

/// A test over a read-only context `C`.
///
/// Closures `Fn(&C) -> Result<bool>` implement it.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::extension::Condition;
///
/// let satisfied = |score: &Decimal| Ok(*score >= Decimal::new(90, 2));
/// assert!(satisfied.holds(&Decimal::new(96, 2))?);
/// # Ok::<(), perfpay::Error>(())
/// ```
pub trait Condition<C: ?Sized>: Send + Sync {
    /// Whether the condition holds.
    ///
    /// # Errors
    ///
    /// Whatever the test reports: missing data, a script error.
    fn holds(&self, ctx: &C) -> Result<bool>;

    /// A short description for explanations, such as `rule cs-gate`:
    /// literal text (`Label::from("my test")`) or a message.
    fn describe(&self) -> Label {
        Label::from(&msg::CUSTOM_CONDITION)
    }

    /// Adds what the condition read to the explanation step the building
    /// block made for its answer. The default adds nothing.
    fn annotate(&self, ctx: &C, step: Explanation) -> Explanation {
        let _ = ctx;
        step
    }
}

impl<C: ?Sized, F> Formula<C> for F
where
    F: Fn(&C) -> Result<Decimal> + Send + Sync,
{
    fn evaluate(&self, ctx: &C) -> Result<Decimal> {
        self(ctx)
    }
}

impl<C: ?Sized, F> Condition<C> for F
where
    F: Fn(&C) -> Result<bool> + Send + Sync,
{
    fn holds(&self, ctx: &C) -> Result<bool> {
        self(ctx)
    }
}
