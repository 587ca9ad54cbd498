//! Simulating a plan change: the sample shop's generated staff (as
//! `benches/month_close.rs`) evaluated under the plan in force and under
//! a proposal (4 % instead of 3 % above 100,000), numbers only, and
//! compared — what `perfpay simulate` does per period.
//!
//! The same run times `evaluate numbers` under one plan, the baseline: a
//! simulated period costs at least two of them. Report `simulate one
//! period` ÷ (2 × `evaluate numbers`) as the comparison's overhead, and
//! `simulate one period` ÷ (employees × 2) as the time per
//! employee-period-plan. `simulate 12 periods` feeds twelve months one at
//! a time, as the command does with twelve files.
//!
//! The proposal reaches the sales role only (`perfpay::plan::reach`): a
//! simulation evaluates the proposal for the sales third of the staff and
//! takes everyone else's outcome from the plan in force. `simulate one
//! period, everyone` changes the payroll's overtime divisor too (nobody
//! in the generated staff works overtime, so the figures are the same),
//! which reaches every role: both plans evaluated for everyone, as before
//! `reach`.
//!
//! With `--features parallel` (as the `perfpay` tool is built) a period
//! of 256 employees or more is evaluated under both plans side by side and
//! compared on every core; the baseline then evaluates one plan on every
//! core.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "common/seeded.rs"]
mod seeded;
#[path = "common/staff.rs"]
mod staff;
use perfpay::simulate::Simulator;
use perfpay::{Period, Plan, evaluate_numbers};

fn bench(c: &mut Criterion) {
    let text = include_str!("../examples/shop.toml");
    let now = Plan::from_toml(text)
        .and_then(|p| p.compile())
        .expect("the sample plan compiles");
    let mut proposal = now.plan().clone();
    proposal
        .set("tiers.sales.tiers[1].rate", "0.04")
        .expect("the sample plan has the rate");
    proposal.version = 2;
    let proposal = proposal.compile().expect("the proposal compiles");
    let mut everyone = proposal.plan().clone();
    everyone
        .set("payroll.overtime_divisor", "21.75")
        .expect("the sample plan has the divisor");
    let everyone = everyone.compile().expect("the proposal compiles");
    let nov = Period::month(2026, 11).expect("period");
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let inputs = staff::generate(n);
        group.bench_with_input(BenchmarkId::new("evaluate numbers", n), &inputs, |b, inputs| {
            b.iter_with_large_drop(|| evaluate_numbers(&now, &nov, inputs))
        });
        group.bench_with_input(
            BenchmarkId::new("simulate one period", n),
            &inputs,
            |b, inputs| {
                b.iter_with_large_drop(|| {
                    let mut simulator = Simulator::new(&now, &proposal);
                    simulator.add_period(&nov, inputs).expect("the period simulates");
                    simulator.finish()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("simulate one period, everyone", n),
            &inputs,
            |b, inputs| {
                b.iter_with_large_drop(|| {
                    let mut simulator = Simulator::new(&now, &everyone);
                    simulator.add_period(&nov, inputs).expect("the period simulates");
                    simulator.finish()
                })
            },
        );
    }
    let inputs = staff::generate(10_000);
    let months: Vec<Period> = (1..=12).map(|m| Period::month(2026, m).expect("month")).collect();
    group.bench_with_input(
        BenchmarkId::new("simulate 12 periods", 10_000),
        &inputs,
        |b, inputs| {
            b.iter_with_large_drop(|| {
                let mut simulator = Simulator::new(&now, &proposal);
                for month in &months {
                    simulator.add_period(month, inputs).expect("the month simulates");
                }
                simulator.finish()
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
