//! Extension points: where a vendor may replace a built-in calculation.
//!
//! A building block that allows a custom calculation (a commission formula,
//! a gate, a KPI curve, an incentive condition) takes a [`Formula`] or a
//! [`Condition`] over a read-only context type of its own. The scripting
//! layer implements both with compiled rhai; tests and hosts can pass plain
//! Rust closures, which implement them automatically.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::error::Result;

/// A calculation over a read-only context `C` that yields a number.
///
/// Closures `Fn(&C) -> Result<Decimal>` implement it.
///
/// ```
/// use perfpay::{Decimal, Formula};
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

    /// A short description for explanations, such as `rule cs-bonus`.
    fn describe(&self) -> Cow<'_, str> {
        Cow::Borrowed("custom formula")
    }
}

/// A test over a read-only context `C`.
///
/// Closures `Fn(&C) -> Result<bool>` implement it.
///
/// ```
/// use perfpay::{Condition, Decimal};
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

    /// A short description for explanations, such as `rule cs-gate`.
    fn describe(&self) -> Cow<'_, str> {
        Cow::Borrowed("custom condition")
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
