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
//! Each figure is one run; the machine is shared, so the same run also
//! times the month on one worker (the ratio is the speed-up on every core).

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
        (false, (cores, "every core")),
        (false, (1, "one worker")),
        (true, (cores, "every core")),
        (true, (1, "one worker")),
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
            println!(
                "{label} ({workers}), {}: {seconds:.2} s, {:.2} µs per employee; the outcome holds {} B per employee (resident); {failed} with errors",
                if explained {
                    "with explanations"
                } else {
                    "numbers only"
                },
                seconds * 1e6 / n as f64,
                held_kb * 1024 / n as u64,
            );
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
