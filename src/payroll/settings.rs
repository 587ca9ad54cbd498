//! Payroll settings: overtime, lateness, leave, contributions and
//! withholding, validated by their builder.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::money::{Currency, RoundingPolicy};
use crate::period::{DayBasis, Period, Timeline};
use crate::text::Text;
use crate::tier::CumulativeWithholding;

use super::*;

/// Overtime categories, each with its own multiplier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OvertimeKind {
    /// On a working day.
    Workday,
    /// On a rest day.
    RestDay,
    /// On a public holiday.
    Holiday,
}

impl OvertimeKind {
    /// The kind as plans and inputs write it (`workday`, `rest_day`,
    /// `holiday`).
    pub fn as_str(self) -> &'static str {
        match self {
            OvertimeKind::Workday => "workday",
            OvertimeKind::RestDay => "rest_day",
            OvertimeKind::Holiday => "holiday",
        }
    }
}

impl fmt::Display for OvertimeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A lateness band: occurrences of at least `from_minutes` minutes cost
/// `penalty` each (the highest band reached applies).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LatenessBand {
    /// Minutes late, inclusive lower bound.
    pub from_minutes: u32,
    /// Penalty per occurrence.
    pub penalty: Decimal,
}

/// An amount of one employee's that recurs every period, effective-dated:
/// an allowance paid with the salary (prorated like it), or a special
/// deduction from the taxable pay (children's education, elderly care —
/// the amount in force on the period's first day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Recurring {
    /// The line or deduction code.
    pub code: Text,
    /// The amount per period, from each date on.
    pub amount: Timeline<Decimal>,
}

/// An employee and employer contribution (pension, medical, housing fund):
/// rate × base (the base floored and capped) plus a fixed amount, rounded
/// by its own policy when it has one, with rates, fixed amounts and bounds
/// that may change on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// The line code.
    pub code: Text,
    /// The employee's rate (deducted).
    pub employee_rate: Decimal,
    /// The employer's rate (employer cost).
    pub employer_rate: Decimal,
    /// The least base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_floor: Option<Decimal>,
    /// The greatest base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_cap: Option<Decimal>,
    /// A fixed amount the employee pays on top of the rate (`2 % + 3.00`).
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub employee_fixed: Decimal,
    /// A fixed amount the employer pays on top of the rate.
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub employer_fixed: Decimal,
    /// This contribution's own rounding (a housing fund to whole yuan),
    /// applied before the payslip's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<RoundingPolicy>,
    /// Rates, fixed amounts and base bounds that take effect on a date,
    /// oldest first (cities reset them every year): a period uses the
    /// terms in force on its first day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ContributionChange>,
}

/// New terms of a [`Contribution`] from a date; what it leaves out stays
/// as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ContributionChange {
    /// The first day the terms apply.
    pub effective: NaiveDate,
    /// The employee's rate from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_rate: Option<Decimal>,
    /// The employer's rate from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer_rate: Option<Decimal>,
    /// The least base from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_floor: Option<Decimal>,
    /// The greatest base from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_cap: Option<Decimal>,
    /// The employee's fixed amount from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_fixed: Option<Decimal>,
    /// The employer's fixed amount from then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer_fixed: Option<Decimal>,
}

impl Contribution {
    /// A contribution of `code` at the two rates, with no bounds, fixed
    /// amounts, own rounding or changes; set the rest with struct update
    /// syntax.
    pub fn new(code: impl Into<Text>, employee_rate: Decimal, employer_rate: Decimal) -> Contribution {
        Contribution {
            code: code.into(),
            employee_rate,
            employer_rate,
            base_floor: None,
            base_cap: None,
            employee_fixed: Decimal::ZERO,
            employer_fixed: Decimal::ZERO,
            rounding: None,
            changes: Vec::new(),
        }
    }

    /// The terms in force on `day`: the contribution with every change
    /// effective on or before it applied.
    ///
    /// ```
    /// use perfpay::{Decimal, NaiveDate};
    /// use perfpay::payroll::{Contribution, ContributionChange};
    ///
    /// let july = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    /// let fund = Contribution {
    ///     changes: vec![ContributionChange {
    ///         effective: july,
    ///         employee_rate: Some(Decimal::new(7, 2)),
    ///         employer_rate: None, base_floor: None, base_cap: Some(Decimal::from(36_000)),
    ///         employee_fixed: None, employer_fixed: None,
    ///     }],
    ///     ..Contribution::new("HOUSING", Decimal::new(12, 2), Decimal::new(12, 2))
    /// };
    /// let june = fund.in_force(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
    /// assert_eq!((june.employee_rate, june.base_cap), (Decimal::new(12, 2), None));
    /// let terms = fund.in_force(july);
    /// assert_eq!((terms.employee_rate, terms.base_cap), (Decimal::new(7, 2), Some(Decimal::from(36_000))));
    /// ```
    pub fn in_force(&self, day: NaiveDate) -> Contribution {
        let mut terms = Contribution {
            changes: Vec::new(),
            ..self.clone()
        };
        for change in self.changes.iter().take_while(|c| c.effective <= day) {
            let set = |slot: &mut Decimal, value: Option<Decimal>| {
                if let Some(v) = value {
                    *slot = v;
                }
            };
            set(&mut terms.employee_rate, change.employee_rate);
            set(&mut terms.employer_rate, change.employer_rate);
            set(&mut terms.employee_fixed, change.employee_fixed);
            set(&mut terms.employer_fixed, change.employer_fixed);
            if change.base_floor.is_some() {
                terms.base_floor = change.base_floor;
            }
            if change.base_cap.is_some() {
                terms.base_cap = change.base_cap;
            }
        }
        terms
    }
}

/// Cumulative withholding settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithholdingSettings {
    /// The brackets, applied to the year-to-date taxable base.
    pub brackets: CumulativeWithholding,
    /// Deducted from each period's taxable pay before withholding (a
    /// standard allowance; 0 for none).
    pub allowance: Decimal,
}

/// How payslips are made; validated once.
///
/// ```
/// use perfpay::{Decimal, RoundingPolicy};
/// use perfpay::payroll::{Contribution, PayrollSettings};
///
/// let settings = PayrollSettings::builder(RoundingPolicy::cents())
///     .contribution(Contribution {
///         base_floor: Some(Decimal::from(4_000)),
///         base_cap: Some(Decimal::from(30_000)),
///         ..Contribution::new("PENSION", Decimal::new(8, 2), Decimal::new(16, 2))
///     })
///     .build()?;
/// assert_eq!(settings.rounding(), RoundingPolicy::cents());
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PayrollSettings {
    pub(super) rounding: RoundingPolicy,
    pub(super) currency: Option<Currency>,
    pub(super) basis: DayBasis,
    pub(super) lateness: Vec<LatenessBand>,
    pub(super) overtime_divisor: Decimal,
    pub(super) overtime: BTreeMap<OvertimeKind, Decimal>,
    /// Paid leave kinds and the share of pay each keeps (1 fully paid).
    pub(super) leave: BTreeMap<String, Decimal>,
    pub(super) contributions: Vec<Contribution>,
    pub(super) withholding: Option<WithholdingSettings>,
}

/// Builds [`PayrollSettings`]; see [`PayrollSettings::builder`].
#[derive(Clone, Debug)]
pub struct PayrollSettingsBuilder {
    pub(super) settings: PayrollSettings,
}

impl PayrollSettingsBuilder {
    /// The currency pay is in: the year-to-date totals take it, and totals
    /// in another currency are refused (default: none, nothing checked).
    #[must_use]
    pub fn currency(mut self, currency: Currency) -> PayrollSettingsBuilder {
        self.settings.currency = Some(currency);
        self
    }

    /// Which days count for proration and attendance (default: calendar days).
    #[must_use]
    pub fn basis(mut self, basis: DayBasis) -> PayrollSettingsBuilder {
        self.settings.basis = basis;
        self
    }

    /// Adds a lateness band.
    #[must_use]
    pub fn lateness_band(mut self, from_minutes: u32, penalty: Decimal) -> PayrollSettingsBuilder {
        self.settings.lateness.push(LatenessBand {
            from_minutes,
            penalty,
        });
        self
    }

    /// The hours a period's salary pays for (e.g. 174 = 21.75 days × 8 h);
    /// the hourly rate for overtime is salary ÷ this.
    #[must_use]
    pub fn overtime_divisor(mut self, hours: Decimal) -> PayrollSettingsBuilder {
        self.settings.overtime_divisor = hours;
        self
    }

    /// The multiplier for an overtime kind (e.g. 1.5 workdays, 2 rest days,
    /// 3 public holidays).
    #[must_use]
    pub fn overtime(mut self, kind: OvertimeKind, multiplier: Decimal) -> PayrollSettingsBuilder {
        self.settings.overtime.insert(kind, multiplier);
        self
    }

    /// A kind of paid leave (annual, sick, a day off redeemed with points)
    /// and the share of pay a day of it keeps: 1 fully paid, 0.8 for sick
    /// leave at 80 %.
    #[must_use]
    pub fn leave(mut self, kind: impl Into<String>, pay_rate: Decimal) -> PayrollSettingsBuilder {
        self.settings.leave.insert(kind.into(), pay_rate);
        self
    }

    /// Adds a contribution.
    #[must_use]
    pub fn contribution(mut self, contribution: Contribution) -> PayrollSettingsBuilder {
        self.settings.contributions.push(contribution);
        self
    }

    /// Withholds by `brackets` on the cumulative taxable base, after
    /// `allowance` per period.
    #[must_use]
    pub fn withholding(
        mut self,
        brackets: CumulativeWithholding,
        allowance: Decimal,
    ) -> PayrollSettingsBuilder {
        self.settings.withholding = Some(WithholdingSettings { brackets, allowance });
        self
    }

    /// Validates the settings.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem with its field: a contribution floor above its cap,
    /// negative rates or penalties, a duplicate contribution code, a
    /// non-positive overtime divisor, a negative multiplier or allowance.
    pub fn build(self) -> Result<PayrollSettings> {
        let s = self.settings;
        let mut problems = Vec::new();
        let neg = |d: &Decimal| d.is_sign_negative() && !d.is_zero();
        for (i, band) in s.lateness.iter().enumerate() {
            if neg(&band.penalty) {
                problems.push(Problem::new(
                    format!("lateness[{i}].penalty"),
                    format!("penalty {} is negative", band.penalty),
                ));
            }
        }
        if s.overtime_divisor <= Decimal::ZERO {
            problems.push(Problem::new(
                "overtime_divisor",
                format!("{} is not positive", s.overtime_divisor),
            ));
        }
        for (kind, m) in &s.overtime {
            if neg(m) {
                problems.push(Problem::new(
                    format!("overtime.{kind:?}"),
                    format!("multiplier {m} is negative"),
                ));
            }
        }
        for (kind, rate) in &s.leave {
            if *rate < Decimal::ZERO || *rate > Decimal::ONE {
                problems.push(Problem::new(
                    format!("leave.{kind}"),
                    format!("pay rate {rate} is not between 0 and 1"),
                ));
            }
        }
        for (i, c) in s.contributions.iter().enumerate() {
            contribution_problems(i, c, &mut problems);
            if s.contributions.iter().take(i).any(|o| o.code == c.code) {
                problems.push(Problem::new(
                    format!("contributions[{i}].code"),
                    format!("code {} is used twice", c.code),
                ));
            }
        }
        if let Some(w) = &s.withholding
            && neg(&w.allowance)
        {
            problems.push(Problem::new(
                "withholding.allowance",
                format!("allowance {} is negative", w.allowance),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid payroll settings", problems));
        }
        let mut s = s;
        s.lateness.sort_by_key(|b| b.from_minutes);
        Ok(s)
    }
}

/// The problems of contribution `i`: changes out of order, and in every set
/// of its terms in force (the first, then after each change) a negative rate
/// or fixed amount, or a floor above the cap.
pub(super) fn contribution_problems(i: usize, c: &Contribution, problems: &mut Vec<Problem>) {
    let neg = |d: &Decimal| d.is_sign_negative() && !d.is_zero();
    let path = format!("contributions[{i}]");
    for (j, change) in c.changes.iter().enumerate() {
        if let Some(before) = j.checked_sub(1).and_then(|b| c.changes.get(b))
            && change.effective <= before.effective
        {
            problems.push(Problem::new(
                format!("{path}.changes[{j}].effective"),
                format!(
                    "{} is not after the change before it ({}): changes are oldest first",
                    change.effective, before.effective
                ),
            ));
        }
    }
    // changes out of order have no terms to check until sorted
    let sorted = c
        .changes
        .windows(2)
        .all(|w| matches!(w, [a, b] if a.effective < b.effective));
    let changes = if sorted { c.changes.as_slice() } else { &[] };
    let days = std::iter::once(None).chain(changes.iter().map(|ch| Some(ch.effective)));
    for (j, day) in days.enumerate() {
        let (terms, at) = match day {
            None => (c.clone(), path.clone()),
            Some(d) => (c.in_force(d), format!("{path}.changes[{}]", j.saturating_sub(1))),
        };
        if neg(&terms.employee_rate) || neg(&terms.employer_rate) {
            problems.push(Problem::new(format!("{at}.rate"), "rates must not be negative"));
        }
        if neg(&terms.employee_fixed) || neg(&terms.employer_fixed) {
            problems.push(Problem::new(
                format!("{at}.fixed"),
                "fixed amounts must not be negative",
            ));
        }
        if let (Some(floor), Some(cap)) = (terms.base_floor, terms.base_cap)
            && floor > cap
        {
            problems.push(Problem::new(
                format!("{at}.base_floor"),
                format!("floor {floor} is above cap {cap}"),
            ));
        }
    }
}

impl PayrollSettings {
    /// A builder: calendar-day basis, no penalties, overtime divisor 174
    /// hours with no multipliers, no contributions, no withholding.
    pub fn builder(rounding: RoundingPolicy) -> PayrollSettingsBuilder {
        PayrollSettingsBuilder {
            settings: PayrollSettings {
                rounding,
                currency: None,
                basis: DayBasis::CalendarDays,
                lateness: Vec::new(),
                overtime_divisor: Decimal::from(174),
                overtime: BTreeMap::new(),
                leave: BTreeMap::new(),
                contributions: Vec::new(),
                withholding: None,
            },
        }
    }

    /// The rounding policy applied to every line.
    pub fn rounding(&self) -> RoundingPolicy {
        self.rounding
    }

    /// The day basis.
    pub fn basis(&self) -> &DayBasis {
        &self.basis
    }

    /// The attendance figures of one employee in `period`: the days the
    /// payslip schedules (employment, effective-dated salary and level, the
    /// day basis) and what `attendance` says of them.
    ///
    /// # Errors
    ///
    /// As the payslip's BASE line for a bad salary, level or employment
    /// end; overflow.
    pub fn attendance_figures(
        &self,
        period: &Period,
        salary: &Timeline<Decimal>,
        employed_until: Option<NaiveDate>,
        employment_level: Option<&Timeline<Decimal>>,
        attendance: &Attendance,
    ) -> Result<AttendanceFigures> {
        let salary = employed(salary, employed_until)?;
        let leveled = match employment_level {
            Some(level) => Some(at_level(&salary, level)?),
            None => None,
        };
        let paid = leveled.as_ref().unwrap_or(&salary);
        let proration =
            paid.prorate_with::<crate::explain::NoExplanation>(period, &self.basis, self.rounding)?;
        AttendanceFigures::new(scheduled_days(&proration), attendance)
    }
}
