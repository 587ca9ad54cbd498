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
    let findings = outcome.diagnose(&plan, &[], None).unwrap();
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
