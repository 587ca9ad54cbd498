//! Locales: the words of explanations, in the reader's language.
//!
//! An explanation holds no prose. Its labels and the words of its formulas
//! are [`Message`]s — a key and the names of its arguments, one `static`
//! per message in [`msg`] — and its numbers are values with a unit. Text is
//! made only when a reader asks for it, in a [`Locale`]: the messages of
//! one language, read from [Fluent](https://projectfluent.org) files, and
//! how that language writes numbers.
//!
//! Two locales are built in, from the files under `locales/` in the
//! crate: [`Locale::english`] (`en`, the default) and
//! [`Locale::chinese`] (`zh-CN`). A vendor copies a folder, translates it
//! and loads it with [`Locale::from_ftl`]; a message the vendor's files
//! lack falls back to English and is listed by [`Locale::missing`].
//!
//! ```
//! use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
//! use perfpay::explain::Term;
//! use perfpay::locale::{Locale, msg};
//!
//! let cents = RoundingPolicy::cents();
//! let bonus = Explanation::money(&msg::PERFORMANCE_BONUS, Decimal::from(1_200)).terms([
//!     Term::value(Decimal::from(1_000), Unit::Money),
//!     Term::text(&msg::TIMES_GRADE),
//!     Term::text("A"),
//! ]);
//! assert_eq!(bonus.statement(&cents), "performance bonus 1,200.00 = 1,000.00 × grade A");
//! assert_eq!(bonus.statement_in(Locale::chinese(), &cents), "绩效奖金 1,200.00 = 1,000.00 × 等级 A");
//! ```
//!
//! # The locale files
//!
//! A locale is one or more `.ftl` files. Each message of [`msg`] is one
//! Fluent message with the same key; a message with arguments names them as
//! Fluent variables (`achievement-of = achievement of { $goal }`). Fluent
//! trims the blanks at either end of a message, so words that begin or end
//! with one write it as a string literal: `times = {" × "}`. Besides the
//! messages of the explanations, a locale says how it writes numbers:
//! `number-group-separator`, `number-decimal-separator` and `unit-rate`
//! (a percentage, `{ $value } %`). Money keeps its exact digits in every
//! locale; only the separators change.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::{Arc, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rust_decimal::Decimal;

use crate::error::{Error, Problem, Result};
use crate::text::line_column;

pub use crate::text::message::{Message, MessageDef, msg};

mod render;

/// How a locale writes numbers: the separators of thousands and of
/// decimals, and a percentage's words around its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberFormat {
    group: Box<str>,
    decimal: Box<str>,
    percent_before: Box<str>,
    percent_after: Box<str>,
}

impl NumberFormat {
    /// Writes `value` as it is, with the locale's decimal separator.
    pub fn write_plain(&self, out: &mut String, value: Decimal) {
        if &*self.decimal == "." {
            // as `Decimal` writes it: nothing to change
            let _ = write!(out, "{value}");
        } else {
            with_digits(value, |text| self.push_number(out, text, false));
        }
    }

    /// Writes `value` with the locale's separators of thousands and of
    /// decimals: `1,234,567.89`.
    pub fn write_grouped(&self, out: &mut String, value: Decimal) {
        with_digits(value, |text| self.push_number(out, text, true));
    }

    /// Writes a percentage, `percent` being already in percent: `3 %`.
    pub fn write_percent(&self, out: &mut String, percent: Decimal) {
        out.push_str(&self.percent_before);
        self.write_plain(out, percent);
        out.push_str(&self.percent_after);
    }

    /// Writes a number written by `Decimal`'s `Display` (`-1234.5`, ASCII)
    /// with the locale's separators.
    fn push_number(&self, out: &mut String, text: &[u8], grouped: bool) {
        let (sign, digits) = match text.split_first() {
            Some((b'-', rest)) => ("-", rest),
            _ => ("", text),
        };
        let (int, frac) = match digits.iter().position(|&b| b == b'.') {
            Some(at) => (
                digits.get(..at).unwrap_or_default(),
                digits.get(at.saturating_add(1)..),
            ),
            None => (digits, None),
        };
        out.push_str(sign);
        let len = int.len();
        for (i, &b) in int.iter().enumerate() {
            if grouped && i > 0 && len.saturating_sub(i) % 3 == 0 {
                out.push_str(&self.group);
            }
            out.push(char::from(b));
        }
        if let Some(frac) = frac {
            out.push_str(&self.decimal);
            frac.iter().for_each(|&b| out.push(char::from(b)));
        }
    }
}

/// Calls `f` with `value` as `Decimal` writes it (`-1234.5`), written on
/// the stack: a number is at most 30 characters, all ASCII.
fn with_digits(value: Decimal, f: impl FnOnce(&[u8])) {
    let mut digits = Digits { buf: [0; 48], len: 0 };
    if write!(digits, "{value}").is_ok()
        && let Some(text) = digits.buf.get(..digits.len)
    {
        f(text);
        return;
    }
    f(value.to_string().as_bytes());
}

/// A number's characters on the stack.
struct Digits {
    buf: [u8; 48],
    len: usize,
}

impl fmt::Write for Digits {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let room = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        room.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A piece of a message read once: text, or the argument at an index.
enum Piece {
    Text(Box<str>),
    Arg(usize),
}

/// The pieces of a message whose pattern is text, string literals and
/// arguments only; `None` for anything else (a selector, a function, a
/// reference to another message, an escape), which Fluent formats.
fn pieces(bundle: &FluentBundle<FluentResource>, def: &MessageDef) -> Option<Vec<Piece>> {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    let pattern = bundle.get_message(def.key())?.value()?;
    let mut out = Vec::with_capacity(pattern.elements.len());
    for element in &pattern.elements {
        out.push(match element {
            PatternElement::TextElement { value } => Piece::Text((*value).into()),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::StringLiteral { value }),
            } if !value.contains('\\') => Piece::Text((*value).into()),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::VariableReference { id }),
            } => Piece::Arg(def.args().iter().position(|a| *a == id.name)?),
            PatternElement::Placeable { .. } => return None,
        });
    }
    Some(out)
}

/// What a locale holds for one message of the catalogue.
enum Entry {
    /// A message without arguments, written out once when the locale was
    /// made.
    Plain(Box<str>),
    /// A message with arguments that is text and arguments only (no
    /// selector, no function): written piece by piece, without Fluent.
    Pieces(Vec<Piece>),
    /// A message with arguments: formatted by the bundle at this index
    /// (the locale's own, or English's in its place).
    Pattern(usize),
    /// A message no locale has, English included: written as its key.
    Key,
}

/// The messages of one language and how it writes numbers. Cheap to share
/// (`Send + Sync`); make one per language and keep it.
///
/// A locale may also carry display names ([`with_names`](Self::with_names)):
/// the words a plan gives its own ids in this language — grades, roles,
/// metrics, contributions. A copy with names shares the messages.
#[derive(Clone)]
pub struct Locale {
    inner: Arc<Messages>,
    /// Literal text (an id) → its display name.
    names: Arc<BTreeMap<Box<str>, Box<str>>>,
}

/// A locale's messages and number format.
struct Messages {
    tag: String,
    entries: Vec<Entry>,
    /// The locale's own bundle and, when it is not English, English's for
    /// the messages it lacks.
    bundles: Vec<FluentBundle<FluentResource>>,
    numbers: NumberFormat,
    missing: Vec<&'static str>,
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Locale")
            .field("tag", &self.inner.tag)
            .field("numbers", &self.inner.numbers)
            .field("missing", &self.inner.missing)
            .field("names", &self.names.len())
            .finish_non_exhaustive()
    }
}

/// The English messages, built in.
const ENGLISH: &str = include_str!("../locales/en/perfpay.ftl");
/// The Simplified Chinese messages, built in.
const CHINESE: &str = include_str!("../locales/zh-CN/perfpay.ftl");

impl Locale {
    /// English (`en`), the default: what [`Explanation::render`] and every
    /// rendering without a locale use.
    ///
    /// [`Explanation::render`]: crate::Explanation::render
    pub fn english() -> &'static Locale {
        static ENGLISH_LOCALE: OnceLock<Locale> = OnceLock::new();
        ENGLISH_LOCALE.get_or_init(|| Locale::built_in("en", ENGLISH, None))
    }

    /// Simplified Chinese (`zh-CN`).
    pub fn chinese() -> &'static Locale {
        static CHINESE_LOCALE: OnceLock<Locale> = OnceLock::new();
        CHINESE_LOCALE.get_or_init(|| Locale::built_in("zh-CN", CHINESE, Some(english_bundle())))
    }

    /// The built-in locale for a language tag: `en` (and `en-…`), or
    /// `zh-CN` (and `zh`, `zh-Hans`, `zh-Hans-CN`).
    ///
    /// ```
    /// use perfpay::locale::Locale;
    ///
    /// assert_eq!(Locale::built_in_for("zh-Hans").map(Locale::tag), Some("zh-CN"));
    /// assert_eq!(Locale::built_in_for("en-GB").map(Locale::tag), Some("en"));
    /// assert!(Locale::built_in_for("de").is_none());
    /// ```
    pub fn built_in_for(tag: &str) -> Option<&'static Locale> {
        let lower = tag.to_ascii_lowercase();
        let language = lower.split(['-', '_']).next().unwrap_or_default();
        match language {
            "en" => Some(Locale::english()),
            "zh" if !lower.contains("hant") && !lower.ends_with("-tw") && !lower.ends_with("-hk") => {
                Some(Locale::chinese())
            }
            _ => None,
        }
    }

    /// A locale from Fluent files a vendor wrote (`files`: each file's name,
    /// for errors, and its text). Messages the files lack fall back to
    /// English and are listed by [`missing`](Self::missing); the files may
    /// hold messages of their own beyond perfpay's.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    /// use perfpay::locale::{Locale, msg};
    ///
    /// let ftl = "performance-bonus = Leistungsbonus\nnumber-group-separator = .\nnumber-decimal-separator = ,\n";
    /// let german = Locale::from_ftl("de", &[("perfpay.ftl", ftl)])?;
    /// let bonus = Explanation::money(&msg::PERFORMANCE_BONUS, Decimal::new(120_050, 2));
    /// assert_eq!(bonus.statement_in(&german, &RoundingPolicy::cents()), "Leistungsbonus 1.200,50");
    /// assert!(german.missing().contains(&"times"));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An invalid language tag, or Fluent syntax errors: every one, each
    /// with its file, line and column.
    pub fn from_ftl(tag: &str, files: &[(&str, &str)]) -> Result<Locale> {
        let lang: unic_langid::LanguageIdentifier = tag
            .parse()
            .map_err(|e| Error::invalid_input(format!("locale {tag:?}: not a language tag ({e})")))?;
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        bundle.set_use_isolating(false);
        let mut problems = Vec::new();
        for (name, text) in files {
            match FluentResource::try_new((*text).to_owned()) {
                Ok(resource) => {
                    if let Err(errors) = bundle.add_resource(resource) {
                        for e in errors {
                            problems.push(Problem::new(*name, e.to_string()));
                        }
                    }
                }
                Err((_, errors)) => {
                    for e in errors {
                        let (line, column) = line_column(text, e.pos.start);
                        problems.push(Problem::new(
                            format!("{name} (line {line}, column {column})"),
                            e.kind.to_string(),
                        ));
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems(
                format!("locale {tag}: the Fluent files have errors"),
                problems,
            ));
        }
        Ok(Locale::from_bundles(
            tag.to_owned(),
            bundle,
            Some(english_bundle()),
        ))
    }

    /// A built-in locale: its files are part of the crate and checked by
    /// the tests, so a syntax error cannot reach here; should one, the
    /// entries it spoils fall back to English or to the key.
    fn built_in(tag: &str, text: &str, fallback: Option<FluentBundle<FluentResource>>) -> Locale {
        Locale::from_bundles(tag.to_owned(), bundle_of(tag, text), fallback)
    }

    fn from_bundles(
        tag: String,
        own: FluentBundle<FluentResource>,
        fallback: Option<FluentBundle<FluentResource>>,
    ) -> Locale {
        let mut bundles = vec![own];
        bundles.extend(fallback);
        let mut missing = Vec::new();
        let mut entries = Vec::with_capacity(MessageDef::all().len());
        for def in MessageDef::all().iter().copied() {
            let found = bundles.iter().position(|b| b.has_message(def.key()));
            if found != Some(0) {
                missing.push(def.key());
            }
            entries.push(match found {
                None => Entry::Key,
                Some(at) if def.args().is_empty() => {
                    match bundles.get(at).and_then(|b| plain(b, def.key())) {
                        Some(text) => Entry::Plain(text.into()),
                        None => Entry::Key,
                    }
                }
                Some(at) => match bundles.get(at).and_then(|b| pieces(b, def)) {
                    Some(pieces) => Entry::Pieces(pieces),
                    None => Entry::Pattern(at),
                },
            });
        }
        let numbers = NumberFormat {
            group: plain_in(&bundles, "number-group-separator").unwrap_or_else(|| ",".into()),
            decimal: plain_in(&bundles, "number-decimal-separator").unwrap_or_else(|| ".".into()),
            percent_before: Box::from(""),
            percent_after: Box::from(" %"),
        };
        let numbers = match percent_pattern(&bundles) {
            Some((before, after)) => NumberFormat {
                percent_before: before.into(),
                percent_after: after.into(),
                ..numbers
            },
            None => numbers,
        };
        Locale {
            inner: Arc::new(Messages {
                tag,
                entries,
                bundles,
                numbers,
                missing,
            }),
            names: Arc::default(),
        }
    }

    /// This locale with display names for literal text: each id of
    /// `names` (a grade `A`, a role `sales`, a contribution `PENSION`) is
    /// written as its name wherever an explanation holds it as text. The
    /// messages are shared, not copied. A plan gives its names per language
    /// (`[names.zh-CN]`, [`CompiledPlan::names`](crate::CompiledPlan::names)).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    /// use perfpay::explain::Term;
    /// use perfpay::locale::{Locale, msg};
    ///
    /// let names = BTreeMap::from([("A".to_owned(), "优秀".to_owned())]);
    /// let chinese = Locale::chinese().with_names(&names);
    /// let grade = Explanation::new(msg::GRADE_NAMED.with([Term::text("A")]), Decimal::ONE, Unit::Count);
    /// assert_eq!(grade.statement_in(&chinese, &RoundingPolicy::cents()), "等级 优秀 1");
    /// assert_eq!(grade.statement_in(Locale::chinese(), &RoundingPolicy::cents()), "等级 A 1");
    /// ```
    #[must_use]
    pub fn with_names(&self, names: &BTreeMap<String, String>) -> Locale {
        let mut all: BTreeMap<Box<str>, Box<str>> = (*self.names).clone();
        all.extend(
            names
                .iter()
                .map(|(id, name)| (Box::from(id.as_str()), Box::from(name.as_str()))),
        );
        Locale {
            inner: Arc::clone(&self.inner),
            names: Arc::new(all),
        }
    }

    /// The display name of literal text, or the text itself.
    #[inline]
    pub fn name_of<'a>(&'a self, text: &'a str) -> &'a str {
        if self.names.is_empty() {
            return text;
        }
        self.names.get(text).map_or(text, |name| name)
    }

    /// The locale's language tag: `zh-CN`.
    pub fn tag(&self) -> &str {
        &self.inner.tag
    }

    /// The keys of perfpay's messages this locale's own files lack, in
    /// catalogue order: they are written in English.
    pub fn missing(&self) -> &[&'static str] {
        &self.inner.missing
    }

    /// How the locale writes numbers.
    pub fn numbers(&self) -> &NumberFormat {
        &self.inner.numbers
    }

    /// Writes a message without arguments (a message given with
    /// arguments is written without them).
    pub fn write(&self, out: &mut String, message: &MessageDef) {
        self.write_with(out, message, &[]);
    }

    /// The words of a message without arguments.
    ///
    /// ```
    /// use perfpay::locale::{Locale, msg};
    ///
    /// assert_eq!(Locale::chinese().text(msg::NET_PAY.def()), "实发工资");
    /// ```
    pub fn text(&self, message: &MessageDef) -> String {
        let mut out = String::new();
        self.write(&mut out, message);
        out
    }

    /// The words of `message` with its arguments written out as text, in
    /// the order of [`MessageDef::args`] (as [`write_with`](Self::write_with)).
    ///
    /// ```
    /// use perfpay::locale::{Locale, msg};
    ///
    /// let said = Locale::chinese().text_with(msg::SURVEY_FEWER_THAN.def(), &["5".into()]);
    /// assert_eq!(said, "答卷少于 5 份");
    /// ```
    pub fn text_with(&self, message: &MessageDef, args: &[Cow<'_, str>]) -> String {
        let mut out = String::new();
        self.write_with(&mut out, message, args);
        out
    }

    /// Writes `message` with its arguments already written out as text, in
    /// the order of [`MessageDef::args`]; arguments missing at the end are
    /// written as their names.
    pub fn write_with(&self, out: &mut String, message: &MessageDef, args: &[Cow<'_, str>]) {
        self.write_each(out, message, &mut |out, i| match args.get(i) {
            Some(arg) => out.push_str(arg),
            None => out.push_str(message.args().get(i).copied().unwrap_or_default()),
        });
    }

    /// Writes `message`, each argument `i` written by `arg(out, i)` where
    /// the message places it: no argument is made into a string of its own
    /// unless Fluent must format the message.
    pub(crate) fn write_each(
        &self,
        out: &mut String,
        message: &MessageDef,
        arg: &mut dyn FnMut(&mut String, usize),
    ) {
        match self.inner.entries.get(message.index()) {
            Some(Entry::Plain(text)) => out.push_str(text),
            Some(Entry::Pieces(pieces)) => {
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Arg(i) => arg(out, *i),
                    }
                }
            }
            Some(Entry::Pattern(at)) => {
                let Some(bundle) = self.inner.bundles.get(*at) else {
                    out.push_str(message.key());
                    return;
                };
                let Some(pattern) = bundle.get_message(message.key()).and_then(|m| m.value()) else {
                    out.push_str(message.key());
                    return;
                };
                let mut fluent_args = FluentArgs::with_capacity(message.args().len());
                for (i, name) in message.args().iter().enumerate() {
                    let mut value = String::new();
                    arg(&mut value, i);
                    fluent_args.set(*name, FluentValue::String(Cow::Owned(value)));
                }
                let mut errors = Vec::new();
                // a missing or mistyped variable is written by Fluent as
                // its name; the text stays readable and nothing panics
                let _ = bundle.write_pattern(out, pattern, Some(&fluent_args), &mut errors);
            }
            Some(Entry::Key) | None => out.push_str(message.key()),
        }
    }
}

/// A bundle of one built-in file; the entries a syntax error spoils are
/// left out.
fn bundle_of(tag: &str, text: &str) -> FluentBundle<FluentResource> {
    let lang = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(partial, _)| partial);
    // two messages of one key: the first is kept
    let _ = bundle.add_resource(resource);
    bundle
}

/// English's bundle, as the fallback of another locale.
fn english_bundle() -> FluentBundle<FluentResource> {
    bundle_of("en", ENGLISH)
}

/// A message without arguments, written out.
fn plain(bundle: &FluentBundle<FluentResource>, key: &str) -> Option<String> {
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    Some(bundle.format_pattern(pattern, None, &mut errors).into_owned())
}

/// A message without arguments, from the first bundle that has it.
fn plain_in(bundles: &[FluentBundle<FluentResource>], key: &str) -> Option<Box<str>> {
    bundles.iter().find_map(|b| plain(b, key)).map(Box::from)
}

/// The words before and after the number of `unit-rate`.
fn percent_pattern(bundles: &[FluentBundle<FluentResource>]) -> Option<(String, String)> {
    const MARK: &str = "\u{1}";
    let bundle = bundles.iter().find(|b| b.has_message("unit-rate"))?;
    let pattern = bundle.get_message("unit-rate")?.value()?;
    let mut args = FluentArgs::with_capacity(1);
    args.set("value", FluentValue::String(Cow::Borrowed(MARK)));
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
    let (before, after) = text.split_once(MARK)?;
    Some((before.to_owned(), after.to_owned()))
}
