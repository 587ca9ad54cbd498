//! Identifier newtypes.
//!
//! Every id is a non-empty string of at most [`MAX_ID_LEN`] bytes without
//! control characters or surrounding white space. Ids are cheap to clone
//! (reference-counted), order by their text, serialize as plain strings and
//! validate when deserialized.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::str::FromStr;

#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest id accepted, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// Text that is not a valid id: which kind of id, and why. It converts into
/// [`Error`](crate::Error) (kind
/// [`InvalidInput`](crate::ErrorKind::InvalidInput)), so `?` works in a
/// function returning `perfpay::Result`.
///
/// ```
/// use perfpay::RoleId;
///
/// let err = RoleId::new(" sales").unwrap_err();
/// assert_eq!(err.to_string(), r#"role id " sales" has leading or trailing white space"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidId {
    kind: &'static str,
    message: String,
}

impl InvalidId {
    /// The kind of id (`employee id`, `rule id`, …).
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

impl fmt::Display for InvalidId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidId {}

fn validate(kind: &'static str, text: &str) -> Result<(), InvalidId> {
    let problem = if text.is_empty() {
        format!("{kind} is empty")
    } else if text.len() > MAX_ID_LEN {
        format!(
            "{kind} is {} bytes long, at most {MAX_ID_LEN} allowed",
            text.len()
        )
    } else if text.chars().any(char::is_control) {
        format!("{kind} {text:?} contains a control character")
    } else if text.trim() != text {
        format!("{kind} {text:?} has leading or trailing white space")
    } else {
        return Ok(());
    };
    Err(InvalidId {
        kind,
        message: problem,
    })
}

macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal, $example:literal) => {
        $(#[$meta])*
        ///
        /// ```
        #[doc = concat!("use perfpay::id::", stringify!($name), ";")]
        ///
        #[doc = concat!("let id = ", stringify!($name), "::new(\"", $example, "\")?;")]
        #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert!(", stringify!($name), "::new(\"\").is_err());")]
        /// # Ok::<(), perfpay::Error>(())
        /// ```
        #[derive(Clone, Eq, PartialOrd, Ord)]
        pub struct $name(arcstr::ArcStr);

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state);
            }
        }

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &$name) -> bool {
                // clones share their text: compare pointers before bytes
                arcstr::ArcStr::ptr_eq(&self.0, &other.0) || self.0 == other.0
            }
        }

        impl $name {
            /// Validates and wraps `id`.
            ///
            /// # Errors
            ///
            /// [`InvalidId`] when
            /// the text is empty, longer than [`MAX_ID_LEN`] bytes, contains a
            /// control character or has surrounding white space.
            pub fn new(id: impl AsRef<str>) -> Result<$name, InvalidId> {
                let id = id.as_ref();
                validate($kind, id)?;
                Ok($name(arcstr::ArcStr::from(id)))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<$name, InvalidId> {
                $name::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = InvalidId;
            fn try_from(s: &str) -> Result<$name, InvalidId> {
                $name::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(s: String) -> Result<$name, InvalidId> {
                $name::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&$name> for crate::text::Text {
            /// The id's text, shared (nothing is copied).
            fn from(id: &$name) -> crate::text::Text {
                crate::text::Text::from_shared(&id.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> core::result::Result<$name, D::Error> {
                let text = Cow::<'de, str>::deserialize(deserializer)?;
                $name::new(&*text).map_err(serde::de::Error::custom)
            }
        }

        #[cfg(feature = "schema")]
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "description": concat!("A ", $kind, ": non-empty, at most 128 bytes, no control characters or surrounding white space."),
                    "minLength": 1,
                    "maxLength": MAX_ID_LEN,
                    "pattern": "^\\S(.*\\S)?$",
                })
            }
        }
    };
}

define_id!(
    /// Identifies an employee.
    EmployeeId,
    "employee id",
    "e-0042"
);
define_id!(
    /// Identifies a rule: an incentive rule, a scripted formula or a gate.
    RuleId,
    "rule id",
    "cs-satisfaction-gate"
);
define_id!(
    /// Identifies a goal in a goal tree.
    GoalId,
    "goal id",
    "company-revenue-2026"
);
define_id!(
    /// Identifies a metric: a measured quantity such as sales or conversion.
    MetricId,
    "metric id",
    "conversion_rate"
);
define_id!(
    /// Identifies a plan document.
    PlanId,
    "plan id",
    "shop-2026"
);
define_id!(
    /// Identifies a role (a job family with its own scorecard).
    RoleId,
    "role id",
    "operations"
);
define_id!(
    /// Identifies an event (a goal achieved, a course completed), so that
    /// the same event reported twice is counted once.
    EventId,
    "event id",
    "course-2026-11-0042"
);
define_id!(
    /// Identifies a credited transaction (a deal, an order) or its refund.
    TransactionId,
    "transaction id",
    "order-2026-11-0042"
);
define_id!(
    /// Identifies a grade on a rating scale, such as `S`, `A` or `B`.
    GradeId,
    "grade",
    "A"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_bad_text_with_a_reason() {
        let long = "x".repeat(MAX_ID_LEN + 1);
        let cases = [
            ("", "employee id is empty"),
            (" e1", "employee id \" e1\" has leading or trailing white space"),
            ("e\n1", "employee id \"e\\n1\" contains a control character"),
            (
                long.as_str(),
                "employee id is 129 bytes long, at most 128 allowed",
            ),
        ];
        for (text, message) in cases {
            let err = EmployeeId::new(text).unwrap_err();
            assert_eq!(err.to_string(), message);
        }
        assert!(EmployeeId::new("x".repeat(MAX_ID_LEN)).is_ok());
        assert!(EmployeeId::new("店长 Li").is_ok());
    }

    #[test]
    fn ids_round_trip_through_json_and_validate() {
        let id = MetricId::new("conversion").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"conversion\"");
        let back: MetricId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
        let err = serde_json::from_str::<MetricId>("\"\"").unwrap_err();
        assert!(err.to_string().contains("metric id is empty"), "{err}");
    }

    #[test]
    fn ids_look_up_by_str_in_ordered_maps() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(RoleId::new("operations").unwrap(), 1);
        assert_eq!(map.get("operations"), Some(&1));
    }
}
