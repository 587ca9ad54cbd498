//! Laws of perfpay's building blocks, checked with proptest through `perfpay::testing`.
//! Each property runs at least 256 cases.

use perfpay::goal::{Combine, Goal, GoalLevel, GoalStatus, GoalTree, Split};
use perfpay::id::{GoalId, RuleId};
use perfpay::metric::NoMetrics;
use perfpay::money::allocate;
use perfpay::period::{DayBasis, WorkCalendar};
use perfpay::score::Direction;
use perfpay::script::{ScriptContext, ScriptEngine, ScriptValue};
use perfpay::testing::{self, check_allocation, check_segments_sum};
use perfpay::tier::{BonusPool, CumulativeWithholding, TierMode, TierPay, YearToDate};
use perfpay::{Decimal, EmployeeId, MetricId, RoundingPolicy};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(1024)))]

    /// Parts of an allocation always add up to the total, for any grid,
    /// any non-negative weights and totals of either sign.
    #[test]
    fn prop_allocation_sums_to_total(
        policy in testing::rounding_policy(),
        units in -10_000_000_000i64..10_000_000_000,
        weights in testing::weights(1..12),
    ) {
        let total = Decimal::new(units, policy.scale());
        let parts = allocate(total, &weights, policy).unwrap();
        prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
        prop_assert_eq!(parts.len(), weights.len());
    }

    /// Every part lies within one grid unit of its exact share, zero weights
    /// get zero, and no part has the opposite sign of the total.
    #[test]
    fn prop_allocation_is_proportional_within_one_unit(
        total in testing::amount(2, 1_000_000),
        weights in testing::weights(1..12),
    ) {
        let policy = RoundingPolicy::cents();
        let parts = allocate(total, &weights, policy).unwrap();
        if let Err(violation) = check_allocation(total, &weights, &parts, policy) {
            prop_assert!(false, "{}", violation);
        }
    }

    /// Rounding an already rounded value changes nothing, in every mode and
    /// at every scale, and the result is on the policy's grid.
    #[test]
    fn prop_rounding_is_idempotent(policy in testing::rounding_policy(), value in testing::any_decimal()) {
        let once = policy.round(value);
        prop_assert!(policy.is_rounded(once));
        prop_assert_eq!(policy.round(once), once);
        // and never moves a value by a whole unit or more
        prop_assert!((once - value).abs() < policy.unit());
    }

    /// round_ratio agrees with plain rounding whenever the quotient is exact.
    #[test]
    fn prop_round_ratio_matches_round_on_exact_quotients(
        policy in testing::rounding_policy(),
        value in testing::amount(4, 1_000_000),
        divisor in prop_oneof![Just(1i64), Just(2), Just(4), Just(5), Just(8), Just(-2), Just(10)],
    ) {
        let divisor = Decimal::from(divisor);
        let numerator = value * divisor;
        prop_assert_eq!(policy.round_ratio(numerator, divisor).unwrap(), policy.round(value));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(512)))]

    /// Prorated segments add up exactly to the prorated total, on calendar
    /// days and on working days, and the total never exceeds the largest
    /// value in force.
    #[test]
    fn prop_proration_segments_sum_to_whole(
        (period, timeline) in testing::timeline_in_period(50_000, 4),
        working in any::<bool>(),
    ) {
        let basis = if working {
            DayBasis::WorkingDays(WorkCalendar::monday_to_friday())
        } else {
            DayBasis::CalendarDays
        };
        let policy = RoundingPolicy::cents();
        match timeline.prorate(&period, &basis, policy) {
            Ok(paid) => {
                let amounts: Vec<Decimal> = paid.segments.iter().map(|s| s.amount).collect();
                if let Err(violation) = check_segments_sum(paid.total, &amounts) {
                    prop_assert!(false, "{}", violation);
                }
                let max = timeline.changes().iter().map(|c| c.value).max().unwrap_or_default();
                prop_assert!(paid.total <= max);
                let days: u32 = paid.segments.iter().map(|s| s.days).sum();
                prop_assert!(days <= paid.period_days);
            }
            // only a period without a single working day may fail
            Err(err) => {
                prop_assert_eq!(err.kind(), perfpay::ErrorKind::DivisionByZero);
                prop_assert_eq!(basis.count(&period), 0);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(512)))]

    /// Counting working days by whole weeks and the holidays and make-up
    /// days in range gives the same number as checking every day of the
    /// period, for any weekday pattern and any holidays and make-up days.
    #[test]
    fn prop_working_days_count_every_working_day(
        period in testing::period(),
        weekdays in proptest::collection::btree_set(0u8..7, 0..=7),
        marked in proptest::collection::btree_map(0i64..500, any::<bool>(), 0..40),
    ) {
        let near = period.start() - chrono::Duration::days(60);
        let days = |holiday: bool| {
            marked
                .iter()
                .filter(move |(_, h)| **h == holiday)
                .map(move |(offset, _)| near + chrono::Duration::days(*offset))
        };
        let weekdays = weekdays.into_iter().filter_map(|d| perfpay::period::Weekday::try_from(d).ok());
        let calendar = WorkCalendar::new(weekdays, days(true), days(false)).unwrap();
        let by_day = period.iter_days().filter(|d| calendar.is_working_day(*d)).count();
        prop_assert_eq!(calendar.working_days(&period) as usize, by_day);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(512)))]

    /// A marginal table of non-negative rates never pays less for more, and
    /// has no jumps: one more cent changes the payout by at most the top
    /// rate times a cent.
    #[test]
    fn prop_marginal_is_monotone_and_continuous(
        table in testing::marginal_table(6),
        a in testing::non_negative_amount(2, 2_000_000),
        b in testing::non_negative_amount(2, 2_000_000),
    ) {
        if let Err(violation) = testing::check_tier_monotone(&table, &[a, b]) {
            prop_assert!(false, "{}", violation);
        }
        let cent = Decimal::new(1, 2);
        let top_rate = table.tiers().iter().map(|t| match t.pay() {
            TierPay::Rate(r) => r,
            TierPay::Fixed(_) => Decimal::ZERO,
        }).max().unwrap_or_default();
        let step = table.compute(a + cent).unwrap() - table.compute(a).unwrap();
        prop_assert!(step >= Decimal::ZERO && step <= top_rate * cent, "step {} at {}", step, a);
        // on every bound the payout from the left equals the payout at the bound
        for t in table.tiers().iter().skip(1) {
            let left = table.compute(t.lower() - cent).unwrap();
            let at = table.compute(t.lower()).unwrap();
            prop_assert!(at - left <= top_rate * cent);
        }
    }

    /// With rates that rise from tier to tier, a whole-amount table is
    /// monotone too (its jumps only go up).
    #[test]
    fn prop_whole_amount_is_monotone_when_rates_rise(
        table in testing::rising_whole_amount_table(6),
        amounts in proptest::collection::vec(testing::non_negative_amount(2, 2_000_000), 2..8),
    ) {
        if let Err(violation) = testing::check_tier_monotone(&table, &amounts) {
            prop_assert!(false, "{}", violation);
        }
    }

    /// Interpolated tables through rising points are monotone.
    #[test]
    fn prop_interpolated_with_rising_points_is_monotone(
        table in testing::interpolated_table(6),
        amounts in proptest::collection::vec(testing::non_negative_amount(2, 2_000_000), 2..8),
    ) {
        if let Err(violation) = testing::check_tier_monotone(&table, &amounts) {
            prop_assert!(false, "{}", violation);
        }
    }

    /// A bonus pool split pays out exactly the pool (less what is reported
    /// unallocated), never above the cap, and nothing to a zero score.
    #[test]
    fn prop_pool_split_sums_to_pool(
        pool in testing::non_negative_amount(2, 1_000_000),
        scores in proptest::collection::vec((0i64..=10_000, 0u32..=2), 1..10),
        cap in proptest::option::of(testing::non_negative_amount(2, 500_000)),
    ) {
        let participants: Vec<(EmployeeId, Decimal)> = scores
            .iter()
            .enumerate()
            .map(|(i, (m, s))| (EmployeeId::new(format!("e{i}")).unwrap(), Decimal::new(*m, *s)))
            .collect();
        let mut split_by = BonusPool::new(RoundingPolicy::cents());
        if let Some(cap) = cap {
            split_by = split_by.with_cap(cap).unwrap();
        }
        let split = split_by.split(pool, &participants).unwrap();
        let paid: Decimal = split.shares.iter().map(|s| s.amount).sum();
        prop_assert_eq!(paid + split.unallocated, pool);
        prop_assert!(split.unallocated >= Decimal::ZERO);
        let all_zero = participants.iter().all(|(_, s)| s.is_zero());
        let all_capped = split.shares.iter().filter(|s| !s.score.is_zero()).all(|s| s.capped);
        if !all_zero && !all_capped {
            prop_assert_eq!(split.unallocated, Decimal::ZERO);
        }
        for share in &split.shares {
            if share.score.is_zero() {
                prop_assert_eq!(share.amount, Decimal::ZERO);
            }
            if let Some(cap) = cap {
                prop_assert!(share.amount <= cap);
            }
        }
    }

    /// Withholding period by period on the cumulative base adds up exactly
    /// to the annual formula applied to the annual total.
    #[test]
    fn prop_ytd_withholding_sums_to_annual(
        table in testing::marginal_table(7),
        months in proptest::collection::vec(testing::non_negative_amount(2, 200_000), 12),
        policy in testing::rounding_policy(),
    ) {
        let tax = CumulativeWithholding::new(table.clone(), policy).unwrap();
        let mut ytd = YearToDate::default();
        let mut withheld = Vec::new();
        for base in &months {
            let month = tax.withhold(&ytd, *base).unwrap();
            prop_assert!(month.this_period >= Decimal::ZERO, "a rising base never refunds");
            withheld.push(month.this_period);
            ytd = month.state;
        }
        let annual: Decimal = months.iter().copied().sum();
        let expected = policy.round(table.compute(annual).unwrap());
        prop_assert_eq!(withheld.iter().copied().sum::<Decimal>(), expected);
        prop_assert_eq!(ytd.withheld, expected);
    }

    /// Adding the reported distance lands exactly on the next tier, whose
    /// payout is the one reported — for the table, and through a
    /// commission's gate and multiplier (what an outcome's `next` reports).
    #[test]
    fn prop_next_tier_distance_reaches_next_tier(
        table in prop_oneof![testing::marginal_table(6), testing::rising_whole_amount_table(6), testing::interpolated_table(6)],
        amount in testing::non_negative_amount(2, 2_000_000),
        prior in prop_oneof![Just(Decimal::ZERO), testing::non_negative_amount(2, 500_000)],
        satisfaction in 80i64..=100,
    ) {
        // through a commission: a gate at 0.85, × 1.1 from 0.95, on top of a prior total
        let metric = MetricId::new("satisfaction").unwrap();
        let rule = perfpay::tier::Commission::on_table(table.clone())
            .gate(perfpay::tier::Gate::at_least(metric.clone(), Decimal::new(85, 2)))
            .multiplier(perfpay::tier::Multiplier::new(metric.clone(), [(Decimal::new(95, 2), Decimal::new(11, 1))]).unwrap());
        let metrics = [(metric, Decimal::new(satisfaction, 2))];
        let ctx = perfpay::tier::CommissionContext::new(amount, &metrics).with_prior(prior);
        match (rule.next_tier(&ctx).unwrap(), table.next_tier(prior + amount).unwrap()) {
            (Some(next), Some(bare)) => {
                prop_assert_eq!(next.needed, bare.needed);
                prop_assert_eq!(next.tier, bare.tier);
                let there = perfpay::tier::CommissionContext::new(amount + next.needed, &metrics).with_prior(prior);
                prop_assert_eq!(rule.compute(&there).unwrap(), next.commission_at_tier);
                prop_assert_eq!(rule.compute(&ctx).unwrap(), next.commission_now);
                prop_assert_eq!(next.closed_by.is_some(), satisfaction < 85);
                prop_assert_eq!(table.evaluate(prior + amount + next.needed).unwrap().tier, next.tier);
            }
            (None, None) => {}
            (a, b) => prop_assert!(false, "commission {:?} but table {:?}", a, b),
        }

        match table.next_tier(amount).unwrap() {
            Some(next) => {
                prop_assert!(next.needed > Decimal::ZERO);
                let reached = amount + next.needed;
                prop_assert_eq!(reached, next.boundary);
                prop_assert_eq!(table.evaluate(reached).unwrap().tier, next.tier);
                prop_assert_eq!(table.compute(reached).unwrap(), next.payout_at_boundary);
                prop_assert_eq!(table.compute(amount).unwrap(), next.payout_now);
                // one cent short of the boundary is still below it
                let short = reached - Decimal::new(1, 2);
                if short >= amount {
                    prop_assert!(table.evaluate(short).unwrap().tier < next.tier || table.mode() == TierMode::Interpolated);
                }
            }
            None => {
                let last = table.tiers().len().max(table.points().len()) - 1;
                prop_assert_eq!(table.evaluate(amount).unwrap().tier, last);
            }
        }
    }

    /// A deal's carried commission in a marginal table equals the payout of
    /// the new total minus the payout of the prior total, and the deals of
    /// a period add up to the payout of the period's total.
    #[test]
    fn prop_carried_deals_add_up_to_the_period_total(
        table in testing::marginal_table(6),
        deals in proptest::collection::vec(testing::non_negative_amount(2, 300_000), 1..8),
    ) {
        let mut prior = Decimal::ZERO;
        let mut paid = Decimal::ZERO;
        for deal in &deals {
            paid += table.evaluate_carried(prior, *deal).unwrap().payout;
            prior += *deal;
        }
        prop_assert_eq!(paid, table.compute(prior).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(512)))]

    /// Weights written as a ratio, or as fractions of it (`p_i / Σ p`),
    /// normalise to decimals that sum exactly to 1, each within one unit of
    /// the last place of its exact share — and equal to it when every share
    /// has an exact decimal at that place.
    #[test]
    fn prop_ratio_weights_normalise_exactly(
        parts in proptest::collection::vec(0i64..1_000, 1..8),
        as_fractions in any::<bool>(),
    ) {
        let total: i64 = parts.iter().sum();
        prop_assume!(total > 0);
        let n = if as_fractions {
            let written: Vec<perfpay::score::Weight> = parts
                .iter()
                .map(|&p| perfpay::score::Weight::fraction(Decimal::from(p), Decimal::from(total)).unwrap())
                .collect();
            perfpay::score::normalise(&written).unwrap()
        } else {
            perfpay::score::normalise_ratio(&parts.iter().map(|&p| Decimal::from(p)).collect::<Vec<_>>()).unwrap()
        };
        prop_assert_eq!(n.weights.iter().copied().sum::<Decimal>(), Decimal::ONE);
        let places = n.rounded_to.unwrap_or(perfpay::score::WEIGHT_SCALE);
        let grid = 10i128.pow(places);
        for (w, &p) in n.weights.iter().zip(&parts) {
            // w = u / 10^places; |u − p × 10^places / total| < 1
            let u = (w * Decimal::from(grid)).trunc().mantissa() / 10i128.pow((w * Decimal::from(grid)).trunc().scale());
            let exact = i128::from(p) * grid;
            prop_assert!((u * i128::from(total) - exact).abs() < i128::from(total), "{} for {}/{}", w, p, total);
            if n.rounded_to.is_none() {
                prop_assert_eq!(*w * Decimal::from(total), Decimal::from(p));
            }
        }
    }

    /// A weighted score always lies within its items' range (weights sum to
    /// 1 and none is negative), whatever the weights' digits: weights of 28
    /// places leave their products a last-digit error that the score must
    /// not carry outside the range.
    #[test]
    fn prop_weighted_score_within_item_range(
        (card, values) in prop_oneof![
            (prop_oneof![testing::scorecard(6), fine_scorecard(6)], proptest::collection::vec(0i64..=20_000, 6)),
            equal_items_fine_weights(6),
        ],
    ) {
        let metrics: Vec<(MetricId, Decimal)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (MetricId::new(format!("m{i}")).unwrap(), Decimal::new(*v, 4)))
            .collect();
        let out = card.evaluate(&metrics).unwrap();
        let scores: Vec<Decimal> = out.items.iter().map(|i| i.score.unwrap()).collect();
        let lo = scores.iter().copied().min().unwrap();
        let hi = scores.iter().copied().max().unwrap();
        prop_assert!(lo <= out.score && out.score <= hi, "{} not in [{}, {}]", out.score, lo, hi);
    }

    /// A better metric value never scores lower: rising values for
    /// higher-is-better KPIs, falling values for lower-is-better ones.
    #[test]
    fn prop_score_monotone_in_metric(
        kpi in testing::linear_kpi(0),
        a in 0i64..=20_000,
        b in 0i64..=20_000,
    ) {
        let (a, b) = (Decimal::new(a.min(b), 4), Decimal::new(a.max(b), 4));
        let sa = kpi.evaluate(a, &NoMetrics).unwrap().score;
        let sb = kpi.evaluate(b, &NoMetrics).unwrap().score;
        match kpi.direction() {
            Direction::HigherIsBetter => prop_assert!(sa <= sb, "{} at {} > {} at {}", sa, a, sb, b),
            Direction::LowerIsBetter => prop_assert!(sa >= sb, "{} at {} < {} at {}", sa, a, sb, b),
        }
    }

    /// Splitting a parent target over its children (by weight or by
    /// baseline share) gives targets that add up exactly to the parent's.
    #[test]
    fn prop_decomposition_sums_to_parent(
        target in 0i64..=1_000_000_000,
        children in proptest::collection::vec((1i64..=1_000_000, 1i64..=100), 1..8),
        by_weight in any::<bool>(),
    ) {
        let id = |s: String| GoalId::new(s).unwrap();
        let sales = MetricId::new("sales").unwrap();
        let total_base: i64 = children.iter().map(|(b, _)| b).sum();
        let target = Decimal::new(target, 2) + Decimal::from(total_base);
        let mut goals = vec![Goal::new(id("root".into()), GoalLevel::Company, sales.clone(), Decimal::from(total_base), target)
            .combine(Combine::Sum)];
        for (i, (baseline, weight)) in children.iter().enumerate() {
            goals.push(
                Goal::new(id(format!("c{i}")), GoalLevel::Person, sales.clone(), Decimal::from(*baseline), Decimal::from(*baseline))
                    .parent(id("root".into()))
                    .weight(Decimal::from(*weight)),
            );
        }
        let tree = GoalTree::new(goals).unwrap();
        let split = if by_weight { Split::ByWeights } else { Split::ByBaselineShares };
        let parts = tree.decompose(&id("root".into()), split, RoundingPolicy::cents()).unwrap();
        prop_assert_eq!(parts.targets.iter().map(|(_, t)| *t).sum::<Decimal>(), target);
        // by baseline share every child grows by the parent's factor, so the
        // decomposed tree is valid and consistent (by weight, a child may be
        // asked for less than its baseline, which the tree rejects by name)
        if !by_weight {
            let fixed = tree.with_targets(&parts.targets).unwrap();
            prop_assert!(fixed.check().unwrap().iter().all(|c| c.consistent));
        }
    }

    /// When every active child reached the same achievement, a weighted
    /// roll-up reports exactly that achievement, with or without archived
    /// children.
    #[test]
    fn prop_rollup_of_equal_progress_is_that_progress(
        percent in 0i64..=150,
        children in proptest::collection::vec((0i64..=100_000, 1i64..=100_000, 1i64..=100, any::<bool>()), 1..8),
    ) {
        let p = Decimal::new(percent, 2);
        let id = |s: String| GoalId::new(s).unwrap();
        let metric = MetricId::new("sales").unwrap();
        let weights: Vec<Decimal> = {
            let raw: Vec<Decimal> = children.iter().map(|c| Decimal::from(c.2)).collect();
            perfpay::money::allocate(Decimal::ONE, &raw, RoundingPolicy::new(4, perfpay::money::RoundingMode::TowardZero).unwrap()).unwrap()
        };
        let mut goals = vec![Goal::new(id("root".into()), GoalLevel::Role, metric.clone(), Decimal::ZERO, Decimal::ONE)];
        let mut any_active = false;
        for (i, ((baseline, gap, _, archived), w)) in children.iter().zip(&weights).enumerate() {
            let (b, t) = (Decimal::from(*baseline), Decimal::from(baseline + gap));
            let current = b + p * (t - b);
            let archived = *archived && !w.is_zero() && i > 0;
            any_active |= !archived && !w.is_zero();
            goals.push(
                Goal::new(id(format!("c{i}")), GoalLevel::Person, metric.clone(), b, t)
                    .parent(id("root".into()))
                    .weight(*w)
                    .current(current)
                    .status(if archived { GoalStatus::Archived } else { GoalStatus::Active }),
            );
        }
        prop_assume!(any_active);
        let tree = GoalTree::new(goals).unwrap();
        prop_assert_eq!(tree.progress(&id("root".into())).unwrap().achievement, p);
    }
}

/// A rhai script equivalent to a marginal or whole-amount tier table.
fn script_for(table: &perfpay::tier::TierTable) -> String {
    let mut source = String::new();
    let tiers = table.tiers();
    for (i, tier) in tiers.iter().enumerate().rev() {
        let rate = match tier.pay() {
            TierPay::Rate(r) => r,
            TierPay::Fixed(_) => unreachable!("generated tables pay rates"),
        };
        let lower = tier.lower();
        let pay = match table.mode() {
            TierMode::Marginal => {
                let base = table.compute(lower).unwrap();
                format!("{base} + (amount - {lower}) * {rate}")
            }
            _ => format!("amount * {rate}"),
        };
        if i == 0 {
            source.push_str(&format!("{{ {pay} }}"));
        } else {
            source.push_str(&format!("if amount >= {lower} {{ {pay} }} else "));
        }
    }
    source
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

    /// A generated script and the native table give identical results.
    #[test]
    fn prop_script_and_native_tier_agree(
        table in prop_oneof![testing::marginal_table(6), testing::rising_whole_amount_table(6)],
        amounts in proptest::collection::vec(testing::non_negative_amount(2, 2_000_000), 1..6),
    ) {
        let engine = ScriptEngine::builder().build();
        let source = script_for(&table);
        let script = engine
            .compile(RuleId::new("generated").unwrap(), &source, ScriptContext::Commission)
            .unwrap_or_else(|e| panic!("{e}\n{source}"));
        for amount in amounts {
            let native = table.compute(amount).unwrap();
            let scripted = script.evaluate_commission(amount, Decimal::ZERO, &NoMetrics).unwrap();
            prop_assert_eq!(scripted, ScriptValue::Amount(native), "{} at {}", source, amount);
        }
    }
}

fn incentive_program() -> perfpay::incentive::IncentiveProgram {
    use perfpay::incentive::{
        AwardSpec, Catalog, Compare, EventKind, IncentiveRule, Once, Operand, Test, Trigger,
    };
    let rules = vec![
        IncentiveRule::new(
            RuleId::new("course").unwrap(),
            Trigger::Event {
                kind: EventKind::TrainingCompleted,
                subject: None,
                tests: vec![],
            },
            AwardSpec::Cash(Decimal::from(300)),
        )
        .once(Once::PerEvent)
        .max_per_period(4)
        .cash_cap_per_period(Decimal::from(1000)),
        IncentiveRule::new(
            RuleId::new("first-goal").unwrap(),
            Trigger::Event {
                kind: EventKind::GoalAchieved,
                subject: None,
                tests: vec![],
            },
            AwardSpec::Points(Decimal::from(50)),
        ),
        IncentiveRule::new(
            RuleId::new("top-three").unwrap(),
            Trigger::Outcome(vec![Test::Compare(
                Operand::Rank,
                Compare::AtMost,
                Decimal::from(3),
            )]),
            AwardSpec::Honour("Top three".into()),
        ),
    ];
    perfpay::incentive::IncentiveProgram::new(rules, &Catalog::default(), RoundingPolicy::cents()).unwrap()
}

fn events_strategy() -> impl Strategy<Value = Vec<perfpay::incentive::Event>> {
    use perfpay::NaiveDate;
    use perfpay::id::EventId;
    use perfpay::incentive::{Event, EventKind};
    proptest::collection::vec((0u32..12, 1u32..=30, any::<bool>()), 0..12).prop_map(|raw| {
        raw.into_iter()
            .map(|(id, day, goal)| {
                let kind = if goal {
                    EventKind::GoalAchieved
                } else {
                    EventKind::TrainingCompleted
                };
                Event::new(
                    EventId::new(format!("ev{id}")).unwrap(),
                    EmployeeId::new("li").unwrap(),
                    kind,
                    NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
                )
            })
            .collect()
    })
}

fn award_summary(awards: &[perfpay::Award]) -> Vec<(String, perfpay::incentive::AwardKind)> {
    awards
        .iter()
        .map(|a| (a.key.to_string(), a.kind.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

    /// The same events in any order give the same awards.
    #[test]
    fn prop_awards_independent_of_event_order(
        events in events_strategy(),
        rank in 1usize..6,
        seed in any::<u64>(),
    ) {
        // events with the same id must be the same event; keep the first of each id
        let mut unique: Vec<perfpay::incentive::Event> = Vec::new();
        for e in events {
            if !unique.iter().any(|u| u.id == e.id) {
                unique.push(e);
            }
        }
        let mut shuffled = unique.clone();
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let program = incentive_program();
        let (employee, period) = (EmployeeId::new("li").unwrap(), perfpay::Period::month(2026, 11).unwrap());
        let facts = perfpay::incentive::Facts { rank: Some(rank), ..Default::default() };
        let granted = std::collections::BTreeSet::new();
        let input = |events: &[perfpay::incentive::Event]| {
            program
                .evaluate(&perfpay::incentive::IncentiveInput { employee: &employee, period: &period, facts: &facts, events, granted: &granted })
                .unwrap()
        };
        prop_assert_eq!(award_summary(&input(&unique)), award_summary(&input(&shuffled)));
    }

    /// Running a period again with the keys already granted grants nothing,
    /// and the union of both runs equals one run.
    #[test]
    fn prop_reevaluation_is_idempotent(events in events_strategy(), rank in 1usize..6) {
        let program = incentive_program();
        let (employee, period) = (EmployeeId::new("li").unwrap(), perfpay::Period::month(2026, 11).unwrap());
        let facts = perfpay::incentive::Facts { rank: Some(rank), ..Default::default() };
        let mut granted = std::collections::BTreeSet::new();
        let first = program
            .evaluate(&perfpay::incentive::IncentiveInput { employee: &employee, period: &period, facts: &facts, events: &events, granted: &granted })
            .unwrap();
        let keys: std::collections::BTreeSet<_> = first.iter().map(|a| a.key.clone()).collect();
        prop_assert_eq!(keys.len(), first.len(), "keys are unique within a run");
        granted.extend(keys);
        let second = program
            .evaluate(&perfpay::incentive::IncentiveInput { employee: &employee, period: &period, facts: &facts, events: &events, granted: &granted })
            .unwrap();
        prop_assert!(second.is_empty(), "{:?}", award_summary(&second));
    }

    /// Whatever sequence of credits, redemptions, days off, clawbacks and
    /// expiries is attempted, the balance never goes negative, a refused
    /// movement records nothing, and the balance is the sum of movements.
    #[test]
    fn prop_ledger_balance_never_negative(ops in proptest::collection::vec((0u8..5, 1i64..500), 1..40)) {
        use perfpay::NaiveDate;
        let mut ledger = perfpay::incentive::PointsLedger::default();
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for (i, (op, n)) in ops.into_iter().enumerate() {
            let date = start + chrono::Days::new(i as u64 * 10);
            let points = Decimal::from(n);
            let before = ledger.movements().len();
            let result = match op {
                0 | 1 => ledger.credit(date, points, "award", format!("award-{i}")),
                2 => ledger.redeem(date, points, "gift"),
                3 => ledger.redeem_days_off(date, Decimal::new(5, 1), points),
                _ => ledger.expire(date, 60).map(|_| ()),
            };
            if result.is_err() {
                prop_assert_eq!(ledger.movements().len(), before, "a refused movement records nothing");
            }
            prop_assert!(ledger.balance() >= Decimal::ZERO);
            let sum: Decimal = ledger.movements().iter().map(|m| m.points).sum();
            prop_assert_eq!(sum, ledger.balance());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

    /// A plan survives JSON and TOML round trips unchanged, whatever its
    /// tables, rounding and weights.
    #[test]
    fn prop_plan_roundtrip(
        table in testing::marginal_table(6),
        curve in testing::rising_whole_amount_table(4),
        policy in testing::rounding_policy(),
        weights in testing::weights_summing_to_one(4),
        version in 1u32..1000,
    ) {
        let mut plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap();
        plan.tiers.insert("sales".into(), table.into());
        plan.tiers.insert("generated".into(), curve.into());
        plan.rounding = Some(policy);
        // a rounding is never finer than the currency's minor unit: pay in
        // one that has the places (Kuwaiti dinar 3, Unidad de Fomento 4)
        plan.currency = match policy.scale() {
            3 => "KWD",
            4 => "CLF",
            _ => "CNY",
        }
        .into();
        plan.version = version;
        if let Some(ops) = plan.roles.get_mut(&perfpay::RoleId::new("operations").unwrap()) {
            for (item, w) in ops.scorecard.iter_mut().zip(&weights) {
                item.weight = Some((*w).into());
            }
        }
        let json = plan.to_json().unwrap();
        prop_assert_eq!(&perfpay::Plan::from_json(&json).unwrap(), &plan);
        let toml_text = toml::to_string(&plan).unwrap();
        prop_assert_eq!(&perfpay::Plan::from_toml(&toml_text).unwrap(), &plan);
        // and every generated plan compiles
        if let Err(e) = plan.compile() {
            prop_assert!(false, "{}", e);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

    /// Generated variations of the sample plan always compile.
    #[test]
    fn prop_generated_plans_compile(
        plan in testing::plan_variation(perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap()),
    ) {
        if let Err(e) = plan.compile() {
            prop_assert!(false, "{}", e);
        }
    }

    /// Generated goal trees whose children's targets add up are reported
    /// consistent, and their roll-up equals the summed progress.
    #[test]
    fn prop_generated_goal_trees_add_up(tree in testing::goal_tree(6)) {
        let report = tree.check().unwrap();
        prop_assert!(report.iter().all(|c| c.consistent && c.gap.is_closed()));
        let root = tree.progress(&GoalId::new("company").unwrap()).unwrap();
        let sum: Decimal = tree.goals().iter().skip(1).map(|g| g.current.unwrap()).sum();
        prop_assert_eq!(root.current, Some(sum));
    }

    /// Generated sales staff: every outcome explains each of its numbers and
    /// every payslip adds up.
    #[test]
    fn prop_generated_staff_outcomes_are_explained(
        staff in proptest::collection::vec(
            testing::employee_inputs("sales", &["sales", "sales_achievement", "repurchase", "teamwork"], 5),
            1..6,
        ),
    ) {
        let mut unique: Vec<perfpay::EmployeeInputs> = Vec::new();
        for s in staff {
            if !unique.iter().any(|u| u.employee == s.employee) {
                unique.push(s);
            }
        }
        for s in &mut unique {
            s.ytd = Some(perfpay::PayrollYtd::new(2026));
        }
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let outcome = perfpay::evaluate_period(&plan, &perfpay::Period::month(2026, 11).unwrap(), &unique).unwrap();
        for o in &outcome.employees {
            prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
            if let Err(v) = testing::check_outcome_explained(o) {
                prop_assert!(false, "{}", v);
            }
            if let Err(v) = testing::check_payslip(o.payslip.as_ref().unwrap(), plan.rounding()) {
                prop_assert!(false, "{}", v);
            }
        }
    }

    /// Rankings in a month close are the competition ranks of `rank` over
    /// each role's scores: ties share a rank and are listed by id, every
    /// employee's own rank is the one in the role's ranking, and the best
    /// of the month are exactly those ranked first.
    #[test]
    fn prop_month_close_ranks_like_rank(
        staff in proptest::collection::vec(
            prop_oneof![
                testing::employee_inputs("sales", &["sales", "sales_achievement", "repurchase", "teamwork"], 2),
                testing::employee_inputs("customer_service", &["satisfaction", "complaint_rate", "teamwork", "service_sales"], 1),
            ],
            1..12,
        ),
        copies in proptest::collection::vec(0usize..12, 12),
    ) {
        let mut unique: Vec<perfpay::EmployeeInputs> = Vec::new();
        for s in staff {
            if !unique.iter().any(|u| u.employee == s.employee) {
                unique.push(s);
            }
        }
        // ties: some employees take another one's metrics (same role)
        for (i, from) in copies.into_iter().enumerate() {
            if i < unique.len() && from < unique.len() && unique[i].role == unique[from].role {
                unique[i].metrics = unique[from].metrics.clone();
            }
        }
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let outcome = perfpay::evaluate_period(&plan, &perfpay::Period::month(2026, 11).unwrap(), &unique).unwrap();
        let mut by_role: std::collections::BTreeMap<&perfpay::RoleId, Vec<(perfpay::EmployeeId, Decimal)>> =
            Default::default();
        for o in &outcome.employees {
            if let Some(score) = o.score {
                by_role.entry(&o.role).or_default().push((o.employee.clone(), score));
            }
        }
        prop_assert_eq!(outcome.team.rankings.len(), by_role.len());
        for (role, scores) in by_role {
            let want: Vec<_> = perfpay::score::rank(&scores).unwrap().into_iter().map(|r| (r.employee, r.score, r.rank)).collect();
            prop_assert_eq!(&outcome.team.rankings[role], &want);
            let best: Vec<_> = want.iter().filter(|r| r.2 == 1).map(|r| r.0.clone()).collect();
            prop_assert_eq!(&outcome.team.best[role], &best);
            for (employee, _, rank) in &want {
                prop_assert_eq!(outcome.employee(employee).and_then(|o| o.rank), Some(*rank));
            }
        }
    }

    /// An employee's fingerprint is the SHA-256 of the plan's fingerprint,
    /// the period and the inputs exactly as `serde_json` writes them —
    /// whatever the inputs hold: odd characters in ids, decimals of any
    /// size, sign and scale, leavers, overtime, events, granted keys,
    /// adjustments, year-to-date state or none.
    #[test]
    fn prop_fingerprint_is_sha256_of_the_inputs_json(
        base in testing::employee_inputs("sales", &["sales", "sales_achievement", "repurchase", "teamwork"], 5),
        odd_id in "[a-z0-9\"\\\\é销 ]{1,8}",
        values in proptest::collection::vec(wide_decimal(), 6),
        until in proptest::option::of(0i64..400),
        overtime in proptest::collection::btree_map(
            prop_oneof![
                Just(perfpay::payroll::OvertimeKind::Workday),
                Just(perfpay::payroll::OvertimeKind::RestDay),
                Just(perfpay::payroll::OvertimeKind::Holiday),
            ],
            wide_decimal(),
            0..3,
        ),
        ytd in proptest::option::of((-3i32..3000, wide_decimal(), wide_decimal(), proptest::option::of((wide_decimal(), wide_decimal())))),
        extras in proptest::collection::vec(any::<bool>(), 4),
    ) {
        use sha2::{Digest, Sha256};
        let mut input = base;
        let start = perfpay::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        if let Ok(id) = perfpay::EmployeeId::new(format!("e{odd_id}x")) {
            input.employee = id;
        }
        if let Ok(metric) = perfpay::MetricId::new(format!("m{odd_id}x")) {
            input.metrics.insert(metric, values[0]);
        }
        input.metrics.insert(perfpay::MetricId::new("sales").unwrap(), values[1]);
        input.salary = perfpay::Timeline::new([
            (start, values[2]),
            (start + chrono::Duration::days(400), values[3]),
        ])
        .unwrap();
        input.employed_until = until.map(|d| start + chrono::Duration::days(d));
        input.attendance.overtime_hours = overtime;
        input.ytd = ytd.map(|(year, gross, base, credits)| {
            let mut y = perfpay::PayrollYtd::new(year);
            y.gross = gross;
            y.withholding.base = base;
            y.withholding.withheld = values[4];
            // commission credit, zero (and so not written) or not
            if let Some((credit, quarter)) = credits {
                y.credit = credit;
                y.quarter_credit = quarter;
                y.draw_owed = quarter;
            }
            y
        });
        if extras[0] {
            let mut event = perfpay::incentive::Event::new(
                perfpay::id::EventId::new(format!("ev{odd_id}x")).unwrap(),
                input.employee.clone(),
                perfpay::incentive::EventKind::TrainingCompleted,
                perfpay::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
            )
            .subject(format!("course {odd_id}"));
            event.values.insert(format!("hours{odd_id}"), values[5]);
            input.events.push(event);
        }
        if extras[1] {
            let key: perfpay::incentive::AwardKey = serde_json::from_value(serde_json::json!(format!("r/{odd_id}/lifetime"))).unwrap();
            input.granted.insert(key);
        }
        if extras[2] {
            input.adjustments.push(perfpay::payroll::PayItem {
                code: "ADJ-BASE".into(),
                amount: values[5],
                source: Some(format!("2026-10 correction {odd_id}").into()),
                explanation: perfpay::Explanation::money("adjustment", values[5]).text(odd_id.clone()),
            });
        }
        if extras[3] {
            let deal = perfpay::tier::Transaction::deal(
                perfpay::id::TransactionId::new(format!("t{odd_id}x")).unwrap(),
                perfpay::NaiveDate::from_ymd_opt(2026, 11, 7).unwrap(),
                values[5].abs(),
            )
            .split([(input.employee.clone(), Decimal::ONE)]);
            input.transactions.push(deal);
            let recurring = perfpay::payroll::Recurring {
                code: format!("A{odd_id}").into(),
                amount: perfpay::Timeline::constant(start, values[4]),
            };
            input.allowances.push(recurring.clone());
            input.tax_deductions.push(recurring);
            input.employment_level = Some(perfpay::Timeline::constant(start, values[5]));
            input.attendance.paid_leave_days.insert(format!("k{odd_id}"), values[4]);
            input.ratings.insert(perfpay::score::RaterSource::Peer, vec![values[4], values[5]]);
            input.ratings.insert(perfpay::score::RaterSource::Named(format!("s{odd_id}")), vec![values[5]]);
            input.check_ins.push(
                perfpay::goal::CheckIn::new(
                    perfpay::id::GoalId::new("gmv-wu").unwrap(),
                    perfpay::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(),
                    values[4],
                )
                .confidence(values[5])
                .note(odd_id.clone()),
            );
        }
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let period = perfpay::Period::month(2026, 11).unwrap();
        let outcome = perfpay::evaluate_period(&plan, &period, std::slice::from_ref(&input)).unwrap();
        let material = format!("{}\n{}\n{}", plan.fingerprint(), period, serde_json::to_string(&input).unwrap());
        let expected: String = Sha256::digest(material.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        prop_assert_eq!(&outcome.employees[0].fingerprint, &expected);
    }
}

/// Decimals of any sign, scale and size (mantissas beyond 64 bits
/// included), negative zero among them.
fn wide_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        testing::any_decimal(),
        (any::<u64>(), any::<u32>(), any::<bool>(), 0u32..=28).prop_map(|(low, high, negative, scale)| {
            let mantissa = (i128::from(high) << 64) | i128::from(low);
            Decimal::from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
        }),
        (0u32..=28).prop_map(|scale| -Decimal::new(0, scale)),
    ]
}

/// One thing done to an explanation under construction.
#[derive(Clone, Debug)]
enum Build {
    Text(String),
    Value(Decimal, perfpay::Unit),
    Input(String, Decimal, perfpay::Unit),
    /// Several text terms appended at once.
    Terms(Vec<String>),
}

fn unit() -> impl Strategy<Value = perfpay::Unit> {
    use perfpay::Unit;
    prop::sample::select(vec![
        Unit::Money,
        Unit::Rate,
        Unit::Score,
        Unit::Points,
        Unit::Days,
        Unit::Count,
        Unit::Number,
        Unit::Ratio,
    ])
}

fn build() -> impl Strategy<Value = Build> {
    prop_oneof![
        "[a-z ×+−()]{0,6}".prop_map(Build::Text),
        (testing::any_decimal(), unit()).prop_map(|(v, u)| Build::Value(v, u)),
        ("[a-z ]{1,8}", testing::any_decimal(), unit()).prop_map(|(n, v, u)| Build::Input(n, v, u)),
        prop::collection::vec("[a-z ×+−()]{0,6}", 0..4).prop_map(Build::Terms),
    ]
}

proptest! {
    /// A step stores its formula and its inputs together; whatever order they
    /// are recorded in, the formula reads back as the terms in the order they
    /// were appended, the inputs as the inputs in theirs, the statement puts
    /// the inputs after the formula, and JSON round trips.
    #[test]
    fn prop_formula_and_inputs_keep_their_own_order(
        ops in prop::collection::vec(build(), 0..12),
 ) {
        use perfpay::Explanation;
        use perfpay::explain::{Quantity, Term};
        let mut step = Explanation::money("step", Decimal::ONE);
        let mut formula: Vec<Term> = Vec::new();
        let mut inputs: Vec<(String, Quantity)> = Vec::new();
        for op in &ops {
            step = match op.clone() {
                Build::Text(t) => {
                    formula.push(Term::text(t.clone()));
                    step.text(t)
                }
                Build::Value(v, u) => {
                    formula.push(Term::value(v, u));
                    step.value(v, u)
                }
                Build::Input(n, v, u) => {
                    inputs.push((n.clone(), Quantity::new(v, u)));
                    step.input(n, v, u)
                }
                Build::Terms(texts) => {
                    formula.extend(texts.iter().map(|t| Term::text(t.clone())));
                    step.terms(texts.into_iter().map(Term::text))
                }
            };
        }
        prop_assert_eq!(step.formula(), formula.as_slice());
        let read: Vec<(String, Quantity)> = step.inputs().map(|(n, q)| (n.to_string(), q)).collect();
        prop_assert_eq!(&read, &inputs);
        prop_assert_eq!(step.inputs().len(), inputs.len());

        let cents = RoundingPolicy::cents();
        let mut expected = String::from("step 1.00");
        if !formula.is_empty() {
            expected.push_str(" = ");
            for term in &formula {
                match (term.as_text(), term.quantity()) {
                    (Some(t), _) => expected.push_str(t),
                    (None, Some(q)) => expected.push_str(&q.render(&cents)),
                    (None, None) => unreachable!(),
                }
            }
        }
        if !inputs.is_empty() {
            let listed: Vec<String> = inputs.iter().map(|(n, q)| format!("{n} = {}", q.render(&cents))).collect();
            expected.push_str(&format!(" ({})", listed.join(", ")));
        }
        prop_assert_eq!(step.statement(&cents), expected);

        let json = serde_json::to_string(&step).unwrap();
        let back: Explanation = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &step);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}

/// A formula read as arithmetic: its values, and the operators and
/// parentheses in its text. Words are annotations (`gross`, `working days`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Token {
    Num(Decimal),
    Op(char),
    Open,
    Close,
}

/// The tokens of an arithmetic formula; `None` for a formula that states
/// something other than a computation (a comparison, a rule's name, a band
/// reached) or computes nothing.
fn arithmetic(formula: &[perfpay::explain::Term]) -> Option<Vec<Token>> {
    use perfpay::locale::Locale;
    let english = Locale::english();
    let mut tokens = Vec::new();
    let mut terms = formula.iter();
    while let Some(term) = terms.next() {
        // words as an English reader reads them: a message with its
        // arguments is words as a whole
        let text = match (term.as_text(), term.message(), term.quantity()) {
            (_, _, Some(q)) => {
                tokens.push(Token::Num(q.value));
                continue;
            }
            (Some(text), _, _) => text.to_owned(),
            (None, Some(message), None) => {
                let args: Vec<std::borrow::Cow<'_, str>> = terms
                    .by_ref()
                    .take(message.args().len())
                    .map(|a| match (a.as_text(), a.quantity()) {
                        (Some(t), _) => t.to_owned().into(),
                        (None, Some(q)) => q.render(&RoundingPolicy::cents()).into(),
                        (None, None) => "".into(),
                    })
                    .collect();
                let mut text = String::new();
                english.write_with(&mut text, message, &args);
                text
            }
            (None, None, None) => return None,
        };
        for c in text.chars() {
            match c {
                '+' | '−' | '×' | '/' => tokens.push(Token::Op(c)),
                '(' => tokens.push(Token::Open),
                ')' => tokens.push(Token::Close),
                '=' | '≥' | '≤' | '<' | '>' | ':' => return None,
                _ => {}
            }
        }
    }
    // parentheses around words only, such as "(employee)", annotate
    while let Some(at) = tokens.windows(2).position(|w| w == [Token::Open, Token::Close]) {
        tokens.drain(at..at + 2);
    }
    tokens.iter().any(|t| matches!(t, Token::Op(_))).then_some(tokens)
}

/// Evaluates tokens with the usual precedence; `None` when they do not
/// form an expression (a value in parentheses after another, say).
fn evaluate(tokens: &[Token]) -> Option<Decimal> {
    type Level = fn(&[Token], &mut usize) -> Option<Decimal>;
    /// One precedence level: operands of the next level joined by `ops`.
    fn level(t: &[Token], at: &mut usize, ops: [char; 2], next: Level) -> Option<Decimal> {
        let mut value = next(t, at)?;
        while let Some(&Token::Op(op)) = t
            .get(*at)
            .filter(|t| matches!(t, Token::Op(o) if ops.contains(o)))
        {
            *at += 1;
            let rhs = next(t, at)?;
            value = match op {
                '+' => value.checked_add(rhs)?,
                '−' => value.checked_sub(rhs)?,
                '×' => value.checked_mul(rhs)?,
                _ => value.checked_div(rhs)?,
            };
        }
        Some(value)
    }
    fn sum(t: &[Token], at: &mut usize) -> Option<Decimal> {
        level(t, at, ['+', '−'], product)
    }
    fn product(t: &[Token], at: &mut usize) -> Option<Decimal> {
        level(t, at, ['×', '/'], atom)
    }
    fn atom(t: &[Token], at: &mut usize) -> Option<Decimal> {
        match *t.get(*at)? {
            Token::Num(v) => {
                *at += 1;
                Some(v)
            }
            Token::Open => {
                *at += 1;
                let v = sum(t, at)?;
                (t.get(*at) == Some(&Token::Close)).then(|| *at += 1)?;
                Some(v)
            }
            Token::Op('−') => {
                *at += 1;
                Some(-atom(t, at)?)
            }
            _ => None,
        }
    }
    let mut at = 0;
    let value = sum(tokens, &mut at)?;
    (at == tokens.len()).then_some(value)
}

/// Every step of `tree` whose formula is arithmetic: (statement, what the
/// formula computes, the step's result).
fn computations(tree: &perfpay::Explanation) -> Vec<(String, Decimal, Decimal)> {
    tree.steps()
        .filter_map(|step| {
            let computed = evaluate(&arithmetic(step.formula())?)?;
            Some((step.statement(&RoundingPolicy::cents()), computed, step.result()))
        })
        .collect()
}

#[test]
fn the_formula_reader_reads_what_the_statements_say() {
    use perfpay::{Explanation, Unit};
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let curve = Explanation::new("conversion", d("111.40"), Unit::Score)
        .value(d("100"), Unit::Score)
        .text(" + (")
        .value(d("0.0357"), Unit::Number)
        .text(" − ")
        .value(d("0.03"), Unit::Number)
        .text(") × (")
        .value(d("120"), Unit::Score)
        .text(" − ")
        .value(d("100"), Unit::Score)
        .text(") / (")
        .value(d("0.04"), Unit::Number)
        .text(" − ")
        .value(d("0.03"), Unit::Number)
        .text("), target to stretch");
    assert_eq!(computations(&curve)[0].1, d("111.4"));
    let pension = Explanation::money("PENSION", d("1155.75"))
        .value(d("14446.83"), Unit::Money)
        .text(" × ")
        .value(d("0.08"), Unit::Rate)
        .text(" (employee)");
    assert_eq!(computations(&pension)[0].1, d("1155.7464"));
    // statements that compute nothing are not read
    let grade = Explanation::new("grade coefficient", d("1"), Unit::Number)
        .text("grade B: score ")
        .value(d("87.32"), Unit::Score)
        .text(" ≥ ")
        .value(d("80"), Unit::Score);
    let band = Explanation::new("optimisations", d("60"), Unit::Score)
        .text("band ")
        .value(d("2"), Unit::Number)
        .text(" reached");
    assert!(computations(&grade).is_empty() && computations(&band).is_empty());
}

proptest! {
    // each case evaluates a month of 256 to 259 employees four times
    #![proptest_config(ProptestConfig::with_cases(crate::cases(24)))]

    /// Evaluating on every core changes nothing: a month of copies of a
    /// generated shop (at least 256 employees, so the work is split between
    /// workers in tasks of 128) gives the same JSON bytes on a pool of one
    /// worker (where the work stays on the thread that calls the
    /// evaluation) and of four, explained and numbers only.
    #[cfg(feature = "parallel")]
    #[test]
    fn prop_parallel_equals_sequential(unique in shop_month()) {
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let nov = perfpay::Period::month(2026, 11).unwrap();
        let mut month = Vec::new();
        for copy in 0..256usize.div_ceil(unique.len().max(1)) {
            for input in &unique {
                let mut input = input.clone();
                input.employee = perfpay::EmployeeId::new(format!("{}-{copy}", input.employee)).unwrap();
                month.push(input);
            }
        }
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                (
                    perfpay::evaluate_period(&plan, &nov, &month).unwrap().to_json().unwrap(),
                    serde_json::to_string(&perfpay::evaluate_numbers(&plan, &nov, &month).unwrap()).unwrap(),
                )
            })
        };
        let (one, four) = (on(1), on(4));
        prop_assert!(one.0 == four.0, "explained outcomes differ");
        prop_assert!(one.1 == four.1, "numbers differ");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(64)))]

    /// The order employees are listed in changes nothing: a generated
    /// month listed in employee order (checked in one pass), in reverse and
    /// as generated (both sorted first) gives the same JSON bytes,
    /// explained and numbers only, and the same figures and findings for
    /// diagnostics.
    #[test]
    fn prop_listing_order_changes_nothing(unique in shop_month()) {
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let nov = perfpay::Period::month(2026, 11).unwrap();
        let mut in_order = unique.clone();
        in_order.sort_by(|a, b| a.employee.cmp(&b.employee));
        let mut reversed = in_order.clone();
        reversed.reverse();
        let json = |staff: &[perfpay::EmployeeInputs]| {
            (
                perfpay::evaluate_period(&plan, &nov, staff).unwrap().to_json().unwrap(),
                serde_json::to_string(&perfpay::evaluate_numbers(&plan, &nov, staff).unwrap()).unwrap(),
            )
        };
        let want = json(&in_order);
        prop_assert!(json(&reversed) == want, "reversed differs");
        prop_assert!(json(&unique) == want, "as generated differs");
        // the figures diagnostics read pair each outcome with its inputs in
        // any listing (by place when in order, by id otherwise)
        let outcome = perfpay::evaluate_numbers(&plan, &nov, &in_order).unwrap();
        let achievement = perfpay::MetricId::new("conversion_achievement").unwrap();
        let stats = outcome.role_stats(&in_order, Some(&achievement));
        prop_assert_eq!(&outcome.role_stats(&reversed, Some(&achievement)), &stats);
        prop_assert_eq!(&outcome.role_stats(&unique, Some(&achievement)), &stats);
        // inputs in order that do not line up with the outcomes (the
        // first left out) are read by id as a listing out of order is
        let shifted = &in_order[1..];
        let mut shifted_reversed = shifted.to_vec();
        shifted_reversed.reverse();
        prop_assert_eq!(
            outcome.role_stats(shifted, Some(&achievement)),
            outcome.role_stats(&shifted_reversed, Some(&achievement))
        );
        let findings = outcome.diagnose(&plan, &in_order).unwrap();
        prop_assert_eq!(outcome.diagnose(&plan, &reversed).unwrap(), findings);
    }
}

proptest! {
    /// A period evaluated in shards and merged is the period evaluated
    /// whole, byte for byte: the sample shop's roles put in up to three
    /// shards at random (a role never split), each shard sent as JSON to
    /// its worker, the outcomes merged in reverse order. The sample plan's
    /// goal tree rolls up across shards.
    #[test]
    fn prop_shards_merge_to_whole(unique in shop_month(), keys in proptest::collection::vec(0u8..3, 3)) {
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let nov = perfpay::Period::month(2026, 11).unwrap();
        let whole = perfpay::evaluate_period(&plan, &nov, &unique).unwrap();
        let roles = ["operations", "sales", "customer_service"];
        let key = |e: &perfpay::EmployeeInputs| {
            let at = roles.iter().position(|r| *r == e.role.as_str()).unwrap_or(0);
            format!("shard-{}", keys[at])
        };
        let sharding = perfpay::shard::cut(&plan, &nov, &unique, key).unwrap();
        let mut parts = Vec::new();
        for shard in &sharding.shards {
            let sent: perfpay::shard::Shard = serde_json::from_str(&serde_json::to_string(shard).unwrap()).unwrap();
            parts.push(sent.evaluate(&plan).unwrap());
        }
        parts.reverse();
        let merged = sharding.merge(parts).unwrap();
        prop_assert!(merged.to_json().unwrap() == whole.to_json().unwrap(), "merged differs from whole");
    }

    /// A payroll journal balances: under the sample plan's chart, every
    /// month's debits equal its credits, in total and per employee, to the
    /// cent; the salary expenses hold gross plus the employer's costs,
    /// salaries payable nets to zero once net pay is paid, and the bank pays
    /// exactly the payslips' net.
    #[test]
    fn prop_journal_balances(unique in shop_month()) {
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let outcome = perfpay::evaluate_period(&plan, &perfpay::Period::month(2026, 11).unwrap(), &unique).unwrap();
        let chart = plan.chart().unwrap();
        let journal = outcome.journal(chart).unwrap();
        let (debits, credits) = journal.totals().unwrap();
        prop_assert_eq!(debits, credits);
        let slips: Vec<_> = outcome.employees.iter().filter_map(|o| o.payslip.as_ref()).collect();
        for slip in &slips {
            let (d, c) = journal.entries.iter().filter(|e| e.employee.as_ref() == Some(&slip.employee)).fold(
                (Decimal::ZERO, Decimal::ZERO),
                |(d, c), e| (d + e.debit, c + e.credit),
            );
            prop_assert_eq!(d, c, "{}", slip.employee);
        }
        let sum = |f: fn(&perfpay::payroll::Payslip) -> Decimal| slips.iter().map(|s| f(s)).sum::<Decimal>();
        let balances = journal.balances().unwrap();
        let expenses: Decimal = balances.iter().filter(|(a, _)| a.starts_with("66")).map(|(_, b)| *b).sum();
        let (gross, net, deductions, employer) = (sum(|s| s.gross), sum(|s| s.net), sum(|s| s.deductions), sum(|s| s.employer_cost));
        // the salary expenses are gross and the employer's costs; a
        // lateness penalty kept from pay is other income
        let lateness: Decimal = slips.iter().flat_map(|s| &s.lines).filter(|l| l.code == "LATENESS").map(|l| l.amount).sum();
        prop_assert_eq!(expenses, gross + employer);
        // the salary expenses without the employer's social insurance are
        // the payslips' gross, to the cent
        let employer_account = balances.get("6602.10 social insurance").copied().unwrap_or_default();
        prop_assert_eq!(expenses - employer_account, gross);
        prop_assert_eq!(balances.get("6301 other income").copied().unwrap_or_default(), -lateness);
        prop_assert_eq!(balances.get("2211 salaries payable").copied().unwrap_or_default(), Decimal::ZERO);
        prop_assert_eq!(balances.get("1002 bank").copied().unwrap_or_default(), -net);
        let liabilities: Decimal = balances.iter().filter(|(a, _)| a.starts_with("22")).map(|(_, b)| *b).sum();
        prop_assert_eq!(liabilities, -(deductions - lateness + employer));
        // summed per account and cost centre, the same books
        let summed = journal.per_account().unwrap();
        prop_assert_eq!(summed.totals().unwrap(), (debits, credits));
        prop_assert_eq!(summed.balances().unwrap(), balances);
    }

    /// Every formula of a month's outcome that is a computation — values
    /// joined by +, −, ×, / and parentheses, words between them — computes
    /// its step's result, to within half a cent (the sample plan rounds money
    /// to cents): a statement never shows arithmetic that gives another
    /// number than the one it explains.
    #[test]
    fn prop_month_close_formulas_compute_their_results(unique in shop_month()) {
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let outcome = perfpay::evaluate_period(&plan, &perfpay::Period::month(2026, 11).unwrap(), &unique).unwrap();
        let half_cent = Decimal::new(5, 3);
        let mut checked = 0;
        for o in &outcome.employees {
            prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
            let mut trees = vec![&o.explanation];
            trees.extend(o.awards.iter().map(|a| &a.explanation));
            trees.extend(o.payslip.iter().flat_map(|p| p.lines.iter().map(|l| &l.explanation)));
            for tree in trees {
                for (statement, computed, result) in computations(tree) {
                    prop_assert!((computed - result).abs() <= half_cent, "{statement} computes {computed}");
                    checked += 1;
                }
            }
        }
        // most of a month is arithmetic: the law is not vacuous
        prop_assert!(checked >= 8 * outcome.employees.len(), "only {checked} computations read");
    }

    /// A month evaluated without explanations has every number of the
    /// month evaluated with them — scores, grades, ranks, commissions,
    /// awards, every pay line, the team stage — and nothing recorded:
    /// recording never changes a number.
    #[test]
    fn prop_numbers_are_the_explained_numbers(unique in shop_month()) {
        let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap().compile().unwrap();
        let nov = perfpay::Period::month(2026, 11).unwrap();
        let explained = perfpay::evaluate_period(&plan, &nov, &unique).unwrap();
        let numbers = perfpay::evaluate_numbers(&plan, &nov, &unique).unwrap();
        for o in &numbers.employees {
            prop_assert!(!o.explanation.is_recorded() && o.fingerprint.is_empty());
            for line in o.payslip.iter().flat_map(|p| &p.lines) {
                prop_assert!(!line.explanation.is_recorded(), "{} recorded", line.code);
            }
        }
        // the numbers mode makes no distances to the next reward (they are
        // for people to read); every other number is the same
        prop_assert!(numbers.employees.iter().all(|o| o.next.is_empty()));
        let (mut want, mut got) = (serde_json::to_value(&explained).unwrap(), serde_json::to_value(&numbers).unwrap());
        for o in want["employees"].as_array_mut().unwrap() {
            o.as_object_mut().unwrap().remove("next");
        }
        numbers_only(&mut want);
        numbers_only(&mut got);
        prop_assert_eq!(got, want);
    }
}

/// A month of the sample shop: staff in all three roles, shop-sized sales,
/// a year-to-date state, and (sometimes) a raise in the middle of the month.
fn shop_month() -> impl Strategy<Value = Vec<perfpay::EmployeeInputs>> {
    (
        proptest::collection::vec(
            prop_oneof![
                testing::employee_inputs(
                    "operations",
                    &[
                        "conversion",
                        "repurchase",
                        "optimisations",
                        "teamwork",
                        "conversion_achievement"
                    ],
                    2
                ),
                testing::employee_inputs(
                    "sales",
                    &["sales", "sales_achievement", "repurchase", "teamwork"],
                    2
                ),
                testing::employee_inputs(
                    "customer_service",
                    &["satisfaction", "complaint_rate", "teamwork", "service_sales"],
                    1
                ),
            ],
            1..8,
        ),
        0i64..300_000,
        proptest::option::of((2u32..28, 0i64..500_000)),
    )
        .prop_map(|(staff, sales_scale, raise)| {
            let mut unique: Vec<perfpay::EmployeeInputs> = Vec::new();
            for mut s in staff {
                if unique.iter().any(|u| u.employee == s.employee) {
                    continue;
                }
                for metric in ["sales", "service_sales"] {
                    if let Some(v) = s.metrics.get_mut(&MetricId::new(metric).unwrap()) {
                        *v *= Decimal::from(sales_scale);
                    }
                }
                s.ytd = Some(perfpay::PayrollYtd::new(2026));
                if let Some((day, extra)) = raise {
                    let base = s
                        .salary
                        .value_on(perfpay::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())
                        .copied()
                        .unwrap();
                    s.salary = perfpay::Timeline::new([
                        (perfpay::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), base),
                        (
                            perfpay::NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
                            base + Decimal::new(extra, 2),
                        ),
                    ])
                    .unwrap();
                }
                unique.push(s);
            }
            unique
        })
}

/// `value` without its explanations and fingerprints.
fn numbers_only(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("explanation");
            map.remove("fingerprint");
            map.values_mut().for_each(numbers_only);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(numbers_only),
        _ => {}
    }
}

/// A scorecard whose weights have 28 decimal places (split exactly from
/// random integers, so they sum to 1 with a last-digit remainder).
fn fine_scorecard(max_items: usize) -> impl Strategy<Value = perfpay::score::Scorecard> {
    (1..=max_items).prop_flat_map(|n| {
        let kpis: Vec<_> = (0..n).map(testing::linear_kpi).collect();
        (kpis, proptest::collection::vec(1i64..=1_000, n)).prop_map(|(kpis, raw)| {
            let raw: Vec<Decimal> = raw.into_iter().map(Decimal::from).collect();
            let fine = perfpay::RoundingPolicy::new(28, perfpay::money::RoundingMode::TowardZero).unwrap();
            let weights = perfpay::money::allocate(Decimal::ONE, &raw, fine).unwrap();
            kpis.into_iter()
                .zip(weights)
                .fold(perfpay::score::Scorecard::builder("fine"), |card, (kpi, w)| {
                    card.item(kpi, w)
                })
                .build()
                .unwrap()
        })
    })
}

/// A scorecard of KPIs that score their metric as it is, with 28-place
/// weights, and metric values that are often all the same (the case where
/// the range is a single point and any last-digit error leaves it).
fn equal_items_fine_weights(
    max_items: usize,
) -> impl Strategy<Value = (perfpay::score::Scorecard, Vec<i64>)> {
    (1..=max_items).prop_flat_map(move |n| {
        let same = (0i64..=20_000).prop_map(move |v| vec![v; 6]);
        let any = proptest::collection::vec(0i64..=20_000, 6);
        (proptest::collection::vec(1i64..=1_000, n), prop_oneof![same, any]).prop_map(move |(raw, values)| {
            let raw: Vec<Decimal> = raw.into_iter().map(Decimal::from).collect();
            let fine = perfpay::RoundingPolicy::new(28, perfpay::money::RoundingMode::TowardZero).unwrap();
            let weights = perfpay::money::allocate(Decimal::ONE, &raw, fine).unwrap();
            let card = weights
                .into_iter()
                .enumerate()
                .fold(perfpay::score::Scorecard::builder("identity"), |card, (i, w)| {
                    let kpi = perfpay::score::Kpi::custom(
                        MetricId::new(format!("m{i}")).unwrap(),
                        Direction::HigherIsBetter,
                        std::sync::Arc::new(|ctx: &perfpay::score::KpiContext<'_>| Ok(ctx.value)),
                    );
                    card.item(kpi, w)
                })
                .build()
                .unwrap();
            (card, values)
        })
    })
}

/// A plan whose one role's commission counts from the year's start, on
/// marginal tiers from `tiers` (bound in thousands, rate in whole percent).
fn carried_plan(tiers: &[(u32, u32)]) -> perfpay::CompiledPlan {
    let tiers: Vec<String> = tiers
        .iter()
        .map(|(from, pct)| format!(r#"{{ from = "{}", rate = "0.{pct:02}" }}"#, from * 1000))
        .collect();
    let text = format!(
        r#"
id = "carry"
version = 1
effective = "2026-01-01"
currency = "CNY"
metrics = ["sales"]

[tiers.t]
mode = "marginal"
tiers = [{}]

[roles.am.commission]
on = "sales"
table = "t"
carry = "year"
"#,
        tiers.join(", ")
    );
    perfpay::Plan::from_toml(&text).unwrap().compile().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(128)))]

    /// Paying a year month by month with attainment carried from the
    /// year's start — each month's year-to-date state the one the month
    /// before left — pays what the year's total pays at once, for marginal
    /// tiers (whole-percent rates on whole amounts: every month exact to
    /// the cent, so rounding has nothing to hide).
    #[test]
    fn prop_carried_attainment_equals_whole_year(
        steps in proptest::collection::vec((1u32..60, 1u32..10), 0..4),
        first_rate in 1u32..10,
        sales in proptest::collection::vec(0u32..80_000, 12),
    ) {
        // bounds strictly rising from 0, in thousands
        let mut tiers = vec![(0u32, first_rate)];
        for (gap, rate) in steps {
            let from = tiers.last().map_or(0, |t| t.0) + gap;
            tiers.push((from, rate));
        }
        let plan = carried_plan(&tiers);
        let employee = EmployeeId::new("am-1").unwrap();
        let since = perfpay::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let mut ytd = perfpay::PayrollYtd::new(2026);
        let mut paid = Decimal::ZERO;
        for (month, s) in (1..=12).zip(&sales) {
            let period = perfpay::Period::month(2026, month).unwrap();
            let input = perfpay::EmployeeInputs::new(
                employee.clone(),
                perfpay::RoleId::new("am").unwrap(),
                perfpay::Timeline::constant(since, Decimal::ZERO),
            )
            .with_metrics([(MetricId::new("sales").unwrap(), Decimal::from(*s))])
            .with_ytd(ytd);
            let outcome = perfpay::evaluate_period(&plan, &period, &[input]).unwrap();
            let o = &outcome.employees[0];
            prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
            paid += o.commission.unwrap();
            ytd = o.payslip.as_ref().unwrap().ytd;
        }
        let total: u32 = sales.iter().sum();
        let table = perfpay::tier::TierTable::marginal(
            tiers.iter().map(|(from, pct)| perfpay::tier::Tier::rate(Decimal::from(*from * 1000), Decimal::new(i64::from(*pct), 2))),
        )
        .unwrap();
        prop_assert_eq!(ytd.credit, Decimal::from(total));
        prop_assert_eq!(paid, table.compute(Decimal::from(total)).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

    /// A transaction's credit split among employees adds up to its amount
    /// exactly, whatever the shares (summing to 1).
    #[test]
    fn prop_transaction_split_sums_to_credit(
        amount in testing::non_negative_amount(2, 10_000_000),
        shares in (1usize..7).prop_flat_map(testing::weights_summing_to_one),
    ) {
        let employees: Vec<EmployeeId> =
            (0..shares.len()).map(|i| EmployeeId::new(format!("e{i}")).unwrap()).collect();
        let deal = perfpay::tier::Transaction::deal(
            perfpay::id::TransactionId::new("t").unwrap(),
            perfpay::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            amount,
        )
        .split(employees.iter().cloned().zip(shares.iter().copied()));
        let mut total = Decimal::ZERO;
        for e in &employees {
            total += deal.credit_of(e).unwrap();
        }
        prop_assert_eq!(total, amount);
    }

    /// A refund reverses exactly what its deal paid: in the same month
    /// (the deal's payout, found by the engine) and in a later one (the
    /// payout the earlier outcome reported, given back as `paid`) — the
    /// clawback line is its negative, to the cent.
    #[test]
    fn prop_refund_reverses_exactly(
        amounts in proptest::collection::vec(1i64..8_000_000, 1..7),
        pick in any::<prop::sample::Index>(),
    ) {
        use perfpay::tier::Transaction;
        let plan = transactions_plan();
        let day = |m: u32, d: u32| perfpay::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let id = |s: String| perfpay::id::TransactionId::new(s).unwrap();
        let deals = october_deals(&amounts);
        let k = pick.index(deals.len());
        let refund = |paid: Option<Decimal>| Transaction {
            refunds: Some(deals[k].id.clone()),
            paid,
            ..Transaction::deal(id("R".into()), day(10, 28), deals[k].amount)
        };
        let close = |month: u32, transactions: Vec<Transaction>| close_closer(&plan, month, transactions);
        let clawback = |o: &perfpay::EmployeeOutcome| {
            o.payslip.as_ref().unwrap().lines.iter().find(|l| &*l.code == "CLAWBACK").unwrap().amount
        };
        // October pays the deals
        let october = close(10, deals.clone());
        let paid = october.employees[0].deals[k].amount;
        // the same month with the refund: exactly that payout, back
        let mut with_refund = deals.clone();
        with_refund.push(refund(None));
        let same = close(10, with_refund);
        prop_assert_eq!(clawback(&same.employees[0]), -paid);
        prop_assert_eq!(same.employees[0].commission, october.employees[0].commission);
        // November refunds an October deal with what October reported
        let mut later = refund(Some(paid));
        later.date = day(11, 5);
        let november = close(11, vec![later]);
        prop_assert_eq!(clawback(&november.employees[0]), -paid);
        prop_assert_eq!(november.employees[0].deals[0].amount, -paid);
    }

    /// Partial refunds add up: a deal refunded in parts — some in its own
    /// month, the rest a month later with what is still paid and what was
    /// refunded before — claws back exactly what it paid, whatever the
    /// parts; each clawback is at least 0 and at most what is still paid,
    /// and within a cent per refund so far of its proportional share.
    #[test]
    fn prop_partial_refunds_add_up_to_the_deal(
        amounts in proptest::collection::vec(1i64..8_000_000, 1..5),
        pick in any::<prop::sample::Index>(),
        cuts in proptest::collection::vec(1u32..1_000, 1..5),
        same_month in 0usize..5,
    ) {
        use perfpay::tier::Transaction;
        let plan = transactions_plan();
        let day = |m: u32, d: u32| perfpay::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let id = |s: String| perfpay::id::TransactionId::new(s).unwrap();
        let deals = october_deals(&amounts);
        let deal = &deals[pick.index(deals.len())];
        // the deal's amount in parts of whole cents, proportional to `cuts`
        let cents = i64::try_from(deal.amount.mantissa()).unwrap();
        let weight: i64 = cuts.iter().map(|c| i64::from(*c)).sum();
        let mut parts: Vec<Decimal> = cuts.iter().map(|c| Decimal::new(cents * i64::from(*c) / weight, 2)).collect();
        let rest = deal.amount - parts.iter().copied().sum::<Decimal>();
        *parts.last_mut().unwrap() += rest;
        parts.retain(|p| !p.is_zero());
        let close = |month: u32, transactions: Vec<Transaction>| close_closer(&plan, month, transactions);
        let refund = |n: usize, month: u32, part: Decimal| {
            Transaction::refund_of(deal, id(format!("R-{n}")), day(month, 20 + n as u32), part)
        };
        let split = same_month.min(parts.len());
        let mut october = deals.clone();
        october.extend(parts[..split].iter().enumerate().map(|(n, p)| refund(n, 10, *p)));
        let october = close(10, october);
        let o = &october.employees[0];
        prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
        let paid = o.deals.iter().find(|d| d.transaction == deal.id).unwrap().amount;
        let mut clawed: Vec<Decimal> = o.deals.iter().filter(|d| d.refunds.is_some()).map(|d| -d.amount).collect();
        if split < parts.len() {
            // November: what October left, given back as the host would
            let still = paid - clawed.iter().copied().sum::<Decimal>();
            let before: Decimal = parts[..split].iter().copied().sum();
            let november: Vec<Transaction> = parts[split..]
                .iter()
                .enumerate()
                .map(|(n, p)| Transaction {
                    paid: Some(still),
                    refunded: (!before.is_zero()).then_some(before),
                    ..refund(n, 11, *p)
                })
                .collect();
            let november = close(11, november);
            let n = &november.employees[0];
            prop_assert!(n.errors.is_empty(), "{:?}", n.errors);
            clawed.extend(n.deals.iter().map(|d| -d.amount));
        }
        prop_assert_eq!(clawed.len(), parts.len());
        prop_assert_eq!(clawed.iter().copied().sum::<Decimal>(), paid);
        let mut still = paid;
        for (k, (back, part)) in clawed.iter().zip(&parts).enumerate() {
            prop_assert!(*back >= Decimal::ZERO && *back <= still, "{back} of {still}");
            let share = paid * part / deal.amount;
            let slack = Decimal::new(1 + k as i64, 2);
            prop_assert!((*back - share).abs() <= slack, "{back} against {share}");
            still -= back;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(128)))]

    /// Month by month under a draw, each month's year-to-date state the
    /// one the month before left: a non-recoverable draw is never owed and
    /// always pays at least the draw; a recoverable draw's balance never
    /// goes below zero, and what the year paid is what it earned plus what
    /// is still owed (advances are recovered, never lost or doubled).
    #[test]
    fn prop_draw_balance_never_below_zero_for_non_recoverable(
        sales in proptest::collection::vec(0u32..200_000, 12),
        limit in proptest::option::of(1u32..3_000),
    ) {
        let text = include_str!("../examples/rules/draws/plan.toml").replace(
            r#"recovery_limit = "1000""#,
            &limit.map_or(String::from(r#"recovery_limit = "100000""#), |l| format!(r#"recovery_limit = "{l}""#)),
        );
        let plan = perfpay::Plan::from_toml(&text).unwrap().compile().unwrap();
        let since = perfpay::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        for role in ["new_rep", "senior_rep"] {
            let mut ytd = perfpay::PayrollYtd::new(2026);
            let (mut paid, mut earned) = (Decimal::ZERO, Decimal::ZERO);
            for (month, s) in (1..=12).zip(&sales) {
                let input = perfpay::EmployeeInputs::new(
                    EmployeeId::new("rep").unwrap(),
                    perfpay::RoleId::new(role).unwrap(),
                    perfpay::Timeline::constant(since, Decimal::ZERO),
                )
                .with_metrics([(MetricId::new("sales").unwrap(), Decimal::from(*s))])
                .with_ytd(ytd);
                let period = perfpay::Period::month(2026, month).unwrap();
                let outcome = perfpay::evaluate_period(&plan, &period, &[input]).unwrap();
                let o = &outcome.employees[0];
                prop_assert!(o.errors.is_empty(), "{:?}", o.errors);
                let slip = o.payslip.as_ref().unwrap();
                earned += o.commission.unwrap();
                paid += slip.gross;
                ytd = slip.ytd;
                prop_assert!(ytd.draw_owed >= Decimal::ZERO);
                if role == "senior_rep" {
                    prop_assert_eq!(ytd.draw_owed, Decimal::ZERO);
                    prop_assert!(slip.gross >= Decimal::from(2_000));
                } else {
                    prop_assert!(slip.gross >= Decimal::from(3_000));
                }
            }
            if role == "new_rep" {
                prop_assert_eq!(paid, earned + ytd.draw_owed);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::cases(1024)))]

    /// Rank positions are competition ranks: listed best first (ties by
    /// employee id), each rank one more than the number of strictly
    /// better scores — whatever the scores' scales, and for scores too far
    /// apart in scale to compare as one integer (`Decimal::MAX` beside
    /// 28-place fractions) as for any other; and whether the employees are
    /// listed in id order (ties then broken by place, without reading the
    /// ids) or not.
    #[test]
    fn prop_rank_positions_are_competition_ranks(
        scores in proptest::collection::vec(
            prop_oneof![
                8 => (-300i64..300, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
                1 => prop::sample::select(vec![Decimal::MAX, Decimal::MIN, Decimal::new(1, 28), -Decimal::ZERO]),
            ],
            0..24,
        ),
        in_id_order in any::<bool>(),
    ) {
        let scores: Vec<(EmployeeId, Decimal)> = scores
            .into_iter()
            .enumerate()
            // in id order, or not (so ties are ordered by id, not position)
            .map(|(i, s)| {
                let id = if in_id_order { format!("e{i:02}") } else { format!("e{}", (i * 7) % 24) };
                (EmployeeId::new(id).unwrap(), s)
            })
            .collect();
        let mut want: Vec<usize> = (0..scores.len()).collect();
        want.sort_by(|&a, &b| scores[b].1.cmp(&scores[a].1).then_with(|| scores[a].0.cmp(&scores[b].0)));
        let want: Vec<(usize, usize)> = want
            .into_iter()
            .map(|at| (at, 1 + scores.iter().filter(|(_, s)| *s > scores[at].1).count()))
            .collect();
        prop_assert_eq!(perfpay::score::rank_positions(&scores), want);
    }
}

/// The worked transactions plan, compiled.
fn transactions_plan() -> perfpay::CompiledPlan {
    perfpay::Plan::from_toml(include_str!("../examples/rules/transactions/plan.toml"))
        .unwrap()
        .compile()
        .unwrap()
}

/// Deals `T-0`, `T-1`… of `amounts` (in cents) on 1, 2… October 2026.
fn october_deals(amounts: &[i64]) -> Vec<perfpay::tier::Transaction> {
    amounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            perfpay::tier::Transaction::deal(
                perfpay::id::TransactionId::new(format!("T-{i}")).unwrap(),
                perfpay::NaiveDate::from_ymd_opt(2026, 10, 1 + i as u32).unwrap(),
                Decimal::new(*a, 2),
            )
        })
        .collect()
}

/// `month` of 2026 for the plan's closer, whose inputs carry
/// `transactions` and no salary.
fn close_closer(
    plan: &perfpay::CompiledPlan,
    month: u32,
    transactions: Vec<perfpay::tier::Transaction>,
) -> perfpay::PeriodOutcome {
    let since = perfpay::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let input = perfpay::EmployeeInputs::new(
        EmployeeId::new("closer").unwrap(),
        perfpay::RoleId::new("closer").unwrap(),
        perfpay::Timeline::constant(since, Decimal::ZERO),
    )
    .with_ytd(perfpay::PayrollYtd::new(2026))
    .with_transactions(transactions);
    perfpay::evaluate_period(plan, &perfpay::Period::month(2026, month).unwrap(), &[input]).unwrap()
}
