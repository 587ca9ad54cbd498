//! The embedded store: [`SqliteStorage`] keeps everything perfpay decides
//! — and the roster, events, attendance and shop data a small host keeps
//! beside it — in one SQLite file (feature `sqlite`; SQLite is compiled in,
//! no system library is needed).
//!
//! - Every committing method is one `BEGIN IMMEDIATE` transaction: all of
//!   it or nothing, and two connections committing at once are taken one
//!   after the other, so the second sees what the first stored and gets the
//!   documented refusal (a period closed twice is paid once).
//! - The database is in WAL mode with full synchronisation: a process
//!   killed in the middle of a commit leaves the whole commit or none of it.
//! - Records are stored as the JSON perfpay writes anywhere else, with
//!   indexed columns for what is looked up (period, employee, plan id and
//!   version, award key). A closed period is stored a row per employee
//!   (inputs and outcome apart), so reading one employee's outcome
//!   ([`SqliteStorage::employee_outcome`]) never reads the whole month.
//! - The schema is versioned (table `schema`); [`SqliteStorage::open`] runs
//!   the migrations a database lacks and refuses a database written by a
//!   newer perfpay.
//!
//! ```
//! use perfpay::ports::Storage;
//! use perfpay::sqlite::SqliteStorage;
//! use perfpay::Plan;
//!
//! let storage = SqliteStorage::open_in_memory()?;
//! let plan = Plan::from_toml(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml")))?;
//! storage.save_plan(&plan)?;
//! assert_eq!(storage.plan(&plan.id, plan.version)?, Some(plan));
//! assert_eq!(storage.schema_version()?, perfpay::sqlite::SCHEMA_VERSION);
//! # Ok::<(), perfpay::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::feedback::Response;
use crate::goal::CheckIn;
use crate::id::{EmployeeId, MetricId, PlanId};
use crate::incentive::{AwardKey, Event, PointsLedger, Redeemed, Redemption};
use crate::payroll::{Attendance, PayItem, PayrollYtd};
use crate::period::Period;
use crate::plan::Plan;
use crate::ports::writes::{self, Kept, Writes};
use crate::ports::{AttendanceSource, PlatformMetrics, StaffMember, Storage};
use crate::record::{
    AuditAction, AuditEntry, ClosedPeriod, Correction, Draft, DraftId, DraftWork, EmployeeInputs,
    EmployeeOutcome, PeriodOutcome, Signature,
};
use crate::score::RaterSource;
use crate::tier::Transaction as Deal;

/// The schema version this perfpay writes: the number of migrations.
pub const SCHEMA_VERSION: u32 = 1;

/// The migrations, oldest first: migration `n` takes a database from
/// version `n` to `n + 1`. A migration is never edited once released; a
/// change is a new migration.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema
    "
    CREATE TABLE staff (
        employee TEXT PRIMARY KEY,
        record TEXT NOT NULL
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        employee TEXT NOT NULL,
        date TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX events_by_employee ON events (employee, date);
    CREATE TABLE plans (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );
    CREATE TABLE closed (
        period TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL,
        plan_version INTEGER NOT NULL,
        plan_fingerprint TEXT NOT NULL,
        header TEXT NOT NULL
    );
    CREATE TABLE closed_inputs (
        period TEXT NOT NULL REFERENCES closed (period),
        position INTEGER NOT NULL,
        employee TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (period, position)
    );
    CREATE INDEX inputs_by_employee ON closed_inputs (employee, period);
    CREATE TABLE closed_outcomes (
        period TEXT NOT NULL REFERENCES closed (period),
        position INTEGER NOT NULL,
        employee TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (period, position)
    );
    CREATE INDEX outcomes_by_employee ON closed_outcomes (employee, period);
    CREATE TABLE corrections (
        period TEXT NOT NULL REFERENCES closed (period),
        sequence INTEGER NOT NULL,
        plan_id TEXT NOT NULL,
        plan_version INTEGER NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (period, sequence)
    );
    CREATE TABLE ytd (
        employee TEXT NOT NULL,
        period TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (employee, period)
    ) WITHOUT ROWID;
    CREATE TABLE granted (
        employee TEXT NOT NULL,
        award_key TEXT NOT NULL,
        PRIMARY KEY (employee, award_key)
    ) WITHOUT ROWID;
    CREATE TABLE ledgers (
        employee TEXT PRIMARY KEY,
        record TEXT NOT NULL
    );
    CREATE TABLE pending (
        employee TEXT PRIMARY KEY,
        record TEXT NOT NULL
    );
    CREATE TABLE redemptions (
        award_key TEXT PRIMARY KEY,
        employee TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX redemptions_by_employee ON redemptions (employee);
    CREATE TABLE responses (
        id INTEGER PRIMARY KEY,
        period TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX responses_by_period ON responses (period);
    CREATE TABLE attendance (
        employee TEXT NOT NULL,
        period TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (employee, period)
    ) WITHOUT ROWID;
    CREATE TABLE shop_data (
        employee TEXT NOT NULL,
        period TEXT NOT NULL,
        kind TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (employee, period, kind)
    ) WITHOUT ROWID;
    CREATE TABLE drafts (
        period TEXT NOT NULL,
        correction INTEGER NOT NULL,
        plan_id TEXT NOT NULL,
        plan_version INTEGER NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (period, correction)
    );
    CREATE TABLE draft_inputs (
        draft TEXT NOT NULL,
        position INTEGER NOT NULL,
        employee TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (draft, position)
    );
    CREATE TABLE draft_outcomes (
        draft TEXT NOT NULL,
        position INTEGER NOT NULL,
        employee TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (draft, position)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        period TEXT NOT NULL,
        correction INTEGER NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    ",
];

/// How long a connection waits for another one's commit before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// [`Storage`], [`AttendanceSource`] and [`PlatformMetrics`] in one SQLite
/// database. One value holds one connection (behind a mutex, so it can be
/// shared between threads); open the same file again for another
/// connection — every commit is a transaction of its own.
#[derive(Debug)]
pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

/// A SQLite error, kept as the cause of a host error.
fn sql(e: rusqlite::Error) -> Error {
    Error::host(e)
}

/// `value` as the JSON stored.
fn to_json<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::data(format!("cannot store {what}: {e}")))
}

/// A stored JSON record read back; a record that does not read says which.
fn from_json<T: DeserializeOwned>(text: &str, what: impl FnOnce() -> String) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::data(format!("stored {} does not read: {e}", what())))
}

impl SqliteStorage {
    /// Opens (or creates) the database at `path`: WAL mode, full
    /// synchronisation, the migrations it lacks run in one transaction.
    ///
    /// # Errors
    ///
    /// The file cannot be opened or migrated (a host error with SQLite's
    /// cause); [`ErrorKind::Data`](crate::ErrorKind::Data) when the database
    /// was written by a newer perfpay (its schema version is above
    /// [`SCHEMA_VERSION`]).
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStorage> {
        let path = path.as_ref();
        let conn =
            Connection::open(path).map_err(|e| sql(e).with_path(format!("sqlite {}", path.display())))?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        SqliteStorage::ready(conn)
    }

    /// A private database in memory (for tests and examples).
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn open_in_memory() -> Result<SqliteStorage> {
        SqliteStorage::ready(Connection::open_in_memory().map_err(sql)?)
    }

    fn ready(mut conn: Connection) -> Result<SqliteStorage> {
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
        migrate(&mut conn)?;
        Ok(SqliteStorage {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| {
            Error::data("the SQLite connection is unavailable: a thread panicked while holding it")
        })
    }

    /// Runs `work` in one immediate transaction: committed when it returns
    /// `Ok`, rolled back otherwise.
    fn write<T>(&self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let value = work(&tx)?;
        tx.commit().map_err(sql)?;
        Ok(value)
    }

    /// The schema version of the database.
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn schema_version(&self) -> Result<u32> {
        version(&*self.lock()?)
    }

    /// Adds an employee to the roster, or replaces their entry.
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn add_staff(&self, member: &StaffMember) -> Result<()> {
        let record = to_json(member, "a staff member")?;
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO staff (employee, record) VALUES (?1, ?2)",
                params![member.employee.as_str(), record],
            )
            .map_err(sql)?;
            Ok(())
        })
    }

    /// Records events.
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped; nothing is stored then.
    pub fn add_events(&self, events: &[Event]) -> Result<()> {
        self.write(|tx| {
            let mut insert = tx
                .prepare("INSERT INTO events (employee, date, record) VALUES (?1, ?2, ?3)")
                .map_err(sql)?;
            for event in events {
                let record = to_json(event, "an event")?;
                insert
                    .execute(params![event.employee.as_str(), event.date.to_string(), record])
                    .map_err(sql)?;
            }
            Ok(())
        })
    }

    /// Adds survey responses of `period`.
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped; nothing is stored then.
    pub fn add_survey_responses(&self, period: &Period, responses: &[Response]) -> Result<()> {
        self.write(|tx| {
            for response in responses {
                tx.execute(
                    "INSERT INTO responses (period, record) VALUES (?1, ?2)",
                    params![period.to_string(), to_json(response, "a survey response")?],
                )
                .map_err(sql)?;
            }
            Ok(())
        })
    }

    /// Sets the points ledger of `employee`: an opening balance brought
    /// from another system.
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn set_ledger(&self, employee: &EmployeeId, ledger: &PointsLedger) -> Result<()> {
        let record = to_json(ledger, "a points ledger")?;
        self.write(|tx| put_ledger(tx, employee, &record))
    }

    /// Records the attendance of `employee` in `period` (served through
    /// [`AttendanceSource`]).
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn set_attendance(
        &self,
        employee: &EmployeeId,
        period: &Period,
        attendance: &Attendance,
    ) -> Result<()> {
        let record = to_json(attendance, "attendance")?;
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO attendance (employee, period, record) VALUES (?1, ?2, ?3)",
                params![employee.as_str(), period.to_string(), record],
            )
            .map_err(sql)?;
            Ok(())
        })
    }

    /// Records the shop's figures of `employee` in `period` (served through
    /// [`PlatformMetrics::metrics`]).
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn set_metrics(
        &self,
        employee: &EmployeeId,
        period: &Period,
        metrics: &BTreeMap<MetricId, Decimal>,
    ) -> Result<()> {
        self.set_shop_data(employee, period, "metrics", metrics)
    }

    /// Records the deals credited to `employee` in `period` (served through
    /// [`PlatformMetrics::transactions`]).
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn set_transactions(&self, employee: &EmployeeId, period: &Period, deals: &[Deal]) -> Result<()> {
        self.set_shop_data(employee, period, "transactions", deals)
    }

    /// Records the ratings of `employee` in `period` (served through
    /// [`PlatformMetrics::ratings`]).
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn set_ratings(
        &self,
        employee: &EmployeeId,
        period: &Period,
        ratings: &BTreeMap<RaterSource, Vec<Decimal>>,
    ) -> Result<()> {
        self.set_shop_data(employee, period, "ratings", ratings)
    }

    /// Records the goal check-ins of `employee` in `period` (served through
    /// [`PlatformMetrics::check_ins`]).
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped.
    pub fn set_check_ins(&self, employee: &EmployeeId, period: &Period, check_ins: &[CheckIn]) -> Result<()> {
        self.set_shop_data(employee, period, "check_ins", check_ins)
    }

    fn set_shop_data<T: Serialize + ?Sized>(
        &self,
        employee: &EmployeeId,
        period: &Period,
        kind: &str,
        value: &T,
    ) -> Result<()> {
        let record = to_json(value, kind)?;
        self.write(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO shop_data (employee, period, kind, record) VALUES (?1, ?2, ?3, ?4)",
                params![employee.as_str(), period.to_string(), kind, record],
            )
            .map_err(sql)?;
            Ok(())
        })
    }

    fn shop_data<T: DeserializeOwned + Default>(
        &self,
        employee: &EmployeeId,
        period: &Period,
        kind: &str,
    ) -> Result<T> {
        let conn = self.lock()?;
        let record: Option<String> = conn
            .query_row(
                "SELECT record FROM shop_data WHERE employee = ?1 AND period = ?2 AND kind = ?3",
                params![employee.as_str(), period.to_string(), kind],
                |row| row.get(0),
            )
            .optional()
            .map_err(sql)?;
        record.map_or_else(
            || Ok(T::default()),
            |r| from_json(&r, || format!("{kind} of {employee} in {period}")),
        )
    }

    /// One record by key from `table`, read as JSON.
    fn one<T: DeserializeOwned>(
        &self,
        query: &str,
        key: impl rusqlite::Params,
        what: impl FnOnce() -> String,
    ) -> Result<Option<T>> {
        let conn = self.lock()?;
        one(&conn, query, key, what)
    }

    /// Every record a query gives, read as JSON.
    fn all<T: DeserializeOwned>(
        &self,
        query: &str,
        key: impl rusqlite::Params,
        what: &str,
    ) -> Result<Vec<T>> {
        let conn = self.lock()?;
        all(&conn, query, key, what)
    }
}

fn one<T: DeserializeOwned>(
    conn: &Connection,
    query: &str,
    key: impl rusqlite::Params,
    what: impl FnOnce() -> String,
) -> Result<Option<T>> {
    // cached: a commit reads each employee's ledger and pending
    // adjustments with the same query, and compiling it each time would
    // cost more than the read
    let record: Option<String> = conn
        .prepare_cached(query)
        .and_then(|mut statement| statement.query_row(key, |row| row.get(0)).optional())
        .map_err(sql)?;
    record.map(|r| from_json(&r, what)).transpose()
}

fn all<T: DeserializeOwned>(
    conn: &Connection,
    query: &str,
    key: impl rusqlite::Params,
    what: &str,
) -> Result<Vec<T>> {
    let mut statement = conn.prepare_cached(query).map_err(sql)?;
    let rows = statement
        .query_map(key, |row| row.get::<_, String>(0))
        .map_err(sql)?;
    let mut out = Vec::new();
    for (at, row) in rows.enumerate() {
        let record = row.map_err(sql)?;
        out.push(from_json(&record, || {
            format!("{what} #{}", at.saturating_add(1))
        })?);
    }
    Ok(out)
}

/// The database's schema version (0 for a new database).
fn version(conn: &Connection) -> Result<u32> {
    conn.query_row("SELECT version FROM schema", [], |row| row.get(0))
        .optional()
        .map_err(sql)
        .map(Option::unwrap_or_default)
}

/// Runs the migrations the database lacks, in one transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema (version INTEGER NOT NULL)")
        .map_err(sql)?;
    let found = version(&tx)?;
    if found > SCHEMA_VERSION {
        return Err(Error::data(format!(
            "the database has schema version {found}, newer than this perfpay's {SCHEMA_VERSION}; \
             open it with a newer perfpay"
        )));
    }
    let done = usize::try_from(found).map_err(|_| Error::data("schema version out of range"))?;
    for (at, migration) in MIGRATIONS.iter().enumerate().skip(done) {
        tx.execute_batch(migration)
            .map_err(|e| sql(e).with_path(format!("sqlite migration {}", at.saturating_add(1))))?;
    }
    if found == 0 {
        tx.execute("INSERT INTO schema (version) VALUES (?1)", [SCHEMA_VERSION])
            .map_err(sql)?;
    } else if found < SCHEMA_VERSION {
        tx.execute("UPDATE schema SET version = ?1", [SCHEMA_VERSION])
            .map_err(sql)?;
    }
    tx.commit().map_err(sql)
}

fn put_ledger(tx: &Transaction<'_>, employee: &EmployeeId, record: &str) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO ledgers (employee, record) VALUES (?1, ?2)")
        .and_then(|mut insert| insert.execute(params![employee.as_str(), record]))
        .map_err(sql)?;
    Ok(())
}

/// [`Kept`] inside a transaction.
struct Reading<'t, 'c>(&'t Transaction<'c>);

impl Kept for Reading<'_, '_> {
    fn is_closed(&mut self, period: &Period) -> Result<bool> {
        self.0
            .query_row(
                "SELECT 1 FROM closed WHERE period = ?1",
                [period.to_string()],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(sql)
    }

    fn kept_plan(&mut self, id: &PlanId, version: u32) -> Result<Option<Plan>> {
        one(
            self.0,
            "SELECT record FROM plans WHERE id = ?1 AND version = ?2",
            params![id.as_str(), version],
            || format!("plan {id} version {version}"),
        )
    }

    fn correction_count(&mut self, period: &Period) -> Result<usize> {
        let count: i64 = self
            .0
            .query_row(
                "SELECT count(*) FROM corrections WHERE period = ?1",
                [period.to_string()],
                |row| row.get(0),
            )
            .map_err(sql)?;
        usize::try_from(count).map_err(|_| Error::data(format!("{period} has too many corrections")))
    }

    fn kept_ledger(&mut self, employee: &EmployeeId) -> Result<PointsLedger> {
        Ok(one(
            self.0,
            "SELECT record FROM ledgers WHERE employee = ?1",
            [employee.as_str()],
            || format!("points ledger of {employee}"),
        )?
        .unwrap_or_default())
    }

    fn kept_pending(&mut self, employee: &EmployeeId) -> Result<Vec<PayItem>> {
        Ok(one(
            self.0,
            "SELECT record FROM pending WHERE employee = ?1",
            [employee.as_str()],
            || format!("pending adjustments of {employee}"),
        )?
        .unwrap_or_default())
    }

    fn kept_draft(&mut self, id: &DraftId) -> Result<Option<Draft>> {
        read_draft(self.0, id)
    }
}

/// Stores what a commit decided, inside its transaction.
fn apply(tx: &Transaction<'_>, writes: &Writes, period: &Period) -> Result<()> {
    if let Some(plan) = &writes.plan {
        insert_plan(tx, plan)?;
    }
    for (employee, ledger) in &writes.ledgers {
        put_ledger(tx, employee, &to_json(ledger, "a points ledger")?)?;
    }
    let key = period.to_string();
    let mut ytd = tx
        .prepare_cached("INSERT OR REPLACE INTO ytd (employee, period, record) VALUES (?1, ?2, ?3)")
        .map_err(sql)?;
    for (employee, state) in &writes.ytd {
        ytd.execute(params![
            employee.as_str(),
            key,
            to_json(state, "year-to-date state")?
        ])
        .map_err(sql)?;
    }
    let mut granted = tx
        .prepare_cached("INSERT OR IGNORE INTO granted (employee, award_key) VALUES (?1, ?2)")
        .map_err(sql)?;
    for (employee, award) in &writes.granted {
        granted
            .execute(params![employee.as_str(), award.to_string()])
            .map_err(sql)?;
    }
    let mut pending = tx
        .prepare_cached("INSERT OR REPLACE INTO pending (employee, record) VALUES (?1, ?2)")
        .map_err(sql)?;
    for (employee, items) in &writes.pending {
        pending
            .execute(params![employee.as_str(), to_json(items, "pending adjustments")?])
            .map_err(sql)?;
    }
    Ok(())
}

fn insert_plan(tx: &Transaction<'_>, plan: &Plan) -> Result<()> {
    tx.execute(
        "INSERT INTO plans (id, version, record) VALUES (?1, ?2, ?3)",
        params![plan.id.as_str(), plan.version, to_json(plan, "a plan")?],
    )
    .map_err(sql)?;
    Ok(())
}

/// The inputs of closed `period` (its key `key`), in the order gathered.
fn closed_inputs(conn: &Connection, period: &Period, key: &str) -> Result<Vec<EmployeeInputs>> {
    all(
        conn,
        "SELECT record FROM closed_inputs WHERE period = ?1 ORDER BY position",
        [key],
        &format!("inputs of {period}, row"),
    )
}

/// Stores a closed period: a header row and a row per employee.
fn insert_closed(tx: &Transaction<'_>, plan: &Plan, closed: &ClosedPeriod) -> Result<()> {
    let outcome = &closed.outcome;
    let key = outcome.period.to_string();
    let header = outcome_header(outcome);
    tx.execute(
        "INSERT INTO closed (period, plan_id, plan_version, plan_fingerprint, header) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            key,
            plan.id.as_str(),
            plan.version,
            outcome.plan_fingerprint,
            to_json(&header, "a period outcome")?
        ],
    )
    .map_err(sql)?;
    // inputs in the order gathered, outcomes in employee order: each in
    // its own table, its employee column its own
    let rows = closed.inputs.iter().map(|i| (&i.employee, i));
    insert_rows(tx, "closed_inputs", "period", &key, rows, "employee inputs")?;
    let rows = outcome.employees.iter().map(|o| (&o.employee, o));
    insert_rows(tx, "closed_outcomes", "period", &key, rows, "an employee outcome")
}

/// `outcome` without its employees (their rows are stored apart), made
/// without copying them.
fn outcome_header(outcome: &PeriodOutcome) -> PeriodOutcome {
    PeriodOutcome {
        plan: outcome.plan.clone(),
        plan_fingerprint: outcome.plan_fingerprint.clone(),
        currency: outcome.currency,
        period: outcome.period,
        employees: Vec::new(),
        team: outcome.team.clone(),
        survey: outcome.survey.clone(),
    }
}

/// The rows of `table` under `key` (in column `column`), in order: each
/// record written as JSON into one buffer, reused row after row.
fn insert_rows<'e, T: Serialize + 'e>(
    tx: &Transaction<'_>,
    table: &str,
    column: &str,
    key: &str,
    rows: impl Iterator<Item = (&'e EmployeeId, &'e T)>,
    what: &str,
) -> Result<()> {
    let mut insert = tx
        .prepare_cached(&format!(
            "INSERT INTO {table} ({column}, position, employee, record) VALUES (?1, ?2, ?3, ?4)"
        ))
        .map_err(sql)?;
    let mut record = Vec::new();
    for (at, (employee, value)) in rows.enumerate() {
        let position = i64::try_from(at).map_err(|_| Error::data("too many employees in one period"))?;
        record.clear();
        serde_json::to_writer(&mut record, value)
            .map_err(|e| Error::data(format!("cannot store {what}: {e}")))?;
        // stored as TEXT, as a `String` would be: serde_json writes UTF-8,
        // so the bytes need no second pass to prove it
        let text = rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(&record));
        insert
            .execute(params![key, position, employee.as_str(), text])
            .map_err(sql)?;
    }
    Ok(())
}

/// A draft's key in the row tables: `2026-11/0` for a close, `2026-11/2`
/// for its second correction.
fn draft_key(id: &DraftId) -> String {
    format!("{}/{}", id.period, id.correction)
}

/// Stores a draft as a closed month is stored: a header row (the draft
/// without its employees' rows) and a row per employee's inputs and
/// outcome, so that a large month is never one record.
fn insert_draft(tx: &Transaction<'_>, draft: &Draft) -> Result<()> {
    let id = draft.id();
    let key = draft_key(&id);
    let (header, inputs, outcomes) = match &draft.work {
        DraftWork::Close(closed) => (
            DraftWork::Close(ClosedPeriod {
                inputs: Vec::new(),
                outcome: outcome_header(&closed.outcome),
            }),
            closed.inputs.as_slice(),
            closed.outcome.employees.as_slice(),
        ),
        DraftWork::Correction(c) => {
            let header = Correction {
                period: c.period,
                sequence: c.sequence,
                replaces: c.replaces.clone(),
                outcome: outcome_header(&c.outcome),
                adjustments: c.adjustments.clone(),
                awards_added: c.awards_added.clone(),
                awards_withdrawn: c.awards_withdrawn.clone(),
                points_changed: c.points_changed.clone(),
                carried_credit: c.carried_credit.clone(),
            };
            (
                DraftWork::Correction(header),
                &[][..],
                c.outcome.employees.as_slice(),
            )
        }
    };
    let header = Draft::new(
        draft.plan.clone(),
        draft.plan_version,
        header,
        draft.prepared.clone(),
    );
    tx.execute(
        "INSERT INTO drafts (period, correction, plan_id, plan_version, record) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id.period.to_string(),
            id.correction,
            draft.plan.as_str(),
            draft.plan_version,
            to_json(&header, "a draft")?
        ],
    )
    .map_err(sql)?;
    let rows = inputs.iter().map(|i| (&i.employee, i));
    insert_rows(tx, "draft_inputs", "draft", &key, rows, "employee inputs")?;
    let rows = outcomes.iter().map(|o| (&o.employee, o));
    insert_rows(tx, "draft_outcomes", "draft", &key, rows, "an employee outcome")
}

/// The draft `id` with its rows put back.
fn read_draft(tx: &Transaction<'_>, id: &DraftId) -> Result<Option<Draft>> {
    let Some(mut draft) = one::<Draft>(
        tx,
        "SELECT record FROM drafts WHERE period = ?1 AND correction = ?2",
        params![id.period.to_string(), id.correction],
        || id.to_string(),
    )?
    else {
        return Ok(None);
    };
    let key = draft_key(id);
    let outcomes = all(
        tx,
        "SELECT record FROM draft_outcomes WHERE draft = ?1 ORDER BY position",
        [&key],
        &format!("outcome of {id}, row"),
    )?;
    match &mut draft.work {
        DraftWork::Close(closed) => {
            closed.inputs = all(
                tx,
                "SELECT record FROM draft_inputs WHERE draft = ?1 ORDER BY position",
                [&key],
                &format!("inputs of {id}, row"),
            )?;
            closed.outcome.employees = outcomes;
        }
        DraftWork::Correction(c) => c.outcome.employees = outcomes,
    }
    Ok(Some(draft))
}

fn insert_audit(tx: &Transaction<'_>, entry: &AuditEntry) -> Result<()> {
    tx.execute(
        "INSERT INTO audit (period, correction, action, actor, at, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            entry.draft.period.to_string(),
            entry.draft.correction,
            entry.action.as_str(),
            entry.by.actor,
            entry.by.at.to_rfc3339(),
            to_json(entry, "an audit entry")?
        ],
    )
    .map_err(sql)?;
    Ok(())
}

fn commit_closed(tx: &Transaction<'_>, plan: &Plan, closed: &ClosedPeriod) -> Result<()> {
    let writes = writes::close(&mut Reading(tx), plan, closed)?;
    apply(tx, &writes, &closed.outcome.period)?;
    insert_closed(tx, plan, closed)
}

fn commit_corrected(tx: &Transaction<'_>, plan: &Plan, correction: &Correction) -> Result<()> {
    let writes = writes::correct(&mut Reading(tx), plan, correction)?;
    apply(tx, &writes, &correction.period)?;
    tx.execute(
        "INSERT INTO corrections (period, sequence, plan_id, plan_version, record) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            correction.period.to_string(),
            correction.sequence,
            plan.id.as_str(),
            plan.version,
            to_json(correction, "a correction")?
        ],
    )
    .map_err(sql)?;
    Ok(())
}

impl SqliteStorage {
    /// One employee's outcome of the closed `period`, read from its own
    /// row (not the whole month).
    ///
    /// # Errors
    ///
    /// SQLite's error, wrapped; a stored outcome that does not read.
    pub fn employee_outcome(
        &self,
        period: &Period,
        employee: &EmployeeId,
    ) -> Result<Option<EmployeeOutcome>> {
        self.one(
            "SELECT record FROM closed_outcomes WHERE period = ?1 AND employee = ?2",
            params![period.to_string(), employee.as_str()],
            || format!("outcome of {employee} in {period}"),
        )
    }
}

impl Storage for SqliteStorage {
    fn staff(&self, period: &Period) -> Result<Vec<StaffMember>> {
        let staff: Vec<StaffMember> =
            self.all("SELECT record FROM staff ORDER BY rowid", [], "staff member")?;
        Ok(staff
            .into_iter()
            .filter(|m| m.employed_until.is_none_or(|end| end > period.start()))
            .collect())
    }

    fn events(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Event>> {
        self.all(
            "SELECT record FROM events WHERE employee = ?1 AND date >= ?2 AND date < ?3 ORDER BY id",
            params![
                employee.as_str(),
                period.start().to_string(),
                period.end().to_string()
            ],
            "event",
        )
    }

    fn ytd_before(&self, employee: &EmployeeId, period: &Period) -> Result<Option<PayrollYtd>> {
        let previous = period.previous()?;
        self.one(
            "SELECT record FROM ytd WHERE employee = ?1 AND period = ?2",
            params![employee.as_str(), previous.to_string()],
            || format!("year-to-date state of {employee} after {previous}"),
        )
    }

    fn granted(&self, employee: &EmployeeId) -> Result<BTreeSet<AwardKey>> {
        let conn = self.lock()?;
        let mut statement = conn
            .prepare_cached("SELECT award_key FROM granted WHERE employee = ?1")
            .map_err(sql)?;
        let rows = statement
            .query_map([employee.as_str()], |row| row.get::<_, String>(0))
            .map_err(sql)?;
        let mut keys = BTreeSet::new();
        for key in rows {
            let key = key.map_err(sql)?;
            // an award key is stored as its text
            let key = serde_json::from_value(serde_json::Value::String(key))
                .map_err(|e| Error::data(format!("stored award key of {employee} does not read: {e}")))?;
            keys.insert(key);
        }
        Ok(keys)
    }

    fn ledger(&self, employee: &EmployeeId) -> Result<PointsLedger> {
        let conn = self.lock()?;
        let tx = conn.unchecked_transaction().map_err(sql)?;
        Reading(&tx).kept_ledger(employee)
    }

    fn pending_adjustments(&self, employee: &EmployeeId) -> Result<Vec<PayItem>> {
        let conn = self.lock()?;
        let tx = conn.unchecked_transaction().map_err(sql)?;
        Reading(&tx).kept_pending(employee)
    }

    fn save_plan(&self, plan: &Plan) -> Result<()> {
        self.write(|tx| match writes::plan_to_keep(&mut Reading(tx), plan)? {
            Some(plan) => insert_plan(tx, &plan),
            None => Ok(()),
        })
    }

    fn plan(&self, id: &PlanId, version: u32) -> Result<Option<Plan>> {
        self.one(
            "SELECT record FROM plans WHERE id = ?1 AND version = ?2",
            params![id.as_str(), version],
            || format!("plan {id} version {version}"),
        )
    }

    fn record(&self, period: &Period) -> Result<Option<ClosedPeriod>> {
        let mut conn = self.lock()?;
        // one read transaction: the header and its rows from one snapshot
        let tx = conn.transaction().map_err(sql)?;
        let key = period.to_string();
        let Some(mut outcome) =
            one::<PeriodOutcome>(&tx, "SELECT header FROM closed WHERE period = ?1", [&key], || {
                format!("outcome of {period}")
            })?
        else {
            return Ok(None);
        };
        let inputs = closed_inputs(&tx, period, &key)?;
        outcome.employees = all(
            &tx,
            "SELECT record FROM closed_outcomes WHERE period = ?1 ORDER BY position",
            [&key],
            &format!("outcome of {period}, row"),
        )?;
        tx.commit().map_err(sql)?;
        Ok(Some(ClosedPeriod { inputs, outcome }))
    }

    fn recorded_inputs(&self, period: &Period) -> Result<Option<Vec<EmployeeInputs>>> {
        let mut conn = self.lock()?;
        // one read transaction: whether it is closed and its rows from one
        // snapshot
        let tx = conn.transaction().map_err(sql)?;
        let key = period.to_string();
        let closed = tx
            .query_row("SELECT 1 FROM closed WHERE period = ?1", [&key], |_| Ok(()))
            .optional()
            .map_err(sql)?;
        if closed.is_none() {
            return Ok(None);
        }
        let inputs = closed_inputs(&tx, period, &key)?;
        tx.commit().map_err(sql)?;
        Ok(Some(inputs))
    }

    fn corrections(&self, period: &Period) -> Result<Vec<Correction>> {
        self.all(
            "SELECT record FROM corrections WHERE period = ?1 ORDER BY sequence",
            [period.to_string()],
            "correction",
        )
    }

    fn commit(&self, plan: &Plan, closed: &ClosedPeriod) -> Result<()> {
        self.write(|tx| commit_closed(tx, plan, closed))
    }

    fn commit_correction(&self, plan: &Plan, correction: &Correction) -> Result<()> {
        self.write(|tx| commit_corrected(tx, plan, correction))
    }

    fn redeem(&self, redemption: &Redemption) -> Result<bool> {
        self.write(|tx| {
            let kept: Option<Redemption> = one(
                tx,
                "SELECT record FROM redemptions WHERE award_key = ?1",
                [&redemption.key],
                || format!("redemption {}", redemption.key),
            )?;
            if let Some(kept) = kept {
                if &kept == redemption {
                    return Ok(false);
                }
                return Err(Error::invalid_input(format!(
                    "key {} is kept for another redemption",
                    redemption.key
                ))
                .with_path("key"));
            }
            let mut ledger = Reading(tx).kept_ledger(&redemption.employee)?;
            ledger.apply(redemption)?;
            put_ledger(tx, &redemption.employee, &to_json(&ledger, "a points ledger")?)?;
            tx.execute(
                "INSERT INTO redemptions (award_key, employee, record) VALUES (?1, ?2, ?3)",
                params![
                    redemption.key,
                    redemption.employee.as_str(),
                    to_json(redemption, "a redemption")?
                ],
            )
            .map_err(sql)?;
            Ok(true)
        })
    }

    fn days_off(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Redemption>> {
        let kept: Vec<Redemption> = self.all(
            "SELECT record FROM redemptions WHERE employee = ?1 ORDER BY award_key",
            [employee.as_str()],
            "redemption",
        )?;
        Ok(kept
            .into_iter()
            .filter(|r| matches!(r.what, Redeemed::DaysOff { on, .. } if period.contains(on)))
            .collect())
    }

    fn survey_responses(&self, period: &Period) -> Result<Vec<Response>> {
        self.all(
            "SELECT record FROM responses WHERE period = ?1 ORDER BY id",
            [period.to_string()],
            "survey response",
        )
    }

    fn save_draft(&self, plan: &Plan, draft: &Draft) -> Result<()> {
        self.write(|tx| {
            writes::check_draft(&mut Reading(tx), draft)?;
            if let Some(plan) = writes::plan_to_keep(&mut Reading(tx), plan)? {
                insert_plan(tx, &plan)?;
            }
            insert_draft(tx, draft)?;
            insert_audit(
                tx,
                &AuditEntry::new(draft, AuditAction::Prepared, draft.prepared.clone()),
            )
        })
    }

    fn drafts(&self) -> Result<Vec<Draft>> {
        let mut conn = self.lock()?;
        // one read transaction: every draft and its rows from one snapshot
        let tx = conn.transaction().map_err(sql)?;
        let mut ids: Vec<DraftId> = Vec::new();
        {
            let mut statement = tx
                .prepare_cached("SELECT period, correction FROM drafts")
                .map_err(sql)?;
            let rows = statement
                .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?)))
                .map_err(sql)?;
            for row in rows {
                let (period, correction) = row.map_err(sql)?;
                ids.push(DraftId {
                    period: period.parse()?,
                    correction,
                });
            }
        }
        ids.sort();
        let mut drafts = Vec::with_capacity(ids.len());
        for id in &ids {
            drafts.extend(read_draft(&tx, id)?);
        }
        tx.commit().map_err(sql)?;
        Ok(drafts)
    }

    fn draft(&self, id: &DraftId) -> Result<Option<Draft>> {
        let mut conn = self.lock()?;
        // the draft and its rows from one snapshot
        let tx = conn.transaction().map_err(sql)?;
        let draft = read_draft(&tx, id)?;
        tx.commit().map_err(sql)?;
        Ok(draft)
    }

    fn approve(&self, id: &DraftId, by: &Signature) -> Result<()> {
        self.write(|tx| {
            let draft = Reading(tx)
                .kept_draft(id)?
                .ok_or_else(|| Error::data(format!("{id} has no draft")))?;
            let plan = Reading(tx)
                .kept_plan(&draft.plan, draft.plan_version)?
                .ok_or_else(|| Error::data(format!("the plan of {id} is not kept")))?;
            match &draft.work {
                DraftWork::Close(closed) => commit_closed(tx, &plan, closed)?,
                DraftWork::Correction(correction) => commit_corrected(tx, &plan, correction)?,
            }
            drop_draft(tx, id)?;
            insert_audit(tx, &AuditEntry::new(&draft, AuditAction::Approved, by.clone()))
        })
    }

    fn discard(&self, id: &DraftId, by: &Signature) -> Result<()> {
        self.write(|tx| {
            let draft = Reading(tx)
                .kept_draft(id)?
                .ok_or_else(|| Error::data(format!("{id} has no draft")))?;
            drop_draft(tx, id)?;
            insert_audit(tx, &AuditEntry::new(&draft, AuditAction::Discarded, by.clone()))
        })
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        self.all("SELECT record FROM audit ORDER BY id", [], "audit entry")
    }
}

fn drop_draft(tx: &Transaction<'_>, id: &DraftId) -> Result<()> {
    tx.execute(
        "DELETE FROM drafts WHERE period = ?1 AND correction = ?2",
        params![id.period.to_string(), id.correction],
    )
    .map_err(sql)?;
    let key = draft_key(id);
    for table in ["draft_inputs", "draft_outcomes"] {
        tx.execute(&format!("DELETE FROM {table} WHERE draft = ?1"), [&key])
            .map_err(sql)?;
    }
    Ok(())
}

impl AttendanceSource for SqliteStorage {
    /// The attendance recorded with [`SqliteStorage::set_attendance`];
    /// perfect attendance when none was.
    fn attendance(&self, employee: &EmployeeId, period: &Period) -> Result<Attendance> {
        Ok(self
            .one(
                "SELECT record FROM attendance WHERE employee = ?1 AND period = ?2",
                params![employee.as_str(), period.to_string()],
                || format!("attendance of {employee} in {period}"),
            )?
            .unwrap_or_default())
    }
}

impl PlatformMetrics for SqliteStorage {
    fn metrics(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<MetricId, Decimal>> {
        self.shop_data(employee, period, "metrics")
    }

    fn transactions(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<Deal>> {
        self.shop_data(employee, period, "transactions")
    }

    fn ratings(&self, employee: &EmployeeId, period: &Period) -> Result<BTreeMap<RaterSource, Vec<Decimal>>> {
        self.shop_data(employee, period, "ratings")
    }

    fn check_ins(&self, employee: &EmployeeId, period: &Period) -> Result<Vec<CheckIn>> {
        self.shop_data(employee, period, "check_ins")
    }
}
