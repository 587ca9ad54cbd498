//! Payslips: the seed's operations employee by hand, hires, mid-month
//! changes, twelve chained months, bad input.

use std::collections::{BTreeMap, BTreeSet};

use perfpay::id::{GradeId, RuleId};
use perfpay::incentive::{
    AwardSpec, Catalog, Facts, IncentiveInput, IncentiveProgram, IncentiveRule, Trigger,
};
use perfpay::payroll::{
    BonusInput, Contribution, LineKind, OvertimeKind, PayInput, PayrollSettings, payslip,
};
use perfpay::period::{DayBasis, WorkCalendar};
use perfpay::testing::check_payslip;
use perfpay::tier::{CumulativeWithholding, Tier, TierTable};
use perfpay::{
    Attendance, Decimal, EmployeeId, ErrorKind, Explanation, NaiveDate, PayrollYtd, Period, RoundingPolicy,
    Timeline,
};
use rust_decimal_macros::dec;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// What `slip` withholds this period: its WITHHOLDING line.
fn withholding(slip: &perfpay::Payslip) -> Decimal {
    slip.lines
        .iter()
        .find(|l| l.code == "WITHHOLDING")
        .unwrap()
        .amount
}

fn iit() -> CumulativeWithholding {
    CumulativeWithholding::new(crate::tier::iit_brackets(), RoundingPolicy::cents()).unwrap()
}

fn settings() -> PayrollSettings {
    PayrollSettings::builder(RoundingPolicy::cents())
        .basis(DayBasis::WorkingDays(WorkCalendar::monday_to_friday()))
        .lateness_band(10, dec!(20))
        .lateness_band(30, dec!(50))
        .overtime_divisor(dec!(174))
        .overtime(OvertimeKind::Workday, dec!(1.5))
        .overtime(OvertimeKind::RestDay, dec!(2))
        .overtime(OvertimeKind::Holiday, dec!(3))
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
        .withholding(iit(), dec!(5000))
        .build()
        .unwrap()
}

fn award_1000(employee: &EmployeeId, period: &Period) -> Vec<perfpay::Award> {
    let rule = IncentiveRule::new(
        RuleId::new("conversion-goal-bonus").unwrap(),
        Trigger::Outcome(vec![]),
        AwardSpec::Cash(dec!(1000)),
    );
    let program = IncentiveProgram::new(vec![rule], &Catalog::default(), RoundingPolicy::cents()).unwrap();
    program
        .evaluate(&IncentiveInput {
            employee,
            period,
            facts: &Facts::default(),
            events: &[],
            granted: &BTreeSet::new(),
        })
        .unwrap()
}

#[test]
fn the_seed_operations_employee_in_january_by_hand() {
    let employee = EmployeeId::new("li").unwrap();
    let period = Period::month(2026, 1).unwrap(); // 22 working days, Monday to Friday
    let salary = Timeline::constant(date(2025, 6, 1), dec!(8000));
    let attendance = Attendance {
        unpaid_absence_days: dec!(1),
        late_minutes: vec![5, 15],
        overtime_hours: BTreeMap::from([(OvertimeKind::Workday, dec!(4))]),
        ..Attendance::default()
    };
    let bonus = BonusInput {
        target: dec!(2000),
        grade: GradeId::new("A").unwrap(),
        coefficient: dec!(1.2),
    };
    let commission = TierTable::marginal([
        Tier::rate(dec!(0), dec!(0.01)),
        Tier::rate(dec!(50000), dec!(0.02)),
        Tier::rate(dec!(100000), dec!(0.03)),
    ])
    .unwrap()
    .evaluate(dec!(165000))
    .unwrap()
    .explanation;
    let awards = award_1000(&employee, &period);
    let ytd = PayrollYtd::new(2026);
    let slip = payslip(
        &settings(),
        &PayInput {
            bonus: Some(&bonus),
            commission: Some(&commission),
            awards: &awards,
            ytd: Some(&ytd),
            ..PayInput::new(&employee, &period, &salary, &attendance)
        },
    )
    .unwrap();
    let lines: Vec<(&str, LineKind, Decimal)> =
        slip.lines.iter().map(|l| (&*l.code, l.kind, l.amount)).collect();
    use LineKind::*;
    assert_eq!(
        lines,
        [
            ("BASE", Earning, dec!(8000.00)),
            ("ABSENCE", Earning, dec!(-363.64)),    // 8,000 × 1 / 22
            ("OVERTIME", Earning, dec!(275.86)),    // 8,000 × 4 h × 1.5 / 174
            ("BONUS", Earning, dec!(2400.00)),      // 2,000 × 1.2
            ("COMMISSION", Earning, dec!(3450.00)), // 500 + 1,000 + 1,950
            ("AWARD", Earning, dec!(1000.00)),
            ("LATENESS", Deduction, dec!(20.00)), // 5 min is free, 15 min costs 20
            ("PENSION", Deduction, dec!(1180.98)), // 14,762.22 × 8 %
            ("PENSION", EmployerCost, dec!(2361.96)), // × 16 %
            ("MEDICAL", Deduction, dec!(295.24)), // × 2 %
            ("MEDICAL", EmployerCost, dec!(1180.98)), // × 8 %
            ("WITHHOLDING", Deduction, dec!(248.58)), // (14,762.22 − 1,476.22 − 5,000) × 3 %
            ("DAYS", Information, dec!(21)),
        ]
    );
    assert_eq!(slip.gross, dec!(14762.22));
    assert_eq!(slip.deductions, dec!(1744.80));
    assert_eq!(slip.net, dec!(13017.42));
    assert_eq!(slip.employer_cost, dec!(3542.94));
    assert_eq!(slip.ytd.withholding.base, dec!(8286.00));
    assert_eq!(slip.ytd.withholding.withheld, dec!(248.58));
    assert_eq!(slip.ytd.contributions, dec!(1476.22));
    check_payslip(&slip, RoundingPolicy::cents()).unwrap();
    let cents = RoundingPolicy::cents();
    assert_eq!(
        slip.explanation.statement(&cents),
        "net pay 13,017.42 = 14,762.22 gross − 1,744.80 deductions (employer cost = 3,542.94)"
    );
    assert_eq!(
        slip.lines[1].explanation.statement(&cents),
        "unpaid absence -363.64 = −8,000.00 × 1 / 22 days scheduled"
    );
    assert_eq!(
        slip.lines[2].explanation.statement(&cents),
        "overtime 275.86 = 4 h × 1.5 at 8,000.00 / 174 h"
    );
    assert_eq!(slip.lines[3].source.as_deref(), Some("A"));
    // the withholding line's formula makes the line's amount; the taxable
    // base it was computed on is a step of its own
    assert_eq!(
        slip.lines[11].explanation.render(&cents),
        "withholding 248.58 = 248.58 due to date − 0.00 withheld before (period base = 8,286.00)\n\
         \x20 taxable this period 8,286.00 = 14,762.22 gross − 1,476.22 contributions − 5,000.00 allowance\n\
         \x20 due to date 248.58 = 8,286.00 × 3 % − 0.00 quick deduction (year-to-date base = 8,286.00)\n"
    );
    // the commission's own step explains its line (already at cents)
    assert_eq!(
        slip.lines[4].explanation.render(&cents),
        "payout 3,450.00 = 50,000.00 × 1 % + 50,000.00 × 2 % + 65,000.00 × 3 %\n"
    );
    assert_eq!(
        slip.lines[5].source.as_deref(),
        Some("conversion-goal-bonus/li/2026-01")
    );

    // a commission the payslip's rounding changes keeps its exact step as a
    // child of the line's
    let exact = Explanation::money("commission", dec!(100.006));
    let slip = payslip(
        &settings(),
        &PayInput {
            commission: Some(&exact),
            ytd: Some(&ytd),
            ..PayInput::new(&employee, &period, &salary, &attendance)
        },
    )
    .unwrap();
    let line = slip.lines.iter().find(|l| l.code == "COMMISSION").unwrap();
    assert_eq!(line.amount, dec!(100.01));
    assert_eq!(line.explanation.result(), dec!(100.01));
    assert_eq!(
        line.explanation.children().next().unwrap().result(),
        dec!(100.006)
    );
}

#[test]
fn days_worked_stay_exact_under_a_whole_yuan_policy() {
    // pay rounded to whole yuan; half a day absent: 22 − 0.5 = 21.5 days
    let yuan = RoundingPolicy::new(0, perfpay::money::RoundingMode::HalfUp).unwrap();
    let settings = PayrollSettings::builder(yuan)
        .basis(DayBasis::WorkingDays(WorkCalendar::monday_to_friday()))
        .build()
        .unwrap();
    let employee = EmployeeId::new("li").unwrap();
    let period = Period::month(2026, 1).unwrap();
    let salary = Timeline::constant(date(2025, 6, 1), dec!(8000));
    let attendance = Attendance {
        unpaid_absence_days: dec!(0.5),
        ..Attendance::default()
    };
    let slip = payslip(
        &settings,
        &PayInput::new(&employee, &period, &salary, &attendance),
    )
    .unwrap();
    let days = slip.lines.iter().find(|l| l.code == "DAYS").unwrap();
    assert_eq!(days.amount, dec!(21.5));
    assert_eq!(days.explanation.result(), dec!(21.5));
    // money lines are rounded: 8,000 × 0.5 / 22 = 181.82 → 182
    let absence = slip.lines.iter().find(|l| l.code == "ABSENCE").unwrap();
    assert_eq!(absence.amount, dec!(-182));
}

fn simple(
    period: &Period,
    salary: &Timeline<Decimal>,
    until: Option<NaiveDate>,
    basis: DayBasis,
) -> perfpay::Payslip {
    let settings = PayrollSettings::builder(RoundingPolicy::cents())
        .basis(basis)
        .build()
        .unwrap();
    let employee = EmployeeId::new("new").unwrap();
    payslip(
        &settings,
        &PayInput {
            employed_until: until,
            ..PayInput::new(&employee, period, salary, &Attendance::default())
        },
    )
    .unwrap()
}

#[test]
fn a_mid_month_hire_and_a_leaver() {
    let nov = Period::month(2026, 11).unwrap();
    let basis = DayBasis::WorkingDays(WorkCalendar::monday_to_friday());
    // hired on Monday 16 November: 11 of 21 working days
    let slip = simple(
        &nov,
        &Timeline::constant(date(2026, 11, 16), dec!(9000)),
        None,
        basis.clone(),
    );
    assert_eq!(slip.gross, dec!(4714.29)); // 9,000 × 11 / 21
    assert_eq!(slip.lines.last().unwrap().amount, dec!(11));
    // leaves on Saturday 14 November: 10 of 21 working days
    let slip = simple(
        &nov,
        &Timeline::constant(date(2020, 1, 1), dec!(9000)),
        Some(date(2026, 11, 14)),
        basis,
    );
    assert_eq!(slip.gross, dec!(4285.71)); // 9,000 × 10 / 21
}

#[test]
fn a_salary_change_on_the_tenth_of_february() {
    let feb = Period::month(2026, 2).unwrap(); // 28 days
    let salary = Timeline::new([(date(2025, 1, 1), dec!(6000)), (date(2026, 2, 10), dec!(7000))]).unwrap();
    let slip = simple(&feb, &salary, None, DayBasis::CalendarDays);
    // 6,000 × 9 / 28 + 7,000 × 19 / 28 = 187,000 / 28 = 6,678.571…
    assert_eq!(slip.gross, dec!(6678.57));
    let segments: Vec<Decimal> = slip.lines[0].explanation.children().map(|c| c.result()).collect();
    assert_eq!(segments, [dec!(1928.57), dec!(4750.00)]);
    assert_eq!(segments.iter().copied().sum::<Decimal>(), slip.gross);
}

#[test]
fn twelve_chained_months_carry_the_year_to_date() {
    let settings = settings();
    let employee = EmployeeId::new("li").unwrap();
    let salary = Timeline::new([(date(2025, 1, 1), dec!(20000)), (date(2026, 7, 1), dec!(26000))]).unwrap();
    let mut ytd = PayrollYtd::new(2026);
    let mut withheld = Vec::new();
    let mut gross = Decimal::ZERO;
    let mut taxable = Decimal::ZERO;
    let mut period = Period::month(2026, 1).unwrap();
    for _ in 0..12 {
        let slip = payslip(
            &settings,
            &PayInput {
                ytd: Some(&ytd),
                ..PayInput::new(&employee, &period, &salary, &Attendance::default())
            },
        )
        .unwrap();
        check_payslip(&slip, RoundingPolicy::cents()).unwrap();
        let contributions: Decimal = slip
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::Deduction && l.code != "WITHHOLDING")
            .map(|l| l.amount)
            .sum();
        taxable += slip.gross - contributions - dec!(5000);
        gross += slip.gross;
        withheld.push(withholding(&slip));
        ytd = slip.ytd;
        period = period.next().unwrap();
    }
    assert_eq!(ytd.gross, gross);
    assert_eq!(gross, dec!(276000)); // 6 × 20,000 + 6 × 26,000
    assert_eq!(ytd.withholding.base, taxable);
    let total: Decimal = withheld.iter().copied().sum();
    assert_eq!(total, ytd.withholding.withheld);
    // the months add up to the annual formula on the annual taxable base
    assert_eq!(
        total,
        RoundingPolicy::cents().round(iit().table().compute(taxable).unwrap())
    );
    // the rate rises as the year goes on: January withholds 3 %, December 10 %
    assert_eq!(withheld[0], dec!(390.00)); // (20,000 − 2,000 contributions − 5,000) × 3 %
    assert!(withheld[11] > withheld[0]);
    // the state is for one year only
    let err = payslip(
        &settings,
        &PayInput {
            ytd: Some(&ytd), // the 2026 state, in January 2027
            ..PayInput::new(&employee, &period, &salary, &Attendance::default())
        },
    )
    .unwrap_err();
    assert_eq!(err.path(), Some("ytd.year"));
}

#[test]
fn bad_input_names_the_field_and_returns_no_payslip() {
    let employee = EmployeeId::new("li").unwrap();
    let period = Period::month(2026, 11).unwrap();
    let salary = Timeline::constant(date(2025, 1, 1), dec!(8000));
    let ytd = PayrollYtd::new(2026);
    let run = |attendance: &Attendance, ytd: Option<&PayrollYtd>| {
        payslip(
            &settings(),
            &PayInput {
                ytd,
                ..PayInput::new(&employee, &period, &salary, attendance)
            },
        )
    };
    let err = run(
        &Attendance {
            unpaid_absence_days: dec!(-1),
            ..Default::default()
        },
        Some(&ytd),
    )
    .unwrap_err();
    assert_eq!(err.path(), Some("attendance.unpaid_absence_days"));
    assert_eq!(
        err.to_string(),
        "employee li, period 2026-11, attendance.unpaid_absence_days: absence of -1 days is negative"
    );
    let err = run(
        &Attendance {
            unpaid_absence_days: dec!(22),
            ..Default::default()
        },
        Some(&ytd),
    )
    .unwrap_err();
    assert_eq!(err.message(), "22 days absent is more than the 21 days scheduled");
    let err = run(&Attendance::default(), None).unwrap_err();
    assert_eq!(err.path(), Some("ytd"));
    let err = run(
        &Attendance {
            overtime_hours: BTreeMap::from([(OvertimeKind::Holiday, dec!(-2))]),
            ..Default::default()
        },
        Some(&ytd),
    )
    .unwrap_err();
    assert_eq!(err.path(), Some("attendance.overtime_hours.holiday"));

    let err = PayrollSettings::builder(RoundingPolicy::cents())
        .contribution(Contribution {
            base_floor: Some(dec!(30000)),
            base_cap: Some(dec!(4000)),
            ..Contribution::new("PENSION", dec!(0.08), dec!(0.16))
        })
        .overtime_divisor(dec!(0))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "overtime_divisor: 0 is not positive",
            "contributions[0].base_floor: floor 30000 is above cap 4000"
        ]
    );
}

/// Earnings that fit one by one but not together: the payslip is refused
/// with the addition that overflowed, its operands in line order (the base
/// pay first, then the other earning), and no payslip is made.
#[test]
fn earnings_that_overflow_together_are_refused_with_the_addition() {
    let employee = EmployeeId::new("li").unwrap();
    let period = Period::month(2026, 11).unwrap();
    let salary = Timeline::constant(date(2025, 1, 1), dec!(8000));
    let ytd = PayrollYtd::new(2026);
    let attendance = Attendance::default();
    let other = [perfpay::payroll::PayItem {
        code: "ADJ-BASE".into(),
        amount: Decimal::MAX,
        source: None,
        explanation: Explanation::money("adjustment", Decimal::MAX),
    }];
    let err = payslip(
        &settings(),
        &PayInput {
            ytd: Some(&ytd),
            other: &other,
            ..PayInput::new(&employee, &period, &salary, &attendance)
        },
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Overflow);
    assert_eq!(err.message(), format!("8000.00 + {} overflows", Decimal::MAX));
}

mod laws {
    use super::*;
    use perfpay::testing;
    use proptest::prelude::*;

    /// An owned payslip case.
    #[derive(Debug, Clone)]
    struct Case {
        period: Period,
        salary: Timeline<Decimal>,
        until: Option<NaiveDate>,
        attendance: Attendance,
        bonus: Option<BonusInput>,
    }

    fn case() -> impl Strategy<Value = Case> {
        (
            1u32..=12,
            100_000i64..=5_000_000,
            proptest::option::of((1u32..=28, 100_000i64..=5_000_000)),
            proptest::option::of(1u32..=28),
            0i64..=8,
            proptest::collection::vec(0u32..90, 0..4),
            0i64..=40,
            proptest::option::of((0i64..=500_000, 0i64..=20)),
        )
            .prop_map(|(month, base, change, leave, half_days, late, hours, bonus)| {
                let period = Period::month(2026, month).unwrap();
                let mut changes = vec![(date(2025, 1, 1), Decimal::new(base, 2))];
                if let Some((day, value)) = change {
                    changes.push((date(2026, month, day), Decimal::new(value, 2)));
                }
                Case {
                    period,
                    salary: Timeline::new(changes).unwrap(),
                    until: leave.map(|day| date(2026, month, day)),
                    attendance: Attendance {
                        unpaid_absence_days: Decimal::new(half_days, 0) / Decimal::TWO,
                        late_minutes: late,
                        overtime_hours: BTreeMap::from([(OvertimeKind::Workday, Decimal::new(hours, 1))]),
                        ..Attendance::default()
                    },
                    bonus: bonus.map(|(target, c)| BonusInput {
                        target: Decimal::new(target, 2),
                        grade: GradeId::new("B").unwrap(),
                        coefficient: Decimal::new(c, 1),
                    }),
                }
            })
    }

    fn settings_with(policy: RoundingPolicy) -> PayrollSettings {
        let brackets = TierTable::marginal([
            Tier::rate(dec!(0), dec!(0.03)),
            Tier::rate(dec!(36000), dec!(0.10)),
            Tier::rate(dec!(144000), dec!(0.20)),
        ])
        .unwrap();
        PayrollSettings::builder(policy)
            .basis(DayBasis::WorkingDays(WorkCalendar::monday_to_friday()))
            .lateness_band(10, dec!(20))
            .overtime(OvertimeKind::Workday, dec!(1.5))
            .contribution(Contribution {
                base_floor: Some(dec!(4000)),
                base_cap: Some(dec!(30000)),
                ..Contribution::new("PENSION", dec!(0.08), dec!(0.16))
            })
            .withholding(CumulativeWithholding::new(brackets, policy).unwrap(), dec!(5000))
            .build()
            .unwrap()
    }

    fn run(settings: &PayrollSettings, c: &Case, ytd: &PayrollYtd) -> perfpay::Result<perfpay::Payslip> {
        let employee = EmployeeId::new("p").unwrap();
        payslip(
            settings,
            &PayInput {
                employed_until: c.until,
                bonus: c.bonus.as_ref(),
                ytd: Some(ytd),
                ..PayInput::new(&employee, &c.period, &c.salary, &c.attendance)
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(256)))]

        /// Net is gross minus deductions exactly, and totals are sums of lines.
        #[test]
        fn prop_net_is_gross_minus_deductions(c in case(), policy in testing::rounding_policy()) {
            let settings = settings_with(policy);
            match run(&settings, &c, &PayrollYtd::new(2026)) {
                Ok(slip) => {
                    prop_assert_eq!(slip.gross - slip.deductions, slip.net);
                    if let Err(v) = testing::check_payslip(&slip, policy) {
                        prop_assert!(false, "{}", v);
                    }
                }
                // only more absence than scheduled days (a leaver) may fail
                Err(err) => prop_assert_eq!(err.path(), Some("attendance.unpaid_absence_days"), "{}", err),
            }
        }

        /// The attendance figures a KPI reads are the payslip's own: its
        /// DAYS line is the days worked, its ABSENCE line divides by the
        /// days scheduled, and an attendance the payslip refuses is refused
        /// with the same field.
        #[test]
        fn prop_attendance_metrics_match_pay_inputs(c in case(), policy in testing::rounding_policy()) {
            let settings = settings_with(policy);
            let figures = settings.attendance_figures(&c.period, &c.salary, c.until, None, &c.attendance);
            match (run(&settings, &c, &PayrollYtd::new(2026)), figures) {
                (Ok(slip), Ok(figures)) => {
                    let days = slip.lines.iter().find(|l| l.code == "DAYS").map(|l| l.amount);
                    prop_assert_eq!(days, Some(figures.worked_days));
                    prop_assert_eq!(figures.absence_days, c.attendance.unpaid_absence_days);
                    prop_assert_eq!(figures.late_count as usize, c.attendance.late_minutes.len());
                    prop_assert_eq!(figures.overtime_hours, c.attendance.overtime_hours.values().copied().sum::<Decimal>());
                    if let Some(absence) = slip.lines.iter().find(|l| l.code == "ABSENCE") {
                        let statement = absence.explanation.statement(&policy);
                        let scheduled = format!("{} days scheduled", figures.scheduled_days);
                        prop_assert!(statement.contains(&scheduled), "{} lacks {}", statement, scheduled);
                    }
                    let rate = figures.metric("attendance.rate");
                    if figures.scheduled_days > 0 {
                        prop_assert_eq!(rate, Some(figures.worked_days / Decimal::from(figures.scheduled_days)));
                    } else {
                        prop_assert_eq!(rate, None);
                    }
                }
                // more days away than scheduled: both refuse
                (Err(slip), Err(figures)) => {
                    prop_assert!(slip.path().is_some_and(|p| p.starts_with("attendance")), "{}", slip);
                    prop_assert!(figures.path().is_some_and(|p| p.starts_with("attendance")), "{}", figures);
                }
                (slip, figures) => prop_assert!(false, "payslip {:?} but figures {:?}", slip.map(|s| s.net), figures),
            }
        }

        /// Every money line is on the policy's grid.
        #[test]
        fn prop_lines_are_rounded_to_policy(c in case(), policy in testing::rounding_policy()) {
            let settings = settings_with(policy);
            if let Ok(slip) = run(&settings, &c, &PayrollYtd::new(2026)) {
                for line in slip.lines.iter().filter(|l| l.kind != LineKind::Information) {
                    prop_assert!(policy.is_rounded(line.amount), "{} = {}", line.code, line.amount);
                }
            }
        }

        /// The base line's segments add up exactly to the base (a base of
        /// one segment, whose share is the whole, lists no segment step).
        #[test]
        fn prop_proration_segments_sum_to_full(c in case()) {
            let settings = settings_with(RoundingPolicy::cents());
            if let Ok(slip) = run(&settings, &c, &PayrollYtd::new(2026)) {
                let base = &slip.lines[0];
                prop_assert_eq!(&base.code, "BASE");
                let segments = base.explanation.children();
                if segments.is_empty() {
                    // `value × days / period days working days`: one segment
                    prop_assert_eq!(base.explanation.formula().len(), 6);
                } else {
                    prop_assert!(segments.len() > 1);
                    let parts: Decimal = segments.map(|s| s.result()).sum();
                    prop_assert_eq!(parts, base.amount);
                }
            }
        }

        /// Twelve chained months: year-to-date totals are the sums of the
        /// months, and the months' withholding is the annual formula on the
        /// annual taxable base.
        #[test]
        fn prop_chained_months_equal_annual_totals(
            salaries in proptest::collection::vec(800_000i64..=6_000_000, 12),
            absences in proptest::collection::vec(0i64..=4, 12),
        ) {
            let settings = settings_with(RoundingPolicy::cents());
            let changes: Vec<(NaiveDate, Decimal)> =
                (1..=12).map(|m| (date(2026, m, 1), Decimal::new(salaries[m as usize - 1], 2))).collect();
            let salary = Timeline::new(changes).unwrap();
            let employee = EmployeeId::new("p").unwrap();
            let mut ytd = PayrollYtd::new(2026);
            let (mut gross, mut withheld, mut taxable) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for m in 1..=12u32 {
                let period = Period::month(2026, m).unwrap();
                let attendance = Attendance { unpaid_absence_days: Decimal::from(absences[m as usize - 1]), ..Default::default() };
                let slip = payslip(
                    &settings,
                    &PayInput {
                        ytd: Some(&ytd),
                        ..PayInput::new(&employee, &period, &salary, &attendance)
                    },
                )
                .unwrap();
                let pension = slip.lines.iter().find(|l| l.code == "PENSION" && l.kind == LineKind::Deduction).unwrap().amount;
                taxable += slip.gross - pension - dec!(5000);
                gross += slip.gross;
                withheld += withholding(&slip);
                ytd = slip.ytd;
            }
            prop_assert_eq!(ytd.gross, gross);
            prop_assert_eq!(ytd.withholding.base, taxable);
            prop_assert_eq!(ytd.withholding.withheld, withheld);
            let brackets = TierTable::marginal([
                Tier::rate(dec!(0), dec!(0.03)),
                Tier::rate(dec!(36000), dec!(0.10)),
                Tier::rate(dec!(144000), dec!(0.20)),
            ])
            .unwrap();
            prop_assert_eq!(withheld, RoundingPolicy::cents().round(brackets.compute(taxable).unwrap()));
        }
    }
}

/// The State Taxation Administration's worked example of cumulative
/// withholding (its explanation of Announcement 2018 No. 61): 30,000 of
/// wages a month, the 5,000 allowance, 4,500 of social insurance and
/// housing fund, 2,000 of special additional deductions. Published:
/// January 555, February 625, March 1,850. The months after it by hand:
/// 18,500 taxable a month, so the base to date is 18,500 × n; it crosses
/// 144,000 in August (148,000 × 20 % − 16,920 = 12,680, less 10,430 withheld
/// to July: 2,250), and from September each month adds 18,500 × 20 % =
/// 3,700. The year: 222,000 × 20 % − 16,920 = 27,480. Chained through the
/// worked plan, each month's year-to-date from the one before (not fed by
/// hand as the worked plan's cases are).
#[test]
fn the_published_withholding_example_chained_through_the_year() {
    use perfpay::testing::CaseFile;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rules/published-withholding");
    let plan = perfpay::Plan::from_toml(&std::fs::read_to_string(root.join("plan.toml")).unwrap())
        .unwrap()
        .compile()
        .unwrap();
    let january = CaseFile::from_text(
        &std::fs::read_to_string(root.join("cases.toml")).unwrap(),
        "cases.toml",
    )
    .unwrap();
    let mut employee = january.cases[0].employees[0].clone();
    let mut ytd = PayrollYtd::new(2019);
    let mut withheld = Vec::new();
    for month in 1..=12 {
        employee.ytd = Some(ytd);
        let period = Period::month(2019, month).unwrap();
        let outcome = perfpay::evaluate_period(&plan, &period, std::slice::from_ref(&employee)).unwrap();
        let slip = outcome.employees[0].payslip.clone().unwrap();
        withheld.push(withholding(&slip));
        ytd = slip.ytd;
    }
    assert_eq!(
        withheld,
        [
            555, 625, 1850, 1850, 1850, 1850, 1850, 2250, 3700, 3700, 3700, 3700
        ]
        .map(Decimal::from)
    );
    assert_eq!(ytd.withholding.base, dec!(222000));
    assert_eq!(ytd.withholding.withheld, dec!(27480));
    assert_eq!(
        withheld.iter().sum::<Decimal>(),
        dec!(222000) * dec!(0.20) - dec!(16920)
    );
}

#[test]
fn the_checkers_catch_seeded_violations() {
    let employee = EmployeeId::new("li").unwrap();
    let period = Period::month(2026, 1).unwrap();
    let salary = Timeline::constant(date(2025, 6, 1), dec!(8000));
    let ytd = PayrollYtd::new(2026);
    let slip = payslip(
        &settings(),
        &PayInput {
            ytd: Some(&ytd),
            ..PayInput::new(&employee, &period, &salary, &Attendance::default())
        },
    )
    .unwrap();
    check_payslip(&slip, RoundingPolicy::cents()).unwrap();
    perfpay::testing::check_ytd_chain(&ytd, &slip).unwrap();
    // a total off by one cent is reported
    let mut off = slip.clone();
    off.net += dec!(0.01);
    let v = check_payslip(&off, RoundingPolicy::cents()).unwrap_err();
    assert_eq!(v.law(), "net is gross minus deductions");
    let mut off = slip.clone();
    off.lines[0].amount += dec!(0.01);
    assert_eq!(
        check_payslip(&off, RoundingPolicy::cents()).unwrap_err().law(),
        "gross is the sum of earning lines"
    );
    let mut off = slip.clone();
    off.ytd.gross += dec!(0.01);
    assert_eq!(
        perfpay::testing::check_ytd_chain(&ytd, &off).unwrap_err().law(),
        "year-to-date state chains"
    );
    // awards granted twice are reported
    let awards = award_1000(&employee, &period);
    perfpay::testing::check_idempotent_awards(&awards, &[]).unwrap();
    assert_eq!(
        perfpay::testing::check_idempotent_awards(&awards, &awards)
            .unwrap_err()
            .to_string(),
        "re-evaluation grants nothing twice violated: conversion-goal-bonus/li/2026-01 is granted twice"
    );
}
