//! An employee's inputs for one period, as plain data.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::fingerprint::{date, decimal, serde, string, write_attendance, write_ytd};
use crate::goal::CheckIn;
use crate::id::{EmployeeId, MetricId, RoleId};
use crate::incentive::{AwardKey, Event};
use crate::payroll::{Attendance, PayItem, PayrollYtd, Recurring};
use crate::period::{Change, Timeline};
use crate::score::RaterSource;
use crate::tier::Transaction;

/// Everything known about one employee for one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EmployeeInputs {
    /// Who.
    pub employee: EmployeeId,
    /// Their role in the plan.
    pub role: RoleId,
    /// Salary per period, effective-dated.
    pub salary: Timeline<Decimal>,
    /// The first day no longer employed, for a leaver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employed_until: Option<NaiveDate>,
    /// Attendance.
    #[serde(default)]
    pub attendance: Attendance,
    /// Metrics of the period (shop data, goal achievements).
    #[serde(default)]
    pub metrics: BTreeMap<MetricId, Decimal>,
    /// Events of the period.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Year-to-date payroll state before the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ytd: Option<PayrollYtd>,
    /// Award keys granted before (never paid again).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub granted: BTreeSet<AwardKey>,
    /// Earning adjustments of corrected earlier periods, paid as lines of
    /// this period's payslip (see [`correct_period`](crate::correct_period)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<PayItem>,
    /// Transactions credited to the employee in the period (deals, orders,
    /// refunds), for a commission paid on transactions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<Transaction>,
    /// The employee's own allowances (transport, meals), effective-dated,
    /// each a pay line prorated like the salary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowances: Vec<Recurring>,
    /// The employee's special deductions from the taxable pay (children's
    /// education, elderly care), effective-dated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_deductions: Vec<Recurring>,
    /// The employment level (1 full time, 0.8 four days a week),
    /// effective-dated: the salary is paid at it, day by day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment_level: Option<Timeline<Decimal>>,
    /// Ratings of the period by source (`manager`, `peer`, `self`, or a
    /// name of the plan's own), several from one source averaged: the
    /// role's multi-source `sources` read them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ratings: BTreeMap<RaterSource, Vec<Decimal>>,
    /// Progress check-ins on the goals the employee owns (an OKR's weekly
    /// check-ins): the latest in the period is the goal's value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_ins: Vec<CheckIn>,
}

impl EmployeeInputs {
    /// An employee of `role` paid `salary`, with nothing else known yet:
    /// no attendance problems, no metrics, no events, no year-to-date
    /// state. The `with_…` methods add the rest.
    ///
    /// ```
    /// use perfpay::{Decimal, EmployeeId, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, RoleId, Timeline};
    ///
    /// let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    /// let li = EmployeeInputs::new(EmployeeId::new("ops-li")?, RoleId::new("operations")?, Timeline::constant(since, Decimal::from(8_000)))
    ///     .with_metric(MetricId::new("conversion")?, Decimal::new(35, 3))
    ///     .with_ytd(PayrollYtd::new(2026));
    /// assert_eq!(li.metrics.len(), 1);
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn new(employee: EmployeeId, role: RoleId, salary: Timeline<Decimal>) -> EmployeeInputs {
        EmployeeInputs {
            employee,
            role,
            salary,
            employed_until: None,
            attendance: Attendance::default(),
            metrics: BTreeMap::new(),
            events: Vec::new(),
            ytd: None,
            granted: BTreeSet::new(),
            adjustments: Vec::new(),
            transactions: Vec::new(),
            allowances: Vec::new(),
            tax_deductions: Vec::new(),
            employment_level: None,
            ratings: BTreeMap::new(),
            check_ins: Vec::new(),
        }
    }

    /// Sets the first day no longer employed.
    #[must_use]
    pub fn with_employed_until(mut self, until: NaiveDate) -> EmployeeInputs {
        self.employed_until = Some(until);
        self
    }

    /// Sets the attendance.
    #[must_use]
    pub fn with_attendance(mut self, attendance: Attendance) -> EmployeeInputs {
        self.attendance = attendance;
        self
    }

    /// Adds (or replaces) one metric.
    #[must_use]
    pub fn with_metric(mut self, metric: MetricId, value: Decimal) -> EmployeeInputs {
        self.metrics.insert(metric, value);
        self
    }

    /// Adds (or replaces) several metrics.
    #[must_use]
    pub fn with_metrics(mut self, metrics: impl IntoIterator<Item = (MetricId, Decimal)>) -> EmployeeInputs {
        self.metrics.extend(metrics);
        self
    }

    /// Adds events of the period.
    #[must_use]
    pub fn with_events(mut self, events: impl IntoIterator<Item = Event>) -> EmployeeInputs {
        self.events.extend(events);
        self
    }

    /// Sets the year-to-date payroll state before the period.
    #[must_use]
    pub fn with_ytd(mut self, ytd: PayrollYtd) -> EmployeeInputs {
        self.ytd = Some(ytd);
        self
    }

    /// Adds award keys granted before (never paid again).
    #[must_use]
    pub fn with_granted(mut self, keys: impl IntoIterator<Item = AwardKey>) -> EmployeeInputs {
        self.granted.extend(keys);
        self
    }

    /// Adds earning adjustments of corrected earlier periods.
    #[must_use]
    pub fn with_adjustments(mut self, items: impl IntoIterator<Item = PayItem>) -> EmployeeInputs {
        self.adjustments.extend(items);
        self
    }

    /// Adds ratings from `source` (several from one source are averaged).
    #[must_use]
    pub fn with_ratings(
        mut self,
        source: RaterSource,
        ratings: impl IntoIterator<Item = Decimal>,
    ) -> EmployeeInputs {
        self.ratings.entry(source).or_default().extend(ratings);
        self
    }

    /// Adds progress check-ins on the employee's goals.
    #[must_use]
    pub fn with_check_ins(mut self, check_ins: impl IntoIterator<Item = CheckIn>) -> EmployeeInputs {
        self.check_ins.extend(check_ins);
        self
    }

    /// Adds credited transactions (deals, orders, refunds).
    #[must_use]
    pub fn with_transactions(
        mut self,
        transactions: impl IntoIterator<Item = Transaction>,
    ) -> EmployeeInputs {
        self.transactions.extend(transactions);
        self
    }

    /// Writes the inputs as `serde_json::to_vec(self)` would, into `out`
    /// (see [`fingerprint`](crate::fingerprint)).
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) -> Result<()> {
        let EmployeeInputs {
            employee,
            role,
            salary,
            employed_until,
            attendance,
            metrics,
            events,
            ytd,
            granted,
            adjustments,
            transactions,
            allowances,
            tax_deductions,
            employment_level,
            ratings,
            check_ins,
        } = self;
        out.extend_from_slice(b"{\"employee\":");
        string(out, employee.as_str())?;
        out.extend_from_slice(b",\"role\":");
        string(out, role.as_str())?;
        out.extend_from_slice(b",\"salary\":");
        write_salary(out, salary)?;
        if let Some(until) = employed_until {
            out.extend_from_slice(b",\"employed_until\":");
            date(out, *until)?;
        }
        out.extend_from_slice(b",\"attendance\":");
        write_attendance(out, attendance)?;
        out.extend_from_slice(b",\"metrics\":");
        write_metrics(out, metrics)?;
        out.extend_from_slice(b",\"events\":");
        if events.is_empty() {
            out.extend_from_slice(b"[]");
        } else {
            serde(out, events)?;
        }
        if let Some(ytd) = ytd {
            out.extend_from_slice(b",\"ytd\":");
            write_ytd(out, ytd);
        }
        if !granted.is_empty() {
            field(out, b"granted", granted)?;
        }
        if !adjustments.is_empty() {
            field(out, b"adjustments", adjustments)?;
        }
        if !transactions.is_empty() {
            field(out, b"transactions", transactions)?;
        }
        if !allowances.is_empty() {
            field(out, b"allowances", allowances)?;
        }
        if !tax_deductions.is_empty() {
            field(out, b"tax_deductions", tax_deductions)?;
        }
        if let Some(level) = employment_level {
            field(out, b"employment_level", level)?;
        }
        if !ratings.is_empty() {
            field(out, b"ratings", ratings)?;
        }
        if !check_ins.is_empty() {
            field(out, b"check_ins", check_ins)?;
        }
        out.push(b'}');
        Ok(())
    }
}

/// A salary's changes as JSON: `[{"effective":…,"value":…},…]`.
fn write_salary(out: &mut Vec<u8>, salary: &Timeline<Decimal>) -> Result<()> {
    out.push(b'[');
    for (i, change) in salary.changes().iter().enumerate() {
        let Change { effective, value } = change;
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"effective\":");
        date(out, *effective)?;
        out.extend_from_slice(b",\"value\":");
        decimal(out, value);
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

/// Metrics as a JSON object, in their order.
fn write_metrics(out: &mut Vec<u8>, metrics: &BTreeMap<MetricId, Decimal>) -> Result<()> {
    out.push(b'{');
    for (i, (metric, value)) in metrics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, metric.as_str())?;
        out.push(b':');
        decimal(out, value);
    }
    out.push(b'}');
    Ok(())
}

/// `,"name":` and `value` as serde writes it (the fields
/// `skip_serializing_if` leaves out when empty are not called for).
fn field<T: Serialize + ?Sized>(out: &mut Vec<u8>, name: &[u8], value: &T) -> Result<()> {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name);
    out.extend_from_slice(b"\":");
    serde(out, value)
}

/// Whether `inputs` are listed in employee order with no one twice (each
/// id below the next): checked in one pass, so that work keyed by employee
/// can take them as they are.
pub(crate) fn in_employee_order(inputs: &[EmployeeInputs]) -> bool {
    inputs.windows(2).all(|pair| match pair {
        [a, b] => a.employee < b.employee,
        _ => true,
    })
}
