//! Reading an explanation: a [`Step`] is one step of it, read in place.
//!
//! Every reader of an explanation goes through a step, so what a step is
//! read from (a tree a host built, or steps an evaluation wrote) is the
//! step's business alone.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::text::MessageDef;

use super::{Explanation, Inputs, Quantity, Term, Unit};

/// One step of an [`Explanation`], read in place: its label, its result,
/// its formula and inputs, and the steps it was made from, each of them a
/// `Step` too. Copying one copies a reference.
///
/// [`Explanation::children`], [`steps`](Explanation::steps) and
/// [`find`](Explanation::find) give steps;
/// [`to_explanation`](Self::to_explanation) makes one an explanation of its
/// own (to keep, edit or build on).
///
/// ```
/// use perfpay::{Decimal, Explanation, RoundingPolicy};
///
/// let net = Explanation::money("net", Decimal::from(90))
///     .child(Explanation::money("gross", Decimal::from(100)).text("base"))
///     .child(Explanation::money("deductions", Decimal::from(10)));
/// let gross = net.find("gross").unwrap();
/// assert_eq!(gross.result(), Decimal::from(100));
/// assert_eq!(gross.statement(&RoundingPolicy::cents()), "gross 100.00 = base");
/// let labels: Vec<&str> = net.children().map(|c| c.label()).collect();
/// assert_eq!(labels, ["gross", "deductions"]);
/// assert_eq!(gross.to_explanation(), Explanation::money("gross", Decimal::from(100)).text("base"));
/// ```
#[derive(Clone, Copy)]
pub struct Step<'a> {
    node: &'a Explanation,
}

impl<'a> Step<'a> {
    /// The step that is `node`'s root.
    #[inline]
    pub(super) fn of(node: &'a Explanation) -> Step<'a> {
        Step { node }
    }

    /// The step's label: its literal text, or the key of the message that
    /// names it (`commission`, `achievement-of`).
    pub fn label(self) -> &'a str {
        self.node.label.name()
    }

    /// The message naming the step, when a message does.
    pub fn label_message(self) -> Option<&'static MessageDef> {
        self.node.label.message()
    }

    /// The arguments of the message naming the step (empty for a literal
    /// label), in the order of [`MessageDef::args`].
    pub fn label_args(self) -> &'a [Term] {
        self.node.terms.get(..self.node.label.arity()).unwrap_or_default()
    }

    /// The term naming the step: its literal text or its message.
    pub(crate) fn label_term(self) -> &'a Term {
        &self.node.label
    }

    /// The step's result with its unit.
    pub(crate) fn quantity(self) -> Quantity {
        self.node.figure.quantity()
    }

    /// The step's exact result.
    pub fn result(self) -> Decimal {
        self.quantity().value
    }

    /// The unit of the result.
    pub fn unit(self) -> Unit {
        self.node.figure.unit()
    }

    /// The formula in words.
    pub fn formula(self) -> &'a [Term] {
        let end = self.node.formula_end();
        let start = self.node.label.arity().min(end);
        self.node.terms.get(start..end).unwrap_or_default()
    }

    /// The named inputs the step read, in the order they were recorded:
    /// each input's name and value.
    pub fn inputs(self) -> Inputs<'a> {
        Inputs(self.input_terms())
    }

    /// Each input's name and value, as terms.
    pub(crate) fn input_terms(self) -> std::slice::ChunksExact<'a, Term> {
        let start = self.node.formula_end();
        self.node.terms.get(start..).unwrap_or_default().chunks_exact(2)
    }

    /// The steps this one was made from, in order.
    pub fn children(self) -> Children<'a> {
        Children(self.node.children.iter())
    }

    /// Every step of the tree under this one, depth first, starting with
    /// this one.
    pub fn steps(self) -> Steps<'a> {
        Steps { stack: vec![self] }
    }

    /// The first step, depth first from this one, whose label is `label`.
    pub fn find(self, label: &str) -> Option<Step<'a>> {
        self.steps().find(|step| step.label() == label)
    }

    /// Whether this step was recorded: `false` only for
    /// [`Explanation::not_recorded`].
    pub fn is_recorded(self) -> bool {
        self.node.is_recorded()
    }

    /// This step and the steps under it as an explanation of its own.
    pub fn to_explanation(self) -> Explanation {
        self.node.clone()
    }
}

impl PartialEq for Step<'_> {
    /// Steps are equal when they read alike: label, result and unit,
    /// formula, inputs and children.
    fn eq(&self, other: &Step<'_>) -> bool {
        self.node == other.node
    }
}

impl Eq for Step<'_> {}

impl PartialEq<Explanation> for Step<'_> {
    fn eq(&self, other: &Explanation) -> bool {
        *self == other.as_step()
    }
}

impl PartialEq<Step<'_>> for Explanation {
    fn eq(&self, other: &Step<'_>) -> bool {
        self.as_step() == *other
    }
}

impl fmt::Debug for Step<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.node, f)
    }
}

impl Serialize for Step<'_> {
    /// As the explanation it is read from: see [`Explanation`]'s JSON.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.node.serialize(serializer)
    }
}

/// The steps a step was made from, in order; see [`Step::children`].
#[derive(Clone, Debug)]
pub struct Children<'a>(std::slice::Iter<'a, Explanation>);

impl Children<'_> {
    /// Whether the step was made from no other step.
    pub fn is_empty(&self) -> bool {
        self.0.len() == 0
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Step<'a>;

    #[inline]
    fn next(&mut self) -> Option<Step<'a>> {
        self.0.next().map(Step::of)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<Step<'a>> {
        self.0.nth(n).map(Step::of)
    }
}

impl DoubleEndedIterator for Children<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(Step::of)
    }
}

impl ExactSizeIterator for Children<'_> {}

impl std::iter::FusedIterator for Children<'_> {}

/// Every step of a tree, depth first; see [`Step::steps`].
#[derive(Debug)]
pub struct Steps<'a> {
    stack: Vec<Step<'a>>,
}

impl<'a> Iterator for Steps<'a> {
    type Item = Step<'a>;

    fn next(&mut self) -> Option<Step<'a>> {
        let step = self.stack.pop()?;
        self.stack.extend(step.children().rev());
        Some(step)
    }
}

impl std::iter::FusedIterator for Steps<'_> {}
