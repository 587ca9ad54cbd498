//! The period close: gather through the ports → evaluate → commit; and the
//! correction of a closed period under a corrected plan.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::eval::{EmployeeInputs, PeriodOutcome, adjustments, evaluate_period};
use crate::explain::Explanation;
use crate::id::EmployeeId;
use crate::incentive::Award;
use crate::payroll::{LineKind, PayItem, PayLine, PayrollYtd};
use crate::period::Period;
use crate::plan::CompiledPlan;
use crate::ports::{AttendanceSource, PlatformMetrics, Storage};

/// A closed period as stored: every employee's inputs, exactly as gathered,
/// and the outcome computed from them. Keeping the inputs is what lets a
/// period be re-evaluated under a corrected plan, and lets an auditor
/// recompute every fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedPeriod {
    /// The inputs, one per employee, as gathered through the ports.
    pub inputs: Vec<EmployeeInputs>,
    /// The outcome that was paid.
    pub outcome: PeriodOutcome,
}

/// A closed period re-evaluated under a corrected plan. The stored outcome
/// is never edited: the correction holds the corrected outcome and the
/// differences, and its earning differences are paid with the next payslip
/// (see [`Correction::payable`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The corrected period.
    pub period: Period,
    /// 1 for the first correction of the period, 2 for the next, …
    pub sequence: u32,
    /// The fingerprint of the plan whose outcome this corrects (the plan
    /// that closed the period, or the previous correction's).
    pub replaces: String,
    /// The period re-evaluated from the stored inputs under the corrected plan.
    pub outcome: PeriodOutcome,
    /// Per employee, the difference lines against the outcome replaced
    /// (`ADJ-<code>`, see [`adjustments`]); employees without a difference
    /// are absent.
    pub adjustments: BTreeMap<EmployeeId, Vec<PayLine>>,
    /// Awards the corrected plan grants that the replaced outcome did not.
    pub awards_added: Vec<Award>,
    /// Awards of the replaced outcome that the corrected plan does not grant.
    /// Cash awards are reversed through the adjustment lines; points and
    /// honours are reported here for the host to withdraw (a points ledger
    /// never goes negative, so perfpay does not debit it on its own).
    pub awards_withdrawn: Vec<Award>,
}

impl Correction {
    /// The earning differences of `employee`, as items for the next
    /// payslip. Deductions and employer costs are not carried: they are
    /// computed again on the payslip that pays the adjustment (cumulative
    /// withholding picks the extra earnings up through the year to date).
    pub fn payable(&self, employee: &EmployeeId) -> Vec<PayItem> {
        self.adjustments
            .get(employee)
            .into_iter()
            .flatten()
            .filter(|line| line.kind == LineKind::Earning)
            .map(|line| PayItem {
                code: line.code.clone(),
                amount: line.amount,
                source: Some(
                    format!(
                        "{} correction {}{}",
                        self.period,
                        self.sequence,
                        line.source
                            .as_deref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default()
                    )
                    .into(),
                ),
                explanation: Explanation::money(
                    format!("{} of {}, correction {}", line.code, self.period, self.sequence),
                    line.amount,
                )
                .child(line.explanation.clone()),
            })
            .collect()
    }
}

/// Closes `period` under `plan`.
///
/// - If the period was already closed under the same plan (same
///   fingerprint), the stored outcome is returned and nothing changes: no
///   award is granted twice.
/// - If it was closed under another plan, closing it again is refused:
///   a closed period changes only through [`correct_period`].
/// - Otherwise the plan document is stored ([`Storage::save_plan`]), every
///   employee's inputs are gathered — including earning adjustments of
///   corrected earlier periods still to be paid — and if any port fails,
///   the error names the port and the employee, and nothing is committed.
/// - The outcome is evaluated purely and committed with its inputs in one
///   call.
///
/// When storage has no year-to-date state for the period before, the year
/// starts empty ([`PayrollYtd::new`]).
///
/// # Errors
///
/// [`ErrorKind::Data`](crate::ErrorKind::Data) when the period was closed
/// under another plan; a port's error (wrapped, with the employee and
/// period); an error of [`evaluate_period`]; the commit's error.
pub fn close_period(
    plan: &CompiledPlan,
    period: &Period,
    storage: &dyn Storage,
    attendance: &dyn AttendanceSource,
    metrics: &dyn PlatformMetrics,
) -> Result<PeriodOutcome> {
    if let Some(done) = storage
        .record(period)
        .map_err(|e| e.with_path("storage.record").with_period(period))?
    {
        if done.outcome.plan_fingerprint == plan.fingerprint() {
            return Ok(done.outcome);
        }
        return Err(Error::data(format!(
            "{period} was closed under {}; a closed period changes only through correct_period",
            done.outcome.plan
        ))
        .with_period(period));
    }
    storage
        .save_plan(plan.plan())
        .map_err(|e| e.with_path("storage.save_plan").with_period(period))?;
    let staff = storage
        .staff(period)
        .map_err(|e| e.with_path("storage.staff").with_period(period))?;
    let year = crate::Datelike::year(&period.start());
    let mut inputs = Vec::with_capacity(staff.len());
    for member in staff {
        let who = |e: Error, port: &str| {
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
            .filter(|y| y.year == year)
            .unwrap_or_else(|| PayrollYtd::new(year));
        let granted = storage
            .granted(&member.employee)
            .map_err(|e| who(e, "storage.granted"))?;
        let adjustments = storage
            .pending_adjustments(&member.employee)
            .map_err(|e| who(e, "storage.pending_adjustments"))?;
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
            adjustments,
        });
    }
    let outcome = evaluate_period(plan, period, &inputs)?;
    let closed = ClosedPeriod { inputs, outcome };
    storage
        .commit(&closed)
        .map_err(|e| e.with_path("storage.commit").with_period(period))?;
    Ok(closed.outcome)
}

/// Re-evaluates the closed `period` under the corrected `plan`, from the
/// inputs stored when it was closed, and stores the differences as a
/// [`Correction`]; the stored outcome is never overwritten.
///
/// The correction is taken against the outcome now in force: the closing
/// outcome, or the latest correction's. Its earning differences become
/// pending adjustments that the next [`close_period`] pays.
///
/// Returns `None` when the period already stands under `plan` with no
/// correction (nothing to correct), and the stored correction when the
/// latest correction was made under `plan`: correcting twice with the same
/// plan changes nothing.
///
/// ```
/// use perfpay::ports::memory::{MemoryAttendance, MemoryMetrics, MemoryStorage};
/// use perfpay::ports::{StaffMember, Storage};
/// use perfpay::{close_period, correct_period, Decimal, EmployeeId, MetricId, NaiveDate, Period, Plan, RoleId, Timeline};
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// let v1 = Plan::from_toml(text)?.compile()?;
/// // version 2 corrects the rate above 100,000 from 3 % to 3.5 %
/// let mut v2 = Plan::from_toml(&text.replace(
///     r#"{ from = "100000", rate = "0.03" }"#,
///     r#"{ from = "100000", rate = "0.035" }"#,
/// ))?;
/// v2.version = 2;
/// let v2 = v2.compile()?;
///
/// let wu = EmployeeId::new("sales-wu")?;
/// let storage = MemoryStorage::new();
/// storage.add_staff(StaffMember {
///     employee: wu.clone(),
///     role: RoleId::new("sales")?,
///     salary: Timeline::constant(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), Decimal::from(6_000)),
///     employed_until: None,
/// })?;
/// let nov = Period::month(2026, 11)?;
/// let mut metrics = MemoryMetrics::new();
/// let m = |s: &str| MetricId::new(s);
/// metrics.insert(wu.clone(), nov, [
///     (m("sales")?, Decimal::from(165_000)),
///     (m("sales_achievement")?, Decimal::new(11, 1)),
///     (m("repurchase")?, Decimal::new(2, 1)),
///     (m("teamwork")?, Decimal::from(4)),
/// ].into());
/// close_period(&v1, &nov, &storage, &MemoryAttendance::new(), &metrics)?;
///
/// let correction = correct_period(&v2, &nov, &storage)?.expect("v2 changes November");
/// // 65,000 above 100,000 × 0.5 % more, paid with the next payslip
/// let payable = correction.payable(&wu);
/// assert_eq!((&*payable[0].code, payable[0].amount), ("ADJ-COMMISSION", Decimal::new(32_500, 2)));
/// assert_eq!(storage.pending_adjustments(&wu)?, payable);
/// // the closed November is kept as it was paid
/// assert_eq!(storage.record(&nov)?.map(|r| r.outcome.plan), Some("sample-shop v1".to_string()));
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::Data`](crate::ErrorKind::Data) when the period was never
/// closed, or when the corrected plan cannot evaluate an employee who was
/// paid (a correction never claws back a whole payslip by accident); an
/// error of [`evaluate_period`] or [`adjustments`]; a storage error
/// (wrapped, naming the port). In every case nothing is stored.
pub fn correct_period(
    plan: &CompiledPlan,
    period: &Period,
    storage: &dyn Storage,
) -> Result<Option<Correction>> {
    let record = storage
        .record(period)
        .map_err(|e| e.with_path("storage.record").with_period(period))?
        .ok_or_else(|| {
            Error::data(format!("{period} is not closed; close it before correcting it")).with_period(period)
        })?;
    let mut earlier = storage
        .corrections(period)
        .map_err(|e| e.with_path("storage.corrections").with_period(period))?;
    let latest = earlier.last().map_or(&record.outcome, |c| &c.outcome);
    if latest.plan_fingerprint == plan.fingerprint() {
        return Ok(earlier.pop());
    }
    let sequence = u32::try_from(earlier.len() + 1)
        .map_err(|_| Error::data(format!("{period} has too many corrections")).with_period(period))?;
    let outcome = evaluate_period(plan, period, &record.inputs)?;
    let mut lines = BTreeMap::new();
    let mut awards_added = Vec::new();
    let mut awards_withdrawn = Vec::new();
    for corrected in &outcome.employees {
        let Some(before) = latest.employee(&corrected.employee) else {
            return Err(Error::data(format!(
                "the stored outcome of {period} has no {}; it does not match its inputs",
                corrected.employee
            ))
            .with_employee(corrected.employee.clone())
            .with_period(period));
        };
        // a corrected plan that cannot pay someone who was paid would claw
        // back their whole pay: refuse instead, naming the problem
        if before.payslip.is_some()
            && let Some(problem) = corrected.errors.first()
        {
            return Err(Error::data(format!(
                "the corrected plan cannot evaluate {} ({}: {}); nothing was corrected",
                corrected.employee, problem.stage, problem.message
            ))
            .with_employee(corrected.employee.clone())
            .with_period(period));
        }
        let difference = adjustments(before, corrected)?;
        if !difference.is_empty() {
            lines.insert(corrected.employee.clone(), difference);
        }
        let has = |awards: &[Award], a: &Award| awards.iter().any(|b| b.key == a.key && b.kind == a.kind);
        awards_added.extend(
            corrected
                .awards
                .iter()
                .filter(|a| !has(&before.awards, a))
                .cloned(),
        );
        awards_withdrawn.extend(
            before
                .awards
                .iter()
                .filter(|a| !has(&corrected.awards, a))
                .cloned(),
        );
    }
    let correction = Correction {
        period: *period,
        sequence,
        replaces: latest.plan_fingerprint.clone(),
        outcome,
        adjustments: lines,
        awards_added,
        awards_withdrawn,
    };
    storage
        .save_plan(plan.plan())
        .map_err(|e| e.with_path("storage.save_plan").with_period(period))?;
    storage
        .commit_correction(&correction)
        .map_err(|e| e.with_path("storage.commit_correction").with_period(period))?;
    Ok(Some(correction))
}
