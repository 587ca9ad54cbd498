//! A full month for 1,000 / 10,000 / 100,000 generated employees under the
//! sample shop's plan (examples/shop.toml: 4-KPI scorecards with a scripted
//! curve, the 2 % → 3 % commission, a scripted customer-service gate,
//! three incentive rules, a ~13-line payslip), explanations on — and the
//! same month without them (`evaluate numbers`), each also with freeing its
//! outcome timed (`… and drop`).
//!
//! Reports time per month (divide by employees for µs per employee), under
//! the system allocator a host uses. Memory per employee is counted by
//! `benches/month_close_memory.rs`: a counting allocator here would put a
//! wrapper around every allocation of the timed month (measured: 0–9 %
//! slower at 100,000 employees).
//!
//! The machine is shared and its speed drifts between runs, so the same run
//! also times a baseline: writing every employee's inputs as JSON
//! (`serde_json::to_vec`), the least a host does with a month's data. Report
//! the month as a ratio to it.
//!
//! `render en` / `render zh-CN` write every employee's month as text
//! (`EmployeeOutcome::render_in`) in each built-in locale.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "common/seeded.rs"]
mod seeded;
#[path = "common/staff.rs"]
mod staff;
use perfpay::locale::Locale;
use perfpay::{Period, Plan, evaluate_numbers, evaluate_period};

fn bench(c: &mut Criterion) {
    let plan = Plan::from_toml(include_str!("../examples/shop.toml"))
        .and_then(|p| p.compile())
        .expect("the sample plan compiles");
    let period = Period::month(2026, 11).expect("period");
    let mut group = c.benchmark_group("month_close");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let inputs = staff::generate(n);
        // The month runs before the baseline: a pass of `serde_json::to_vec`
        // over every employee leaves the allocator in a state that makes the
        // next month about a tenth slower (measured at 100,000 employees:
        // 9.0 → 10.2 µs each), which is the baseline's doing, not the month's.
        // the month alone: the outcome is freed outside the timing
        group.bench_with_input(BenchmarkId::new("evaluate", n), &inputs, |b, inputs| {
            b.iter_with_large_drop(|| evaluate_period(&plan, &period, inputs))
        });
        // the month, including freeing its outcome (what a host that stores
        // and then drops outcomes pays)
        group.bench_with_input(BenchmarkId::new("evaluate and drop", n), &inputs, |b, inputs| {
            b.iter(|| {
                evaluate_period(&plan, &period, inputs)
                    .map(|o| o.employees.len())
                    .unwrap_or(0)
            })
        });
        // the same month without explanations or fingerprints (what-ifs,
        // simulations): the ratio to "evaluate" is what recording costs
        group.bench_with_input(BenchmarkId::new("evaluate numbers", n), &inputs, |b, inputs| {
            b.iter_with_large_drop(|| evaluate_numbers(&plan, &period, inputs))
        });
        // a what-if as a simulation runs it: the numbers, compared, dropped;
        // its ratio to "evaluate and drop" is the saving per simulated month
        group.bench_with_input(
            BenchmarkId::new("evaluate numbers and drop", n),
            &inputs,
            |b, inputs| {
                b.iter(|| {
                    evaluate_numbers(&plan, &period, inputs)
                        .map(|o| o.employees.len())
                        .unwrap_or(0)
                })
            },
        );
        // the baseline: every employee's inputs written as JSON once
        group.bench_with_input(
            BenchmarkId::new("baseline: inputs to JSON", n),
            &inputs,
            |b, inputs| {
                b.iter(|| {
                    inputs
                        .iter()
                        .map(|i| serde_json::to_vec(i).map_or(0, |v| v.len()))
                        .sum::<usize>()
                })
            },
        );
        // the month's outcomes rendered to text, in English and in Chinese
        let outcome = evaluate_period(&plan, &period, &inputs).expect("the month evaluates");
        let cents = perfpay::RoundingPolicy::cents();
        for (name, locale) in [
            ("render en", Locale::english()),
            ("render zh-CN", Locale::chinese()),
        ] {
            group.bench_with_input(BenchmarkId::new(name, n), &outcome, |b, outcome| {
                b.iter(|| {
                    outcome
                        .employees
                        .iter()
                        .map(|o| o.render_in(locale, &cents).len())
                        .sum::<usize>()
                })
            });
        }
    }
    group.finish();
}

/// With the `parallel` feature: the month at 100,000 employees on the
/// calling thread alone, on one pool worker and on every core, in the same
/// run (`cargo bench --bench month_close --features parallel -- parallel`);
/// every core ÷ the calling thread is the speed-up a host sees. A pool
/// worker is no base for it: glibc gives each new thread an allocator arena
/// of its own and returns its memory to the system once the outcomes are
/// freed, so a worker re-faults the memory of every month.
///
/// And a small shop's month (10 and 100 employees) called as a host calls
/// it, outside any pool: below two tasks' worth of employees it is
/// evaluated on the calling thread, not handed to the pool.
///
/// Without the feature the group is empty and the groups above run on one
/// core.
#[cfg(feature = "parallel")]
fn parallel(c: &mut Criterion) {
    let plan = Plan::from_toml(include_str!("../examples/shop.toml"))
        .and_then(|p| p.compile())
        .expect("the sample plan compiles");
    let period = Period::month(2026, 11).expect("period");
    let mut group = c.benchmark_group("parallel");
    group.sample_size(10);
    for n in [10usize, 100] {
        let inputs = staff::generate(n);
        group.bench_with_input(
            BenchmarkId::new("small period, evaluate", n),
            &inputs,
            |b, inputs| b.iter_with_large_drop(|| evaluate_period(&plan, &period, inputs)),
        );
        group.bench_with_input(
            BenchmarkId::new("small period, evaluate numbers", n),
            &inputs,
            |b, inputs| b.iter_with_large_drop(|| evaluate_numbers(&plan, &period, inputs)),
        );
    }
    let n = 100_000usize;
    let inputs = staff::generate(n);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    for (workers, here, name) in [
        (1, true, "the calling thread"),
        (1, false, "one worker"),
        (cores, false, "every core"),
    ] {
        let builder = rayon::ThreadPoolBuilder::new().num_threads(workers);
        // a pool of the calling thread alone runs its work right here
        let builder = if here {
            builder.use_current_thread()
        } else {
            builder
        };
        let pool = builder.build().expect("a pool");
        group.bench_with_input(
            BenchmarkId::new(format!("evaluate, {name}"), n),
            &inputs,
            |b, inputs| b.iter_with_large_drop(|| pool.install(|| evaluate_period(&plan, &period, inputs))),
        );
        group.bench_with_input(
            BenchmarkId::new(format!("evaluate numbers, {name}"), n),
            &inputs,
            |b, inputs| b.iter_with_large_drop(|| pool.install(|| evaluate_numbers(&plan, &period, inputs))),
        );
    }
    group.finish();
}

#[cfg(not(feature = "parallel"))]
fn parallel(_: &mut Criterion) {}

criterion_group!(benches, bench, parallel);
criterion_main!(benches);
