//! Periods, working-day calendars, proration and effective-dated values.
//!
//! A [`Period`] runs from its start (inclusive) to its end (exclusive), so
//! consecutive periods share a boundary without sharing a day. Proration
//! counts days on a [`DayBasis`]: every calendar day, or the working days of
//! a [`WorkCalendar`] the caller supplies (perfpay hard-codes no country's
//! weekends or holidays). A [`Timeline`] holds a value that changes on given
//! dates — a salary raised on the 10th — and splits a period into segments
//! whose prorated amounts sum exactly to the whole.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

pub use chrono::{Datelike, NaiveDate, Weekday};
use chrono::{Days, Months};
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::explain::{Explanation, Recorder, Sink, Static, Term, Unit};
use crate::money::{DecimalExt, RoundingPolicy, allocate};
use crate::text::msg;

/// The shape of a [`Period`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A calendar quarter (January, April, July or October to three months later).
    Quarter,
    /// A calendar year.
    Year,
    /// Any other range of whole days.
    Custom,
}

/// A range of days: start inclusive, end exclusive.
///
/// Periods serialize as short labels: `2026-11` (month), `2026-Q4`
/// (quarter), `2026` (year), `2026-11-10/2026-12-01` (custom, end exclusive).
///
/// ```
/// use perfpay::{NaiveDate, Period};
///
/// let nov = Period::month(2026, 11)?;
/// assert_eq!(nov.to_string(), "2026-11");
/// assert_eq!(nov.days(), 30);
/// assert_eq!(nov.end(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
/// assert_eq!(nov.next()?, "2026-12".parse()?);
/// assert_eq!("2026-Q4".parse::<Period>()?.days(), 92);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
    kind: PeriodKind,
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| Error::invalid_input(format!("{year:04}-{month:02}-{day:02} is not a valid date")))
}

fn add_months(start: NaiveDate, months: u32) -> Result<NaiveDate> {
    start
        .checked_add_months(Months::new(months))
        .ok_or_else(|| Error::overflow(format!("{start} plus {months} months is out of range")))
}

impl Period {
    /// The calendar month `month` (1–12) of `year`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a month
    /// outside 1–12 or a year outside chrono's range.
    pub fn month(year: i32, month: u32) -> Result<Period> {
        if !(1..=12).contains(&month) {
            return Err(Error::invalid_input(format!(
                "month {month} is not between 1 and 12"
            )));
        }
        let start = date(year, month, 1)?;
        Ok(Period {
            start,
            end: add_months(start, 1)?,
            kind: PeriodKind::Month,
        })
    }

    /// The calendar quarter `quarter` (1–4) of `year`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a quarter
    /// outside 1–4 or a year outside chrono's range.
    pub fn quarter(year: i32, quarter: u32) -> Result<Period> {
        if !(1..=4).contains(&quarter) {
            return Err(Error::invalid_input(format!(
                "quarter {quarter} is not between 1 and 4"
            )));
        }
        // quarter is 1 to 4 here: its first month is 1, 4, 7 or 10
        let start = date(
            year,
            quarter.saturating_sub(1).saturating_mul(3).saturating_add(1),
            1,
        )?;
        Ok(Period {
            start,
            end: add_months(start, 3)?,
            kind: PeriodKind::Quarter,
        })
    }

    /// The calendar year `year`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a year
    /// outside chrono's range.
    pub fn year(year: i32) -> Result<Period> {
        let start = date(year, 1, 1)?;
        Ok(Period {
            start,
            end: add_months(start, 12)?,
            kind: PeriodKind::Year,
        })
    }

    /// The days from `start` (inclusive) to `end` (exclusive).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `end`
    /// is not after `start`.
    ///
    /// ```
    /// use perfpay::{NaiveDate, Period};
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    /// assert_eq!(Period::custom(d(10), d(20))?.days(), 10);
    /// let err = Period::custom(d(20), d(20)).unwrap_err();
    /// assert_eq!(err.to_string(), "period end 2026-11-20 is not after its start 2026-11-20");
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn custom(start: NaiveDate, end: NaiveDate) -> Result<Period> {
        if end <= start {
            return Err(Error::invalid_input(format!(
                "period end {end} is not after its start {start}"
            )));
        }
        Ok(Period {
            start,
            end,
            kind: PeriodKind::Custom,
        })
    }

    /// The month that contains `date`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) for the last month
    /// chrono can represent.
    pub fn month_of(date: NaiveDate) -> Result<Period> {
        Period::month(date.year(), date.month())
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The day after the last day.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// The last day (the day before [`end`](Self::end)).
    pub fn last_day(&self) -> NaiveDate {
        self.end.pred_opt().unwrap_or(self.start)
    }

    /// Whether the period starts a calendar quarter (1 January, April,
    /// July or October): quarter-to-date totals start again with it.
    ///
    /// ```
    /// use perfpay::Period;
    ///
    /// assert!(Period::month(2026, 10)?.starts_quarter());
    /// assert!(!Period::month(2026, 11)?.starts_quarter());
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn starts_quarter(&self) -> bool {
        self.start.day() == 1 && matches!(self.start.month(), 1 | 4 | 7 | 10)
    }

    /// The shape of the period.
    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The number of calendar days.
    pub fn days(&self) -> u32 {
        u32::try_from(self.end.signed_duration_since(self.start).num_days()).unwrap_or(u32::MAX)
    }

    /// Whether `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// Every day of the period, in order.
    ///
    /// ```
    /// use perfpay::Period;
    ///
    /// let feb = Period::month(2028, 2)?;
    /// assert_eq!(feb.iter_days().count(), 29);
    /// assert_eq!(feb.iter_days().last(), Some(feb.last_day()));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn iter_days(&self) -> DayIter {
        DayIter {
            next: self.start,
            end: self.end,
        }
    }

    /// The period of the same kind that follows this one; a custom period is
    /// followed by one of the same length.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) past chrono's last date.
    pub fn next(&self) -> Result<Period> {
        let end = match self.kind {
            PeriodKind::Month => add_months(self.end, 1)?,
            PeriodKind::Quarter => add_months(self.end, 3)?,
            PeriodKind::Year => add_months(self.end, 12)?,
            PeriodKind::Custom => self
                .end
                .checked_add_days(Days::new(u64::from(self.days())))
                .ok_or_else(|| Error::overflow(format!("the period after {self} is out of range")))?,
        };
        Ok(Period {
            start: self.end,
            end,
            kind: self.kind,
        })
    }

    /// The period of the same kind that precedes this one; a custom period is
    /// preceded by one of the same length.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) before chrono's first date.
    pub fn previous(&self) -> Result<Period> {
        let overflow = || Error::overflow(format!("the period before {self} is out of range"));
        let start = match self.kind {
            PeriodKind::Month => self.start.checked_sub_months(Months::new(1)),
            PeriodKind::Quarter => self.start.checked_sub_months(Months::new(3)),
            PeriodKind::Year => self.start.checked_sub_months(Months::new(12)),
            PeriodKind::Custom => self.start.checked_sub_days(Days::new(u64::from(self.days()))),
        }
        .ok_or_else(overflow)?;
        Ok(Period {
            start,
            end: self.start,
            kind: self.kind,
        })
    }

    /// The part of this period that overlaps `[start, end)`, if any, as a
    /// custom period.
    pub fn intersect(&self, start: NaiveDate, end: NaiveDate) -> Option<Period> {
        let start = start.max(self.start);
        let end = end.min(self.end);
        (start < end).then_some(Period {
            start,
            end,
            kind: PeriodKind::Custom,
        })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{:04}-{:02}", self.start.year(), self.start.month()),
            PeriodKind::Quarter => write!(
                f,
                "{:04}-Q{}",
                self.start.year(),
                (self.start.month() / 3).saturating_add(1)
            ),
            PeriodKind::Year => write!(f, "{:04}", self.start.year()),
            PeriodKind::Custom => write!(f, "{}/{}", self.start, self.end),
        }
    }
}

impl FromStr for Period {
    type Err = Error;

    fn from_str(text: &str) -> Result<Period> {
        let bad = || {
            Error::invalid_input(format!(
                "period {text:?} is not YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD/YYYY-MM-DD"
            ))
        };
        let number = |s: &str| -> Result<u32> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse::<u32>().map_err(|_| bad())
        };
        if let Some((start, end)) = text.split_once('/') {
            let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").map_err(|_| bad())?;
            let end = NaiveDate::parse_from_str(end, "%Y-%m-%d").map_err(|_| bad())?;
            return Period::custom(start, end);
        }
        let (year, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        if year.len() != 4 {
            return Err(bad());
        }
        let year = i32::try_from(number(year)?).map_err(|_| bad())?;
        match rest {
            None => Period::year(year),
            Some(rest) => match rest.strip_prefix('Q') {
                Some(q) => Period::quarter(year, number(q)?),
                None if rest.len() == 2 => Period::month(year, number(rest)?),
                None => Err(bad()),
            },
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> core::result::Result<Period, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Period {
    fn schema_name() -> Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A period: YYYY (year), YYYY-MM (month), YYYY-Qn (quarter) or YYYY-MM-DD/YYYY-MM-DD (custom, end exclusive).",
            "pattern": "^\\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-\\d{2}-\\d{2}/\\d{4}-\\d{2}-\\d{2})?$",
        })
    }
}

/// Iterator over the days of a [`Period`]; see [`Period::iter_days`].
#[derive(Clone, Debug)]
pub struct DayIter {
    next: NaiveDate,
    end: NaiveDate,
}

impl Iterator for DayIter {
    type Item = NaiveDate;

    fn next(&mut self) -> Option<NaiveDate> {
        if self.next >= self.end {
            return None;
        }
        let day = self.next;
        // the day after a day before `end` always exists
        self.next = day.succ_opt().unwrap_or(self.end);
        Some(day)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.end.signed_duration_since(self.next).num_days().max(0))
            .unwrap_or(usize::MAX);
        (n, Some(n))
    }
}

impl ExactSizeIterator for DayIter {}

/// Which days are working days: weekdays plus exceptions.
///
/// Holidays remove a day that would otherwise be worked; make-up working
/// days add one that would otherwise be free (several countries move a
/// weekend day to bridge a holiday). A date may not be both.
///
/// ```
/// use perfpay::{NaiveDate, Period};
/// use perfpay::period::{Weekday, WorkCalendar};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// // October 2026: national holiday 1–7 Oct, make-up Saturday 10 Oct
/// let calendar = WorkCalendar::new(
///     [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
///     (1..=7).map(|day| d(10, day)),
///     [d(10, 10)],
/// )?;
/// assert!(!calendar.is_working_day(d(10, 5)));
/// assert!(calendar.is_working_day(d(10, 10)));
/// assert_eq!(calendar.working_days(&Period::month(2026, 10)?), 18);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(try_from = "RawWorkCalendar", into = "RawWorkCalendar")]
pub struct WorkCalendar {
    weekdays: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
    working_days: BTreeSet<NaiveDate>,
}

/// The serialized form of a [`WorkCalendar`].
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawWorkCalendar {
    /// The weekdays worked in a normal week.
    weekdays: Vec<Weekday>,
    /// Dates not worked although their weekday is.
    #[serde(default)]
    holidays: BTreeSet<NaiveDate>,
    /// Dates worked although their weekday is not (make-up days).
    #[serde(default)]
    working_days: BTreeSet<NaiveDate>,
}

impl TryFrom<RawWorkCalendar> for WorkCalendar {
    type Error = Error;
    fn try_from(raw: RawWorkCalendar) -> Result<WorkCalendar> {
        WorkCalendar::new(raw.weekdays, raw.holidays, raw.working_days)
    }
}

impl From<WorkCalendar> for RawWorkCalendar {
    fn from(calendar: WorkCalendar) -> RawWorkCalendar {
        RawWorkCalendar {
            weekdays: (0..7u8)
                .filter(|&i| calendar.works_on(u32::from(i)))
                .filter_map(|i| Weekday::try_from(i).ok())
                .collect(),
            holidays: calendar.holidays,
            working_days: calendar.working_days,
        }
    }
}

impl WorkCalendar {
    /// A calendar working on `weekdays`, except on `holidays`, plus the
    /// make-up `working_days`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when a date
    /// is both a holiday and a make-up working day.
    pub fn new(
        weekdays: impl IntoIterator<Item = Weekday>,
        holidays: impl IntoIterator<Item = NaiveDate>,
        working_days: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<WorkCalendar> {
        let mut flags = [false; 7];
        for day in weekdays {
            if let Some(flag) = flags.get_mut(day.num_days_from_monday() as usize) {
                *flag = true;
            }
        }
        let holidays: BTreeSet<NaiveDate> = holidays.into_iter().collect();
        let working_days: BTreeSet<NaiveDate> = working_days.into_iter().collect();
        if let Some(both) = holidays.intersection(&working_days).next() {
            return Err(Error::invalid_input(format!(
                "{both} is listed both as a holiday and as a working day"
            )));
        }
        Ok(WorkCalendar {
            weekdays: flags,
            holidays,
            working_days,
        })
    }

    /// Whether the calendar works on the weekday `n` days from Monday.
    fn works_on(&self, n: u32) -> bool {
        self.weekdays.get(n as usize).copied().unwrap_or(false)
    }

    /// Monday to Friday, no holidays.
    pub fn monday_to_friday() -> WorkCalendar {
        WorkCalendar {
            weekdays: [true, true, true, true, true, false, false],
            holidays: BTreeSet::new(),
            working_days: BTreeSet::new(),
        }
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.holidays.contains(&date) {
            false
        } else {
            self.working_days.contains(&date) || self.works_on(date.weekday().num_days_from_monday())
        }
    }

    /// The number of working days in `period`.
    ///
    /// Counted without visiting every day: whole weeks count their working
    /// weekdays, the days left over are checked one by one, and only the
    /// holidays and make-up days inside the period are looked at.
    pub fn working_days(&self, period: &Period) -> u32 {
        let on_weekday = |d: &NaiveDate| self.works_on(d.weekday().num_days_from_monday());
        let days = u64::from(period.days());
        let per_week = self.weekdays.iter().filter(|&&w| w).count() as u64;
        let first = period.start().weekday().num_days_from_monday();
        let rest = (0..(days % 7) as u32)
            .filter(|i| self.works_on(first.saturating_add(*i) % 7))
            .count() as u64;
        let range = period.start()..period.end();
        // holidays and make-up days never coincide (checked on construction)
        let off = self
            .holidays
            .range(range.clone())
            .filter(|d| on_weekday(d))
            .count() as u64;
        let on = self.working_days.range(range).filter(|d| !on_weekday(d)).count() as u64;
        let count = (days / 7)
            .saturating_mul(per_week)
            .saturating_add(rest)
            .saturating_add(on)
            .saturating_sub(off);
        u32::try_from(count).unwrap_or(u32::MAX)
    }
}

/// Which days count when prorating.
///
/// ```
/// use perfpay::Period;
/// use perfpay::period::{DayBasis, WorkCalendar};
///
/// let nov = Period::month(2026, 11)?;
/// assert_eq!(DayBasis::CalendarDays.count(&nov), 30);
/// assert_eq!(DayBasis::WorkingDays(WorkCalendar::monday_to_friday()).count(&nov), 21);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayBasis {
    /// Every day counts.
    CalendarDays,
    /// Only the calendar's working days count.
    WorkingDays(WorkCalendar),
}

impl DayBasis {
    /// Whether `date` counts.
    pub fn counts(&self, date: NaiveDate) -> bool {
        match self {
            DayBasis::CalendarDays => true,
            DayBasis::WorkingDays(calendar) => calendar.is_working_day(date),
        }
    }

    /// The number of counted days in `period`.
    pub fn count(&self, period: &Period) -> u32 {
        match self {
            DayBasis::CalendarDays => period.days(),
            DayBasis::WorkingDays(calendar) => calendar.working_days(period),
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            DayBasis::CalendarDays => "calendar days",
            DayBasis::WorkingDays(_) => "working days",
        }
    }
}

/// `amount × part ÷ whole`, rounded once by `policy`: a period amount for
/// `part` counted days out of `whole`.
///
/// # Errors
///
/// [`ErrorKind::DivisionByZero`](crate::ErrorKind::DivisionByZero) when `whole`
/// is zero; [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when
/// `part` exceeds `whole`; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow)
/// when the product does not fit.
///
/// ```
/// use perfpay::{Decimal, RoundingPolicy};
/// use perfpay::period::prorate;
///
/// // 8,000.00 a month, 17 of 22 working days
/// let paid = prorate(Decimal::from(8_000), 17, 22, RoundingPolicy::cents())?;
/// assert_eq!(paid.to_string(), "6181.82");
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn prorate(amount: Decimal, part: u32, whole: u32, policy: RoundingPolicy) -> Result<Decimal> {
    if whole == 0 {
        return Err(Error::division_by_zero(format!(
            "cannot prorate {amount} over zero days"
        )));
    }
    if part > whole {
        return Err(Error::invalid_input(format!(
            "cannot prorate {part} days out of {whole}"
        )));
    }
    let numerator = amount.try_mul(Decimal::from(part))?;
    policy.round_ratio(numerator, Decimal::from(whole))
}

/// A value that changes on given dates: a salary, a rate, a target.
///
/// Each change takes effect on its date and holds until the next one. On
/// days before the first change there is no value (for a salary: the
/// employee was not yet employed).
///
/// ```
/// use perfpay::{Decimal, NaiveDate, Timeline};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let salary = Timeline::new([(d(1, 1), Decimal::from(9_000)), (d(11, 10), Decimal::from(10_000))])?;
/// assert_eq!(salary.value_on(d(11, 9)), Some(&Decimal::from(9_000)));
/// assert_eq!(salary.value_on(d(11, 10)), Some(&Decimal::from(10_000)));
/// assert_eq!(salary.value_on(d(12, 31)), Some(&Decimal::from(10_000)));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(try_from = "Vec<Change<T>>")]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Timeline<T> {
    changes: Vec<Change<T>>,
}

impl<T: Serialize> Serialize for Timeline<T> {
    /// As the list of its changes (without copying them: every employee's
    /// salary is serialized into its fingerprint).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.changes.serialize(serializer)
    }
}

/// One change in a [`Timeline`]: `value` holds from `effective` on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Change<T> {
    /// The first day the value holds.
    #[serde(serialize_with = "serialize_date")]
    pub effective: NaiveDate,
    /// The value.
    pub value: T,
}

impl<T> TryFrom<Vec<Change<T>>> for Timeline<T> {
    type Error = Error;
    fn try_from(changes: Vec<Change<T>>) -> Result<Timeline<T>> {
        Timeline::new(changes.into_iter().map(|c| (c.effective, c.value)))
    }
}

impl<T> From<Timeline<T>> for Vec<Change<T>> {
    fn from(timeline: Timeline<T>) -> Vec<Change<T>> {
        timeline.changes
    }
}

/// A stretch of a period during which a [`Timeline`] holds one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment<'a, T> {
    /// The first day of the segment.
    pub start: NaiveDate,
    /// The day after the last day of the segment.
    pub end: NaiveDate,
    /// The value during the segment.
    pub value: &'a T,
}

impl<'a, T> Segment<'a, T> {
    /// The segment as a custom period.
    pub fn period(&self) -> Period {
        Period {
            start: self.start,
            end: self.end,
            kind: PeriodKind::Custom,
        }
    }
}

impl<T> Timeline<T> {
    /// A timeline from `(effective date, value)` pairs in any order.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when there
    /// are no changes or two changes share a date.
    pub fn new(changes: impl IntoIterator<Item = (NaiveDate, T)>) -> Result<Timeline<T>> {
        let mut changes: Vec<Change<T>> = changes
            .into_iter()
            .map(|(effective, value)| Change { effective, value })
            .collect();
        if changes.is_empty() {
            return Err(Error::invalid_input("timeline has no values"));
        }
        changes.sort_by_key(|c| c.effective);
        if let Some(date) = changes.windows(2).find_map(|w| match w {
            [a, b] if a.effective == b.effective => Some(a.effective),
            _ => None,
        }) {
            return Err(Error::invalid_input(format!(
                "timeline has two values effective on {date}"
            )));
        }
        Ok(Timeline { changes })
    }

    /// A timeline holding `value` from `effective` on.
    pub fn constant(effective: NaiveDate, value: T) -> Timeline<T> {
        Timeline {
            changes: vec![Change { effective, value }],
        }
    }

    /// The changes, in date order.
    pub fn changes(&self) -> &[Change<T>] {
        &self.changes
    }

    /// The value on `date`, or `None` before the first change.
    pub fn value_on(&self, date: NaiveDate) -> Option<&T> {
        let after = self.changes.partition_point(|c| c.effective <= date);
        after
            .checked_sub(1)
            .and_then(|i| self.changes.get(i))
            .map(|c| &c.value)
    }

    /// The segments of `period` with a value, in order. Days before the
    /// first change belong to no segment.
    ///
    /// ```
    /// use perfpay::{Decimal, NaiveDate, Period, Timeline};
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    /// let salary = Timeline::new([(d(1), 9_000), (d(10), 10_000)])?;
    /// let segments = salary.segments(&Period::month(2026, 11)?);
    /// assert_eq!(segments.len(), 2);
    /// assert_eq!((segments[0].start, segments[0].end, *segments[0].value), (d(1), d(10), 9_000));
    /// assert_eq!((segments[1].start, *segments[1].value), (d(10), 10_000));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn segments(&self, period: &Period) -> Vec<Segment<'_, T>> {
        self.segments_in(*period).collect()
    }

    /// The segments of `period`, in order, without collecting them.
    fn segments_in(&self, period: Period) -> impl Iterator<Item = Segment<'_, T>> {
        self.changes.iter().enumerate().filter_map(move |(i, change)| {
            let until = self
                .changes
                .get(i.saturating_add(1))
                .map_or(period.end, |next| next.effective);
            period.intersect(change.effective, until).map(|part| Segment {
                start: part.start,
                end: part.end,
                value: &change.value,
            })
        })
    }
}

/// A period amount prorated over the segments of a [`Timeline`]; see
/// [`Timeline::prorate`] (its explanation an `R` when computed with
/// another [`Recorder`]).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proration<R = Explanation> {
    /// The prorated total, rounded once by the policy.
    pub total: Decimal,
    /// Counted days in the whole period (the denominator).
    pub period_days: u32,
    /// One entry per segment; the amounts sum exactly to `total`.
    pub segments: Vec<ProratedSegment>,
    /// How the total was made.
    pub explanation: R,
}

/// One segment of a [`Proration`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProratedSegment {
    /// The first day of the segment.
    pub start: NaiveDate,
    /// The day after the last day of the segment.
    pub end: NaiveDate,
    /// The full-period value in force during the segment.
    pub value: Decimal,
    /// Counted days in the segment.
    pub days: u32,
    /// The segment's share of the total.
    pub amount: Decimal,
}

impl Timeline<Decimal> {
    /// Prorates a per-period amount (a monthly salary) over `period`.
    ///
    /// The total is Σ value × segment days ÷ period days, computed exactly and
    /// rounded once; it is then split over the segments by
    /// [`allocate`], so the segment amounts sum exactly to
    /// the total. Days before the first change earn nothing but still count
    /// in the denominator.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DivisionByZero`](crate::ErrorKind::DivisionByZero) when the
    /// period has no counted days; [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput)
    /// for a negative value in force during the period;
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) on overflow.
    ///
    /// ```
    /// use perfpay::{Decimal, NaiveDate, Period, RoundingPolicy, Timeline};
    /// use perfpay::period::DayBasis;
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    /// let salary = Timeline::new([(d(1), Decimal::from(9_000)), (d(10), Decimal::from(10_000))])?;
    /// let nov = Period::month(2026, 11)?;
    /// let paid = salary.prorate(&nov, &DayBasis::CalendarDays, RoundingPolicy::cents())?;
    /// // 9,000 × 9/30 + 10,000 × 21/30 = 2,700 + 7,000
    /// assert_eq!(paid.total.to_string(), "9700.00");
    /// assert_eq!(paid.segments[0].amount.to_string(), "2700.00");
    /// assert_eq!(
    ///     paid.explanation.statement(&RoundingPolicy::cents()),
    ///     "prorated amount 9,700.00 = 9,000.00 × 9 / 30 calendar days + 10,000.00 × 21 / 30 calendar days",
    /// );
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn prorate(&self, period: &Period, basis: &DayBasis, policy: RoundingPolicy) -> Result<Proration> {
        self.prorate_with::<Explanation>(period, basis, policy)
    }

    /// The one place a timeline is prorated, its step recorded by `R`.
    ///
    /// # Errors
    ///
    /// As [`prorate`](Self::prorate).
    pub fn prorate_with<R: Recorder>(
        &self,
        period: &Period,
        basis: &DayBasis,
        policy: RoundingPolicy,
    ) -> Result<Proration<R>> {
        self.prorate_in(period, basis, policy, &mut Static::new())
    }

    /// [`prorate_with`](Self::prorate_with), its step written to `rec`.
    pub(crate) fn prorate_in<Q: Sink>(
        &self,
        period: &Period,
        basis: &DayBasis,
        policy: RoundingPolicy,
        rec: &mut Q,
    ) -> Result<Proration<Q::Step>> {
        let period_days = basis.count(period);
        if period_days == 0 {
            return Err(Error::division_by_zero(format!(
                "period {period} has no {}",
                basis.describe()
            )));
        }
        let mut prorated = Vec::with_capacity(1);
        let mut numerator = Decimal::ZERO;
        for segment in self.segments_in(*period) {
            if segment.value.is_sign_negative() && !segment.value.is_zero() {
                return Err(Error::invalid_input(format!(
                    "timeline value {} effective in {period} is negative",
                    segment.value
                )));
            }
            // a segment covering the whole period (no change within it, the
            // usual case) counts what the period counts
            let counted = if segment.start == period.start && segment.end == period.end {
                period_days
            } else {
                basis.count(&segment.period())
            };
            numerator = numerator.try_add(segment.value.try_mul(Decimal::from(counted))?)?;
            prorated.push(ProratedSegment {
                start: segment.start,
                end: segment.end,
                value: *segment.value,
                days: counted,
                amount: Decimal::ZERO,
            });
        }
        let total = policy.round_ratio(numerator, Decimal::from(period_days))?;
        if total.is_zero() {
            for p in &mut prorated {
                p.amount = policy.round(Decimal::ZERO);
            }
        } else if let [only] = prorated.as_mut_slice() {
            // a single share of a non-zero total is the total itself
            only.amount = total;
        } else {
            let weights = prorated
                .iter()
                .map(|p| p.value.try_mul(Decimal::from(p.days)))
                .collect::<Result<Vec<Decimal>>>()?;
            for (p, amount) in prorated.iter_mut().zip(allocate(total, &weights, policy)?) {
                p.amount = amount;
            }
        }

        let explanation = rec.record(|| explain_proration(&prorated, total, period_days, basis));
        Ok(Proration {
            total,
            period_days,
            segments: prorated,
            explanation,
        })
    }
}

/// The step of a proration: each segment's value × its days over the
/// period's, and one child per segment when there are several.
fn explain_proration(
    prorated: &[ProratedSegment],
    total: Decimal,
    period_days: u32,
    basis: &DayBasis,
) -> Explanation {
    let days = if matches!(basis, DayBasis::CalendarDays) {
        &msg::CALENDAR_DAYS_AFTER
    } else {
        &msg::WORKING_DAYS_AFTER
    };
    let explanation = Explanation::money(&msg::PRORATED_AMOUNT, total);
    let explanation = if prorated.is_empty() {
        explanation.terms([Term::text(&msg::NO_VALUE_IN_FORCE_DURING_THE_PERIOD)])
    } else {
        explanation.joined(
            crate::text!(" + "),
            prorated.iter().map(|p| {
                [
                    Term::value(p.value, Unit::Money),
                    Term::text(&msg::TIMES),
                    Term::value(Decimal::from(p.days), Unit::Days),
                    Term::text(&msg::OVER),
                    Term::value(Decimal::from(period_days), Unit::Days),
                    Term::text(days),
                ]
            }),
        )
    };
    // one step per segment, with its share of the rounded total, when there
    // are several; a single segment's share is the total itself
    if prorated.len() > 1 {
        explanation.children_from(prorated.iter().map(|p| {
            Explanation::money(
                msg::SEGMENT_NAMED.with([Term::text(span(p.start, p.end))]),
                p.amount,
            )
            .terms_and_inputs(
                [],
                [
                    (&msg::VALUE, p.value, Unit::Money),
                    (&msg::DAYS, Decimal::from(p.days), Unit::Days),
                ],
            )
        }))
    } else {
        explanation
    }
}

/// A segment's dates, `2026-11-01/2026-12-01`, written digit by digit.
fn span(start: NaiveDate, end: NaiveDate) -> String {
    let mut out = String::with_capacity(21);
    push_date(&mut out, start);
    out.push('/');
    push_date(&mut out, end);
    out
}

/// Writes `date` as `chrono` displays it (`YYYY-MM-DD`).
fn push_date(out: &mut String, date: NaiveDate) {
    use std::fmt::Write as _;
    match iso_digits(date) {
        Some(digits) => out.push_str(digits.as_str()),
        // signed or five-digit years: leave them to chrono
        None => {
            let _ = write!(out, "{date}");
        }
    }
}

/// `YYYY-MM-DD` on the stack, for years 0 to 9999 (`None` otherwise).
pub(crate) fn iso_digits(date: NaiveDate) -> Option<IsoDate> {
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    // a digit 0–9 ORed onto b'0' (0x30) is its ASCII character
    let digit = |n: u32| b'0' | (n % 10) as u8;
    let (month, day) = (date.month(), date.day());
    Some(IsoDate([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ]))
}

/// A date's ten ASCII characters.
pub(crate) struct IsoDate([u8; 10]);

impl IsoDate {
    pub(crate) fn as_str(&self) -> &str {
        // ASCII digits and dashes only
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Serializes a date as chrono does (`"2026-11-01"`), without going through
/// the formatter: every employee's salary dates are serialized into its
/// fingerprint.
fn serialize_date<S: serde::Serializer>(
    date: &NaiveDate,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    match iso_digits(*date) {
        Some(digits) => serializer.serialize_str(digits.as_str()),
        None => date.serialize(serializer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            let mut out = String::new();
            push_date(&mut out, date);
            assert_eq!(out, date.to_string());
            date += chrono::Duration::days(13);
        }
        for (y, m, d) in [
            (0, 1, 1),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-1, 10, 10),
            (-44, 3, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut out = String::new();
            push_date(&mut out, date);
            assert_eq!(out, date.to_string());
        }
        let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2026, 11, 10).unwrap();
        assert_eq!(span(start, end), "2026-10-01/2026-11-10");
    }

    #[test]
    fn dates_serialize_as_chrono_serializes_them() {
        let json = |date: NaiveDate| {
            let mut out = Vec::new();
            serialize_date(&date, &mut serde_json::Serializer::new(&mut out)).unwrap();
            String::from_utf8(out).unwrap()
        };
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(json(date), serde_json::to_string(&date).unwrap());
            date += chrono::Duration::days(13);
        }
        for (y, m, d) in [(0, 1, 1), (9999, 12, 31), (10_000, 1, 1), (-1, 10, 10)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(json(date), serde_json::to_string(&date).unwrap());
        }
        // a timeline's JSON is unchanged
        let timeline = Timeline::new([(start_of(2026, 11), dec!(8000)), (start_of(1, 2), dec!(1))]).unwrap();
        assert_eq!(
            serde_json::to_string(&timeline).unwrap(),
            r#"[{"effective":"0001-02-01","value":"1"},{"effective":"2026-11-01","value":"8000"}]"#
        );
    }

    fn start_of(year: i32, month: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, 1).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn labels_parse_and_print() {
        for label in ["2026-11", "2026-Q1", "2026-Q4", "2026", "2026-11-10/2026-12-01"] {
            let period: Period = label.parse().unwrap();
            assert_eq!(period.to_string(), label);
        }
        assert_eq!("2026-Q2".parse::<Period>().unwrap().start(), d(2026, 4, 1));
        for bad in [
            "",
            "26-11",
            "2026-13",
            "2026-Q5",
            "2026-1",
            "2026-11-31/2026-12-01",
            "2026-12-01/2026-11-01",
            "2026-+1",
            "x",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
        assert_eq!(
            "2026-13".parse::<Period>().unwrap_err().to_string(),
            "month 13 is not between 1 and 12"
        );
    }

    #[test]
    fn neighbours_chain_without_gaps() {
        let dec_2026 = Period::month(2026, 12).unwrap();
        assert_eq!(dec_2026.next().unwrap().to_string(), "2027-01");
        assert_eq!(dec_2026.previous().unwrap().to_string(), "2026-11");
        let q1 = Period::quarter(2027, 1).unwrap();
        assert_eq!(q1.previous().unwrap().to_string(), "2026-Q4");
        let custom = Period::custom(d(2026, 11, 10), d(2026, 11, 20)).unwrap();
        assert_eq!(custom.next().unwrap().to_string(), "2026-11-20/2026-11-30");
        assert_eq!(Period::year(2026).unwrap().days(), 365);
        assert_eq!(Period::year(2028).unwrap().days(), 366);
        let last = Period::month(NaiveDate::MAX.year(), 12).map(|p| p.next());
        assert!(matches!(last, Err(_) | Ok(Err(_))));
    }

    #[test]
    fn calendar_counts_exceptions() {
        let cal = WorkCalendar::new(
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            [d(2026, 11, 2)],
            [d(2026, 11, 7)],
        )
        .unwrap();
        // November 2026: 21 weekdays − 1 holiday + 1 make-up Saturday
        assert_eq!(cal.working_days(&Period::month(2026, 11).unwrap()), 21);
        let err = WorkCalendar::new([Weekday::Mon], [d(2026, 1, 1)], [d(2026, 1, 1)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2026-01-01 is listed both as a holiday and as a working day"
        );
        let json = serde_json::to_string(&cal).unwrap();
        assert_eq!(
            json,
            r#"{"weekdays":["Mon","Tue","Wed","Thu","Fri"],"holidays":["2026-11-02"],"working_days":["2026-11-07"]}"#
        );
        assert_eq!(serde_json::from_str::<WorkCalendar>(&json).unwrap(), cal);
    }

    #[test]
    fn proration_on_working_days_with_a_mid_month_raise() {
        let salary = Timeline::new([(d(2026, 1, 1), dec!(8000)), (d(2026, 11, 16), dec!(9000))]).unwrap();
        let nov = Period::month(2026, 11).unwrap();
        let basis = DayBasis::WorkingDays(WorkCalendar::monday_to_friday());
        let paid = salary.prorate(&nov, &basis, RoundingPolicy::cents()).unwrap();
        // 1–15 Nov: 10 working days; 16–30 Nov: 11 working days; 21 in all
        assert_eq!(paid.period_days, 21);
        assert_eq!(paid.segments[0].days, 10);
        assert_eq!(paid.segments[1].days, 11);
        // 8000×10/21 + 9000×11/21 = 179000/21 = 8523.8095… → 8523.81
        assert_eq!(paid.total, dec!(8523.81));
        // shares of 8523.81 by 80000 : 99000 are 3809.524… and 4714.285…;
        // the leftover cent goes to the larger remainder (.59 beats .40)
        assert_eq!(paid.segments[0].amount + paid.segments[1].amount, dec!(8523.81));
        assert_eq!(paid.segments[0].amount, dec!(3809.52));
        assert_eq!(paid.segments[1].amount, dec!(4714.29));
    }

    #[test]
    fn proration_before_hire_and_errors() {
        let salary = Timeline::constant(d(2026, 11, 21), dec!(3000));
        let nov = Period::month(2026, 11).unwrap();
        let paid = salary
            .prorate(&nov, &DayBasis::CalendarDays, RoundingPolicy::cents())
            .unwrap();
        assert_eq!(paid.total, dec!(1000.00));
        let later = Timeline::constant(d(2027, 1, 1), dec!(3000));
        let paid = later
            .prorate(&nov, &DayBasis::CalendarDays, RoundingPolicy::cents())
            .unwrap();
        assert_eq!(paid.total, dec!(0.00));
        assert!(paid.segments.is_empty());

        let no_days = DayBasis::WorkingDays(WorkCalendar::new([], [], []).unwrap());
        let err = salary
            .prorate(&nov, &no_days, RoundingPolicy::cents())
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::DivisionByZero);
        assert_eq!(err.to_string(), "period 2026-11 has no working days");

        let negative = Timeline::constant(d(2026, 1, 1), dec!(-1));
        let err = negative
            .prorate(&nov, &DayBasis::CalendarDays, RoundingPolicy::cents())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "timeline value -1 effective in 2026-11 is negative"
        );

        let err = Timeline::new([(d(2026, 1, 1), 1), (d(2026, 1, 1), 2)]).unwrap_err();
        assert_eq!(err.to_string(), "timeline has two values effective on 2026-01-01");
        assert!(Timeline::<Decimal>::new([]).is_err());
        assert_eq!(
            prorate(dec!(1), 3, 2, RoundingPolicy::cents())
                .unwrap_err()
                .to_string(),
            "cannot prorate 3 days out of 2"
        );
    }
}
