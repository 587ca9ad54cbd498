//! [`Text`]: the strings of explanations and pay lines, cheap to make and to
//! copy.
//!
//! Most text in an explanation is either fixed (`" × "`, `"commission"`) or
//! an id the plan or the host already holds (a rule, a grade, a contribution
//! code). `Text` keeps the first as a `&'static str` and shares the second
//! (ids are reference-counted), so neither is copied per employee; only text
//! made on the spot is owned.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A string in an explanation or on a pay line: fixed, shared or owned.
///
/// It reads as a `str` (it dereferences to one) and compares, orders,
/// hashes, prints and serializes by its characters only, whichever way it is
/// held.
///
/// ```
/// use perfpay::id::RuleId;
/// use perfpay::text::Text;
///
/// let fixed = Text::from(" × ");
/// let rule = RuleId::new("conversion-bonus")?;
/// let shared = Text::from(&rule); // shares the id's text, copies nothing
/// let owned = Text::from(format!("rule {rule}"));
/// assert_eq!(fixed, " × ");
/// assert_eq!(shared.len(), 16);
/// assert_eq!(owned, "rule conversion-bonus");
/// assert_eq!(serde_json::to_string(&shared).unwrap(), r#""conversion-bonus""#);
/// assert_eq!(format!("[{:<6}]", Text::from("BASE")), "[BASE  ]");
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Owned(String),
    Shared(Arc<str>),
}

impl Text {
    /// Fixed text, usable in constants.
    pub const fn from_static(text: &'static str) -> Text {
        Text(Repr::Static(text))
    }

    /// The same text, held so that copies of it copy nothing: owned text
    /// moves into a shared `Arc<str>` (one allocation, once); fixed and
    /// shared text are returned as they are. For text kept in a compiled
    /// rule and copied into every employee's explanation.
    ///
    /// ```
    /// use perfpay::text::Text;
    ///
    /// let label = Text::from(format!("rule {}", "cs_gate")).shared();
    /// let copy = label.clone(); // shares the text
    /// assert_eq!(copy, "rule cs_gate");
    /// ```
    #[must_use]
    pub fn shared(self) -> Text {
        match self.0 {
            Repr::Owned(s) => Text(Repr::Shared(Arc::from(s))),
            repr => Text(repr),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Owned(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from_static("")
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

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Text {
        Text(Repr::Static(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Repr::Owned(text))
    }
}

impl From<Arc<str>> for Text {
    fn from(text: Arc<str>) -> Text {
        Text(Repr::Shared(text))
    }
}

impl From<Cow<'static, str>> for Text {
    fn from(text: Cow<'static, str>) -> Text {
        match text {
            Cow::Borrowed(s) => Text(Repr::Static(s)),
            Cow::Owned(s) => Text(Repr::Owned(s)),
        }
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
        String::deserialize(deserializer).map(|s| Text::from(Arc::<str>::from(s)))
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
