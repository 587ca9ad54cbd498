//! Words a step is labelled with or a formula holds: literal text, or
//! messages of the catalogue with their arguments.

use std::fmt;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::text::Text;
use crate::text::{Message, MessageDef};

use super::*;

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

    /// The message or text, and the message's argument.
    pub(crate) fn parts(&self) -> (&Term, &[Term]) {
        (&self.head, self.arg.as_slice())
    }

    /// The label's literal text or its message's key: what
    /// [`Explanation::label`] gives for a step it names.
    pub fn name(&self) -> &str {
        self.head.name()
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

    /// The message or text, then the message's arguments.
    pub(crate) fn terms(&self) -> &[Term] {
        &self.terms
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
