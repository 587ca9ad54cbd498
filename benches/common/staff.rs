//! The month-close benches' generated staff: a third each in operations,
//! sales and customer service, with the sample plan's metrics, a salary,
//! an unpaid day now and then and a late arrival (fixed seed).

use std::collections::BTreeMap;

use perfpay::{
    Attendance, Decimal, EmployeeId, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, RoleId, Timeline,
};

use crate::seeded;

/// `n` employees of the sample shop.
pub fn generate(n: usize) -> Vec<EmployeeInputs> {
    let mut seeded = seeded::Seeded::new(0x30_2026_1128);
    let id = |s: &str| MetricId::new(s).expect("metric id");
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    (0..n)
        .map(|i| {
            let (role, metrics): (&str, BTreeMap<MetricId, Decimal>) = match i % 3 {
                0 => (
                    "operations",
                    [
                        (id("conversion"), Decimal::new(150 + seeded.below(300), 4)),
                        (id("repurchase"), Decimal::new(1_000 + seeded.below(2_000), 4)),
                        (id("optimisations"), Decimal::from(seeded.below(9))),
                        (id("teamwork"), Decimal::new(20 + seeded.below(31), 1)),
                        (
                            id("conversion_achievement"),
                            Decimal::new(70 + seeded.below(50), 2),
                        ),
                    ]
                    .into(),
                ),
                1 => (
                    "sales",
                    [
                        (id("sales"), Decimal::new(seeded.below(30_000_000), 2)),
                        (id("sales_achievement"), Decimal::new(40 + seeded.below(100), 2)),
                        (id("repurchase"), Decimal::new(1_000 + seeded.below(2_000), 4)),
                        (id("teamwork"), Decimal::new(20 + seeded.below(31), 1)),
                    ]
                    .into(),
                ),
                _ => (
                    "customer_service",
                    [
                        (id("satisfaction"), Decimal::new(80 + seeded.below(20), 2)),
                        (id("complaint_rate"), Decimal::new(seeded.below(600), 4)),
                        (id("teamwork"), Decimal::new(20 + seeded.below(31), 1)),
                        (id("service_sales"), Decimal::new(seeded.below(10_000_000), 2)),
                    ]
                    .into(),
                ),
            };
            EmployeeInputs {
                employee: EmployeeId::new(format!("e{i:06}")).expect("employee id"),
                role: RoleId::new(role).expect("role"),
                salary: Timeline::constant(start, Decimal::new(500_000 + seeded.below(1_500_000), 2)),
                employed_until: None,
                attendance: Attendance {
                    unpaid_absence_days: Decimal::from(seeded.below(2)),
                    late_minutes: vec![seeded.below(40) as u32],
                    overtime_hours: BTreeMap::new(),
                    paid_leave_days: BTreeMap::new(),
                },
                metrics,
                events: Vec::new(),
                ytd: Some(PayrollYtd::new(2026)),
                granted: Default::default(),
                adjustments: Vec::new(),
                transactions: Vec::new(),
                allowances: Vec::new(),
                tax_deductions: Vec::new(),
                employment_level: None,
                ratings: Default::default(),
                check_ins: Vec::new(),
            }
        })
        .collect()
}
