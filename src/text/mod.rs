//! [`Text`]: the strings of explanations and pay lines, cheap to make and to
//! copy.
//!
//! Most text in an explanation is either fixed (`" + "`, `"BASE"`) or an id
//! the plan or the host already holds (a rule, a grade, a contribution code).
//! `Text` is one pointer wide: fixed text made with [`text!`](crate::text!)
//! lives in the program and copies of it touch nothing, and every other text
//! is reference-counted, so an id shared into each employee's explanation is
//! never copied. Only text made on the spot allocates, once.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use arcstr::ArcStr;
#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub(crate) mod message;

pub(crate) use message::{Message, MessageDef, msg};

#[doc(hidden)]
pub use arcstr::literal as __literal;

/// Fixed [`Text`] that costs nothing to make or copy: the text lives in the
/// program, and no copy of it counts references. Usable in constants.
///
/// ```
/// use perfpay::text::Text;
///
/// const BASE: Text = perfpay::text!("BASE");
/// assert_eq!(BASE, "BASE");
/// assert_eq!(perfpay::text!(" + ").len(), 3);
/// ```
#[macro_export]
macro_rules! text {
    ($text:expr $(,)?) => {
        $crate::text::Text::__from_literal($crate::text::__literal!($text))
    };
}

/// A string in an explanation or on a pay line: one pointer, fixed or
/// shared.
///
/// It reads as a `str` (it dereferences to one) and compares, orders,
/// hashes, prints and serializes by its characters only, whichever way it was
/// made.
///
/// ```
/// use perfpay::id::RuleId;
/// use perfpay::text::Text;
///
/// let fixed = perfpay::text!(" × ");
/// let rule = RuleId::new("conversion-bonus")?;
/// let shared = Text::from(&rule); // shares the id's text, copies nothing
/// let owned = Text::from(format!("rule {rule}"));
/// assert_eq!(fixed, " × ");
/// assert_eq!(shared.len(), 16);
/// assert_eq!(owned, "rule conversion-bonus");
/// assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<usize>());
/// assert_eq!(serde_json::to_string(&shared).unwrap(), r#""conversion-bonus""#);
/// assert_eq!(format!("[{:<6}]", Text::from("BASE")), "[BASE  ]");
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone)]
pub struct Text(ArcStr);

impl Text {
    /// Fixed text made by [`text!`](crate::text!); not for direct use.
    #[doc(hidden)]
    pub const fn __from_literal(text: ArcStr) -> Text {
        Text(text)
    }

    /// Shares `text` (an id's): copies nothing.
    pub(crate) fn from_shared(text: &ArcStr) -> Text {
        Text(text.clone())
    }

    /// The same text: every `Text` is already shared or fixed, so there is
    /// nothing to do.
    #[must_use]
    #[deprecated(note = "every Text is shared or fixed already: drop the call")]
    pub fn shared(self) -> Text {
        self
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Default for Text {
    fn default() -> Text {
        text!("")
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    /// As a `str` displays, width and alignment included (`{:<12}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// Copies the text once (one allocation); fixed text made per employee is
/// better made with [`text!`](crate::text!), which copies nothing.
impl From<&'static str> for Text {
    fn from(text: &'static str) -> Text {
        Text(ArcStr::from(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(ArcStr::from(text))
    }
}

/// Copies the text once into `Text`'s own shared form (an `Arc<str>` is
/// two words; `Text` is one).
impl From<Arc<str>> for Text {
    fn from(text: Arc<str>) -> Text {
        Text(ArcStr::from(text))
    }
}

impl From<Cow<'static, str>> for Text {
    fn from(text: Cow<'static, str>) -> Text {
        Text(ArcStr::from(text))
    }
}

impl From<&Text> for Text {
    fn from(text: &Text) -> Text {
        text.clone()
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        // shared, so that copies of plan text (contribution codes, labels)
        // made per employee copy nothing
        String::deserialize(deserializer).map(Text::from)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Text {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        String::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

/// The line and column (both from 1, the column in characters) of byte
/// `at` of `text`: where a parser's error is, for a reader.
pub(crate) fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count().saturating_add(1);
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        .saturating_add(1);
    (line, column)
}

/// `text` made safe inside HTML (and XML): `& < > " '` as entities.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_column_counts_from_one_in_characters() {
        assert_eq!(super::line_column("ab\ncd", 4), (2, 2));
        assert_eq!(super::line_column("", 0), (1, 1));
        assert_eq!(super::line_column("税率\n  x", 9), (2, 3));
    }
}
