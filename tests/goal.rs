//! Goal trees: decomposition, consistency, roll-up, bad trees.

use perfpay::goal::{Combine, Gap, Goal, GoalLevel, GoalStatus, GoalTree, Split};
use perfpay::id::GoalId;
use perfpay::score::Direction;
use perfpay::{Decimal, ErrorKind, MetricId, RoundingPolicy};
use rust_decimal_macros::dec;

fn id(s: &str) -> GoalId {
    GoalId::new(s).unwrap()
}

fn m(s: &str) -> MetricId {
    MetricId::new(s).unwrap()
}

fn goal(name: &str, level: GoalLevel, baseline: Decimal, target: Decimal) -> Goal {
    Goal::new(id(name), level, m("sales"), baseline, target)
}

#[test]
fn one_million_split_fifty_thirty_twenty_exactly() {
    let tree = GoalTree::new([
        goal("company", GoalLevel::Company, dec!(600000), dec!(1000000)).combine(Combine::Sum),
        goal("a", GoalLevel::Department, dec!(200000), dec!(200000))
            .parent(id("company"))
            .weight(dec!(0.5)),
        goal("b", GoalLevel::Department, dec!(200000), dec!(200000))
            .parent(id("company"))
            .weight(dec!(0.3)),
        goal("c", GoalLevel::Department, dec!(200000), dec!(200000))
            .parent(id("company"))
            .weight(dec!(0.2)),
    ])
    .unwrap();
    let by_weight = tree
        .decompose(&id("company"), Split::ByWeights, RoundingPolicy::cents())
        .unwrap();
    let targets: Vec<Decimal> = by_weight.targets.iter().map(|(_, t)| *t).collect();
    assert_eq!(targets, [dec!(500000), dec!(300000), dec!(200000)]);
    // by baseline shares (equal baselines): thirds, exact to the cent
    let by_base = tree
        .decompose(&id("company"), Split::ByBaselineShares, RoundingPolicy::cents())
        .unwrap();
    let targets: Vec<Decimal> = by_base.targets.iter().map(|(_, t)| *t).collect();
    assert_eq!(targets, [dec!(333333.34), dec!(333333.33), dec!(333333.33)]);
    assert_eq!(targets.iter().copied().sum::<Decimal>(), dec!(1000000));
    // before decomposition the children only hold their baselines: a shortfall of 400,000
    let report = tree.check().unwrap();
    assert_eq!(report[0].gap, Gap::Difference(dec!(-400000)));
    assert!(!report[0].consistent);
    assert_eq!(
        report[0].explanation.statement(&RoundingPolicy::cents()),
        "shortfall at company -400000 = children's targets add up to 600000; parent asks 1000000"
    );
    let fixed = tree.with_targets(&by_weight.targets).unwrap();
    assert!(fixed.check().unwrap()[0].consistent);
    // only sum nodes split
    let err = fixed
        .decompose(&id("a"), Split::ByWeights, RoundingPolicy::cents())
        .unwrap_err();
    assert!(
        err.to_string().contains("only sum nodes split their target"),
        "{err}"
    );
}

#[test]
fn the_seed_driver_tree_falls_short() {
    // company sales ×2 while conversion +20 % and order value +10 %
    let tree = GoalTree::new([
        Goal::new(
            id("sales"),
            GoalLevel::Company,
            m("sales"),
            dec!(1000000),
            dec!(2000000),
        )
        .combine(Combine::Product),
        Goal::new(
            id("visitors"),
            GoalLevel::Department,
            m("visitors"),
            dec!(200000),
            dec!(200000),
        )
        .parent(id("sales")),
        Goal::new(
            id("conversion"),
            GoalLevel::Role,
            m("conversion"),
            dec!(0.025),
            dec!(0.03),
        )
        .parent(id("sales")),
        Goal::new(
            id("order-value"),
            GoalLevel::Role,
            m("order_value"),
            dec!(200),
            dec!(220),
        )
        .parent(id("sales")),
    ])
    .unwrap();
    let report = tree.check().unwrap();
    assert_eq!(report.len(), 1);
    let c = &report[0];
    assert_eq!(c.parent_asks, dec!(2));
    assert_eq!(c.children_reach, dec!(1.32));
    assert!(!c.consistent);
    let Gap::Factor(factor) = c.gap else {
        panic!("a product's gap is a factor: {:?}", c.gap)
    };
    assert_eq!(factor.round_dp(4), dec!(1.5152)); // 2 / 1.32
    let lines: Vec<String> = c
        .explanation
        .render(&RoundingPolicy::cents())
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(
        lines,
        [
            "shortfall at sales 1.515 = children reach ×1.32 of baseline; parent asks ×2; the drivers must grow ×1.515 more",
            "  growth of visitors 1 = 200000 / 200000",
            "  growth of conversion 1.2 = 0.03 / 0.025",
            "  growth of order-value 1.1 = 220 / 200",
        ]
    );
}

#[test]
fn sum_rollup_weighs_targets_by_size() {
    // targets of 100k / 20k / 1k: the big one dominates a sum roll-up
    let tree = GoalTree::new([
        goal("team", GoalLevel::Department, dec!(0), dec!(121000)).combine(Combine::Sum),
        goal("big", GoalLevel::Person, dec!(0), dec!(100000))
            .parent(id("team"))
            .current(dec!(90000)),
        goal("mid", GoalLevel::Person, dec!(0), dec!(20000))
            .parent(id("team"))
            .current(dec!(20000)),
        goal("small", GoalLevel::Person, dec!(0), dec!(1000))
            .parent(id("team"))
            .current(dec!(0)),
    ])
    .unwrap();
    let team = tree.progress(&id("team")).unwrap();
    assert_eq!(team.current, Some(dec!(110000)));
    assert_eq!(team.achievement.round_dp(6), dec!(0.909091)); // 110,000 / 121,000
    // a weighted average with equal weights would say (0.9 + 1 + 0) / 3
    let all = tree.progress_all().unwrap();
    assert_eq!(all[&id("big")].achievement, dec!(0.9));
    assert_eq!(all[&id("small")].achievement, dec!(0));
}

#[test]
fn archived_children_are_left_out_and_weights_renormalised() {
    let tree = GoalTree::new([
        goal("ops", GoalLevel::Role, dec!(0), dec!(1)),
        goal("li", GoalLevel::Person, dec!(0), dec!(100))
            .parent(id("ops"))
            .weight(dec!(0.5))
            .current(dec!(90)),
        goal("wang", GoalLevel::Person, dec!(0), dec!(100))
            .parent(id("ops"))
            .weight(dec!(0.3))
            .current(dec!(50)),
        goal("zhao", GoalLevel::Person, dec!(0), dec!(100))
            .parent(id("ops"))
            .weight(dec!(0.2))
            .current(dec!(0))
            .status(GoalStatus::Archived),
    ])
    .unwrap();
    let ops = tree.progress(&id("ops")).unwrap();
    // (0.9 × 0.5 + 0.5 × 0.3) / 0.8 = 0.75
    assert_eq!(ops.achievement, dec!(0.75));
    assert_eq!(
        ops.explanation.statement(&RoundingPolicy::cents()),
        "achievement of ops 75 % = (90 % × 0.5 + 50 % × 0.3) / 0.8 (archived goals left out)"
    );
}

#[test]
fn lower_is_better_goals_and_holding_goals() {
    let complaints = Goal::new(
        id("complaints"),
        GoalLevel::Role,
        m("complaint_rate"),
        dec!(0.05),
        dec!(0.02),
    )
    .direction(Direction::LowerIsBetter)
    .current(dec!(0.03));
    assert_eq!(complaints.achievement().unwrap().round_dp(4), dec!(0.6667));
    let hold = goal("hold", GoalLevel::Person, dec!(100), dec!(100));
    assert_eq!(hold.clone().current(dec!(101)).achievement().unwrap(), dec!(1));
    assert_eq!(hold.clone().current(dec!(99)).achievement().unwrap(), dec!(0));
    let err = hold.achievement().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Data);
    assert_eq!(
        err.to_string(),
        "goals.hold.current: goal hold has no current value"
    );
}

#[test]
fn bad_trees_name_every_node() {
    let err = GoalTree::new([
        goal("a", GoalLevel::Company, dec!(0), dec!(10)).parent(id("c")),
        goal("b", GoalLevel::Department, dec!(0), dec!(10)).parent(id("a")),
        goal("c", GoalLevel::Department, dec!(0), dec!(10)).parent(id("b")),
        goal("a", GoalLevel::Person, dec!(0), dec!(10)),
        goal("d", GoalLevel::Person, dec!(0), dec!(10))
            .parent(id("nope"))
            .weight(dec!(-1)),
    ])
    .unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert!(
        problems.contains(&"goals[3].id: duplicate goal id a".to_string()),
        "{problems:?}"
    );
    assert!(
        problems.contains(&"goals.d.parent: unknown goal nope".to_string()),
        "{problems:?}"
    );
    assert!(
        problems.contains(&"goals.d.weight: weight -1 is negative".to_string()),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("(a cycle)")), "{problems:?}");

    let err = GoalTree::new([
        goal("sales", GoalLevel::Company, dec!(0), dec!(10)).combine(Combine::Product),
        goal("x", GoalLevel::Role, dec!(0), dec!(5)).parent(id("sales")),
    ])
    .unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "goals.sales.baseline: a product node needs a non-zero baseline (its growth is target ÷ baseline)",
            "goals.x.baseline: a child of product node sales needs a non-zero baseline",
        ]
    );
    let err = GoalTree::new([
        goal("p", GoalLevel::Company, dec!(0), dec!(10)),
        goal("q", GoalLevel::Role, dec!(0), dec!(5))
            .parent(id("p"))
            .weight(dec!(0.6)),
    ])
    .unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "goals.p.children: weights of the children sum to 0.6, expected 1"
    );
    let err = GoalTree::new([goal("w", GoalLevel::Company, dec!(10), dec!(5))]).unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "goals.w.target: target 5 is worse than baseline 10 for a metric where higher is better"
    );
}

#[test]
fn goals_deserialize_with_defaults_and_reject_unknown_fields() {
    let json =
        r#"{"id": "shop", "level": "company", "metric": "sales", "baseline": "500000", "target": "1000000"}"#;
    let g: Goal = serde_json::from_str(json).unwrap();
    assert_eq!(g.weight, dec!(1).into());
    assert_eq!(g.status, GoalStatus::Active);
    assert_eq!(g.combine, Combine::WeightedAverage);
    let bad = r#"{"id": "shop", "level": "company", "metric": "sales", "baseline": "1", "target": "2", "wieght": "1"}"#;
    assert!(
        serde_json::from_str::<Goal>(bad)
            .unwrap_err()
            .to_string()
            .contains("unknown field")
    );
}

/// A goal whose target is its baseline asks to hold a level, not to grow:
/// achievement is 100 % when the value reaches it (at or below it where
/// lower is better) and 0 % otherwise, and the step says so — it used to
/// show the growth formula with a zero divisor,
/// `(11000 − 10000) / (10000 − 10000)`.
#[test]
fn a_goal_to_hold_a_level_says_whether_it_was_held() {
    let cents = RoundingPolicy::cents();
    let statement = |goal: Goal| {
        let name = goal.id.clone();
        let tree = GoalTree::new([goal]).unwrap();
        let progress = tree.progress(&name).unwrap();
        (progress.achievement, progress.explanation.statement(&cents))
    };
    let visitors = goal("visitors", GoalLevel::Person, dec!(10000), dec!(10000));
    assert_eq!(
        statement(visitors.clone().current(dec!(11000))),
        (
            dec!(1),
            "achievement of visitors 100 % = 11000 reaches its target 10000".to_owned()
        )
    );
    assert_eq!(
        statement(visitors.current(dec!(9999))),
        (
            dec!(0),
            "achievement of visitors 0 % = 9999 falls short of its target 10000".to_owned()
        )
    );
    let returns =
        goal("returns", GoalLevel::Person, dec!(0.05), dec!(0.05)).direction(Direction::LowerIsBetter);
    assert_eq!(
        statement(returns.clone().current(dec!(0.04))),
        (
            dec!(1),
            "achievement of returns 100 % = 0.04 reaches its target 0.05".to_owned()
        )
    );
    assert_eq!(
        statement(returns.current(dec!(0.06))),
        (
            dec!(0),
            "achievement of returns 0 % = 0.06 falls short of its target 0.05".to_owned()
        )
    );
}
