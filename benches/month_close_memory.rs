//! Memory of a month close: bytes allocated during one close, bytes still
//! held by its outcome, and the page faults of the fresh memory it touched,
//! per employee, for 1,000 / 10,000 / 100,000
//! generated employees under the sample shop's plan (the staff of
//! `benches/month_close.rs`). Prints one line per size; `cargo bench
//! --bench month_close_memory` runs it.
//!
//! A counting allocator stands in front of the system allocator here only:
//! in the timed bench it would slow the month it measures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "common/seeded.rs"]
mod seeded;
#[path = "common/staff.rs"]
mod staff;
use perfpay::record::PeriodOutcome;
use perfpay::{Period, Plan, evaluate_numbers, evaluate_period};

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged and only
// counts bytes; layouts and pointers pass through as given.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `realloc` is passed on unchanged
        // (the trait's default would allocate, copy and free instead).
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let plan = Plan::from_toml(include_str!("../examples/shop.toml"))
        .and_then(|p| p.compile())
        .expect("the sample plan compiles");
    let period = Period::month(2026, 11).expect("period");
    type Close =
        fn(&perfpay::CompiledPlan, &Period, &[perfpay::EmployeeInputs]) -> perfpay::Result<PeriodOutcome>;
    let modes: [(&str, Close); 2] = [("month_close", evaluate_period), ("numbers", evaluate_numbers)];
    // each size twice: the second month shows whether memory a freed
    // month left to the allocator is reused (fewer page faults) or not
    for n in [1_000usize, 1_000, 10_000, 10_000, 100_000, 100_000] {
        let inputs = staff::generate(n);
        for (name, close) in modes {
            let (allocated, live, count) = (
                ALLOCATED.load(Ordering::Relaxed),
                LIVE.load(Ordering::Relaxed),
                ALLOCATIONS.load(Ordering::Relaxed),
            );
            let faults = minor_faults();
            let outcome = close(&plan, &period, &inputs).expect("evaluates");
            let faults = minor_faults()
                .zip(faults)
                .map(|(after, before)| after.saturating_sub(before));
            let held = LIVE.load(Ordering::Relaxed).saturating_sub(live);
            let failed = outcome.employees.iter().filter(|o| !o.errors.is_empty()).count();
            println!(
                "{name} n={n}: {} allocations and {} bytes allocated per employee, {} bytes held by the outcome per employee, {} page faults per 1,000 employees, {failed} with errors",
                (ALLOCATIONS.load(Ordering::Relaxed) - count) / n,
                (ALLOCATED.load(Ordering::Relaxed) - allocated) / n,
                held / n,
                faults.map_or_else(|| "n/a".to_string(), |f| (f * 1_000 / n as u64).to_string()),
            );
        }
    }
}

/// The process's minor page faults so far (Linux: `/proc/self/stat`): each
/// is a page of memory the process touched for the first time since the
/// system gave it, so they count the fresh memory a month touches. On a
/// virtual machine a fault can cost microseconds.
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name, which is in parentheses: state is
    // the first, minflt the eighth
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(7)?.parse().ok()
}
