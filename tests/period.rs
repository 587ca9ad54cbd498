//! Periods, calendars and effective-dated proration through the public API.

use perfpay::period::{DayBasis, PeriodKind, Weekday, WorkCalendar, prorate};
use perfpay::{ErrorKind, NaiveDate, Period, RoundingPolicy, Timeline};
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn months_quarters_and_years_have_their_calendar_lengths() {
    let lengths: Vec<u32> = (1..=12).map(|m| Period::month(2026, m).unwrap().days()).collect();
    assert_eq!(lengths, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    assert_eq!(Period::month(2028, 2).unwrap().days(), 29);
    let quarters: Vec<u32> = (1..=4)
        .map(|q| Period::quarter(2026, q).unwrap().days())
        .collect();
    assert_eq!(quarters, [90, 91, 92, 92]);
    assert_eq!(Period::year(2026).unwrap().kind(), PeriodKind::Year);
    let nov = Period::month(2026, 11).unwrap();
    assert!(nov.contains(d(2026, 11, 1)));
    assert!(nov.contains(d(2026, 11, 30)));
    assert!(!nov.contains(d(2026, 12, 1)), "the end is exclusive");
    assert_eq!(nov.last_day(), d(2026, 11, 30));
}

#[test]
fn bad_periods_are_errors() {
    assert_eq!(
        Period::month(2026, 0).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        Period::quarter(2026, 5).unwrap_err().to_string(),
        "quarter 5 is not between 1 and 4"
    );
    let err = Period::custom(d(2026, 11, 30), d(2026, 11, 1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "period end 2026-11-01 is not after its start 2026-11-30"
    );
    let err: perfpay::Error = "2026/11".parse::<Period>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "period \"2026/11\" is not YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD/YYYY-MM-DD"
    );
    assert!(serde_json::from_str::<Period>("\"2026-13\"").is_err());
    assert_eq!(
        serde_json::from_str::<Period>("\"2026-Q3\"").unwrap(),
        Period::quarter(2026, 3).unwrap()
    );
}

#[test]
fn six_day_week_with_golden_week_and_make_up_days() {
    // A shop working Monday–Saturday; 1–7 October off; Sunday 11 October made up.
    let calendar = WorkCalendar::new(
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
        ],
        (1..=7).map(|day| d(2026, 10, day)),
        [d(2026, 10, 11)],
    )
    .unwrap();
    let oct = Period::month(2026, 10).unwrap();
    // 31 days − 4 Sundays = 27 six-day-week days; 1–7 Oct holds 6 of them (Sun 4th excluded); +1 make-up
    assert_eq!(calendar.working_days(&oct), 22);
    assert_eq!(DayBasis::WorkingDays(calendar).count(&oct), 22);
}

#[test]
fn attendance_style_proration_rounds_once() {
    let cents = RoundingPolicy::cents();
    // 7,500.00 for 19 of 22 days = 6,477.2727… → 6,477.27
    assert_eq!(prorate(dec!(7500), 19, 22, cents).unwrap(), dec!(6477.27));
    assert_eq!(prorate(dec!(7500), 22, 22, cents).unwrap(), dec!(7500.00));
    assert_eq!(prorate(dec!(7500), 0, 22, cents).unwrap(), dec!(0.00));
    assert_eq!(
        prorate(dec!(7500), 0, 0, cents).unwrap_err().kind(),
        ErrorKind::DivisionByZero
    );
}

#[test]
fn three_salary_changes_in_one_quarter_sum_exactly() {
    let salary = Timeline::new([
        (d(2026, 1, 1), dec!(6000)),
        (d(2026, 11, 10), dec!(6500)),
        (d(2026, 12, 5), dec!(7000.33)),
    ])
    .unwrap();
    let q4 = Period::quarter(2026, 4).unwrap();
    let paid = salary
        .prorate(&q4, &DayBasis::CalendarDays, RoundingPolicy::cents())
        .unwrap();
    // 6000×40 + 6500×25 + 7000.33×27 = 240000 + 162500 + 189008.91 = 591508.91; /92 = 6429.4446…
    assert_eq!(paid.period_days, 92);
    assert_eq!(
        paid.segments.iter().map(|s| s.days).collect::<Vec<_>>(),
        [40, 25, 27]
    );
    assert_eq!(paid.total, dec!(6429.44));
    let sum: perfpay::Decimal = paid.segments.iter().map(|s| s.amount).sum();
    assert_eq!(sum, paid.total);
    assert_eq!(paid.explanation.children().len(), 3);
}

#[test]
fn timelines_deserialize_validated() {
    let json = r#"[{"effective":"2026-11-10","value":"9000"},{"effective":"2026-01-01","value":"8000"}]"#;
    let t: Timeline<perfpay::Decimal> = serde_json::from_str(json).unwrap();
    assert_eq!(t.changes()[0].effective, d(2026, 1, 1), "sorted on the way in");
    let dup = r#"[{"effective":"2026-01-01","value":"1"},{"effective":"2026-01-01","value":"2"}]"#;
    let err = serde_json::from_str::<Timeline<perfpay::Decimal>>(dup).unwrap_err();
    assert!(
        err.to_string().contains("two values effective on 2026-01-01"),
        "{err}"
    );
    // money never passes through floats: a JSON number is refused
    let float = r#"[{"effective":"2026-01-01","value":0.1}]"#;
    assert!(serde_json::from_str::<Timeline<perfpay::Decimal>>(float).is_err());
}
