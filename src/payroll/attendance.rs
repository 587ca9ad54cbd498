//! Attendance as payroll reads it, and the figures performance reads
//! from it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::money::{DecimalExt, checked_sum};

use super::*;

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
    pub(super) fn checked(scheduled_days: u32, attendance: &Attendance) -> Result<AttendanceFigures> {
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
