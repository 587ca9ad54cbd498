//! Payslips: attendance, performance, commission and awards flowing into
//! pay, exact and explained.
//!
//! A [`Payslip`] is an ordered list of [`PayLine`]s, each rounded once by the
//! plan's policy; gross, deductions and net are sums of rounded lines, so
//! `net = gross − deductions` holds exactly. Year-to-date totals go in and
//! come out ([`PayrollYtd`]), so consecutive periods chain.
//!
//! Line order and codes:
//!
//! | code | kind | what |
//! |---|---|---|
//! | `BASE` | earning | salary prorated over employment and effective-dated changes |
//! | `ABSENCE` | earning (negative) | unpaid absence: base × absent days ÷ scheduled days |
//! | `OVERTIME` | earning | hours × multiplier × salary ÷ hours divisor |
//! | `BONUS` | earning | target bonus × grade coefficient |
//! | `COMMISSION` | earning | from the commission rule |
//! | other codes | earning | items decided elsewhere (`POOL`: a bonus-pool share; `ADJ-…`: a corrected earlier period) |
//! | `AWARD` | earning | each cash award (negative for a clawback) |
//! | `LATENESS` | deduction | penalties by lateness band |
//! | contribution codes | deduction / employer cost | rate × base (floored and capped) |
//! | `WITHHOLDING` | deduction | cumulative year-to-date withholding |
//! | `DAYS` | information | days worked of days scheduled |

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Recorder, Term, Unit};
use crate::id::{EmployeeId, GradeId};
use crate::incentive::{Award, AwardKind};
use crate::locale::{Locale, msg};
use crate::money::{Currency, DecimalExt, RoundingPolicy, at_least, at_most, checked_sum};
use crate::period::{DayBasis, Period, Timeline};
use crate::text::Text;
use crate::tier::{CumulativeWithholding, YearToDate};

/// What a payslip line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Counts toward gross (may be negative: unpaid absence, a clawback).
    Earning,
    /// Taken from gross to reach net.
    Deduction,
    /// Paid by the employer on top (employer contributions); not in net.
    EmployerCost,
    /// Shown for information only (days worked); never summed.
    Information,
}

/// One line of a payslip.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct PayLine {
    /// The line's code (`BASE`, `BONUS`, `PENSION`, …).
    pub code: Text,
    /// What kind of line.
    pub kind: LineKind,
    /// The amount, rounded by the policy.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub amount: Decimal,
    /// What it refers to: an award key, a grade, a rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
    /// How the amount was made.
    pub explanation: Explanation,
}

impl PayLine {
    /// The line's name for a reader of `locale`: perfpay's own codes by
    /// their message (`BASE` → `base salary`, `基本工资`), an adjustment
    /// (`ADJ-COMMISSION`) as the adjustment of its line, any other code (a
    /// contribution, an allowance) by the names the locale carries
    /// ([`CompiledPlan::locale`](crate::CompiledPlan::locale)), else as
    /// the code.
    ///
    /// ```
    /// use perfpay::locale::Locale;
    /// use perfpay::payroll::PayLine;
    ///
    /// let line: PayLine = serde_json::from_str(
    ///     r#"{"code":"ADJ-COMMISSION","kind":"earning","amount":"75","explanation":{"label":"x","value":"75","unit":"money"}}"#,
    /// )?;
    /// assert_eq!(line.name_in(Locale::english()), "adjustment of commission");
    /// assert_eq!(line.name_in(Locale::chinese()), "提成 调整");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn name_in(&self, locale: &Locale) -> String {
        let code = self.code.as_str();
        if let Some(of) = code.strip_prefix("ADJ-") {
            let of = line_name(of, locale);
            return locale.text_with(msg::ADJUSTMENT_OF.def(), &[of.into()]);
        }
        line_name(code, locale)
    }
}

/// A line code's name: perfpay's own codes by their message, others by the
/// locale's names.
fn line_name(code: &str, locale: &Locale) -> String {
    let message = match code {
        "BASE" => &msg::LINE_BASE,
        "BONUS" => &msg::PERFORMANCE_BONUS,
        "COMMISSION" => &msg::COMMISSION,
        "AWARD" => &msg::LINE_AWARD,
        "POOL" => &msg::LINE_POOL,
        "OVERTIME" => &msg::OVERTIME,
        "LATENESS" => &msg::LATENESS,
        "ABSENCE" => &msg::UNPAID_ABSENCE,
        "WITHHOLDING" => &msg::WITHHOLDING,
        "DAYS" => &msg::DAYS_WORKED,
        "DRAW" => &msg::DRAW,
        "DRAW-RECOVERY" => &msg::DRAW_RECOVERY,
        "CLAWBACK" => &msg::CLAWBACK,
        "NET" => &msg::NET_PAY,
        _ => return locale.name_of(code).to_owned(),
    };
    locale.text(message.def())
}

/// Totals carried through the year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PayrollYtd {
    /// The year the totals belong to.
    pub year: i32,
    /// Gross pay so far.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub gross: Decimal,
    /// Employee contributions so far.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub contributions: Decimal,
    /// Employer contributions so far.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub employer_contributions: Decimal,
    /// The withholding state (taxable base and amount withheld so far).
    pub withholding: YearToDate,
    /// Commission credit so far this year (the metric the role's commission
    /// is paid on), for tiers that count from the year's start.
    #[serde(
        default,
        skip_serializing_if = "Decimal::is_zero",
        serialize_with = "crate::money::serialize_decimal"
    )]
    pub credit: Decimal,
    /// Commission credit so far this quarter, for tiers that count from the
    /// quarter's start.
    #[serde(
        default,
        skip_serializing_if = "Decimal::is_zero",
        serialize_with = "crate::money::serialize_decimal"
    )]
    pub quarter_credit: Decimal,
    /// Draws advanced against commission and not yet recovered (carried
    /// into the next year as well).
    #[serde(
        default,
        skip_serializing_if = "Decimal::is_zero",
        serialize_with = "crate::money::serialize_decimal"
    )]
    pub draw_owed: Decimal,
    /// The currency the totals are in, once a payslip of a plan has added
    /// to them: a payslip in another currency is refused, never added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
}

impl PayrollYtd {
    /// Empty totals for `year`.
    pub fn new(year: i32) -> PayrollYtd {
        PayrollYtd {
            year,
            ..PayrollYtd::default()
        }
    }
}

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
    rounding: RoundingPolicy,
    currency: Option<Currency>,
    basis: DayBasis,
    lateness: Vec<LatenessBand>,
    overtime_divisor: Decimal,
    overtime: BTreeMap<OvertimeKind, Decimal>,
    /// Paid leave kinds and the share of pay each keeps (1 fully paid).
    leave: BTreeMap<String, Decimal>,
    contributions: Vec<Contribution>,
    withholding: Option<WithholdingSettings>,
}

/// Builds [`PayrollSettings`]; see [`PayrollSettings::builder`].
#[derive(Clone, Debug)]
pub struct PayrollSettingsBuilder {
    settings: PayrollSettings,
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
fn contribution_problems(i: usize, c: &Contribution, problems: &mut Vec<Problem>) {
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

/// Attendance for the period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// Unpaid absence, in days (halves allowed).
    #[serde(default)]
    pub unpaid_absence_days: Decimal,
    /// Minutes late, one entry per occurrence.
    #[serde(default)]
    pub late_minutes: Vec<u32>,
    /// Overtime hours by kind.
    #[serde(default)]
    pub overtime_hours: BTreeMap<OvertimeKind, Decimal>,
    /// Paid leave, in days by kind (the plan's `payroll.leave` names the
    /// kinds and what share of pay each keeps).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub paid_leave_days: BTreeMap<String, Decimal>,
}

/// One employee's attendance in a period as figures: what the payslip's
/// ABSENCE, LATENESS, OVERTIME and DAYS lines are made of, offered to KPIs,
/// gates and rules as the metrics named in [`ATTENDANCE_METRICS`] when a
/// plan declares them (so "attendance 10 %" can be a scorecard item).
///
/// ```
/// use perfpay::{Attendance, Decimal};
/// use perfpay::payroll::AttendanceFigures;
///
/// let attendance = Attendance { unpaid_absence_days: Decimal::ONE, late_minutes: vec![5, 40], ..Attendance::default() };
/// let figures = AttendanceFigures::new(21, &attendance)?;
/// assert_eq!(figures.worked_days, Decimal::from(20));
/// assert_eq!(figures.late_count, 2);
/// // 20 of 21 days worked
/// assert_eq!(figures.metric("attendance.rate"), Some(Decimal::from(20) / Decimal::from(21)));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttendanceFigures {
    /// Days scheduled while employed (the payslip's scheduled days).
    pub scheduled_days: u32,
    /// Unpaid absence, in days.
    pub absence_days: Decimal,
    /// Paid leave of every kind, in days.
    pub leave_days: Decimal,
    /// Days worked: scheduled − absence − leave.
    pub worked_days: Decimal,
    /// Late arrivals.
    pub late_count: u32,
    /// Minutes late, all arrivals together.
    pub late_minutes: u64,
    /// Overtime hours of every kind.
    pub overtime_hours: Decimal,
}

/// The attendance figures a plan may declare as metrics, and what each is:
/// `attendance.rate` (days worked ÷ days scheduled; absent when no day was
/// scheduled), `attendance.worked_days`, `attendance.scheduled_days`,
/// `attendance.absence_days`, `attendance.leave_days`,
/// `attendance.late_count`, `attendance.late_minutes`,
/// `attendance.overtime_hours`.
pub const ATTENDANCE_METRICS: [&str; 8] = [
    "attendance.rate",
    "attendance.worked_days",
    "attendance.scheduled_days",
    "attendance.absence_days",
    "attendance.leave_days",
    "attendance.late_count",
    "attendance.late_minutes",
    "attendance.overtime_hours",
];

impl AttendanceFigures {
    /// The figures of `attendance` over `scheduled_days`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming
    /// the field for negative absence, overtime or leave, or more days away
    /// than scheduled; overflow.
    pub fn new(scheduled_days: u32, attendance: &Attendance) -> Result<AttendanceFigures> {
        check_attendance(attendance)?;
        AttendanceFigures::checked(scheduled_days, attendance)
    }

    /// The figures of an attendance already checked (the payslip checks
    /// it before any line).
    fn checked(scheduled_days: u32, attendance: &Attendance) -> Result<AttendanceFigures> {
        let leave_days = if attendance.paid_leave_days.is_empty() {
            Decimal::ZERO
        } else {
            checked_sum(attendance.paid_leave_days.values().copied())?
        };
        let mut worked_days = Decimal::from(scheduled_days).try_sub(attendance.unpaid_absence_days)?;
        if !leave_days.is_zero() {
            worked_days = worked_days.try_sub(leave_days)?;
        }
        if worked_days < Decimal::ZERO {
            return Err(field_error(
                "attendance",
                format!(
                    "{} days away (absence and leave) is more than the {scheduled_days} days scheduled",
                    Decimal::from(scheduled_days).try_sub(worked_days)?
                ),
            ));
        }
        let overtime_hours = if attendance.overtime_hours.is_empty() {
            Decimal::ZERO
        } else {
            checked_sum(attendance.overtime_hours.values().copied())?
        };
        Ok(AttendanceFigures {
            scheduled_days,
            absence_days: attendance.unpaid_absence_days,
            leave_days,
            worked_days,
            late_count: u32::try_from(attendance.late_minutes.len()).unwrap_or(u32::MAX),
            late_minutes: attendance.late_minutes.iter().map(|&m| u64::from(m)).sum(),
            overtime_hours,
        })
    }

    /// The figure behind metric `name` (one of [`ATTENDANCE_METRICS`]);
    /// `None` for another name, and for `attendance.rate` when no day was
    /// scheduled.
    pub fn metric(&self, name: &str) -> Option<Decimal> {
        Some(match name {
            "attendance.rate" => {
                if self.scheduled_days == 0 {
                    return None;
                }
                self.worked_days.checked_div(Decimal::from(self.scheduled_days))?
            }
            "attendance.worked_days" => self.worked_days,
            "attendance.scheduled_days" => Decimal::from(self.scheduled_days),
            "attendance.absence_days" => self.absence_days,
            "attendance.leave_days" => self.leave_days,
            "attendance.late_count" => Decimal::from(self.late_count),
            "attendance.late_minutes" => Decimal::from(self.late_minutes),
            "attendance.overtime_hours" => self.overtime_hours,
            _ => return None,
        })
    }
}

/// The performance bonus input: target bonus × the grade's coefficient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BonusInput {
    /// The target (100 %) bonus for the period.
    pub target: Decimal,
    /// The grade reached.
    pub grade: GradeId,
    /// Its coefficient.
    pub coefficient: Decimal,
}

/// An earning decided outside the payslip (a bonus-pool share, an
/// adjustment of a corrected earlier period), with its code and explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PayItem {
    /// The line code.
    pub code: Text,
    /// The amount (rounded by the payslip's policy).
    pub amount: Decimal,
    /// What it refers to.
    pub source: Option<Text>,
    /// How it was made.
    pub explanation: Explanation,
}

/// Everything one employee's payslip is made from.
#[derive(Clone, Copy, Debug)]
pub struct PayInput<'a> {
    /// Who.
    pub employee: &'a EmployeeId,
    /// The period.
    pub period: &'a Period,
    /// Salary per period, effective-dated (before the first change: not employed).
    pub salary: &'a Timeline<Decimal>,
    /// The first day no longer employed, for a leaver.
    pub employed_until: Option<NaiveDate>,
    /// Attendance.
    pub attendance: &'a Attendance,
    /// Performance bonus, if any.
    pub bonus: Option<&'a BonusInput>,
    /// Commission earned, with its explanation.
    pub commission: Option<&'a Explanation>,
    /// Awards of the period; cash awards (and cash clawbacks) become lines.
    pub awards: &'a [Award],
    /// Other earnings decided elsewhere (a bonus-pool share), each its own line.
    pub other: &'a [PayItem],
    /// Year-to-date totals before this period (needed with withholding).
    pub ytd: Option<&'a PayrollYtd>,
    /// Commission credit of the period (what the role's commission is paid
    /// on), added to the year's and the quarter's credit.
    pub credit: Decimal,
    /// What is owed on draws after this period, when the role has a draw
    /// (its lines come as `other` items).
    pub draw_owed: Option<Decimal>,
    /// The employee's allowances, each a line prorated like the salary.
    pub allowances: &'a [Recurring],
    /// The employee's special deductions from the taxable pay.
    pub tax_deductions: &'a [Recurring],
    /// The employment level (0.8 for four days a week), effective-dated:
    /// the salary is paid at it, day by day.
    pub employment_level: Option<&'a Timeline<Decimal>>,
}

impl<'a> PayInput<'a> {
    /// Salary and attendance alone: no bonus, commission, awards, other
    /// earnings or year-to-date state. Set the rest with struct update
    /// syntax.
    ///
    /// ```
    /// use perfpay::{Attendance, Decimal, EmployeeId, NaiveDate, PayrollYtd, Period, Timeline};
    /// use perfpay::payroll::PayInput;
    ///
    /// let employee = EmployeeId::new("li")?;
    /// let nov = Period::month(2026, 11)?;
    /// let salary = Timeline::constant(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), Decimal::from(8_000));
    /// let attendance = Attendance::default();
    /// let ytd = PayrollYtd::new(2026);
    /// let input = PayInput { ytd: Some(&ytd), ..PayInput::new(&employee, &nov, &salary, &attendance) };
    /// assert!(input.bonus.is_none() && input.awards.is_empty());
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn new(
        employee: &'a EmployeeId,
        period: &'a Period,
        salary: &'a Timeline<Decimal>,
        attendance: &'a Attendance,
    ) -> PayInput<'a> {
        PayInput {
            employee,
            period,
            salary,
            employed_until: None,
            attendance,
            bonus: None,
            commission: None,
            awards: &[],
            other: &[],
            ytd: None,
            credit: Decimal::ZERO,
            draw_owed: None,
            allowances: &[],
            tax_deductions: &[],
            employment_level: None,
        }
    }
}

/// A payslip.
///
/// A payslip read back from storage is checked as it is read: its totals
/// are the sums of its lines and `net = gross − deductions`.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(try_from = "PayslipRecord")]
#[cfg_attr(feature = "schema", schemars(rename = "Payslip"))]
pub struct Payslip {
    /// Who.
    pub employee: EmployeeId,
    /// The period.
    pub period: Period,
    /// Every line, in order.
    pub lines: Vec<PayLine>,
    /// Sum of earning lines.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub gross: Decimal,
    /// Sum of deduction lines.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub deductions: Decimal,
    /// `gross − deductions`.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub net: Decimal,
    /// Sum of employer-cost lines.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub employer_cost: Decimal,
    /// Year-to-date totals after this period.
    pub ytd: PayrollYtd,
    /// `net = gross − deductions` (each line carries its own explanation).
    pub explanation: Explanation,
}

/// A payslip as stored, before its totals are checked.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Payslip"))]
struct PayslipRecord {
    employee: EmployeeId,
    period: Period,
    lines: Vec<PayLine>,
    gross: Decimal,
    deductions: Decimal,
    net: Decimal,
    employer_cost: Decimal,
    ytd: PayrollYtd,
    explanation: Explanation,
}

impl TryFrom<PayslipRecord> for Payslip {
    type Error = Error;

    fn try_from(r: PayslipRecord) -> Result<Payslip> {
        let sum = |kind: LineKind| checked_sum(r.lines.iter().filter(|l| l.kind == kind).map(|l| l.amount));
        for (what, kind, total) in [
            ("gross", LineKind::Earning, r.gross),
            ("deductions", LineKind::Deduction, r.deductions),
            ("employer_cost", LineKind::EmployerCost, r.employer_cost),
        ] {
            let lines = sum(kind)?;
            if lines != total {
                return Err(
                    Error::invalid_input(format!("{what} is {total}, but its lines sum to {lines}"))
                        .with_path(what),
                );
            }
        }
        let net = r.gross.try_sub(r.deductions)?;
        if net != r.net {
            return Err(
                Error::invalid_input(format!("net is {}, but gross − deductions is {net}", r.net))
                    .with_path("net"),
            );
        }
        Ok(Payslip {
            employee: r.employee,
            period: r.period,
            lines: r.lines,
            gross: r.gross,
            deductions: r.deductions,
            net: r.net,
            employer_cost: r.employer_cost,
            ytd: r.ytd,
            explanation: r.explanation,
        })
    }
}

impl fmt::Display for Payslip {
    /// The payslip as statements: net first, then every line with its
    /// explanation, money at cents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = RoundingPolicy::cents();
        writeln!(
            f,
            "{} {}: {}",
            self.employee,
            self.period,
            self.explanation.statement(&cents)
        )?;
        for line in &self.lines {
            f.write_str(&line.explanation.render(&cents))?;
        }
        Ok(())
    }
}

/// The lines of a payslip in the making, each rounded by the policy as it
/// is added.
struct Lines {
    policy: RoundingPolicy,
    lines: Vec<PayLine>,
}

impl Lines {
    /// Room for every line the payslip of `input` can have, so the lines
    /// are never moved while it is made.
    fn for_payslip(settings: &PayrollSettings, input: &PayInput<'_>) -> Lines {
        Lines {
            policy: settings.rounding,
            lines: Vec::with_capacity(
                8usize
                    .saturating_add(input.other.len())
                    .saturating_add(input.awards.len())
                    .saturating_add(input.allowances.len())
                    .saturating_add(settings.contributions.len().saturating_mul(2)),
            ),
        }
    }

    /// Adds a line of `raw` rounded by the policy (information lines, the
    /// days, are not money and stay exact), and returns the amount kept.
    fn push<R: Recorder>(
        &mut self,
        code: impl Into<Text>,
        kind: LineKind,
        raw: Decimal,
        source: Option<Text>,
        step: R,
    ) -> Decimal {
        let amount = if kind == LineKind::Information {
            raw
        } else {
            self.policy.round(raw)
        };
        self.lines.push(PayLine {
            code: code.into(),
            kind,
            amount,
            source,
            explanation: step.map(|e| e.with_result(amount)).into_explanation(),
        });
        amount
    }

    fn sum(&self, kind: LineKind) -> Result<Decimal> {
        checked_sum(self.lines.iter().filter(|l| l.kind == kind).map(|l| l.amount))
    }
}

fn field_error(path: &str, message: String) -> Error {
    Error::invalid_input(message).with_path(path.to_owned())
}

/// Makes one employee's payslip. Either the whole payslip or an error —
/// never a partial one.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming the
/// field: negative absence days, more absent days than scheduled, negative
/// overtime hours, a negative bonus target or coefficient, withholding
/// without year-to-date state, year-to-date state of another year;
/// [`ErrorKind::DivisionByZero`](crate::ErrorKind::DivisionByZero) for a
/// period without counted days; overflow.
pub fn payslip(settings: &PayrollSettings, input: &PayInput<'_>) -> Result<Payslip> {
    let commission = input.commission.map(|step| (step.result(), step.clone()));
    payslip_with::<Explanation>(settings, input, commission)
}

/// The one place a payslip is made: [`payslip`] with the commission given
/// as its amount and its step (the month close hands its step over rather
/// than copying it; `input.commission` is not read), every line's step
/// recorded by `R` (each explanation [`Explanation::not_recorded`] when `R`
/// records nothing).
///
/// # Errors
///
/// As [`payslip`].
pub fn payslip_with<R: Recorder>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    commission: Option<(Decimal, R)>,
) -> Result<Payslip> {
    let period = input.period;
    let context = |e: Error| e.with_employee(input.employee.clone()).with_period(period);
    let prior_ytd = validate(settings, input).map_err(context)?;
    let mut lines = Lines::for_payslip(settings, input);
    let base = base_pay::<R>(settings, input, &mut lines).map_err(context)?;
    absence::<R>(input, &base, &mut lines).map_err(context)?;
    leave::<R>(settings, input, &base, &mut lines).map_err(context)?;
    overtime::<R>(settings, input, &base, &mut lines).map_err(context)?;
    bonus::<R>(input, &mut lines)?;
    if let Some((raw, step)) = commission {
        commission_line(raw, step, &mut lines);
    }
    other_earnings::<R>(input, &mut lines);
    allowances::<R>(settings, input, &mut lines).map_err(context)?;
    cash_awards::<R>(input, &mut lines);
    let gross = lines.sum(LineKind::Earning)?;
    lateness::<R>(settings, input, &mut lines)?;
    let (employee_contributions, employer_contributions) =
        contributions::<R>(settings, period, gross, &mut lines)?;
    let withholding_state = match &settings.withholding {
        Some(w) => {
            let special = special_deductions(input)?;
            withholding::<R>(w, &prior_ytd, gross, employee_contributions, special, &mut lines)
                .map_err(context)?
        }
        None => prior_ytd.withholding,
    };
    days::<R>(input, &base, &mut lines)?;

    let deductions = lines.sum(LineKind::Deduction)?;
    let employer_cost = lines.sum(LineKind::EmployerCost)?;
    let net = gross.try_sub(deductions)?;
    let contributions = (employee_contributions, employer_contributions);
    let ytd = ytd_after(
        settings,
        input,
        &prior_ytd,
        gross,
        contributions,
        withholding_state,
    )?;
    // each line carries its own explanation; the payslip's says how they add up
    let explanation = R::record(|| {
        Explanation::money(&msg::NET_PAY, net).terms_and_inputs(
            [
                Term::value(gross, Unit::Money),
                Term::text(&msg::GROSS_MINUS),
                Term::value(deductions, Unit::Money),
                Term::text(&msg::DEDUCTIONS),
            ],
            [(&msg::EMPLOYER_COST, employer_cost, Unit::Money)],
        )
    });
    // the room made above for every line the payslip could have, given
    // back when the payslip is explained: a host keeps and stores those
    // outcomes (183 bytes an employee of the sample shop's); numbers alone
    // serve what-ifs, where the realloc's time (2 % of a month) counts more
    let mut lines = lines.lines;
    if R::RECORDS {
        lines.shrink_to_fit();
    }
    Ok(Payslip {
        employee: input.employee.clone(),
        period: *period,
        lines,
        gross,
        deductions,
        net,
        employer_cost,
        ytd,
        explanation: explanation.into_explanation(),
    })
}

/// The year-to-date state after the period: `prior` with the period's
/// gross pay, the employee's and the employer's `contributions` and the
/// commission credit added, the withholding state as the period left it,
/// and what is owed on a draw.
fn ytd_after(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    prior: &PayrollYtd,
    gross: Decimal,
    contributions: (Decimal, Decimal),
    withholding: YearToDate,
) -> Result<PayrollYtd> {
    let (employee, employer) = contributions;
    let ytd = PayrollYtd {
        year: prior.year,
        gross: prior.gross.try_add(gross)?,
        contributions: prior.contributions.try_add(employee)?,
        employer_contributions: prior.employer_contributions.try_add(employer)?,
        withholding,
        credit: prior.credit,
        quarter_credit: prior.quarter_credit,
        draw_owed: input.draw_owed.unwrap_or(prior.draw_owed),
        currency: settings.currency.or(prior.currency),
    };
    credited(ytd, input.period, input.credit)
}

/// Checks the inputs before anything is computed, and gives the
/// year-to-date state the payslip starts from.
fn validate(settings: &PayrollSettings, input: &PayInput<'_>) -> Result<PayrollYtd> {
    let period = input.period;
    check_attendance(input.attendance)?;
    if let Some(bonus) = input.bonus
        && (bonus.target < Decimal::ZERO || bonus.coefficient < Decimal::ZERO)
    {
        return Err(field_error(
            "bonus",
            "bonus target and coefficient must not be negative".into(),
        ));
    }
    match (&settings.withholding, input.ytd) {
        (Some(_), None) => Err(field_error(
            "ytd",
            "cumulative withholding needs the year-to-date state (PayrollYtd::new(year) for the first period)".into(),
        )),
        (_, Some(ytd)) if ytd.year != period.start().year() => Err(field_error(
            "ytd.year",
            format!(
                "year-to-date state is for {}, the period is in {}",
                ytd.year,
                period.start().year()
            ),
        )),
        (_, Some(ytd)) => match (settings.currency, ytd.currency) {
            (Some(pay), Some(totals)) if pay != totals => Err(field_error(
                "ytd.currency",
                format!(
                    "the year-to-date totals are in {totals}, the payslip in {pay}: perfpay does not mix currencies (converting is the host's)"
                ),
            )),
            _ => Ok(*ytd),
        },
        (None, None) => Ok(PayrollYtd::new(period.start().year())),
    }
}

/// No negative absence, overtime or leave.
fn check_attendance(attendance: &Attendance) -> Result<()> {
    if attendance.unpaid_absence_days < Decimal::ZERO {
        return Err(field_error(
            "attendance.unpaid_absence_days",
            format!("absence of {} days is negative", attendance.unpaid_absence_days),
        ));
    }
    for (kind, hours) in &attendance.overtime_hours {
        if *hours < Decimal::ZERO {
            return Err(field_error(
                &format!("attendance.overtime_hours.{kind}"),
                format!("{hours} overtime hours is negative"),
            ));
        }
    }
    for (kind, days) in &attendance.paid_leave_days {
        if *days < Decimal::ZERO {
            return Err(field_error(
                &format!("attendance.paid_leave_days.{kind}"),
                format!("{days} days of leave is negative"),
            ));
        }
    }
    Ok(())
}

/// What the base pay leaves for the lines after it.
struct BasePay {
    /// The prorated base salary.
    total: Decimal,
    /// Days scheduled while employed (days with a salary).
    scheduled: u32,
    /// The salary in force at the end of the period.
    salary_now: Decimal,
}

/// BASE: salary over employment and effective-dated changes.
fn base_pay<R: Recorder>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    lines: &mut Lines,
) -> Result<BasePay> {
    let salary = employed(input.salary, input.employed_until).map_err(|e| e.with_path("employed_until"))?;
    let leveled = match input.employment_level {
        Some(level) => Some(at_level(&salary, level)?),
        None => None,
    };
    let paid = leveled.as_ref().unwrap_or(&salary);
    let mut proration = paid.prorate_with::<R>(input.period, &settings.basis, settings.rounding)?;
    if let Some(level) = input.employment_level {
        // the level is shown with the proration it scaled
        proration.explanation = proration
            .explanation
            .child(R::record(|| level_step(level, input.period)));
    }
    let scheduled = scheduled_days(&proration);
    // the full-time salary of the last day paid (overtime is paid at it,
    // whatever the employment level)
    let salary_now = proration
        .segments
        .iter()
        .rev()
        .find(|s| !s.value.is_zero())
        .map_or(Decimal::ZERO, |s| {
            if input.employment_level.is_some() {
                salary.value_on(s.start).copied().unwrap_or(s.value)
            } else {
                s.value
            }
        });
    let total = proration.total;
    lines.push(
        crate::text!("BASE"),
        LineKind::Earning,
        total,
        None,
        proration.explanation,
    );
    Ok(BasePay {
        total,
        scheduled,
        salary_now,
    })
}

/// ABSENCE: base × absent days ÷ scheduled days.
fn absence<R: Recorder>(input: &PayInput<'_>, base: &BasePay, lines: &mut Lines) -> Result<()> {
    let absent = input.attendance.unpaid_absence_days;
    let scheduled = Decimal::from(base.scheduled);
    if absent > scheduled {
        return Err(field_error(
            "attendance.unpaid_absence_days",
            format!("{absent} days absent is more than the {scheduled} days scheduled"),
        ));
    }
    if absent.is_zero() {
        return Ok(());
    }
    let amount = lines.policy.round_ratio(base.total.try_mul(absent)?, scheduled)?;
    let step = R::record(|| {
        Explanation::money(&msg::UNPAID_ABSENCE, -amount).terms([
            Term::text(&msg::NEGATIVE),
            Term::value(base.total, Unit::Money),
            Term::text(&msg::TIMES),
            Term::value(absent, Unit::Days),
            Term::text(&msg::OVER),
            Term::value(scheduled, Unit::Days),
            Term::text(&msg::DAYS_SCHEDULED),
        ])
    });
    lines.push(crate::text!("ABSENCE"), LineKind::Earning, -amount, None, step);
    Ok(())
}

/// LEAVE-<kind>: a day of paid leave keeps its kind's share of pay; the
/// rest is taken off like unpaid absence (fully paid leave makes no line).
fn leave<R: Recorder>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    base: &BasePay,
    lines: &mut Lines,
) -> Result<()> {
    let scheduled = Decimal::from(base.scheduled);
    let mut away = input.attendance.unpaid_absence_days;
    for (kind, days) in &input.attendance.paid_leave_days {
        let path = || format!("attendance.paid_leave_days.{kind}");
        let Some(&rate) = settings.leave.get(kind) else {
            return Err(field_error(
                &path(),
                format!("the plan has no paid leave {kind} (payroll.leave)"),
            ));
        };
        away = away.try_add(*days)?;
        if away > scheduled {
            return Err(field_error(
                &path(),
                format!("{away} days away (absence and leave) is more than the {scheduled} days scheduled"),
            ));
        }
        let unpaid = Decimal::ONE.try_sub(rate)?;
        if days.is_zero() || unpaid.is_zero() {
            continue;
        }
        let amount = lines
            .policy
            .round_ratio(base.total.try_mul(*days)?.try_mul(unpaid)?, scheduled)?;
        let step = R::record(|| {
            Explanation::money(msg::LEAVE.with([Term::text(kind.to_string())]), -amount).terms([
                Term::text(&msg::NEGATIVE),
                Term::value(base.total, Unit::Money),
                Term::text(&msg::TIMES),
                Term::value(*days, Unit::Days),
                Term::text(&msg::OVER),
                Term::value(scheduled, Unit::Days),
                Term::text(&msg::DAYS_SCHEDULED_TIMES),
                Term::value(unpaid, Unit::Rate),
                Term::text(&msg::UNPAID),
            ])
        });
        lines.push(format!("LEAVE-{kind}"), LineKind::Earning, -amount, None, step);
    }
    Ok(())
}

/// OVERTIME: hours × multiplier × salary ÷ divisor, rounded once.
fn overtime<R: Recorder>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    base: &BasePay,
    lines: &mut Lines,
) -> Result<()> {
    let mut weighted_hours = Decimal::ZERO;
    for (kind, hours) in &input.attendance.overtime_hours {
        if hours.is_zero() {
            continue;
        }
        let multiplier = multiplier(settings, *kind)?;
        weighted_hours = weighted_hours.try_add(hours.try_mul(multiplier)?)?;
    }
    if weighted_hours.is_zero() {
        return Ok(());
    }
    let amount = lines.policy.round_ratio(
        base.salary_now.try_mul(weighted_hours)?,
        settings.overtime_divisor,
    )?;
    let step = R::record(|| {
        let hours = input
            .attendance
            .overtime_hours
            .iter()
            .filter(|(_, hours)| !hours.is_zero())
            .map(|(kind, hours)| {
                [
                    Term::value(*hours, Unit::Number),
                    Term::text(&msg::HOURS_TIMES),
                    Term::value(multiplier(settings, *kind).unwrap_or_default(), Unit::Number),
                ]
            });
        Explanation::money(&msg::OVERTIME, Decimal::ZERO)
            .joined(crate::text!(" + "), hours)
            .terms([
                Term::text(&msg::AT),
                Term::value(base.salary_now, Unit::Money),
                Term::text(&msg::OVER),
                Term::value(settings.overtime_divisor, Unit::Number),
                Term::text(&msg::HOURS),
            ])
    });
    lines.push(crate::text!("OVERTIME"), LineKind::Earning, amount, None, step);
    Ok(())
}

/// The multiplier of overtime of `kind`.
fn multiplier(settings: &PayrollSettings, kind: OvertimeKind) -> Result<Decimal> {
    settings.overtime.get(&kind).copied().ok_or_else(|| {
        field_error(
            &format!("attendance.overtime_hours.{kind}"),
            format!("no overtime multiplier is configured for {kind} (payroll.overtime.{kind})"),
        )
    })
}

/// BONUS: target × grade coefficient.
fn bonus<R: Recorder>(input: &PayInput<'_>, lines: &mut Lines) -> Result<()> {
    let Some(bonus) = input.bonus else {
        return Ok(());
    };
    let step = R::record(|| {
        Explanation::money(&msg::PERFORMANCE_BONUS, Decimal::ZERO).terms([
            Term::value(bonus.target, Unit::Money),
            Term::text(&msg::TIMES_GRADE),
            Term::text(&bonus.grade),
            Term::text(&msg::COEFFICIENT),
            Term::value(bonus.coefficient, Unit::Number),
        ])
    });
    lines.push(
        crate::text!("BONUS"),
        LineKind::Earning,
        bonus.target.try_mul(bonus.coefficient)?,
        Some(Text::from(&bonus.grade)),
        step,
    );
    Ok(())
}

/// COMMISSION: the commission's own step explains the line, unless the
/// payslip's rounding changes the amount: then a step says so.
fn commission_line<R: Recorder>(raw: Decimal, step: R, lines: &mut Lines) {
    let step = if lines.policy.round(raw) == raw {
        step
    } else {
        R::record(|| Explanation::money(&msg::COMMISSION, Decimal::ZERO)).child(step)
    };
    lines.push(crate::text!("COMMISSION"), LineKind::Earning, raw, None, step);
}

/// Other earnings (a bonus pool's share, adjustments of corrected periods),
/// each with its own explanation.
fn other_earnings<R: Recorder>(input: &PayInput<'_>, lines: &mut Lines) {
    for item in input.other {
        lines.push(
            item.code.clone(),
            LineKind::Earning,
            item.amount,
            item.source.clone(),
            R::record(|| item.explanation.clone()),
        );
    }
}

/// Each allowance: a line under its code, prorated over the period like
/// the salary (ending with employment for a leaver).
fn allowances<R: Recorder>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    lines: &mut Lines,
) -> Result<()> {
    for (i, a) in input.allowances.iter().enumerate() {
        let path = || format!("allowances[{i}].amount");
        if let Some(c) = a.amount.changes().iter().find(|c| c.value < Decimal::ZERO) {
            return Err(field_error(
                &path(),
                format!("allowance {} of {} is negative", a.code, c.value),
            ));
        }
        let amount = employed(&a.amount, input.employed_until).map_err(|e| e.with_path(path()))?;
        let proration = amount.prorate_with::<R>(input.period, &settings.basis, settings.rounding)?;
        if proration.total.is_zero() {
            continue;
        }
        let step = proration.explanation.map(|e| e.with_label(a.code.clone()));
        lines.push(
            a.code.clone(),
            LineKind::Earning,
            proration.total,
            Some(crate::text!("allowance")),
            step,
        );
    }
    Ok(())
}

/// The special deductions from the taxable pay in force on the period's
/// first day.
fn special_deductions(input: &PayInput<'_>) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    for (i, d) in input.tax_deductions.iter().enumerate() {
        let amount = d
            .amount
            .value_on(input.period.start())
            .copied()
            .unwrap_or_default();
        if amount < Decimal::ZERO {
            return Err(field_error(
                &format!("tax_deductions[{i}].amount"),
                format!("special deduction {} of {amount} is negative", d.code),
            ));
        }
        total = total.try_add(amount)?;
    }
    Ok(total)
}

/// The salary paid at the employment level: a change wherever either
/// changes, the salary then times the level then (1 before the level's
/// first date).
fn at_level(salary: &Timeline<Decimal>, level: &Timeline<Decimal>) -> Result<Timeline<Decimal>> {
    if let Some(c) = level
        .changes()
        .iter()
        .find(|c| c.value < Decimal::ZERO || c.value > Decimal::ONE)
    {
        return Err(field_error(
            "employment_level",
            format!(
                "employment level {} from {} is not between 0 and 1",
                c.value, c.effective
            ),
        ));
    }
    let mut dates: Vec<NaiveDate> = salary
        .changes()
        .iter()
        .chain(level.changes())
        .map(|c| c.effective)
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let mut changes = Vec::with_capacity(dates.len());
    for day in dates {
        let Some(pay) = salary.value_on(day) else {
            continue;
        };
        let at = level.value_on(day).copied().unwrap_or(Decimal::ONE);
        changes.push((day, pay.try_mul(at)?));
    }
    Timeline::new(changes)
}

/// The employment level in force during `period`, as a step.
fn level_step(level: &Timeline<Decimal>, period: &Period) -> Explanation {
    let segments = level.segments(period);
    let last = segments.last().map_or(Decimal::ONE, |s| *s.value);
    Explanation::new(&msg::EMPLOYMENT_LEVEL, last, Unit::Number).joined(
        crate::text!(", "),
        segments.iter().map(|s| {
            [
                Term::value(*s.value, Unit::Number),
                Term::text(&msg::FROM),
                Term::text(s.start.to_string()),
            ]
        }),
    )
}

/// `timeline` ending with employment (0 from `employed_until` on).
fn employed(
    timeline: &Timeline<Decimal>,
    employed_until: Option<NaiveDate>,
) -> Result<std::borrow::Cow<'_, Timeline<Decimal>>> {
    Ok(match employed_until {
        Some(end) => {
            let mut changes: Vec<(NaiveDate, Decimal)> = timeline
                .changes()
                .iter()
                .filter(|c| c.effective < end)
                .map(|c| (c.effective, c.value))
                .collect();
            changes.push((end, Decimal::ZERO));
            std::borrow::Cow::Owned(Timeline::new(changes)?)
        }
        None => std::borrow::Cow::Borrowed(timeline),
    })
}

/// Days scheduled while employed: the counted days of the segments with a
/// salary.
fn scheduled_days<R: Recorder>(proration: &crate::period::Proration<R>) -> u32 {
    proration
        .segments
        .iter()
        .filter(|s| !s.value.is_zero())
        .fold(0u32, |days, s| days.saturating_add(s.days))
}

/// AWARD: each cash award (or clawback), under its rule.
fn cash_awards<R: Recorder>(input: &PayInput<'_>, lines: &mut Lines) {
    for award in input.awards {
        if let AwardKind::Cash(amount) = award.kind {
            let label = if award.reverses.is_some() {
                &msg::CLAWBACK
            } else {
                &msg::LINE_AWARD
            };
            let step = R::record(|| {
                Explanation::money(label, Decimal::ZERO)
                    .terms([Term::text(&msg::RULE), Term::text(&award.rule)])
                    .child(award.explanation.clone())
            });
            lines.push(
                crate::text!("AWARD"),
                LineKind::Earning,
                amount,
                Some(Text::from(award.key.to_string())),
                step,
            );
        }
    }
}

/// The lateness band each late arrival reaches (the highest), if it costs
/// anything.
fn lateness_band(settings: &PayrollSettings, minutes: u32) -> Option<&LatenessBand> {
    settings
        .lateness
        .iter()
        .rev()
        .find(|b| minutes >= b.from_minutes)
        .filter(|band| !band.penalty.is_zero())
}

/// LATENESS: the penalty of the highest band each late arrival reaches.
fn lateness<R: Recorder>(settings: &PayrollSettings, input: &PayInput<'_>, lines: &mut Lines) -> Result<()> {
    let late = &input.attendance.late_minutes;
    let mut penalty = Decimal::ZERO;
    let mut counted = 0usize;
    for band in late.iter().filter_map(|m| lateness_band(settings, *m)) {
        counted = counted.saturating_add(1);
        penalty = penalty.try_add(band.penalty)?;
    }
    if counted == 0 {
        return Ok(());
    }
    let step = R::record(|| {
        let arrivals = late.iter().filter_map(|m| {
            lateness_band(settings, *m).map(|band| {
                [
                    Term::value(band.penalty, Unit::Money),
                    Term::text(&msg::SPACE_OPEN),
                    Term::value(Decimal::from(*m), Unit::Count),
                    Term::text(&msg::MIN_CLOSE),
                ]
            })
        });
        Explanation::money(&msg::LATENESS, Decimal::ZERO).joined(crate::text!(" + "), arrivals)
    });
    lines.push(crate::text!("LATENESS"), LineKind::Deduction, penalty, None, step);
    Ok(())
}

/// A contribution's step for one side (`who`: the employee's or the
/// employer's): `base × rate`, plus a fixed amount if any, rounded as its
/// own policy says.
fn contribution_step(
    c: &Contribution,
    base: Decimal,
    rate: Decimal,
    fixed: Decimal,
    who: &'static crate::locale::Message<0>,
) -> Explanation {
    // the usual shape (no fixed amount) in one allocation
    let e = Explanation::money(&c.code, Decimal::ZERO);
    let (base, times, rate, who) = (
        Term::value(base, Unit::Money),
        Term::text(&msg::TIMES),
        Term::value(rate, Unit::Rate),
        Term::text(who),
    );
    let e = if fixed.is_zero() {
        e.terms([base, times, rate, who])
    } else {
        e.terms([
            base,
            times,
            rate,
            Term::text(&msg::PLUS),
            Term::value(fixed, Unit::Money),
            who,
        ])
    };
    match c.rounding {
        Some(p) => e.text(msg::ROUNDED_TO_PLACES.with([Term::value(Decimal::from(p.scale()), Unit::Count)])),
        None => e,
    }
}

/// Contributions: rate × base (the base floored and capped) plus the fixed
/// amount, by the terms in force on the period's first day, each rounded by
/// its own policy when it has one; the employee's and the employer's totals.
fn contributions<R: Recorder>(
    settings: &PayrollSettings,
    period: &Period,
    gross: Decimal,
    lines: &mut Lines,
) -> Result<(Decimal, Decimal)> {
    let mut employee = Decimal::ZERO;
    let mut employer = Decimal::ZERO;
    for c in &settings.contributions {
        // the terms in force on the period's first day; without changes,
        // the contribution as it is (no copy)
        let changed;
        let c = if c.changes.is_empty() {
            c
        } else {
            changed = c.in_force(period.start());
            &changed
        };
        let mut base = at_least(gross, Decimal::ZERO);
        if let Some(floor) = c.base_floor {
            base = at_least(base, floor);
        }
        if let Some(cap) = c.base_cap {
            base = at_most(base, cap);
        }
        for (rate, fixed, kind, who) in [
            (
                c.employee_rate,
                c.employee_fixed,
                LineKind::Deduction,
                &msg::EMPLOYEE_NOTE,
            ),
            (
                c.employer_rate,
                c.employer_fixed,
                LineKind::EmployerCost,
                &msg::EMPLOYER_NOTE,
            ),
        ] {
            if rate.is_zero() && fixed.is_zero() {
                continue;
            }
            let step = R::record(|| contribution_step(c, base, rate, fixed, who));
            let mut raw = base.try_mul(rate)?;
            if !fixed.is_zero() {
                raw = raw.try_add(fixed)?;
            }
            if let Some(own) = c.rounding {
                raw = own.round(raw);
            }
            let rounded = lines.push(c.code.clone(), kind, raw, None, step);
            match kind {
                LineKind::Deduction => employee = employee.try_add(rounded)?,
                _ => employer = employer.try_add(rounded)?,
            }
        }
    }
    Ok((employee, employer))
}

/// WITHHOLDING on the cumulative taxable base; the year-to-date state
/// after it.
fn withholding<R: Recorder>(
    w: &WithholdingSettings,
    prior: &PayrollYtd,
    gross: Decimal,
    employee_contributions: Decimal,
    special: Decimal,
    lines: &mut Lines,
) -> Result<YearToDate> {
    let mut taxable = gross.try_sub(employee_contributions)?.try_sub(w.allowance)?;
    if !special.is_zero() {
        taxable = taxable.try_sub(special)?;
    }
    let out = w.brackets.withhold_with::<R>(&prior.withholding, taxable)?;
    // the line is the amount withheld this period, as the withholding
    // explains it, with the taxable base it was computed on as a step
    let base = R::record(|| {
        let step = Explanation::money(&msg::TAXABLE_THIS_PERIOD, taxable).terms([
            Term::value(gross, Unit::Money),
            Term::text(&msg::GROSS_MINUS),
            Term::value(employee_contributions, Unit::Money),
            Term::text(&msg::CONTRIBUTIONS_MINUS),
            Term::value(w.allowance, Unit::Money),
            Term::text(&msg::ALLOWANCE_AFTER),
        ]);
        if special.is_zero() {
            step
        } else {
            step.terms([
                Term::text(&msg::MINUS),
                Term::value(special, Unit::Money),
                Term::text(&msg::SPECIAL_DEDUCTIONS),
            ])
        }
    });
    let step = out
        .explanation
        .map(|e| e.with_label(&msg::WITHHOLDING))
        .first_child(base);
    lines.push(
        crate::text!("WITHHOLDING"),
        LineKind::Deduction,
        out.this_period,
        None,
        step,
    );
    Ok(out.state)
}

/// The year-to-date state with the period's commission credit added (a
/// quarter's first period starts the quarter's credit again); unchanged
/// without credit in a period inside a quarter — the usual case, kept cheap.
fn credited(mut ytd: PayrollYtd, period: &Period, credit: Decimal) -> Result<PayrollYtd> {
    let restart = period.starts_quarter();
    if credit.is_zero() && !restart {
        return Ok(ytd);
    }
    ytd.credit = ytd.credit.try_add(credit)?;
    ytd.quarter_credit = if restart {
        credit
    } else {
        ytd.quarter_credit.try_add(credit)?
    };
    Ok(ytd)
}

/// DAYS: information, the days worked.
fn days<R: Recorder>(input: &PayInput<'_>, base: &BasePay, lines: &mut Lines) -> Result<()> {
    // `validate` checked the attendance before the first line
    let figures = AttendanceFigures::checked(base.scheduled, input.attendance)?;
    let (scheduled, absent, leave, worked) = (
        Decimal::from(figures.scheduled_days),
        figures.absence_days,
        figures.leave_days,
        figures.worked_days,
    );
    let step = R::record(|| {
        let step = Explanation::new(&msg::DAYS_WORKED, worked, Unit::Days).terms([
            Term::value(scheduled, Unit::Days),
            Term::text(&msg::SCHEDULED_MINUS),
            Term::value(absent, Unit::Days),
            Term::text(&msg::UNPAID_ABSENCE_AFTER),
        ]);
        if leave.is_zero() {
            step
        } else {
            step.terms([
                Term::text(&msg::MINUS),
                Term::value(leave, Unit::Days),
                Term::text(&msg::PAID_LEAVE),
            ])
        }
    });
    lines.push(crate::text!("DAYS"), LineKind::Information, worked, None, step);
    Ok(())
}
