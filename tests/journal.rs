//! The payroll journal: the sample shop's November in the books.

use perfpay::journal::{Chart, Journal, Posting};
use perfpay::{Decimal, PeriodOutcome, Plan};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn november() -> (perfpay::CompiledPlan, PeriodOutcome) {
    crate::sample_november()
}

#[test]
fn the_sample_months_journal_posts_every_line_and_balances() {
    let (plan, outcome) = november();
    let journal = outcome.journal(plan.chart().unwrap()).unwrap();
    // cs-chu's payslip, hand-checked (examples/inputs/shop-2026-11.toml):
    // base 5,500, bonus 1,000 × 1.2, commission 800 × 1.1; pension 8 % and
    // 16 %, medical 2 % and 8 % of 7,580; tax (7,580 − 758 − 5,000) × 3 %;
    // net 7,580 − 606.40 − 151.60 − 54.66 = 6,767.34
    let chu: Vec<(&str, &str, Decimal, Decimal)> = journal
        .entries
        .iter()
        .filter(|e| e.employee.as_str() == "cs-chu")
        .map(|e| (e.code.as_str(), e.account.as_str(), e.debit, e.credit))
        .collect();
    let z = Decimal::ZERO;
    assert_eq!(
        chu,
        [
            ("BASE", "6602.01 salaries", d("5500.00"), z),
            ("BASE", "2211 salaries payable", z, d("5500.00")),
            ("BONUS", "6602.03 bonuses", d("1200.00"), z),
            ("BONUS", "2211 salaries payable", z, d("1200.00")),
            ("COMMISSION", "6601.01 sales commission", d("880.00"), z),
            ("COMMISSION", "2211 salaries payable", z, d("880.00")),
            ("PENSION", "2211 salaries payable", d("606.40"), z),
            ("PENSION", "2211.03 social insurance payable", z, d("606.40")),
            ("PENSION", "6602.10 social insurance", d("1212.80"), z),
            ("PENSION", "2211.03 social insurance payable", z, d("1212.80")),
            ("MEDICAL", "2211 salaries payable", d("151.60"), z),
            ("MEDICAL", "2211.03 social insurance payable", z, d("151.60")),
            ("MEDICAL", "6602.10 social insurance", d("606.40"), z),
            ("MEDICAL", "2211.03 social insurance payable", z, d("606.40")),
            ("WITHHOLDING", "2211 salaries payable", d("54.66"), z),
            (
                "WITHHOLDING",
                "2221.01 individual income tax payable",
                z,
                d("54.66")
            ),
            ("NET", "2211 salaries payable", d("6767.34"), z),
            ("NET", "1002 bank", z, d("6767.34")),
        ]
    );
    // the month: debits = credits; each account against the payslips (the
    // CLI's summary: gross 115,765.86, net 102,993.59, employer cost
    // 27,783.81, commission 14,790.00)
    let (debits, credits) = journal.totals().unwrap();
    assert_eq!(debits, credits);
    let balances = journal.balances().unwrap();
    assert_eq!(balances["6601.01 sales commission"], d("14790.00"));
    assert_eq!(balances["1002 bank"], d("-102993.59"));
    assert_eq!(balances["2211 salaries payable"], Decimal::ZERO);
    let expenses: Decimal = balances
        .iter()
        .filter(|(a, _)| a.starts_with("66"))
        .map(|(_, b)| *b)
        .sum();
    // the salary expenses (66…) hold gross and the employer's costs; the
    // lateness penalties kept from pay are other income
    let lateness: Decimal = outcome
        .employees
        .iter()
        .filter_map(|o| o.payslip.as_ref())
        .flat_map(|s| &s.lines)
        .filter(|l| l.code == "LATENESS")
        .map(|l| l.amount)
        .sum();
    assert_eq!(lateness, d("20.00"));
    assert_eq!(expenses, d("115765.86") + d("27783.81"));
    assert_eq!(balances["6301 other income"], -lateness);
    // the JSON a host stores and exports
    let json = serde_json::to_value(&journal).unwrap();
    assert_eq!(json["period"], "2026-11");
    assert_eq!(
        json["entries"][0],
        serde_json::json!({"account": "6602.01 salaries", "debit": "5500.00", "credit": "0", "employee": "cs-chu", "code": "BASE"})
    );
}

#[test]
fn a_code_without_its_account_is_a_plan_problem_or_a_refused_journal() {
    // the plan says where every line it can pay goes: BONUS unmapped is a
    // problem with its path
    let shop = include_str!("../examples/shop.toml");
    let without = shop.replace("BONUS = { debit = \"6602.03 bonuses\" }\n", "");
    let err = Plan::from_toml(&without).unwrap().compile().unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        ["journal.lines.BONUS: no debit account for the earning line BONUS"]
    );
    // a contribution needs both sides: the employee's part is a deduction,
    // the employer's an employer cost
    let half = shop.replace(
        "PENSION = { debit = \"6602.10 social insurance\", credit = \"2211.03 social insurance payable\" }",
        "PENSION = { credit = \"2211.03 social insurance payable\" }",
    );
    let err = Plan::from_toml(&half).unwrap().compile().unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "journal.lines.PENSION: no debit account for the employer-cost line PENSION"
    );
    // a chart given by the host that lacks a line refuses the whole journal,
    // naming the employee and the code
    let (_, outcome) = november();
    let chart = Chart {
        payable: "2211".into(),
        net: None,
        lines: [("BASE".to_owned(), Posting::debit("6602"))].into(),
    };
    let err = outcome.journal(&chart).unwrap_err();
    assert_eq!(err.path(), Some("journal.lines.BONUS"));
    assert_eq!(err.employee().map(|e| e.as_str()), Some("cs-chu"));
    assert!(
        err.to_string()
            .contains("no debit account for the earning line BONUS"),
        "{err}"
    );
    // without a `net` account the net stays in salaries payable
    let mut chart = plan_chart();
    chart.net = None;
    let journal = Journal::of(
        outcome.period,
        outcome.employees.iter().filter_map(|o| o.payslip.as_ref()),
        &chart,
    )
    .unwrap();
    assert_eq!(
        journal.balances().unwrap()["2211 salaries payable"],
        d("-102993.59")
    );
}

fn plan_chart() -> Chart {
    let (plan, _) = november();
    plan.chart().unwrap().clone()
}

#[cfg(feature = "export")]
#[test]
fn the_journal_as_csv_reads_back_entry_by_entry() {
    let (plan, outcome) = november();
    let journal = outcome.journal(plan.chart().unwrap()).unwrap();
    let text = journal.to_csv().unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "date",
            "account",
            "debit",
            "credit",
            "employee",
            "code",
            "period",
            "plan",
            "plan_fingerprint"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), journal.entries.len());
    for (row, entry) in rows.iter().zip(&journal.entries) {
        assert_eq!(&row[0], "2026-11-30");
        assert_eq!(&row[1], entry.account);
        assert_eq!(d(&row[2]), entry.debit);
        assert_eq!(d(&row[3]), entry.credit);
        assert_eq!(&row[4], entry.employee.as_str());
        assert_eq!(&row[5], entry.code.as_str());
        assert_eq!(&row[6], "2026-11");
        assert_eq!(&row[7], "sample-shop v1");
        assert_eq!(&row[8], plan.fingerprint());
    }
    // cs-chu's base salary, as an accounting package reads it
    assert_eq!(
        rows[0].iter().take(6).collect::<Vec<_>>(),
        ["2026-11-30", "6602.01 salaries", "5500.00", "0", "cs-chu", "BASE"]
    );
    // the debits and credits of the file balance
    let sum = |i: usize| rows.iter().map(|r| d(&r[i])).sum::<Decimal>();
    assert_eq!(sum(2), sum(3));
}

#[test]
fn a_bank_payment_list_pays_each_net_to_the_hosts_account() {
    use perfpay::EmployeeId;
    use perfpay::journal::payments;
    let (_, outcome) = november();
    let slips: Vec<_> = outcome
        .employees
        .iter()
        .filter_map(|o| o.payslip.as_ref())
        .collect();
    let accounts: std::collections::BTreeMap<EmployeeId, String> = slips
        .iter()
        .map(|s| (s.employee.clone(), format!("6222 0000 {}", s.employee)))
        .collect();
    let list = payments(
        slips.iter().copied(),
        &accounts,
        "CNY",
        "sample-shop v1 2026-11 pay",
    )
    .unwrap();
    assert_eq!(list.len(), 13);
    assert_eq!(list[0].employee.as_str(), "cs-chu");
    assert_eq!(list[0].amount, d("6767.34"));
    assert_eq!(list[0].account, "6222 0000 cs-chu");
    assert_eq!(list.iter().map(|p| p.amount).sum::<Decimal>(), d("102993.59"));
    // an employee without an account: every one named, nothing paid
    let mut short = accounts.clone();
    short.remove(&EmployeeId::new("cs-chu").unwrap());
    short.remove(&EmployeeId::new("sales-wu").unwrap());
    let err = payments(slips.iter().copied(), &short, "CNY", "pay").unwrap_err();
    let named: Vec<&str> = err.problems().iter().map(|p| p.path()).collect();
    assert_eq!(named, ["cs-chu", "sales-wu"]);
    assert_eq!(err.code(), "data");
    #[cfg(feature = "export")]
    {
        let csv = perfpay::journal::payments_csv(&list).unwrap();
        assert!(csv.starts_with("employee,account,amount,currency,reference\ncs-chu,6222 0000 cs-chu,6767.34,CNY,sample-shop v1 2026-11 pay\n"), "{csv}");
    }
}
