//! Terms: the pieces of a formula in words, packed small, and their
//! serialized form.

use std::fmt;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::money::DecimalText;
use crate::text::MessageDef;
use crate::text::Text;

use super::*;

/// One piece of a formula in words: words — a
/// [`Message`](crate::locale::Message) of the catalogue, or literal text
/// such as an id — or a value with its unit.
///
/// A term is 16 bytes (a value's unit, sign and scale share the term's
/// tag word; see `tests/explain.rs`), and a month's explanations hold
/// about 140 terms per employee.
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
pub struct Term(pub(super) TermRepr);

/// A decimal's sign and scale in one byte (the sign in the top bit, the
/// scale, at most 28, in the low five) and its mantissa, when the mantissa
/// fits 64 bits: nearly every figure of a payroll.
#[inline]
pub(super) fn pack(value: Decimal) -> Option<(u8, u64)> {
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
pub(super) fn unpack(sign_scale: u8, mantissa: u64) -> Decimal {
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
pub(super) enum Figure {
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
    pub(super) fn new(quantity: Quantity, inputs: u32) -> Figure {
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
    pub(super) fn quantity(&self) -> Quantity {
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
    pub(super) fn inputs(&self) -> u32 {
        match *self {
            Figure::Narrow { inputs, .. } | Figure::Wide { inputs, .. } => inputs,
        }
    }

    #[inline]
    pub(super) fn unit(&self) -> Unit {
        match *self {
            Figure::Narrow { unit, .. } => unit,
            Figure::Wide { ref quantity, .. } => quantity.unit,
        }
    }

    /// A new result in the same unit, the inputs kept.
    #[inline]
    pub(super) fn set_value(&mut self, value: Decimal) {
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

    pub(super) fn set_unit(&mut self, new: Unit) {
        match self {
            Figure::Narrow { unit, .. } => *unit = new,
            Figure::Wide { quantity, .. } => quantity.unit = new,
        }
    }

    pub(super) fn add_input(&mut self) {
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
pub(super) enum TermRepr {
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
    pub(super) fn value(value: Decimal, unit: Unit) -> TermRepr {
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
pub(crate) enum View<'a> {
    Text(&'a Text),
    Message(&'static MessageDef),
    Value(Quantity),
}

/// The serialized form of a [`Term`] on its own: a string, a message (its
/// arguments are the terms after it in a formula), or a value with its
/// unit.
// Read by looking at what comes (a string; a map with `key`; a map with
// `value` and `unit`), not by trying each form in turn: an untagged enum
// buffers every term and builds an error for each form that fails, which
// made reading a stored outcome back nearly twice as slow.
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(untagged, rename = "Term"))]
pub(super) enum TermDoc {
    /// Literal text such as an id: `"cs_gate"`.
    Text(Text),
    /// A message of the catalogue, by key: `{"key": "times"}`; with
    /// arguments, `{"key": "achievement-of", "args": {"goal": "gmv"}}`.
    Message(MessageDoc),
    /// A value, rendered by its unit.
    Value(Quantity),
}

impl<'de> Deserialize<'de> for TermDoc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TermDoc, D::Error> {
        deserializer.deserialize_any(TermVisitor)
    }
}

impl<'de> Deserialize<'de> for FormulaTermDoc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FormulaTermDoc, D::Error> {
        Ok(match TermDoc::deserialize(deserializer)? {
            TermDoc::Text(text) => FormulaTermDoc::Text(text),
            TermDoc::Message(message) => FormulaTermDoc::Message(message),
            TermDoc::Value(quantity) => FormulaTermDoc::Value(quantity),
        })
    }
}

/// The fields a term's map may have.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum TermField {
    Key,
    Args,
    Value,
    Unit,
    #[serde(other)]
    Other,
}

struct TermVisitor;

impl<'de> serde::de::Visitor<'de> for TermVisitor {
    type Value = TermDoc;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(r#"text, a message {"key", "args"} or a value {"value", "unit"}"#)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<TermDoc, E> {
        Ok(TermDoc::Text(Text::from(text.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<TermDoc, E> {
        Ok(TermDoc::Text(Text::from(text)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TermDoc, A::Error> {
        let (mut key, mut args, mut value, mut unit, mut other) = (None, None, None, None, false);
        while let Some(field) = map.next_key::<TermField>()? {
            match field {
                TermField::Key => key = Some(map.next_value::<String>()?),
                TermField::Args => args = Some(map.next_value::<std::collections::BTreeMap<String, Term>>()?),
                TermField::Value => value = Some(map.next_value::<Decimal>()?),
                TermField::Unit => unit = Some(map.next_value::<Unit>()?),
                TermField::Other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    other = true;
                }
            }
        }
        // a message takes no other field; a value ignores any other, as
        // they were read before
        match (key, value, unit) {
            (Some(key), None, None) if !other => Ok(TermDoc::Message(MessageDoc {
                key,
                args: args.unwrap_or_default(),
            })),
            (None, Some(value), Some(unit)) if args.is_none() => Ok(TermDoc::Value(Quantity { value, unit })),
            _ => Err(serde::de::Error::custom(
                r#"a term is text, a message {"key", "args"} or a value {"value", "unit"}"#,
            )),
        }
    }
}

/// A message as serialized: its key and, when it has any, its arguments by
/// name.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(super) struct MessageDoc {
    /// The message's key in the locale files.
    pub(super) key: String,
    /// The message's arguments by name: each literal text or a value.
    #[serde(default)]
    pub(super) args: std::collections::BTreeMap<String, Term>,
}

/// Makes room for exactly `wanted` more items when there is less.
#[inline(always)]
pub(super) fn reserve_for<T>(items: &mut ThinVec<T>, wanted: usize) {
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
    pub(crate) fn arity(&self) -> usize {
        self.message().map_or(0, |m| m.args().len())
    }

    /// The text, or the message's key: what a step's label or an input's
    /// name is looked up by.
    pub(super) fn name(&self) -> &str {
        match self.view() {
            View::Text(text) => text,
            View::Message(message) => message.key(),
            View::Value(_) => "",
        }
    }

    pub(crate) fn view(&self) -> View<'_> {
        Term::view_of(&self.0)
    }

    #[inline]
    pub(super) fn view_of(repr: &TermRepr) -> View<'_> {
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

/// Serializes `terms` as a formula: a message and its arguments as one
/// object.
pub(super) struct Formula<'a>(pub(super) &'a [Term]);

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
pub(super) struct SaidTerm<'a>(pub(super) &'a Term, pub(super) &'a [Term]);

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
pub(super) struct Args<'a>(pub(super) &'static MessageDef, pub(super) &'a [Term]);

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
pub(super) struct Written(pub(super) Quantity);

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
pub(super) fn message_terms(doc: MessageDoc) -> Result<(Term, Vec<Term>), String> {
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
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(untagged, rename = "FormulaTerm"))]
pub(super) enum FormulaTermDoc {
    /// Literal text.
    Text(Text),
    /// A message of the catalogue with its arguments.
    Message(MessageDoc),
    /// A value.
    Value(Quantity),
}

/// Appends a formula read back to `terms`.
pub(super) fn push_formula(terms: &mut ThinVec<Term>, formula: Vec<FormulaTermDoc>) -> Result<(), String> {
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
