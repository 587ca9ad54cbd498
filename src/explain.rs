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

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::money::RoundingPolicy;
use crate::text::Text;

/// What a value in an explanation measures; decides how it is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// An amount of money, rendered at the policy's scale with thousands
    /// separators: `50,000.00`.
    Money,
    /// A fraction rendered as a percentage, to at most two decimals of a
    /// percent: `0.03` → `3 %`, `5/22` → `22.73 %` (the value itself stays
    /// exact).
    Rate,
    /// A performance score, rendered with two decimals: `90.00`.
    Score,
    /// Incentive points: `1,200`.
    Points,
    /// A number of days: `21`.
    Days,
    /// A plain count: `3`.
    Count,
    /// Any other number (a multiplier, a metric value), rendered as is: `1.1`.
    Number,
    /// A growth factor or ratio, rendered to at most three decimals:
    /// `1.515` (the value itself stays exact).
    Ratio,
}

/// A value with its unit. Serialized as `{"value", "unit"}`: money as it
/// is (at its currency's scale once a policy rounded it), any other unit
/// without trailing zeros (`"104.05"`, not `"104.0500"`) — the same number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Quantity {
    /// The exact value.
    pub value: Decimal,
    /// What the value measures.
    pub unit: Unit,
}

impl Quantity {
    /// A value with its unit.
    pub const fn new(value: Decimal, unit: Unit) -> Quantity {
        Quantity { value, unit }
    }

    /// The value as written out: money as it is, anything else without
    /// trailing zeros.
    pub fn written(&self) -> Decimal {
        if self.unit == Unit::Money {
            self.value
        } else {
            self.value.normalize()
        }
    }

    /// Renders the value for a reader, formatting money by `policy`.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy, Unit};
    /// use perfpay::explain::Quantity;
    ///
    /// let cents = RoundingPolicy::cents();
    /// let money = Quantity::new(Decimal::new(345_000, 2), Unit::Money);
    /// assert_eq!(money.render(&cents), "3,450.00");
    /// let rate = Quantity::new(Decimal::new(125, 3), Unit::Rate);
    /// assert_eq!(rate.render(&cents), "12.5 %");
    /// let share = Quantity::new(Decimal::from(5) / Decimal::from(22), Unit::Rate);
    /// assert_eq!(share.render(&cents), "22.73 %");
    /// ```
    pub fn render(&self, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write(&mut out, policy);
        out
    }

    fn write(&self, out: &mut String, policy: &RoundingPolicy) {
        match self.unit {
            Unit::Money => write_grouped(out, policy.round(self.value)),
            Unit::Rate => {
                // shown to at most two decimals of a percent (the value
                // itself stays exact): 22.727…% reads 22.73 %
                let percent = self.value.checked_mul(Decimal::ONE_HUNDRED).map(|p| {
                    p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                        .normalize()
                });
                match percent {
                    Some(p) => {
                        let _ = write!(out, "{p} %");
                    }
                    // out of range as a percentage: show the fraction itself
                    None => {
                        let _ = write!(out, "{}", self.value.normalize());
                    }
                }
            }
            Unit::Score => {
                let score = RoundingPolicy::cents().round(self.value);
                let _ = write!(out, "{score}");
            }
            Unit::Points | Unit::Count | Unit::Days => write_grouped(out, self.value.normalize()),
            Unit::Number => {
                let _ = write!(out, "{}", self.value.normalize());
            }
            Unit::Ratio => {
                let shown = self
                    .value
                    .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize();
                let _ = write!(out, "{shown}");
            }
        }
    }
}

/// Writes a decimal with thousands separators in its integer part.
fn write_grouped(out: &mut String, value: Decimal) {
    let text = value.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (digits, None),
    };
    out.push_str(sign);
    let len = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && len.saturating_sub(i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
}

/// One piece of a formula in words: literal text such as `" × "`, or a
/// value with its unit.
///
/// A term is 24 bytes (the unit is folded into the term's own tag), and a
/// month's explanations hold over a hundred terms per employee.
///
/// ```
/// use perfpay::{Decimal, Unit};
/// use perfpay::explain::{Quantity, Term};
///
/// let times = Term::text(" × ");
/// let rate = Term::value(Decimal::new(3, 2), Unit::Rate);
/// assert_eq!(times.as_text(), Some(" × "));
/// assert_eq!(rate.quantity(), Some(Quantity::new(Decimal::new(3, 2), Unit::Rate)));
/// assert_eq!(serde_json::to_string(&[times, rate]).unwrap(), r#"[" × ",{"value":"0.03","unit":"rate"}]"#);
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(from = "TermDoc")]
#[cfg_attr(feature = "schema", schemars(with = "TermDoc"))]
pub struct Term(TermRepr);

/// A term: text, or a value in one variant per unit.
#[derive(Clone, PartialEq, Eq)]
enum TermRepr {
    Text(Text),
    Money(Decimal),
    Rate(Decimal),
    Score(Decimal),
    Points(Decimal),
    Days(Decimal),
    Count(Decimal),
    Number(Decimal),
    Ratio(Decimal),
}

/// A term read back: its text, or its value with the unit.
enum View<'a> {
    Text(&'a Text),
    Value(Quantity),
}

/// The serialized form of a [`Term`]: a string, or a value with its unit.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
#[cfg_attr(feature = "schema", schemars(rename = "Term"))]
enum TermDoc {
    /// Literal text such as `" × "` or `"sales above "`.
    Text(Text),
    /// A value, rendered by its unit.
    Value(Quantity),
}

impl Term {
    /// Literal text.
    pub fn text(text: impl Into<Text>) -> Term {
        Term(TermRepr::Text(text.into()))
    }

    /// A value, rendered by its unit.
    pub fn value(value: Decimal, unit: Unit) -> Term {
        Term(match unit {
            Unit::Money => TermRepr::Money(value),
            Unit::Rate => TermRepr::Rate(value),
            Unit::Score => TermRepr::Score(value),
            Unit::Points => TermRepr::Points(value),
            Unit::Days => TermRepr::Days(value),
            Unit::Count => TermRepr::Count(value),
            Unit::Number => TermRepr::Number(value),
            Unit::Ratio => TermRepr::Ratio(value),
        })
    }

    /// The text, when the term is text.
    pub fn as_text(&self) -> Option<&str> {
        match self.view() {
            View::Text(text) => Some(text),
            View::Value(_) => None,
        }
    }

    /// The value and its unit, when the term is a value.
    pub fn quantity(&self) -> Option<Quantity> {
        match self.view() {
            View::Text(_) => None,
            View::Value(quantity) => Some(quantity),
        }
    }

    fn view(&self) -> View<'_> {
        let (value, unit) = match self.0 {
            TermRepr::Text(ref text) => return View::Text(text),
            TermRepr::Money(v) => (v, Unit::Money),
            TermRepr::Rate(v) => (v, Unit::Rate),
            TermRepr::Score(v) => (v, Unit::Score),
            TermRepr::Points(v) => (v, Unit::Points),
            TermRepr::Days(v) => (v, Unit::Days),
            TermRepr::Count(v) => (v, Unit::Count),
            TermRepr::Number(v) => (v, Unit::Number),
            TermRepr::Ratio(v) => (v, Unit::Ratio),
        };
        View::Value(Quantity { value, unit })
    }

    fn write(&self, out: &mut String, policy: &RoundingPolicy) {
        match self.view() {
            View::Text(text) => out.push_str(text),
            View::Value(quantity) => quantity.write(out, policy),
        }
    }
}

impl fmt::Debug for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.view() {
            View::Text(text) => fmt::Debug::fmt(text, f),
            View::Value(quantity) => fmt::Debug::fmt(&quantity, f),
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Quantity", 2)?;
        out.serialize_field("value", &self.written())?;
        out.serialize_field("unit", &self.unit)?;
        out.end()
    }
}

impl Serialize for Term {
    /// A string for text, `{"value": …, "unit": …}` for a value.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.view() {
            View::Text(text) => text.serialize(serializer),
            View::Value(quantity) => quantity.serialize(serializer),
        }
    }
}

impl From<TermDoc> for Term {
    fn from(doc: TermDoc) -> Term {
        match doc {
            TermDoc::Text(text) => Term::text(text),
            TermDoc::Value(q) => Term::value(q.value, q.unit),
        }
    }
}

/// A named value that a step read, as it is serialized. A step lists its
/// inputs with [`Explanation::inputs`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Input {
    /// The input's name, such as a metric id.
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
#[serde(from = "ExplanationDoc")]
pub struct Explanation {
    label: Text,
    quantity: Quantity,
    /// How many input pairs end `terms`.
    inputs: u32,
    /// The formula's terms, then each input as two terms, its name and its
    /// value: a step's own data in one allocation.
    terms: ThinVec<Term>,
    children: ThinVec<Explanation>,
}

/// The serialized form of an [`Explanation`].
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Explanation"))]
struct ExplanationDoc {
    label: Text,
    #[serde(flatten)]
    quantity: Quantity,
    #[serde(default)]
    formula: Vec<Term>,
    #[serde(default)]
    inputs: Vec<Input>,
    #[serde(default)]
    children: Vec<Explanation>,
}

impl From<ExplanationDoc> for Explanation {
    fn from(doc: ExplanationDoc) -> Explanation {
        let mut step = Explanation::new(doc.label, doc.quantity.value, doc.quantity.unit);
        step.terms.reserve_exact(
            doc.formula
                .len()
                .saturating_add(doc.inputs.len().saturating_mul(2)),
        );
        step.terms.extend(doc.formula);
        for input in doc.inputs {
            step.push_input(input.name, input.quantity);
        }
        step.children.extend(doc.children);
        step
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
    /// `{"label", "value", "unit", "formula"?, "inputs"?, "children"?}`, the
    /// last three only when not empty.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};

        struct Named<'a>(&'a str, Quantity);
        impl Serialize for Named<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("name", self.0)?;
                map.serialize_entry("value", &self.1.written())?;
                map.serialize_entry("unit", &self.1.unit)?;
                map.end()
            }
        }
        struct InputList<'a>(&'a Explanation);
        impl Serialize for InputList<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.inputs as usize))?;
                for (name, quantity) in self.0.inputs() {
                    seq.serialize_element(&Named(name, quantity))?;
                }
                seq.end()
            }
        }

        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("label", &self.label)?;
        map.serialize_entry("value", &self.quantity.written())?;
        map.serialize_entry("unit", &self.quantity.unit)?;
        if !self.formula().is_empty() {
            map.serialize_entry("formula", self.formula())?;
        }
        if self.inputs > 0 {
            map.serialize_entry("inputs", &InputList(self))?;
        }
        if !self.children.is_empty() {
            map.serialize_entry("children", self.children())?;
        }
        map.end()
    }
}

impl fmt::Debug for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Explanation");
        s.field("label", &self.label).field("quantity", &self.quantity);
        if !self.formula().is_empty() {
            s.field("formula", &self.formula());
        }
        if self.inputs > 0 {
            s.field("inputs", &self.inputs().collect::<Vec<_>>());
        }
        if !self.children.is_empty() {
            s.field("children", &self.children());
        }
        s.finish()
    }
}

impl Explanation {
    /// A step labelled `label` whose result is `value` in `unit`.
    pub fn new(label: impl Into<Text>, value: Decimal, unit: Unit) -> Explanation {
        Explanation {
            label: label.into(),
            quantity: Quantity { value, unit },
            inputs: 0,
            terms: ThinVec::new(),
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
        Explanation::new(NOT_RECORDED, Decimal::ZERO, Unit::Count)
    }

    /// Whether this step was recorded: `false` only for
    /// [`not_recorded`](Self::not_recorded).
    pub fn is_recorded(&self) -> bool {
        !(self.label.as_str() == NOT_RECORDED && self.terms.is_empty() && self.children.is_empty())
    }

    /// A step whose result is an amount of money.
    pub fn money(label: impl Into<Text>, value: Decimal) -> Explanation {
        Explanation::new(label, value, Unit::Money)
    }

    /// Replaces the step's label.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation};
    ///
    /// let step = Explanation::money("payout", Decimal::from(2_600)).with_label("commission");
    /// assert_eq!(step.label(), "commission");
    /// ```
    #[must_use]
    pub fn with_label(mut self, label: impl Into<Text>) -> Explanation {
        self.label = label.into();
        self
    }

    /// Replaces the step's result, keeping its unit (for results known only
    /// after the formula has been built up term by term).
    #[must_use]
    pub fn with_result(mut self, value: Decimal) -> Explanation {
        self.quantity.value = value;
        self
    }

    /// Replaces the unit of the step's result (a tier table read as a
    /// payout percentage rather than money).
    #[must_use]
    pub(crate) fn with_unit(mut self, unit: Unit) -> Explanation {
        self.quantity.unit = unit;
        self
    }

    /// Appends literal text to the formula.
    #[must_use]
    #[inline(always)]
    pub fn text(mut self, text: impl Into<Text>) -> Explanation {
        self.push_term(Term::text(text));
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
    pub fn input(mut self, name: impl Into<Text>, value: Decimal, unit: Unit) -> Explanation {
        self.push_input(name.into(), Quantity { value, unit });
        self
    }

    /// Appends an input: its name and value after the formula and the
    /// inputs before it.
    fn push_input(&mut self, name: Text, quantity: Quantity) {
        if self.terms.capacity().saturating_sub(self.terms.len()) < 2 {
            // exactly the two terms: most steps read at most one input
            self.terms.reserve_exact(2);
        }
        self.terms.push(Term::text(name));
        self.terms.push(Term::value(quantity.value, quantity.unit));
        self.inputs = self.inputs.saturating_add(1);
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
        if self.inputs == 0 {
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
        separator: &'static str,
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
        separator: &'static str,
        parts: impl IntoIterator<Item = crate::Result<[Term; K]>>,
    ) -> crate::Result<Explanation> {
        self.join(separator, parts.into_iter())
    }

    /// [`joined`](Self::joined) and [`try_joined`](Self::try_joined): room
    /// for `K` terms a part and one between parts, for as many parts as the
    /// iterator can give.
    fn join<const K: usize, E>(
        mut self,
        separator: &'static str,
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
                self.push_term(Term::text(separator));
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
    pub fn terms_and_inputs<N: Into<Text>, const T: usize, const I: usize>(
        mut self,
        terms: [Term; T],
        inputs: [(N, Decimal, Unit); I],
    ) -> Explanation {
        self.append(terms.into_iter(), T.saturating_add(I.saturating_mul(2)));
        for (name, value, unit) in inputs {
            self.push_input(name.into(), Quantity { value, unit });
        }
        self
    }

    /// Appends a term in place (for formulas built in a loop).
    #[inline(always)]
    pub fn push_term(&mut self, term: Term) {
        if self.inputs == 0 {
            self.terms.push(term);
        } else {
            // the formula goes on before the inputs
            let at = self.formula_len();
            self.terms.insert(at, term);
        }
    }

    /// How many of the terms are the formula's.
    #[inline(always)]
    fn formula_len(&self) -> usize {
        self.terms
            .len()
            .saturating_sub((self.inputs as usize).saturating_mul(2))
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

    /// The step's label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The step's exact result.
    pub fn result(&self) -> Decimal {
        self.quantity.value
    }

    /// The unit of the result.
    pub fn unit(&self) -> Unit {
        self.quantity.unit
    }

    /// The formula in words.
    pub fn formula(&self) -> &[Term] {
        self.terms.get(..self.formula_len()).unwrap_or_default()
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
        Inputs(
            self.terms
                .get(self.formula_len()..)
                .unwrap_or_default()
                .chunks_exact(2),
        )
    }

    /// The steps this one was built from.
    pub fn children(&self) -> &[Explanation] {
        &self.children
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
        Steps { stack: vec![self] }
    }

    /// The first step, depth first, whose label is `label`.
    pub fn find(&self, label: &str) -> Option<&Explanation> {
        self.steps().find(|step| step.label() == label)
    }

    /// This step alone as one line: `label value = formula (inputs)`.
    pub fn statement(&self, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write_statement(&mut out, policy);
        out
    }

    /// The whole tree, one statement per line, children indented by two spaces.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    ///
    /// let bonus = Explanation::money("bonus", Decimal::from(1_200))
    ///     .value(Decimal::from(1_000), Unit::Money)
    ///     .text(" × grade coefficient ")
    ///     .value(Decimal::new(12, 1), Unit::Number)
    ///     .input("grade", Decimal::ONE, Unit::Count)
    ///     .child(Explanation::new("score", Decimal::from(92), Unit::Score));
    /// assert_eq!(
    ///     bonus.render(&RoundingPolicy::cents()),
    ///     "bonus 1,200.00 = 1,000.00 × grade coefficient 1.2 (grade = 1)\n  score 92.00\n",
    /// );
    /// ```
    pub fn render(&self, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write_tree(&mut out, policy, 0);
        out
    }

    /// Writes the tree with its first line indented `depth` times.
    pub(crate) fn write_tree(&self, out: &mut String, policy: &RoundingPolicy, depth: usize) {
        for _ in 0..depth {
            out.push_str("  ");
        }
        self.write_statement(out, policy);
        out.push('\n');
        for child in &self.children {
            child.write_tree(out, policy, depth.saturating_add(1));
        }
    }

    fn write_statement(&self, out: &mut String, policy: &RoundingPolicy) {
        out.push_str(&self.label);
        out.push(' ');
        self.quantity.write(out, policy);
        let formula = self.formula();
        if !formula.is_empty() {
            out.push_str(" = ");
            for term in formula {
                term.write(out, policy);
            }
        }
        if self.inputs > 0 {
            out.push_str(" (");
            for (i, (name, quantity)) in self.inputs().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(name);
                out.push_str(" = ");
                quantity.write(out, policy);
            }
            out.push(')');
        }
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
        Some((name.as_text()?, value.quantity()?))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Inputs<'_> {}

/// The label of [`Explanation::not_recorded`].
const NOT_RECORDED: &str = "not recorded";

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

/// Most steps have one child: the first push makes room for exactly one (a
/// vector would make room for four), later pushes grow as usual.
#[inline]
fn push_first_exact<T>(items: &mut ThinVec<T>) {
    if items.capacity() == 0 {
        items.reserve_exact(1);
    }
}

impl fmt::Display for Explanation {
    /// The tree rendered with [`RoundingPolicy::cents`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&RoundingPolicy::cents()))
    }
}

/// Depth-first iterator over the steps of an [`Explanation`]; see
/// [`Explanation::steps`].
#[derive(Debug)]
pub struct Steps<'a> {
    stack: Vec<&'a Explanation>,
}

impl<'a> Iterator for Steps<'a> {
    type Item = &'a Explanation;

    fn next(&mut self) -> Option<&'a Explanation> {
        let step = self.stack.pop()?;
        self.stack.extend(step.children.iter().rev());
        Some(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
