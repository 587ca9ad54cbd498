//! Ports: the small traits a host implements to feed perfpay and keep its
//! results, and in-memory adapters ([`memory`]) for tests and examples.
//!
//! Ports are synchronous; async hosts do their own I/O and call
//! [`evaluate_period`](crate::evaluate_period) directly. A host's own error
//! is wrapped with [`Error::host`](crate::Error::host), so it stays
//! reachable through [`std::error::Error::source`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::feedback::Response;
use crate::goal::CheckIn;
use crate::id::{EmployeeId, MetricId, PlanId, RoleId};
use crate::incentive::{AwardKey, Event, PointsLedger, Redemption};
use crate::payroll::{Attendance, PayItem, PayrollYtd, Recurring};
use crate::period::{Period, Timeline};
use crate::plan::Plan;
#[cfg(doc)]
use crate::record::PointsChange;
use crate::record::{AuditEntry, ClosedPeriod, Correction, Draft, DraftId, EmployeeInputs, Signature};
use crate::score::RaterSource;
use crate::tier::Transaction;

pub(crate) mod writes;

/// An employee on the roster for a period.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffMember {
    /// Who.
    pub employee: EmployeeId,
    /// Their role in the plan.
    pub role: RoleId,
    /// Salary per period, effective-dated.
    pub salary: Timeline<Decimal>,
    /// The first day no longer employed, for a leaver.
    pub employed_until: Option<NaiveDate>,
    /// Their own allowances, effective-dated.
    pub allowances: Vec<Recurring>,
    /// Their special deductions from the taxable pay, effective-dated.
    pub tax_deductions: Vec<Recurring>,
    /// Their employment level, effective-dated (none: full time).
    pub employment_level: Option<Timeline<Decimal>>,
}

impl StaffMember {
    /// A member of `role` paid `salary`, not leaving, with no allowances or
    /// special deductions; set the rest with struct update syntax.
    pub fn new(employee: EmployeeId, role: RoleId, salary: Timeline<Decimal>) -> StaffMember {
        StaffMember {
            employee,
            role,
            salary,
            employed_until: None,
            allowances: Vec::new(),
            tax_deductions: Vec::new(),
            employment_level: None,
        }
    }
}

/// Where perfpay keeps what it has decided: the roster, events, plan
/// documents, closed periods (inputs and outcomes), corrections, year-to-date
/// state, granted award keys, points ledgers and adjustments still to pay.
///
/// Committing methods store all of their argument or nothing.
pub trait Storage {
    /// The employees to pay for `period`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn staff(&self, period: &Period) -> Result<Vec<StaffMember>>;

    /// The events of `employee` in `period`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn events(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Event>>;

    /// The year-to-date state of `employee` after the period before `period`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn ytd_before(&self, employee: &EmployeeId, period: &Period) -> Result<Option<PayrollYtd>>;

    /// Award keys already granted to `employee`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn granted(&self, employee: &EmployeeId) -> Result<BTreeSet<AwardKey>>;

    /// The points ledger of `employee`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn ledger(&self, employee: &EmployeeId) -> Result<PointsLedger>;

    /// Earning adjustments of corrected periods not yet paid to `employee`
    /// ([`Correction::payable`]), oldest first.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn pending_adjustments(&self, employee: &EmployeeId) -> Result<Vec<PayItem>>;

    /// Keeps a plan document under its id and version. Saving the same
    /// document again changes nothing; a different document under an id and
    /// version already kept must be refused — a version is never edited,
    /// a correction is a new version.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped; the refusal above.
    fn save_plan(&self, plan: &Plan) -> Result<()>;

    /// The plan document with `id` and `version`, if kept.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn plan(&self, id: &PlanId, version: u32) -> Result<Option<Plan>>;

    /// `period` as it was closed — inputs and outcome — if it was.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn record(&self, period: &Period) -> Result<Option<ClosedPeriod>>;

    /// The inputs `period` was closed from, in the order gathered, if it
    /// was closed: [`record`](Self::record)'s inputs without its outcome.
    /// A simulation of a plan change reads these (it evaluates the inputs
    /// again under both plans), and a closed outcome with its explanations
    /// is many times the size of its inputs.
    ///
    /// The default reads the record and keeps its inputs; a store that
    /// keeps the inputs apart reads only them (the SQLite store does).
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn recorded_inputs(&self, period: &Period) -> Result<Option<Vec<EmployeeInputs>>> {
        Ok(self.record(period)?.map(|closed| closed.inputs))
    }

    /// The corrections of `period`, oldest first.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn corrections(&self, period: &Period) -> Result<Vec<Correction>>;

    /// Stores a closed period at once: the plan document it was closed
    /// under (as [`save_plan`](Self::save_plan) would, with its refusal),
    /// its inputs and outcome, year-to-date states, granted keys, points
    /// awards credited to the ledgers, and the pending adjustments its
    /// inputs carried marked as paid. A period that is already closed must
    /// be refused.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped; the refusals above. Nothing is stored —
    /// the plan document included.
    fn commit(&self, plan: &Plan, closed: &ClosedPeriod) -> Result<()>;

    /// Stores a correction at once: the corrected plan document (as
    /// [`save_plan`](Self::save_plan) would), the correction itself, the
    /// keys and points of [`Correction::awards_added`], the ledger moves of
    /// [`Correction::points_changed`] (credits, and debits as
    /// [`PointsLedger::clawback`]s under [`PointsChange::source`]), and
    /// each employee's [`Correction::payable`] items as pending
    /// adjustments. A correction whose `sequence` is not one more than the
    /// number of corrections stored for its period must be refused (another
    /// correction came first).
    ///
    /// # Errors
    ///
    /// The host's error, wrapped; the refusals above; a ledger that refuses
    /// a move. Nothing is stored.
    fn commit_correction(&self, plan: &Plan, correction: &Correction) -> Result<()>;

    /// Spends an employee's points on `redemption` and keeps it under its
    /// key, at once: `Ok(true)` when it is new, `Ok(false)` when the same
    /// redemption was kept before (nothing is spent twice). A different
    /// redemption under a key already kept must be refused, and so must
    /// what the ledger refuses (a balance too small); nothing is stored
    /// then. By default a storage keeps no redemptions and refuses.
    ///
    /// # Errors
    ///
    /// The refusals above; the host's error, wrapped.
    fn redeem(&self, redemption: &Redemption) -> Result<bool> {
        Err(Error::data(format!(
            "this storage keeps no redemptions: {} is not spent",
            redemption.key
        )))
    }

    /// The days off `employee` redeemed that start in `period`: the close
    /// adds them to the period's attendance as paid leave. None by default.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn days_off(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Redemption>> {
        let _ = (employee, period);
        Ok(Vec::new())
    }

    /// The staff survey's responses of `period` (anonymous tokens, by
    /// group): the close aggregates them under the plan's survey into the
    /// outcome. None by default.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn survey_responses(&self, period: &Period) -> Result<Vec<Response>> {
        let _ = period;
        Ok(Vec::new())
    }

    /// Keeps `draft` — a close or a correction evaluated, not yet paid —
    /// with the plan document it was evaluated under (as
    /// [`save_plan`](Self::save_plan) would), and appends a
    /// [`Prepared`](crate::record::AuditAction::Prepared) entry signed by
    /// [`Draft::prepared`] to the audit log, at once. Refused when a draft
    /// is already kept under its [`Draft::id`], for the close of a period
    /// already closed, and for a correction of a period not closed or whose
    /// sequence does not follow the corrections stored. By default a
    /// storage keeps no drafts and refuses.
    ///
    /// # Errors
    ///
    /// The refusals above; the host's error, wrapped. Nothing is stored.
    fn save_draft(&self, plan: &Plan, draft: &Draft) -> Result<()> {
        let _ = plan;
        Err(Error::data(format!(
            "this storage keeps no drafts: {} is not kept",
            draft.id()
        )))
    }

    /// The drafts kept, by period, the close before its corrections. None
    /// by default.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn drafts(&self) -> Result<Vec<Draft>> {
        Ok(Vec::new())
    }

    /// The draft `id`, if one is kept. By default it is looked for among
    /// [`drafts`](Self::drafts); an adapter that can read one draft alone
    /// should (`close_period` asks for the close of its period to refuse a
    /// month waiting for review).
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn draft(&self, id: &DraftId) -> Result<Option<Draft>> {
        Ok(self.drafts()?.into_iter().find(|d| d.id() == *id))
    }

    /// Approves the draft `id`: commits its work exactly as
    /// [`commit`](Self::commit) or [`commit_correction`](Self::commit_correction)
    /// would (with their refusals: a period closed since the draft was
    /// prepared is refused), drops the draft and appends an
    /// [`Approved`](crate::record::AuditAction::Approved) entry signed `by`,
    /// at once.
    ///
    /// # Errors
    ///
    /// No draft under `id`; the commit's refusals; the host's error,
    /// wrapped. Nothing is stored.
    fn approve(&self, id: &DraftId, by: &Signature) -> Result<()> {
        let _ = by;
        Err(no_draft(id))
    }

    /// Discards the draft `id` (nothing of it is paid) and appends a
    /// [`Discarded`](crate::record::AuditAction::Discarded) entry signed
    /// `by`, at once.
    ///
    /// # Errors
    ///
    /// No draft under `id`; the host's error, wrapped.
    fn discard(&self, id: &DraftId, by: &Signature) -> Result<()> {
        let _ = by;
        Err(no_draft(id))
    }

    /// The audit log, oldest entry first. It is only ever appended to.
    /// Empty by default.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        Ok(Vec::new())
    }
}

/// The refusal for a draft that is not kept.
fn no_draft(id: &DraftId) -> Error {
    Error::data(format!("{id} has no draft"))
}

/// Attendance by employee and period (a time clock, an HR system).
pub trait AttendanceSource {
    /// The attendance of `employee` in `period`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn attendance(&self, employee: &EmployeeId, period: &Period) -> Result<Attendance>;
}

/// Shop data by employee and period: sales, orders, conversion rate,
/// repurchase rate, satisfaction, complaints, goal achievements.
pub trait PlatformMetrics {
    /// The metrics of `employee` in `period`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn metrics(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<MetricId, Decimal>>;

    /// The transactions credited to `employee` in `period` (deals, orders,
    /// refunds), for commissions paid on transactions. None by default.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn transactions(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Transaction>> {
        let _ = (employee, period);
        Ok(Vec::new())
    }

    /// The ratings of `employee` in `period` by source (self, manager,
    /// peers…), for roles scored by several sources. None by default.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn ratings(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<RaterSource, Vec<Decimal>>> {
        let _ = (employee, period);
        Ok(BTreeMap::new())
    }

    /// The progress check-ins of `employee` in `period` on the goals they
    /// own (an OKR tool's). None by default.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn check_ins(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<CheckIn>> {
        let _ = (employee, period);
        Ok(Vec::new())
    }
}

macro_rules! forward {
    ($trait:ident { $($(#[$m:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)* }) => {
        impl<T: $trait + ?Sized> $trait for &T {
            $(fn $name(&self $(, $arg: $ty)*) -> $ret { (**self).$name($($arg),*) })*
        }
        impl<T: $trait + ?Sized> $trait for Box<T> {
            $(fn $name(&self $(, $arg: $ty)*) -> $ret { (**self).$name($($arg),*) })*
        }
        impl<T: $trait + ?Sized> $trait for Arc<T> {
            $(fn $name(&self $(, $arg: $ty)*) -> $ret { (**self).$name($($arg),*) })*
        }
    };
}

forward!(Storage {
    fn staff(&self, period: &Period) -> Result<Vec<StaffMember>>;
    fn events(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Event>>;
    fn ytd_before(&self, employee: &EmployeeId, period: &Period) -> Result<Option<PayrollYtd>>;
    fn granted(&self, employee: &EmployeeId) -> Result<BTreeSet<AwardKey>>;
    fn ledger(&self, employee: &EmployeeId) -> Result<PointsLedger>;
    fn pending_adjustments(&self, employee: &EmployeeId) -> Result<Vec<PayItem>>;
    fn save_plan(&self, plan: &Plan) -> Result<()>;
    fn plan(&self, id: &PlanId, version: u32) -> Result<Option<Plan>>;
    fn record(&self, period: &Period) -> Result<Option<ClosedPeriod>>;
    fn recorded_inputs(&self, period: &Period) -> Result<Option<Vec<EmployeeInputs>>>;
    fn corrections(&self, period: &Period) -> Result<Vec<Correction>>;
    fn commit(&self, plan: &Plan, closed: &ClosedPeriod) -> Result<()>;
    fn commit_correction(&self, plan: &Plan, correction: &Correction) -> Result<()>;
    fn redeem(&self, redemption: &Redemption) -> Result<bool>;
    fn days_off(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Redemption>>;
    fn survey_responses(&self, period: &Period) -> Result<Vec<Response>>;
    fn save_draft(&self, plan: &Plan, draft: &Draft) -> Result<()>;
    fn drafts(&self) -> Result<Vec<Draft>>;
    fn draft(&self, id: &DraftId) -> Result<Option<Draft>>;
    fn approve(&self, id: &DraftId, by: &Signature) -> Result<()>;
    fn discard(&self, id: &DraftId, by: &Signature) -> Result<()>;
    fn audit_log(&self) -> Result<Vec<AuditEntry>>;
});
forward!(AttendanceSource {
    fn attendance(&self, employee: &EmployeeId, period: &Period) -> Result<Attendance>;
});
forward!(PlatformMetrics {
    fn metrics(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<MetricId, Decimal>>;
    fn transactions(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Transaction>>;
    fn ratings(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<RaterSource, Vec<Decimal>>>;
    fn check_ins(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<CheckIn>>;
});

/// In-memory adapters: for tests, examples and prototypes.
pub mod memory {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::{Mutex, MutexGuard};

    use rust_decimal::Decimal;

    use super::writes::{self, Kept, Writes};
    use super::{AttendanceSource, PlatformMetrics, StaffMember, Storage, no_draft};
    use crate::error::{Error, Result};
    use crate::feedback::Response;
    use crate::goal::CheckIn;
    use crate::id::{EmployeeId, MetricId, PlanId};
    use crate::incentive::{AwardKey, Event, PointsLedger, Redemption};
    use crate::payroll::{Attendance, PayItem, PayrollYtd};
    use crate::period::Period;
    use crate::plan::Plan;
    use crate::record::{
        AuditAction, AuditEntry, ClosedPeriod, Correction, Draft, DraftId, DraftWork, EmployeeInputs,
        Signature,
    };
    use crate::score::RaterSource;
    use crate::tier::Transaction;

    #[derive(Debug, Default)]
    struct State {
        staff: Vec<StaffMember>,
        events: Vec<Event>,
        plans: BTreeMap<(PlanId, u32), Plan>,
        ytd: BTreeMap<(EmployeeId, Period), PayrollYtd>,
        granted: BTreeMap<EmployeeId, BTreeSet<AwardKey>>,
        records: BTreeMap<Period, ClosedPeriod>,
        corrections: BTreeMap<Period, Vec<Correction>>,
        pending: BTreeMap<EmployeeId, Vec<PayItem>>,
        ledgers: BTreeMap<EmployeeId, PointsLedger>,
        redemptions: BTreeMap<String, Redemption>,
        responses: BTreeMap<Period, Vec<Response>>,
        drafts: BTreeMap<DraftId, Draft>,
        audit: Vec<AuditEntry>,
        commits: usize,
    }

    /// [`Storage`] in memory, behind a mutex.
    #[derive(Debug, Default)]
    pub struct MemoryStorage {
        state: Mutex<State>,
    }

    fn poisoned() -> Error {
        Error::data("in-memory storage is unavailable: a thread panicked while holding it")
    }

    /// [`Kept`] over the state under the lock.
    struct Reading<'s>(&'s State);

    impl Kept for Reading<'_> {
        fn is_closed(&mut self, period: &Period) -> Result<bool> {
            Ok(self.0.records.contains_key(period))
        }

        fn kept_plan(&mut self, id: &PlanId, version: u32) -> Result<Option<Plan>> {
            Ok(self.0.plans.get(&(id.clone(), version)).cloned())
        }

        fn correction_count(&mut self, period: &Period) -> Result<usize> {
            Ok(self.0.corrections.get(period).map_or(0, Vec::len))
        }

        fn kept_ledger(&mut self, employee: &EmployeeId) -> Result<PointsLedger> {
            Ok(self.0.ledgers.get(employee).cloned().unwrap_or_default())
        }

        fn kept_pending(&mut self, employee: &EmployeeId) -> Result<Vec<PayItem>> {
            Ok(self.0.pending.get(employee).cloned().unwrap_or_default())
        }

        fn kept_draft(&mut self, id: &DraftId) -> Result<Option<Draft>> {
            Ok(self.0.drafts.get(id).cloned())
        }
    }

    impl State {
        /// Stores what a commit decided (nothing here can fail).
        fn apply(&mut self, writes: Writes, period: Period) {
            if let Some(plan) = writes.plan {
                self.plans.insert((plan.id.clone(), plan.version), plan);
            }
            self.ledgers.extend(writes.ledgers);
            for (employee, ytd) in writes.ytd {
                self.ytd.insert((employee, period), ytd);
            }
            for (employee, key) in writes.granted {
                self.granted.entry(employee).or_default().insert(key);
            }
            self.pending.extend(writes.pending);
        }

        fn commit(&mut self, plan: &Plan, closed: &ClosedPeriod) -> Result<()> {
            let writes = writes::close(&mut Reading(self), plan, closed)?;
            let period = closed.outcome.period;
            self.apply(writes, period);
            self.records.insert(period, closed.clone());
            self.commits = self.commits.saturating_add(1);
            Ok(())
        }

        fn commit_correction(&mut self, plan: &Plan, correction: &Correction) -> Result<()> {
            let writes = writes::correct(&mut Reading(self), plan, correction)?;
            self.apply(writes, correction.period);
            self.corrections
                .entry(correction.period)
                .or_default()
                .push(correction.clone());
            self.commits = self.commits.saturating_add(1);
            Ok(())
        }
    }

    impl MemoryStorage {
        /// Empty storage.
        pub fn new() -> MemoryStorage {
            MemoryStorage::default()
        }

        fn lock(&self) -> Result<MutexGuard<'_, State>> {
            self.state.lock().map_err(|_| poisoned())
        }

        /// Adds an employee to the roster.
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn add_staff(&self, member: StaffMember) -> Result<()> {
            self.lock()?.staff.push(member);
            Ok(())
        }

        /// Records an event.
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn add_event(&self, event: Event) -> Result<()> {
            self.lock()?.events.push(event);
            Ok(())
        }

        /// Adds survey responses of `period`.
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn add_survey_responses(
            &self,
            period: Period,
            responses: impl IntoIterator<Item = Response>,
        ) -> Result<()> {
            self.lock()?
                .responses
                .entry(period)
                .or_default()
                .extend(responses);
            Ok(())
        }

        /// Sets the points ledger of `employee`: an opening balance brought
        /// from another system.
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn set_ledger(&self, employee: EmployeeId, ledger: PointsLedger) -> Result<()> {
            self.lock()?.ledgers.insert(employee, ledger);
            Ok(())
        }

        /// How many closed periods and corrections were committed (for tests
        /// of idempotency).
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn commits(&self) -> Result<usize> {
            Ok(self.lock()?.commits)
        }
    }

    impl Storage for MemoryStorage {
        fn staff(&self, period: &Period) -> Result<Vec<StaffMember>> {
            Ok(self
                .lock()?
                .staff
                .iter()
                .filter(|m| m.employed_until.is_none_or(|end| end > period.start()))
                .cloned()
                .collect())
        }

        fn events(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Event>> {
            Ok(self
                .lock()?
                .events
                .iter()
                .filter(|e| &e.employee == employee && period.contains(e.date))
                .cloned()
                .collect())
        }

        fn ytd_before(&self, employee: &EmployeeId, period: &Period) -> Result<Option<PayrollYtd>> {
            let previous = period.previous()?;
            Ok(self.lock()?.ytd.get(&(employee.clone(), previous)).copied())
        }

        fn granted(&self, employee: &EmployeeId) -> Result<BTreeSet<AwardKey>> {
            Ok(self.lock()?.granted.get(employee).cloned().unwrap_or_default())
        }

        fn ledger(&self, employee: &EmployeeId) -> Result<PointsLedger> {
            Ok(self.lock()?.ledgers.get(employee).cloned().unwrap_or_default())
        }

        fn pending_adjustments(&self, employee: &EmployeeId) -> Result<Vec<PayItem>> {
            Ok(self.lock()?.pending.get(employee).cloned().unwrap_or_default())
        }

        fn save_plan(&self, plan: &Plan) -> Result<()> {
            let mut state = self.lock()?;
            if let Some(plan) = writes::plan_to_keep(&mut Reading(&state), plan)? {
                state.plans.insert((plan.id.clone(), plan.version), plan);
            }
            Ok(())
        }

        fn plan(&self, id: &PlanId, version: u32) -> Result<Option<Plan>> {
            Ok(self.lock()?.plans.get(&(id.clone(), version)).cloned())
        }

        fn record(&self, period: &Period) -> Result<Option<ClosedPeriod>> {
            Ok(self.lock()?.records.get(period).cloned())
        }

        fn recorded_inputs(&self, period: &Period) -> Result<Option<Vec<EmployeeInputs>>> {
            Ok(self
                .lock()?
                .records
                .get(period)
                .map(|closed| closed.inputs.clone()))
        }

        fn corrections(&self, period: &Period) -> Result<Vec<Correction>> {
            Ok(self.lock()?.corrections.get(period).cloned().unwrap_or_default())
        }

        fn commit(&self, plan: &Plan, closed: &ClosedPeriod) -> Result<()> {
            self.lock()?.commit(plan, closed)
        }

        fn redeem(&self, redemption: &Redemption) -> Result<bool> {
            let mut state = self.lock()?;
            if let Some(kept) = state.redemptions.get(&redemption.key) {
                if kept == redemption {
                    return Ok(false);
                }
                return Err(Error::invalid_input(format!(
                    "key {} is kept for another redemption",
                    redemption.key
                ))
                .with_path("key"));
            }
            // the ledger first, on a copy: a refusal stores nothing
            let mut ledger = state
                .ledgers
                .get(&redemption.employee)
                .cloned()
                .unwrap_or_default();
            ledger.apply(redemption)?;
            state.ledgers.insert(redemption.employee.clone(), ledger);
            state
                .redemptions
                .insert(redemption.key.clone(), redemption.clone());
            Ok(true)
        }

        fn survey_responses(&self, period: &Period) -> Result<Vec<Response>> {
            Ok(self.lock()?.responses.get(period).cloned().unwrap_or_default())
        }

        fn days_off(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Redemption>> {
            Ok(self
                .lock()?
                .redemptions
                .values()
                .filter(|r| {
                    &r.employee == employee
                        && matches!(r.what, crate::incentive::Redeemed::DaysOff { on, .. } if period.contains(on))
                })
                .cloned()
                .collect())
        }

        fn commit_correction(&self, plan: &Plan, correction: &Correction) -> Result<()> {
            self.lock()?.commit_correction(plan, correction)
        }

        fn save_draft(&self, plan: &Plan, draft: &Draft) -> Result<()> {
            let mut state = self.lock()?;
            writes::check_draft(&mut Reading(&state), draft)?;
            if let Some(plan) = writes::plan_to_keep(&mut Reading(&state), plan)? {
                state.plans.insert((plan.id.clone(), plan.version), plan);
            }
            state.drafts.insert(draft.id(), draft.clone());
            let entry = AuditEntry::new(draft, AuditAction::Prepared, draft.prepared.clone());
            state.audit.push(entry);
            Ok(())
        }

        fn drafts(&self) -> Result<Vec<Draft>> {
            Ok(self.lock()?.drafts.values().cloned().collect())
        }

        fn draft(&self, id: &DraftId) -> Result<Option<Draft>> {
            Ok(self.lock()?.drafts.get(id).cloned())
        }

        fn approve(&self, id: &DraftId, by: &Signature) -> Result<()> {
            let mut state = self.lock()?;
            let draft = state.drafts.get(id).cloned().ok_or_else(|| no_draft(id))?;
            let plan = state
                .plans
                .get(&(draft.plan.clone(), draft.plan_version))
                .cloned()
                .ok_or_else(|| Error::data(format!("the plan of {id} is not kept")))?;
            match &draft.work {
                DraftWork::Close(closed) => state.commit(&plan, closed)?,
                DraftWork::Correction(correction) => state.commit_correction(&plan, correction)?,
            }
            state.drafts.remove(id);
            state
                .audit
                .push(AuditEntry::new(&draft, AuditAction::Approved, by.clone()));
            Ok(())
        }

        fn discard(&self, id: &DraftId, by: &Signature) -> Result<()> {
            let mut state = self.lock()?;
            let draft = state.drafts.remove(id).ok_or_else(|| no_draft(id))?;
            state
                .audit
                .push(AuditEntry::new(&draft, AuditAction::Discarded, by.clone()));
            Ok(())
        }

        fn audit_log(&self) -> Result<Vec<AuditEntry>> {
            Ok(self.lock()?.audit.clone())
        }
    }

    /// [`AttendanceSource`] from a map; employees without an entry have
    /// perfect attendance.
    #[derive(Debug, Default)]
    pub struct MemoryAttendance {
        records: BTreeMap<(EmployeeId, Period), Attendance>,
    }

    impl MemoryAttendance {
        /// Empty.
        pub fn new() -> MemoryAttendance {
            MemoryAttendance::default()
        }

        /// Records `attendance` for `employee` in `period`.
        pub fn insert(&mut self, employee: EmployeeId, period: Period, attendance: Attendance) {
            self.records.insert((employee, period), attendance);
        }
    }

    impl AttendanceSource for MemoryAttendance {
        fn attendance(&self, employee: &EmployeeId, period: &Period) -> Result<Attendance> {
            Ok(self
                .records
                .get(&(employee.clone(), *period))
                .cloned()
                .unwrap_or_default())
        }
    }

    /// [`PlatformMetrics`] from a map.
    #[derive(Debug, Default)]
    pub struct MemoryMetrics {
        records: BTreeMap<(EmployeeId, Period), BTreeMap<MetricId, Decimal>>,
        transactions: BTreeMap<(EmployeeId, Period), Vec<Transaction>>,
        ratings: BTreeMap<(EmployeeId, Period), BTreeMap<RaterSource, Vec<Decimal>>>,
        check_ins: BTreeMap<(EmployeeId, Period), Vec<CheckIn>>,
    }

    impl MemoryMetrics {
        /// Empty.
        pub fn new() -> MemoryMetrics {
            MemoryMetrics::default()
        }

        /// Records `metrics` for `employee` in `period`.
        pub fn insert(&mut self, employee: EmployeeId, period: Period, metrics: BTreeMap<MetricId, Decimal>) {
            self.records.insert((employee, period), metrics);
        }

        /// Records `transactions` credited to `employee` in `period`.
        pub fn insert_transactions(
            &mut self,
            employee: EmployeeId,
            period: Period,
            transactions: Vec<Transaction>,
        ) {
            self.transactions.insert((employee, period), transactions);
        }

        /// Records the ratings of `employee` in `period`.
        pub fn insert_ratings(
            &mut self,
            employee: EmployeeId,
            period: Period,
            ratings: BTreeMap<RaterSource, Vec<Decimal>>,
        ) {
            self.ratings.insert((employee, period), ratings);
        }

        /// Records the check-ins of `employee` in `period`.
        pub fn insert_check_ins(&mut self, employee: EmployeeId, period: Period, check_ins: Vec<CheckIn>) {
            self.check_ins.insert((employee, period), check_ins);
        }
    }

    impl PlatformMetrics for MemoryMetrics {
        fn metrics(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<MetricId, Decimal>> {
            Ok(self
                .records
                .get(&(employee.clone(), *period))
                .cloned()
                .unwrap_or_default())
        }

        fn transactions(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Transaction>> {
            Ok(self
                .transactions
                .get(&(employee.clone(), *period))
                .cloned()
                .unwrap_or_default())
        }

        fn ratings(
            &self,
            employee: &EmployeeId,
            period: &Period,
        ) -> Result<BTreeMap<RaterSource, Vec<Decimal>>> {
            Ok(self
                .ratings
                .get(&(employee.clone(), *period))
                .cloned()
                .unwrap_or_default())
        }

        fn check_ins(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<CheckIn>> {
            Ok(self
                .check_ins
                .get(&(employee.clone(), *period))
                .cloned()
                .unwrap_or_default())
        }
    }
}
