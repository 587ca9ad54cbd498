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

use crate::locale::{Locale, Message, MessageDef, NumberFormat};
use crate::money::{DecimalText, RoundingPolicy};
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
        if self.plain() {
            self.value.normalize()
        } else {
            self.value
        }
    }

    /// Whether it is written without trailing zeros: anything but money.
    fn plain(&self) -> bool {
        self.unit != Unit::Money
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
        self.render_in(Locale::english(), policy)
    }

    /// Renders the value for a reader of `locale`: its separators and its
    /// way of writing a percentage; money keeps its digits.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy, Unit};
    /// use perfpay::explain::Quantity;
    /// use perfpay::locale::Locale;
    ///
    /// let rate = Quantity::new(Decimal::new(125, 3), Unit::Rate);
    /// assert_eq!(rate.render_in(Locale::chinese(), &RoundingPolicy::cents()), "12.5%");
    /// ```
    pub fn render_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write(&mut out, policy, locale.numbers());
        out
    }

    fn write(&self, out: &mut String, policy: &RoundingPolicy, numbers: &NumberFormat) {
        match self.unit {
            Unit::Money => numbers.write_grouped(out, policy.round(self.value)),
            Unit::Rate => {
                // shown to at most two decimals of a percent (the value
                // itself stays exact): 22.727…% reads 22.73 %
                let percent = self.value.checked_mul(Decimal::ONE_HUNDRED).map(|p| {
                    p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                        .normalize()
                });
                match percent {
                    Some(p) => numbers.write_percent(out, p),
                    // out of range as a percentage: show the fraction itself
                    None => numbers.write_plain(out, self.value.normalize()),
                }
            }
            Unit::Score => numbers.write_plain(out, RoundingPolicy::cents().round(self.value)),
            Unit::Points | Unit::Count | Unit::Days => numbers.write_grouped(out, self.value.normalize()),
            Unit::Number => numbers.write_plain(out, self.value.normalize()),
            Unit::Ratio => {
                let shown = self
                    .value
                    .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize();
                numbers.write_plain(out, shown);
            }
        }
    }
}

/// One piece of a formula in words: words — a [`Message`] of the
/// catalogue, or literal text such as an id — or a value with its unit.
///
/// A term is 24 bytes (the unit is folded into the term's own tag), and a
/// month's explanations hold over a hundred terms per employee.
///
/// ```
/// use perfpay::{Decimal, Unit};
/// use perfpay::explain::{Quantity, Term};
/// use perfpay::locale::msg;
///
/// let times = Term::text(&msg::TIMES);
/// let rate = Term::value(Decimal::new(3, 2), Unit::Rate);
/// let rule = Term::text("cs_gate");
/// assert_eq!(times.message().map(|m| m.key()), Some("times"));
/// assert_eq!(rule.as_text(), Some("cs_gate"));
/// assert_eq!(rate.quantity(), Some(Quantity::new(Decimal::new(3, 2), Unit::Rate)));
/// assert_eq!(
///     serde_json::to_string(&[times, rate, rule]).unwrap(),
///     r#"[{"key":"times"},{"value":"0.03","unit":"rate"},"cs_gate"]"#,
/// );
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "TermDoc")]
pub struct Term(TermRepr);

/// A decimal's sign and scale in one byte (the sign in the top bit, the
/// scale, at most 28, in the low five) and its mantissa, when the mantissa
/// fits 64 bits: nearly every figure of a payroll.
#[inline]
fn pack(value: Decimal) -> Option<(u8, u64)> {
    // rust_decimal's own byte form: flags (scale in byte 2, sign in the top
    // bit of byte 3), then the mantissa's lo, mid and hi words, little endian
    let [_, _, scale, sign, l0, l1, l2, l3, m0, m1, m2, m3, h0, h1, h2, h3] = value.serialize();
    ([h0, h1, h2, h3] == [0; 4]).then(|| {
        (
            (sign & 0x80) | (scale & 0x1f),
            u64::from_le_bytes([l0, l1, l2, l3, m0, m1, m2, m3]),
        )
    })
}

/// The decimal [`pack`] packed, exactly: trailing zeros and a negative
/// zero included.
#[inline]
fn unpack(sign_scale: u8, mantissa: u64) -> Decimal {
    let [l0, l1, l2, l3, m0, m1, m2, m3] = mantissa.to_le_bytes();
    Decimal::deserialize([
        0,
        0,
        sign_scale & 0x1f,
        sign_scale & 0x80,
        l0,
        l1,
        l2,
        l3,
        m0,
        m1,
        m2,
        m3,
        0,
        0,
        0,
        0,
    ])
}

/// A step's result and the number of inputs that end its terms, in 16
/// bytes: the result packed as a term's value is, and boxed when its
/// mantissa is wider than 64 bits.
#[derive(Clone)]
enum Figure {
    Narrow {
        unit: Unit,
        sign_scale: u8,
        inputs: u32,
        mantissa: u64,
    },
    Wide {
        inputs: u32,
        quantity: Box<Quantity>,
    },
}

impl Figure {
    fn new(quantity: Quantity, inputs: u32) -> Figure {
        match pack(quantity.value) {
            Some((sign_scale, mantissa)) => Figure::Narrow {
                unit: quantity.unit,
                sign_scale,
                inputs,
                mantissa,
            },
            None => Figure::Wide {
                inputs,
                quantity: Box::new(quantity),
            },
        }
    }

    #[inline]
    fn quantity(&self) -> Quantity {
        match *self {
            Figure::Narrow {
                unit,
                sign_scale,
                mantissa,
                ..
            } => Quantity {
                value: unpack(sign_scale, mantissa),
                unit,
            },
            Figure::Wide { ref quantity, .. } => **quantity,
        }
    }

    #[inline]
    fn inputs(&self) -> u32 {
        match *self {
            Figure::Narrow { inputs, .. } | Figure::Wide { inputs, .. } => inputs,
        }
    }

    #[inline]
    fn unit(&self) -> Unit {
        match *self {
            Figure::Narrow { unit, .. } => unit,
            Figure::Wide { ref quantity, .. } => quantity.unit,
        }
    }

    /// A new result in the same unit, the inputs kept.
    #[inline]
    fn set_value(&mut self, value: Decimal) {
        if let (
            Figure::Narrow {
                sign_scale, mantissa, ..
            },
            Some(packed),
        ) = (&mut *self, pack(value))
        {
            (*sign_scale, *mantissa) = packed;
        } else {
            let unit = self.unit();
            *self = Figure::new(Quantity { value, unit }, self.inputs());
        }
    }

    fn set_unit(&mut self, new: Unit) {
        match self {
            Figure::Narrow { unit, .. } => *unit = new,
            Figure::Wide { quantity, .. } => quantity.unit = new,
        }
    }

    fn add_input(&mut self) {
        match self {
            Figure::Narrow { inputs, .. } | Figure::Wide { inputs, .. } => *inputs = inputs.saturating_add(1),
        }
    }
}

/// Numeric equality of the results, as [`Quantity`] has it.
impl PartialEq for Figure {
    fn eq(&self, other: &Figure) -> bool {
        self.inputs() == other.inputs() && self.quantity() == other.quantity()
    }
}

impl Eq for Figure {}

/// A term: literal text, a message, or a value, in 16 bytes.
///
/// An explanation holds about 140 terms per employee, so their size is most
/// of an outcome's memory. Text is one pointer ([`Text`]) and a message one
/// reference; a value keeps rust_decimal's sign, scale and the low 64 bits
/// of its 96-bit mantissa beside its unit, which holds every figure of a
/// payroll (any 19 digits). A wider mantissa, which only exact fractions
/// such as a weight of one third reach, is boxed.
#[derive(Clone)]
enum TermRepr {
    Text(Text),
    Message(&'static MessageDef),
    /// A value whose mantissa fits 64 bits ([`pack`]).
    Value {
        unit: Unit,
        sign_scale: u8,
        mantissa: u64,
    },
    /// Any other value.
    Wide(Box<Quantity>),
}

impl TermRepr {
    fn value(value: Decimal, unit: Unit) -> TermRepr {
        match pack(value) {
            Some((sign_scale, mantissa)) => TermRepr::Value {
                unit,
                sign_scale,
                mantissa,
            },
            None => TermRepr::Wide(Box::new(Quantity { value, unit })),
        }
    }
}

/// Decimal's numeric equality, as before terms were packed: `1.0` equals
/// `1.00`.
impl PartialEq for TermRepr {
    fn eq(&self, other: &TermRepr) -> bool {
        match (Term::view_of(self), Term::view_of(other)) {
            (View::Text(a), View::Text(b)) => a == b,
            (View::Message(a), View::Message(b)) => a == b,
            (View::Value(a), View::Value(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for TermRepr {}

/// A term read back: its text, its message, or its value with the unit.
enum View<'a> {
    Text(&'a Text),
    Message(&'static MessageDef),
    Value(Quantity),
}

/// The serialized form of a [`Term`] on its own: a string, a message (its
/// arguments are the terms after it in a formula), or a value with its
/// unit.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
#[cfg_attr(feature = "schema", schemars(rename = "Term"))]
enum TermDoc {
    /// Literal text such as an id: `"cs_gate"`.
    Text(Text),
    /// A message of the catalogue, by key: `{"key": "times"}`; with
    /// arguments, `{"key": "achievement-of", "args": {"goal": "gmv"}}`.
    Message(MessageDoc),
    /// A value, rendered by its unit.
    Value(Quantity),
}

/// A message as serialized: its key and, when it has any, its arguments by
/// name.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
struct MessageDoc {
    /// The message's key in the locale files.
    key: String,
    /// The message's arguments by name: each literal text or a value.
    #[serde(default)]
    args: std::collections::BTreeMap<String, Term>,
}

/// Words a formula or a label can hold as one term: literal text (a
/// `&str`, a `String`, an id — anything that is [`Text`]) or a message of
/// the catalogue without arguments (`&msg::TIMES`).
pub trait Word {
    /// The words as one term.
    fn into_term(self) -> Term;
}

impl<T: Into<Text>> Word for T {
    #[inline(always)]
    fn into_term(self) -> Term {
        Term(TermRepr::Text(self.into()))
    }
}

impl Word for &'static Message<0> {
    #[inline(always)]
    fn into_term(self) -> Term {
        Term(TermRepr::Message(self.def()))
    }
}

/// Words a step's label or formula holds: a [`Word`], or a message with its
/// arguments ([`Phrase`]).
pub trait Words {
    /// Appends the words to `terms`: the message or text, then its
    /// arguments.
    #[doc(hidden)]
    fn push_onto(self, terms: &mut ThinVec<Term>);

    /// The head term (the message or text), its arguments appended to
    /// `terms`.
    #[doc(hidden)]
    fn split_onto(self, terms: &mut ThinVec<Term>) -> Term;
}

impl<W: Word> Words for W {
    #[inline(always)]
    fn push_onto(self, terms: &mut ThinVec<Term>) {
        terms.push(self.into_term());
    }

    #[inline(always)]
    fn split_onto(self, _: &mut ThinVec<Term>) -> Term {
        self.into_term()
    }
}

/// A message with its arguments: [`Message::with`].
///
/// ```
/// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
/// use perfpay::explain::Term;
/// use perfpay::locale::{Locale, msg};
///
/// let step = Explanation::new(msg::ACHIEVEMENT_OF.with([Term::text("gmv")]), Decimal::new(95, 2), Unit::Rate);
/// assert_eq!(step.statement(&RoundingPolicy::cents()), "achievement of gmv 95 %");
/// assert_eq!(step.statement_in(Locale::chinese(), &RoundingPolicy::cents()), "gmv 达成率 95%");
/// assert_eq!(
///     serde_json::to_string(&step).unwrap(),
///     r#"{"key":"achievement-of","args":{"goal":"gmv"},"value":"0.95","unit":"rate"}"#,
/// );
/// ```
#[derive(Clone, Debug)]
pub struct Phrase<const N: usize> {
    message: &'static MessageDef,
    args: [Term; N],
}

impl<const N: usize> Message<N> {
    /// The message with its arguments, in the order of its
    /// [`args`](MessageDef::args): each literal text ([`Term::text`]) or a
    /// value ([`Term::value`]).
    pub fn with(&'static self, args: [Term; N]) -> Phrase<N> {
        Phrase {
            message: self.def(),
            args,
        }
    }
}

impl<const N: usize> Words for Phrase<N> {
    fn push_onto(self, terms: &mut ThinVec<Term>) {
        reserve_for(terms, N.saturating_add(1));
        terms.push(Term(TermRepr::Message(self.message)));
        terms.extend(self.args);
    }

    fn split_onto(self, terms: &mut ThinVec<Term>) -> Term {
        reserve_for(terms, N);
        terms.extend(self.args);
        Term(TermRepr::Message(self.message))
    }
}

/// Words kept to name steps later — in a compiled plan, a rule, a
/// commission — and copied into every employee's explanation: literal text
/// (a vendor's own name, an id), a message, or a message with one argument
/// (`rule cs_gate`).
///
/// ```
/// use perfpay::{Decimal, Explanation, RoundingPolicy};
/// use perfpay::explain::{Label, Term};
/// use perfpay::locale::{Locale, msg};
///
/// let rule = Label::with(&msg::RULE_NAMED, Term::text("cs_gate"));
/// assert_eq!(rule.to_string(), "rule cs_gate");
/// let step = Explanation::money(&rule, Decimal::from(300));
/// assert_eq!(step.statement_in(Locale::chinese(), &RoundingPolicy::cents()), "规则 cs_gate 300.00");
/// assert_eq!(Label::from("提成").to_string(), "提成");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Label {
    head: Term,
    arg: Option<Term>,
}

impl Label {
    /// A message with its one argument.
    pub fn with(message: &'static Message<1>, arg: Term) -> Label {
        Label {
            head: Term(TermRepr::Message(message.def())),
            arg: Some(arg),
        }
    }

    /// The label's literal text or its message's key: what
    /// [`Explanation::label`] gives for a step it names.
    pub fn name(&self) -> &str {
        self.head.name()
    }

    /// The label in the words of `locale`.
    pub fn render_in(&self, locale: &Locale) -> String {
        let mut out = String::new();
        let args = self.arg.as_slice();
        write_said(&mut out, &self.head, args, &RoundingPolicy::cents(), locale);
        out
    }
}

impl From<&'static Message<0>> for Label {
    fn from(message: &'static Message<0>) -> Label {
        Label {
            head: Term(TermRepr::Message(message.def())),
            arg: None,
        }
    }
}

impl From<Text> for Label {
    /// Literal text, held so that copies of it copy nothing.
    fn from(text: Text) -> Label {
        Label {
            head: Term(TermRepr::Text(text)),
            arg: None,
        }
    }
}

impl From<&'static str> for Label {
    fn from(text: &'static str) -> Label {
        Label::from(Text::from(text))
    }
}

impl From<String> for Label {
    fn from(text: String) -> Label {
        Label::from(Text::from(text))
    }
}

impl fmt::Display for Label {
    /// The label in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_in(Locale::english()))
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.arg {
            Some(arg) => write!(f, "{:?}({arg:?})", self.head),
            None => fmt::Debug::fmt(&self.head, f),
        }
    }
}

impl Words for &Label {
    #[inline(always)]
    fn push_onto(self, terms: &mut ThinVec<Term>) {
        reserve_for(terms, 1usize.saturating_add(usize::from(self.arg.is_some())));
        terms.push(self.head.clone());
        terms.extend(self.arg.clone());
    }

    #[inline(always)]
    fn split_onto(self, terms: &mut ThinVec<Term>) -> Term {
        terms.extend(self.arg.clone());
        self.head.clone()
    }
}

impl Words for Label {
    #[inline(always)]
    fn push_onto(self, terms: &mut ThinVec<Term>) {
        reserve_for(terms, 1usize.saturating_add(usize::from(self.arg.is_some())));
        terms.push(self.head);
        terms.extend(self.arg);
    }

    #[inline(always)]
    fn split_onto(self, terms: &mut ThinVec<Term>) -> Term {
        terms.extend(self.arg);
        self.head
    }
}

/// Words kept for a reader, such as a finding's message: literal text, or a
/// message with its arguments, rendered in any locale when asked. Written
/// as JSON as a string (literal text) or `{"key", "args"?}`; displayed in
/// English.
///
/// ```
/// use perfpay::{Decimal, Unit};
/// use perfpay::explain::{Said, Term};
/// use perfpay::locale::{Locale, msg};
///
/// let said = Said::new(msg::ACHIEVEMENT_OF.with([Term::text("gmv")]));
/// assert_eq!(said.to_string(), "achievement of gmv");
/// assert_eq!(said.render_in(Locale::chinese()), "gmv 达成率");
/// assert_eq!(serde_json::to_string(&said).unwrap(), r#"{"key":"achievement-of","args":{"goal":"gmv"}}"#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Said {
    /// The message or text, then the message's arguments.
    terms: ThinVec<Term>,
}

impl Said {
    /// The words kept.
    pub fn new(words: impl Words) -> Said {
        let mut terms = ThinVec::new();
        words.push_onto(&mut terms);
        Said { terms }
    }

    /// The words in `locale`; numbers written by the cents policy.
    pub fn render_in(&self, locale: &Locale) -> String {
        let mut out = String::new();
        write_terms(&mut out, &self.terms, &RoundingPolicy::cents(), locale);
        out
    }

    /// The message, when a message says the words.
    pub fn message(&self) -> Option<&'static MessageDef> {
        self.terms.first().and_then(Term::message)
    }

    /// The English words, for a test that a text is among them.
    ///
    /// ```
    /// use perfpay::explain::Said;
    ///
    /// assert!(Said::new("targets may be too high").contains("too high"));
    /// ```
    pub fn contains(&self, text: &str) -> bool {
        self.to_string().contains(text)
    }
}

impl fmt::Display for Said {
    /// The words in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_in(Locale::english()))
    }
}

impl fmt::Debug for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.terms, f)
    }
}

/// Reads what [`Serialize`] writes: a string is literal text, `{"key",
/// "args"?}` a message of the catalogue (an unknown key or a missing
/// argument is refused).
impl<'de> Deserialize<'de> for Said {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Said, D::Error> {
        let mut terms = ThinVec::new();
        match TermDoc::deserialize(deserializer)? {
            TermDoc::Text(text) => terms.push(Term::text(text)),
            TermDoc::Message(doc) => {
                let (head, args) = message_terms(doc).map_err(serde::de::Error::custom)?;
                terms.push(head);
                terms.extend(args);
            }
            TermDoc::Value(q) => terms.push(Term::value(q.value, q.unit)),
        }
        Ok(Said { terms })
    }
}

/// The words said again, in a formula or a label.
impl Words for &Said {
    fn push_onto(self, terms: &mut ThinVec<Term>) {
        reserve_for(terms, self.terms.len());
        terms.extend(self.terms.iter().cloned());
    }

    fn split_onto(self, terms: &mut ThinVec<Term>) -> Term {
        match self.terms.split_first() {
            Some((head, args)) => {
                terms.extend(args.iter().cloned());
                head.clone()
            }
            None => Term::text(crate::text!("")),
        }
    }
}

impl Serialize for Said {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.terms.split_first() {
            Some((head, args)) => SaidTerm(head, args).serialize(serializer),
            None => serializer.serialize_str(""),
        }
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Said {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Said".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        FormulaTermDoc::json_schema(generator)
    }
}

/// Makes room for exactly `wanted` more items when there is less.
#[inline(always)]
fn reserve_for<T>(items: &mut ThinVec<T>, wanted: usize) {
    if items.capacity().saturating_sub(items.len()) < wanted {
        items.reserve_exact(wanted);
    }
}

impl Term {
    /// Words: literal text, such as an id, or a message of the catalogue
    /// without arguments (`Term::text(&msg::TIMES)`).
    #[inline(always)]
    pub fn text(words: impl Word) -> Term {
        words.into_term()
    }

    /// A value, rendered by its unit.
    pub fn value(value: Decimal, unit: Unit) -> Term {
        Term(TermRepr::value(value, unit))
    }

    /// The text, when the term is literal text.
    pub fn as_text(&self) -> Option<&str> {
        match self.view() {
            View::Text(text) => Some(text),
            View::Message(_) | View::Value(_) => None,
        }
    }

    /// The message, when the term is one.
    pub fn message(&self) -> Option<&'static MessageDef> {
        match self.view() {
            View::Message(message) => Some(message),
            View::Text(_) | View::Value(_) => None,
        }
    }

    /// The value and its unit, when the term is a value.
    pub fn quantity(&self) -> Option<Quantity> {
        match self.view() {
            View::Text(_) | View::Message(_) => None,
            View::Value(quantity) => Some(quantity),
        }
    }

    /// How many of the terms after this one are its arguments.
    fn arity(&self) -> usize {
        self.message().map_or(0, |m| m.args().len())
    }

    /// The text, or the message's key: what a step's label or an input's
    /// name is looked up by.
    fn name(&self) -> &str {
        match self.view() {
            View::Text(text) => text,
            View::Message(message) => message.key(),
            View::Value(_) => "",
        }
    }

    fn view(&self) -> View<'_> {
        Term::view_of(&self.0)
    }

    #[inline]
    fn view_of(repr: &TermRepr) -> View<'_> {
        match *repr {
            TermRepr::Text(ref text) => View::Text(text),
            TermRepr::Message(message) => View::Message(message),
            TermRepr::Value {
                unit,
                sign_scale,
                mantissa,
            } => View::Value(Quantity {
                value: unpack(sign_scale, mantissa),
                unit,
            }),
            TermRepr::Wide(ref quantity) => View::Value(**quantity),
        }
    }
}

/// Writes `terms` for a reader of `locale`: a message takes the terms after
/// it as its arguments.
fn write_terms(out: &mut String, terms: &[Term], policy: &RoundingPolicy, locale: &Locale) {
    let mut rest = terms;
    while let Some((term, after)) = rest.split_first() {
        let (args, after) = after.split_at(term.arity().min(after.len()));
        rest = after;
        write_said(out, term, args, policy, locale);
    }
}

/// Writes one term for a reader of `locale`: text, a value, or a message
/// with `args`.
fn write_said(out: &mut String, term: &Term, args: &[Term], policy: &RoundingPolicy, locale: &Locale) {
    match term.view() {
        View::Text(text) => out.push_str(locale.name_of(text)),
        View::Value(quantity) => quantity.write(out, policy, locale.numbers()),
        View::Message(message) if message.args().is_empty() => locale.write(out, message),
        View::Message(message) => locale.write_each(out, message, &mut |out, i| match args.get(i) {
            Some(arg) => write_said(out, arg, &[], policy, locale),
            // an argument the explanation lacks: its name
            None => out.push_str(message.args().get(i).copied().unwrap_or_default()),
        }),
    }
}

/// Serializes `terms` as a formula: a message and its arguments as one
/// object.
struct Formula<'a>(&'a [Term]);

impl Serialize for Formula<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        let mut rest = self.0;
        while let Some((term, after)) = rest.split_first() {
            let (args, after) = after.split_at(term.arity().min(after.len()));
            rest = after;
            seq.serialize_element(&SaidTerm(term, args))?;
        }
        seq.end()
    }
}

/// A term with its arguments, serialized: a string, a value, or
/// `{"key", "args"?}`.
struct SaidTerm<'a>(&'a Term, &'a [Term]);

impl Serialize for SaidTerm<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0.view() {
            View::Text(text) => text.serialize(serializer),
            View::Value(quantity) => quantity.serialize(serializer),
            View::Message(message) => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("key", message.key())?;
                if !self.1.is_empty() {
                    map.serialize_entry("args", &Args(message, self.1))?;
                }
                map.end()
            }
        }
    }
}

/// A message's arguments by name.
struct Args<'a>(&'static MessageDef, &'a [Term]);

impl Serialize for Args<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.1.len()))?;
        for (name, arg) in self.0.args().iter().zip(self.1) {
            map.serialize_entry(name, &SaidTerm(arg, &[]))?;
        }
        map.end()
    }
}

impl fmt::Debug for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.view() {
            View::Text(text) => fmt::Debug::fmt(text, f),
            View::Message(message) => write!(f, "msg:{}", message.key()),
            View::Value(quantity) => fmt::Debug::fmt(&quantity, f),
        }
    }
}

/// A quantity's value as it is written ([`Quantity::written`]): the string
/// rust_decimal's `Serialize` gives, made on the stack ([`DecimalText`]).
struct Written(Quantity);

impl Serialize for Written {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(DecimalText::of(self.0.value, self.0.plain()).as_str())
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Quantity", 2)?;
        out.serialize_field("value", &Written(*self))?;
        out.serialize_field("unit", &self.unit)?;
        out.end()
    }
}

impl Serialize for Term {
    /// A string for literal text, `{"key": …}` for a message (its
    /// arguments are serialized with it in a formula), `{"value": …,
    /// "unit": …}` for a value.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SaidTerm(self, &[]).serialize(serializer)
    }
}

/// A message read back, with its arguments in the order of its definition.
fn message_terms(doc: MessageDoc) -> Result<(Term, Vec<Term>), String> {
    let Some(message) = MessageDef::find(&doc.key) else {
        return Err(format!("unknown message key {:?}", doc.key));
    };
    let mut args = Vec::with_capacity(message.args().len());
    for name in message.args() {
        match doc.args.get(*name) {
            Some(term) => args.push(term.clone()),
            None => return Err(format!("message {:?} lacks its argument {name:?}", doc.key)),
        }
    }
    if let Some(extra) = doc.args.keys().find(|n| !message.args().contains(&n.as_str())) {
        return Err(format!("message {:?} has no argument {extra:?}", doc.key));
    }
    Ok((Term(TermRepr::Message(message)), args))
}

impl TryFrom<TermDoc> for Term {
    type Error = String;

    /// A term on its own: a message with arguments is refused here (its
    /// arguments need a formula to follow it).
    fn try_from(doc: TermDoc) -> Result<Term, String> {
        match doc {
            TermDoc::Text(text) => Ok(Term::text(text)),
            TermDoc::Value(q) => Ok(Term::value(q.value, q.unit)),
            TermDoc::Message(m) => match message_terms(m)? {
                (term, args) if args.is_empty() => Ok(term),
                (term, _) => Err(format!("message {:?} takes arguments", term.name())),
            },
        }
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Term {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        TermDoc::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TermDoc::json_schema(generator)
    }
}

/// A formula term as read back: a term, or a message with its arguments.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
#[cfg_attr(feature = "schema", schemars(rename = "FormulaTerm"))]
enum FormulaTermDoc {
    /// Literal text.
    Text(Text),
    /// A message of the catalogue with its arguments.
    Message(MessageDoc),
    /// A value.
    Value(Quantity),
}

/// Appends a formula read back to `terms`.
fn push_formula(terms: &mut ThinVec<Term>, formula: Vec<FormulaTermDoc>) -> Result<(), String> {
    for doc in formula {
        match doc {
            FormulaTermDoc::Text(text) => terms.push(Term::text(text)),
            FormulaTermDoc::Value(q) => terms.push(Term::value(q.value, q.unit)),
            FormulaTermDoc::Message(m) => {
                let (head, args) = message_terms(m)?;
                terms.push(head);
                terms.extend(args);
            }
        }
    }
    Ok(())
}

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
    #[serde(flatten)]
    quantity: Quantity,
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
    #[serde(flatten)]
    quantity: Quantity,
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
            figure: Figure::new(doc.quantity, 0),
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
            step.push_input(name, input.quantity);
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
                for pair in self.0.input_terms() {
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
            map.serialize_entry("children", self.children())?;
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
            s.field("children", &self.children());
        }
        s.finish()
    }
}

impl Explanation {
    /// A step labelled `label` — a message of the catalogue (`&msg::GROSS`,
    /// or one with arguments: [`Message::with`]) or literal text such as an
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
        Explanation::new(&crate::locale::msg::NOT_RECORDED, Decimal::ZERO, Unit::Count)
    }

    /// Whether this step was recorded: `false` only for
    /// [`not_recorded`](Self::not_recorded).
    pub fn is_recorded(&self) -> bool {
        !(self.label.message() == Some(crate::locale::msg::NOT_RECORDED.def())
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

    /// The step's label: its literal text, or the key of the message that
    /// names it (`commission`, `achievement-of`).
    pub fn label(&self) -> &str {
        self.label.name()
    }

    /// The message naming the step, when a message does.
    pub fn label_message(&self) -> Option<&'static MessageDef> {
        self.label.message()
    }

    /// The arguments of the message naming the step (empty for a literal
    /// label), in the order of [`MessageDef::args`].
    pub fn label_args(&self) -> &[Term] {
        self.terms.get(..self.label.arity()).unwrap_or_default()
    }

    /// The step's label as a reader of `locale` reads it.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation};
    /// use perfpay::locale::{Locale, msg};
    ///
    /// let net = Explanation::money(&msg::NET_PAY, Decimal::from(9_000));
    /// assert_eq!(net.label_in(Locale::chinese()), "实发工资");
    /// ```
    pub fn label_in(&self, locale: &Locale) -> String {
        let mut out = String::new();
        self.write_label(&mut out, &RoundingPolicy::cents(), locale);
        out
    }

    fn write_label(&self, out: &mut String, policy: &RoundingPolicy, locale: &Locale) {
        write_said(out, &self.label, self.label_args(), policy, locale);
    }

    /// The step's exact result.
    pub fn result(&self) -> Decimal {
        self.figure.quantity().value
    }

    /// The unit of the result.
    pub fn unit(&self) -> Unit {
        self.figure.unit()
    }

    /// The formula in words.
    pub fn formula(&self) -> &[Term] {
        let start = self.label.arity().min(self.formula_end());
        self.terms.get(start..self.formula_end()).unwrap_or_default()
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
        Inputs(self.input_terms())
    }

    /// Each input's name and value, as terms.
    fn input_terms(&self) -> std::slice::ChunksExact<'_, Term> {
        self.terms
            .get(self.formula_end()..)
            .unwrap_or_default()
            .chunks_exact(2)
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
        self.statement_in(Locale::english(), policy)
    }

    /// This step alone as one line, in the words of `locale`.
    pub fn statement_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write_statement(&mut out, policy, locale);
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
        self.render_in(Locale::english(), policy)
    }

    /// The whole tree in the words of `locale`, one statement per line.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    /// use perfpay::locale::{Locale, msg};
    ///
    /// let net = Explanation::money(&msg::NET_PAY, Decimal::from(9_000))
    ///     .child(Explanation::new(&msg::SCORE, Decimal::from(92), Unit::Score));
    /// assert_eq!(net.render_in(Locale::chinese(), &RoundingPolicy::cents()), "实发工资 9,000.00\n  绩效得分 92.00\n");
    /// ```
    pub fn render_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write_tree(&mut out, policy, locale, 0);
        out
    }

    /// Writes the tree with its first line indented `depth` times.
    pub(crate) fn write_tree(
        &self,
        out: &mut String,
        policy: &RoundingPolicy,
        locale: &Locale,
        depth: usize,
    ) {
        self.write_step(out, policy, locale, depth);
        for child in &self.children {
            child.write_tree(out, policy, locale, depth.saturating_add(1));
        }
    }

    /// The step's own line, indented `depth` levels, without its children.
    pub(crate) fn write_step(
        &self,
        out: &mut String,
        policy: &RoundingPolicy,
        locale: &Locale,
        depth: usize,
    ) {
        for _ in 0..depth {
            out.push_str("  ");
        }
        self.write_statement(out, policy, locale);
        out.push('\n');
    }

    fn write_statement(&self, out: &mut String, policy: &RoundingPolicy, locale: &Locale) {
        use crate::locale::msg;
        self.write_label(out, policy, locale);
        locale.write(out, msg::STATEMENT_RESULT.def());
        self.figure.quantity().write(out, policy, locale.numbers());
        let formula = self.formula();
        if !formula.is_empty() {
            locale.write(out, msg::STATEMENT_EQUALS.def());
            write_terms(out, formula, policy, locale);
        }
        if self.figure.inputs() > 0 {
            locale.write(out, msg::STATEMENT_INPUTS_OPEN.def());
            for (i, pair) in self.input_terms().enumerate() {
                if i > 0 {
                    locale.write(out, msg::STATEMENT_INPUTS_BETWEEN.def());
                }
                write_terms(out, pair.get(..1).unwrap_or_default(), policy, locale);
                locale.write(out, msg::STATEMENT_INPUT_EQUALS.def());
                write_terms(out, pair.get(1..).unwrap_or_default(), policy, locale);
            }
            locale.write(out, msg::STATEMENT_INPUTS_CLOSE.def());
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
        Some((name.name(), value.quantity()?))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Inputs<'_> {}

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
