//! What a commit stores, decided once for every adapter: each adapter reads
//! what it keeps through [`Kept`] (inside its transaction, or under its
//! lock), this module decides every change or the refusal, and the adapter
//! writes the [`Writes`]. Nothing is written before every check has passed,
//! so a refusal stores nothing; the in-memory and SQLite adapters apply the
//! same decisions.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::id::{EmployeeId, PlanId};
use crate::incentive::{Award, AwardKey, AwardKind, PointsLedger};
use crate::payroll::{PayItem, PayrollYtd};
use crate::period::Period;
use crate::plan::Plan;
use crate::record::{ClosedPeriod, Correction, Draft, DraftId};

/// What an adapter keeps, read while it decides a commit.
pub(crate) trait Kept {
    /// Whether `period` is closed.
    fn is_closed(&mut self, period: &Period) -> Result<bool>;
    /// The plan document kept under `id` and `version`.
    fn kept_plan(&mut self, id: &PlanId, version: u32) -> Result<Option<Plan>>;
    /// How many corrections of `period` are stored.
    fn correction_count(&mut self, period: &Period) -> Result<usize>;
    /// The points ledger of `employee` (empty when none is kept).
    fn kept_ledger(&mut self, employee: &EmployeeId) -> Result<PointsLedger>;
    /// The pending adjustments of `employee`.
    fn kept_pending(&mut self, employee: &EmployeeId) -> Result<Vec<PayItem>>;
    /// The draft kept under `id`.
    fn kept_draft(&mut self, id: &DraftId) -> Result<Option<Draft>>;
}

/// Every change one commit makes.
#[derive(Debug, Default)]
pub(crate) struct Writes {
    /// The plan document, when it is not kept yet.
    pub(crate) plan: Option<Plan>,
    /// The whole ledger of each employee whose ledger moves.
    pub(crate) ledgers: BTreeMap<EmployeeId, PointsLedger>,
    /// Year-to-date states after the period, per employee paid.
    pub(crate) ytd: Vec<(EmployeeId, PayrollYtd)>,
    /// Award keys granted.
    pub(crate) granted: Vec<(EmployeeId, AwardKey)>,
    /// The whole list of pending adjustments of each employee whose list
    /// changes (paid items taken out, a correction's payable items added).
    pub(crate) pending: BTreeMap<EmployeeId, Vec<PayItem>>,
}

/// Refuses `plan` when another document is kept under its id and version;
/// the document to keep when it is new.
pub(crate) fn plan_to_keep(kept: &mut impl Kept, plan: &Plan) -> Result<Option<Plan>> {
    match kept.kept_plan(&plan.id, plan.version)? {
        Some(old) if &old == plan => Ok(None),
        Some(_) => Err(Error::invalid_input(format!(
            "plan {} version {} is already kept with a different content; \
             a corrected plan needs a new version",
            plan.id, plan.version
        ))),
        None => Ok(Some(plan.clone())),
    }
}

/// The date a movement for `period` is booked on: the period's last day,
/// or the ledger's last movement when that is later (a correction of an
/// old period is booked now, after what happened since).
fn booking_date(ledger: &PointsLedger, period: &Period) -> chrono::NaiveDate {
    let end = period.last_day();
    ledger.movements().last().map_or(end, |m| m.date.max(end))
}

impl Writes {
    /// The ledger of `employee` as this commit leaves it so far.
    fn ledger<'w>(&'w mut self, kept: &mut impl Kept, employee: &EmployeeId) -> Result<&'w mut PointsLedger> {
        if !self.ledgers.contains_key(employee) {
            let ledger = kept.kept_ledger(employee)?;
            self.ledgers.insert(employee.clone(), ledger);
        }
        self.ledgers
            .get_mut(employee)
            .ok_or_else(|| Error::data(format!("the ledger of {employee} was not read")))
    }

    /// The pending adjustments of `employee` as this commit leaves them.
    fn pending<'w>(
        &'w mut self,
        kept: &mut impl Kept,
        employee: &EmployeeId,
    ) -> Result<&'w mut Vec<PayItem>> {
        if !self.pending.contains_key(employee) {
            let items = kept.kept_pending(employee)?;
            self.pending.insert(employee.clone(), items);
        }
        self.pending
            .get_mut(employee)
            .ok_or_else(|| Error::data(format!("the adjustments of {employee} were not read")))
    }

    /// Credits the points awards among `awards`.
    fn credit<'a>(
        &mut self,
        kept: &mut impl Kept,
        period: &Period,
        awards: impl IntoIterator<Item = (&'a EmployeeId, &'a Award)>,
    ) -> Result<()> {
        for (employee, award) in awards {
            if let AwardKind::Points(points) = award.kind
                && points > Decimal::ZERO
            {
                let ledger = self.ledger(kept, employee)?;
                ledger.credit(
                    booking_date(ledger, period),
                    points,
                    award.rule.to_string(),
                    award.key.to_string(),
                )?;
            }
        }
        Ok(())
    }
}

/// What storing the closed period `closed` under `plan` changes
/// ([`Storage::commit`](super::Storage::commit)); refused when the period
/// is closed already, when another document is kept under the plan's id and
/// version, or when a ledger refuses a credit.
pub(crate) fn close(kept: &mut impl Kept, plan: &Plan, closed: &ClosedPeriod) -> Result<Writes> {
    let outcome = &closed.outcome;
    if kept.is_closed(&outcome.period)? {
        return Err(Error::data(format!("{} is already closed", outcome.period)));
    }
    let mut writes = Writes {
        plan: plan_to_keep(kept, plan)?,
        ..Writes::default()
    };
    let awards = outcome
        .employees
        .iter()
        .flat_map(|o| o.awards.iter().map(move |a| (&o.employee, a)));
    writes.credit(kept, &outcome.period, awards)?;
    for o in &outcome.employees {
        if let Some(p) = &o.payslip {
            writes.ytd.push((o.employee.clone(), p.ytd));
        }
        writes
            .granted
            .extend(o.awards.iter().map(|a| (o.employee.clone(), a.key.clone())));
    }
    // adjustments are paid once their payslip exists
    for input in closed.inputs.iter().filter(|i| !i.adjustments.is_empty()) {
        let paid = outcome
            .employee(&input.employee)
            .is_some_and(|o| o.payslip.is_some());
        if paid {
            let pending = writes.pending(kept, &input.employee)?;
            for item in &input.adjustments {
                if let Some(at) = pending.iter().position(|p| p == item) {
                    pending.remove(at);
                }
            }
        }
    }
    Ok(writes)
}

/// What storing `correction` under `plan` changes
/// ([`Storage::commit_correction`](super::Storage::commit_correction));
/// refused when the period is not closed, when the correction does not
/// follow the ones stored, for the plan as in [`close`], or when a ledger
/// refuses a move.
pub(crate) fn correct(kept: &mut impl Kept, plan: &Plan, correction: &Correction) -> Result<Writes> {
    let period = correction.period;
    if !kept.is_closed(&period)? {
        return Err(Error::data(format!("{period} is not closed")));
    }
    let stored = kept.correction_count(&period)?;
    if usize::try_from(correction.sequence).ok() != Some(stored.saturating_add(1)) {
        return Err(Error::data(format!(
            "correction {} of {period} does not follow the {stored} stored",
            correction.sequence
        )));
    }
    let mut writes = Writes {
        plan: plan_to_keep(kept, plan)?,
        ..Writes::default()
    };
    let added = correction.awards_added.iter().map(|a| (&a.employee, a));
    writes.credit(kept, &period, added)?;
    for change in &correction.points_changed {
        if change.moved.is_zero() {
            continue;
        }
        let ledger = writes.ledger(kept, &change.employee)?;
        let date = booking_date(ledger, &period);
        let source = change.source(correction.sequence);
        let reason = format!("{period} correction {}", correction.sequence);
        if change.moved.is_sign_negative() {
            ledger.clawback(date, change.moved.abs(), source, reason)?;
        } else {
            ledger.credit(date, change.moved, reason, source)?;
        }
    }
    writes.granted.extend(
        correction
            .awards_added
            .iter()
            .map(|a| (a.employee.clone(), a.key.clone())),
    );
    for employee in correction.adjustments.keys() {
        let items = correction.payable(employee);
        if !items.is_empty() {
            writes.pending(kept, employee)?.extend(items);
        }
    }
    Ok(writes)
}

/// Refuses a draft of work that can no longer be approved: the close of a
/// period already closed, a correction of a period not closed or that does
/// not follow the corrections stored, or a draft already kept under its id.
pub(crate) fn check_draft(kept: &mut impl Kept, draft: &Draft) -> Result<()> {
    let id = draft.id();
    if kept.kept_draft(&id)?.is_some() {
        return Err(Error::data(format!(
            "{id} already has a draft; approve or discard it first"
        )));
    }
    let closed = kept.is_closed(&id.period)?;
    if id.correction == 0 {
        if closed {
            return Err(Error::data(format!("{} is already closed", id.period)));
        }
        return Ok(());
    }
    if !closed {
        return Err(Error::data(format!("{} is not closed", id.period)));
    }
    let stored = kept.correction_count(&id.period)?;
    if usize::try_from(id.correction).ok() != Some(stored.saturating_add(1)) {
        return Err(Error::data(format!(
            "correction {} of {} does not follow the {stored} stored",
            id.correction, id.period
        )));
    }
    Ok(())
}
