//! Feedback: survey aggregates by hand, anonymity suppression, eNPS,
//! diagnostics that fire on a constructed team and stay silent on a healthy
//! one, trends.

use std::collections::BTreeMap;
use std::sync::Arc;

use perfpay::feedback::{
    Answer, CustomFinding, Direction as TrendDirection, FindingCode, GroupResult, Question, QuestionKind,
    QuestionResult, Response, RoleStats, Suppression, Survey, Thresholds, diagnose, trend,
};
use perfpay::{
    Decimal, EmployeeId, EmployeeInputs, ErrorKind, MetricId, NaiveDate, PayrollYtd, Period, Plan, RoleId,
    Timeline, evaluate_period,
};
use rust_decimal_macros::dec;

fn survey() -> Survey {
    Survey::new(vec![
        Question {
            id: "incentive_satisfaction".into(),
            text: "How happy are you with incentives?".into(),
            kind: QuestionKind::Likert { min: 1, max: 5 },
        },
        Question {
            id: "recommend".into(),
            text: "Would you recommend working here?".into(),
            kind: QuestionKind::Recommend,
        },
        Question {
            id: "best_part".into(),
            text: "Best part of the scheme?".into(),
            kind: QuestionKind::Choice(vec!["bonus".into(), "points".into()]),
        },
    ])
    .unwrap()
}

fn responses(group: &str, start: usize, answers: &[(u8, u8)]) -> Vec<Response> {
    answers
        .iter()
        .enumerate()
        .map(|(i, (likert, rec))| Response {
            respondent: format!("token-{}", start + i),
            group: group.into(),
            answers: BTreeMap::from([
                ("incentive_satisfaction".to_string(), Answer::Scale(*likert)),
                ("recommend".to_string(), Answer::Scale(*rec)),
                (
                    "best_part".to_string(),
                    Answer::Choice(if i % 2 == 0 {
                        "bonus".into()
                    } else {
                        "points".into()
                    }),
                ),
            ]),
        })
        .collect()
}

#[test]
fn aggregates_by_hand_and_enps() {
    let all = responses("ops", 0, &[(5, 10), (4, 9), (4, 8), (3, 6), (2, 3)]);
    let report = survey().aggregate(&all, 5).unwrap();
    let GroupResult::Shown {
        responses: count,
        questions,
    } = &report.groups["ops"]
    else {
        panic!("shown")
    };
    assert_eq!(*count, 5);
    // mean 18 / 5 = 3.6; index (3.6 − 1) / 4 × 100 = 65
    assert_eq!(
        questions["incentive_satisfaction"],
        QuestionResult::Scale {
            answers: 5,
            mean: dec!(3.6),
            distribution: BTreeMap::from([(2, 1), (3, 1), (4, 2), (5, 1)]),
            satisfaction_index: dec!(65),
        }
    );
    // promoters 10, 9; passive 8; detractors 6, 3 → eNPS (2 − 2) / 5 = 0
    assert_eq!(
        questions["recommend"],
        QuestionResult::Recommend {
            answers: 5,
            promoters: 2,
            passives: 1,
            detractors: 2,
            enps: dec!(0)
        }
    );
    let happier = responses("ops", 0, &[(5, 10), (5, 10), (4, 9), (4, 7), (1, 2)]);
    let report = survey().aggregate(&happier, 5).unwrap();
    assert_eq!(report.metric("ops", "recommend"), Some(dec!(40))); // (3 − 1) / 5 × 100
    assert_eq!(report.metric("ops", "incentive_satisfaction"), Some(dec!(3.8)));
}

#[test]
fn small_groups_are_suppressed_with_their_complement() {
    let mut all = responses("ops", 0, &[(4, 9); 5]);
    all.extend(responses("service", 10, &[(2, 3); 3]));
    all.extend(responses("sales", 20, &[(5, 10); 6]));
    let report = survey().aggregate(&all, 5).unwrap();
    assert_eq!(
        report.groups["service"],
        GroupResult::Suppressed {
            reason: Suppression::TooFewResponses { fewer_than: 5 }
        }
    );
    // overall is shown, so the smallest other group hides service's complement
    assert_eq!(
        report.groups["ops"],
        GroupResult::Suppressed {
            reason: Suppression::WouldReveal {
                group: "service".into()
            }
        }
    );
    // the reasons in the reader's words, and as JSON
    let lines = |text: String| text.lines().map(str::to_owned).collect::<Vec<_>>();
    let english = lines(report.render());
    assert!(
        english.contains(&"ops: suppressed so that group service cannot be derived".to_owned()),
        "{english:?}"
    );
    assert!(
        english.contains(&"service: suppressed (fewer than 5 responses)".to_owned()),
        "{english:?}"
    );
    let chinese = lines(report.render_in(perfpay::locale::Locale::chinese()));
    assert!(
        chinese.contains(&"ops：不显示，以免推算出 service 的结果".to_owned()),
        "{chinese:?}"
    );
    assert!(
        chinese.contains(&"service：不显示（答卷少于 5 份）".to_owned()),
        "{chinese:?}"
    );
    let json = serde_json::to_string(&report.groups["service"]).unwrap();
    assert_eq!(
        json,
        r#"{"suppressed":{"reason":{"too_few_responses":{"fewer_than":5}}}}"#
    );
    // a report stored before the reasons were typed reads back typed
    for (stored, reason) in [
        (
            r#""fewer than 5 responses""#,
            Suppression::TooFewResponses { fewer_than: 5 },
        ),
        (
            r#""fewer than 3 responses in all""#,
            Suppression::TooFewResponses { fewer_than: 3 },
        ),
        (
            r#""suppressed so that group service cannot be derived""#,
            Suppression::WouldReveal {
                group: "service".into(),
            },
        ),
    ] {
        let old = format!(r#"{{"suppressed":{{"reason":{stored}}}}}"#);
        let read: GroupResult = serde_json::from_str(&old).unwrap();
        assert_eq!(
            read,
            GroupResult::Suppressed {
                reason: reason.clone()
            }
        );
        assert_eq!(
            serde_json::from_str::<Suppression>(stored).unwrap().to_string(),
            reason.to_string()
        );
    }
    let unknown = serde_json::from_str::<Suppression>(r#""because""#).unwrap_err();
    assert!(
        unknown
            .to_string()
            .contains("unknown reason for a suppressed group"),
        "{unknown}"
    );
    assert!(matches!(
        &report.groups["sales"],
        GroupResult::Shown { responses: 6, .. }
    ));
    assert!(matches!(
        &report.overall,
        GroupResult::Shown { responses: 14, .. }
    ));
    assert_eq!(report.metric("service", "recommend"), None);
    // two small groups hide each other; no third group is touched
    let mut two = responses("a", 0, &[(4, 9); 2]);
    two.extend(responses("b", 10, &[(4, 9); 3]));
    two.extend(responses("c", 20, &[(4, 9); 5]));
    let report = survey().aggregate(&two, 5).unwrap();
    assert!(matches!(report.groups["c"], GroupResult::Shown { .. }));
    // everything under k: nothing shown at all
    let report = survey().aggregate(&responses("a", 0, &[(4, 9); 2]), 5).unwrap();
    assert!(matches!(report.overall, GroupResult::Suppressed { .. }));
}

#[test]
fn bad_surveys_and_answers_are_refused() {
    let err = Survey::new(vec![
        Question {
            id: "q".into(),
            text: "?".into(),
            kind: QuestionKind::Likert { min: 5, max: 5 },
        },
        Question {
            id: "q".into(),
            text: "?".into(),
            kind: QuestionKind::Choice(vec![]),
        },
    ])
    .unwrap_err();
    assert_eq!(err.problems().len(), 3);
    let mut twice = responses("ops", 0, &[(4, 9)]);
    twice.push(twice[0].clone());
    assert_eq!(
        survey().aggregate(&twice, 2).unwrap_err().path(),
        Some("responses[1].respondent")
    );
    let mut off = responses("ops", 0, &[(4, 9)]);
    off[0].answers.insert("recommend".into(), Answer::Scale(11));
    let err = survey().aggregate(&off, 2).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.path(), Some("responses[0].answers.recommend"));
    let err = survey().aggregate(&[], 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "k: the anonymity threshold k is 1; it must be at least 2 so no answer stands alone"
    );
}

fn person(id: &str, role: &str, metrics: &[(&str, Decimal)]) -> EmployeeInputs {
    let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    EmployeeInputs::new(
        EmployeeId::new(id).unwrap(),
        RoleId::new(role).unwrap(),
        Timeline::constant(since, dec!(6000)),
    )
    .with_metrics(metrics.iter().map(|(k, v)| (MetricId::new(k).unwrap(), *v)))
    .with_ytd(PayrollYtd::new(2026))
}

fn ops(id: &str, conversion: Decimal, achievement: Decimal) -> EmployeeInputs {
    person(
        id,
        "operations",
        &[
            ("conversion", conversion),
            ("repurchase", dec!(0.2)),
            ("optimisations", dec!(4)),
            ("teamwork", dec!(4)),
            ("conversion_achievement", achievement),
        ],
    )
}

fn cs(id: &str, satisfaction: Decimal) -> EmployeeInputs {
    person(
        id,
        "customer_service",
        &[
            ("satisfaction", satisfaction),
            ("complaint_rate", dec!(0.02)),
            ("teamwork", dec!(4)),
            ("service_sales", dec!(50000)),
        ],
    )
}

#[test]
fn diagnostics_fire_on_a_troubled_team_and_stay_silent_on_a_healthy_one() {
    let plan = Plan::from_toml(include_str!("../examples/shop.toml"))
        .unwrap()
        .compile()
        .unwrap();
    let nov = Period::month(2026, 11).unwrap();
    let thresholds = Thresholds {
        achievement_metric: Some(MetricId::new("conversion_achievement").unwrap()),
        satisfaction_question: Some("incentive_satisfaction".into()),
        ..Thresholds::default()
    };
    // operations: 3 of 4 far below their conversion goal, scoring low;
    // customer service: three people the scorecard cannot tell apart
    let troubled = vec![
        ops("o1", dec!(0.012), dec!(0.40)),
        ops("o2", dec!(0.015), dec!(0.48)),
        ops("o3", dec!(0.018), dec!(0.55)),
        ops("o4", dec!(0.032), dec!(1.1)),
        cs("c1", dec!(0.93)),
        cs("c2", dec!(0.93)),
        cs("c3", dec!(0.94)),
    ];
    let outcome = evaluate_period(&plan, &nov, &troubled).unwrap();
    let mut answers = responses("customer_service", 0, &[(2, 3), (2, 5), (3, 6), (2, 7), (1, 4)]);
    answers.extend(responses("operations", 10, &[(4, 9); 5]));
    let report = survey().aggregate(&answers, 5).unwrap();
    let thin = CustomFinding {
        code: "thin_team".into(),
        message: "fewer than 4 people scored in the role".into(),
        condition: Arc::new(|s: &RoleStats| Ok(s.scores.len() < 4)),
    };
    let stats = outcome.role_stats(&troubled, thresholds.achievement_metric.as_ref());
    let findings = diagnose(&stats, Some(&report), &thresholds, std::slice::from_ref(&thin)).unwrap();
    let messages: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "scores too close to tell customer_service staff apart (all within ±1)",
            "fewer than 4 people scored in the role",
            "achievement below 60 % for 3 of 4 operations staff: targets may be too high (median achievement 52 %)",
            "3 of 4 operations staff score below 60: a metric may be mis-set for the role",
            "satisfaction with incentives 2 / 5 in customer_service: the incentive mix may be wrong",
        ]
    );
    assert_eq!(
        findings[2].evidence.statement(&perfpay::RoundingPolicy::cents()),
        "staff with low achievement 3 = 3 of 4 below 60 % (median achievement = 51.5 %)"
    );

    let healthy = vec![
        ops("o1", dec!(0.03), dec!(1.0)),
        ops("o2", dec!(0.036), dec!(1.2)),
        ops("o3", dec!(0.025), dec!(0.9)),
        ops("o4", dec!(0.04), dec!(1.3)),
    ];
    let outcome = evaluate_period(&plan, &nov, &healthy).unwrap();
    let happy = survey()
        .aggregate(&responses("operations", 0, &[(4, 9); 5]), 5)
        .unwrap();
    assert!(
        diagnose(
            &outcome.role_stats(&healthy, thresholds.achievement_metric.as_ref()),
            Some(&happy),
            &thresholds,
            &[thin]
        )
        .unwrap()
        .is_empty()
    );
}

#[test]
fn trends_over_the_last_periods() {
    let p = |m| Period::month(2026, m).unwrap();
    let series = [
        (p(11), dec!(81)),
        (p(8), dec!(90)),
        (p(9), dec!(88)),
        (p(10), dec!(84)),
    ];
    let t = trend(&series, 3).unwrap();
    assert_eq!(t.periods, [p(9), p(10), p(11)]);
    assert_eq!((t.change, t.direction), (dec!(-7), TrendDirection::Down));
    assert_eq!(trend(&series, 10).unwrap().change, dec!(-9));
    assert_eq!(
        trend(&[(p(1), dec!(5)), (p(2), dec!(5))], 2).unwrap().direction,
        TrendDirection::Flat
    );
    assert!(trend(&[(p(1), dec!(5))], 2).is_err());
    assert!(trend(&[(p(1), dec!(5)), (p(1), dec!(6))], 2).is_err());
}

#[test]
fn a_vendor_finding_written_as_a_plan_script() {
    let plan = Plan::from_toml(include_str!("../examples/shop.toml"))
        .unwrap()
        .compile()
        .unwrap();
    assert_eq!(plan.findings().len(), 1);
    let nov = Period::month(2026, 11).unwrap();
    let team = vec![
        ops("o1", dec!(0.015), dec!(0.5)),
        ops("o2", dec!(0.02), dec!(0.6)),
        ops("o3", dec!(0.022), dec!(0.7)),
    ];
    let outcome = evaluate_period(&plan, &nov, &team).unwrap();
    let findings = diagnose(
        &outcome.role_stats(&team, plan.feedback().achievement_metric.as_ref()),
        None,
        plan.feedback(),
        plan.findings(),
    )
    .unwrap();
    let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"no_standout"), "{codes:?}");
    let f = findings
        .iter()
        .find(|f| f.code == FindingCode::Custom("no_standout".into()))
        .unwrap();
    assert!(
        f.evidence
            .statement(&perfpay::RoundingPolicy::cents())
            .starts_with("no_standout 1 = rule no_standout (staff = 3")
    );
}
