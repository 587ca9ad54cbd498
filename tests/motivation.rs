//! The plan language, performance side: weights as people write them,
//! ratings from several sources, attendance as metrics, the driver-tree
//! check, distance to the next reward.

use perfpay::{Decimal, ErrorKind, Plan};

const ATTENDANCE: &str = include_str!("../examples/rules/attendance-kpi/plan.toml");

fn problems(plan: &str) -> Vec<String> {
    let err = Plan::from_toml(plan).unwrap().compile().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Plan);
    err.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn an_unknown_attendance_figure_is_a_plan_problem_naming_the_known_ones() {
    let broken = ATTENDANCE.replace(
        r#""attendance.late_count"]"#,
        r#""attendance.late_count", "attendance.lateness"]"#,
    );
    assert_eq!(
        problems(&broken),
        [
            "metrics[3]: unknown attendance figure attendance.lateness (known: attendance.rate, attendance.worked_days, \
             attendance.scheduled_days, attendance.absence_days, attendance.leave_days, attendance.late_count, \
             attendance.late_minutes, attendance.overtime_hours)"
        ]
    );
}

/// `score`, `rank`, `grade` and `transactions` are what an incentive test
/// and a next reward read them as: a metric of that name is refused.
#[test]
fn a_metric_named_like_the_score_is_a_plan_problem() {
    let broken = ATTENDANCE.replace(
        r#""attendance.late_count"]"#,
        r#""attendance.late_count", "score", "transactions"]"#,
    );
    assert_eq!(
        problems(&broken),
        [
            "metrics[3]: score is a reserved word, not a metric name (grade, rank, score, transactions)",
            "metrics[4]: transactions is a reserved word, not a metric name (grade, rank, score, transactions)",
        ]
    );
}

const GOAL_CHECK: &str = include_str!("../examples/rules/goal-check/plan.toml");

#[test]
fn goals_whose_parts_miss_the_whole_compile_with_warnings_and_become_findings() {
    let plan = Plan::from_toml(GOAL_CHECK).unwrap().compile().unwrap();
    let warnings: Vec<String> = plan.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "goals.shop: the targets under goal shop do not reach it: shortfall at shop -50000 = \
             children's targets add up to 550000; parent asks 600000",
            "goals.traffic-revenue: the targets under goal traffic-revenue do not reach it: shortfall at \
             traffic-revenue 1.515 = children reach ×1.32 of baseline; parent asks ×2; the drivers must grow ×1.515 more",
        ]
    );
    // the same check, each period, as findings with the gap as evidence
    let outcome = perfpay::evaluate_period(&plan, &perfpay::Period::month(2026, 11).unwrap(), &[]).unwrap();
    let findings = outcome.diagnose(&plan, &[]).unwrap();
    let codes: Vec<(String, &str)> = findings
        .iter()
        .map(|f| (f.code.to_string(), f.scope.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("goal_shortfall".to_owned(), "shop"),
            ("goal_shortfall".to_owned(), "traffic-revenue")
        ]
    );
    // 2 ÷ (1.2 × 1.1 × 1): the drivers must grow ×1.5151… more
    assert_eq!(findings[1].evidence.result().round_dp(4), Decimal::new(15152, 4));
    // a plan whose parts add up has no warning
    let shop = Plan::from_toml(include_str!("../examples/shop.toml"))
        .unwrap()
        .compile()
        .unwrap();
    assert!(shop.warnings().is_empty());
}

const WEIGHTS: &str = include_str!("../examples/rules/weights/plan.toml");

#[test]
fn weights_written_as_ratios_and_fractions_are_normalised_once_and_shown() {
    let plan = Plan::from_toml(WEIGHTS).unwrap().compile().unwrap();
    let lists: Vec<String> = plan
        .weights()
        .iter()
        .map(|(path, n)| format!("{path}: {n}"))
        .collect();
    assert_eq!(
        lists,
        [
            "roles.buyer.scorecard: 2/3, 1/3 → 0.6667, 0.3333 (largest remainder at 4 places)",
            "roles.stylist.weights: 1:1:1 → 0.3334, 0.3333, 0.3333 (largest remainder at 4 places)",
            "goals.service.weights: 2:1 → 0.6667, 0.3333 (largest remainder at 4 places)",
        ]
    );
    let tree = plan.goals().unwrap();
    let id = |s: &str| perfpay::id::GoalId::new(s).unwrap();
    assert_eq!(tree.weight(&id("satisfaction")), Some(Decimal::new(6667, 4)));
    // a plan written with decimals summing to 1 lists nothing
    let shop = Plan::from_toml(include_str!("../examples/shop.toml"))
        .unwrap()
        .compile()
        .unwrap();
    assert!(shop.weights().is_empty());
}

#[test]
fn weights_that_cannot_be_normalised_are_problems_at_their_paths() {
    let broken = WEIGHTS
        .replace(r#"weight = "1/3" }]"#, r#"weight = "1/6" }]"#)
        .replace(r#"weights = "1:1:1""#, r#"weights = "1:1""#)
        .replace(r#"weights = "2:1""#, r#"weights = "2:1:1""#);
    assert_eq!(
        problems(&broken),
        [
            "roles.buyer.scorecard[1].weight: weights sum to 5/6, expected 1",
            "roles.stylist.weights: 2 parts for 3 scorecard items",
            "goals.service.weights: 3 parts for 2 children",
        ]
    );
    let both = WEIGHTS.replace(r#"{ kpi = "reviews" }"#, r#"{ kpi = "reviews", weight = "0.5" }"#);
    assert_eq!(
        problems(&both),
        [
            "roles.stylist.scorecard[1].weight: the role gives these weights as a ratio (`weights`); a weight here too is ambiguous"
        ]
    );
    let neither = WEIGHTS.replace(r#"{ kpi = "margin", weight = "2/3" }"#, r#"{ kpi = "margin" }"#);
    assert_eq!(
        problems(&neither),
        ["roles.buyer.scorecard[0].weight: a weight is needed (or the role's `weights` ratio)"]
    );
    let negative = WEIGHTS.replace(r#"weight = "2/3""#, r#"weight = "-2/3""#);
    assert_eq!(
        problems(&negative),
        ["roles.buyer.scorecard[0].weight: weight -2/3 is negative"]
    );
    let err = Plan::from_toml(&WEIGHTS.replace(r#"weight = "2/3""#, r#"weight = "2/0""#)).unwrap_err();
    assert!(
        err.to_string().contains("the denominator of 2/0 is not positive"),
        "{err}"
    );
}

const SOURCES: &str = include_str!("../examples/rules/rating-sources/plan.toml");

#[test]
fn rating_sources_that_cannot_combine_are_problems_at_their_paths() {
    // the scorecard left out of the sources, weights not summing to 1
    let broken = SOURCES
        .replace(r#"{ source = "scorecard", weight = "0.6" },"#, "")
        .replace(r#"source_weights = "1:1:1""#, r#"source_weights = "1:1""#);
    assert_eq!(
        problems(&broken),
        [
            "roles.designer.source_weights: 2 parts for 3 sources",
            "roles.operations.sources: the role has a scorecard; list it among the sources (`source = \"scorecard\"`) with its weight",
        ]
    );
    let twice = SOURCES.replace(
        r#"{ source = "peer", weight = "0.1" },"#,
        r#"{ source = "manager", weight = "0.1" },"#,
    );
    assert_eq!(
        problems(&twice),
        ["roles.operations.sources.manager: source listed twice"]
    );
    let short = SOURCES.replace(
        r#"{ source = "peer", weight = "0.1" },"#,
        r#"{ source = "peer", weight = "1/20" },"#,
    );
    assert_eq!(
        problems(&short),
        ["roles.operations.sources[2].weight: weights sum to 0.95, expected 1"]
    );
    let no_card = SOURCES.replace(
        r#"sources = [{ source = "self" }"#,
        r#"sources = [{ source = "scorecard" }"#,
    );
    assert_eq!(
        problems(&no_card),
        ["roles.designer.sources: the scorecard is a source, and the role has no scorecard"]
    );
}

const NEXT: &str = include_str!("../examples/rules/next-reward/plan.toml");

/// sales-li of the next-reward plan: 88,000 of sales, achievement 0.88,
/// satisfaction 0.96.
fn seller_at_88_000() -> perfpay::EmployeeInputs {
    let m = |s: &str| perfpay::MetricId::new(s).unwrap();
    perfpay::EmployeeInputs::new(
        perfpay::EmployeeId::new("sales-li").unwrap(),
        perfpay::RoleId::new("sales").unwrap(),
        perfpay::Timeline::constant(
            perfpay::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            Decimal::from(6_000),
        ),
    )
    .with_metrics([
        (m("sales"), Decimal::from(88_000)),
        (m("sales_achievement"), Decimal::new(88, 2)),
        (m("satisfaction"), Decimal::new(96, 2)),
    ])
}

#[test]
fn the_distance_to_the_next_tier_is_exactly_what_reaches_it() {
    use perfpay::record::Reward;
    use perfpay::{EmployeeId, MetricId, Period, evaluate_period, what_if};
    let plan = Plan::from_toml(NEXT).unwrap().compile().unwrap();
    let nov = Period::month(2026, 11).unwrap();
    let m = |s: &str| MetricId::new(s).unwrap();
    let li = EmployeeId::new("sales-li").unwrap();
    let inputs = [seller_at_88_000()];
    let now = evaluate_period(&plan, &nov, &inputs).unwrap();
    let next = &now.employees[0].next[0];
    assert_eq!(next.reward(), Reward::CommissionTier(1));
    assert_eq!(next.needed, Decimal::from(12_000));
    // the distance reached: the commission is the one reported, the tier the last
    let reached = what_if(&plan, &nov, &inputs, &li, &m("sales"), Decimal::from(100_000)).unwrap();
    assert_eq!(reached.commission, next.worth);
    assert!(
        reached
            .next
            .iter()
            .all(|n| !matches!(n.reward(), Reward::CommissionTier(_)))
    );
    // one cent short: still a cent away
    let short = what_if(&plan, &nov, &inputs, &li, &m("sales"), Decimal::new(9_999_999, 2)).unwrap();
    assert_eq!(short.next[0].reward(), Reward::CommissionTier(1));
    assert_eq!(short.next[0].needed, Decimal::new(1, 2));
    // a what-if names what it cannot change
    let err = what_if(&plan, &nov, &inputs, &li, &m("visits"), Decimal::ONE).unwrap_err();
    assert_eq!(err.to_string(), "the plan declares no metric visits");
    let err = what_if(
        &plan,
        &nov,
        &inputs,
        &EmployeeId::new("nobody").unwrap(),
        &m("sales"),
        Decimal::ONE,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "nobody is not among the inputs");
    // rewards already reached are not listed: a score of 100 is top-seller and A
    let top = what_if(&plan, &nov, &inputs, &li, &m("sales_achievement"), Decimal::ONE).unwrap();
    assert_eq!(top.next.len(), 1, "{:?}", top.next);
}

#[test]
fn a_distance_keeps_its_numbers_and_writes_its_explanation_when_asked() {
    use perfpay::{EmployeeOutcome, Period, evaluate_period};
    let plan = Plan::from_toml(NEXT).unwrap().compile().unwrap();
    let inputs = [seller_at_88_000()];
    let outcome = evaluate_period(&plan, &Period::month(2026, 11).unwrap(), &inputs).unwrap();
    let li = &outcome.employees[0];
    let json = serde_json::to_value(li).unwrap();
    // the JSON carries the numbers and the explanation made from them
    assert_eq!(json["next"][1]["basis"]["grade"]["min"], "95");
    assert_eq!(json["next"][1]["explanation"]["key"], "next-grade");
    // and reads back to the same outcome
    let back: EmployeeOutcome = serde_json::from_value(json).unwrap();
    assert_eq!(&back, li);
    assert_eq!(
        li.next[2]
            .explanation()
            .statement(&perfpay::RoundingPolicy::cents()),
        "next award 12.00 = rule top-seller: score 88.00 must reach at least 100.00"
    );
}

/// A next reward names its reward once, in its basis; the JSON names it at
/// the top too, for readers and rule cases. An outcome stored before the
/// basis held it (only `reward` named the tier, grade or rule) reads back
/// the same; a `reward` that is not its basis's is refused.
#[test]
fn a_next_reward_names_its_reward_once_and_reads_the_form_stored_before() {
    use perfpay::id::{GradeId, RuleId};
    use perfpay::record::{NextReward, Reward};
    use perfpay::{Period, evaluate_period};
    let plan = Plan::from_toml(NEXT).unwrap().compile().unwrap();
    let inputs = [seller_at_88_000()];
    let outcome = evaluate_period(&plan, &Period::month(2026, 11).unwrap(), &inputs).unwrap();
    let next = &outcome.employees[0].next;
    let kinds: Vec<Reward> = next.iter().map(NextReward::reward).collect();
    assert_eq!(
        kinds,
        [
            Reward::CommissionTier(1),
            Reward::Grade(GradeId::new("A").unwrap()),
            Reward::Incentive(RuleId::new("top-seller").unwrap()),
        ]
    );
    for (n, kind, id) in [
        (0, "commission_tier", "tier"),
        (1, "grade", "grade"),
        (2, "threshold", "rule"),
    ] {
        let json = serde_json::to_value(&next[n]).unwrap();
        assert_eq!(json["reward"], serde_json::to_value(next[n].reward()).unwrap());
        // the form stored before: the basis without the reward's id
        let mut before = json.clone();
        before["basis"][kind].as_object_mut().unwrap().remove(id).unwrap();
        let back: NextReward = serde_json::from_value(before.clone()).unwrap();
        assert_eq!(&back, &next[n]);
        // neither names it: refused, saying what is missing
        before.as_object_mut().unwrap().remove("reward");
        let err = serde_json::from_value::<NextReward>(before).unwrap_err();
        assert!(err.to_string().contains(&format!("without its {id}")), "{err}");
    }
    // a reward that is not the basis's
    let mut json = serde_json::to_value(&next[1]).unwrap();
    json["reward"] = serde_json::json!({ "grade": "S" });
    let err = serde_json::from_value::<NextReward>(json).unwrap_err();
    assert!(err.to_string().contains("but its basis is"), "{err}");
}
