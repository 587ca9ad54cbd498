//! A vendor edits rules in the plan file, recompiles, and sees the
//! difference per employee: the rate above 100,000 goes from 3 % to 3.5 %,
//! and the customer-service gate from 90 % to 88 % satisfaction.
//!
//! Run with `cargo run --example custom_rule`.

use std::collections::BTreeMap;

use perfpay::{
    Decimal, EmployeeId, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, Period, Plan, RoleId,
    RoundingPolicy, Timeline, Unit, evaluate_period,
};

const PLAN: &str = include_str!("shop.toml");

/// id, role, monthly salary, metrics.
type Row<'a> = (&'a str, &'a str, i64, &'a [(&'a str, &'a str)]);

fn staff() -> Result<Vec<EmployeeInputs>, perfpay::Error> {
    let rows: [Row; 4] = [
        (
            "sales-wu",
            "sales",
            6_000,
            &[
                ("sales", "165000"),
                ("sales_achievement", "1.1"),
                ("repurchase", "0.2"),
                ("teamwork", "4"),
            ],
        ),
        (
            "sales-feng",
            "sales",
            6_500,
            &[
                ("sales", "240000"),
                ("sales_achievement", "1.35"),
                ("repurchase", "0.24"),
                ("teamwork", "4.5"),
            ],
        ),
        (
            "cs-chu",
            "customer_service",
            5_500,
            &[
                ("satisfaction", "0.96"),
                ("complaint_rate", "0.012"),
                ("teamwork", "4.5"),
                ("service_sales", "80000"),
            ],
        ),
        (
            "cs-jiang",
            "customer_service",
            5_200,
            &[
                ("satisfaction", "0.88"),
                ("complaint_rate", "0.045"),
                ("teamwork", "3.5"),
                ("service_sales", "70000"),
            ],
        ),
    ];
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).ok_or_else(|| perfpay::Error::data("bad date"))?;
    rows.iter()
        .map(|(id, role, salary, metrics)| {
            let mut m = BTreeMap::new();
            for (name, value) in metrics.iter() {
                let value: Decimal = value
                    .parse()
                    .map_err(|_| perfpay::Error::data(format!("bad value {value}")))?;
                m.insert(MetricId::new(name)?, value);
            }
            Ok(EmployeeInputs::new(
                EmployeeId::new(id)?,
                RoleId::new(role)?,
                Timeline::constant(start, Decimal::from(*salary)),
            )
            .with_metrics(m)
            .with_ytd(PayrollYtd::new(2026)))
        })
        .collect()
}

fn main() -> Result<(), perfpay::Error> {
    let period = Period::month(2026, 11)?;
    let inputs = staff()?;
    let before = evaluate_period(&Plan::from_toml(PLAN)?.compile()?, &period, &inputs)?;

    // the vendor's edit, as text: exactly what they would change in the file
    let edited = PLAN
        .replace(
            r#"{ from = "100000", rate = "0.03" }"#,
            r#"{ from = "100000", rate = "0.035" }"#,
        )
        .replace(
            r#"cs_gate = "satisfaction >= 0.90""#,
            r#"cs_gate = "satisfaction >= 0.88""#,
        );
    let plan = Plan::from_toml(&edited)?.compile()?;
    let after = evaluate_period(&plan, &period, &inputs)?;

    let cents = RoundingPolicy::cents();
    let money = |v: Option<Decimal>| {
        v.map_or("—".to_owned(), |v| {
            perfpay::explain::Quantity::new(v, Unit::Money).render(&cents)
        })
    };
    println!(
        "{:<12} {:>12} {:>12} {:>12} {:>12}",
        "employee", "commission", "→", "net", "→"
    );
    for (b, a) in before.employees.iter().zip(&after.employees) {
        println!(
            "{:<12} {:>12} {:>12} {:>12} {:>12}",
            b.employee.as_str(),
            money(b.commission),
            money(a.commission),
            money(b.payslip.as_ref().map(|p| p.net)),
            money(a.payslip.as_ref().map(|p| p.net)),
        );
    }
    println!("\nwhy, after the edit:");
    for o in &after.employees {
        if let Some(line) = o
            .payslip
            .as_ref()
            .and_then(|p| p.lines.iter().find(|l| l.code == "COMMISSION"))
        {
            print!("{}: {}", o.employee, line.explanation.render(&cents));
        }
    }
    // a mistake in the edit is caught when the plan is compiled, not on payday
    let typo = PLAN.replace(
        r#"cs_gate = "satisfaction >= 0.90""#,
        r#"cs_gate = "satisfation >= 0.88""#,
    );
    if let Err(err) = Plan::from_toml(&typo)?.compile() {
        println!("\na typo in the edit: {err}");
    }
    Ok(())
}
