//! Scoring: the seed's scorecards, inverse metrics, missing metrics, rating,
//! calibration and multi-source ratings.

use std::collections::BTreeMap;
use std::sync::Arc;

use perfpay::id::GradeId;
use perfpay::score::{
    Anchor, Direction, ForcedDistribution, Grade, Kpi, KpiContext, LinearCurve, MissingMetric, MissingSource,
    MultiSource, RaterSource, RatingScale, Scorecard, StepCurve, TieBreak, rank,
};
use perfpay::{Decimal, EmployeeId, ErrorKind, MetricId, RoundingPolicy};
use rust_decimal_macros::dec;

fn id(s: &str) -> MetricId {
    MetricId::new(s).unwrap()
}

fn anchor(value: Decimal, score: i64) -> Anchor {
    Anchor::new(value, Decimal::from(score))
}

/// The seed's operations scorecard: conversion 40 %, repurchase 30 %,
/// detail-page optimisations 20 %, teamwork 10 %.
fn operations(missing: MissingMetric) -> Scorecard {
    let conversion = Kpi::linear(
        id("conversion"),
        Direction::HigherIsBetter,
        LinearCurve::new(anchor(dec!(0.02), 60), anchor(dec!(0.03), 100)).stretch(anchor(dec!(0.04), 120)),
    )
    .unwrap();
    let repurchase = Kpi::linear(
        id("repurchase"),
        Direction::HigherIsBetter,
        LinearCurve::new(anchor(dec!(0.15), 60), anchor(dec!(0.25), 100)),
    )
    .unwrap();
    let optimisations = Kpi::steps(
        id("optimisations"),
        Direction::HigherIsBetter,
        StepCurve::new([
            anchor(dec!(2), 60),
            anchor(dec!(4), 80),
            anchor(dec!(6), 100),
            anchor(dec!(8), 110),
        ]),
    )
    .unwrap();
    // teamwork: the manager's 1–5 rating × 20
    let teamwork = Kpi::custom(
        id("teamwork"),
        Direction::HigherIsBetter,
        Arc::new(|ctx: &KpiContext<'_>| Ok(ctx.value * dec!(20))),
    );
    Scorecard::builder("operations")
        .item(conversion, dec!(0.40))
        .item(repurchase, dec!(0.30))
        .item(optimisations, dec!(0.20))
        .item(teamwork, dec!(0.10))
        .missing(missing)
        .build()
        .unwrap()
}

fn operations_metrics() -> BTreeMap<MetricId, Decimal> {
    BTreeMap::from([
        (id("conversion"), dec!(0.035)),
        (id("repurchase"), dec!(0.22)),
        (id("optimisations"), dec!(6)),
        (id("teamwork"), dec!(4.5)),
    ])
}

#[test]
fn seed_operations_scorecard_by_hand() {
    let out = operations(MissingMetric::Error)
        .evaluate(&operations_metrics())
        .unwrap();
    // conversion 3.5 %: 100 + 0.005 × 20 / 0.01 = 110; repurchase 22 %: 60 + 0.07 × 40 / 0.10 = 88;
    // 6 optimisations: 100; teamwork 4.5 × 20 = 90
    let scores: Vec<Decimal> = out.items.iter().map(|i| i.score.unwrap()).collect();
    assert_eq!(scores, [dec!(110), dec!(88), dec!(100), dec!(90)]);
    // 110 × 0.4 + 88 × 0.3 + 100 × 0.2 + 90 × 0.1 = 44 + 26.4 + 20 + 9
    assert_eq!(out.score, dec!(99.4));
    let cents = RoundingPolicy::cents();
    assert_eq!(
        out.explanation.statement(&cents),
        "score 99.40 = conversion 110.00 × 40 % + repurchase 88.00 × 30 % + optimisations 100.00 × 20 % \
         + teamwork 90.00 × 10 %"
    );
    // each KPI is one step: its score, the curve segment used, the value read
    let conversion = out.explanation.children().next().unwrap();
    assert_eq!(
        conversion.statement(&cents),
        "conversion 110.00 = 100.00 + (0.035 − 0.03) × (120.00 − 100.00) / (0.04 − 0.03), target to stretch \
         (value = 0.035)"
    );
    assert!(conversion.children().is_empty());
    // the number alone, without the explanation
    assert_eq!(
        operations(MissingMetric::Error)
            .compute(&operations_metrics())
            .unwrap(),
        dec!(99.4)
    );
}

#[test]
fn customer_service_scorecard_with_an_inverse_metric() {
    let complaints = Kpi::linear(
        id("complaint_rate"),
        Direction::LowerIsBetter,
        LinearCurve::new(anchor(dec!(0.05), 60), anchor(dec!(0.02), 100)).stretch(anchor(dec!(0.01), 120)),
    )
    .unwrap();
    let satisfaction = Kpi::linear(
        id("satisfaction"),
        Direction::HigherIsBetter,
        LinearCurve::new(anchor(dec!(0.85), 60), anchor(dec!(0.95), 100)),
    )
    .unwrap();
    let card = Scorecard::builder("customer-service")
        .item(complaints.clone(), dec!(0.5))
        .item(satisfaction, dec!(0.5))
        .rounding(RoundingPolicy::cents())
        .build()
        .unwrap();
    let metrics = [
        (id("complaint_rate"), dec!(0.03)),
        (id("satisfaction"), dec!(0.93)),
    ];
    let out = card.evaluate(&metrics).unwrap();
    // complaints 3 %: 60 + (0.03 − 0.05) × 40 / (0.02 − 0.05) = 86.666…; satisfaction 0.93 → 92
    assert_eq!(out.items[0].score.unwrap().round_dp(4), dec!(86.6667));
    assert_eq!(out.items[0].value, Some(dec!(0.03)));
    assert_eq!(out.items[1].score, Some(dec!(92)));
    // each item's step is the score's child, in declared order
    assert_eq!(out.explanation.children().nth(1).unwrap().result(), dec!(92));
    assert_eq!(out.score, dec!(89.33)); // (86.666… + 92) / 2, rounded once
    // fewer complaints score more; the curve caps and floors
    let s = |v| complaints.evaluate(v, &perfpay::metric::NoMetrics).unwrap().score;
    assert_eq!(s(dec!(0.005)), dec!(120));
    assert_eq!(s(dec!(0.01)), dec!(120));
    assert_eq!(s(dec!(0.015)), dec!(110));
    assert_eq!(s(dec!(0.02)), dec!(100));
    assert_eq!(s(dec!(0.05)), dec!(60));
    assert_eq!(s(dec!(0.0501)), dec!(0));
}

#[test]
fn weights_must_sum_to_one_and_the_error_names_the_scorecard() {
    let kpi = |m: &str| {
        Kpi::steps(
            id(m),
            Direction::HigherIsBetter,
            StepCurve::new([anchor(dec!(1), 100)]),
        )
        .unwrap()
    };
    let err = Scorecard::builder("operations")
        .item(kpi("conversion"), dec!(0.40))
        .item(kpi("repurchase"), dec!(0.30))
        .item(kpi("optimisations"), dec!(0.15))
        .item(kpi("teamwork"), dec!(0.10))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        "invalid scorecard operations (1 problem): items[3].weight: weights sum to 0.95, expected 1"
    );
    let err = Scorecard::builder("x")
        .item(kpi("a"), dec!(1.5))
        .item(kpi("a"), dec!(-0.5))
        .build()
        .unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "items[1].weight: weight -0.5 is negative",
            "items[1].metric: a is already scored by an earlier item"
        ]
    );
}

#[test]
fn a_missing_metric_under_each_policy() {
    let mut metrics = operations_metrics();
    metrics.remove(&id("teamwork"));
    let err = operations(MissingMetric::Error).evaluate(&metrics).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Data);
    assert_eq!(
        err.to_string(),
        "metrics.teamwork: metric teamwork of scorecard operations is missing"
    );
    // zero: 44 + 26.4 + 20 + 0
    let zero = operations(MissingMetric::Zero).evaluate(&metrics).unwrap();
    assert_eq!(zero.score, dec!(90.4));
    // re-normalise: (44 + 26.4 + 20) / 0.9 = 100.444…
    let renorm = operations(MissingMetric::Renormalize).evaluate(&metrics).unwrap();
    assert_eq!(renorm.score.round_dp(6), dec!(100.444444));
    assert_eq!(renorm.items[3].effective_weight, dec!(0));
    assert_eq!(renorm.items[0].effective_weight.round_dp(6), dec!(0.444444));
    assert_eq!(
        operations(MissingMetric::Renormalize).compute(&metrics).unwrap(),
        renorm.score
    );
    let nothing: BTreeMap<MetricId, Decimal> = BTreeMap::new();
    let err = operations(MissingMetric::Renormalize)
        .evaluate(&nothing)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no weighted metric of scorecard operations is present"
    );
}

#[test]
fn curves_out_of_order_name_the_item() {
    let err = Kpi::linear(
        id("conversion"),
        Direction::HigherIsBetter,
        LinearCurve::new(anchor(dec!(0.03), 60), anchor(dec!(0.02), 100)),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid kpi conversion (1 problem): curve.target.value: target 0.02 must be above threshold 0.03 \
         for a metric where higher is better"
    );
    let err = Kpi::linear(
        id("complaint_rate"),
        Direction::LowerIsBetter,
        LinearCurve::new(anchor(dec!(0.02), 60), anchor(dec!(0.05), 100)).floor(dec!(70)),
    )
    .unwrap_err();
    assert_eq!(err.problems().len(), 2);
    assert_eq!(
        err.problems()[0].to_string(),
        "curve.target.value: target 0.05 must be below threshold 0.02 for a metric where lower is better"
    );
    let err = Kpi::steps(
        id("x"),
        Direction::LowerIsBetter,
        StepCurve::new([anchor(dec!(1), 1), anchor(dec!(2), 2)]),
    )
    .unwrap_err();
    assert!(err.problems()[0].to_string().starts_with("curve.bands[1].value"));
}

fn grades() -> RatingScale {
    let g = |s: &str| GradeId::new(s).unwrap();
    RatingScale::new([
        Grade::at_least(g("S"), dec!(95), dec!(1.5)),
        Grade::at_least(g("A"), dec!(85), dec!(1.2)),
        Grade::at_least(g("B"), dec!(70), dec!(1.0)),
        Grade::at_least(g("C"), dec!(60), dec!(0.5)),
        Grade::otherwise(g("D"), dec!(0)),
    ])
    .unwrap()
}

#[test]
fn rating_scale_bounds_are_inclusive() {
    let scale = grades();
    let cases = [
        (dec!(100), "S"),
        (dec!(95), "S"),
        (dec!(94.99), "A"),
        (dec!(85), "A"),
        (dec!(60), "C"),
        (dec!(59.99), "D"),
    ];
    for (score, grade) in cases {
        assert_eq!(scale.rate(score).grade.as_str(), grade, "{score}");
    }
    let r = scale.rate(dec!(99.4));
    assert_eq!(r.coefficient, dec!(1.5));
    assert_eq!(
        r.explanation.statement(&RoundingPolicy::cents()),
        "grade coefficient 1.5 = grade S: score 99.40 ≥ 95.00"
    );
    let g = |s: &str| GradeId::new(s).unwrap();
    let err = RatingScale::new([
        Grade::at_least(g("A"), dec!(80), dec!(1)),
        Grade::at_least(g("B"), dec!(90), dec!(1)),
    ])
    .unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "grades[1].min: the last grade B takes every lower score and has no minimum",
            "grades[1].min: 90 is not below the previous grade's minimum 80",
        ]
    );
}

fn team() -> Vec<(EmployeeId, Decimal)> {
    [95, 90, 90, 85, 80, 80, 75, 70, 60, 60]
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            (
                EmployeeId::new(format!("e{:02}", i + 1)).unwrap(),
                Decimal::from(s),
            )
        })
        .collect()
}

#[test]
fn forced_distribution_over_ten_with_ties() {
    let g = |s: &str| GradeId::new(s).unwrap();
    let buckets = [(g("A"), dec!(0.2)), (g("B"), dec!(0.7)), (g("C"), dec!(0.1))];
    // keep ties together: e02/e03 tie across the A/B line → both A; e09/e10 tie across B/C → both B
    let together = ForcedDistribution::new(buckets.clone(), TieBreak::KeepTogether)
        .unwrap()
        .apply(&team())
        .unwrap();
    let grades: String = together.placements.iter().map(|p| p.grade.as_str()).collect();
    assert_eq!(grades, "AAABBBBBBB");
    assert_eq!(together.quotas, [(g("A"), 2, 3), (g("B"), 7, 7), (g("C"), 1, 0)]);
    // by id: quotas exact, e03 (same score as e02) drops to B, e10 to C
    let exact = ForcedDistribution::new(buckets, TieBreak::ByEmployeeId)
        .unwrap()
        .apply(&team())
        .unwrap();
    let grades: String = exact.placements.iter().map(|p| p.grade.as_str()).collect();
    assert_eq!(grades, "AABBBBBBBC");
    assert_eq!(exact.placements[2].employee.as_str(), "e03");
    assert_eq!(exact.placements[2].rank, 2);
    // the result does not depend on input order
    let mut shuffled = team();
    shuffled.reverse();
    let again = ForcedDistribution::new(
        [(g("A"), dec!(0.2)), (g("B"), dec!(0.7)), (g("C"), dec!(0.1))],
        TieBreak::ByEmployeeId,
    )
    .unwrap()
    .apply(&shuffled)
    .unwrap();
    assert_eq!(again.placements, exact.placements);
    let err = ForcedDistribution::new([(g("A"), dec!(0.5)), (g("B"), dec!(0.4))], TieBreak::KeepTogether)
        .unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "buckets: shares sum to 0.9, expected 1"
    );
}

#[test]
fn rankings_share_ranks_and_find_the_best_of_the_month() {
    let ranked = rank(&team()).unwrap();
    let ranks: Vec<usize> = ranked.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, [1, 2, 2, 4, 5, 5, 7, 8, 9, 9]);
    let best: Vec<&str> = ranked
        .iter()
        .filter(|r| r.rank == 1)
        .map(|r| r.employee.as_str())
        .collect();
    assert_eq!(best, ["e01"]);
    let mut twice = team();
    twice.push(twice[0].clone());
    assert_eq!(
        rank(&twice).unwrap_err().to_string(),
        "scores[10].employee: e01 is listed twice"
    );
}

#[test]
fn multi_source_weights_are_explicit() {
    use RaterSource::*;
    let weights = [(SelfReview, dec!(0.1)), (Manager, dec!(0.6)), (Peer, dec!(0.3))];
    let strict = MultiSource::new(weights.clone(), MissingSource::Error).unwrap();
    let all = strict
        .combine(&[
            (SelfReview, dec!(95)),
            (Manager, dec!(80)),
            (Peer, dec!(70)),
            (Peer, dec!(76)),
            (Peer, dec!(82)),
        ])
        .unwrap();
    // 95 × 0.1 + 80 × 0.6 + 76 × 0.3 = 9.5 + 48 + 22.8
    assert_eq!(all.score, dec!(80.3));
    assert_eq!(
        all.explanation.statement(&RoundingPolicy::cents()),
        "combined rating 80.30 = self 95.00 × 10 % + manager 80.00 × 60 % + peer 76.00 × 30 %"
    );
    // no peers: an error, never a quiet "divide by two"
    let err = strict
        .combine(&[(SelfReview, dec!(95)), (Manager, dec!(80))])
        .unwrap_err();
    assert_eq!(err.to_string(), "ratings.peer: no rating from peer");
    let lenient = MultiSource::new(weights.clone(), MissingSource::Renormalize).unwrap();
    let partial = lenient
        .combine(&[(SelfReview, dec!(95)), (Manager, dec!(80))])
        .unwrap();
    // (9.5 + 48) / 0.7 = 82.142857…
    assert_eq!(partial.score.round_dp(4), dec!(82.1429));
    assert_eq!(
        lenient.combine(&[(Customer, dec!(1))]).unwrap_err().to_string(),
        "ratings.customer: rating from customer, which has no weight"
    );
    assert!(MultiSource::new([(Manager, dec!(0.5))], MissingSource::Error).is_err());
    // `zero`: a missing source counts as 0 and keeps its weight
    let zero = MultiSource::new(weights, MissingSource::Zero).unwrap();
    let counted = zero
        .combine(&[(SelfReview, dec!(95)), (Manager, dec!(80))])
        .unwrap();
    // 9.5 + 48 + 0 × 0.3
    assert_eq!(counted.score, dec!(57.5));
    assert!(
        counted
            .explanation
            .steps()
            .any(|s| s.statement(&RoundingPolicy::cents()) == "peer 0.00 = no rating: counted as 0")
    );
}

#[test]
fn a_weighted_score_of_equal_items_is_that_score_whatever_the_weights_digits() {
    // five weights of 28 places that sum exactly to 1 (1 : 7 : 7 : 13 : 29
    // cut to 28 places, the remainder on the first)
    let weights = [
        dec!(0.0175438596491228070175438598),
        dec!(0.1228070175438596491228070175),
        dec!(0.1228070175438596491228070175),
        dec!(0.2280701754385964912280701754),
        dec!(0.5087719298245614035087719298),
    ];
    assert_eq!(weights.iter().sum::<Decimal>(), Decimal::ONE);
    let mut card = Scorecard::builder("five");
    for (i, weight) in weights.into_iter().enumerate() {
        let kpi = Kpi::custom(
            id(&format!("k{i}")),
            Direction::HigherIsBetter,
            Arc::new(|_: &KpiContext<'_>| Ok(dec!(4.95))),
        );
        card = card.item(kpi, weight);
    }
    let card = card.build().unwrap();
    let metrics: Vec<(MetricId, Decimal)> = (0..5).map(|i| (id(&format!("k{i}")), dec!(1))).collect();
    // perfpay 0.1 gave 4.9499999999999999999999999999 and missed a grade
    // from 4.95
    assert_eq!(card.evaluate(&metrics).unwrap().score, dec!(4.95));
    assert_eq!(card.compute(&metrics).unwrap(), dec!(4.95));
    let g = |s: &str| GradeId::new(s).unwrap();
    let scale = RatingScale::new([
        Grade::at_least(g("A"), dec!(4.95), dec!(1.2)),
        Grade::otherwise(g("B"), dec!(1)),
    ])
    .unwrap();
    assert_eq!(scale.rate(card.compute(&metrics).unwrap()).grade.as_str(), "A");
}
