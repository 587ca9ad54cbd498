//! Incentives: the seed's three, idempotency, the points ledger, draws and
//! clawbacks, bad rules.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use perfpay::id::{EventId, GradeId, RuleId};
use perfpay::incentive::{
    AwardKind, AwardSpec, Catalog, Compare, Draw, DrawState, Event, EventKind, Facts, IncentiveInput,
    IncentiveProgram, IncentiveRule, Once, Operand, PointsLedger, Test, Trigger,
};
use perfpay::script::{ScriptContext, ScriptEngine};
use perfpay::{Decimal, EmployeeId, ErrorKind, MetricId, NaiveDate, Period, RoundingPolicy};
use rust_decimal_macros::dec;

fn e(s: &str) -> EmployeeId {
    EmployeeId::new(s).unwrap()
}

fn m(s: &str) -> MetricId {
    MetricId::new(s).unwrap()
}

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
}

fn nov() -> Period {
    Period::month(2026, 11).unwrap()
}

fn catalog() -> Catalog {
    Catalog {
        metrics: [m("conversion_achievement"), m("satisfaction")].into(),
        custom_events: ["live-stream-hosted".to_string()].into(),
    }
}

/// The seed's three instant incentives.
fn seed_program() -> IncentiveProgram {
    let rules = vec![
        // reach the conversion goal → 1,000 without anyone asking
        IncentiveRule::new(
            RuleId::new("conversion-goal-bonus").unwrap(),
            Trigger::Outcome(vec![Test::Compare(
                Operand::Metric(m("conversion_achievement")),
                Compare::AtLeast,
                dec!(1),
            )]),
            AwardSpec::Cash(dec!(1000)),
        ),
        // best employee of the month → a certificate on the record
        IncentiveRule::new(
            RuleId::new("best-of-month").unwrap(),
            Trigger::Outcome(vec![Test::Compare(Operand::Rank, Compare::Equals, dec!(1))]),
            AwardSpec::Honour("Best employee of the month".into()),
        ),
        // every training course completed → 200 training points
        IncentiveRule::new(
            RuleId::new("training-points").unwrap(),
            Trigger::Event {
                kind: EventKind::TrainingCompleted,
                subject: None,
                tests: vec![],
            },
            AwardSpec::Points(dec!(200)),
        )
        .once(Once::PerEvent),
    ];
    IncentiveProgram::new(rules, &catalog(), RoundingPolicy::cents()).unwrap()
}

fn course(id: &str, day: u32) -> Event {
    Event::new(
        EventId::new(id).unwrap(),
        e("li"),
        EventKind::TrainingCompleted,
        d(day),
    )
    .subject(id)
}

fn facts(achievement: Decimal, rank: usize) -> Facts<'static> {
    Facts {
        score: Some(dec!(92)),
        grade: Some(GradeId::new("A").unwrap()),
        rank: Some(rank),
        metrics: Cow::Owned(BTreeMap::from([
            (m("conversion_achievement"), achievement),
            (m("satisfaction"), dec!(0.96)),
        ])),
    }
}

#[test]
fn the_seed_incentives_award_cash_honour_and_points() {
    let program = seed_program();
    let employee = e("li");
    let period = nov();
    let facts = facts(dec!(1.05), 1);
    let events = [course("lms-1", 5), course("lms-2", 19)];
    let granted = BTreeSet::new();
    let awards = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &events,
            granted: &granted,
        })
        .unwrap();
    let summary: Vec<(String, AwardKind)> = awards
        .iter()
        .map(|a| (a.key.to_string(), a.kind.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "conversion-goal-bonus/li/2026-11".to_string(),
                AwardKind::Cash(dec!(1000))
            ),
            (
                "best-of-month/li/2026-11".to_string(),
                AwardKind::Honour("Best employee of the month".into())
            ),
            (
                "training-points/li/event:lms-1".to_string(),
                AwardKind::Points(dec!(200))
            ),
            (
                "training-points/li/event:lms-2".to_string(),
                AwardKind::Points(dec!(200))
            ),
        ]
    );
    let cents = RoundingPolicy::cents();
    assert_eq!(
        awards[0].explanation.render(&cents),
        "award conversion-goal-bonus 1,000.00 = fixed cash\n\
         \x20 trigger 1 = outcome of 2026-11\n\
         \x20   conversion_achievement 1.05 = 1.05 ≥ 1\n"
    );
    // the event's kind is a message: in the reader's language
    assert_eq!(
        awards[2].explanation.children().next().unwrap().statement(&cents),
        "trigger 1 = training completed on 2026-11-05: lms-1"
    );
    assert_eq!(
        awards[2]
            .explanation
            .children()
            .next()
            .unwrap()
            .statement_in(perfpay::locale::Locale::chinese(), &cents),
        "触发 1 = 完成培训，2026-11-05: lms-1"
    );
    // points go to the ledger and can be redeemed for a gift or a day off
    let mut ledger = PointsLedger::default();
    for award in &awards {
        if let AwardKind::Points(p) = award.kind {
            ledger
                .credit(d(28), p, award.rule.to_string(), award.key.to_string())
                .unwrap();
        }
    }
    assert_eq!(ledger.balance(), dec!(400));
    ledger.redeem_days_off(d(28), dec!(1), dec!(300)).unwrap();
    assert_eq!(ledger.balance(), dec!(100));

    // not achieved and not first: only the courses
    let facts = facts_not_best();
    let awards = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &events,
            granted: &granted,
        })
        .unwrap();
    assert_eq!(awards.len(), 2);
}

fn facts_not_best() -> Facts<'static> {
    facts(dec!(0.97), 3)
}

#[test]
fn duplicate_events_and_granted_keys_never_pay_twice() {
    let program = seed_program();
    let employee = e("li");
    let period = nov();
    let facts = facts(dec!(1.2), 1);
    let events = [course("lms-1", 5), course("lms-1", 5), course("lms-2", 19)];
    let mut granted = BTreeSet::new();
    let first = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &events,
            granted: &granted,
        })
        .unwrap();
    assert_eq!(first.len(), 4, "the duplicate course counts once");
    granted.extend(first.iter().map(|a| a.key.clone()));
    let again = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &events,
            granted: &granted,
        })
        .unwrap();
    assert!(
        again.is_empty(),
        "re-running the period grants nothing new: {again:?}"
    );
    // events outside the period are not counted; events of others are an error
    let late = [Event::new(
        EventId::new("lms-9").unwrap(),
        e("li"),
        EventKind::TrainingCompleted,
        d(1) - chrono::Days::new(1),
    )];
    let none = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts_not_best(),
            events: &late,
            granted: &BTreeSet::new(),
        })
        .unwrap();
    assert!(none.is_empty());
    let other = [Event::new(
        EventId::new("x").unwrap(),
        e("wang"),
        EventKind::TrainingCompleted,
        d(3),
    )];
    let err = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &other,
            granted: &granted,
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Data);
    assert_eq!(err.to_string(), "employee li: event x belongs to wang, not li");
}

#[test]
fn limits_per_period_and_lifetime() {
    let rules = vec![
        IncentiveRule::new(
            RuleId::new("course-cash").unwrap(),
            Trigger::Event {
                kind: EventKind::TrainingCompleted,
                subject: None,
                tests: vec![],
            },
            AwardSpec::Cash(dec!(300)),
        )
        .once(Once::PerEvent)
        .max_per_period(3)
        .cash_cap_per_period(dec!(800)),
        IncentiveRule::new(
            RuleId::new("first-course").unwrap(),
            Trigger::Event {
                kind: EventKind::TrainingCompleted,
                subject: None,
                tests: vec![],
            },
            AwardSpec::Honour("First course".into()),
        )
        .once(Once::Lifetime),
    ];
    let program = IncentiveProgram::new(rules, &catalog(), RoundingPolicy::cents()).unwrap();
    let events: Vec<Event> = (1..=5).map(|i| course(&format!("c{i}"), i)).collect();
    let (employee, period, facts) = (e("li"), nov(), facts(dec!(0), 5));
    let awards = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &events,
            granted: &BTreeSet::new(),
        })
        .unwrap();
    let cash: Vec<Decimal> = awards
        .iter()
        .filter_map(|a| match a.kind {
            AwardKind::Cash(c) => Some(c),
            _ => None,
        })
        .collect();
    // 300 + 300 + 200 (cut to the 800 cap); the third award is the last allowed
    assert_eq!(cash, [dec!(300), dec!(300), dec!(200)]);
    assert_eq!(
        awards
            .iter()
            .filter(|a| matches!(a.kind, AwardKind::Honour(_)))
            .count(),
        1
    );
    assert_eq!(awards.last().unwrap().key.as_str(), "first-course/li/lifetime");
}

#[test]
fn a_scripted_condition_and_amount() {
    let engine = ScriptEngine::builder()
        .metrics([m("satisfaction"), m("conversion_achievement")])
        .build();
    let condition = engine
        .compile(
            RuleId::new("cs-eligible").unwrap(),
            "satisfaction >= 0.95 && score >= 90",
            ScriptContext::Incentive,
        )
        .unwrap();
    let amount = engine
        .compile(
            RuleId::new("cs-amount").unwrap(),
            "round_money(500 + (score - 90) * 25.5)",
            ScriptContext::Incentive,
        )
        .unwrap();
    let rule = IncentiveRule::new(
        RuleId::new("service-star").unwrap(),
        Trigger::Outcome(vec![Test::Custom(
            "satisfaction and score".into(),
            Arc::new(condition),
        )]),
        AwardSpec::CashFormula(Arc::new(amount)),
    );
    let program = IncentiveProgram::new(vec![rule], &catalog(), RoundingPolicy::cents()).unwrap();
    let (employee, period, facts) = (e("li"), nov(), facts(dec!(1), 2));
    let awards = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &[],
            granted: &BTreeSet::new(),
        })
        .unwrap();
    // 500 + (92 − 90) × 25.5 = 551
    assert_eq!(awards[0].kind, AwardKind::Cash(dec!(551.00)));
    assert_eq!(
        awards[0].explanation.statement(&RoundingPolicy::cents()),
        "award service-star 551.00 = rule cs-amount (score = 92.00, rank = 2)"
    );
}

#[test]
fn clawbacks_reference_the_original_and_never_edit_it() {
    let program = seed_program();
    let (employee, period, facts) = (e("li"), nov(), facts(dec!(1.1), 1));
    let awards = program
        .evaluate(&IncentiveInput {
            employee: &employee,
            period: &period,
            facts: &facts,
            events: &[course("lms-1", 3)],
            granted: &BTreeSet::new(),
        })
        .unwrap();
    let bonus = &awards[0];
    let back = bonus.clawback("order refunded after month close").unwrap();
    assert_eq!(back.kind, AwardKind::Cash(dec!(-1000)));
    assert_eq!(back.reverses.as_ref(), Some(&bonus.key));
    assert_eq!(back.key.as_str(), "clawback/conversion-goal-bonus/li/2026-11");
    assert_eq!(
        bonus.kind,
        AwardKind::Cash(dec!(1000)),
        "the original is untouched"
    );
    assert!(back.clawback("again").is_err());
    assert!(
        awards[1].clawback("no").is_err(),
        "an honour has no amount to claw back"
    );
    // points clawed back through the ledger, never below zero
    let points = &awards[2];
    let mut ledger = PointsLedger::default();
    ledger
        .credit(d(3), dec!(200), "course", points.key.to_string())
        .unwrap();
    ledger.redeem(d(4), dec!(150), "mug").unwrap();
    let err = ledger
        .clawback(d(5), dec!(200), points.key.to_string(), "course revoked")
        .unwrap_err();
    assert_eq!(err.to_string(), "cannot take 200 points: the balance is 50");
    assert_eq!(ledger.movements().len(), 2, "nothing recorded");
    ledger
        .clawback(d(5), dec!(50), points.key.to_string(), "course revoked")
        .unwrap();
    assert_eq!(ledger.balance(), dec!(0));
}

#[test]
fn ledger_refuses_bad_movements_and_keeps_every_reason() {
    let mut ledger = PointsLedger::default();
    ledger
        .credit(d(1), dec!(100), "best of October", "best/li/2026-10")
        .unwrap();
    assert_eq!(
        ledger
            .credit(d(2), dec!(100), "dup", "best/li/2026-10")
            .unwrap_err()
            .to_string(),
        "best/li/2026-10 was already credited"
    );
    assert!(ledger.credit(d(2), dec!(0), "zero", "z").is_err());
    assert!(ledger.redeem(d(2), dec!(-5), "negative").is_err());
    assert_eq!(
        ledger.redeem(d(2), dec!(101), "tv").unwrap_err().to_string(),
        "cannot take 101 points: the balance is 100"
    );
    assert!(
        ledger
            .redeem(
                NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                dec!(1),
                "back-dated"
            )
            .is_err()
    );
    assert!(
        ledger.redeem_days_off(d(3), dec!(0.5), dec!(300)).is_err(),
        "150 > 100"
    );
    ledger.redeem(d(3), dec!(40), "tea").unwrap();
    let json = serde_json::to_string(&ledger).unwrap();
    let back: PointsLedger = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ledger);
    assert_eq!(back.movements()[1].reason, "tea");
    assert_eq!(back.balance(), dec!(60));
}

#[test]
fn a_recoverable_draw_over_three_periods_then_a_strong_one() {
    let draw = Draw::recoverable(dec!(1000), Some(dec!(1000))).unwrap();
    let mut state = DrawState::default();
    let mut rows = Vec::new();
    for earned in [dec!(500), dec!(700), dec!(400), dec!(3000), dec!(2000)] {
        let s = draw.settle(&state, earned).unwrap();
        rows.push((s.paid, s.state.owed));
        state = s.state;
    }
    assert_eq!(
        rows,
        [
            (dec!(1000), dec!(500)),
            (dec!(1000), dec!(800)),
            (dec!(1000), dec!(1400)),
            (dec!(2000), dec!(400)), // recovered 1,000 (the limit) of the 2,000 above the draw
            (dec!(1600), dec!(0)),   // the last 400
        ]
    );
}

#[test]
fn a_non_recoverable_draw_tops_up() {
    let draw = Draw::non_recoverable(dec!(5000)).unwrap();
    let s = draw.settle(&DrawState::default(), dec!(3200)).unwrap();
    assert_eq!(
        (s.paid, s.advanced, s.state.owed),
        (dec!(5000), dec!(1800), dec!(0))
    );
    assert_eq!(
        s.explanation.statement(&RoundingPolicy::cents()),
        "paid with draw 5,000.00 = 3,200.00 earned + 1,800.00 guaranteed top-up (owed after = 0.00)"
    );
    let s = draw.settle(&DrawState::default(), dec!(6000)).unwrap();
    assert_eq!(s.paid, dec!(6000));
    assert!(Draw::recoverable(dec!(-1), None).is_err());
    assert!(draw.settle(&DrawState::default(), dec!(-1)).is_err());
}

#[test]
fn bad_rules_are_named_when_built() {
    let rules = vec![
        IncentiveRule::new(
            RuleId::new("a").unwrap(),
            Trigger::Outcome(vec![Test::Compare(
                Operand::Metric(m("refund_rate")),
                Compare::AtMost,
                dec!(0.01),
            )]),
            AwardSpec::Cash(dec!(-100)),
        ),
        IncentiveRule::new(
            RuleId::new("a").unwrap(),
            Trigger::Event {
                kind: EventKind::Custom("karaoke".into()),
                subject: None,
                tests: vec![],
            },
            AwardSpec::Points(dec!(-5)),
        ),
        IncentiveRule::new(
            RuleId::new("c").unwrap(),
            Trigger::Outcome(vec![]),
            AwardSpec::Cash(dec!(10.005)),
        ),
    ];
    let err = IncentiveProgram::new(rules, &catalog(), RoundingPolicy::cents()).unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "rules[0].trigger.tests[0]: unknown metric refund_rate",
            "rules[0].award: cash -100 is negative; take an award back with a clawback instead",
            "rules[1].id: rule a is defined twice",
            "rules[1].trigger.kind: unknown event kind karaoke",
            "rules[1].award: points -5 are negative; take points back with a clawback instead",
            "rules[2].award: cash 10.005 has more than 2 decimal places",
        ]
    );
}

#[test]
fn a_ledger_refuses_a_credit_that_would_overflow_its_balance() {
    let mut ledger = PointsLedger::default();
    ledger
        .credit(d(1), Decimal::MAX, "a generous award", "a")
        .unwrap();
    // perfpay 0.1 accepted this one, and balance() then panicked
    let err = ledger.credit(d(2), Decimal::MAX, "another", "b").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("would overflow"), "{err}");
    assert_eq!(ledger.movements().len(), 1);
    assert_eq!(ledger.balance(), Decimal::MAX);
    ledger.redeem(d(3), Decimal::MAX, "everything").unwrap();
    assert_eq!(ledger.balance(), Decimal::ZERO);
}

#[test]
fn a_stored_ledger_is_checked_as_it_is_read() {
    let read =
        |movements: &str| serde_json::from_str::<PointsLedger>(&format!(r#"{{"movements":[{movements}]}}"#));
    let credit = |seq: usize, points: &str, source: &str| {
        format!(
            r#"{{"seq":{seq},"date":"2026-11-01","points":"{points}","kind":"credit","reason":"course","source":"{source}"}}"#
        )
    };
    let redemption = |seq: usize, points: &str| {
        format!(
            r#"{{"seq":{seq},"date":"2026-11-02","points":"{points}","kind":"redemption","reason":"mug","source":"mug"}}"#
        )
    };
    // a good ledger reads back with its balance
    let good = read(&[credit(0, "200", "a"), redemption(1, "-150")].join(",")).unwrap();
    assert_eq!(good.balance(), dec!(50));
    for (movements, why) in [
        // perfpay 0.1 read this one, and expire() then indexed out of bounds
        (credit(99, "200", "a"), "seq is 99, expected 0"),
        // … and this one, with a balance of −500
        (redemption(0, "-500"), "the balance would be -500"),
        (credit(0, "-5", "a"), "must be positive"),
        (redemption(0, "5"), "must be negative"),
        (
            [credit(0, "1", "a"), credit(1, "1", "a")].join(","),
            "a was already credited",
        ),
        (
            [
                credit(0, "79228162514264337593543950335", "a"),
                credit(1, "1", "b"),
            ]
            .join(","),
            "the balance overflows",
        ),
        (
            [
                redemption(0, "-1").replace("2026-11-02", "2026-11-30"),
                credit(1, "1", "b"),
            ]
            .join(","),
            "the balance would be -1",
        ),
    ] {
        let err = read(&movements).unwrap_err().to_string();
        assert!(err.contains(why), "{why}: {err}");
    }
    // movements out of date order
    let late_then_early = [
        credit(0, "5", "a").replace("2026-11-01", "2026-11-20"),
        credit(1, "5", "b"),
    ]
    .join(",");
    let err = read(&late_then_early).unwrap_err().to_string();
    assert!(
        err.contains("movements[1]: movement dated 2026-11-01 is before the last movement"),
        "{err}"
    );
}

#[test]
fn a_metric_named_like_a_variable_is_hidden_by_it_on_both_paths() {
    // a plan may declare a metric called `score`; in an incentive rule the
    // name is the employee's score, as the rule was compiled (natively and
    // through rhai alike): the metric does not take its place when it runs
    let mut facts = facts(dec!(1), 2);
    facts.metrics.to_mut().insert(m("score"), dec!(10));
    for rhai_only in [false, true] {
        let mut builder = ScriptEngine::builder().metrics([m("score"), m("satisfaction")]);
        if rhai_only {
            builder = builder.rhai_only();
        }
        let condition = builder
            .build()
            .compile(
                RuleId::new("high-score").unwrap(),
                "score >= 90 && satisfaction > 0.9",
                ScriptContext::Incentive,
            )
            .unwrap();
        assert_eq!(condition.is_native(), !rhai_only);
        let rule = IncentiveRule::new(
            RuleId::new("star").unwrap(),
            Trigger::Outcome(vec![Test::Custom("high score".into(), Arc::new(condition))]),
            AwardSpec::Cash(dec!(100)),
        );
        let mut catalog = catalog();
        catalog.metrics.insert(m("score"));
        let program = IncentiveProgram::new(vec![rule], &catalog, RoundingPolicy::cents()).unwrap();
        let (employee, period) = (e("li"), nov());
        let awards = program
            .evaluate(&IncentiveInput {
                employee: &employee,
                period: &period,
                facts: &facts,
                events: &[],
                granted: &BTreeSet::new(),
            })
            .unwrap();
        // the score is 92, the metric 10
        assert_eq!(awards.len(), 1, "rhai only: {rhai_only}");
    }
}
