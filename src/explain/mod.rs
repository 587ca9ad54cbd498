//! Explanations: how every number was made.
//!
//! An [`Explanation`] is a tree of steps. Each step has a label, a value with
//! its [`Unit`], optionally a formula in words (a sequence of [`Term`]s), the
//! named inputs it read, and the steps it was built from. It serializes to
//! JSON and renders to readable statements such as
//! `commission 3,450.00 = 50,000.00 × 1 % + 50,000.00 × 2 % + 65,000.00 × 3 %`.
//!
//! Values are stored exactly; rendering formats them (money at the policy's
//! scale, rates as percentages) without changing what was computed.

use std::fmt;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::text::{MessageDef, Text};

mod quantity;
mod recorder;
mod sink;
mod step;
mod term;
mod words;

pub use quantity::{Quantity, Unit};
pub use recorder::{NoExplanation, Recorder};
pub(crate) use sink::{Kids, Sink, Static};
pub use step::{Children, Step, Steps};
pub use term::Term;
pub(crate) use term::View;
use term::*;
pub use words::{Label, Phrase, Said, Word, Words};

/// A named value that a step read, as it is serialized. A step lists its
/// inputs with [`Explanation::inputs`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Input {
    /// The input's name, such as a metric id, or the key of the message
    /// that names it.
    pub name: Text,
    /// The value read.
    #[serde(flatten)]
    pub quantity: Quantity,
}

/// A step in the making of a number, and the steps it was made from.
///
/// Building one is cheap: labels and formula text are usually `&'static str`
/// and are not copied.
///
/// ```
/// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
///
/// let slices = [(50_000, 1), (50_000, 2), (65_000, 3)];
/// let mut commission = Explanation::new("commission", Decimal::from(3_450), Unit::Money);
/// for (i, (amount, percent)) in slices.into_iter().enumerate() {
///     if i > 0 {
///         commission = commission.text(" + ");
///     }
///     commission = commission
///         .value(Decimal::from(amount), Unit::Money)
///         .text(" × ")
///         .value(Decimal::new(percent, 2), Unit::Rate);
/// }
/// assert_eq!(
///     commission.statement(&RoundingPolicy::cents()),
///     "commission 3,450.00 = 50,000.00 × 1 % + 50,000.00 × 2 % + 65,000.00 × 3 %",
/// );
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "ExplanationDoc")]
pub struct Explanation {
    /// The label: literal text or a message; a message's arguments begin
    /// `terms`.
    label: Term,
    /// The result, and how many input pairs end `terms`.
    figure: Figure,
    /// The label's arguments, the formula's terms, then each input as two
    /// terms, its name and its value: a step's own data in one allocation.
    terms: ThinVec<Term>,
    children: ThinVec<Explanation>,
}

/// The serialized form of an [`Explanation`]: a label, or a message key
/// with its arguments.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Explanation"))]
struct ExplanationDoc {
    /// Literal text naming the step (an employee, a pay-line code), when it
    /// is not a message.
    #[serde(default)]
    label: Option<Text>,
    /// The key of the message naming the step.
    #[serde(default)]
    key: Option<String>,
    /// The message's arguments by name.
    #[serde(default)]
    args: std::collections::BTreeMap<String, Term>,
    // a `Quantity`'s fields, written out rather than flattened: serde
    // buffers a flattened struct's whole map first
    /// The exact value.
    value: Decimal,
    /// What the value measures.
    unit: Unit,
    #[serde(default)]
    formula: Vec<FormulaTermDoc>,
    #[serde(default)]
    inputs: Vec<InputDoc>,
    #[serde(default)]
    children: Vec<Explanation>,
}

/// An input as serialized: named by literal text or by a message's key.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Input"))]
struct InputDoc {
    /// Literal text: a metric id.
    #[serde(default)]
    name: Option<Text>,
    /// The key of a message without arguments.
    #[serde(default)]
    key: Option<String>,
    /// The exact value.
    value: Decimal,
    /// What the value measures.
    unit: Unit,
}

impl TryFrom<ExplanationDoc> for Explanation {
    type Error = String;

    fn try_from(doc: ExplanationDoc) -> Result<Explanation, String> {
        let mut terms = ThinVec::new();
        let label = match (doc.label, doc.key) {
            (Some(text), None) if doc.args.is_empty() => Term::text(text),
            (None, Some(key)) => {
                let (head, args) = message_terms(MessageDoc { key, args: doc.args })?;
                terms.extend(args);
                head
            }
            _ => return Err("a step has either a label or a key (with its args)".to_owned()),
        };
        push_formula(&mut terms, doc.formula)?;
        let mut step = Explanation {
            label,
            figure: Figure::new(Quantity::new(doc.value, doc.unit), 0),
            terms,
            children: ThinVec::new(),
        };
        for input in doc.inputs {
            let name = match (input.name, input.key) {
                (Some(text), None) => Term::text(text),
                (None, Some(key)) => match message_terms(MessageDoc {
                    key,
                    args: std::collections::BTreeMap::new(),
                })? {
                    (head, args) if args.is_empty() => head,
                    (head, _) => return Err(format!("input {:?} takes arguments", head.name())),
                },
                _ => return Err("an input has either a name or a key".to_owned()),
            };
            step.push_input(name, Quantity::new(input.value, input.unit));
        }
        step.children.extend(doc.children);
        Ok(step)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Explanation {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        ExplanationDoc::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ExplanationDoc::json_schema(generator)
    }
}

impl Serialize for Explanation {
    /// `{"label" | "key", "args"?, "value", "unit", "formula"?, "inputs"?,
    /// "children"?}`: `label` for literal text, `key` (and `args`) for a
    /// message; the last three only when not empty.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};

        struct Named<'a>(&'a Term, Quantity);
        impl Serialize for Named<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(3))?;
                match self.0.message() {
                    Some(message) => map.serialize_entry("key", message.key())?,
                    None => map.serialize_entry("name", self.0.name())?,
                }
                map.serialize_entry("value", &Written(self.1))?;
                map.serialize_entry("unit", &self.1.unit)?;
                map.end()
            }
        }
        struct InputList<'a>(&'a Explanation);
        impl Serialize for InputList<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.figure.inputs() as usize))?;
                for pair in self.0.as_step().input_terms() {
                    if let [name, value] = pair
                        && let Some(quantity) = value.quantity()
                    {
                        seq.serialize_element(&Named(name, quantity))?;
                    }
                }
                seq.end()
            }
        }

        let mut map = serializer.serialize_map(None)?;
        match self.label.message() {
            Some(message) => {
                map.serialize_entry("key", message.key())?;
                let args = self.label_args();
                if !args.is_empty() {
                    map.serialize_entry("args", &Args(message, args))?;
                }
            }
            None => map.serialize_entry("label", self.label.name())?,
        }
        let quantity = self.figure.quantity();
        map.serialize_entry("value", &Written(quantity))?;
        map.serialize_entry("unit", &quantity.unit)?;
        if !self.formula().is_empty() {
            map.serialize_entry("formula", &Formula(self.formula()))?;
        }
        if self.figure.inputs() > 0 {
            map.serialize_entry("inputs", &InputList(self))?;
        }
        if !self.children.is_empty() {
            map.serialize_entry("children", &self.children[..])?;
        }
        map.end()
    }
}

impl fmt::Debug for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Explanation");
        s.field("label", &self.label);
        if !self.label_args().is_empty() {
            s.field("args", &self.label_args());
        }
        s.field("quantity", &self.figure.quantity());
        if !self.formula().is_empty() {
            s.field("formula", &self.formula());
        }
        if self.figure.inputs() > 0 {
            s.field("inputs", &self.inputs().collect::<Vec<_>>());
        }
        if !self.children.is_empty() {
            s.field("children", &&self.children[..]);
        }
        s.finish()
    }
}

impl Explanation {
    /// A step labelled `label` — a message of the catalogue (`&msg::GROSS`,
    /// or one with arguments: [`Message::with`](crate::locale::Message::with)) or literal text such as an
    /// employee id — whose result is `value` in `unit`.
    #[inline(always)]
    pub fn new(label: impl Words, value: Decimal, unit: Unit) -> Explanation {
        let mut terms = ThinVec::new();
        let label = label.split_onto(&mut terms);
        Explanation {
            label,
            figure: Figure::new(Quantity { value, unit }, 0),
            terms,
            children: ThinVec::new(),
        }
    }

    /// The step in place of an explanation that was not recorded (an
    /// evaluation run without explanations): labelled `not recorded`, no
    /// formula, result 0. Making one allocates nothing.
    ///
    /// ```
    /// use perfpay::Explanation;
    ///
    /// assert!(!Explanation::not_recorded().is_recorded());
    /// ```
    pub fn not_recorded() -> Explanation {
        Explanation::new(&crate::text::msg::NOT_RECORDED, Decimal::ZERO, Unit::Count)
    }

    /// Whether this step was recorded: `false` only for
    /// [`not_recorded`](Self::not_recorded).
    pub fn is_recorded(&self) -> bool {
        !(self.label.message() == Some(crate::text::msg::NOT_RECORDED.def())
            && self.terms.is_empty()
            && self.children.is_empty())
    }

    /// A step whose result is an amount of money.
    #[inline(always)]
    pub fn money(label: impl Words, value: Decimal) -> Explanation {
        Explanation::new(label, value, Unit::Money)
    }

    /// Replaces the step's label.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation};
    /// use perfpay::locale::msg;
    ///
    /// let step = Explanation::money("payout", Decimal::from(2_600)).with_label(&msg::COMMISSION);
    /// assert_eq!(step.label(), "commission");
    /// ```
    #[must_use]
    pub fn with_label(mut self, label: impl Words) -> Explanation {
        let old = self.label.arity().min(self.terms.len());
        let mut args = ThinVec::new();
        self.label = label.split_onto(&mut args);
        if old == 0 && args.is_empty() {
            return self;
        }
        let rest: Vec<Term> = self.terms.drain(old..).collect();
        self.terms.clear();
        self.terms.extend(args);
        self.terms.extend(rest);
        self
    }

    /// Replaces the step's result, keeping its unit (for results known only
    /// after the formula has been built up term by term).
    #[must_use]
    pub fn with_result(mut self, value: Decimal) -> Explanation {
        self.figure.set_value(value);
        self
    }

    /// Replaces the unit of the step's result (a tier table read as a
    /// payout percentage rather than money).
    #[must_use]
    pub(crate) fn with_unit(mut self, unit: Unit) -> Explanation {
        self.figure.set_unit(unit);
        self
    }

    /// Appends words to the formula: a message (with its arguments, if
    /// any) or literal text.
    #[must_use]
    #[inline(always)]
    pub fn text(mut self, words: impl Words) -> Explanation {
        if self.figure.inputs() == 0 {
            words.push_onto(&mut self.terms);
        } else {
            let mut said = ThinVec::new();
            words.push_onto(&mut said);
            for term in said {
                self.push_term(term);
            }
        }
        self
    }

    /// Appends a value to the formula.
    #[must_use]
    #[inline(always)]
    pub fn value(mut self, value: Decimal, unit: Unit) -> Explanation {
        self.push_term(Term::value(value, unit));
        self
    }

    /// Records a named input the step read.
    #[must_use]
    pub fn input(mut self, name: impl Word, value: Decimal, unit: Unit) -> Explanation {
        self.push_input(name.into_term(), Quantity { value, unit });
        self
    }

    /// Appends an input: its name and value after the formula and the
    /// inputs before it.
    fn push_input(&mut self, name: Term, quantity: Quantity) {
        // exactly the two terms: most steps read at most one input
        reserve_for(&mut self.terms, 2);
        self.terms.push(name);
        self.terms.push(Term::value(quantity.value, quantity.unit));
        self.figure.add_input();
    }

    /// Adds a step this one was built from.
    #[must_use]
    pub fn child(mut self, child: Explanation) -> Explanation {
        self.push_child(child);
        self
    }

    /// Adds several steps this one was built from.
    #[must_use]
    pub fn children_from(mut self, children: impl IntoIterator<Item = Explanation>) -> Explanation {
        let children = children.into_iter();
        let wanted = children.size_hint().0;
        if self.children.capacity().saturating_sub(self.children.len()) < wanted {
            self.children.reserve_exact(wanted);
        }
        for child in children {
            self.push_child(child);
        }
        self
    }

    /// Appends `terms` to the formula. The room they need is made at once,
    /// exactly, when their number is known before they are made (an array,
    /// arrays flattened from an exact-size iterator): a formula of fixed
    /// shape is stored in one allocation, and no caller counts terms.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, Unit};
    /// use perfpay::explain::Term;
    ///
    /// let bonus = Explanation::money("bonus", Decimal::from(1_200)).terms([
    ///     Term::value(Decimal::from(1_000), Unit::Money),
    ///     Term::text(" × "),
    ///     Term::value(Decimal::new(12, 1), Unit::Number),
    /// ]);
    /// assert_eq!(bonus.formula().len(), 3);
    /// ```
    #[must_use]
    #[inline(always)]
    pub fn terms(mut self, terms: impl IntoIterator<Item = Term>) -> Explanation {
        let terms = terms.into_iter();
        let wanted = terms.size_hint().0;
        self.append(terms, wanted);
        self
    }

    /// Appends `terms` to the formula, first making room for `wanted` more
    /// terms when there is less.
    #[inline(always)]
    fn append(&mut self, terms: impl Iterator<Item = Term>, wanted: usize) {
        if self.terms.capacity().saturating_sub(self.terms.len()) < wanted {
            self.terms.reserve_exact(wanted);
        }
        if self.figure.inputs() == 0 {
            // the usual case: the formula is all there is so far
            self.terms.extend(terms);
        } else {
            for term in terms {
                self.push_term(term);
            }
        }
    }

    /// Appends `parts` to the formula joined by `separator` (slices of a
    /// marginal table joined by `" + "`), making room for all of them at
    /// once: `K` terms a part and one between parts, for as many parts as
    /// the iterator can give (its upper size bound).
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    /// use perfpay::explain::Term;
    ///
    /// let slices = [(50_000, 1), (50_000, 2), (65_000, 3)];
    /// let commission = Explanation::money("commission", Decimal::from(3_450)).joined(
    ///     " + ",
    ///     slices.iter().map(|&(amount, percent)| {
    ///         [Term::value(amount.into(), Unit::Money), Term::text(" × "), Term::value(Decimal::new(percent, 2), Unit::Rate)]
    ///     }),
    /// );
    /// assert_eq!(
    ///     commission.statement(&RoundingPolicy::cents()),
    ///     "commission 3,450.00 = 50,000.00 × 1 % + 50,000.00 × 2 % + 65,000.00 × 3 %",
    /// );
    /// ```
    #[must_use]
    pub fn joined<const K: usize>(
        self,
        separator: impl Word + Clone,
        parts: impl IntoIterator<Item = [Term; K]>,
    ) -> Explanation {
        match self.join::<K, core::convert::Infallible>(separator, parts.into_iter().map(Ok)) {
            Ok(step) => step,
            Err(never) => match never {},
        }
    }

    /// As [`joined`](Self::joined), for parts whose making can fail.
    ///
    /// # Errors
    ///
    /// The first part's error.
    pub fn try_joined<const K: usize>(
        self,
        separator: impl Word + Clone,
        parts: impl IntoIterator<Item = crate::Result<[Term; K]>>,
    ) -> crate::Result<Explanation> {
        self.join(separator, parts.into_iter())
    }

    /// [`joined`](Self::joined) and [`try_joined`](Self::try_joined): room
    /// for `K` terms a part and one between parts, for as many parts as the
    /// iterator can give.
    fn join<const K: usize, E>(
        mut self,
        separator: impl Word + Clone,
        parts: impl Iterator<Item = core::result::Result<[Term; K], E>>,
    ) -> core::result::Result<Explanation, E> {
        let (lower, upper) = parts.size_hint();
        let wanted = upper
            .unwrap_or(lower)
            .saturating_mul(K.saturating_add(1))
            .saturating_sub(1);
        if self.terms.capacity().saturating_sub(self.terms.len()) < wanted {
            self.terms.reserve_exact(wanted);
        }
        for (i, part) in parts.enumerate() {
            if i > 0 {
                self.push_term(separator.clone().into_term());
            }
            for term in part? {
                self.push_term(term);
            }
        }
        Ok(self)
    }

    /// Appends `terms` to the formula and records `inputs` after it (name,
    /// value, unit), all in one allocation made at once: the common step
    /// of a fixed formula reading a few named values.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    /// use perfpay::explain::Term;
    ///
    /// let step = Explanation::money("commission", Decimal::from(300))
    ///     .terms_and_inputs([Term::value(Decimal::from(10_000), Unit::Money), Term::text(" × 3 %")], [
    ///         ("sales", Decimal::from(10_000), Unit::Money),
    ///     ]);
    /// assert_eq!(step.statement(&RoundingPolicy::cents()), "commission 300.00 = 10,000.00 × 3 % (sales = 10,000.00)");
    /// ```
    #[must_use]
    #[inline(always)]
    pub fn terms_and_inputs<N: Word, const T: usize, const I: usize>(
        mut self,
        terms: [Term; T],
        inputs: [(N, Decimal, Unit); I],
    ) -> Explanation {
        self.append(terms.into_iter(), T.saturating_add(I.saturating_mul(2)));
        for (name, value, unit) in inputs {
            self.push_input(name.into_term(), Quantity { value, unit });
        }
        self
    }

    /// Appends a term in place (for formulas built in a loop).
    #[inline(always)]
    pub fn push_term(&mut self, term: Term) {
        if self.figure.inputs() == 0 {
            self.terms.push(term);
        } else {
            // the formula goes on before the inputs
            let at = self.formula_end();
            self.terms.insert(at, term);
        }
    }

    /// Where the formula's terms end (the inputs begin).
    #[inline(always)]
    fn formula_end(&self) -> usize {
        self.terms
            .len()
            .saturating_sub((self.figure.inputs() as usize).saturating_mul(2))
    }

    /// Adds a child in place.
    pub fn push_child(&mut self, child: Explanation) {
        push_first_exact(&mut self.children);
        self.children.push(child);
    }

    /// Inserts a child at `index` (at the end when `index` is past it).
    pub(crate) fn insert_child(&mut self, index: usize, child: Explanation) {
        // a child put before the others is the last one a step gets: room
        // for exactly one more
        if self.children.len() == self.children.capacity() {
            self.children.reserve_exact(1);
        }
        self.children.insert(index.min(self.children.len()), child);
    }

    /// Makes room for `additional` more formula terms, for a formula whose
    /// terms are added as they are computed.
    pub(crate) fn reserve_terms(&mut self, additional: usize) {
        self.terms.reserve_exact(additional);
    }

    /// Makes room for `additional` more inputs, for a step whose inputs are
    /// added one by one; they share the formula's allocation.
    pub(crate) fn reserve_inputs(&mut self, additional: usize) {
        self.terms.reserve_exact(additional.saturating_mul(2));
    }

    /// Makes room for `additional` more children, for a step whose
    /// children are added one by one as they are computed.
    pub(crate) fn reserve_children(&mut self, additional: usize) {
        self.children.reserve_exact(additional);
    }

    /// This explanation's root step, read in place: what
    /// [`children`](Self::children), [`steps`](Self::steps) and
    /// [`find`](Self::find) give for the steps under it.
    #[inline]
    pub fn as_step(&self) -> Step<'_> {
        Step::of(self)
    }

    /// The step's label: its literal text, or the key of the message that
    /// names it (`commission`, `achievement-of`).
    pub fn label(&self) -> &str {
        self.as_step().label()
    }

    /// The message naming the step, when a message does.
    pub fn label_message(&self) -> Option<&'static MessageDef> {
        self.as_step().label_message()
    }

    /// The arguments of the message naming the step (empty for a literal
    /// label), in the order of [`MessageDef::args`].
    pub fn label_args(&self) -> &[Term] {
        self.as_step().label_args()
    }

    /// The step's exact result.
    pub fn result(&self) -> Decimal {
        self.as_step().result()
    }

    /// The unit of the result.
    pub fn unit(&self) -> Unit {
        self.as_step().unit()
    }

    /// The formula in words.
    pub fn formula(&self) -> &[Term] {
        self.as_step().formula()
    }

    /// The named inputs the step read, in the order they were recorded:
    /// each input's name and value.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, Unit};
    /// use perfpay::explain::Quantity;
    ///
    /// let step = Explanation::money("commission", Decimal::from(300))
    ///     .input("sales", Decimal::from(10_000), Unit::Money)
    ///     .value(Decimal::from(10_000), Unit::Money)
    ///     .text(" × 3 %");
    /// let inputs: Vec<_> = step.inputs().collect();
    /// assert_eq!(inputs, [("sales", Quantity::new(Decimal::from(10_000), Unit::Money))]);
    /// assert_eq!(step.formula().len(), 2);
    /// ```
    pub fn inputs(&self) -> Inputs<'_> {
        self.as_step().inputs()
    }

    /// The steps this one was made from, in order.
    pub fn children(&self) -> Children<'_> {
        self.as_step().children()
    }

    /// Takes the steps this one was built from, leaving it without children.
    pub fn into_children(self) -> Vec<Explanation> {
        self.children.into_iter().collect()
    }

    /// Every step of the tree, depth first, starting with this one.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, Unit};
    ///
    /// let tree = Explanation::money("net", Decimal::from(90))
    ///     .child(Explanation::money("gross", Decimal::from(100)))
    ///     .child(Explanation::money("deductions", Decimal::from(10)));
    /// let labels: Vec<_> = tree.steps().map(|s| s.label()).collect();
    /// assert_eq!(labels, ["net", "gross", "deductions"]);
    /// assert_eq!(tree.find("gross").map(|s| s.result()), Some(Decimal::from(100)));
    /// ```
    pub fn steps(&self) -> Steps<'_> {
        self.as_step().steps()
    }

    /// The first step, depth first, whose label is `label`.
    pub fn find(&self, label: &str) -> Option<Step<'_>> {
        self.as_step().find(label)
    }
}

/// The named inputs of a step, as [`Explanation::inputs`] lists them: each
/// input's name and value.
#[derive(Clone, Debug)]
pub struct Inputs<'a>(std::slice::ChunksExact<'a, Term>);

impl<'a> Iterator for Inputs<'a> {
    type Item = (&'a str, Quantity);

    fn next(&mut self) -> Option<(&'a str, Quantity)> {
        // the explanation pushes a name and a value for every input
        let [name, value] = self.0.next()? else {
            return None;
        };
        Some((name.name(), value.quantity()?))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Inputs<'_> {}

/// Most steps have one child: the first push makes room for exactly one (a
/// vector would make room for four), later pushes grow as usual.
#[inline]
fn push_first_exact<T>(items: &mut ThinVec<T>) {
    if items.capacity() == 0 {
        items.reserve_exact(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::RoundingPolicy;
    use rust_decimal_macros::dec;

    #[test]
    fn grouping_handles_signs_and_short_numbers() {
        let cents = RoundingPolicy::cents();
        let cases = [
            (dec!(0), "0.00"),
            (dec!(999.5), "999.50"),
            (dec!(1000), "1,000.00"),
            (dec!(-1234567.891), "-1,234,567.89"),
            (dec!(100000), "100,000.00"),
        ];
        for (value, text) in cases {
            assert_eq!(Quantity::new(value, Unit::Money).render(&cents), text);
        }
        assert_eq!(Quantity::new(dec!(1200), Unit::Points).render(&cents), "1,200");
        assert_eq!(Quantity::new(dec!(0.95), Unit::Rate).render(&cents), "95 %");
        assert_eq!(Quantity::new(dec!(89.456), Unit::Score).render(&cents), "89.46");
        assert_eq!(Quantity::new(dec!(1.10), Unit::Number).render(&cents), "1.1");
        let yen = RoundingPolicy::new(0, crate::money::RoundingMode::HalfUp).unwrap();
        assert_eq!(Quantity::new(dec!(1234.5), Unit::Money).render(&yen), "1,235");
    }

    #[test]
    fn explanation_round_trips_through_json() {
        let tree = Explanation::money("commission", dec!(3450.00))
            .value(dec!(50000), Unit::Money)
            .text(" × ")
            .value(dec!(0.01), Unit::Rate)
            .input("sales", dec!(165000), Unit::Money)
            .child(Explanation::new("rate", dec!(0.01), Unit::Rate));
        let json = serde_json::to_string(&tree).unwrap();
        assert_eq!(
            json,
            r#"{"label":"commission","value":"3450.00","unit":"money","formula":[{"value":"50000","unit":"money"}," × ",{"value":"0.01","unit":"rate"}],"inputs":[{"name":"sales","value":"165000","unit":"money"}],"children":[{"label":"rate","value":"0.01","unit":"rate"}]}"#
        );
        let back: Explanation = serde_json::from_str(&json).unwrap();
        assert_eq!(back, tree);
    }
}
