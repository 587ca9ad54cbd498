//! The sample shop's data, shared by the examples that close its months:
//! thirteen staff in operations, sales and customer service, November's
//! and December's shop figures, attendance, training courses and
//! November's staff survey.

use std::collections::BTreeMap;

use perfpay::feedback::{Answer, Response};
use perfpay::id::EventId;
use perfpay::incentive::{Event, EventKind};
use perfpay::locale::Locale;
use perfpay::payroll::OvertimeKind;
use perfpay::ports::StaffMember;
use perfpay::sqlite::SqliteStorage;
use perfpay::{Attendance, Decimal, EmployeeId, MetricId, NaiveDate, Period, RoleId, Timeline};

/// id, role, monthly salary, metric names, metric values.
type Row<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);

pub fn d(s: &str) -> Result<Decimal, perfpay::Error> {
    s.parse()
        .map_err(|_| perfpay::Error::data(format!("sample value {s} is not a decimal")))
}

pub fn date(y: i32, m: u32, day: u32) -> Result<NaiveDate, perfpay::Error> {
    NaiveDate::from_ymd_opt(y, m, day).ok_or_else(|| perfpay::Error::data("sample date is invalid"))
}

/// The built-in locale an example's `--lang TAG` asks for (`tag` is what
/// followed the flag).
pub fn language(tag: Option<String>) -> Result<&'static Locale, perfpay::Error> {
    let tag = tag.ok_or_else(|| perfpay::Error::data("--lang needs a language: en or zh-CN"))?;
    Locale::built_in_for(&tag)
        .ok_or_else(|| perfpay::Error::data(format!("--lang {tag}: the built-in locales are en and zh-CN")))
}

/// Stores the sample shop: the roster, November's and December's figures,
/// attendance, training courses and November's staff survey.
pub fn seed(storage: &SqliteStorage) -> Result<(), perfpay::Error> {
    let period = Period::month(2026, 11)?;
    let december = Period::month(2026, 12)?;

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
        storage.add_staff(&StaffMember::new(
            employee.clone(),
            RoleId::new(role)?,
            Timeline::constant(date(2025, 1, 1)?, d(salary)?),
        ))?;
        let mut m = BTreeMap::new();
        for (name, value) in names.iter().zip(values) {
            m.insert(MetricId::new(name)?, d(value)?);
        }
        storage.set_metrics(&employee, &period, &m)?;
        // December: the same figures, sales up a tenth for the season
        if let Some(sales) = m.get_mut(&MetricId::new("sales")?) {
            *sales = (*sales * Decimal::new(11, 1)).round_dp(2);
        }
        storage.set_metrics(&employee, &december, &m)?;
    }
    // a mid-month hire, an unpaid day, lateness, overtime, three courses
    storage.add_staff(&StaffMember::new(
        EmployeeId::new("ops-qin")?,
        RoleId::new("operations")?,
        // hired on 9 November
        Timeline::new([(date(2026, 11, 9)?, d("6800")?)])?,
    ))?;
    let mut qin = BTreeMap::new();
    for (name, value) in ops.iter().zip(["0.025", "0.2", "3", "4", "0.8"]) {
        qin.insert(MetricId::new(name)?, d(value)?);
    }
    let qin_id = EmployeeId::new("ops-qin")?;
    storage.set_metrics(&qin_id, &period, &qin)?;
    storage.set_metrics(&qin_id, &december, &qin)?;
    storage.set_attendance(
        &EmployeeId::new("ops-li")?,
        &period,
        &Attendance {
            unpaid_absence_days: d("1")?,
            late_minutes: vec![5, 15],
            overtime_hours: BTreeMap::from([(OvertimeKind::Workday, d("4")?)]),
            ..Attendance::default()
        },
    )?;
    let mut courses = Vec::new();
    for (event, who, month, day) in [
        ("lms-101", "ops-li", 11, 5),
        ("lms-102", "ops-li", 11, 19),
        ("lms-103", "cs-wei", 11, 12),
        ("lms-104", "ops-li", 12, 8),
    ] {
        courses.push(
            Event::new(
                EventId::new(event)?,
                EmployeeId::new(who)?,
                EventKind::TrainingCompleted,
                date(2026, month, day)?,
            )
            .subject("live-streaming basics"),
        );
    }
    storage.add_events(&courses)?;

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
    let responses: Vec<Response> = answers
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
        })
        .collect();
    storage.add_survey_responses(&period, &responses)
}
