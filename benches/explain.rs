//! The cost of explaining a number.
//!
//! Every perfpay number carries an `Explanation`, so building one must stay
//! cheap next to the arithmetic it explains. This bench computes a 5-slice
//! marginal commission over 10,000 seeded sales figures twice in one run:
//! bare (the baseline), and with the explanation tree a tier table attaches
//! (one statement plus a child per slice). Report the ratio of the two.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/seeded.rs"]
mod seeded;
use perfpay::{Decimal, Explanation, Unit};

const SLICES: [(i64, i64, i64); 5] = [
    (0, 50_000, 1),
    (50_000, 100_000, 2),
    (100_000, 200_000, 3),
    (200_000, 500_000, 4),
    (500_000, i64::MAX, 5),
];

/// 10,000 sales figures between 0 and 600,000.00 from a fixed-seed LCG.
fn inputs() -> Vec<Decimal> {
    let mut seeded = seeded::Seeded::new(0x5eed_2026_1128);
    (0..10_000)
        .map(|_| Decimal::new(seeded.below(60_000_000), 2))
        .collect()
}

fn bare(sales: Decimal) -> Decimal {
    let mut total = Decimal::ZERO;
    for (from, to, percent) in SLICES {
        let (from, to) = (Decimal::from(from), Decimal::from(to));
        if sales <= from {
            break;
        }
        let slice = sales.min(to) - from;
        total += slice * Decimal::new(percent, 2);
    }
    total
}

fn explained(sales: Decimal) -> (Decimal, Explanation) {
    let mut total = Decimal::ZERO;
    let mut why = Explanation::money("commission", Decimal::ZERO);
    for (i, (from, to, percent)) in SLICES.into_iter().enumerate() {
        let (from, to) = (Decimal::from(from), Decimal::from(to));
        if sales <= from {
            break;
        }
        let slice = sales.min(to) - from;
        let rate = Decimal::new(percent, 2);
        let pay = slice * rate;
        total += pay;
        if i > 0 {
            why = why.text(" + ");
        }
        why = why.value(slice, Unit::Money).text(" × ").value(rate, Unit::Rate);
        why.push_child(
            Explanation::money("slice", pay)
                .value(slice, Unit::Money)
                .text(" × ")
                .value(rate, Unit::Rate),
        );
    }
    // the result is known only at the end; a tier table sets it the same way
    let why = why.with_result(total).input("sales", sales, Unit::Money);
    (total, why)
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let mut group = c.benchmark_group("explain/10k marginal commissions");
    group.bench_function("bare (baseline)", |b| {
        b.iter(|| {
            inputs
                .iter()
                .map(|s| bare(black_box(*s)))
                .fold(Decimal::ZERO, |a, x| a + x)
        })
    });
    group.bench_function("with explanation", |b| {
        b.iter(|| {
            inputs
                .iter()
                .map(|s| explained(black_box(*s)))
                .fold(Decimal::ZERO, |a, (x, e)| {
                    a + x + Decimal::from(e.children().len())
                })
        })
    });
    group.bench_function("with explanation rendered", |b| {
        let policy = perfpay::RoundingPolicy::cents();
        b.iter(|| {
            inputs
                .iter()
                .map(|s| explained(black_box(*s)).1.render(&policy).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
