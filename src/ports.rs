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

use crate::error::Result;
use crate::eval::PeriodOutcome;
use crate::id::{EmployeeId, MetricId, RoleId};
use crate::incentive::{AwardKey, Event, PointsLedger};
use crate::payroll::{Attendance, PayrollYtd};
use crate::period::{Period, Timeline};

/// An employee on the roster for a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    /// Who.
    pub employee: EmployeeId,
    /// Their role in the plan.
    pub role: RoleId,
    /// Salary per period, effective-dated.
    pub salary: Timeline<Decimal>,
    /// The first day no longer employed, for a leaver.
    pub employed_until: Option<NaiveDate>,
}

/// Where perfpay keeps what it has decided: the roster, events, closed
/// periods (outcomes), year-to-date state and granted award keys.
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

    /// The stored outcome of `period` under the plan with `plan_fingerprint`,
    /// if that period was closed with that plan.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn closed(&self, period: &Period, plan_fingerprint: &str) -> Result<Option<PeriodOutcome>>;

    /// The points ledger of `employee`.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped.
    fn ledger(&self, employee: &EmployeeId) -> Result<PointsLedger>;

    /// Stores a closed period at once: outcomes, year-to-date states,
    /// granted keys, and points awards credited to the ledgers. Either all of
    /// it is stored or none.
    ///
    /// # Errors
    ///
    /// The host's error, wrapped; nothing is stored.
    fn commit(&self, outcome: &PeriodOutcome) -> Result<()>;
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
    fn closed(&self, period: &Period, plan_fingerprint: &str) -> Result<Option<PeriodOutcome>>;
    fn ledger(&self, employee: &EmployeeId) -> Result<PointsLedger>;
    fn commit(&self, outcome: &PeriodOutcome) -> Result<()>;
});
forward!(AttendanceSource {
    fn attendance(&self, employee: &EmployeeId, period: &Period) -> Result<Attendance>;
});
forward!(PlatformMetrics {
    fn metrics(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<MetricId, Decimal>>;
});

/// In-memory adapters: for tests, examples and prototypes.
pub mod memory {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::Mutex;

    use rust_decimal::Decimal;

    use super::{AttendanceSource, PlatformMetrics, StaffMember, Storage};
    use crate::error::{Error, Result};
    use crate::eval::PeriodOutcome;
    use crate::id::{EmployeeId, MetricId};
    use crate::incentive::{AwardKey, AwardKind, Event, PointsLedger};
    use crate::payroll::{Attendance, PayrollYtd};
    use crate::period::Period;

    #[derive(Debug, Default)]
    struct State {
        staff: Vec<StaffMember>,
        events: Vec<Event>,
        ytd: BTreeMap<(EmployeeId, Period), PayrollYtd>,
        granted: BTreeMap<EmployeeId, BTreeSet<AwardKey>>,
        closed: BTreeMap<(Period, String), PeriodOutcome>,
        ledgers: BTreeMap<EmployeeId, PointsLedger>,
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

    impl MemoryStorage {
        /// Empty storage.
        pub fn new() -> MemoryStorage {
            MemoryStorage::default()
        }

        /// Adds an employee to the roster.
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn add_staff(&self, member: StaffMember) -> Result<()> {
            self.state.lock().map_err(|_| poisoned())?.staff.push(member);
            Ok(())
        }

        /// Records an event.
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn add_event(&self, event: Event) -> Result<()> {
            self.state.lock().map_err(|_| poisoned())?.events.push(event);
            Ok(())
        }

        /// How many periods were committed (for tests of idempotency).
        ///
        /// # Errors
        ///
        /// Only when the storage is unavailable.
        pub fn commits(&self) -> Result<usize> {
            Ok(self.state.lock().map_err(|_| poisoned())?.commits)
        }
    }

    impl Storage for MemoryStorage {
        fn staff(&self, period: &Period) -> Result<Vec<StaffMember>> {
            let state = self.state.lock().map_err(|_| poisoned())?;
            Ok(state
                .staff
                .iter()
                .filter(|m| m.employed_until.is_none_or(|end| end > period.start()))
                .cloned()
                .collect())
        }

        fn events(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Event>> {
            let state = self.state.lock().map_err(|_| poisoned())?;
            Ok(state
                .events
                .iter()
                .filter(|e| &e.employee == employee && period.contains(e.date))
                .cloned()
                .collect())
        }

        fn ytd_before(&self, employee: &EmployeeId, period: &Period) -> Result<Option<PayrollYtd>> {
            let state = self.state.lock().map_err(|_| poisoned())?;
            let previous = period.previous()?;
            Ok(state.ytd.get(&(employee.clone(), previous)).copied())
        }

        fn granted(&self, employee: &EmployeeId) -> Result<BTreeSet<AwardKey>> {
            let state = self.state.lock().map_err(|_| poisoned())?;
            Ok(state.granted.get(employee).cloned().unwrap_or_default())
        }

        fn closed(&self, period: &Period, plan_fingerprint: &str) -> Result<Option<PeriodOutcome>> {
            let state = self.state.lock().map_err(|_| poisoned())?;
            Ok(state.closed.get(&(*period, plan_fingerprint.to_owned())).cloned())
        }

        fn ledger(&self, employee: &EmployeeId) -> Result<PointsLedger> {
            let state = self.state.lock().map_err(|_| poisoned())?;
            Ok(state.ledgers.get(employee).cloned().unwrap_or_default())
        }

        fn commit(&self, outcome: &PeriodOutcome) -> Result<()> {
            let mut state = self.state.lock().map_err(|_| poisoned())?;
            // credit points first, on copies: a refused credit stores nothing
            let mut ledgers = state.ledgers.clone();
            for o in &outcome.employees {
                for a in &o.awards {
                    if let AwardKind::Points(points) = a.kind {
                        let ledger = ledgers.entry(o.employee.clone()).or_default();
                        if points > Decimal::ZERO {
                            ledger.credit(
                                outcome.period.last_day(),
                                points,
                                a.rule.to_string(),
                                a.key.to_string(),
                            )?;
                        }
                    }
                }
            }
            state.ledgers = ledgers;
            for o in &outcome.employees {
                if let Some(p) = &o.payslip {
                    state.ytd.insert((o.employee.clone(), outcome.period), p.ytd);
                }
                let keys = state.granted.entry(o.employee.clone()).or_default();
                keys.extend(o.awards.iter().map(|a| a.key.clone()));
            }
            state.closed.insert(
                (outcome.period, outcome.plan_fingerprint.clone()),
                outcome.clone(),
            );
            state.commits += 1;
            Ok(())
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
    }

    impl PlatformMetrics for MemoryMetrics {
        fn metrics(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<MetricId, Decimal>> {
            Ok(self
                .records
                .get(&(employee.clone(), *period))
                .cloned()
                .unwrap_or_default())
        }
    }
}
