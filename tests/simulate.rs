//! Simulating a plan change on closed periods, and the structural plan diff.

use perfpay::plan::diff;
use perfpay::simulate::{Simulator, simulate};
use perfpay::{
    Decimal, EmployeeId, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, Period, Plan, RoleId, Timeline,
};

const SHOP: &str = include_str!("../examples/shop.toml");

/// The sample plan with the rate above 100,000 at `rate` (version 2).
fn top_rate(rate: &str) -> Plan {
    let mut plan = Plan::from_toml(SHOP).unwrap();
    plan.set("tiers.sales.tiers[1].rate", rate).unwrap();
    plan.version = 2;
    plan
}

fn sales(id: &str, amount: i64, achievement: i64) -> EmployeeInputs {
    let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let m = |s: &str| MetricId::new(s).unwrap();
    EmployeeInputs::new(
        EmployeeId::new(id).unwrap(),
        RoleId::new("sales").unwrap(),
        Timeline::constant(since, Decimal::from(6_000)),
    )
    .with_metrics([
        (m("sales"), Decimal::from(amount)),
        (m("sales_achievement"), Decimal::new(achievement, 2)),
        (m("repurchase"), Decimal::new(2, 1)),
        (m("teamwork"), Decimal::from(4)),
    ])
    .with_ytd(PayrollYtd::new(2026))
}

fn operations(id: &str) -> EmployeeInputs {
    let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let m = |s: &str| MetricId::new(s).unwrap();
    EmployeeInputs::new(
        EmployeeId::new(id).unwrap(),
        RoleId::new("operations").unwrap(),
        Timeline::constant(since, Decimal::from(8_000)),
    )
    .with_metrics([
        (m("conversion"), Decimal::new(35, 3)),
        (m("repurchase"), Decimal::new(22, 2)),
        (m("optimisations"), Decimal::from(6)),
        (m("teamwork"), Decimal::new(45, 1)),
        (m("conversion_achievement"), Decimal::new(105, 2)),
    ])
    .with_ytd(PayrollYtd::new(2026))
}

/// The sample shop's November sales staff (examples/month_close.rs) and one
/// operations employee the commission does not reach.
fn november() -> Vec<EmployeeInputs> {
    vec![
        operations("ops-li"),
        sales("sales-chen", 60_000, 50),
        sales("sales-feng", 240_000, 135),
        sales("sales-wu", 165_000, 110),
        sales("sales-zheng", 98_000, 82),
    ]
}

#[test]
fn raising_the_top_rate_costs_exactly_the_commission_it_adds() {
    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let proposed = top_rate("0.04").compile().unwrap();
    let nov = Period::month(2026, 11).unwrap();
    let simulation = simulate(&now, &proposed, [(nov, november())]).unwrap();

    // by hand: one more per cent on the part of sales above 100,000
    //   feng 240,000 → 140,000 × 1 % = 1,400.00
    //   wu   165,000 →  65,000 × 1 % =   650.00
    //   zheng 98,000 and chen 60,000 stay below 100,000: 0
    let by_hand = [("sales-feng", 1_400), ("sales-wu", 650)];
    let change = simulation.total.change().unwrap();
    assert_eq!(change.commission, Decimal::from(2_050));
    // commission is paid in gross; nothing else in gross moves
    assert_eq!(change.gross, Decimal::from(2_050));
    assert_eq!(change.bonus, Decimal::ZERO);
    assert_eq!(change.points, Decimal::ZERO);
    // the employer's contributions rise with gross, net rises by less
    assert!(change.employer_cost > Decimal::ZERO);
    assert!(change.net > Decimal::ZERO && change.net < change.gross);

    let gainers: Vec<(&str, Decimal)> = simulation
        .gainers()
        .iter()
        .map(|e| (e.employee.as_str(), e.costs.change().unwrap().commission))
        .collect();
    assert_eq!(gainers, by_hand.map(|(who, amount)| (who, Decimal::from(amount))));
    assert!(simulation.losers().is_empty());
    // the cost delta is the sum of the affected employees' commission deltas
    let affected: Decimal = gainers.iter().map(|(_, c)| *c).sum();
    assert_eq!(affected, change.gross);
    // roles: sales carries it all, operations is untouched
    let role = |r: &str| &simulation.roles[&RoleId::new(r).unwrap()];
    assert_eq!(role("sales").change().unwrap().gross, Decimal::from(2_050));
    assert!(!role("operations").changed());
    // scores do not depend on commission: nobody's standing moves
    assert!(simulation.employees.iter().all(|e| e.moves.is_empty()));
    assert_eq!(simulation.periods.len(), 1);
    assert_eq!(simulation.periods[0].employees, 5);
    assert_eq!(
        (simulation.current.as_str(), simulation.proposed.as_str()),
        ("sample-shop v1", "sample-shop v2")
    );

    let text = simulation.render().unwrap();
    assert!(text.contains("commission"), "{text}");
    assert!(text.contains("sales-feng"), "{text}");
}

#[test]
fn periods_fed_one_at_a_time_add_up_and_each_keeps_its_findings() {
    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let proposed = top_rate("0.04").compile().unwrap();
    let mut simulator = Simulator::new(&now, &proposed);
    for month in [10, 11, 12] {
        simulator
            .add_period(&Period::month(2026, month).unwrap(), &november())
            .unwrap();
    }
    let simulation = simulator.finish();
    // three months of the same staff: three times November's delta
    assert_eq!(
        simulation.total.change().unwrap().commission,
        Decimal::from(6_150)
    );
    let wu = simulation
        .employees
        .iter()
        .find(|e| e.employee.as_str() == "sales-wu")
        .unwrap();
    assert_eq!(
        (wu.periods, wu.costs.change().unwrap().commission),
        (3, Decimal::from(1_950))
    );
    let periods: Vec<String> = simulation.periods.iter().map(|p| p.period.to_string()).collect();
    assert_eq!(periods, ["2026-10", "2026-11", "2026-12"]);
}

/// A period the proposal cannot diagnose (its custom finding divides by
/// zero for a role of four) is refused whole: the simulation is as it was
/// before the period, as if it had never been fed.
#[test]
fn a_period_refused_leaves_the_simulation_as_it_was() {
    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let text = SHOP.replace(
        r#"no_standout = "staff >= 3 && max_score < 80""#,
        r#"no_standout = "100 / (staff - 4) > 0""#,
    );
    assert_ne!(text, SHOP);
    let mut proposal = Plan::from_toml(&text).unwrap();
    proposal.version = 2;
    let proposal = proposal.compile().unwrap();
    let october = Period::month(2026, 10).unwrap();
    let november_ = Period::month(2026, 11).unwrap();
    // three sales staff in October, four in November
    let three: Vec<EmployeeInputs> = november()
        .into_iter()
        .filter(|e| e.employee.as_str() != "sales-zheng")
        .collect();

    let mut simulator = Simulator::new(&now, &proposal);
    simulator.add_period(&october, &three).unwrap();
    let refused = simulator.add_period(&november_, &november()).unwrap_err();
    assert!(refused.to_string().contains("2026-11"), "{refused}");
    assert!(refused.to_string().contains("proposed"), "{refused}");
    assert!(refused.to_string().contains("division by zero"), "{refused}");
    let alone = simulate(&now, &proposal, [(october, three)]).unwrap();
    assert_eq!(simulator.finish(), alone);
}

#[test]
fn a_plan_that_changes_grades_shows_who_moves() {
    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    // weight moved from sales achievement to repurchase: who sold well
    // scores lower
    let mut harder = Plan::from_toml(SHOP).unwrap();
    harder.version = 3;
    let sales_role = harder.roles.get_mut(&RoleId::new("sales").unwrap()).unwrap();
    assert_eq!(sales_role.scorecard.len(), 3);
    sales_role.scorecard[0].weight = Some(Decimal::new(4, 1).into());
    sales_role.scorecard[1].weight = Some(Decimal::new(4, 1).into());
    let harder = harder.compile().unwrap();
    let simulation = simulate(&now, &harder, [(Period::month(2026, 11).unwrap(), november())]).unwrap();
    let moved: Vec<&str> = simulation
        .employees
        .iter()
        .filter(|e| !e.moves.is_empty())
        .map(|e| e.employee.as_str())
        .collect();
    assert!(moved.contains(&"sales-feng"), "{moved:?}");
    let feng = simulation
        .employees
        .iter()
        .find(|e| e.employee.as_str() == "sales-feng")
        .unwrap();
    let m = &feng.moves[0];
    assert!(m.score.after < m.score.before, "{m:?}");
}

#[test]
fn the_diff_of_two_plans_names_each_change_by_path() {
    let old = Plan::from_toml(SHOP).unwrap();
    let mut new = top_rate("0.04");
    new.incentives.retain(|i| i.id.as_str() != "best-of-month");
    let changes: Vec<String> = diff(&old, &new).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert!(
        changes[0].starts_with("incentives[best-of-month]: removed (was {"),
        "{changes:?}"
    );
    assert_eq!(changes[1], "tiers.sales.tiers[1].rate: 3 % → 4 %");
    assert_eq!(changes[2], "version: 1 → 2");
    // and back: the incentive is added
    let back: Vec<String> = diff(&new, &old).unwrap().iter().map(|c| c.to_string()).collect();
    assert!(
        back[0].starts_with("incentives[best-of-month]: added {"),
        "{back:?}"
    );
}

/// The two plans are named so they never read as one: `id vN`, and the
/// start of each fingerprint (as `perfpay check` prints it) when a
/// proposal keeps the id and version but changes the document.
#[test]
fn a_proposal_with_the_same_version_is_named_by_its_fingerprint() {
    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let november = [(Period::month(2026, 11).unwrap(), november())];
    let bumped = top_rate("0.04").compile().unwrap();
    let simulation = simulate(&now, &bumped, november.clone()).unwrap();
    assert_eq!(
        (simulation.current.as_str(), simulation.proposed.as_str()),
        ("sample-shop v1", "sample-shop v2")
    );

    let mut same_version = Plan::from_toml(SHOP).unwrap();
    same_version.set("tiers.sales.tiers[1].rate", "0.04").unwrap();
    let same_version = same_version.compile().unwrap();
    assert_ne!(now.fingerprint(), same_version.fingerprint());
    let simulation = simulate(&now, &same_version, november.clone()).unwrap();
    assert_eq!(
        simulation.current,
        format!("sample-shop v1 ({})", &now.fingerprint()[..8])
    );
    assert_eq!(
        simulation.proposed,
        format!("sample-shop v1 ({})", &same_version.fingerprint()[..8])
    );

    // the same document: nothing to tell apart
    let simulation = simulate(&now, &now, november).unwrap();
    assert_eq!(
        (simulation.current.as_str(), simulation.proposed.as_str()),
        ("sample-shop v1", "sample-shop v1")
    );
}

/// `staff` with each employee once (the first drawn).
#[cfg(feature = "testing")]
fn each_once(staff: Vec<EmployeeInputs>) -> Vec<EmployeeInputs> {
    let mut unique: Vec<EmployeeInputs> = Vec::new();
    for s in staff {
        if !unique.iter().any(|u| u.employee == s.employee) {
            unique.push(s);
        }
    }
    unique
}

#[cfg(feature = "testing")]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use perfpay::testing;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(48)))]

        /// A plan simulated against itself changes nothing: every cost, every
        /// score, grade and rank is the same, and nobody gains or loses.
        #[test]
        fn prop_simulating_a_plan_against_itself_changes_nothing(
            staff in proptest::collection::vec(
                prop_oneof![
                    testing::employee_inputs("sales", &["sales", "sales_achievement", "repurchase", "teamwork"], 5),
                    testing::employee_inputs("customer_service", &["satisfaction", "complaint_rate", "teamwork", "service_sales"], 1),
                ],
                1..8,
            ),
        ) {
            let unique = each_once(staff);
            let document = Plan::from_toml(SHOP).unwrap();
            let plan = document.compile().unwrap();
            // the same plan reaches nobody, so nobody is evaluated twice; the
            // same plan with a script nothing runs reaches everyone, so
            // everyone is
            let again = with_an_unused_script(&document).compile().unwrap();
            for other in [&plan, &again] {
                let simulation = simulate(&plan, other, [(Period::month(2026, 11).unwrap(), unique.clone())]).unwrap();
                prop_assert!(!simulation.total.changed());
                prop_assert!(simulation.roles.values().all(|r| !r.changed()));
                prop_assert!(simulation.employees.iter().all(|e| !e.costs.changed() && e.moves.is_empty()));
                prop_assert!(simulation.gainers().is_empty() && simulation.losers().is_empty());
                prop_assert!(simulation.periods.iter().all(|p| !p.findings.changed()));
            }
        }

        /// However staff come and go between periods, each employee's
        /// change is the sum of their periods simulated one at a time
        /// (costs, periods counted, moves and problems in period order), the
        /// changes hold each employee once in id order, and the roles' and
        /// the whole cost are the sums of the periods'. Each period is
        /// listed in id order or reversed.
        #[test]
        fn prop_an_employees_change_is_the_sum_of_their_periods(
            staff in proptest::collection::vec(
                prop_oneof![
                    testing::employee_inputs("sales", &["sales", "sales_achievement", "repurchase", "teamwork"], 200_000),
                    testing::employee_inputs("customer_service", &["satisfaction", "complaint_rate", "teamwork", "service_sales"], 5),
                ],
                1..10,
            ),
            present in proptest::collection::vec(proptest::collection::vec(any::<bool>(), 10), 1..4),
            reversed in any::<bool>(),
        ) {
            let unique = each_once(staff);
            let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
            let proposal = top_rate("0.04").compile().unwrap();
            let periods: Vec<(Period, Vec<EmployeeInputs>)> = present
                .iter()
                .zip(1u32..)
                .map(|(here, month)| {
                    let mut inputs: Vec<EmployeeInputs> = unique
                        .iter()
                        .zip(here)
                        .filter(|(_, here)| **here)
                        .map(|(inputs, _)| inputs.clone())
                        .collect();
                    if reversed {
                        inputs.reverse();
                    }
                    (Period::month(2026, month).unwrap(), inputs)
                })
                .collect();
            let whole = simulate(&now, &proposal, periods.clone()).unwrap();
            let alone: Vec<_> = periods
                .iter()
                .map(|period| simulate(&now, &proposal, [period.clone()]).unwrap())
                .collect();

            let ids: Vec<&EmployeeId> = whole.employees.iter().map(|e| &e.employee).collect();
            let mut expected: Vec<&EmployeeId> = alone.iter().flat_map(|a| a.employees.iter().map(|e| &e.employee)).collect();
            expected.sort();
            expected.dedup();
            prop_assert_eq!(ids, expected);
            for change in &whole.employees {
                let mut sum = perfpay::simulate::Compared::<perfpay::simulate::Costs>::default();
                let (mut periods_in, mut moves, mut problems) = (0, Vec::new(), Vec::new());
                for one in alone.iter().flat_map(|a| a.employees.iter()).filter(|e| e.employee == change.employee) {
                    sum.before = sum.before.plus(&one.costs.before).unwrap();
                    sum.after = sum.after.plus(&one.costs.after).unwrap();
                    periods_in += one.periods;
                    moves.extend(one.moves.iter().cloned());
                    problems.extend(one.problems.iter().cloned());
                }
                prop_assert_eq!(&change.costs, &sum, "{}", change.employee);
                prop_assert_eq!(change.periods, periods_in);
                prop_assert_eq!(&change.moves, &moves);
                prop_assert_eq!(&change.problems, &problems);
            }
            let mut total = perfpay::simulate::Compared::<perfpay::simulate::Costs>::default();
            for (one, period) in alone.iter().zip(&whole.periods) {
                prop_assert_eq!(&one.periods[0], period);
                total.before = total.before.plus(&one.total.before).unwrap();
                total.after = total.after.plus(&one.total.after).unwrap();
            }
            prop_assert_eq!(&whole.total, &total);
            for (role, costs) in &whole.roles {
                let mut sum = perfpay::simulate::Compared::<perfpay::simulate::Costs>::default();
                for one in alone.iter().filter_map(|a| a.roles.get(role)) {
                    sum.before = sum.before.plus(&one.before).unwrap();
                    sum.after = sum.after.plus(&one.after).unwrap();
                }
                prop_assert_eq!(costs, &sum, "{}", role);
            }
        }

        /// The diff of two plan documents is empty exactly when they are the
        /// same document.
        #[test]
        fn prop_diff_empty_iff_same_document(
            a in testing::plan_variation(Plan::from_toml(SHOP).unwrap()),
            b in testing::plan_variation(Plan::from_toml(SHOP).unwrap()),
            same in any::<bool>(),
        ) {
            let b = if same { a.clone() } else { b };
            let changes = diff(&a, &b).unwrap();
            prop_assert_eq!(changes.is_empty(), a == b, "{:?}", changes);
            prop_assert!(diff(&a, &a).unwrap().is_empty());
            // every change names a path and shows both sides or one
            prop_assert!(changes.iter().all(|c| !c.path.is_empty() && (c.before.is_some() || c.after.is_some())));
        }

        /// Removing by path is all or nothing: a removal that is refused
        /// leaves the plan as it was, one that is taken changes the
        /// document, and neither panics, whatever the path (a real one, a
        /// real one cut or bent, or any text).
        #[test]
        fn prop_remove_is_all_or_nothing(
            path in prop_oneof![
                prop::sample::select(vec![
                    "incentives[best-of-month]", "incentives[0]", "incentives[9]", "roles.operations.scorecard[3]",
                    "roles.sales.commission", "roles.sales.target_bonus", "tiers.sales.tiers[1]", "tiers.sales",
                    "payroll.lateness[0]", "names.zh-CN.PENSION", "currency", "id", "version", "rounding",
                    "goals[gmv-wu]", "goals[shop-gmv]", "metrics[0]", "kpis.teamwork", "scripts.cs_gate",
                ]).prop_map(str::to_owned),
                "[a-z_]{0,8}(\\.[a-z_]{0,8}){0,3}(\\[[a-z0-9-]{0,6}\\])?(\\.[a-z]{0,5})?",
                "\\PC{0,24}",
            ],
        ) {
            let now = Plan::from_toml(SHOP).unwrap();
            let mut proposal = now.clone();
            match proposal.remove(&path) {
                Ok(()) => prop_assert!(!diff(&now, &proposal).unwrap().is_empty(), "{}", path),
                Err(e) => {
                    prop_assert_eq!(&proposal, &now);
                    prop_assert!(!e.problems().is_empty(), "{:?}", e);
                }
            }
        }
    }
}

#[cfg(feature = "report")]
#[test]
fn the_report_is_one_well_formed_page_with_a_chart_each_and_nothing_external() {
    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let proposed = top_rate("0.04").compile().unwrap();
    let simulation = simulate(&now, &proposed, [(Period::month(2026, 11).unwrap(), november())]).unwrap();
    let page = perfpay::report::html(&now, &proposed, &simulation).unwrap();

    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&page, options).unwrap_or_else(|e| panic!("{e}"));
    let svgs = doc
        .descendants()
        .filter(|n| n.has_tag_name(("http://www.w3.org/2000/svg", "svg")))
        .count();
    // one payout curve (sales: operations is paid no commission), cost per
    // role, scores of sales and of operations, who gains and who loses
    assert_eq!(svgs, 5);
    let figures = doc.descendants().filter(|n| n.has_tag_name("figure")).count();
    assert_eq!(figures, svgs, "one chart per figure");
    // nothing loaded from anywhere
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            assert!(
                !matches!(attr.name(), "src" | "href" | "srcset" | "action"),
                "{} has {}",
                node.tag_name().name(),
                attr.name()
            );
        }
        assert!(!matches!(
            node.tag_name().name(),
            "script" | "link" | "img" | "iframe"
        ));
    }
    assert!(!page.contains("url(") && !page.contains("@import"));
    // what an owner reads first
    let items: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("code"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect();
    assert_eq!(items, ["tiers.sales.tiers[1].rate: 3 % → 4 %", "version: 1 → 2"]);
    // and whose pay it can move
    assert!(
        page.contains("</ul>\n<p>reaches sales; everyone else is paid as before</p>"),
        "{page}"
    );
    // chen 60,000 × 2 % = 1,200; feng 100,000 × 2 % + 140,000 × 3 % = 6,200;
    // wu 2,000 + 65,000 × 3 % = 3,950; zheng 98,000 × 2 % = 1,960:
    // 13,310.00, and 2,050.00 more at 4 %
    assert!(
        page.contains("<td>commission</td><td>13,310.00</td><td>15,360.00</td><td>+2,050.00</td>"),
        "{page}"
    );
}

/// The report in Chinese: every word perfpay writes is Chinese, the
/// shop's roles and grades by the plan's Chinese names; only what the
/// host or the plan wrote as ids stays Latin (employee ids, finding codes,
/// the plan paths of what changed, the plans' ids in the title).
#[cfg(feature = "report")]
#[test]
fn the_report_reads_in_chinese() {
    use perfpay::locale::Locale;

    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let proposed = top_rate("0.04").compile().unwrap();
    let staff = november();
    let simulation = simulate(
        &now,
        &proposed,
        [(Period::month(2026, 11).unwrap(), staff.clone())],
    )
    .unwrap();
    let chinese = proposed.locale(Locale::chinese());
    let page = perfpay::report::html_in(&now, &proposed, &simulation, &chinese).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&page, options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.root_element().attribute("lang"), Some("zh-CN"));
    let mut ids: std::collections::BTreeSet<String> = staff.iter().map(|e| e.employee.to_string()).collect();
    for p in &simulation.periods {
        ids.extend(
            p.findings
                .before
                .iter()
                .chain(&p.findings.after)
                .map(|f| f.code.to_string()),
        );
    }
    let mut latin = std::collections::BTreeSet::new();
    for node in doc.descendants().filter(|n| n.is_text()) {
        let quoted = node.ancestors().any(|a| {
            ["code", "title", "h1", "style"]
                .iter()
                .any(|t| a.has_tag_name(*t))
        });
        if quoted {
            continue;
        }
        let text = node.text().unwrap_or_default();
        for word in text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-') {
            let word = word.trim_matches('-');
            if word.bytes().any(|b| b.is_ascii_alphabetic()) && !ids.contains(word) {
                latin.insert(word.to_owned());
            }
        }
    }
    assert!(latin.is_empty(), "{latin:?}\n{page}");
    for words in [
        "<h2>方案有哪些变化</h2>",
        "<h2>成本变化</h2>",
        "<td>提成</td><td>13,310.00</td><td>15,360.00</td><td>+2,050.00</td>",
        "<h2>谁多拿，谁少拿</h2>",
        "销售：按提成业绩计算的提成，直到所见最高业绩",
    ] {
        assert!(page.contains(words), "{words}\n{page}");
    }
}

/// The table in Chinese: the rows' words in the reader's language, roles
/// by the plan's names, and the figures in the same terminal columns as in
/// English although a Chinese character takes two (22 columns of words,
/// then 14 + 14 + 12 of figures: the change ends at column 65).
#[test]
fn the_table_reads_in_chinese_with_its_columns_aligned() {
    use perfpay::locale::Locale;
    use unicode_width::UnicodeWidthStr;

    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let proposed = top_rate("0.04").compile().unwrap();
    let simulation = simulate(&now, &proposed, [(Period::month(2026, 11).unwrap(), november())]).unwrap();
    let english = simulation.render().unwrap();
    let chinese = simulation.render_in(&proposed.locale(Locale::chinese())).unwrap();
    // commission 13,310.00 → 15,360.00 (the report's test computes it by hand)
    let commission = |words: &str| {
        format!(
            "{words}{}{:>14} {:>14} {:>12}",
            " ".repeat(23 - words.width()),
            "13,310.00",
            "15,360.00",
            "+2,050.00"
        )
    };
    assert!(
        english.lines().any(|l| l == commission("commission")),
        "{english}"
    );
    assert!(chinese.lines().any(|l| l == commission("提成")), "{chinese}");
    assert!(chinese.contains("\n岗位 销售 "), "{chinese}");
    // whose pay the change can move, under the title
    assert_eq!(
        english.lines().nth(1),
        Some("reaches sales; everyone else is paid as before")
    );
    assert_eq!(chinese.lines().nth(1), Some("涉及岗位：销售；其他人薪酬不变"));
    assert!(chinese.contains("（企业成本，5 人，诊断 "), "{chinese}");
    for text in [&english, &chinese] {
        // every row of figures: the change ends at column 65
        let rows: Vec<&str> = text
            .lines()
            .skip(3)
            .take_while(|l| !l.ends_with(['n', 'e', '拿']))
            .collect();
        assert!(rows.len() >= 9, "{rows:?}");
        for row in rows {
            let figures = row.split("  （").next().unwrap_or(row);
            let figures = figures.split("  (").next().unwrap_or(figures);
            assert_eq!(figures.width(), 65, "{row:?}");
        }
    }
    // the same numbers in the same order, line by line
    let digits = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_digit() && c != '.' && c != ',' && c != '+' && c != '-')
            .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(digits(&english), digits(&chinese));
}

#[test]
fn a_closed_period_simulated_with_its_responses_keeps_the_surveys_findings() {
    // a closed period keeps the survey's report, not its responses: the
    // host gives them beside it, as `Storage::survey_responses` returns them
    let plan = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let month = perfpay::testing::InputsFile::from_text(
        include_str!("../examples/inputs/shop-2026-11.toml"),
        "shop-2026-11.toml",
    )
    .unwrap();
    let closed = perfpay::record::ClosedPeriod {
        outcome: perfpay::evaluate_period(&plan, &month.period, &month.employees).unwrap(),
        inputs: month.employees.clone(),
    };
    let codes = |s: &perfpay::simulate::Simulation| -> Vec<String> {
        let findings = &s.periods[0].findings;
        findings
            .before
            .iter()
            .chain(&findings.after)
            .map(|f| f.code.as_str().to_owned())
            .collect()
    };
    let without = simulate(&plan, &plan, [&closed]).unwrap();
    assert!(codes(&without).is_empty(), "{:?}", codes(&without));
    // four sales staff answered 2, 3, 2 and 4 of 5: 2.75, below the plan's 3,
    // on both sides of a plan simulated against itself
    let with = simulate(&plan, &plan, [(&closed, month.survey.clone())]).unwrap();
    assert_eq!(codes(&with), ["low_satisfaction", "low_satisfaction"]);
    let three = simulate(
        &plan,
        &plan,
        [(month.period, month.employees.clone(), month.survey.clone())],
    )
    .unwrap();
    assert_eq!(codes(&three), codes(&with));
}

/// A company whose costs run to billions keeps the table's columns in line
/// (each column as wide as its widest figure).
#[cfg(feature = "testing")]
#[test]
fn a_table_of_billions_keeps_its_columns() {
    let plan = Plan::from_toml(SHOP).unwrap();
    let mut proposal = plan.clone();
    proposal.set("tiers.sales.tiers[1].rate", "0.04").unwrap();
    let (plan, proposal) = (plan.compile().unwrap(), proposal.compile().unwrap());
    let (period, mut inputs) = crate::sample_november_inputs();
    // each salary a hundred thousand times larger: gross in the billions
    for input in &mut inputs {
        let changes: Vec<perfpay::period::Change<Decimal>> = input.salary.clone().into();
        let scaled = changes
            .into_iter()
            .map(|c| (c.effective, c.value * Decimal::from(100_000)));
        input.salary = Timeline::new(scaled).unwrap();
    }
    let simulation = simulate(&plan, &proposal, [(period, inputs)]).unwrap();
    let table = simulation.render().unwrap();
    let gross = table.lines().find(|l| l.starts_with("gross ")).unwrap();
    // wider than the sample shop's column of 14
    assert!(gross.split_whitespace().nth(1).unwrap().len() > 14, "{table}");
    // the rows without a note end where the heading ends
    let heading = table.lines().nth(2).unwrap();
    for name in [
        "gross ",
        "employer cost ",
        "commission ",
        "bonus ",
        "net ",
        "points ",
    ] {
        let line = table.lines().find(|l| l.starts_with(name)).unwrap();
        assert_eq!(line.chars().count(), heading.chars().count(), "{table}");
    }
}

/// The sample plan as `edit` leaves it, version 2.
fn edited(edit: &[(&str, &str)]) -> Plan {
    let mut plan = Plan::from_toml(SHOP).unwrap();
    for (path, value) in edit {
        plan.set(path, value).unwrap();
    }
    plan.version = 2;
    plan
}

/// `plan` with a script nothing runs: a change of the plan-wide scripts,
/// which reaches everyone and moves nobody's pay.
fn with_an_unused_script(plan: &Plan) -> Plan {
    let mut plan = plan.clone();
    plan.scripts.insert("unused_by_anyone".to_owned(), "1".to_owned());
    plan
}

/// An employee the change reaches in one month and not the next (moved
/// to a role it does not reach) keeps the first month's difference in
/// their totals: a simulation that sums one figure for both plans while an
/// employee's outcomes are one must not when their totals already differ.
#[test]
fn a_move_out_of_reach_keeps_the_difference_so_far() {
    let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
    let proposal = top_rate("0.04");
    let (narrow, wide) = (
        proposal.compile().unwrap(),
        with_an_unused_script(&proposal).compile().unwrap(),
    );
    let (november, staff) = crate::sample_november_inputs();
    let mut moved = staff.clone();
    let feng = EmployeeId::new("sales-feng").unwrap();
    for input in moved.iter_mut().filter(|i| i.employee == feng) {
        input.role = RoleId::new("customer_service").unwrap();
    }
    let months = [(Period::month(2026, 10).unwrap(), staff), (november, moved)];
    let (a, mut b) = (
        simulate(&now, &narrow, months.clone()).unwrap(),
        simulate(&now, &wide, months).unwrap(),
    );
    b.reach = a.reach.clone();
    assert_eq!(a, b);
    // feng's October: 140,000.00 above 100,000 at 4 % instead of 3 %
    let change = a.employees.iter().find(|c| c.employee == feng).unwrap();
    assert_eq!(change.role.as_str(), "customer_service");
    assert_eq!(
        change.costs.change().unwrap().commission,
        Decimal::new(140_000, 2)
    );
}

#[test]
fn reach_names_the_roles_a_change_can_move() {
    use perfpay::plan::{Reach, reach};
    let now = Plan::from_toml(SHOP).unwrap();
    let roles = |ids: &[&str]| Reach::Roles(ids.iter().map(|id| RoleId::new(id).unwrap()).collect());
    let cases: [(&[(&str, &str)], Reach); 11] = [
        // id, version and effective date move nobody's pay
        (&[], roles(&[])),
        (&[("effective", "2027-01-01")], roles(&[])),
        // a table only a role's commission names
        (&[("tiers.sales.tiers[1].rate", "0.04")], roles(&["sales"])),
        (
            &[("tiers.service.tiers[0].rate", "0.02")],
            roles(&["customer_service"]),
        ),
        (
            &[
                ("tiers.sales.tiers[1].rate", "0.04"),
                ("roles.operations.target_bonus", "2500"),
            ],
            roles(&["operations", "sales"]),
        ),
        // the table the payroll withholds with
        (&[("tiers.iit.tiers[1].rate", "0.11")], Reach::Everyone),
        // plan-wide sections
        (&[("payroll.overtime_divisor", "21.75")], Reach::Everyone),
        // a KPI reaches the roles whose scorecards name it
        (
            &[("kpis.conversion.curve.linear.target.value", "0.025")],
            roles(&["operations"]),
        ),
        (
            &[("kpis.repurchase.direction", "lower_is_better")],
            roles(&["operations", "sales"]),
        ),
        (
            &[("kpis.teamwork.curve.script", "cs_gate")],
            roles(&["customer_service", "operations", "sales"]),
        ),
        // the same number written differently counts as a change
        (&[("tiers.sales.tiers[1].rate", "0.030")], roles(&["sales"])),
    ];
    for (edit, expected) in cases {
        assert_eq!(reach(&now, &edited(edit)).unwrap(), expected, "{edit:?}");
    }
    assert_eq!(
        reach(&now, &with_an_unused_script(&now)).unwrap(),
        Reach::Everyone
    );
    // a role added, or removed, reaches its staff only
    let mut more = now.clone();
    let sales = more.roles[&RoleId::new("sales").unwrap()].clone();
    more.roles.insert(RoleId::new("wholesale").unwrap(), sales);
    assert_eq!(reach(&now, &more).unwrap(), roles(&["wholesale"]));
    assert_eq!(reach(&more, &now).unwrap(), roles(&["wholesale"]));
    // a KPI no scorecard names, added, reaches nobody
    let mut unused = now.clone();
    let kpi = unused.kpis["conversion"].clone();
    unused.kpis.insert("unused".to_owned(), kpi);
    assert_eq!(reach(&now, &unused).unwrap(), roles(&[]));
    // a script that could read any table by name makes every table plan-wide
    let mut scripted = now.clone();
    scripted.scripts.insert(
        "cs_gate".to_owned(),
        "satisfaction >= 0.90 && tier(\"sales\", 1.0) >= 0".to_owned(),
    );
    let mut changed = scripted.clone();
    changed.set("tiers.sales.tiers[1].rate", "0.04").unwrap();
    assert_eq!(reach(&scripted, &changed).unwrap(), Reach::Everyone);
}

/// Every tier table a worked plan's compiler resolves by name is one
/// `reach` reads: removing any table, the compiler refuses only paths of
/// the roles the removal reaches (or `reach` says everyone).
#[test]
fn every_table_and_kpi_the_compiler_resolves_is_in_reach() {
    use perfpay::plan::reach;
    let mut refused = [0, 0];
    for worked in crate::worked_plans() {
        let plan = Plan::from_toml(&std::fs::read_to_string(&worked.plan).unwrap()).unwrap();
        let tables = plan.tiers.keys().map(|table| {
            let mut without = plan.clone();
            without.tiers.remove(table);
            (0, table, without)
        });
        let kpis = plan.kpis.keys().map(|kpi| {
            let mut without = plan.clone();
            without.kpis.remove(kpi);
            (1, kpi, without)
        });
        for (kind, name, without) in tables.chain(kpis) {
            let reached = reach(&plan, &without).unwrap();
            let Err(err) = without.compile() else { continue };
            for problem in err.problems() {
                let role = problem
                    .path()
                    .strip_prefix("roles.")
                    .and_then(|rest| rest.split('.').next());
                let ok = match role {
                    Some(role) => reached.includes(&RoleId::new(role).unwrap()),
                    None => reached == perfpay::plan::Reach::Everyone,
                };
                assert!(
                    ok,
                    "{}: without {name}, {problem} but reach is {reached:?}",
                    worked.name
                );
                refused[kind] += 1;
            }
        }
    }
    // the worked plans name tables from commissions, quotas and the
    // payroll, and KPIs from scorecards
    assert!(refused[0] >= 15 && refused[1] >= 15, "{refused:?}");
}

#[cfg(feature = "testing")]
mod reached {
    use super::*;
    use perfpay::testing::CaseFile;

    /// `plan` with every tier of `table` paying more: a rate one point
    /// higher, a fixed amount 10 more, an interpolated point 1 higher.
    fn paying_more(plan: &Plan, table: &str) -> Plan {
        let mut plan = plan.clone();
        if let Some(spec) = plan.tiers.get_mut(table) {
            for tier in &mut spec.tiers {
                tier.rate = tier.rate.map(|r| r + Decimal::new(1, 2));
                tier.fixed = tier.fixed.map(|f| f + Decimal::TEN);
            }
            for point in &mut spec.points {
                point.y += Decimal::ONE;
            }
        }
        plan.version += 1;
        plan
    }

    /// `plan` with KPI `kpi` scoring one point more everywhere: each anchor,
    /// band and floor of its curve (a scripted curve is left as it is).
    fn scoring_more(plan: &Plan, kpi: &str) -> Plan {
        use perfpay::plan::CurveDoc;
        let mut plan = plan.clone();
        if let Some(doc) = plan.kpis.get_mut(kpi) {
            match &mut doc.curve {
                CurveDoc::Linear(curve) => {
                    for anchor in [&mut curve.threshold, &mut curve.target]
                        .into_iter()
                        .chain(&mut curve.stretch)
                    {
                        anchor.score += Decimal::ONE;
                    }
                    curve.floor += Decimal::ONE;
                }
                CurveDoc::Steps(curve) => {
                    for band in &mut curve.bands {
                        band.score += Decimal::ONE;
                    }
                    curve.below += Decimal::ONE;
                }
                _ => {}
            }
        }
        plan.version += 1;
        plan
    }

    /// Simulating every worked plan's cases under a change of one tier
    /// table, one KPI's curve or one role's target bonus gives what
    /// simulating with everyone evaluated under the proposal gives.
    #[test]
    fn worked_plans_simulate_alike_with_and_without_reach() {
        let mut compared = 0;
        for worked in crate::worked_plans() {
            let plan = Plan::from_toml(&std::fs::read_to_string(&worked.plan).unwrap()).unwrap();
            let mut proposals: Vec<Plan> = plan.tiers.keys().map(|t| paying_more(&plan, t)).collect();
            proposals.extend(plan.kpis.keys().map(|k| scoring_more(&plan, k)));
            for role in plan.roles.keys() {
                let mut p = plan.clone();
                if let Some(doc) = p.roles.get_mut(role) {
                    doc.target_bonus = Some(doc.target_bonus.unwrap_or_default() + Decimal::from(100));
                }
                p.version += 1;
                proposals.push(p);
            }
            let now = plan.compile().unwrap();
            for proposal in proposals {
                let (Ok(narrow), Ok(wide)) = (proposal.compile(), with_an_unused_script(&proposal).compile())
                else {
                    continue;
                };
                for file in &worked.cases {
                    let file =
                        CaseFile::from_text(&std::fs::read_to_string(file).unwrap(), "cases.toml").unwrap();
                    for case in &file.cases {
                        let Some((inputs, _)) = crate::case_outcome(&now, &file, case) else {
                            continue;
                        };
                        let periods = [(file.period, inputs)];
                        let a = simulate(&now, &narrow, periods.clone());
                        let b = simulate(&now, &wide, periods);
                        match (a, b) {
                            (Ok(a), Ok(mut b)) => {
                                // the one evaluated everyone, the other whom the change reaches
                                assert_eq!(b.reach, perfpay::plan::Reach::Everyone);
                                b.reach = a.reach.clone();
                                assert_eq!(a, b, "{} {}", worked.name, case.name)
                            }
                            (a, b) => assert_eq!(a.is_ok(), b.is_ok(), "{} {}", worked.name, case.name),
                        }
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared >= 100, "{compared}");
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(32)))]

        /// Simulating a change evaluates the proposal only for the staff it
        /// reaches ([`reach`](perfpay::plan::reach)) and takes everyone
        /// else's outcome from the plan in force: the simulation is the one
        /// evaluating everyone under the proposal gives, for any mix of
        /// edits to the sample plan's tables, KPIs, roles and plan-wide
        /// settings, any staff of its three roles, over one or two months.
        #[test]
        fn prop_simulating_the_roles_a_change_reaches_is_simulating_everyone(
            staff in proptest::collection::vec(
                prop_oneof![
                    perfpay::testing::employee_inputs("sales", &["sales", "sales_achievement", "repurchase", "teamwork"], 200_000),
                    perfpay::testing::employee_inputs("customer_service", &["satisfaction", "complaint_rate", "teamwork", "service_sales"], 5),
                    perfpay::testing::employee_inputs("operations", &["conversion", "repurchase", "optimisations", "teamwork", "conversion_achievement"], 3),
                ],
                1..12,
            ),
            sales_rate in 0i64..900,
            service_rate in 0i64..300,
            bonus in 0i64..5_000,
            factor in 90i64..150,
            edits in proptest::collection::vec(any::<bool>(), 8),
            months in 1u32..3,
        ) {
            let unique = each_once(staff);
            let rate = |r: i64| Decimal::new(r, 4).to_string();
            let (sales_rate, service_rate) = (rate(sales_rate), rate(service_rate));
            let (bonus, factor) = (bonus.to_string(), Decimal::new(factor, 2).to_string());
            let all: [(&str, &str); 8] = [
                ("tiers.sales.tiers[1].rate", &sales_rate),
                ("tiers.service.tiers[0].rate", &service_rate),
                ("roles.operations.target_bonus", &bonus),
                ("roles.customer_service.commission.multipliers[0].bands[0].factor", &factor),
                // plan-wide
                ("payroll.overtime_divisor", "21.75"),
                ("tiers.iit.tiers[1].rate", "0.11"),
                // KPIs one role scores on
                ("kpis.conversion.curve.linear.target.value", "0.028"),
                ("kpis.satisfaction.curve.linear.stretch.score", "115"),
            ];
            let edit: Vec<(&str, &str)> = all.iter().zip(&edits).filter(|(_, on)| **on).map(|(e, _)| *e).collect();
            let proposal = edited(&edit);
            let plan_wide = edits[4] || edits[5];
            let reached = perfpay::plan::reach(&Plan::from_toml(SHOP).unwrap(), &proposal).unwrap();
            prop_assert_eq!(reached == perfpay::plan::Reach::Everyone, plan_wide);

            let now = Plan::from_toml(SHOP).unwrap().compile().unwrap();
            let (narrow, wide) = (proposal.compile().unwrap(), with_an_unused_script(&proposal).compile().unwrap());
            let periods: Vec<(Period, Vec<EmployeeInputs>)> =
                (1..=months).map(|m| (Period::month(2026, 10 + m).unwrap(), unique.clone())).collect();
            let a = simulate(&now, &narrow, periods.clone()).unwrap();
            let mut b = simulate(&now, &wide, periods).unwrap();
            prop_assert_eq!(&a.reach, &reached);
            prop_assert_eq!(&b.reach, &perfpay::plan::Reach::Everyone);
            b.reach = a.reach.clone();
            prop_assert_eq!(a, b);
        }
    }
}
