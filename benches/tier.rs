//! A gated 5-tier marginal commission over 10,000 seeded inputs: perfpay's
//! `Commission` (table + gate + multiplier) beside a hand-written native
//! Rust function of the same rule, measured in the same run. Report the
//! ratio of the two.
//!
//! Rule: 0–50k 1 %, 50–100k 2 %, 100–200k 3 %, 200–500k 4 %, above 5 %;
//! satisfaction < 0.85 pays nothing, ≥ 0.95 multiplies by 1.1.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/gated.rs"]
mod gated;
use gated::{inputs, native};
use perfpay::tier::{Commission, CommissionContext, Gate, Multiplier, Tier, TierTable};
use perfpay::{Decimal, MetricId};
use rust_decimal_macros::dec;

fn rule(satisfaction: &MetricId) -> Commission {
    let table = TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.01)),
        Tier::rate(dec!(50000), dec!(0.02)),
        Tier::rate(dec!(100000), dec!(0.03)),
        Tier::rate(dec!(200000), dec!(0.04)),
        Tier::rate(dec!(500000), dec!(0.05)),
    ])
    .expect("valid table");
    Commission::on_table(table)
        .gate(Gate::at_least(satisfaction.clone(), dec!(0.85)))
        .multiplier(Multiplier::new(satisfaction.clone(), [(dec!(0.95), dec!(1.1))]).expect("valid bands"))
}

fn bench(c: &mut Criterion) {
    let satisfaction = MetricId::new("satisfaction").expect("valid id");
    let rule = rule(&satisfaction);
    let inputs = inputs();
    let metrics: Vec<[(MetricId, Decimal); 1]> =
        inputs.iter().map(|(_, s)| [(satisfaction.clone(), *s)]).collect();

    // the two must agree before their speed means anything
    for ((sales, sat), m) in inputs.iter().zip(&metrics) {
        let ours = rule
            .compute(&CommissionContext::new(*sales, m))
            .expect("evaluates");
        assert_eq!(ours, native(*sales, *sat), "sales {sales}, satisfaction {sat}");
    }

    let mut group = c.benchmark_group("tier/gated 5-tier marginal x10k");
    group.bench_function("native (baseline)", |b| {
        b.iter(|| {
            inputs
                .iter()
                .map(|(s, q)| native(black_box(*s), black_box(*q)))
                .fold(Decimal::ZERO, |a, x| a + x)
        })
    });
    group.bench_function("perfpay Commission::compute", |b| {
        b.iter(|| {
            inputs.iter().zip(&metrics).fold(Decimal::ZERO, |a, ((s, _), m)| {
                a + rule
                    .compute(&CommissionContext::new(black_box(*s), m))
                    .unwrap_or_default()
            })
        })
    });
    group.bench_function("perfpay Commission::evaluate (explained)", |b| {
        b.iter(|| {
            inputs.iter().zip(&metrics).fold(Decimal::ZERO, |a, ((s, _), m)| {
                a + rule
                    .evaluate(&CommissionContext::new(black_box(*s), m))
                    .map(|o| o.amount)
                    .unwrap_or_default()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
