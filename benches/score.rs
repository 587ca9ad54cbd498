//! A 4-KPI scorecard over 10,000 employees: perfpay's `Scorecard::score`
//! beside a hand-written native Rust function of the same scorecard,
//! measured in the same run. Report the ratio.
//!
//! conversion (linear 2 % → 60, 3 % → 100, 4 % → 120) 40 %; repurchase
//! (linear 15 % → 60, 25 % → 100) 30 %; detail-page optimisations (steps 2 →
//! 60, 4 → 80, 6 → 100) 20 %; complaint rate (lower is better, linear 5 % →
//! 60, 2 % → 100) 10 %.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/seeded.rs"]
mod seeded;
use perfpay::score::{Anchor, Direction, Kpi, LinearCurve, Scorecard, StepCurve};
use perfpay::{Decimal, MetricId};
use rust_decimal_macros::dec;

fn ids() -> [MetricId; 4] {
    ["conversion", "repurchase", "optimisations", "complaint_rate"]
        .map(|s| MetricId::new(s).expect("valid id"))
}

/// 10,000 employees' metrics from a fixed-seed LCG.
fn inputs() -> Vec<[Decimal; 4]> {
    let mut seeded = seeded::Seeded::new(0x5c0_2026_1128);
    (0..10_000)
        .map(|_| {
            [
                Decimal::new(100 + seeded.below(400), 4),     // conversion 1 %–5 %
                Decimal::new(1_000 + seeded.below(2_000), 4), // repurchase 10 %–30 %
                Decimal::from(seeded.below(9)),               // 0–8 optimisations
                Decimal::new(seeded.below(700), 4),           // complaints 0 %–7 %
            ]
        })
        .collect()
}

fn lerp(v: Decimal, x0: Decimal, y0: Decimal, x1: Decimal, y1: Decimal) -> Decimal {
    y0 + (v - x0) * (y1 - y0) / (x1 - x0)
}

/// The scorecard written by hand, the baseline.
fn native(m: &[Decimal; 4]) -> Decimal {
    let conversion = if m[0] < dec!(0.02) {
        dec!(0)
    } else if m[0] < dec!(0.03) {
        lerp(m[0], dec!(0.02), dec!(60), dec!(0.03), dec!(100))
    } else if m[0] < dec!(0.04) {
        lerp(m[0], dec!(0.03), dec!(100), dec!(0.04), dec!(120))
    } else {
        dec!(120)
    };
    let repurchase = if m[1] < dec!(0.15) {
        dec!(0)
    } else if m[1] < dec!(0.25) {
        lerp(m[1], dec!(0.15), dec!(60), dec!(0.25), dec!(100))
    } else {
        dec!(100)
    };
    let optimisations = if m[2] >= dec!(6) {
        dec!(100)
    } else if m[2] >= dec!(4) {
        dec!(80)
    } else if m[2] >= dec!(2) {
        dec!(60)
    } else {
        dec!(0)
    };
    let complaints = if m[3] > dec!(0.05) {
        dec!(0)
    } else if m[3] > dec!(0.02) {
        lerp(m[3], dec!(0.05), dec!(60), dec!(0.02), dec!(100))
    } else {
        dec!(100)
    };
    // kept to SCORE_SCALE (10) places, as a scorecard keeps a weighted score
    (conversion * dec!(0.4) + repurchase * dec!(0.3) + optimisations * dec!(0.2) + complaints * dec!(0.1))
        .round_dp_with_strategy(10, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn card(ids: &[MetricId; 4]) -> Scorecard {
    let [conversion, repurchase, optimisations, complaints] = ids.clone();
    let a = |v: Decimal, s: i64| Anchor::new(v, Decimal::from(s));
    Scorecard::builder("bench")
        .item(
            Kpi::linear(
                conversion,
                Direction::HigherIsBetter,
                LinearCurve::new(a(dec!(0.02), 60), a(dec!(0.03), 100)).stretch(a(dec!(0.04), 120)),
            )
            .expect("valid kpi"),
            dec!(0.4),
        )
        .item(
            Kpi::linear(
                repurchase,
                Direction::HigherIsBetter,
                LinearCurve::new(a(dec!(0.15), 60), a(dec!(0.25), 100)),
            )
            .expect("valid kpi"),
            dec!(0.3),
        )
        .item(
            Kpi::steps(
                optimisations,
                Direction::HigherIsBetter,
                StepCurve::new([a(dec!(2), 60), a(dec!(4), 80), a(dec!(6), 100)]),
            )
            .expect("valid kpi"),
            dec!(0.2),
        )
        .item(
            Kpi::linear(
                complaints,
                Direction::LowerIsBetter,
                LinearCurve::new(a(dec!(0.05), 60), a(dec!(0.02), 100)),
            )
            .expect("valid kpi"),
            dec!(0.1),
        )
        .build()
        .expect("valid scorecard")
}

fn bench(c: &mut Criterion) {
    // the host keys its metrics by the plan's ids (clones share their text)
    let ids = ids();
    let card = card(&ids);
    let inputs = inputs();
    let metrics: Vec<[(MetricId, Decimal); 4]> = inputs
        .iter()
        .map(|m| [0, 1, 2, 3].map(|i| (ids[i].clone(), m[i])))
        .collect();
    for (m, pairs) in inputs.iter().zip(&metrics) {
        assert_eq!(card.compute(pairs).expect("scores"), native(m), "{m:?}");
    }
    let mut group = c.benchmark_group("score/4-KPI scorecard x10k");
    group.bench_function("native (baseline)", |b| {
        b.iter(|| {
            inputs
                .iter()
                .fold(Decimal::ZERO, |acc, m| acc + native(black_box(m)))
        })
    });
    group.bench_function("perfpay Scorecard::compute", |b| {
        b.iter(|| {
            metrics.iter().fold(Decimal::ZERO, |acc, m| {
                acc + card.compute(black_box(m)).unwrap_or_default()
            })
        })
    });
    group.bench_function("perfpay Scorecard::evaluate (explained)", |b| {
        b.iter(|| {
            metrics.iter().fold(Decimal::ZERO, |acc, m| {
                acc + card.evaluate(black_box(m)).map(|o| o.score).unwrap_or_default()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
