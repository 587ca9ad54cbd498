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
        .filter(|e| e.employee.as_ref().is_some_and(|e| e.as_str() == "cs-chu"))
        .map(|e| (e.code.as_deref().unwrap(), e.account.as_str(), e.debit, e.credit))
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
        serde_json::json!({"account": "6602.01 salaries", "debit": "5500.00", "credit": "0", "cost_centre": "CC-CS", "employee": "cs-chu", "code": "BASE"})
    );
    assert_eq!(json["currency"], "CNY");
    // expenses carry the employee's team's cost centre; liabilities, the
    // payable and the bank none
    for e in &journal.entries {
        let expense = e.account.starts_with("66");
        assert_eq!(e.cost_centre.is_some(), expense, "{e:?}");
    }
    let centre = |c: &str| -> Decimal {
        journal
            .entries
            .iter()
            .filter(|e| e.cost_centre.as_deref() == Some(c))
            .map(|e| e.debit - e.credit)
            .sum()
    };
    // every expense lands in one of the three teams' centres
    assert_eq!(
        centre("CC-OPS") + centre("CC-SALES") + centre("CC-CS"),
        d("115765.86") + d("27783.81")
    );
    // the sales team's commission is all in CC-SALES. By hand, 2 % to
    // 100,000 and 3 % above: wu 165,000 → 3,950; zheng 98,000 → 1,960;
    // feng 240,000 → 6,200; chen 60,000 → 1,200; 13,310.00 of the month's
    // 14,790.00 (the rest is customer service's: chu 880, wei 600)
    let sales_commission: Decimal = journal
        .entries
        .iter()
        .filter(|e| e.cost_centre.as_deref() == Some("CC-SALES") && e.code.as_deref() == Some("COMMISSION"))
        .map(|e| e.debit)
        .sum();
    assert_eq!(sales_commission, d("13310.00"));
    // the same figures from the journal's own sums per account and centre
    let centres = journal.cost_centre_balances().unwrap();
    assert_eq!(centres[&("6601.01 sales commission", "CC-SALES")], d("13310.00"));
    assert_eq!(centres[&("6601.01 sales commission", "CC-CS")], d("1480.00"));
    assert!(centres.keys().all(|(account, _)| account.starts_with("66")));
    assert_eq!(
        centres.values().copied().sum::<Decimal>(),
        d("115765.86") + d("27783.81")
    );
    // and each account's centres add up to its balance
    for (account, balance) in journal.balances().unwrap() {
        let of_account: Decimal = centres
            .iter()
            .filter(|((a, _), _)| *a == account)
            .map(|(_, b)| *b)
            .sum();
        if account.starts_with("66") {
            assert_eq!(of_account, balance, "{account}");
        }
    }
}

#[test]
fn a_journal_per_account_sums_each_account_and_cost_centre() {
    let (plan, outcome) = november();
    let mut chart = plan.chart().unwrap().clone();
    let detailed = outcome.journal(&chart).unwrap();
    chart.detail = perfpay::journal::Detail::Account;
    let summed = outcome.journal(&chart).unwrap();
    assert_eq!(summed, detailed.per_account().unwrap());
    assert_eq!(summed.detail, perfpay::journal::Detail::Account);
    // the same totals and balances, no employee named
    assert_eq!(summed.totals().unwrap(), detailed.totals().unwrap());
    assert_eq!(summed.balances().unwrap(), detailed.balances().unwrap());
    assert!(
        summed
            .entries
            .iter()
            .all(|e| e.employee.is_none() && e.code.is_none())
    );
    let row = |account: &str, centre: Option<&str>| -> Vec<(Decimal, Decimal)> {
        summed
            .entries
            .iter()
            .filter(|e| e.account == account && e.cost_centre.as_deref() == centre)
            .map(|e| (e.debit, e.credit))
            .collect()
    };
    let z = Decimal::ZERO;
    // the bank pays the month's net once; salaries payable is credited
    // with the earnings and debited with the deductions, the unpaid
    // absence (a negative earning, reversed) and the payment, which
    // clear it
    assert_eq!(row("1002 bank", None), [(z, d("102993.59"))]);
    let absence: Decimal = outcome
        .employees
        .iter()
        .filter_map(|o| o.payslip.as_ref())
        .flat_map(|s| &s.lines)
        .filter(|l| l.code == "ABSENCE")
        .map(|l| l.amount)
        .sum();
    assert!(absence < z);
    let payable = row("2211 salaries payable", None);
    assert_eq!(payable.len(), 2);
    assert_eq!(payable[0].0, payable[1].1);
    assert_eq!(payable[1].1, d("115765.86") - absence);
    // commission: customer service's chu and wei (880 + 600 at 1 %), and
    // the sales team's 13,310.00
    assert_eq!(
        row("6601.01 sales commission", Some("CC-CS")),
        [(d("1480.00"), z)]
    );
    assert_eq!(
        row("6601.01 sales commission", Some("CC-SALES")),
        [(d("13310.00"), z)]
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
        lines: [("BASE".to_owned(), Posting::debit("6602"))].into(),
        ..Chart::default()
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
        outcome
            .employees
            .iter()
            .filter_map(|o| Some((o.payslip.as_ref()?, None))),
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
            "currency",
            "cost_centre",
            "employee",
            "code",
            "source",
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
        assert_eq!(&row[4], "CNY");
        assert_eq!(&row[5], entry.cost_centre.as_deref().unwrap_or(""));
        assert_eq!(&row[6], entry.employee.as_ref().unwrap().as_str());
        assert_eq!(&row[7], entry.code.as_deref().unwrap());
        assert_eq!(&row[8], entry.source.as_deref().unwrap_or(""));
        assert_eq!(&row[9], "2026-11");
        assert_eq!(&row[10], "sample-shop v1");
        assert_eq!(&row[11], plan.fingerprint());
    }
    // cs-chu's base salary, as an accounting package reads it
    assert_eq!(
        rows[0].iter().take(8).collect::<Vec<_>>(),
        [
            "2026-11-30",
            "6602.01 salaries",
            "5500.00",
            "0",
            "CNY",
            "CC-CS",
            "cs-chu",
            "BASE"
        ]
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
        perfpay::money::Currency::new("CNY").unwrap(),
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
    let err = payments(slips.iter().copied(), &short, list[0].currency, "pay").unwrap_err();
    let named: Vec<&str> = err.problems().iter().map(|p| p.path()).collect();
    assert_eq!(named, ["cs-chu", "sales-wu"]);
    assert_eq!(err.code(), "data");
    #[cfg(feature = "export")]
    {
        let csv = perfpay::journal::payments_csv(&list).unwrap();
        assert!(csv.starts_with("employee,account,amount,currency,reference\ncs-chu,6222 0000 cs-chu,6767.34,CNY,sample-shop v1 2026-11 pay\n"), "{csv}");
    }
}

/// Sales-wu alone in the sample shop, November closed under v1 (165,000 of
/// sales: 2,000 + 65,000 × 3 % = 3,950.00 commission), then corrected by
/// version 2 with `above` as the rate above 100,000, and December closed
/// under version 2 (50,000 of sales): the store and the two plans.
fn corrected_wu(
    above: &str,
) -> (
    perfpay::ports::memory::MemoryStorage,
    perfpay::CompiledPlan,
    perfpay::CompiledPlan,
) {
    use perfpay::ports::StaffMember;
    use perfpay::ports::memory::{MemoryAttendance, MemoryMetrics, MemoryStorage};
    use perfpay::{EmployeeId, MetricId, NaiveDate, Period, RoleId, Timeline};
    let text = include_str!("../examples/shop.toml");
    let v1 = Plan::from_toml(text).unwrap().compile().unwrap();
    let mut v2 = v1.plan().clone();
    v2.set("tiers.sales.tiers[1].rate", above).unwrap();
    v2.version = 2;
    let v2 = v2.compile().unwrap();
    let wu = EmployeeId::new("sales-wu").unwrap();
    let storage = MemoryStorage::new();
    storage
        .add_staff(StaffMember::new(
            wu.clone(),
            RoleId::new("sales").unwrap(),
            Timeline::constant(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), d("6000")),
        ))
        .unwrap();
    let nov = Period::month(2026, 11).unwrap();
    let mut metrics = MemoryMetrics::new();
    let m = |s: &str| MetricId::new(s).unwrap();
    metrics.insert(
        wu.clone(),
        nov,
        [
            (m("sales"), d("165000")),
            (m("sales_achievement"), d("1.1")),
            (m("repurchase"), d("0.2")),
            (m("teamwork"), d("4")),
        ]
        .into(),
    );
    perfpay::close_period(&v1, &nov, &storage, &MemoryAttendance::new(), &metrics).unwrap();
    perfpay::correct_period(&v2, &nov, &storage).unwrap().unwrap();
    let dec = Period::month(2026, 12).unwrap();
    metrics.insert(
        wu.clone(),
        dec,
        [
            (m("sales"), d("50000")),
            (m("sales_achievement"), d("0.5")),
            (m("repurchase"), d("0.2")),
            (m("teamwork"), d("4")),
        ]
        .into(),
    );
    perfpay::close_period(&v2, &dec, &storage, &MemoryAttendance::new(), &metrics).unwrap();
    (storage, v1, v2)
}

#[test]
fn a_correction_reaches_the_books_as_adjusting_entries_of_the_month_that_pays_it() {
    use perfpay::Period;
    use perfpay::ports::Storage;
    let nov = Period::month(2026, 11).unwrap();
    let dec = Period::month(2026, 12).unwrap();
    let lines = |j: &Journal, code: &str| -> Vec<(String, Decimal, Decimal, Option<String>)> {
        j.entries
            .iter()
            .filter(|e| e.code.as_deref() == Some(code))
            .map(|e| {
                (
                    e.account.clone(),
                    e.debit,
                    e.credit,
                    e.source.as_deref().map(str::to_owned),
                )
            })
            .collect()
    };
    let z = Decimal::ZERO;
    // 3 % → 3.5 % above 100,000: 65,000 × 0.5 % = 325.00 more commission
    let (storage, v1, v2) = corrected_wu("0.035");
    let november = storage.record(&nov).unwrap().unwrap().outcome;
    let books_before = november.journal(v1.chart().unwrap()).unwrap();
    // November's books are never edited: its journal is still v1's 3,950.00
    assert_eq!(
        lines(&books_before, "COMMISSION")[0],
        ("6601.01 sales commission".to_owned(), d("3950.00"), z, None)
    );
    let december = storage.record(&dec).unwrap().unwrap().outcome;
    let books = december.journal(v2.chart().unwrap()).unwrap();
    let adjusting = lines(&books, "ADJ-COMMISSION");
    assert_eq!(adjusting.len(), 2);
    assert_eq!(
        (&adjusting[0].0, adjusting[0].1, adjusting[0].2),
        (&"6601.01 sales commission".to_owned(), d("325.00"), z)
    );
    assert_eq!(
        (&adjusting[1].0, adjusting[1].1, adjusting[1].2),
        (&"2211 salaries payable".to_owned(), z, d("325.00"))
    );
    // each entry says which correction it pays
    let source = adjusting[0].3.as_deref().unwrap();
    assert!(source.starts_with("2026-11 correction 1"), "{source}");
    let (debits, credits) = books.totals().unwrap();
    assert_eq!(debits, credits);

    // 3 % → 2.5 %: 325.00 less; December's journal reverses it out of the
    // commission expense (credit) against salaries payable (debit)
    let (storage, _, v2) = corrected_wu("0.025");
    let december = storage.record(&dec).unwrap().unwrap().outcome;
    let books = december.journal(v2.chart().unwrap()).unwrap();
    let reversing = lines(&books, "ADJ-COMMISSION");
    assert_eq!(
        reversing
            .iter()
            .map(|(a, dr, cr, _)| (a.as_str(), *dr, *cr))
            .collect::<Vec<_>>(),
        [
            ("2211 salaries payable", d("325.00"), z),
            ("6601.01 sales commission", z, d("325.00")),
        ]
    );
    let (debits, credits) = books.totals().unwrap();
    assert_eq!(debits, credits);
}

#[test]
fn a_plan_pays_in_its_currencys_minor_units_and_never_mixes_currencies() {
    use perfpay::money::Currency;
    let shop = include_str!("../examples/shop.toml");
    // a plan in yen, naming no rounding, rounds to whole yen
    let yen = shop
        .replace(r#"currency = "CNY""#, r#"currency = "JPY""#)
        .replace("rounding = { scale = 2, mode = \"half_up\" }\n", "");
    let plan = Plan::from_toml(&yen).unwrap().compile().unwrap();
    assert_eq!(plan.currency(), Currency::new("JPY").unwrap());
    assert_eq!(plan.rounding().scale(), 0);
    let (period, mut inputs) = crate::sample_november_inputs();
    let outcome = perfpay::evaluate_period(&plan, &period, &inputs).unwrap();
    assert_eq!(outcome.currency, Some(plan.currency()));
    // cs-chu by hand, in whole yen: gross 7,580; pension 8 % = 606.40 → 606;
    // medical 2 % = 151.60 → 152; tax (7,580 − 758 − 5,000) × 3 % = 54.66
    // → 55; net 7,580 − 606 − 152 − 55 = 6,767
    let chu = outcome
        .employees
        .iter()
        .find(|o| o.employee.as_str() == "cs-chu")
        .unwrap();
    let slip = chu.payslip.as_ref().unwrap();
    let amount = |code: &str| {
        slip.lines
            .iter()
            .find(|l| l.code == code && l.kind == perfpay::payroll::LineKind::Deduction)
            .map(|l| l.amount)
    };
    assert_eq!(amount("PENSION"), Some(d("606")));
    assert_eq!(amount("MEDICAL"), Some(d("152")));
    assert_eq!(amount("WITHHOLDING"), Some(d("55")));
    assert_eq!(slip.net.to_string(), "6767");
    assert_eq!(slip.ytd.currency, Some(plan.currency()));
    // a rounding finer than the currency's minor unit is a plan problem
    let finer = shop.replace(r#"currency = "CNY""#, r#"currency = "JPY""#);
    let err = Plan::from_toml(&finer).unwrap().compile().unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "rounding.scale: 2 decimal places is finer than the JPY minor unit (0 places)"
    );
    // year-to-date totals in euros are never added to a payslip in yuan
    let (cny, _) = november();
    for i in &mut inputs {
        i.ytd = Some(perfpay::PayrollYtd {
            currency: Some(Currency::new("EUR").unwrap()),
            ..perfpay::PayrollYtd::new(2026)
        });
    }
    let mixed = perfpay::evaluate_period(&cny, &period, &inputs).unwrap();
    for o in &mixed.employees {
        assert!(o.payslip.is_none(), "{}", o.employee);
        let err = &o.errors[0].error;
        assert_eq!(err.path(), Some("ytd.currency"));
        assert_eq!(
            err.message(),
            "the year-to-date totals are in EUR, the payslip in CNY: perfpay does not mix currencies (converting is the host's)"
        );
    }
    // nor simulated against a plan in another currency
    let err = perfpay::simulate::simulate(&cny, &plan, [(period, inputs.clone())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "comparing the proposed plan's costs with the current's would add JPY to CNY: perfpay does not mix currencies (converting is the host's)"
    );
}

#[test]
fn a_correction_in_another_currency_is_refused() {
    use perfpay::ports::Storage;
    let (storage, _, _) = corrected_wu("0.035");
    let text = include_str!("../examples/shop.toml").replace(r#"currency = "CNY""#, r#"currency = "EUR""#);
    let mut v3 = Plan::from_toml(&text).unwrap();
    v3.version = 3;
    let v3 = v3.compile().unwrap();
    let nov = perfpay::Period::month(2026, 11).unwrap();
    let err = perfpay::correct_period(&v3, &nov, &storage).unwrap_err();
    assert!(
        err.to_string()
            .contains("correcting 2026-11 under sample-shop v3 would add EUR to CNY"),
        "{err}"
    );
    assert_eq!(storage.corrections(&nov).unwrap().len(), 1);
}

#[test]
fn a_payslip_prints_as_one_self_contained_page_with_every_line_explained() {
    use perfpay::locale::Locale;
    let (plan, outcome) = november();
    let chu = outcome
        .employees
        .iter()
        .find(|o| o.employee.as_str() == "cs-chu")
        .and_then(|o| o.payslip.as_ref())
        .unwrap();
    for (locale, gross, net, ytd) in [
        (Locale::english(), "gross pay", "net pay", "year to date 2026"),
        (Locale::chinese(), "应发工资", "实发工资", "2026 年累计"),
    ] {
        let locale = plan.locale(locale);
        let page = perfpay::payroll::payslip_html(chu, &locale, &plan.rounding(), outcome.currency);
        // well-formed, and nothing fetched from elsewhere
        let doc = roxmltree::Document::parse_with_options(
            &page,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..roxmltree::ParsingOptions::default()
            },
        )
        .unwrap();
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert!(!["script", "link", "img", "iframe"].contains(&node.tag_name().name()));
            assert!(node.attribute("src").is_none() && node.attribute("href").is_none());
        }
        assert_eq!(doc.root_element().attribute("lang"), Some(locale.tag()));
        // every earning, deduction and employer cost one row, its
        // explanation one click away; the payslip's own explanation too
        let details: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("details")).collect();
        let money_lines = chu
            .lines
            .iter()
            .filter(|l| l.kind != perfpay::payroll::LineKind::Information)
            .count();
        assert_eq!(money_lines, 8); // base, bonus, commission, 2 × 2 contributions, tax
        assert_eq!(details.len(), money_lines + 1);
        // the rows as text: (first cell, amount)
        let rows: Vec<(String, String)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("tr"))
            .filter_map(|tr| {
                let cells: Vec<_> = tr.children().filter(|c| c.has_tag_name("td")).collect();
                let [first, amount] = cells.as_slice() else {
                    return None;
                };
                let label = first
                    .descendants()
                    .find(|n| n.has_tag_name("summary"))
                    .unwrap_or(*first)
                    .text()
                    .unwrap_or_default()
                    .to_owned();
                Some((label, amount.text().unwrap_or_default().to_owned()))
            })
            .collect();
        let amount_of = |label: &str| -> Vec<&str> {
            rows.iter()
                .filter(|(l, _)| l == label)
                .map(|(_, a)| a.as_str())
                .collect()
        };
        // cs-chu's November by hand (see the journal test above)
        assert_eq!(amount_of(gross), ["7,580.00", "7,580.00"], "{rows:?}"); // the month, then the year so far
        assert_eq!(amount_of(net), ["6,767.34"]);
        // the lines, gross, deductions, net, the employer's total, and
        // the year so far: gross, contributions both sides, taxable base,
        // tax withheld
        assert_eq!(rows.len(), money_lines + 3 + 1 + 5, "{rows:?}");
        assert!(page.contains(&format!("<h2>{ytd}</h2>")), "{page}");
    }
    // the explanation of commission, in Chinese, with the plan's names
    let page = perfpay::payroll::payslip_html(
        chu,
        &plan.locale(Locale::chinese()),
        &plan.rounding(),
        outcome.currency,
    );
    assert!(
        page.contains("<summary>提成</summary><pre>提成 880.00 = 800.00 × 1.1\n"),
        "{page}"
    );
    assert!(page.contains("<p class=\"note\">金额单位：CNY</p>"));
}
