//! Tier tables and commission: published references, the seed's rules,
//! bounds, bad input.

use std::sync::Arc;

use perfpay::metric::NoMetrics;
use perfpay::money::RoundingMode;
use perfpay::tier::{
    Above, BonusPool, Commission, CommissionContext, CumulativeWithholding, Factor, Gate, Multiplier,
    Overwithheld, QuotaRule, QuotaTable, Tier, TierMode, TierTable, TierTableSpec, YearToDate,
};
use perfpay::{Decimal, EmployeeId, ErrorKind, MetricId, RoundingPolicy};
use rust_decimal_macros::dec;

fn payroll_engine_brackets() -> Vec<Tier> {
    [(0, 5), (10_000, 10), (20_000, 15), (30_000, 20), (40_000, 25)]
        .into_iter()
        .map(|(from, pct)| Tier::rate(Decimal::from(from), Decimal::new(pct, 2)))
        .collect()
}

const REFERENCE_INPUTS: [i64; 7] = [0, 5_000, 10_000, 15_000, 25_000, 35_000, 45_000];

#[test]
fn payroll_engine_lookup_reference_whole_amount() {
    let table = TierTable::whole_amount(payroll_engine_brackets()).unwrap();
    let got: Vec<Decimal> = REFERENCE_INPUTS
        .iter()
        .map(|&x| table.compute(Decimal::from(x)).unwrap())
        .collect();
    let want = [0, 250, 1_000, 1_500, 3_750, 7_000, 11_250].map(Decimal::from);
    assert_eq!(got, want);
}

#[test]
fn payroll_engine_lookup_reference_marginal() {
    let table = TierTable::marginal(payroll_engine_brackets()).unwrap();
    let got: Vec<Decimal> = REFERENCE_INPUTS
        .iter()
        .map(|&x| table.compute(Decimal::from(x)).unwrap())
        .collect();
    let want = [0, 250, 500, 1_000, 2_250, 4_000, 6_250].map(Decimal::from);
    assert_eq!(got, want);
}

fn seed_tiers() -> [Tier; 2] {
    [
        Tier::rate(dec!(0), dec!(0.02)),
        Tier::rate(dec!(100000), dec!(0.03)),
    ]
}

#[test]
fn seed_rule_three_percent_above_100k_in_both_readings() {
    let marginal = TierTable::marginal(seed_tiers()).unwrap();
    let whole = TierTable::whole_amount(seed_tiers()).unwrap();
    // (sales, marginal, whole-amount), by hand
    let cases = [
        (dec!(80000), dec!(1600), dec!(1600)),
        (dec!(99999.99), dec!(1999.9998), dec!(1999.9998)),
        (dec!(100000), dec!(2000), dec!(3000)), // on the bound: the upper tier (lower bound inclusive)
        (dec!(100000.01), dec!(2000.0003), dec!(3000.0003)),
        (dec!(150000), dec!(3500), dec!(4500)),
        (dec!(0), dec!(0), dec!(0)),
    ];
    for (sales, m, w) in cases {
        assert_eq!(marginal.compute(sales).unwrap(), m, "marginal at {sales}");
        assert_eq!(whole.compute(sales).unwrap(), w, "whole-amount at {sales}");
    }
    let out = whole.evaluate(dec!(150000)).unwrap();
    assert_eq!(out.tier, 1);
    assert_eq!(
        out.explanation.statement(&RoundingPolicy::cents()),
        "payout 4,500.00 = 150,000.00 × 3 % (tier from 100,000.00)"
    );
}

#[test]
fn every_bound_belongs_to_the_tier_it_starts() {
    let table = TierTable::marginal(payroll_engine_brackets()).unwrap();
    for (i, bound) in [0, 10_000, 20_000, 30_000, 40_000].into_iter().enumerate() {
        let at = table.evaluate(Decimal::from(bound)).unwrap();
        assert_eq!(at.tier, i, "bound {bound}");
        let below = Decimal::from(bound) - dec!(0.01);
        if i > 0 {
            assert_eq!(table.evaluate(below).unwrap().tier, i - 1, "just below {bound}");
        }
    }
}

#[test]
fn negative_amounts_are_errors_unless_refunds_are_declared() {
    let table = TierTable::marginal(seed_tiers()).unwrap();
    let err = table.compute(dec!(-100)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        "amount -100 is negative and the table does not declare refunds"
    );

    let refunds = TierTable::builder(TierMode::Marginal)
        .tiers(seed_tiers())
        .refunds(true)
        .build()
        .unwrap();
    assert_eq!(refunds.compute(dec!(-150000)).unwrap(), dec!(-3500));
    let out = refunds.evaluate(dec!(-1000)).unwrap();
    assert_eq!(out.payout, dec!(-20));
    assert!(
        out.explanation
            .statement(&RoundingPolicy::cents())
            .starts_with("payout -20.00 = refund of 20.00")
    );
}

#[test]
fn interpolation_stays_exact_to_the_cent() {
    let cents = RoundingPolicy::cents();
    let table = TierTable::builder(TierMode::Interpolated)
        .points([
            (dec!(10000), dec!(0)),
            (dec!(22000), dec!(3000)),
            (dec!(30000), dec!(5000)),
        ])
        .rounding(cents)
        .build()
        .unwrap();
    // 0 + 2,000 × 3,000 / 12,000 = 500.00 exactly
    assert_eq!(table.compute(dec!(12000)).unwrap(), dec!(500.00));
    // 0 + 1,000 × 3,000 / 12,000 = 250.00; 1 × 3,000 / 12,000 = 0.25
    assert_eq!(table.compute(dec!(11000)).unwrap(), dec!(250.00));
    assert_eq!(table.compute(dec!(10001)).unwrap(), dec!(0.25));
    // 3,000 + 1,000 × 2,000 / 8,000 = 3,250.00
    assert_eq!(table.compute(dec!(23000)).unwrap(), dec!(3250.00));
    // flat outside the points
    assert_eq!(table.compute(dec!(5000)).unwrap(), dec!(0.00));
    assert_eq!(table.compute(dec!(99999)).unwrap(), dec!(5000.00));
    // non-terminating: 2,000/12,000 of 1,000 = 166.666… → 166.67 (rounded once)
    let third = TierTable::builder(TierMode::Interpolated)
        .points([(dec!(0), dec!(0)), (dec!(12000), dec!(1000))])
        .rounding(cents)
        .build()
        .unwrap();
    assert_eq!(third.compute(dec!(2000)).unwrap(), dec!(166.67));
    // an exact midpoint decided by the mode: 1/8 = 0.125
    let eighth = |mode| {
        TierTable::builder(TierMode::Interpolated)
            .points([(dec!(0), dec!(0)), (dec!(8), dec!(1))])
            .rounding(RoundingPolicy::new(2, mode).unwrap())
            .build()
            .unwrap()
            .compute(dec!(1))
            .unwrap()
    };
    assert_eq!(eighth(RoundingMode::HalfUp), dec!(0.13));
    assert_eq!(eighth(RoundingMode::HalfEven), dec!(0.12));
    let out = table.evaluate(dec!(12000)).unwrap();
    assert_eq!(
        out.explanation.statement(&cents),
        "payout 500.00 = 0.00 + (12000 − 10000) × (3,000.00 − 0.00) / (22000 − 10000) (amount = 12000)"
    );
}

#[test]
fn caps_and_floors_limit_the_payout_and_say_so() {
    let table = TierTable::builder(TierMode::Marginal)
        .tiers(seed_tiers())
        .cap(dec!(3000))
        .floor(dec!(500))
        .build()
        .unwrap();
    assert_eq!(table.compute(dec!(10000)).unwrap(), dec!(500)); // 200 raised to the floor
    assert_eq!(table.compute(dec!(50000)).unwrap(), dec!(1000));
    assert_eq!(table.compute(dec!(200000)).unwrap(), dec!(3000)); // 5,000 capped
    let out = table.evaluate(dec!(200000)).unwrap();
    assert_eq!(
        out.explanation.statement(&RoundingPolicy::cents()),
        "payout 3,000.00 = 5,000.00 capped at 3,000.00"
    );
    assert_eq!(out.explanation.children().next().unwrap().result(), dec!(5000));
    let out = table.evaluate(dec!(10000)).unwrap();
    assert_eq!(
        out.explanation.statement(&RoundingPolicy::cents()),
        "payout 500.00 = 200.00 raised to the floor 500.00"
    );
}

#[test]
fn quota_attainment_with_decelerator_and_accelerator() {
    // below 60 % attainment: 1 %; 60–100 %: 2 %; above 100 %: 4 % (whole amount)
    let bands = TierTable::whole_amount([
        Tier::rate(dec!(0), dec!(0.01)),
        Tier::rate(dec!(0.6), dec!(0.02)),
        Tier::rate(dec!(1), dec!(0.04)),
    ])
    .unwrap();
    let quota = QuotaTable::new(dec!(150000), bands).unwrap();
    assert_eq!(quota.compute(dec!(60000)).unwrap(), dec!(600)); // 40 %
    assert_eq!(quota.compute(dec!(90000)).unwrap(), dec!(1800)); // exactly 60 %
    assert_eq!(quota.compute(dec!(149999)).unwrap(), dec!(2999.98));
    assert_eq!(quota.compute(dec!(150000)).unwrap(), dec!(6000)); // exactly 100 %
    let out = quota.evaluate(dec!(180000)).unwrap();
    assert_eq!(out.payout, dec!(7200));
    assert!(
        out.explanation
            .statement(&RoundingPolicy::cents())
            .ends_with("(quota = 150,000.00, attainment = 120 %)")
    );
    // a quota whose attainment is not a terminating decimal still picks the band exactly
    let thirds =
        TierTable::whole_amount([Tier::rate(dec!(0), dec!(0.01)), Tier::rate(dec!(1), dec!(0.05))]).unwrap();
    let q = QuotaTable::new(dec!(3), thirds).unwrap();
    assert_eq!(q.compute(dec!(3)).unwrap(), dec!(0.15));
    assert_eq!(q.compute(dec!(2.99)).unwrap(), dec!(0.0299));

    let err = QuotaTable::new(dec!(0), TierTable::marginal(seed_tiers()).unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.to_string(), "quota: quota must be positive, found 0");
}

#[test]
fn carried_attainment_splits_a_deal_across_tiers_and_deals_add_up() {
    let table = TierTable::marginal(payroll_engine_brackets()).unwrap();
    // a month of deals: 8,000, 7,000 (crosses 10,000), 17,000 (crosses 20,000 and 30,000)
    let deals = [dec!(8000), dec!(7000), dec!(17000)];
    let mut prior = Decimal::ZERO;
    let mut paid = Vec::new();
    for deal in deals {
        paid.push(table.evaluate_carried(prior, deal).unwrap());
        prior += deal;
    }
    assert_eq!(paid[0].payout, dec!(400)); // 8,000 × 5 %
    assert_eq!(paid[1].payout, dec!(600)); // 2,000 × 5 % + 5,000 × 10 %
    assert_eq!(paid[2].payout, dec!(2400)); // 5,000 × 10 % + 10,000 × 15 % + 2,000 × 20 %
    assert_eq!(
        paid[2].explanation.statement(&RoundingPolicy::cents()),
        "deal payout 2,400.00 = 5,000.00 × 10 % + 10,000.00 × 15 % + 2,000.00 × 20 % \
         (prior total = 15,000.00, deal = 17,000.00)"
    );
    let sum: Decimal = paid.iter().map(|p| p.payout).sum();
    assert_eq!(sum, table.compute(dec!(32000)).unwrap());
    // whole-amount: the crossing deal carries the retroactive uplift
    let whole = TierTable::whole_amount(payroll_engine_brackets()).unwrap();
    assert_eq!(
        whole.evaluate_carried(dec!(8000), dec!(7000)).unwrap().payout,
        dec!(1100)
    ); // 1,500 − 400
    let err = table.evaluate_carried(dec!(-1), dec!(5)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "prior total -1 is negative and the table does not declare refunds"
    );
}

fn satisfaction() -> MetricId {
    MetricId::new("satisfaction").unwrap()
}

fn gated_seed_commission() -> Commission {
    Commission::on_table(TierTable::marginal(seed_tiers()).unwrap())
        .gate(Gate::at_least(satisfaction(), dec!(0.90)))
        .multiplier(Multiplier::new(satisfaction(), [(dec!(0.95), dec!(1.1))]).unwrap())
        .rounding(RoundingPolicy::cents())
}

#[test]
fn customer_service_commission_is_gated_on_satisfaction() {
    let rule = gated_seed_commission();
    let at = |sat: Decimal| {
        let metrics = [(satisfaction(), sat)];
        rule.evaluate(&CommissionContext::new(dec!(120000), &metrics))
            .unwrap()
    };
    // 120,000 marginal: 2,000 + 600 = 2,600
    assert_eq!(at(dec!(0.89)).amount, dec!(0.00));
    assert!(!at(dec!(0.89)).gates_passed);
    assert_eq!(at(dec!(0.90)).amount, dec!(2600.00)); // gate bound inclusive
    assert_eq!(at(dec!(0.9499)).amount, dec!(2600.00));
    assert_eq!(at(dec!(0.95)).amount, dec!(2860.00)); // multiplier band inclusive
    let out = at(dec!(0.97));
    assert_eq!(out.base, dec!(2600));
    assert_eq!(out.factor, dec!(1.1));
    assert_eq!(
        out.explanation.render(&RoundingPolicy::cents()),
        "commission 2,860.00 = 2,600.00 × 1.1\n\
         \x20 payout 2,600.00 = 100,000.00 × 2 % + 20,000.00 × 3 %\n\
         \x20 gate open 0.97 = needs ≥ 0.9 (satisfaction = 0.97)\n\
         \x20 multiplier 1.1 = band from 0.95 (satisfaction = 0.97)\n"
    );
    let closed = at(dec!(0.5));
    assert_eq!(
        closed.explanation.statement(&RoundingPolicy::cents()),
        "commission 0.00 = nothing is paid: gate on satisfaction closed (amount = 120,000.00)"
    );
    // a closed gate is checked before the base: nothing else is computed or read
    let gate_first = Commission::on_table(TierTable::marginal(seed_tiers()).unwrap())
        .gate(Gate::at_least(satisfaction(), dec!(0.90)))
        .multiplier(Multiplier::new(MetricId::new("unmeasured").unwrap(), [(dec!(0), dec!(2))]).unwrap());
    let low = [(satisfaction(), dec!(0.5))];
    assert_eq!(
        gate_first
            .compute(&CommissionContext::new(dec!(-5), &low))
            .unwrap(),
        dec!(0)
    );
    assert_eq!(
        gate_first
            .evaluate(&CommissionContext::new(dec!(-5), &low))
            .unwrap()
            .amount,
        dec!(0)
    );
    // the number alone, without the explanation
    let metrics = [(satisfaction(), dec!(0.97))];
    assert_eq!(
        rule.compute(&CommissionContext::new(dec!(120000), &metrics))
            .unwrap(),
        dec!(2860.00)
    );
    // a missing metric is a data error naming it, never a silent zero
    let err = rule
        .evaluate(&CommissionContext::new(dec!(1), &NoMetrics))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Data);
    assert_eq!(
        err.to_string(),
        "metrics.satisfaction: metric satisfaction is missing"
    );
}

#[test]
fn an_ungated_commission_is_its_table_step_rounded_once() {
    let cents = RoundingPolicy::cents();
    let rule = Commission::on_table(TierTable::marginal(seed_tiers()).unwrap()).rounding(cents);
    let out = rule
        .evaluate(&CommissionContext::new(dec!(267937.57), &NoMetrics))
        .unwrap();
    // 100,000 × 2 % + 167,937.57 × 3 % = 2,000 + 5,038.1271
    assert_eq!(out.base, dec!(7038.1271));
    assert_eq!(out.amount, dec!(7038.13));
    assert_eq!(out.factor, dec!(1));
    // one step: no wrapper repeating the amount
    assert_eq!(out.explanation.result(), dec!(7038.13));
    assert!(out.explanation.children().is_empty());
    assert_eq!(
        out.explanation.render(&cents),
        "commission 7,038.13 = 100,000.00 × 2 % + 167,937.57 × 3 %\n"
    );
}

#[test]
fn custom_formula_and_condition_plug_in_as_closures() {
    let formula = Arc::new(|ctx: &CommissionContext<'_>| Ok(ctx.amount * dec!(0.05)));
    let complaints = MetricId::new("complaint_rate").unwrap();
    let c2 = complaints.clone();
    let condition = Arc::new(move |ctx: &CommissionContext<'_>| Ok(ctx.metrics.require(&c2)? <= dec!(0.02)));
    let rule = Commission::on_formula(formula).condition("complaints at most 2 %", condition);
    let ok = [(complaints.clone(), dec!(0.01))];
    let out = rule.evaluate(&CommissionContext::new(dec!(1000), &ok)).unwrap();
    assert_eq!(out.amount, dec!(50));
    let bad = [(complaints, dec!(0.03))];
    let out = rule.evaluate(&CommissionContext::new(dec!(1000), &bad)).unwrap();
    assert_eq!(out.amount, dec!(0));
    assert_eq!(
        out.explanation.statement(&RoundingPolicy::cents()),
        "commission 0.00 = nothing is paid: complaints at most 2 % fails (amount = 1,000.00)"
    );
}

#[test]
fn commission_with_carried_prior_total() {
    let rule = Commission::on_table(TierTable::marginal(seed_tiers()).unwrap());
    let ctx = CommissionContext::new(dec!(30000), &NoMetrics).with_prior(dec!(90000));
    assert_eq!(rule.compute(&ctx).unwrap(), dec!(800)); // 10,000 × 2 % + 20,000 × 3 %
    assert_eq!(rule.evaluate(&ctx).unwrap().amount, dec!(800));
}

#[test]
fn distance_to_next_tier_and_what_if() {
    let table = TierTable::marginal(payroll_engine_brackets()).unwrap();
    let next = table.next_tier(dec!(26500)).unwrap().unwrap();
    assert_eq!(next.tier, 3);
    assert_eq!(next.boundary, dec!(30000));
    assert_eq!(next.needed, dec!(3500));
    assert_eq!(next.payout_now, dec!(2475)); // 500 + 1,000 + 6,500 × 15 %
    assert_eq!(next.payout_at_boundary, dec!(3000));
    assert_eq!(next.marginal_rate, dec!(0.15));
    assert!(table.next_tier(dec!(40000)).unwrap().is_none());
    let w = table.what_if(dec!(26500), dec!(10000)).unwrap();
    assert_eq!(w.payout_after, dec!(4300)); // 3,000 + 6,500 × 20 %
    assert_eq!(w.difference, dec!(1825));
    assert!(table.next_tier(dec!(-1)).is_err());

    let capped = TierTable::builder(TierMode::Marginal)
        .tiers(payroll_engine_brackets())
        .cap(dec!(1000))
        .build()
        .unwrap();
    assert_eq!(
        capped.next_tier(dec!(15000)).unwrap().unwrap().marginal_rate,
        dec!(0)
    );
    let curve = TierTable::interpolated([
        (dec!(0), dec!(0)),
        (dec!(1000), dec!(50)),
        (dec!(2000), dec!(150)),
    ])
    .unwrap();
    let next = curve.next_tier(dec!(1500)).unwrap().unwrap();
    assert_eq!((next.boundary, next.marginal_rate), (dec!(2000), dec!(0.1)));
}

#[test]
fn bonus_pool_split_caps_zero_scores_and_all_zero() {
    let ids = |names: &[&str]| {
        names
            .iter()
            .map(|n| EmployeeId::new(n).unwrap())
            .collect::<Vec<_>>()
    };
    let team = ids(&["a", "b", "c", "d"]);
    let scores = [dec!(90), dec!(60), dec!(0), dec!(50)];
    let participants: Vec<_> = team.iter().cloned().zip(scores).collect();
    let pool = BonusPool::new(RoundingPolicy::cents());
    let split = pool.split(dec!(1000), &participants).unwrap();
    let amounts: Vec<Decimal> = split.shares.iter().map(|s| s.amount).collect();
    // 1,000 × 90/200, 60/200, 0, 50/200
    assert_eq!(amounts, [dec!(450), dec!(300), dec!(0), dec!(250)]);

    let capped = pool
        .with_cap(dec!(400))
        .unwrap()
        .split(dec!(1000), &participants)
        .unwrap();
    let amounts: Vec<Decimal> = capped.shares.iter().map(|s| s.amount).collect();
    // a capped at 400; 600 over b and d by 60 : 50 → 327.27…, 272.72… → 327.27 + 272.73
    assert_eq!(amounts, [dec!(400), dec!(327.27), dec!(0), dec!(272.73)]);
    assert!(capped.shares[0].capped);
    assert_eq!(capped.unallocated, dec!(0));

    let all_capped = pool
        .with_cap(dec!(100))
        .unwrap()
        .split(dec!(1000), &participants)
        .unwrap();
    assert_eq!(all_capped.unallocated, dec!(700));
    assert_eq!(
        all_capped.shares.iter().map(|s| s.amount).sum::<Decimal>(),
        dec!(300)
    );

    let zeros: Vec<_> = team.iter().cloned().map(|e| (e, dec!(0))).collect();
    let nobody = pool.split(dec!(1000), &zeros).unwrap();
    assert_eq!(nobody.unallocated, dec!(1000));
    assert!(nobody.shares.iter().all(|s| s.amount.is_zero()));

    assert_eq!(
        pool.split(dec!(-1), &participants).unwrap_err().to_string(),
        "pool: pool -1 is negative"
    );
    let twice = vec![(team[0].clone(), dec!(1)), (team[0].clone(), dec!(2))];
    assert_eq!(
        pool.split(dec!(1), &twice).unwrap_err().to_string(),
        "participants[1].employee: a is listed twice"
    );
    assert!(pool.with_cap(dec!(-5)).is_err());
}

/// Shared with the payroll tests.
pub(crate) fn iit_brackets() -> TierTable {
    // annual cumulative withholding brackets of a progressive income tax
    TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.03)),
        Tier::rate(dec!(36000), dec!(0.10)),
        Tier::rate(dec!(144000), dec!(0.20)),
        Tier::rate(dec!(300000), dec!(0.25)),
        Tier::rate(dec!(420000), dec!(0.30)),
        Tier::rate(dec!(660000), dec!(0.35)),
        Tier::rate(dec!(960000), dec!(0.45)),
    ])
    .unwrap()
}

#[test]
fn quick_deductions_match_the_published_table() {
    let qd = iit_brackets().quick_deductions().unwrap();
    assert_eq!(
        qd,
        [0, 2_520, 16_920, 31_920, 52_920, 85_920, 181_920].map(Decimal::from)
    );
}

#[test]
fn cumulative_withholding_month_by_month() {
    let tax = CumulativeWithholding::new(iit_brackets(), RoundingPolicy::cents()).unwrap();
    let mut ytd = YearToDate::default();
    let mut months = Vec::new();
    for _ in 0..5 {
        let m = tax.withhold(&ytd, dec!(30000)).unwrap();
        months.push(m.this_period);
        ytd = m.state;
    }
    // YTD 30k → 900; 60k → 3,480; 90k → 6,480; 120k → 9,480; 150k → 13,080
    assert_eq!(
        months,
        [dec!(900), dec!(2580), dec!(3000), dec!(3000), dec!(3600)]
    );
    assert_eq!(
        ytd,
        YearToDate {
            base: dec!(150000),
            withheld: dec!(13080)
        }
    );
    let m = tax
        .withhold(
            &YearToDate {
                base: dec!(120000),
                withheld: dec!(9480),
            },
            dec!(30000),
        )
        .unwrap();
    assert_eq!(
        m.explanation
            .render(&RoundingPolicy::cents())
            .lines()
            .take(2)
            .collect::<Vec<_>>(),
        [
            "withheld this period 3,600.00 = 13,080.00 due to date − 9,480.00 withheld before (period base = 30,000.00)",
            "  due to date 13,080.00 = 150,000.00 × 20 % − 16,920.00 quick deduction (year-to-date base = 150,000.00)",
        ]
    );
    // the base falls: over-withheld is carried forward by default, or refunded
    let prior = YearToDate {
        base: dec!(60000),
        withheld: dec!(3480),
    };
    let carried = tax.withhold(&prior, dec!(-20000)).unwrap();
    assert_eq!(carried.this_period, dec!(0.00));
    assert_eq!(carried.state.withheld, dec!(3480));
    let refund = tax
        .clone()
        .overwithheld(Overwithheld::Refund)
        .withhold(&prior, dec!(-20000))
        .unwrap();
    // due to date 40,000 × 10 % − 2,520 = 1,480; 3,480 was withheld
    assert_eq!(refund.this_period, dec!(-2000));
    assert_eq!(refund.state.withheld, dec!(1480));
    // the quick-deduction formula is the whole story: no slice-by-slice child
    let due = m.explanation.children().next().unwrap();
    assert_eq!(due.label(), "due-to-date");
    assert_eq!(due.label_in(perfpay::locale::Locale::english()), "due to date");
    assert!(due.children().is_empty());

    // a floor can raise the payout above the formula: then the table's step
    // explains the amount, slice by slice
    let floored = TierTable::builder(TierMode::Marginal)
        .tiers([
            Tier::rate(dec!(0), dec!(0.03)),
            Tier::rate(dec!(36000), dec!(0.10)),
        ])
        .floor(dec!(50))
        .build()
        .unwrap();
    let tax = CumulativeWithholding::new(floored, RoundingPolicy::cents()).unwrap();
    let low = tax.withhold(&YearToDate::default(), dec!(1000)).unwrap();
    assert_eq!(low.due_to_date, dec!(50.00));
    assert_eq!(
        low.explanation.render(&RoundingPolicy::cents()),
        "withheld this period 50.00 = 50.00 due to date − 0.00 withheld before (period base = 1,000.00)\n\
         \x20 due to date 50.00 (year-to-date base = 1,000.00)\n\
         \x20   payout 50.00 = 30.00 raised to the floor 50.00\n\
         \x20     payout 30.00 = 1,000.00 × 3 %\n"
    );
}

#[test]
fn bad_tables_name_every_problem() {
    let err = TierTable::marginal([
        Tier::rate(dec!(5), dec!(0.01)),
        Tier::rate(dec!(20000), dec!(0.02)).until(dec!(30000)),
        Tier::rate(dec!(10000), dec!(-0.03)),
    ])
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "tiers[0].from: the first tier must start at 0, found 5 (add a 0 % tier below it)",
            "tiers[1].to: overlap: tier 1 ends at 30000 but tier 2 starts at 10000",
            "tiers[2].from: 10000 is not above tier 1's lower bound 20000 (tiers must be sorted)",
            "tiers[2].rate: rate -0.03 is negative and the table does not declare refunds",
        ]
    );
    let gap = TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.01)).until(dec!(9000)),
        Tier::rate(dec!(10000), dec!(0.02)),
    ])
    .unwrap_err();
    assert_eq!(
        gap.problems()[0].to_string(),
        "tiers[0].to: gap: tier 0 ends at 9000 but tier 1 starts at 10000"
    );
    let closed = TierTable::marginal([Tier::rate(dec!(0), dec!(0.01)).until(dec!(9000))]).unwrap_err();
    assert_eq!(
        closed.problems()[0].to_string(),
        "tiers[0].to: the last tier ends here: say what an amount above it does \
         (above: earns_nothing or error), or leave it open-ended (a cap limits the payout)"
    );
    let cap = TierTable::builder(TierMode::Marginal)
        .tiers(seed_tiers())
        .cap(dec!(10))
        .floor(dec!(20))
        .build()
        .unwrap_err();
    assert_eq!(cap.problems()[0].to_string(), "cap: cap 10 is below floor 20");
    assert_eq!(
        TierTable::marginal([]).unwrap_err().problems()[0].to_string(),
        "tiers: a table needs at least one tier"
    );
    let points = TierTable::interpolated([(dec!(5), dec!(1)), (dec!(5), dec!(2))]).unwrap_err();
    assert_eq!(
        points.problems()[0].to_string(),
        "points[1].x: 5 is not above point 0's x 5 (points must be sorted)"
    );
    assert_eq!(
        TierTable::interpolated([(dec!(0), dec!(1))])
            .unwrap_err()
            .problems()
            .len(),
        1
    );
    // the whole message lists every problem too
    assert!(
        err.to_string()
            .starts_with("invalid tier table (4 problems): tiers[0].from")
    );
}

#[test]
fn tables_round_trip_through_json_with_validation() {
    let json = r#"{
        "mode": "marginal",
        "label": "commission",
        "tiers": [
            {"from": "0", "to": "100000", "rate": "0.02"},
            {"from": "100000", "rate": "0.03"}
        ],
        "cap": "10000.00",
        "rounding": {"scale": 2, "mode": "half_up"}
    }"#;
    let table: TierTable = serde_json::from_str(json).unwrap();
    assert_eq!(table.compute(dec!(150000)).unwrap(), dec!(3500.00));
    assert_eq!(table.label(), "commission");
    let again: TierTable = serde_json::from_str(&serde_json::to_string(&table).unwrap()).unwrap();
    assert_eq!(again, table);

    let bad = r#"{"mode": "marginal", "tiers": [{"from": "0", "rate": "0.02", "fixed": "5"}, {"from": "0", "rate": "0.01"}]}"#;
    let err = serde_json::from_str::<TierTable>(bad).unwrap_err().to_string();
    assert!(
        err.contains("tiers[0]: has both rate and fixed; give one"),
        "{err}"
    );
    let unknown = r#"{"mode": "marginal", "tiers": [{"from": "0", "rate": "0.02", "rat": "1"}]}"#;
    assert!(
        serde_json::from_str::<TierTable>(unknown)
            .unwrap_err()
            .to_string()
            .contains("unknown field")
    );
}

#[test]
fn fixed_amount_tiers_in_both_modes() {
    let tiers = [
        Tier::fixed(dec!(0), dec!(0)),
        Tier::fixed(dec!(10000), dec!(300)),
        Tier::rate(dec!(20000), dec!(0.05)),
    ];
    let whole = TierTable::whole_amount(tiers).unwrap();
    assert_eq!(whole.compute(dec!(9999)).unwrap(), dec!(0));
    assert_eq!(whole.compute(dec!(10000)).unwrap(), dec!(300));
    assert_eq!(whole.compute(dec!(30000)).unwrap(), dec!(1500));
    let marginal = TierTable::marginal(tiers).unwrap();
    assert_eq!(marginal.compute(dec!(10000)).unwrap(), dec!(300));
    assert_eq!(marginal.compute(dec!(30000)).unwrap(), dec!(800)); // 300 + 10,000 × 5 %
    assert_eq!(
        marginal
            .evaluate(dec!(30000))
            .unwrap()
            .explanation
            .statement(&RoundingPolicy::cents()),
        "payout 800.00 = 0.00 fixed for reaching 0.00 + 300.00 fixed for reaching 10,000.00 + 10,000.00 × 5 %"
    );
}

#[test]
fn five_tier_gated_rule_by_hand() {
    let sat = satisfaction();
    let rule = Commission::on_table(
        TierTable::marginal([
            Tier::rate(dec!(0), dec!(0.01)),
            Tier::rate(dec!(50000), dec!(0.02)),
            Tier::rate(dec!(100000), dec!(0.03)),
            Tier::rate(dec!(200000), dec!(0.04)),
            Tier::rate(dec!(500000), dec!(0.05)),
        ])
        .unwrap(),
    )
    .gate(Gate::at_least(sat.clone(), dec!(0.85)))
    .multiplier(Multiplier::new(sat.clone(), [(dec!(0.95), dec!(1.1))]).unwrap());
    // (sales, satisfaction, commission) by hand
    let cases = [
        (dec!(40000), dec!(0.90), dec!(400)),
        (dec!(165000), dec!(0.90), dec!(3450)),  // 500 + 1,000 + 1,950
        (dec!(600000), dec!(0.90), dec!(21500)), // 500 + 1,000 + 3,000 + 12,000 + 5,000
        (dec!(600000), dec!(0.95), dec!(23650)),
        (dec!(600000), dec!(0.8499), dec!(0)),
        (dec!(200000), dec!(1.00), dec!(4950)), // 4,500 × 1.1
    ];
    for (sales, s, want) in cases {
        let metrics = [(sat.clone(), s)];
        let ctx = CommissionContext::new(sales, &metrics);
        assert_eq!(rule.compute(&ctx).unwrap(), want, "{sales} at {s}");
        assert_eq!(rule.evaluate(&ctx).unwrap().amount, want, "{sales} at {s}");
    }
}

#[cfg(feature = "testing")]
#[test]
fn the_monotone_checker_catches_falling_rates() {
    let falling = TierTable::whole_amount([
        Tier::rate(dec!(0), dec!(0.05)),
        Tier::rate(dec!(10000), dec!(0.03)),
    ])
    .unwrap();
    let err = perfpay::testing::check_tier_monotone(&falling, &[dec!(9999), dec!(10000)]).unwrap_err();
    assert_eq!(err.law(), "payout is monotone");
    assert_eq!(
        err.detail(),
        "payout(9999) = 499.95 exceeds payout(10000) = 300.00"
    );
}

#[test]
fn a_fixed_factor_multiplies_whatever_the_metrics_in_its_place() {
    // "5 % of the line plus 10 % extra on top": 12,345.67 × 5 % = 617.2835,
    // × 1.1 = 679.01185 → 679.01, rounded once at the end
    let five = TierTable::marginal([Tier::rate(dec!(0), dec!(0.05))]).unwrap();
    let rule = Commission::on_table(five)
        .factor(Factor::new("10 % extra on top", dec!(1.1)).unwrap())
        .rounding(RoundingPolicy::cents());
    let out = rule
        .evaluate(&CommissionContext::new(dec!(12345.67), &NoMetrics))
        .unwrap();
    assert_eq!(
        (out.amount, out.base, out.factor),
        (dec!(679.01), dec!(617.2835), dec!(1.1))
    );
    assert_eq!(
        out.explanation.render(&RoundingPolicy::cents()),
        "commission 679.01 = 617.28 × 1.1\n\
         \x20 payout 617.28 = 12,345.67 × 5 %\n\
         \x20 multiplier 1.1 = 10 % extra on top\n"
    );
    assert_eq!(
        rule.compute(&CommissionContext::new(dec!(12345.67), &NoMetrics))
            .unwrap(),
        dec!(679.01)
    );
    // a closed gate before it still pays nothing
    let gated = Commission::on_table(TierTable::marginal([Tier::rate(dec!(0), dec!(0.05))]).unwrap())
        .gate(Gate::at_least(satisfaction(), dec!(0.9)))
        .factor(Factor::new("extra", dec!(2)).unwrap());
    let low = [(satisfaction(), dec!(0.5))];
    assert_eq!(
        gated.compute(&CommissionContext::new(dec!(100), &low)).unwrap(),
        dec!(0)
    );
    assert_eq!(
        Factor::new("less", dec!(-0.5)).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn a_bounded_top_tier_pays_nothing_above_it_or_refuses_as_the_table_says() {
    let tiers = || {
        [
            Tier::rate(dec!(0), dec!(0.02)),
            Tier::rate(dec!(100000), dec!(0.03)).until(dec!(150000)),
        ]
    };
    let bounded = TierTable::builder(TierMode::Marginal)
        .tiers(tiers())
        .above(Above::EarnsNothing)
        .build()
        .unwrap();
    assert_eq!(bounded.top(), Some((dec!(150000), Above::EarnsNothing)));
    // 100,000 × 2 % + 50,000 × 3 %; the 30,000 above earns nothing
    assert_eq!(bounded.compute(dec!(180000)).unwrap(), dec!(3500));
    assert_eq!(bounded.compute(dec!(150000)).unwrap(), dec!(3500));
    assert_eq!(bounded.compute(dec!(120000)).unwrap(), dec!(2600));
    assert_eq!(
        bounded
            .evaluate(dec!(180000))
            .unwrap()
            .explanation
            .render(&RoundingPolicy::cents()),
        "payout 3,500.00 = what 150,000.00 pays; the 30,000.00 above the table's last bound earns nothing (amount = 180,000.00)\n\
         \x20 payout 3,500.00 = 100,000.00 × 2 % + 50,000.00 × 3 %\n"
    );
    // a deal across the bound is paid only up to it: 140,000 + 20,000 → 10,000 × 3 %
    assert_eq!(
        bounded
            .evaluate_carried(dec!(140000), dec!(20000))
            .unwrap()
            .payout,
        dec!(300)
    );
    let strict = TierTable::builder(TierMode::Marginal)
        .tiers(tiers())
        .above(Above::Error)
        .build()
        .unwrap();
    assert_eq!(strict.compute(dec!(150000)).unwrap(), dec!(3500));
    let err = strict.compute(dec!(150000.01)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        err.message(),
        "amount 150000.01 is above the last bound 150000 of the payout table, which does not cover it"
    );
    // the written form keeps the bound and the rule, and reads back equal
    let spec = TierTableSpec::from(strict.clone());
    assert_eq!(spec.tiers[1].to, Some(dec!(150000)));
    assert_eq!(spec.above, Some(Above::Error));
    assert_eq!(TierTable::try_from(spec).unwrap(), strict);
    // `above` needs a bounded last tier
    let open = TierTable::builder(TierMode::Marginal)
        .tier(Tier::rate(dec!(0), dec!(0.02)))
        .above(Above::EarnsNothing)
        .build()
        .unwrap_err();
    assert_eq!(
        open.problems()[0].to_string(),
        "above: says what an amount above the last tier does, but the last tier has no `to`"
    );
    // a quota table keeps its bands' bound, rescaled: 150 % of 100,000
    let bands = TierTable::builder(TierMode::Marginal)
        .tier(Tier::rate(dec!(0), dec!(0.02)))
        .tier(Tier::rate(dec!(1), dec!(0.03)).until(dec!(1.5)))
        .above(Above::EarnsNothing)
        .build()
        .unwrap();
    let quota = QuotaTable::new(dec!(100000), bands).unwrap();
    assert_eq!(quota.compute(dec!(180000)).unwrap(), dec!(3500));
}

#[test]
fn interpolated_tiers_as_published_become_the_running_payout() {
    // Oracle Incentive Compensation, "Examples of Calculating Earnings Using
    // Interpolated Rates": transactions of 200, 300, 1,500, 1,200, 2,000 and
    // 4,500 each on their own earn 2, 3, 20, 14, 30 and 80: 149 USD
    let spec: TierTableSpec = serde_json::from_str(
        r#"{"mode": "interpolated", "above": "earns_nothing", "tiers": [
            {"from": "0", "to": "1000", "amount": "10"},
            {"from": "1000", "to": "3000", "amount": "40"},
            {"from": "3000", "to": "8000", "amount": "100"},
            {"from": "8000", "to": "20000", "amount": "2000"}]}"#,
    )
    .unwrap();
    let table = TierTable::try_from(spec).unwrap();
    assert_eq!(
        table.points(),
        [
            (dec!(0), dec!(0)),
            (dec!(1000), dec!(10)),
            (dec!(3000), dec!(50)),
            (dec!(8000), dec!(150)),
            (dec!(20000), dec!(2150))
        ]
    );
    let earned: Vec<Decimal> = [200, 300, 1500, 1200, 2000, 4500]
        .into_iter()
        .map(|t| table.compute(Decimal::from(t)).unwrap())
        .collect();
    assert_eq!(earned, [dec!(2), dec!(3), dec!(20), dec!(14), dec!(30), dec!(80)]);
    assert_eq!(earned.iter().copied().sum::<Decimal>(), dec!(149));
    // above the last tier: everything the tiers pay, and no more
    assert_eq!(table.compute(dec!(25000)).unwrap(), dec!(2150));

    let problems = |json: &str| -> Vec<String> {
        let spec: TierTableSpec = serde_json::from_str(json).unwrap();
        TierTable::try_from(spec)
            .unwrap_err()
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        problems(
            r#"{"mode": "interpolated", "tiers": [
                {"from": "0", "to": "1000", "amount": "10"},
                {"from": "1500", "to": "3000", "amount": "40"},
                {"from": "2000", "to": "2000", "amount": "1"},
                {"from": "2000", "amount": "1"},
                {"from": "3000", "to": "4000", "rate": "0.01"}]}"#
        ),
        [
            "tiers[3]: an interpolated tier needs `to`",
            "tiers[4]: an interpolated tier pays an amount at its top (`to`, `amount`), not a rate or a fixed amount",
            "tiers[1].from: gap: tier 0 ends at 1000 but tier 1 starts at 1500",
            "tiers[2].from: overlap: tier 1 ends at 3000 but tier 2 starts at 2000",
            "tiers[2].to: 2000 is not above the tier's lower bound 2000",
        ]
    );
    assert_eq!(
        problems(r#"{"mode": "marginal", "tiers": [{"from": "0", "rate": "0.01", "amount": "5"}]}"#),
        ["tiers[0].amount: a marginal tier pays a rate or a fixed amount, not an amount at its top"]
    );
    assert_eq!(
        problems(
            r#"{"mode": "interpolated", "tiers": [{"from": "0", "to": "1000", "amount": "10"}],
                "points": [{"x": "0", "y": "0"}, {"x": "1", "y": "1"}]}"#
        ),
        ["points: give tiers with amounts or points, not both"]
    );
}

#[test]
fn a_quota_rule_reads_each_employees_quota_and_carries_a_deal() {
    let quota = MetricId::new("quota").unwrap();
    let curve = TierTable::marginal([Tier::rate(dec!(0), dec!(1)), Tier::rate(dec!(1), dec!(2))]).unwrap();
    let rule = QuotaRule::builder(quota.clone(), curve)
        .threshold(dec!(0.5))
        .target(dec!(10000))
        .cap(dec!(2))
        .build()
        .unwrap();
    let metrics = [(quota.clone(), dec!(200000))];
    // exactly at the threshold pays: 50 % of 10,000
    assert_eq!(rule.compute(dec!(100000), &metrics).unwrap(), dec!(5000));
    assert_eq!(rule.compute(dec!(99999.99), &metrics).unwrap(), dec!(0));
    // a deal of 100,000 on a prior 150,000: 15,000 on 250,000 − 7,500 on 150,000
    let commission = Commission::on_quota_rule(rule).rounding(RoundingPolicy::cents());
    let deal = commission
        .evaluate(&CommissionContext::new(dec!(100000), &metrics).with_prior(dec!(150000)))
        .unwrap();
    assert_eq!(deal.amount, dec!(7500.00));
    assert_eq!(
        deal.explanation.statement(&RoundingPolicy::cents()),
        "commission 7,500.00 = 15,000.00 on the total − 7,500.00 on the prior total (prior total = 150,000.00, deal = 100,000.00)"
    );
    let err = QuotaRule::builder(
        quota,
        TierTable::marginal([Tier::rate(dec!(0), dec!(1))]).unwrap(),
    )
    .cap(dec!(2))
    .build()
    .unwrap_err();
    assert_eq!(err.problems()[0].path(), "cap");
}

#[test]
fn a_rate_matrix_steps_by_band_or_interpolates_between_grid_points() {
    use perfpay::tier::{Axis, Between, RateMatrix};
    let (g, p) = (MetricId::new("growth").unwrap(), MetricId::new("margin").unwrap());
    let values = vec![
        vec![dec!(0.5), dec!(0.8), dec!(1.0)],
        vec![dec!(0.8), dec!(1.0), dec!(1.2)],
        vec![dec!(1.0), dec!(1.2), dec!(1.5)],
    ];
    let axes = || {
        (
            Axis::new(g.clone(), [dec!(0), dec!(0.05), dec!(0.10)]),
            Axis::new(p.clone(), [dec!(0), dec!(0.10), dec!(0.20)]),
        )
    };
    let at = |m: &RateMatrix, x: Decimal, y: Decimal| m.lookup(&[(g.clone(), x), (p.clone(), y)]);
    let (across, down) = axes();
    let step = RateMatrix::new(across.until(dec!(0.30)), down, values.clone(), Between::Step).unwrap();
    // lower bounds inclusive on both axes
    assert_eq!(at(&step, dec!(0.05), dec!(0.10)).unwrap(), dec!(1.0));
    assert_eq!(at(&step, dec!(0.0499), dec!(0.10)).unwrap(), dec!(0.8));
    assert_eq!(at(&step, dec!(0.29), dec!(0.99)).unwrap(), dec!(1.5));
    // a closed axis refuses what lies at or above its end
    assert_eq!(
        at(&step, dec!(0.30), dec!(0.10)).unwrap_err().message(),
        "growth 0.30 is above the bands of the matrix"
    );
    let (across, down) = axes();
    let smooth = RateMatrix::new(across, down, values, Between::Interpolate).unwrap();
    // on a grid point, the cell's value
    assert_eq!(at(&smooth, dec!(0.05), dec!(0.10)).unwrap(), dec!(1.0));
    // a third of the way across and down from (0.05, 0.10):
    // 1.0·(2/3)(2/3) + 1.2·(1/3)(2/3) + 1.2·(2/3)(1/3) + 1.5·(1/3)(1/3)
    // = (4 + 2.4 + 2.4 + 1.5) / 9 = 10.3 / 9 = 1.1444…
    let third = at(
        &smooth,
        dec!(0.05) + dec!(0.05) / dec!(3),
        dec!(0.10) + dec!(0.10) / dec!(3),
    )
    .unwrap();
    assert!(
        (third - dec!(10.3) / dec!(9)).abs() < dec!(0.000000000000000000001),
        "{third}"
    );
    // outside the grid the nearest edge holds
    assert_eq!(at(&smooth, dec!(-1), dec!(5)).unwrap(), dec!(1.0));
}
