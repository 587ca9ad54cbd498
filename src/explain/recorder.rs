//! Recorders: whether a calculation keeps its steps.

use super::Explanation;

/// What a calculation records besides its result: every step
/// ([`Explanation`]), or nothing ([`NoExplanation`]).
///
/// A calculation is written once, generic over its recorder, the way a
/// serde data structure is written once for every serializer: it computes
/// its numbers, and hands the recorder closures that build the steps. An
/// `Explanation` builds them; `NoExplanation` never calls them, so with it
/// the calculation compiles to the arithmetic alone. Work that only an
/// explanation needs (a marginal table's slices) is guarded by
/// [`RECORDS`](Self::RECORDS), a constant the compiler folds.
///
/// ```
/// use perfpay::{Decimal, Explanation, NoExplanation, Recorder, RoundingPolicy, Unit};
/// use perfpay::explain::Term;
///
/// fn bonus<R: Recorder>(base: Decimal, coefficient: Decimal) -> (Decimal, R) {
///     let bonus = base * coefficient;
///     let step = R::record(|| {
///         Explanation::money("bonus", bonus).terms([
///             Term::value(base, Unit::Money),
///             Term::text(" × "),
///             Term::value(coefficient, Unit::Number),
///         ])
///     });
///     (bonus, step)
/// }
///
/// let (amount, why) = bonus::<Explanation>(Decimal::from(1_000), Decimal::new(12, 1));
/// assert_eq!(why.statement(&RoundingPolicy::cents()), "bonus 1,200.00 = 1,000.00 × 1.2");
/// let (same, NoExplanation) = bonus::<NoExplanation>(Decimal::from(1_000), Decimal::new(12, 1));
/// assert_eq!(amount, same);
/// ```
pub trait Recorder: Sized {
    /// Whether the recorder keeps steps. Work done only for an explanation
    /// sits behind `if R::RECORDS`.
    const RECORDS: bool;

    /// A step, built by `step` only if the recorder keeps steps.
    fn record(step: impl FnOnce() -> Explanation) -> Self;

    /// As [`record`](Self::record), for a step whose making can fail (its
    /// numbers are computed only for the explanation).
    ///
    /// # Errors
    ///
    /// The error of `step`.
    fn try_record(step: impl FnOnce() -> crate::Result<Explanation>) -> crate::Result<Self>;

    /// Adds `child` as a step this one was built from.
    #[must_use]
    fn child(self, child: Self) -> Self;

    /// Adds `child` before the steps added so far.
    #[must_use]
    fn first_child(self, child: Self) -> Self;

    /// Edits the step in place, if one is kept.
    #[must_use]
    fn map(self, edit: impl FnOnce(Explanation) -> Explanation) -> Self;

    /// The explanation kept, or [`Explanation::not_recorded`] (for the
    /// output types that hold an explanation whatever the recorder).
    fn into_explanation(self) -> Explanation;
}

impl Recorder for Explanation {
    const RECORDS: bool = true;

    #[inline(always)]
    fn record(step: impl FnOnce() -> Explanation) -> Explanation {
        step()
    }

    #[inline(always)]
    fn try_record(step: impl FnOnce() -> crate::Result<Explanation>) -> crate::Result<Explanation> {
        step()
    }

    #[inline(always)]
    fn child(self, child: Explanation) -> Explanation {
        Explanation::child(self, child)
    }

    #[inline(always)]
    fn first_child(mut self, child: Explanation) -> Explanation {
        self.insert_child(0, child);
        self
    }

    #[inline(always)]
    fn map(self, edit: impl FnOnce(Explanation) -> Explanation) -> Explanation {
        edit(self)
    }

    #[inline(always)]
    fn into_explanation(self) -> Explanation {
        self
    }
}

/// The recorder that keeps nothing: a calculation run with it gives its
/// numbers alone, as fast as hand-written arithmetic (see [`Recorder`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoExplanation;

impl Recorder for NoExplanation {
    const RECORDS: bool = false;

    #[inline(always)]
    fn record(_: impl FnOnce() -> Explanation) -> NoExplanation {
        NoExplanation
    }

    #[inline(always)]
    fn try_record(_: impl FnOnce() -> crate::Result<Explanation>) -> crate::Result<NoExplanation> {
        Ok(NoExplanation)
    }

    #[inline(always)]
    fn child(self, _: NoExplanation) -> NoExplanation {
        NoExplanation
    }

    #[inline(always)]
    fn first_child(self, _: NoExplanation) -> NoExplanation {
        NoExplanation
    }

    #[inline(always)]
    fn map(self, _: impl FnOnce(Explanation) -> Explanation) -> NoExplanation {
        NoExplanation
    }

    #[inline(always)]
    fn into_explanation(self) -> Explanation {
        Explanation::not_recorded()
    }
}
