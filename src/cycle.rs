//! The period close: gather through the ports → evaluate → commit.

use crate::error::Result;
use crate::eval::{EmployeeInputs, PeriodOutcome, evaluate_period};
use crate::payroll::PayrollYtd;
use crate::period::Period;
use crate::plan::CompiledPlan;
use crate::ports::{AttendanceSource, PlatformMetrics, Storage};

/// Closes `period` under `plan`.
///
/// - If the period was already closed under the same plan (same
///   fingerprint), the stored outcome is returned and nothing changes: no
///   award is granted twice.
/// - Otherwise every employee's inputs are gathered first; if any port fails,
///   the error names the port and the employee, and nothing is committed.
/// - The outcome is evaluated purely and committed in one call.
///
/// When storage has no year-to-date state for the period before, the year
/// starts empty ([`PayrollYtd::new`]).
///
/// # Errors
///
/// A port's error (wrapped, with the employee and period); an error of
/// [`evaluate_period`]; the commit's error.
pub fn close_period(
    plan: &CompiledPlan,
    period: &Period,
    storage: &dyn Storage,
    attendance: &dyn AttendanceSource,
    metrics: &dyn PlatformMetrics,
) -> Result<PeriodOutcome> {
    if let Some(done) = storage.closed(period, plan.fingerprint())? {
        return Ok(done);
    }
    let staff = storage
        .staff(period)
        .map_err(|e| e.with_path("storage.staff").with_period(period))?;
    let mut inputs = Vec::with_capacity(staff.len());
    for member in staff {
        let who = |e: crate::Error, port: &str| {
            e.with_path(port.to_owned())
                .with_employee(member.employee.clone())
                .with_period(period)
        };
        let attendance = attendance
            .attendance(&member.employee, period)
            .map_err(|e| who(e, "attendance"))?;
        let metrics = metrics
            .metrics(&member.employee, period)
            .map_err(|e| who(e, "platform_metrics"))?;
        let events = storage
            .events(&member.employee, period)
            .map_err(|e| who(e, "storage.events"))?;
        let ytd = storage
            .ytd_before(&member.employee, period)
            .map_err(|e| who(e, "storage.ytd"))?
            .filter(|y| y.year == crate::Datelike::year(&period.start()))
            .unwrap_or_else(|| PayrollYtd::new(crate::Datelike::year(&period.start())));
        let granted = storage
            .granted(&member.employee)
            .map_err(|e| who(e, "storage.granted"))?;
        inputs.push(EmployeeInputs {
            employee: member.employee,
            role: member.role,
            salary: member.salary,
            employed_until: member.employed_until,
            attendance,
            metrics,
            events,
            ytd: Some(ytd),
            granted,
        });
    }
    let outcome = evaluate_period(plan, period, &inputs)?;
    storage
        .commit(&outcome)
        .map_err(|e| e.with_path("storage.commit").with_period(period))?;
    Ok(outcome)
}
