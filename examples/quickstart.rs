//! What perfpay can do today, on built-in sample data: split a team bonus
//! pool by score, prorate a salary raised mid-month over working days, pay
//! the seed's gated commission, and explain all three.
//!
//! Run with `cargo run --example quickstart`.

use perfpay::money::{allocate, checked_sum};
use perfpay::period::{DayBasis, Weekday, WorkCalendar};
use perfpay::tier::{Commission, CommissionContext, Gate, Multiplier, Tier, TierTable};
use perfpay::{
    Decimal, EmployeeId, Explanation, MetricId, NaiveDate, Period, RoundingPolicy, Timeline, Unit,
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

    // The seed's rule for November: 2 % of sales, 3 % on the part above
    // 100,000; customer service is paid only with satisfaction ≥ 90 %, and
    // ×1.1 from 95 %.
    let satisfaction = MetricId::new("satisfaction")?;
    let rule = Commission::on_table(TierTable::marginal([
        Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
        Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    ])?)
    .gate(Gate::at_least(satisfaction.clone(), Decimal::new(90, 2)))
    .multiplier(Multiplier::new(
        satisfaction.clone(),
        [(Decimal::new(95, 2), Decimal::new(11, 1))],
    )?)
    .rounding(policy);
    println!("\nCommission {november}");
    for (id, sales, score) in [
        ("e-001", 165_000, 96),
        ("e-002", 98_000, 91),
        ("e-003", 120_000, 87),
    ] {
        let metrics = [(satisfaction.clone(), Decimal::new(score, 2))];
        let out = rule.evaluate(&CommissionContext::new(Decimal::from(sales), &metrics))?;
        println!("{id}:");
        print!("{}", out.explanation.render(&policy));
    }
    Ok(())
}
