//! The period close: gather through the ports → evaluate → commit; and the
//! correction of a closed period under a corrected plan.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::eval::{adjustments, evaluate_period};
use crate::incentive::{Award, AwardKey, AwardKind};
use crate::payroll::PayrollYtd;
use crate::period::Period;
use crate::plan::CompiledPlan;
use crate::ports::{AttendanceSource, PlatformMetrics, StaffMember, Storage};
use crate::record::{
    ClosedPeriod, Correction, Draft, DraftId, DraftWork, EmployeeInputs, EmployeeOutcome, PeriodOutcome,
    PointsChange, Signature,
};

/// Closes `period` under `plan`.
///
/// - If the period was already closed under the same plan (same
///   fingerprint), the stored outcome is returned and nothing changes: no
///   award is granted twice.
/// - If it was closed under another plan, closing it again is refused:
///   a closed period changes only through [`correct_period`].
/// - A plan that takes effect after the period starts is refused.
/// - A period whose close was prepared as a draft ([`prepare_close`]) is
///   refused while the draft waits: it is paid by its approval
///   ([`Storage::approve`]) or discarded, never closed around the review.
/// - Otherwise every employee's inputs are gathered — including earning
///   adjustments of corrected earlier periods still to be paid — and if any
///   port fails, the error names the port and the employee, and nothing is
///   stored.
/// - The outcome is evaluated purely and committed with its inputs and the
///   plan document in one call ([`Storage::commit`]): all of it or
///   nothing.
///
/// When storage has no year-to-date state for the period before, or one of
/// another year, the year starts empty ([`PayrollYtd::new`]) — but for what
/// is owed on a draw, which carries on.
///
/// # Errors
///
/// [`ErrorKind::Data`](crate::ErrorKind::Data) when the period was closed
/// under another plan or waits as a draft; a port's error (wrapped, with the employee and
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
    // a close prepared for review is paid by its approval, never around it
    let waiting = DraftId::close(*period);
    if let Some(draft) = storage
        .draft(&waiting)
        .map_err(|e| e.with_path("storage.draft").with_period(period))?
    {
        return Err(Error::data(format!(
            "{waiting} was prepared by {} and waits for review: approve or discard the draft",
            draft.prepared.actor
        ))
        .with_period(period));
    }
    let closed = evaluate_close(plan, period, storage, attendance, metrics)?;
    storage
        .commit(plan.plan(), &closed)
        .map_err(|e| e.with_path("storage.commit").with_period(period))?;
    Ok(closed.outcome)
}

/// Prepares the close of `period` under `plan` for review: gathers and
/// evaluates exactly as [`close_period`] does and keeps the result as a
/// [`Draft`] prepared `by` ([`Storage::save_draft`]) — nothing is paid
/// until [`Storage::approve`] commits it; [`Storage::discard`] drops it.
///
/// ```
/// use perfpay::ports::memory::{MemoryAttendance, MemoryMetrics, MemoryStorage};
/// use perfpay::ports::{StaffMember, Storage};
/// use perfpay::record::{AuditAction, Signature};
/// use perfpay::{Decimal, EmployeeId, NaiveDate, Period, Plan, RoleId, Timeline, prepare_close};
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// let plan = Plan::from_toml(text)?.compile()?;
/// let storage = MemoryStorage::new();
/// let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
/// let wu = EmployeeId::new("sales-wu")?;
/// storage.add_staff(StaffMember::new(wu.clone(), RoleId::new("sales")?, Timeline::constant(start, Decimal::from(6_000))))?;
/// let nov = Period::month(2026, 11)?;
/// let at = |h| NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc();
///
/// let draft = prepare_close(&plan, &nov, &storage, &MemoryAttendance::new(), &MemoryMetrics::new(), &Signature::new("payroll clerk", at(9)))?;
/// assert!(storage.record(&nov)?.is_none()); // nothing paid yet
/// storage.approve(&draft.id(), &Signature::new("owner", at(11)))?;
/// assert_eq!(storage.record(&nov)?.map(|r| r.outcome), Some(draft.outcome().clone()));
/// let log = storage.audit_log()?;
/// assert_eq!(log.iter().map(|e| (e.action, e.by.actor.as_str())).collect::<Vec<_>>(),
///            [(AuditAction::Prepared, "payroll clerk"), (AuditAction::Approved, "owner")]);
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::Data`](crate::ErrorKind::Data) when the period is closed
/// already (under any plan); the errors of [`close_period`]'s gathering
/// and evaluation; the refusals of [`Storage::save_draft`] (a draft of the
/// period already kept).
pub fn prepare_close(
    plan: &CompiledPlan,
    period: &Period,
    storage: &dyn Storage,
    attendance: &dyn AttendanceSource,
    metrics: &dyn PlatformMetrics,
    by: &Signature,
) -> Result<Draft> {
    if let Some(done) = storage
        .record(period)
        .map_err(|e| e.with_path("storage.record").with_period(period))?
    {
        return Err(Error::data(format!(
            "{period} is already closed (under {}); a closed period changes only through a correction",
            done.outcome.plan
        ))
        .with_period(period));
    }
    let closed = evaluate_close(plan, period, storage, attendance, metrics)?;
    let doc = plan.plan();
    let draft = Draft::new(doc.id.clone(), doc.version, DraftWork::Close(closed), by.clone());
    storage
        .save_draft(doc, &draft)
        .map_err(|e| e.with_path("storage.save_draft").with_period(period))?;
    Ok(draft)
}

/// Gathers every employee's inputs for `period` through the ports and
/// evaluates them: the closed period, not yet stored.
fn evaluate_close(
    plan: &CompiledPlan,
    period: &Period,
    storage: &dyn Storage,
    attendance: &dyn AttendanceSource,
    metrics: &dyn PlatformMetrics,
) -> Result<ClosedPeriod> {
    in_force(plan, period)?;
    let staff = storage
        .staff(period)
        .map_err(|e| e.with_path("storage.staff").with_period(period))?;
    let mut inputs = Vec::with_capacity(staff.len());
    for member in staff {
        inputs.push(gather(member, period, storage, attendance, metrics)?);
    }
    let mut outcome = evaluate_period(plan, period, &inputs)?;
    if plan.survey().is_some() {
        let responses = storage
            .survey_responses(period)
            .map_err(|e| e.with_path("storage.survey_responses").with_period(period))?;
        outcome.survey = plan
            .survey_report(&responses)
            .map_err(|e| e.with_path("survey").with_period(period))?;
    }
    Ok(ClosedPeriod { inputs, outcome })
}

/// One employee's inputs for `period`, from the ports: attendance (with
/// the days off redeemed with points as paid leave), metrics,
/// transactions, events, ratings, check-ins, and from the store the
/// year-to-date state, the awards granted before and the adjustments
/// pending.
fn gather(
    member: StaffMember,
    period: &Period,
    storage: &dyn Storage,
    attendance: &dyn AttendanceSource,
    metrics: &dyn PlatformMetrics,
) -> Result<EmployeeInputs> {
    let year = chrono::Datelike::year(&period.start());
    let who = |e: Error, port: &str| {
        e.with_path(port.to_owned())
            .with_employee(member.employee.clone())
            .with_period(period)
    };
    let mut attendance = attendance
        .attendance(&member.employee, period)
        .map_err(|e| who(e, "attendance"))?;
    // days off redeemed with points are paid leave of their kind
    for r in storage
        .days_off(&member.employee, period)
        .map_err(|e| who(e, "storage.days_off"))?
    {
        if let crate::incentive::Redeemed::DaysOff { days, leave, .. } = r.what {
            let taken = attendance.paid_leave_days.entry(leave).or_default();
            *taken = crate::money::DecimalExt::try_add(*taken, days)?;
        }
    }
    let measured = metrics
        .metrics(&member.employee, period)
        .map_err(|e| who(e, "platform_metrics"))?;
    let transactions = metrics
        .transactions(&member.employee, period)
        .map_err(|e| who(e, "platform_metrics.transactions"))?;
    let events = storage
        .events(&member.employee, period)
        .map_err(|e| who(e, "storage.events"))?;
    // a new year starts its totals again; what is owed on a draw
    // carries on
    let ytd = match storage
        .ytd_before(&member.employee, period)
        .map_err(|e| who(e, "storage.ytd"))?
    {
        Some(y) if y.year == year => y,
        Some(y) => PayrollYtd {
            draw_owed: y.draw_owed,
            currency: y.currency,
            ..PayrollYtd::new(year)
        },
        None => PayrollYtd::new(year),
    };
    let ratings = metrics
        .ratings(&member.employee, period)
        .map_err(|e| who(e, "platform_metrics.ratings"))?;
    let check_ins = metrics
        .check_ins(&member.employee, period)
        .map_err(|e| who(e, "platform_metrics.check_ins"))?;
    let granted = storage
        .granted(&member.employee)
        .map_err(|e| who(e, "storage.granted"))?;
    let adjustments = storage
        .pending_adjustments(&member.employee)
        .map_err(|e| who(e, "storage.pending_adjustments"))?;
    Ok(EmployeeInputs {
        employee: member.employee,
        role: member.role,
        salary: member.salary,
        employed_until: member.employed_until,
        attendance,
        metrics: measured,
        events,
        ytd: Some(ytd),
        granted,
        adjustments,
        transactions,
        allowances: member.allowances,
        tax_deductions: member.tax_deductions,
        employment_level: member.employment_level,
        ratings,
        check_ins,
    })
}

/// Refuses a plan that is not yet in force when `period` starts.
fn in_force(plan: &CompiledPlan, period: &Period) -> Result<()> {
    let doc = plan.plan();
    if doc.effective > period.start() {
        return Err(Error::data(format!(
            "plan {} v{} takes effect on {}, after {period} starts",
            doc.id, doc.version, doc.effective
        ))
        .with_period(period));
    }
    Ok(())
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
/// use perfpay::{Decimal, EmployeeId, MetricId, NaiveDate, Period, Plan, RoleId, Timeline, close_period, correct_period};
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// let v1 = Plan::from_toml(text)?.compile()?;
/// // version 2 corrects the rate above 100,000 from 3 % to 3.5 %
/// let mut v2 = v1.plan().clone();
/// v2.set("tiers.sales.tiers[1].rate", "0.035")?;
/// v2.version = 2;
/// let v2 = v2.compile()?;
///
/// let wu = EmployeeId::new("sales-wu")?;
/// let storage = MemoryStorage::new();
/// storage.add_staff(StaffMember::new(wu.clone(), RoleId::new("sales")?, Timeline::constant(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), Decimal::from(6_000))))?;
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
/// closed, when the plan is another plan than the one that closed it (its
/// id differs) or is not in force when the period starts, or when the
/// corrected plan cannot evaluate an employee who was paid (a correction
/// never claws back a whole payslip by accident); an
/// error of [`evaluate_period`] or [`adjustments`]; a storage error
/// (wrapped, naming the port). In every case nothing is stored.
pub fn correct_period(
    plan: &CompiledPlan,
    period: &Period,
    storage: &dyn Storage,
) -> Result<Option<Correction>> {
    match evaluate_correction(plan, period, storage)? {
        Corrected::Stands(kept) => Ok(kept),
        Corrected::New(correction) => {
            storage
                .commit_correction(plan.plan(), &correction)
                .map_err(|e| e.with_path("storage.commit_correction").with_period(period))?;
            Ok(Some(correction))
        }
    }
}

/// Prepares the correction of the closed `period` under `plan` for review:
/// evaluated exactly as [`correct_period`] does and kept as a [`Draft`]
/// prepared `by`; nothing is paid until [`Storage::approve`]. `None` when
/// there is nothing to correct (the period already stands under `plan`).
///
/// # Errors
///
/// The errors of [`correct_period`]; the refusals of
/// [`Storage::save_draft`] (a draft of the same correction already kept).
pub fn prepare_correction(
    plan: &CompiledPlan,
    period: &Period,
    storage: &dyn Storage,
    by: &Signature,
) -> Result<Option<Draft>> {
    let Corrected::New(correction) = evaluate_correction(plan, period, storage)? else {
        return Ok(None);
    };
    let doc = plan.plan();
    let draft = Draft::new(
        doc.id.clone(),
        doc.version,
        DraftWork::Correction(correction),
        by.clone(),
    );
    storage
        .save_draft(doc, &draft)
        .map_err(|e| e.with_path("storage.save_draft").with_period(period))?;
    Ok(Some(draft))
}

/// A correction evaluated, not yet stored.
enum Corrected {
    /// The period stands under the plan already: its latest correction,
    /// if any.
    Stands(Option<Correction>),
    /// A new correction to store.
    New(Correction),
}

/// Re-evaluates `period` under `plan` from the stored inputs: the
/// correction to store, or the one that already stands.
fn evaluate_correction(plan: &CompiledPlan, period: &Period, storage: &dyn Storage) -> Result<Corrected> {
    let record = storage
        .record(period)
        .map_err(|e| e.with_path("storage.record").with_period(period))?
        .ok_or_else(|| {
            Error::data(format!("{period} is not closed; close it before correcting it")).with_period(period)
        })?;
    same_plan(plan, period, &record.outcome)?;
    in_force(plan, period)?;
    if let Some(paid) = record.outcome.currency {
        paid.same_as(
            plan.currency(),
            &format!(
                "correcting {period} under {} v{}",
                plan.plan().id,
                plan.plan().version
            ),
        )
        .map_err(|e| e.with_period(period))?;
    }
    let mut earlier = storage
        .corrections(period)
        .map_err(|e| e.with_path("storage.corrections").with_period(period))?;
    let latest = earlier.last().map_or(&record.outcome, |c| &c.outcome);
    if latest.plan_fingerprint == plan.fingerprint() {
        return Ok(Corrected::Stands(earlier.pop()));
    }
    let sequence = u32::try_from(earlier.len().saturating_add(1))
        .map_err(|_| Error::data(format!("{period} has too many corrections")).with_period(period))?;
    let carried_credit = corrected_credit(storage, period, &record.inputs)?;
    let inputs = with_credit(&record.inputs, &carried_credit);
    let mut outcome = evaluate_period(plan, period, &inputs)?;
    // the survey was answered once; a correction keeps its report
    outcome.survey = latest.survey.clone();
    let mut lines = BTreeMap::new();
    let mut awards_added = Vec::new();
    let mut awards_withdrawn = Vec::new();
    let mut points_changed = Vec::new();
    for corrected in &outcome.employees {
        let before = paid_before(latest, corrected, period)?;
        let difference = adjustments(before, corrected)?;
        if !difference.is_empty() {
            lines.insert(corrected.employee.clone(), difference);
        }
        let ledger = || {
            storage.ledger(&corrected.employee).map_err(|e| {
                e.with_path("storage.ledger")
                    .with_employee(corrected.employee.clone())
            })
        };
        compare_awards(
            &before.awards,
            &corrected.awards,
            ledger,
            &mut Awards {
                added: &mut awards_added,
                withdrawn: &mut awards_withdrawn,
                points: &mut points_changed,
            },
        )?;
    }
    let correction = Correction {
        period: *period,
        sequence,
        replaces: latest.plan_fingerprint.clone(),
        outcome,
        adjustments: lines,
        awards_added,
        awards_withdrawn,
        points_changed,
        carried_credit,
    };
    Ok(Corrected::New(correction))
}

/// The commission credit so far, per employee, that the latest correction
/// of the period before `period` left where it differs from what the
/// closed inputs of `period` carry: a corrected earlier month re-flows into
/// this month's attainment. The other year-to-date totals stay as they
/// were paid — a correction reaches them through the adjustment lines of a
/// later payslip.
fn corrected_credit(
    storage: &dyn Storage,
    period: &Period,
    inputs: &[EmployeeInputs],
) -> Result<BTreeMap<crate::id::EmployeeId, (Decimal, Decimal)>> {
    let mut credit = BTreeMap::new();
    // the first period there is has no period before it
    let Ok(previous) = period.previous() else {
        return Ok(credit);
    };
    let corrections = storage
        .corrections(&previous)
        .map_err(|e| e.with_path("storage.corrections").with_period(previous))?;
    let Some(latest) = corrections.last() else {
        return Ok(credit);
    };
    for input in inputs {
        let (Some(ytd), Some(paid)) = (
            input.ytd.as_ref(),
            latest
                .outcome
                .employee(&input.employee)
                .and_then(|o| o.payslip.as_ref()),
        ) else {
            continue;
        };
        let now = (paid.ytd.credit, paid.ytd.quarter_credit);
        if paid.ytd.year == ytd.year && now != (ytd.credit, ytd.quarter_credit) {
            credit.insert(input.employee.clone(), now);
        }
    }
    Ok(credit)
}

/// `inputs` with the year-to-date credit of `credit` in place (the closed
/// inputs themselves when no credit changed).
fn with_credit<'i>(
    inputs: &'i [EmployeeInputs],
    credit: &BTreeMap<crate::id::EmployeeId, (Decimal, Decimal)>,
) -> std::borrow::Cow<'i, [EmployeeInputs]> {
    if credit.is_empty() {
        return std::borrow::Cow::Borrowed(inputs);
    }
    let mut inputs = inputs.to_vec();
    for input in &mut inputs {
        if let (Some(&(year, quarter)), Some(ytd)) = (credit.get(&input.employee), input.ytd.as_mut()) {
            ytd.credit = year;
            ytd.quarter_credit = quarter;
        }
    }
    std::borrow::Cow::Owned(inputs)
}

/// A correction's plan is the plan that closed the period (by id; the
/// outcome names it `id vN`).
fn same_plan(plan: &CompiledPlan, period: &Period, closed: &PeriodOutcome) -> Result<()> {
    let id = &plan.plan().id;
    let closed_under = closed.plan.rsplit_once(" v").map_or("", |(id, _)| id);
    if closed_under == id.as_str() {
        return Ok(());
    }
    Err(Error::data(format!(
        "{period} was closed under plan {closed_under}; plan {id} cannot correct it"
    ))
    .with_period(period))
}

/// The stored outcome of the employee `corrected` is about. A corrected
/// plan that cannot pay someone who was paid would claw back their whole
/// pay: refused instead, naming the problem.
fn paid_before<'o>(
    latest: &'o PeriodOutcome,
    corrected: &EmployeeOutcome,
    period: &Period,
) -> Result<&'o EmployeeOutcome> {
    let Some(before) = latest.employee(&corrected.employee) else {
        return Err(Error::data(format!(
            "the stored outcome of {period} has no {}; it does not match its inputs",
            corrected.employee
        ))
        .with_employee(corrected.employee.clone())
        .with_period(period));
    };
    if before.payslip.is_some()
        && let Some(problem) = corrected.errors.first()
    {
        return Err(Error::data(format!(
            "the corrected plan cannot evaluate {} ({}: {}); nothing was corrected",
            corrected.employee, problem.stage, problem.error
        ))
        .with_employee(corrected.employee.clone())
        .with_period(period));
    }
    Ok(before)
}

/// Where a correction sorts the awards of one employee.
struct Awards<'a> {
    added: &'a mut Vec<Award>,
    withdrawn: &'a mut Vec<Award>,
    points: &'a mut Vec<PointsChange>,
}

/// Compares one employee's awards before and after a correction, by award
/// key: an award only after is added, one only before is withdrawn, and a
/// points award whose points changed moves the ledger by the difference
/// (a debit only as far as the balance `ledger` reads covers it).
fn compare_awards(
    before: &[Award],
    after: &[Award],
    ledger: impl Fn() -> Result<crate::incentive::PointsLedger>,
    out: &mut Awards<'_>,
) -> Result<()> {
    let find = |awards: &[Award], key: &AwardKey| awards.iter().find(|a| &a.key == key).cloned();
    // what the employee's ledger can still give back: read once, lowered by
    // each debit, so several debits never take more than the balance
    let mut available: Option<Decimal> = None;
    for a in after {
        match find(before, &a.key) {
            None => out.added.push(a.clone()),
            Some(b) if b.kind == a.kind => {}
            Some(b) => match (&b.kind, &a.kind) {
                (AwardKind::Points(was), AwardKind::Points(now)) => {
                    let difference = crate::money::DecimalExt::try_sub(*now, *was)?;
                    let (moved, unapplied) = if difference.is_sign_negative() {
                        let debit = difference.abs();
                        let left = match available {
                            Some(left) => left,
                            None => ledger()?.balance(),
                        };
                        let covered = debit.min(left);
                        available = Some(crate::money::DecimalExt::try_sub(left, covered)?);
                        // a debit the balance cannot cover at all moves nothing
                        // (0, not −0)
                        let moved = if covered.is_zero() {
                            Decimal::ZERO
                        } else {
                            -covered
                        };
                        (moved, crate::money::DecimalExt::try_sub(debit, covered)?)
                    } else {
                        (difference, Decimal::ZERO)
                    };
                    out.points.push(PointsChange {
                        employee: a.employee.clone(),
                        key: a.key.clone(),
                        before: *was,
                        after: *now,
                        moved,
                        unapplied,
                    });
                }
                _ => {
                    out.withdrawn.push(b);
                    out.added.push(a.clone());
                }
            },
        }
    }
    out.withdrawn
        .extend(before.iter().filter(|b| find(after, &b.key).is_none()).cloned());
    Ok(())
}
