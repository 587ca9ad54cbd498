//! The one public error type.
//!
//! perfpay separates *build-time* failures (a plan or a script that cannot be
//! compiled: every problem at once, each with a path or a position) from
//! *evaluation-time* failures (bad or missing data for one employee in one
//! period). Both are an [`Error`]; [`Error::kind`] tells them apart and the
//! accessors return the context that locates the problem.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::id::{EmployeeId, InvalidId, RuleId};

/// A `Result` whose error defaults to perfpay's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// What kind of failure an [`Error`] is.
///
/// New kinds may be added in minor releases, so a `match` needs a wildcard arm.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// An argument broke a documented precondition: a period whose end is not
    /// after its start, a negative allocation weight, a rounding scale above 28.
    InvalidInput,
    /// Decimal arithmetic overflowed, or a quantity left the range a `Decimal`
    /// can hold. perfpay never wraps or saturates silently.
    Overflow,
    /// A division whose divisor was zero (a period with no working days, a
    /// quota of zero).
    DivisionByZero,
    /// A plan document failed validation; [`Error::problems`] lists every
    /// problem found, each with its path.
    Plan,
    /// A rule script failed to compile or to run; [`Error::rule`] and
    /// [`Error::position`] say where.
    Script,
    /// Input data for an employee or a period was missing or inconsistent.
    Data,
    /// A host adapter (a port implementation) failed; [`std::error::Error::source`]
    /// returns the host's own error.
    Host,
}

impl ScriptFault {
    /// The fault's part of [`Error::code`]: `script.syntax`,
    /// `script.limit.operations`.
    pub fn code(self) -> &'static str {
        match self {
            ScriptFault::Syntax => "script.syntax",
            ScriptFault::UnknownVariable => "script.unknown_variable",
            ScriptFault::UnknownFunction => "script.unknown_function",
            ScriptFault::WrongType => "script.wrong_type",
            ScriptFault::Arithmetic => "script.arithmetic",
            ScriptFault::Runtime => "script.runtime",
            ScriptFault::Limit(limit) => match limit {
                Limit::Operations => "script.limit.operations",
                Limit::CallDepth => "script.limit.call_depth",
                Limit::ExpressionDepth => "script.limit.expression_depth",
                Limit::StringSize => "script.limit.string_size",
                Limit::ArraySize => "script.limit.array_size",
                Limit::MapSize => "script.limit.map_size",
                Limit::Variables => "script.limit.variables",
                Limit::Functions => "script.limit.functions",
            },
        }
    }
}

impl ErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Overflow => "arithmetic overflow",
            ErrorKind::DivisionByZero => "division by zero",
            ErrorKind::Plan => "invalid plan",
            ErrorKind::Script => "script error",
            ErrorKind::Data => "bad data",
            ErrorKind::Host => "host error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What went wrong in a rule script, for [`ErrorKind::Script`] errors.
///
/// New faults may be added in minor releases.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ScriptFault {
    /// The script does not parse.
    Syntax,
    /// The script reads a variable that is not defined (caught when the
    /// script is compiled).
    UnknownVariable,
    /// The script calls a function that does not exist for the given
    /// argument types.
    UnknownFunction,
    /// The script returned a value of the wrong type (text where an amount
    /// was expected).
    WrongType,
    /// Division by zero or arithmetic overflow.
    Arithmetic,
    /// The script hit a sandbox limit.
    Limit(Limit),
    /// Any other failure while running.
    Runtime,
}

/// A sandbox limit a script hit; see [`ScriptFault::Limit`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Too many operations in one evaluation (an endless loop).
    Operations,
    /// Functions calling each other too deeply (runaway recursion).
    CallDepth,
    /// An expression nested too deeply.
    ExpressionDepth,
    /// A string grew too long.
    StringSize,
    /// An array grew too large.
    ArraySize,
    /// A map grew too large.
    MapSize,
    /// Too many variables.
    Variables,
    /// Too many functions defined.
    Functions,
}

/// A line and column in a rule script, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column number, from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// One problem found while validating a plan document: where it is and what
/// is wrong.
///
/// The path uses dots for fields and brackets for list indices, for example
/// `scorecards.operations.items[2].weight`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[error("{path}: {message}")]
pub struct Problem {
    path: String,
    message: String,
}

impl Problem {
    /// A problem at `path` described by `message` (lowercase, no trailing period).
    ///
    /// ```
    /// let p = perfpay::error::Problem::new("tiers[1].from", "overlaps tier 0");
    /// assert_eq!(p.to_string(), "tiers[1].from: overlaps tier 0");
    /// ```
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Where the problem is.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The error type of every fallible perfpay operation.
///
/// An `Error` has a [`kind`](Error::kind), a message, and whatever context
/// locates the problem: a plan path, a rule id and script position, an
/// employee and period, or (for [`ErrorKind::Plan`]) the full list of
/// [`Problem`]s. Messages are lowercase and carry no trailing period.
///
/// ```
/// use perfpay::{Decimal, ErrorKind, RoundingPolicy};
/// use perfpay::money::allocate;
///
/// let err = allocate(Decimal::ONE_HUNDRED, &[Decimal::ZERO, Decimal::ZERO], RoundingPolicy::cents())
///     .unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidInput);
/// assert_eq!(err.to_string(), "allocation weights are all zero");
/// ```
///
/// An `Error` serializes as an object of its kind, message and context
/// (`{"kind": "data", "message": "metric sales is missing", "employee":
/// "sales-a"}`), the host's own error as the text of its chain
/// (`"source"`), so an outcome that holds errors can be stored and read
/// back; two errors are equal when they serialize alike.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(into = "Inner", from = "Inner")]
#[cfg_attr(feature = "schema", schemars(with = "Inner"))]
pub struct Error {
    inner: Box<Inner>,
}

impl From<Error> for Inner {
    /// The error as written: its fields and its [`code`](Error::code).
    fn from(err: Error) -> Inner {
        let code = err.code();
        let mut inner = *err.inner;
        inner.code = Some(Cow::Borrowed(code));
        inner
    }
}

impl From<Inner> for Error {
    fn from(mut inner: Inner) -> Error {
        // the code is worked out from the kind, not kept
        inner.code = None;
        Error {
            inner: Box::new(inner),
        }
    }
}

impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        let (a, b) = (&*self.inner, &*other.inner);
        a.kind == b.kind
            && a.message == b.message
            && a.path == b.path
            && a.rule == b.rule
            && a.position == b.position
            && a.employee == b.employee
            && a.period == b.period
            && a.problems == b.problems
            && a.script_fault == b.script_fault
            && a.source.as_ref().map(ToString::to_string) == b.source.as_ref().map(ToString::to_string)
    }
}

impl Eq for Error {}

/// A host's error read back from a stored [`Error`]: the text of its chain.
#[derive(Debug)]
struct StoredSource(String);

impl fmt::Display for StoredSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoredSource {}

/// An error and its chain of causes as one line (`missing.toml: host
/// adapter failed: No such file or directory`); a cause whose words the
/// text already ends with adds nothing.
///
/// ```
/// use perfpay::Error;
/// use perfpay::error::chain;
///
/// let err = Error::host(std::io::Error::other("staff.csv not found"));
/// assert_eq!(chain(&err), "host adapter failed: staff.csv not found");
/// ```
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

/// A host's error as the text of its chain of causes.
fn source_text(source: &Arc<dyn std::error::Error + Send + Sync + 'static>) -> String {
    chain(&**source)
}

mod source_as_text {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serializer};

    use super::{StoredSource, source_text};

    type Source = Option<Arc<dyn std::error::Error + Send + Sync + 'static>>;

    pub(super) fn serialize<S: Serializer>(source: &Source, serializer: S) -> Result<S::Ok, S::Error> {
        match source {
            Some(source) => serializer.serialize_some(&source_text(source)),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Source, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        Ok(text.map(|t| Arc::new(StoredSource(t)) as Arc<dyn std::error::Error + Send + Sync>))
    }
}

/// The serialized form of an [`Error`].
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "Error"))]
struct Inner {
    /// [`Error::code`], written out; read back, it is worked out again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<Cow<'static, str>>,
    kind: ErrorKind,
    message: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rule: Option<RuleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<Position>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    employee: Option<EmployeeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    problems: Vec<Problem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    script_fault: Option<ScriptFault>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "source_as_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Error {
        Error {
            inner: Box::new(Inner {
                code: None,
                kind,
                message: message.into(),
                path: None,
                rule: None,
                position: None,
                employee: None,
                period: None,
                problems: Vec::new(),
                script_fault: None,
                source: None,
            }),
        }
    }

    pub(crate) fn invalid_input(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(ErrorKind::InvalidInput, message)
    }

    pub(crate) fn overflow(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(ErrorKind::Overflow, message)
    }

    pub(crate) fn division_by_zero(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(ErrorKind::DivisionByZero, message)
    }

    /// An invalid-input error listing several problems, each with a path
    /// relative to the value being built (`tiers[2].from`).
    pub(crate) fn invalid_problems(message: impl Into<Cow<'static, str>>, problems: Vec<Problem>) -> Error {
        let mut err = Error::new(ErrorKind::InvalidInput, message);
        err.inner.problems = problems;
        err
    }

    /// Bad or missing data, every problem of it listed.
    pub(crate) fn data_problems(message: impl Into<Cow<'static, str>>, problems: Vec<Problem>) -> Error {
        let mut err = Error::new(ErrorKind::Data, message);
        err.inner.problems = problems;
        err
    }

    /// An error for bad or missing input data, described by `message`.
    ///
    /// Host code that validates its own data before calling perfpay can use
    /// this so that every data problem reads the same way.
    ///
    /// ```
    /// use perfpay::{EmployeeId, Error, ErrorKind};
    ///
    /// let err = Error::data("no attendance record")
    ///     .with_employee(EmployeeId::new("e-007")?);
    /// assert_eq!(err.kind(), ErrorKind::Data);
    /// assert_eq!(err.to_string(), "employee e-007: no attendance record");
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn data(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(ErrorKind::Data, message)
    }

    /// A plan validation failure carrying every problem found.
    ///
    /// ```
    /// use perfpay::{Error, ErrorKind};
    /// use perfpay::error::Problem;
    ///
    /// let err = Error::plan(vec![
    ///     Problem::new("scorecards.operations.items[2].weight", "weights sum to 0.95, expected 1"),
    ///     Problem::new("tiers[1].from", "overlaps tier 0"),
    /// ]);
    /// assert_eq!(err.kind(), ErrorKind::Plan);
    /// assert_eq!(err.problems().len(), 2);
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid plan (2 problems): scorecards.operations.items[2].weight: weights sum to 0.95, \
    ///      expected 1; tiers[1].from: overlaps tier 0",
    /// );
    /// ```
    pub fn plan(problems: Vec<Problem>) -> Error {
        let mut err = Error::new(ErrorKind::Plan, "invalid plan");
        err.inner.problems = problems;
        err
    }

    /// A script failure in rule `rule`, described by `message`.
    ///
    /// ```
    /// use perfpay::{Error, ErrorKind};
    /// use perfpay::error::Position;
    /// use perfpay::id::RuleId;
    ///
    /// let err = Error::script(RuleId::new("cs-bonus")?, "variable 'satisfation' is not defined")
    ///     .with_position(Position { line: 3, column: 9 });
    /// assert_eq!(err.kind(), ErrorKind::Script);
    /// assert_eq!(
    ///     err.to_string(),
    ///     "rule cs-bonus at line 3, column 9: variable 'satisfation' is not defined",
    /// );
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn script(rule: RuleId, message: impl Into<Cow<'static, str>>) -> Error {
        let mut err = Error::new(ErrorKind::Script, message);
        err.inner.rule = Some(rule);
        err
    }

    /// Wraps an error raised by a host adapter (a port implementation).
    ///
    /// The host's error is kept, not stringified: [`std::error::Error::source`]
    /// returns it, so the host can downcast it back.
    ///
    /// ```
    /// use std::error::Error as _;
    /// use perfpay::{Error, ErrorKind};
    ///
    /// let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "database timed out");
    /// let err = Error::host(io);
    /// assert_eq!(err.kind(), ErrorKind::Host);
    /// let source = err.source().unwrap();
    /// assert!(source.downcast_ref::<std::io::Error>().is_some());
    /// ```
    pub fn host(source: impl std::error::Error + Send + Sync + 'static) -> Error {
        let mut err = Error::new(ErrorKind::Host, "host adapter failed");
        err.inner.source = Some(Arc::new(source));
        err
    }

    /// Adds what went wrong in a script.
    #[must_use]
    pub fn with_script_fault(mut self, fault: ScriptFault) -> Error {
        self.inner.script_fault = Some(fault);
        self
    }

    /// Adds the plan path (or data path) the error is about.
    #[must_use]
    pub fn with_path(mut self, path: impl Into<String>) -> Error {
        self.inner.path = Some(path.into());
        self
    }

    /// Adds the position in a script.
    #[must_use]
    pub fn with_position(mut self, position: Position) -> Error {
        self.inner.position = Some(position);
        self
    }

    /// Adds the rule the error is about.
    #[must_use]
    pub fn with_rule(mut self, rule: RuleId) -> Error {
        self.inner.rule = Some(rule);
        self
    }

    /// Adds the employee whose data caused the error.
    #[must_use]
    pub fn with_employee(mut self, employee: EmployeeId) -> Error {
        self.inner.employee = Some(employee);
        self
    }

    /// Adds the period being evaluated (its label, such as `2026-11`).
    #[must_use]
    pub fn with_period(mut self, period: impl fmt::Display) -> Error {
        self.inner.period = Some(period.to_string());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// A stable code for the failure, for a host to match on and to look
    /// up in its own words (the message is English for developers):
    ///
    /// | code | failure |
    /// |---|---|
    /// | `invalid_input` | an argument perfpay refuses |
    /// | `overflow`, `division_by_zero` | arithmetic out of range |
    /// | `plan` | a plan that does not compile (see [`problems`](Self::problems)) |
    /// | `script.syntax`, `script.unknown_variable`, `script.unknown_function`, `script.wrong_type`, `script.arithmetic`, `script.runtime` | a rule script's failure |
    /// | `script.limit.operations`, `…call_depth`, `…expression_depth`, `…string_size`, `…array_size`, `…map_size`, `…variables`, `…functions` | a script stopped by a sandbox limit |
    /// | `data` | bad or missing data for an employee or a period |
    /// | `host` | the host's storage or data source failed |
    ///
    /// ```
    /// use perfpay::{Period, Plan};
    ///
    /// assert_eq!(Period::month(2026, 13).unwrap_err().code(), "invalid_input");
    /// let shop = include_str!("../examples/shop.toml");
    /// let broken = Plan::from_toml(&shop.replace("clamp(value * 20, 0, 100)", "clamp(value * 20, 0"))?;
    /// assert_eq!(broken.compile().unwrap_err().code(), "plan");
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn code(&self) -> &'static str {
        match (self.inner.kind, self.inner.script_fault) {
            (ErrorKind::InvalidInput, _) => "invalid_input",
            (ErrorKind::Overflow, _) => "overflow",
            (ErrorKind::DivisionByZero, _) => "division_by_zero",
            (ErrorKind::Plan, _) => "plan",
            (ErrorKind::Data, _) => "data",
            (ErrorKind::Host, _) => "host",
            (ErrorKind::Script, Some(fault)) => fault.code(),
            (ErrorKind::Script, None) => "script",
        }
    }

    /// The message without context.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The path in the plan or input the error is about, if any.
    pub fn path(&self) -> Option<&str> {
        self.inner.path.as_deref()
    }

    /// The rule the error is about, if any.
    pub fn rule(&self) -> Option<&RuleId> {
        self.inner.rule.as_ref()
    }

    /// The line and column in the rule's script, if known.
    pub fn position(&self) -> Option<Position> {
        self.inner.position
    }

    /// The employee whose data caused the error, if any.
    pub fn employee(&self) -> Option<&EmployeeId> {
        self.inner.employee.as_ref()
    }

    /// The label of the period being evaluated, if any.
    pub fn period(&self) -> Option<&str> {
        self.inner.period.as_deref()
    }

    /// What went wrong in a script, for [`ErrorKind::Script`] errors.
    pub fn script_fault(&self) -> Option<ScriptFault> {
        self.inner.script_fault
    }

    /// Every problem found, each with its path: for a plan validation
    /// failure, or a building block (a tier table, a scorecard) rejected for
    /// several reasons at once. Empty otherwise.
    pub fn problems(&self) -> &[Problem] {
        &self.inner.problems
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let mut prefixed = false;
        let mut sep = |f: &mut fmt::Formatter<'_>| -> fmt::Result {
            if prefixed {
                f.write_str(", ")
            } else {
                prefixed = true;
                Ok(())
            }
        };
        if let Some(employee) = &inner.employee {
            sep(f)?;
            write!(f, "employee {employee}")?;
        }
        if let Some(period) = &inner.period {
            sep(f)?;
            write!(f, "period {period}")?;
        }
        if let Some(rule) = &inner.rule {
            sep(f)?;
            write!(f, "rule {rule}")?;
            if let Some(position) = inner.position {
                write!(f, " at {position}")?;
            }
        } else if let Some(position) = inner.position {
            sep(f)?;
            write!(f, "{position}")?;
        }
        if let Some(path) = &inner.path {
            sep(f)?;
            f.write_str(path)?;
        }
        if prefixed {
            f.write_str(": ")?;
        }
        if !inner.problems.is_empty() {
            let n = inner.problems.len();
            write!(
                f,
                "{} ({n} problem{}): ",
                inner.message,
                if n == 1 { "" } else { "s" }
            )?;
            for (i, problem) in inner.problems.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{problem}")?;
            }
            Ok(())
        } else {
            f.write_str(&inner.message)
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &inner.kind).field("message", &inner.message);
        if let Some(path) = &inner.path {
            d.field("path", path);
        }
        if let Some(rule) = &inner.rule {
            d.field("rule", rule);
        }
        if let Some(position) = &inner.position {
            d.field("position", position);
        }
        if let Some(employee) = &inner.employee {
            d.field("employee", employee);
        }
        if let Some(period) = &inner.period {
            d.field("period", period);
        }
        if !inner.problems.is_empty() {
            d.field("problems", &inner.problems);
        }
        if let Some(fault) = &inner.script_fault {
            d.field("script_fault", fault);
        }
        if let Some(source) = &inner.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl From<InvalidId> for Error {
    fn from(err: InvalidId) -> Error {
        Error::invalid_input(err.to_string())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.source {
            Some(source) => Some(&**source as &(dyn std::error::Error + 'static)),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_rendered_in_a_fixed_order() {
        let err = Error::data("metric 'conversion' is missing")
            .with_period("2026-11")
            .with_employee(EmployeeId::new("e-1").unwrap())
            .with_path("metrics.conversion");
        assert_eq!(
            err.to_string(),
            "employee e-1, period 2026-11, metrics.conversion: metric 'conversion' is missing"
        );
        assert_eq!(err.message(), "metric 'conversion' is missing");
        assert_eq!(err.path(), Some("metrics.conversion"));
        assert_eq!(err.period(), Some("2026-11"));
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn single_problem_is_singular() {
        let err = Error::plan(vec![Problem::new("currency", "must be 3 letters")]);
        assert_eq!(
            err.to_string(),
            "invalid plan (1 problem): currency: must be 3 letters"
        );
    }
}
