//! The storage contract: one conformance suite for the in-memory and the
//! SQLite store; the SQLite store's own promises (reopening, migrations,
//! crash safety).

use std::sync::Arc;

use perfpay::ports::memory::MemoryStorage;
use perfpay::testing::conformance::{STORAGE_LAWS, check_storage};

#[test]
fn the_memory_store_keeps_the_storage_contract() {
    let held = check_storage(|| {
        let store = Arc::new(MemoryStorage::new());
        Ok((Arc::clone(&store), store))
    })
    .unwrap_or_else(|v| panic!("{v}"));
    assert_eq!(held, STORAGE_LAWS);
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use perfpay::id::EventId;
    use perfpay::incentive::{Event, EventKind};
    use perfpay::ports::Storage;
    use perfpay::sqlite::{SCHEMA_VERSION, SqliteStorage};
    use perfpay::testing::conformance::{STORAGE_LAWS, check_storage};
    use perfpay::{
        Decimal, EmployeeId, EmployeeInputs, ErrorKind, MetricId, NaiveDate, PayrollYtd, Period, Plan,
        RoleId, Timeline, evaluate_period,
    };

    const SHOP: &str = include_str!("../examples/shop.toml");

    /// A new database file under the target's scratch folder.
    fn scratch(name: &str) -> PathBuf {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sqlite");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}-{}-{n}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        path
    }

    #[test]
    fn the_sqlite_store_keeps_the_storage_contract_across_two_connections() {
        let held = check_storage(|| {
            let path = scratch("conformance");
            Ok((SqliteStorage::open(&path)?, SqliteStorage::open(&path)?))
        })
        .unwrap_or_else(|v| panic!("{v}"));
        assert_eq!(held, STORAGE_LAWS);
    }

    #[test]
    fn a_database_keeps_what_was_closed_after_it_is_closed_and_opened_again() {
        let path = scratch("reopen");
        let plan = Plan::from_toml(SHOP).unwrap().compile().unwrap();
        let nov = Period::month(2026, 11).unwrap();
        let closed = sample_close(&plan, nov, 3);
        {
            let store = SqliteStorage::open(&path).unwrap();
            store.commit(plan.plan(), &closed).unwrap();
        }
        let store = SqliteStorage::open(&path).unwrap();
        // one employee's outcome from its own row
        let second = &closed.outcome.employees[1];
        assert_eq!(
            store.employee_outcome(&nov, &second.employee).unwrap().as_ref(),
            Some(second)
        );
        assert_eq!(store.record(&nov).unwrap(), Some(closed));
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let err = store
            .commit(plan.plan(), &sample_close(&plan, nov, 3))
            .unwrap_err();
        assert_eq!(err.message(), "2026-11 is already closed");
    }

    #[test]
    fn a_draft_is_stored_a_row_per_employee_and_its_rows_go_with_it() {
        use perfpay::record::{Draft, DraftWork, Signature};
        let path = scratch("draft-rows");
        let plan = Plan::from_toml(SHOP).unwrap().compile().unwrap();
        let nov = Period::month(2026, 11).unwrap();
        let closed = sample_close(&plan, nov, 3);
        let at = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc();
        let doc = plan.plan();
        let draft = Draft::new(
            doc.id.clone(),
            doc.version,
            DraftWork::Close(closed.clone()),
            Signature::new("clerk", at),
        );
        let store = SqliteStorage::open(&path).unwrap();
        store.save_draft(doc, &draft).unwrap();
        let count = |table: &str| -> i64 {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!((count("draft_inputs"), count("draft_outcomes")), (3, 3));
        // the header row holds no employee's inputs or outcome (the team's
        // rankings name them, as a closed month's header does)
        let conn = rusqlite::Connection::open(&path).unwrap();
        let header: String = conn
            .query_row("SELECT record FROM drafts", [], |r| r.get(0))
            .unwrap();
        assert!(
            !header.contains("\"payslip\"") && !header.contains("\"salary\""),
            "{header}"
        );
        drop(conn);
        // read back whole, and approved as it was prepared
        assert_eq!(store.drafts().unwrap(), vec![draft.clone()]);
        store.approve(&draft.id(), &Signature::new("owner", at)).unwrap();
        assert_eq!(store.record(&nov).unwrap(), Some(closed));
        assert_eq!(
            (count("draft_inputs"), count("draft_outcomes"), count("drafts")),
            (0, 0, 0)
        );
    }

    #[test]
    fn a_database_of_a_newer_perfpay_is_refused() {
        let path = scratch("newer");
        drop(SqliteStorage::open(&path).unwrap());
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("UPDATE schema SET version = ?1", [SCHEMA_VERSION + 1])
            .unwrap();
        drop(conn);
        let err = SqliteStorage::open(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Data);
        assert_eq!(
            err.message(),
            format!(
                "the database has schema version {}, newer than this perfpay's {SCHEMA_VERSION}; \
                 open it with a newer perfpay",
                SCHEMA_VERSION + 1
            )
        );
    }

    #[test]
    fn the_audit_log_refuses_edits_in_the_database_itself() {
        let path = scratch("audit");
        drop(SqliteStorage::open(&path).unwrap());
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO audit (period, correction, action, actor, at, record) VALUES ('2026-11', 0, 'approved', 'x', 't', '{}')",
            [],
        )
        .unwrap();
        let update = conn
            .execute("UPDATE audit SET actor = 'someone else'", [])
            .unwrap_err();
        assert!(
            update.to_string().contains("the audit log is append-only"),
            "{update}"
        );
        let delete = conn.execute("DELETE FROM audit", []).unwrap_err();
        assert!(
            delete.to_string().contains("the audit log is append-only"),
            "{delete}"
        );
    }

    #[test]
    fn a_stored_record_that_does_not_read_names_itself() {
        let path = scratch("corrupt");
        let plan = Plan::from_toml(SHOP).unwrap().compile().unwrap();
        let nov = Period::month(2026, 11).unwrap();
        SqliteStorage::open(&path)
            .unwrap()
            .commit(plan.plan(), &sample_close(&plan, nov, 2))
            .unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE closed_outcomes SET record = '{\"employee\": 7}' WHERE position = 1",
            [],
        )
        .unwrap();
        drop(conn);
        let store = SqliteStorage::open(&path).unwrap();
        let err = store.record(&nov).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Data);
        assert!(
            err.message()
                .starts_with("stored outcome of 2026-11, row #2 does not read: "),
            "{}",
            err.message()
        );
        // the inputs are kept apart and read alone: the broken outcome row
        // is not read for them
        let inputs = store.recorded_inputs(&nov).unwrap().unwrap();
        let ids: Vec<&str> = inputs.iter().map(|i| i.employee.as_str()).collect();
        assert_eq!(ids, ["sales-00000", "sales-00001"]);
    }

    /// `n` sales staff closed for `period`, each with a training course
    /// (200 points).
    fn sample_close(plan: &perfpay::CompiledPlan, period: Period, n: usize) -> perfpay::record::ClosedPeriod {
        let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let m = |s: &str| MetricId::new(s).unwrap();
        let inputs: Vec<EmployeeInputs> = (0..n)
            .map(|i| {
                let who = EmployeeId::new(format!("sales-{i:05}")).unwrap();
                let course = Event::new(
                    EventId::new(format!("course-{i}-{period}")).unwrap(),
                    who.clone(),
                    EventKind::TrainingCompleted,
                    period.start(),
                );
                EmployeeInputs::new(
                    who,
                    RoleId::new("sales").unwrap(),
                    Timeline::constant(since, Decimal::from(6_000)),
                )
                .with_metrics([
                    (m("sales"), Decimal::from(100_000 + 1_000 * i as i64)),
                    (m("sales_achievement"), Decimal::new(10, 1)),
                    (m("repurchase"), Decimal::new(2, 1)),
                    (m("teamwork"), Decimal::from(4)),
                ])
                .with_events([course])
                .with_ytd(PayrollYtd::new(2026))
            })
            .collect();
        let outcome = evaluate_period(plan, &period, &inputs).unwrap();
        perfpay::record::ClosedPeriod { inputs, outcome }
    }

    const CRASH_DB: &str = "PERFPAY_CRASH_DB";
    const CRASH_STAFF: usize = 1_500;

    /// The child of the crash test: closes month after month of a large
    /// shop until it is killed. Does nothing when run on its own.
    #[test]
    #[ignore = "run by a_process_killed_while_committing_leaves_whole_closes_or_none"]
    fn crash_child() {
        let Ok(path) = std::env::var(CRASH_DB) else {
            return;
        };
        let plan = Plan::from_toml(SHOP).unwrap().compile().unwrap();
        let store = SqliteStorage::open(&path).unwrap();
        let mut period = Period::month(2026, 1).unwrap();
        let ready = format!("{path}.ready");
        loop {
            let closed = sample_close(&plan, period, CRASH_STAFF);
            std::fs::write(&ready, period.to_string()).unwrap();
            store.commit(plan.plan(), &closed).unwrap();
            period = period.next().unwrap();
        }
    }

    #[test]
    fn a_process_killed_while_committing_leaves_whole_closes_or_none() {
        let path = scratch("crash");
        let ready = format!("{}.ready", path.display());
        let _ = std::fs::remove_file(&ready);
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "storage::sqlite::crash_child",
                "--ignored",
                "--test-threads=1",
            ])
            .env(CRASH_DB, &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // kill it once it has begun to commit the second month (the first
        // is then stored): the kill lands inside the second commit
        let mut polls = 0u32;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(2));
            polls += 1;
            let month = std::fs::read_to_string(&ready).unwrap_or_default();
            if month == "2026-02" || polls > 30_000 {
                break;
            }
            assert!(
                child.try_wait().unwrap().is_none(),
                "the child stopped before it was killed"
            );
        }
        child.kill().unwrap();
        child.wait().unwrap();

        let store = SqliteStorage::open(&path).unwrap();
        let mut closed = 0i64;
        let mut period = Period::month(2026, 1).unwrap();
        let first = EmployeeId::new("sales-00000").unwrap();
        let last = EmployeeId::new(format!("sales-{:05}", CRASH_STAFF - 1)).unwrap();
        while let Some(record) = store.record(&period).unwrap() {
            // whole: every employee's inputs and outcome, every state row
            assert_eq!(record.inputs.len(), CRASH_STAFF, "{period}");
            assert_eq!(record.outcome.employees.len(), CRASH_STAFF, "{period}");
            let after = period.next().unwrap();
            assert!(store.ytd_before(&last, &after).unwrap().is_some(), "{period}");
            closed += 1;
            period = after;
        }
        // none of the month being written when the process died
        assert!(
            store
                .ytd_before(&first, &period.next().unwrap())
                .unwrap()
                .is_none()
        );
        assert!(closed >= 1, "the first month was committed before the kill");
        // each closed month credited its course to every ledger, once
        for who in [&first, &last] {
            assert_eq!(
                store.ledger(who).unwrap().balance(),
                Decimal::from(200 * closed),
                "{who}"
            );
        }
        eprintln!("crash test: {closed} whole month(s) after the kill");
    }
}
