//! A month closed end to end with the SQLite store: the sample shop's
//! generated staff (as `benches/month_close.rs`) evaluated, then committed
//! in one transaction to a new database file (WAL, full synchronisation) —
//! every employee's inputs and explained outcome as JSON, year-to-date
//! states, award keys, points ledgers.
//!
//! The same run times the pure evaluation (`evaluate`), the baseline the
//! store is reported against: `close with the store` ÷ `evaluate` is what
//! keeping the month costs (target: at most 2×). `commit only` stores a
//! month evaluated beforehand, `read back` reads a stored month whole and
//! `read the inputs back` its inputs alone (what a simulation reads).
//! `commit only, numbers` stores the month evaluated without explanations,
//! and the two `in memory` rows commit to a database in memory: together
//! the floor under any stored form of the explanations.
//! The database files are made outside the timing, under `target/`.

use std::path::PathBuf;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "common/seeded.rs"]
mod seeded;
#[path = "common/staff.rs"]
mod staff;
use perfpay::ports::Storage;
use perfpay::record::ClosedPeriod;
use perfpay::sqlite::SqliteStorage;
use perfpay::{Period, Plan, evaluate_numbers, evaluate_period};

/// A new, empty database file.
fn fresh_db(n: usize) -> SqliteStorage {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sqlite");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let path = dir.join(format!("close-{n}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    SqliteStorage::open(&path).expect("a new database")
}

fn bench(c: &mut Criterion) {
    let plan = Plan::from_toml(include_str!("../examples/shop.toml"))
        .and_then(|p| p.compile())
        .expect("the sample plan compiles");
    let period = Period::month(2026, 11).expect("period");
    let mut group = c.benchmark_group("close_sqlite");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let inputs = staff::generate(n);
        // the baseline: the month evaluated, its outcome freed untimed
        group.bench_with_input(BenchmarkId::new("evaluate", n), &inputs, |b, inputs| {
            b.iter_with_large_drop(|| evaluate_period(&plan, &period, inputs))
        });
        // the month evaluated and committed to a new database
        group.bench_with_input(
            BenchmarkId::new("close with the store", n),
            &inputs,
            |b, inputs| {
                b.iter_batched(
                    || fresh_db(n),
                    |db| {
                        let outcome = evaluate_period(&plan, &period, inputs).expect("the month evaluates");
                        let closed = ClosedPeriod {
                            inputs: inputs.clone(),
                            outcome,
                        };
                        db.commit(plan.plan(), &closed).expect("the month commits");
                        (db, closed)
                    },
                    BatchSize::PerIteration,
                )
            },
        );
        let closed = ClosedPeriod {
            inputs: inputs.clone(),
            outcome: evaluate_period(&plan, &period, &inputs).expect("the month evaluates"),
        };
        // storing a month evaluated beforehand; then the floor under any
        // stored form of the explanations: the month without them
        // (`evaluate_numbers`), to a file and in memory, and the month as
        // stored today in memory (docs/storage.md)
        let numbers = ClosedPeriod {
            inputs: inputs.clone(),
            outcome: evaluate_numbers(&plan, &period, &inputs).expect("the month evaluates"),
        };
        let to_file = || fresh_db(n);
        let in_memory = || SqliteStorage::open_in_memory().expect("a database in memory");
        let commits: [(&str, &ClosedPeriod, &dyn Fn() -> SqliteStorage); 4] = [
            ("commit only", &closed, &to_file),
            ("commit only, numbers", &numbers, &to_file),
            ("commit only, in memory", &closed, &in_memory),
            ("commit only, numbers, in memory", &numbers, &in_memory),
        ];
        for (name, month, open) in commits {
            group.bench_with_input(BenchmarkId::new(name, n), month, |b, month| {
                b.iter_batched(
                    open,
                    |db| {
                        db.commit(plan.plan(), month).expect("the month commits");
                        db
                    },
                    BatchSize::PerIteration,
                )
            });
        }
        // reading the stored month back whole
        let db = fresh_db(n);
        db.commit(plan.plan(), &closed).expect("the month commits");
        group.bench_with_input(BenchmarkId::new("read back", n), &db, |b, db| {
            b.iter_with_large_drop(|| db.record(&period).expect("the month reads"))
        });
        // reading its inputs alone, as a simulation of a plan change does
        group.bench_with_input(BenchmarkId::new("read the inputs back", n), &db, |b, db| {
            b.iter_with_large_drop(|| db.recorded_inputs(&period).expect("the inputs read"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
