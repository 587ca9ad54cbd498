//! Events: what happened to an employee, as data.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::explain::Term;
use crate::id::{EmployeeId, EventId};
use crate::text::msg;

/// The kind of an [`Event`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A goal was achieved (`subject`: the goal id).
    GoalAchieved,
    /// A grade was reached (`subject`: the grade).
    GradeReached,
    /// A place in the team ranking (`values.rank`).
    RankInTeam,
    /// A training course was completed (`subject`: the course).
    TrainingCompleted,
    /// An attendance milestone (`subject`: e.g. `full-attendance`).
    AttendanceMilestone,
    /// A kind the plan declares itself.
    Custom(String),
}

impl EventKind {
    /// The kind in an explanation: a built-in kind as a message (`training
    /// completed`, `完成培训`), a plan's own kind by its name.
    ///
    /// ```
    /// use perfpay::incentive::EventKind;
    /// use perfpay::locale::Locale;
    ///
    /// let kind = EventKind::TrainingCompleted.term();
    /// assert_eq!(kind.message().map(|m| m.key()), Some("event-training-completed"));
    /// assert_eq!(Locale::chinese().text(kind.message().unwrap()), "完成培训");
    /// assert_eq!(EventKind::Custom("livestream".into()).term().as_text(), Some("livestream"));
    /// // in English, as the catalogue words it
    /// assert_eq!(EventKind::TrainingCompleted.to_string(), "training completed");
    /// assert_eq!(EventKind::Custom("livestream".into()).to_string(), "custom event livestream");
    /// ```
    pub fn term(&self) -> Term {
        match self {
            EventKind::GoalAchieved => Term::text(&msg::EVENT_GOAL_ACHIEVED),
            EventKind::GradeReached => Term::text(&msg::EVENT_GRADE_REACHED),
            EventKind::RankInTeam => Term::text(&msg::EVENT_RANK_IN_TEAM),
            EventKind::TrainingCompleted => Term::text(&msg::EVENT_TRAINING_COMPLETED),
            EventKind::AttendanceMilestone => Term::text(&msg::EVENT_ATTENDANCE_MILESTONE),
            EventKind::Custom(name) => Term::text(name.clone()),
        }
    }
}

/// The kind in English: a built-in kind's message (`training completed`),
/// a plan's own kind as `custom event NAME`.
impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.term().message()) {
            (EventKind::Custom(name), _) => write!(f, "custom event {name}"),
            (_, Some(message)) => f.write_str(&crate::locale::Locale::english().text(message)),
            (_, None) => Ok(()),
        }
    }
}

/// Something that happened to an employee on a date.
///
/// ```
/// use perfpay::{EmployeeId, NaiveDate};
/// use perfpay::id::EventId;
/// use perfpay::incentive::{Event, EventKind};
///
/// let course = Event::new(
///     EventId::new("lms-8812")?,
///     EmployeeId::new("e-007")?,
///     EventKind::TrainingCompleted,
///     NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(),
/// )
/// .subject("live-streaming-basics");
/// assert_eq!(course.subject.as_deref(), Some("live-streaming-basics"));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Event {
    /// Unique id: the same event reported twice counts once.
    pub id: EventId,
    /// Who.
    pub employee: EmployeeId,
    /// What kind of event.
    pub kind: EventKind,
    /// When.
    pub date: NaiveDate,
    /// What it is about: a goal id, a grade, a course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Numbers that come with it (`rank`, `hours`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, Decimal>,
}

impl Event {
    /// An event without subject or values.
    pub fn new(id: EventId, employee: EmployeeId, kind: EventKind, date: NaiveDate) -> Event {
        Event {
            id,
            employee,
            kind,
            date,
            subject: None,
            values: BTreeMap::new(),
        }
    }

    /// Sets the subject.
    #[must_use]
    pub fn subject(mut self, subject: impl Into<String>) -> Event {
        self.subject = Some(subject.into());
        self
    }

    /// Adds a value.
    #[must_use]
    pub fn value(mut self, name: impl Into<String>, value: Decimal) -> Event {
        self.values.insert(name.into(), value);
        self
    }
}
