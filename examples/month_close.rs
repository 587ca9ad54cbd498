//! The main job: close November 2026 for the sample shop.
//!
//! Twelve staff in operations, sales and customer service, under the seed's
//! rules (examples/shop.toml), fed through the in-memory adapters: scores
//! with their parts, grades, rankings, commission, awards, payslips, and a
//! team summary.
//!
//! Run with `cargo run --example month_close`.

use std::collections::BTreeMap;

use perfpay::feedback::{Answer, Response};
use perfpay::id::EventId;
use perfpay::incentive::{AwardKind, Event, EventKind};
use perfpay::payroll::OvertimeKind;
use perfpay::ports::StaffMember;
use perfpay::ports::memory::{MemoryAttendance, MemoryMetrics, MemoryStorage};
use perfpay::{
    Attendance, Decimal, EmployeeId, MetricId, NaiveDate, Period, Plan, RoleId, RoundingPolicy, Timeline,
    close_period,
};

const PLAN: &str = include_str!("shop.toml");

/// id, role, monthly salary, metric names, metric values.
type Row<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);

fn d(s: &str) -> Result<Decimal, perfpay::Error> {
    s.parse()
        .map_err(|_| perfpay::Error::data(format!("sample value {s} is not a decimal")))
}

fn date(y: i32, m: u32, day: u32) -> Result<NaiveDate, perfpay::Error> {
    NaiveDate::from_ymd_opt(y, m, day).ok_or_else(|| perfpay::Error::data("sample date is invalid"))
}

fn main() -> Result<(), perfpay::Error> {
    let plan = Plan::from_toml(PLAN)?.compile()?;
    let period = Period::month(2026, 11)?;
    let storage = MemoryStorage::new();
    let mut attendance = MemoryAttendance::new();
    let mut metrics = MemoryMetrics::new();

    // (id, role, monthly salary, metrics…)
    let ops = [
        "conversion",
        "repurchase",
        "optimisations",
        "teamwork",
        "conversion_achievement",
    ];
    let sales = ["sales", "sales_achievement", "repurchase", "teamwork"];
    let service = ["satisfaction", "complaint_rate", "teamwork", "service_sales"];
    let staff: [Row; 12] = [
        (
            "ops-li",
            "operations",
            "8000",
            &ops,
            &["0.035", "0.22", "6", "4.5", "1.05"],
        ),
        (
            "ops-wang",
            "operations",
            "7500",
            &ops,
            &["0.028", "0.26", "4", "4", "0.93"],
        ),
        (
            "ops-zhao",
            "operations",
            "7000",
            &ops,
            &["0.041", "0.18", "8", "5", "1.2"],
        ),
        (
            "ops-sun",
            "operations",
            "6500",
            &ops,
            &["0.019", "0.12", "1", "3", "0.6"],
        ),
        (
            "ops-zhou",
            "operations",
            "7200",
            &ops,
            &["0.030", "0.25", "5", "4", "1"],
        ),
        (
            "sales-wu",
            "sales",
            "6000",
            &sales,
            &["165000", "1.1", "0.2", "4"],
        ),
        (
            "sales-zheng",
            "sales",
            "6000",
            &sales,
            &["98000", "0.82", "0.3", "5"],
        ),
        (
            "sales-feng",
            "sales",
            "6500",
            &sales,
            &["240000", "1.35", "0.24", "4.5"],
        ),
        (
            "sales-chen",
            "sales",
            "5800",
            &sales,
            &["60000", "0.5", "0.15", "3"],
        ),
        (
            "cs-chu",
            "customer_service",
            "5500",
            &service,
            &["0.96", "0.012", "4.5", "80000"],
        ),
        (
            "cs-wei",
            "customer_service",
            "5500",
            &service,
            &["0.91", "0.03", "4", "60000"],
        ),
        (
            "cs-jiang",
            "customer_service",
            "5200",
            &service,
            &["0.88", "0.045", "3.5", "70000"],
        ),
    ];
    for (id, role, salary, names, values) in staff {
        let employee = EmployeeId::new(id)?;
        storage.add_staff(StaffMember::new(
            employee.clone(),
            RoleId::new(role)?,
            Timeline::constant(date(2025, 1, 1)?, d(salary)?),
        ))?;
        let mut m = BTreeMap::new();
        for (name, value) in names.iter().zip(values) {
            m.insert(MetricId::new(name)?, d(value)?);
        }
        metrics.insert(employee, period, m);
    }
    // a mid-month hire, an unpaid day, lateness, overtime, three courses
    storage.add_staff(StaffMember::new(
        EmployeeId::new("ops-qin")?,
        RoleId::new("operations")?,
        // hired on 9 November
        Timeline::new([(date(2026, 11, 9)?, d("6800")?)])?,
    ))?;
    let mut qin = BTreeMap::new();
    for (name, value) in ops.iter().zip(["0.025", "0.2", "3", "4", "0.8"]) {
        qin.insert(MetricId::new(name)?, d(value)?);
    }
    metrics.insert(EmployeeId::new("ops-qin")?, period, qin);
    attendance.insert(
        EmployeeId::new("ops-li")?,
        period,
        Attendance {
            unpaid_absence_days: d("1")?,
            late_minutes: vec![5, 15],
            overtime_hours: BTreeMap::from([(OvertimeKind::Workday, d("4")?)]),
            ..Attendance::default()
        },
    );
    for (event, who, day) in [
        ("lms-101", "ops-li", 5),
        ("lms-102", "ops-li", 19),
        ("lms-103", "cs-wei", 12),
    ] {
        storage.add_event(
            Event::new(
                EventId::new(event)?,
                EmployeeId::new(who)?,
                EventKind::TrainingCompleted,
                date(2026, 11, day)?,
            )
            .subject("live-streaming basics"),
        )?;
    }

    // the month's anonymous staff survey, by role (tokens, not names)
    let answers: [(&str, u8, u8, &str); 13] = [
        ("operations", 4, 9, "training"),
        ("operations", 3, 7, "cash"),
        ("operations", 5, 10, "training"),
        ("operations", 2, 5, "days off"),
        ("operations", 4, 8, "cash"),
        ("operations", 3, 6, "training"),
        ("sales", 2, 6, "cash"),
        ("sales", 3, 7, "cash"),
        ("sales", 2, 5, "days off"),
        ("sales", 4, 9, "cash"),
        ("customer_service", 3, 8, "training"),
        ("customer_service", 4, 9, "days off"),
        ("customer_service", 3, 7, "cash"),
    ];
    storage.add_survey_responses(
        period,
        answers
            .iter()
            .enumerate()
            .map(|(i, (group, satisfaction, recommend, more))| Response {
                respondent: format!("token-{i:02}"),
                group: (*group).to_owned(),
                answers: BTreeMap::from([
                    ("incentive_satisfaction".to_owned(), Answer::Scale(*satisfaction)),
                    ("recommend".to_owned(), Answer::Scale(*recommend)),
                    ("more_of".to_owned(), Answer::Choice((*more).to_owned())),
                ]),
            }),
    )?;

    let outcome = close_period(&plan, &period, &storage, &attendance, &metrics)?;
    let cents = RoundingPolicy::cents();

    println!(
        "Month close {period} — plan {} (fingerprint {}…)\n",
        outcome.plan,
        &outcome.plan_fingerprint[..12]
    );
    for o in &outcome.employees {
        println!("== {} ({})", o.employee, o.role);
        for error in &o.errors {
            println!("   ! {}: {}", error.stage, error.error);
        }
        // net pay, score, grade and rank; then the commission as its pay
        // line explains it, and each award
        print!("{}", indent(&o.explanation.render(&cents)));
        let slip_lines = o.payslip.as_ref().map_or(&[][..], |p| p.lines.as_slice());
        for line in slip_lines.iter().filter(|l| l.code == "COMMISSION") {
            print!("{}", indent_step(&line.explanation.render(&cents)));
        }
        for award in &o.awards {
            print!("{}", indent_step(&award.explanation.render(&cents)));
        }
        for goal in &o.goals {
            println!("   goal {}: {}", goal.goal, goal.explanation.statement(&cents));
        }
        // how far the next reward is: a tier, a grade, an award
        for next in &o.next {
            println!("   {}", next.explanation().statement(&cents));
        }
        if let Some(slip) = &o.payslip {
            println!("   payslip");
            for line in &slip.lines {
                let unit = if line.code == "DAYS" {
                    perfpay::Unit::Days
                } else {
                    perfpay::Unit::Money
                };
                let kind = match line.kind {
                    perfpay::payroll::LineKind::Earning => "",
                    perfpay::payroll::LineKind::Deduction => "deducted",
                    perfpay::payroll::LineKind::EmployerCost => "employer's cost",
                    _ => "",
                };
                let shown = format!(
                    "     {:<12} {:>12}  {kind}",
                    line.code,
                    perfpay::explain::Quantity::new(line.amount, unit).render(&cents)
                );
                println!("{}", shown.trim_end());
            }
            println!(
                "     {:<12} {:>12}",
                "NET",
                perfpay::explain::Quantity::new(slip.net, perfpay::Unit::Money).render(&cents)
            );
        }
        println!();
    }

    println!("== team summary");
    let mut gross = Decimal::ZERO;
    let mut net = Decimal::ZERO;
    let mut commission = Decimal::ZERO;
    let mut cash_awards = Decimal::ZERO;
    let mut points = Decimal::ZERO;
    for o in &outcome.employees {
        if let Some(p) = &o.payslip {
            gross += p.gross;
            net += p.net;
        }
        commission += o.commission.unwrap_or_default();
        for a in &o.awards {
            match a.kind {
                AwardKind::Cash(c) => cash_awards += c,
                AwardKind::Points(p) => points += p,
                AwardKind::Honour(_) => {}
            }
        }
    }
    if let Some(shop) = outcome.team.goals.get(&perfpay::id::GoalId::new("shop-gmv")?) {
        println!("   the shop's goal: {}", shop.explanation.statement(&cents));
    }
    for (role, best) in &outcome.team.best {
        let names: Vec<&str> = best.iter().map(|e| e.as_str()).collect();
        println!("   best of {period} in {role}: {}", names.join(", "));
    }
    let money = |v| perfpay::explain::Quantity::new(v, perfpay::Unit::Money).render(&cents);
    println!(
        "   staff paid {}",
        outcome.employees.iter().filter(|o| o.payslip.is_some()).count()
    );
    println!("   gross {}, net {}", money(gross), money(net));
    println!(
        "   commission {}, cash awards {}, training points {}",
        money(commission),
        money(cash_awards),
        points.normalize()
    );

    use perfpay::ports::Storage;
    // what the month says about the plan: the survey, then the findings
    if let Some(report) = &outcome.survey {
        println!("\n== survey (anonymity {})", report.k);
        print!("{}", indent(&report.render()));
    }
    let closed = storage
        .record(&period)?
        .ok_or_else(|| perfpay::Error::data("the closed month is not stored"))?;
    let findings = outcome.diagnose(&plan, &closed.inputs)?;
    println!("\n== findings ({})", findings.len());
    for f in &findings {
        println!("   {} {}: {}", f.code, f.scope, f.message);
    }
    println!();
    let li = storage.ledger(&EmployeeId::new("ops-li")?)?;
    println!(
        "   ops-li's training points: {} (ledger of {} movements)",
        li.balance().normalize(),
        li.movements().len()
    );
    // closing the same month again changes nothing and grants nothing twice
    let again = close_period(&plan, &period, &storage, &attendance, &metrics)?;
    println!(
        "   closed again: identical = {}, commits = {}",
        again == outcome,
        storage.commits()?
    );

    // the vendor finds the rate above 100,000 should have been 3.5 %: a new
    // plan version corrects the closed month; the stored month is kept and
    // the differences are paid with the next payslip
    let mut corrected = Plan::from_toml(PLAN)?;
    corrected.version += 1;
    for tier in &mut corrected
        .tiers
        .get_mut("sales")
        .ok_or_else(|| perfpay::Error::data("the sample plan has no sales table"))?
        .tiers
    {
        if tier.from == Decimal::from(100_000) {
            tier.rate = Some(Decimal::new(35, 3));
        }
    }
    let corrected = corrected.compile()?;
    if let Some(correction) = perfpay::correct_period(&corrected, &period, &storage)? {
        println!(
            "\n== correction {} of {period} under {}",
            correction.sequence, correction.outcome.plan
        );
        for (employee, lines) in &correction.adjustments {
            let view: Vec<String> = lines
                .iter()
                .map(|l| format!("{} {}", l.code, money(l.amount)))
                .collect();
            let payable: Decimal = correction.payable(employee).iter().map(|i| i.amount).sum();
            println!(
                "   {employee}: {}; paid next month: {}",
                view.join(", "),
                money(payable)
            );
        }
    }
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}

/// Indented as a child of an employee's root step.
fn indent_step(text: &str) -> String {
    text.lines().map(|l| format!("     {l}\n")).collect()
}
