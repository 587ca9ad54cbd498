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

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::explain::{Explanation, Recorder, Sink, Static, Term, Unit};
use crate::id::{EmployeeId, GradeId};
use crate::incentive::Award;
use crate::locale::Locale;
use crate::money::{Currency, DecimalExt, RoundingPolicy, checked_sum};
use crate::period::{Period, Timeline};
use crate::text::Text;
use crate::text::msg;
use crate::tier::YearToDate;

mod attendance;
mod lines;
mod page;
mod settings;

pub use attendance::{ATTENDANCE_METRICS, Attendance, AttendanceFigures};
use lines::*;
pub use page::payslip_html;
pub use settings::{
    Contribution, ContributionChange, LatenessBand, OvertimeKind, PayrollSettings, PayrollSettingsBuilder,
    Recurring, WithholdingSettings,
};

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
    payslip_in(settings, input, commission, &mut Static::new())
}

/// [`payslip_with`], every line's step written to `rec`.
pub(crate) fn payslip_in<Q: Sink>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    commission: Option<(Decimal, Q::Step)>,
    rec: &mut Q,
) -> Result<Payslip> {
    let period = input.period;
    let context = |e: Error| e.with_employee(input.employee.clone()).with_period(period);
    let prior_ytd = validate(settings, input).map_err(context)?;
    let mut lines = Lines::for_payslip(settings, input);
    let base = base_pay(settings, input, &mut lines, rec).map_err(context)?;
    absence(input, &base, &mut lines, rec).map_err(context)?;
    leave(settings, input, &base, &mut lines, rec).map_err(context)?;
    overtime(settings, input, &base, &mut lines, rec).map_err(context)?;
    bonus(input, &mut lines, rec)?;
    if let Some((raw, step)) = commission {
        commission_line(raw, step, &mut lines, rec);
    }
    other_earnings(input, &mut lines, rec);
    allowances(settings, input, &mut lines, rec).map_err(context)?;
    cash_awards(input, &mut lines, rec);
    let gross = lines.sum(LineKind::Earning)?;
    lateness(settings, input, &mut lines, rec)?;
    let (employee_contributions, employer_contributions) =
        contributions(settings, period, gross, &mut lines, rec)?;
    let withholding_state = match &settings.withholding {
        Some(w) => {
            let special = special_deductions(input)?;
            let taxed = (gross, employee_contributions, special);
            withholding(w, &prior_ytd, taxed, &mut lines, rec).map_err(context)?
        }
        None => prior_ytd.withholding,
    };
    days(input, &base, &mut lines, rec)?;

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
    let explanation = rec.record(|| {
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
    if Q::RECORDS {
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
        explanation: rec.explanation(explanation),
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
