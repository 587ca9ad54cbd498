//! Sinks: where a calculation's steps go, carried through it as a value.

use core::marker::PhantomData;

use rust_decimal::Decimal;

use super::{Explanation, Recorder};

/// Where a calculation writes its steps: perfpay's calculations take a
/// `&mut` sink and hand it every step, so a sink can keep state across
/// them (one buffer an employee's steps are written into, say) where a
/// [`Recorder`] can only return each step as a value.
///
/// A host picks a [`Recorder`]; the public `*_with::<R>` functions run the
/// calculation with [`Static<R>`], the sink whose steps are `R`'s values.
/// The methods mirror [`Recorder`]'s, on `&mut self`.
///
/// A step is made after the steps it is built from, and `child`,
/// `first_child`, `children` and `map` are given the step made last (the
/// one a callee has just returned), so that a sink can write each step
/// once, in place; only [`set_result`](Self::set_result) may be given an
/// earlier one. The month's evaluation is checked against this with a
/// sink that numbers its steps (src/testing/steps_made_last.rs).
pub(crate) trait Sink {
    /// A step as the sink hands it back: an [`Explanation`], or nothing.
    type Step;

    /// Whether the sink keeps steps. Work done only for an explanation
    /// sits behind `if Q::RECORDS`.
    const RECORDS: bool;

    /// A step, built by `step` only if the sink keeps steps.
    fn record(&mut self, step: impl FnOnce() -> Explanation) -> Self::Step;

    /// As [`record`](Self::record), for a step whose making can fail.
    fn try_record(&mut self, step: impl FnOnce() -> crate::Result<Explanation>) -> crate::Result<Self::Step>;

    /// `parent` with `child` added as a step it was built from.
    fn child(&mut self, parent: Self::Step, child: Self::Step) -> Self::Step;

    /// `parent`, made after `children`, with them as its children in
    /// order.
    #[inline(always)]
    fn children(&mut self, parent: Self::Step, children: impl IntoIterator<Item = Self::Step>) -> Self::Step {
        children
            .into_iter()
            .fold(parent, |parent, child| self.child(parent, child))
    }

    /// `parent` with `child` added before the steps added so far.
    fn first_child(&mut self, parent: Self::Step, child: Self::Step) -> Self::Step;

    /// `step` edited in place, if one is kept.
    fn map(&mut self, step: Self::Step, edit: impl FnOnce(Explanation) -> Explanation) -> Self::Step;

    /// `step` with `value` as its result, whenever it was made (a pay
    /// line's rounded amount, set on the step it is given).
    fn set_result(&mut self, step: Self::Step, value: Decimal) -> Self::Step;

    /// The explanation kept, or [`Explanation::not_recorded`].
    fn explanation(&mut self, step: Self::Step) -> Explanation;
}

/// Steps made before the step they are the children of, in order: kept
/// on the stack for the few a calculation makes (a commission's gates and
/// multipliers, an incentive rule's tests).
pub(crate) type Kids<S> = smallvec::SmallVec<[S; 4]>;

/// The sink whose steps are the values of a [`Recorder`] `R`: what the
/// public `*_with::<R>` functions run their calculation with.
pub(crate) struct Static<R>(PhantomData<fn() -> R>);

impl<R> Static<R> {
    /// The sink; it holds nothing.
    #[inline(always)]
    pub(crate) fn new() -> Static<R> {
        Static(PhantomData)
    }
}

impl<R: Recorder> Sink for Static<R> {
    type Step = R;
    const RECORDS: bool = R::RECORDS;

    #[inline(always)]
    fn record(&mut self, step: impl FnOnce() -> Explanation) -> R {
        R::record(step)
    }

    #[inline(always)]
    fn try_record(&mut self, step: impl FnOnce() -> crate::Result<Explanation>) -> crate::Result<R> {
        R::try_record(step)
    }

    #[inline(always)]
    fn child(&mut self, parent: R, child: R) -> R {
        parent.child(child)
    }

    #[inline(always)]
    fn first_child(&mut self, parent: R, child: R) -> R {
        parent.first_child(child)
    }

    #[inline(always)]
    fn map(&mut self, step: R, edit: impl FnOnce(Explanation) -> Explanation) -> R {
        step.map(edit)
    }

    #[inline(always)]
    fn set_result(&mut self, step: R, value: Decimal) -> R {
        step.map(|e| e.with_result(value))
    }

    #[inline(always)]
    fn explanation(&mut self, step: R) -> Explanation {
        step.into_explanation()
    }
}
