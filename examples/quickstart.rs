//! What perfpay can do today, on built-in sample data: split a team bonus
//! pool by score, prorate a salary raised mid-month over working days, and
//! explain both.
//!
//! Run with `cargo run --example quickstart`.

use perfpay::{
    DayBasis, Decimal, EmployeeId, Explanation, NaiveDate, Period, RoundingPolicy, Timeline, Unit, Weekday,
    WorkCalendar, allocate, checked_sum,
};

fn main() -> Result<(), perfpay::Error> {
    let policy = RoundingPolicy::cents();
    let november = Period::month(2026, 11)?;

    // The shop's operations team and their November scores.
    let team = [("e-001", 95), ("e-002", 88), ("e-003", 72), ("e-004", 0)];
    let ids = team
        .iter()
        .map(|(id, _)| EmployeeId::new(id))
        .collect::<Result<Vec<_>, _>>()?;
    let scores: Vec<Decimal> = team.iter().map(|(_, s)| Decimal::from(*s)).collect();
    let pool = Decimal::new(1_000_000, 2); // 10,000.00
    let shares = allocate(pool, &scores, policy)?;
    let score_sum = checked_sum(scores.iter().copied())?;

    println!("Bonus pool {november}");
    let mut split = Explanation::money("pool", pool).text("split by score, largest remainder");
    for ((id, score), share) in ids.iter().zip(&scores).zip(&shares) {
        split.push_child(
            Explanation::money(format!("share of {id}"), *share)
                .value(pool, Unit::Money)
                .text(" × ")
                .value(*score, Unit::Score)
                .text(" / ")
                .value(score_sum, Unit::Score),
        );
    }
    print!("{}", split.render(&policy));
    println!("shares sum to {}\n", checked_sum(shares.iter().copied())?);

    // A salary raised on 16 November, prorated over a Monday–Friday calendar
    // with one public holiday.
    let d = |month, day| NaiveDate::from_ymd_opt(2026, month, day);
    let (Some(jan1), Some(nov16), Some(nov26)) = (d(1, 1), d(11, 16), d(11, 26)) else {
        return Err(perfpay::Error::data("sample dates are invalid"));
    };
    let salary = Timeline::new([(jan1, Decimal::from(8_000)), (nov16, Decimal::from(9_000))])?;
    let calendar = WorkCalendar::new(
        [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        [nov26],
        [],
    )?;
    let paid = salary.prorate(&november, &DayBasis::WorkingDays(calendar), policy)?;
    println!("Base salary {november} for e-001");
    print!("{}", paid.explanation.render(&policy));
    Ok(())
}
