//! A ~12-line payslip (base, unpaid absence, overtime, bonus, commission,
//! lateness, two contributions with employer parts, cumulative withholding,
//! days) for 10,000 employees: perfpay's `payslip` (every line explained)
//! beside a hand-written native function of the same arithmetic, in one
//! run. Report ns per payslip and the ratio.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/seeded.rs"]
mod seeded;
use perfpay::id::GradeId;
use perfpay::payroll::{BonusInput, Contribution, OvertimeKind, PayInput, PayrollSettings, payslip};
use perfpay::period::{DayBasis, WorkCalendar};
use perfpay::tier::{CumulativeWithholding, Tier, TierTable};
use perfpay::{
    Attendance, Decimal, EmployeeId, Explanation, NaiveDate, PayrollYtd, Period, RoundingPolicy, Timeline,
};
use rust_decimal::RoundingStrategy;
use rust_decimal_macros::dec;

struct Employee {
    id: EmployeeId,
    salary: Timeline<Decimal>,
    attendance: Attendance,
    bonus: BonusInput,
    commission: Explanation,
}

fn employees() -> Vec<Employee> {
    let mut seeded = seeded::Seeded::new(0x9a7_2026_1128);
    (0..10_000)
        .map(|i| {
            let salary = Decimal::new(600_000 + seeded.below(1_400_000), 2);
            Employee {
                id: EmployeeId::new(format!("e{i}")).expect("id"),
                salary: Timeline::constant(NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"), salary),
                attendance: Attendance {
                    unpaid_absence_days: Decimal::from(seeded.below(3)),
                    late_minutes: vec![seeded.below(40) as u32],
                    overtime_hours: BTreeMap::from([(
                        OvertimeKind::Workday,
                        Decimal::from(seeded.below(10)),
                    )]),
                    ..Attendance::default()
                },
                bonus: BonusInput {
                    target: dec!(2000),
                    grade: GradeId::new("A").expect("grade"),
                    coefficient: Decimal::new(5 + seeded.below(11), 1),
                },
                commission: Explanation::money("commission", Decimal::new(seeded.below(500_000), 2)),
            }
        })
        .collect()
}

fn brackets() -> TierTable {
    TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.03)),
        Tier::rate(dec!(36000), dec!(0.10)),
        Tier::rate(dec!(144000), dec!(0.20)),
    ])
    .expect("valid")
}

fn round(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The same arithmetic by hand (January 2026: 22 working days).
fn native(e: &Employee) -> Decimal {
    let salary = e.salary.changes()[0].value;
    let days = dec!(22);
    let base = salary;
    let absence = round(base * e.attendance.unpaid_absence_days / days);
    let hours = e
        .attendance
        .overtime_hours
        .get(&OvertimeKind::Workday)
        .copied()
        .unwrap_or_default();
    let overtime = round(salary * hours * dec!(1.5) / dec!(174));
    let bonus = round(e.bonus.target * e.bonus.coefficient);
    let commission = round(e.commission.result());
    let gross = base - absence + overtime + bonus + commission;
    let late = e
        .attendance
        .late_minutes
        .iter()
        .map(|m| if *m >= 10 { dec!(20) } else { dec!(0) })
        .sum::<Decimal>();
    let cbase = gross.max(dec!(4000)).min(dec!(30000));
    let pension = round(cbase * dec!(0.08));
    let _pension_er = round(cbase * dec!(0.16));
    let medical = round(cbase * dec!(0.02));
    let _medical_er = round(cbase * dec!(0.08));
    let taxable = (gross - pension - medical - dec!(5000)).max(Decimal::ZERO);
    let tax = if taxable < dec!(36000) {
        taxable * dec!(0.03)
    } else if taxable < dec!(144000) {
        taxable * dec!(0.10) - dec!(2520)
    } else {
        taxable * dec!(0.20) - dec!(16920)
    };
    gross - late - pension - medical - round(tax)
}

fn bench(c: &mut Criterion) {
    let cents = RoundingPolicy::cents();
    let settings = PayrollSettings::builder(cents)
        .basis(DayBasis::WorkingDays(WorkCalendar::monday_to_friday()))
        .lateness_band(10, dec!(20))
        .overtime(OvertimeKind::Workday, dec!(1.5))
        .contribution(Contribution {
            base_floor: Some(dec!(4000)),
            base_cap: Some(dec!(30000)),
            ..Contribution::new("PENSION", dec!(0.08), dec!(0.16))
        })
        .contribution(Contribution {
            base_floor: Some(dec!(4000)),
            base_cap: Some(dec!(30000)),
            ..Contribution::new("MEDICAL", dec!(0.02), dec!(0.08))
        })
        .withholding(
            CumulativeWithholding::new(brackets(), cents).expect("valid"),
            dec!(5000),
        )
        .build()
        .expect("valid settings");
    let period = Period::month(2026, 1).expect("period");
    let ytd = PayrollYtd::new(2026);
    let staff = employees();
    let run = |e: &Employee| {
        payslip(
            &settings,
            &PayInput {
                bonus: Some(&e.bonus),
                commission: Some(&e.commission),
                ytd: Some(&ytd),
                ..PayInput::new(&e.id, &period, &e.salary, &e.attendance)
            },
        )
    };
    for e in staff.iter().take(1_000) {
        assert_eq!(run(e).expect("payslip").net, native(e), "{}", e.id);
    }
    let mut group = c.benchmark_group("payroll/12-line payslip x10k");
    group.sample_size(20);
    group.bench_function("native arithmetic (baseline)", |b| {
        b.iter(|| staff.iter().fold(Decimal::ZERO, |a, e| a + native(black_box(e))))
    });
    group.bench_function("perfpay payslip (explained)", |b| {
        b.iter(|| {
            staff.iter().fold(Decimal::ZERO, |a, e| {
                a + run(black_box(e)).map(|p| p.net).unwrap_or_default()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
