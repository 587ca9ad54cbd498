//! A million employees of the sample shop's roles in one month close, in
//! one process: wall time with and without explanations, the process's
//! peak memory (max RSS) and the bytes the outcome holds per employee.
//!
//! Not a criterion bench (one run takes seconds and gigabytes): run it with
//!
//! ```text
//! cargo bench --bench million --features parallel
//! cargo bench --bench million --features parallel -- 200000   # another size
//! cargo bench --bench million --features parallel -- numbers  # or explained
//! ```
//!
//! Each figure is one run. Each mode runs three months: on every core with
//! the process's memory fresh (what a process closing one month pays: the
//! kernel faults in and clears every page), on one worker, and on every
//! core again on memory the process has touched before. The one-worker
//! month is no fair base for a speed-up here (its thread is new, and glibc
//! gives a new thread its own arena, so how much memory it reuses varies);
//! `cargo bench --bench month_close --features parallel -- parallel`
//! measures the speed-up.

#[path = "common/seeded.rs"]
mod seeded;
#[path = "common/staff.rs"]
mod staff;

use std::time::Instant;

use perfpay::{Period, Plan, evaluate_numbers, evaluate_period};

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let plan = Plan::from_toml(include_str!("../examples/shop.toml"))
        .and_then(|p| p.compile())
        .expect("the sample plan compiles");
    let period = Period::month(2026, 11).expect("period");
    let started = Instant::now();
    let inputs = staff::generate(n);
    println!(
        "{n} employees generated in {:.2} s; resident {} MB",
        started.elapsed().as_secs_f64(),
        rss_kb("VmRSS").unwrap_or(0) / 1024
    );
    // `numbers` or `explained` runs only that mode
    let only: Option<bool> = std::env::args().skip(1).find_map(|a| match a.as_str() {
        "numbers" => Some(false),
        "explained" => Some(true),
        _ => None,
    });
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    // numbers first: the explained month's gigabytes would be in the way
    for (explained, (workers, label)) in [
        (false, (cores, "every core, memory fresh")),
        (false, (1, "one worker")),
        (false, (cores, "every core, memory reused")),
        (true, (cores, "every core, memory fresh")),
        (true, (1, "one worker")),
        (true, (cores, "every core, memory reused")),
    ] {
        if only.is_some_and(|mode| mode != explained) {
            continue;
        }
        #[cfg(feature = "parallel")]
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .build()
            .expect("a pool");
        #[cfg(feature = "parallel")]
        let install = |f: &mut (dyn FnMut() + Send)| pool.install(f);
        #[cfg(not(feature = "parallel"))]
        let install = |f: &mut (dyn FnMut() + Send)| f();
        #[cfg(not(feature = "parallel"))]
        if workers > 1 {
            println!("(without the `parallel` feature every run is on one core)");
        }
        {
            let before = rss_kb("VmRSS").unwrap_or(0);
            let mut seconds = 0.0;
            let mut held_kb = 0;
            let mut failed = 0;
            install(&mut || {
                let t = Instant::now();
                let outcome = if explained {
                    evaluate_period(&plan, &period, &inputs)
                } else {
                    evaluate_numbers(&plan, &period, &inputs)
                }
                .expect("the month evaluates");
                seconds = t.elapsed().as_secs_f64();
                held_kb = rss_kb("VmRSS").unwrap_or(0).saturating_sub(before);
                failed = outcome.employees.iter().filter(|o| !o.errors.is_empty()).count();
                drop(outcome);
            });
            let mode = if explained {
                "with explanations"
            } else {
                "numbers only"
            };
            let per_employee = seconds * 1e6 / n as f64;
            print!("{label} ({workers}), {mode}: {seconds:.2} s, {per_employee:.2} µs per employee; ");
            if label.ends_with("fresh") {
                // only fresh memory shows what the outcome holds
                println!(
                    "the outcome holds {} B per employee (resident); {failed} with errors",
                    held_kb * 1024 / n as u64
                );
            } else {
                println!("{failed} with errors");
            }
        }
    }
    println!(
        "peak resident memory (max RSS): {} MB",
        rss_kb("VmHWM").unwrap_or(0) / 1024
    );
}

/// A `/proc/self/status` figure in kB (Linux): `VmRSS` now, `VmHWM` the
/// peak.
fn rss_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
