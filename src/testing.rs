//! Property-testing support for suites that check payroll invariants
//! (feature `testing`).
//!
//! Two kinds of items live here:
//!
//! - **strategies** (`proptest` generators) for perfpay's vocabulary:
//!   amounts on a rounding grid, allocation weights, rounding policies,
//!   periods and effective-dated timelines, tier tables of each mode,
//!   KPI curves and scorecards;
//! - **invariant checkers** callable from any test framework. Each returns
//!   `Ok(())` or an [`InvariantViolation`] that says which law broke and with
//!   which numbers;
//! - **rule cases**: tests of a plan written as data ([`run_cases`],
//!   [`run_case_files`], [`CaseFile`]);
//! - **the hostile space** ([`hostile`]): extreme decimals, rules from a
//!   grammar with loops and closures, documents and stored records with
//!   hostile values, for the law "no panic, every failure is a typed
//!   error".
//!
//! A downstream suite might write:
//!
//! ```
//! use perfpay::testing::{self, check_allocation};
//! use perfpay::RoundingPolicy;
//! use perfpay::money::allocate;
//! use proptest::prelude::*;
//!
//! proptest!(|(total in testing::amount(2, 1_000_000), weights in testing::weights(1..8))| {
//!     let policy = RoundingPolicy::cents();
//!     let parts = allocate(total, &weights, policy).unwrap();
//!     check_allocation(total, &weights, &parts, policy).unwrap();
//! });
//! ```

use std::fmt;
use std::ops::Range;

mod cases;
#[cfg(test)]
mod steps_made_last;

pub use cases::{
    Case, CaseFile, CaseReport, InputsFile, case_files, cases_schema, run_case_files, run_cases,
};

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::money::{RoundingMode, RoundingPolicy};
use crate::period::{Period, Timeline};
use crate::score::{Anchor, Direction, Kpi, LinearCurve, Scorecard};
use crate::tier::{Tier, TierTable};

pub mod conformance;
pub mod hostile;

/// An invariant that did not hold: which law, and the numbers that broke it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvariantViolation {
    law: &'static str,
    detail: String,
}

impl InvariantViolation {
    fn new(law: &'static str, detail: impl Into<String>) -> InvariantViolation {
        InvariantViolation {
            law,
            detail: detail.into(),
        }
    }

    /// The name of the law, such as `allocation sums to total`.
    pub fn law(&self) -> &'static str {
        self.law
    }

    /// The numbers that broke it.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for InvariantViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} violated: {}", self.law, self.detail)
    }
}

impl std::error::Error for InvariantViolation {}

/// Checks the laws of [`allocate`](crate::money::allocate)'s output:
///
/// - `allocation has one part per weight`;
/// - `allocation sums to total`;
/// - `allocation is on the grid` (every part has at most the policy's scale);
/// - `allocation is proportional within one unit` (|part − total × w / Σw| < one unit);
/// - `allocation gives zero to zero weights`;
/// - `allocation keeps the sign of the total`.
///
/// # Errors
///
/// The first law that does not hold.
///
/// ```
/// use perfpay::testing::check_allocation;
/// use perfpay::{Decimal, RoundingPolicy};
///
/// let cents = RoundingPolicy::cents();
/// let weights = [Decimal::ONE, Decimal::ONE];
/// let good = [Decimal::new(501, 2), Decimal::new(500, 2)];
/// assert!(check_allocation(Decimal::new(1001, 2), &weights, &good, cents).is_ok());
/// let bad = [Decimal::new(500, 2), Decimal::new(500, 2)];
/// let err = check_allocation(Decimal::new(1001, 2), &weights, &bad, cents).unwrap_err();
/// assert_eq!(err.law(), "allocation sums to total");
/// ```
pub fn check_allocation(
    total: Decimal,
    weights: &[Decimal],
    parts: &[Decimal],
    policy: RoundingPolicy,
) -> Result<(), InvariantViolation> {
    if parts.len() != weights.len() {
        return Err(InvariantViolation::new(
            "allocation has one part per weight",
            format!("{} parts for {} weights", parts.len(), weights.len()),
        ));
    }
    let sum: Option<Decimal> = parts.iter().try_fold(Decimal::ZERO, |acc, p| acc.checked_add(*p));
    if sum != Some(total) {
        return Err(InvariantViolation::new(
            "allocation sums to total",
            format!("parts {parts:?} sum to {sum:?}, total is {total}"),
        ));
    }
    if let Some(part) = parts.iter().find(|p| !policy.is_rounded(**p)) {
        return Err(InvariantViolation::new(
            "allocation is on the grid",
            format!("part {part} has more than {} decimal places", policy.scale()),
        ));
    }
    let Ok(weight_sum) = crate::money::checked_sum(weights.iter().copied()) else {
        return Err(InvariantViolation::new(
            "allocation is proportional within one unit",
            "the weights' sum overflows",
        ));
    };
    let unit = policy.unit();
    for (i, (part, weight)) in parts.iter().zip(weights).enumerate() {
        if weight.is_zero() && !part.is_zero() {
            return Err(InvariantViolation::new(
                "allocation gives zero to zero weights",
                format!("part {i} has weight 0 and amount {part}"),
            ));
        }
        if !part.is_zero() && part.is_sign_negative() != total.is_sign_negative() {
            return Err(InvariantViolation::new(
                "allocation keeps the sign of the total",
                format!("part {i} is {part}, total is {total}"),
            ));
        }
        // |part·Σw − total·w| < unit·Σw  ⇔  |part − total·w/Σw| < unit
        let lhs = part
            .checked_mul(weight_sum)
            .zip(total.checked_mul(*weight))
            .and_then(|(a, b)| a.checked_sub(b))
            .map(|d| d.abs());
        let bound = unit.checked_mul(weight_sum);
        if let (Some(lhs), Some(bound)) = (lhs, bound)
            && lhs >= bound
        {
            return Err(InvariantViolation::new(
                "allocation is proportional within one unit",
                format!("part {i} is {part}; exact share is {total} × {weight} / {weight_sum}"),
            ));
        }
    }
    Ok(())
}

/// Checks that `parts` (prorated segments) sum exactly to `whole`:
/// the law `proration segments sum to whole`.
///
/// # Errors
///
/// A violation naming both sums.
pub fn check_segments_sum(whole: Decimal, parts: &[Decimal]) -> Result<(), InvariantViolation> {
    let sum: Option<Decimal> = parts.iter().try_fold(Decimal::ZERO, |acc, p| acc.checked_add(*p));
    if sum == Some(whole) {
        Ok(())
    } else {
        Err(InvariantViolation::new(
            "proration segments sum to whole",
            format!("segments {parts:?} sum to {sum:?}, whole is {whole}"),
        ))
    }
}

/// Amounts on the grid of `scale` decimal places, between `-max` and `max`
/// whole units.
pub fn amount(scale: u32, max: i64) -> impl Strategy<Value = Decimal> {
    let max = max.max(0);
    let factor = 10i128.pow(scale.min(18));
    let bound = i128::from(max).saturating_mul(factor);
    (bound.saturating_neg()..=bound)
        .prop_map(move |units| Decimal::from_i128_with_scale(units, scale.min(18)))
}

/// Non-negative amounts on the grid of `scale` decimal places, up to `max`
/// whole units.
pub fn non_negative_amount(scale: u32, max: i64) -> impl Strategy<Value = Decimal> {
    amount(scale, max).prop_map(|d| d.abs())
}

/// Any decimal with up to 28 significant digits and any scale, including
/// values that need rounding.
pub fn any_decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=28).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

/// Allocation weights: `len` non-negative decimals (0 to 1,000 with up to
/// four decimal places), at least one of them positive.
pub fn weights(len: Range<usize>) -> impl Strategy<Value = Vec<Decimal>> {
    let len = len.start.max(1)..len.end.max(2);
    proptest::collection::vec((0i64..=10_000_000, 0u32..=4), len)
        .prop_map(|raw| {
            raw.into_iter()
                .map(|(m, s)| Decimal::new(m, s))
                .collect::<Vec<_>>()
        })
        .prop_filter("at least one positive weight", |w| w.iter().any(|x| !x.is_zero()))
}

/// Any rounding mode.
pub fn rounding_mode() -> impl Strategy<Value = RoundingMode> {
    prop_oneof![
        Just(RoundingMode::HalfUp),
        Just(RoundingMode::HalfEven),
        Just(RoundingMode::HalfDown),
        Just(RoundingMode::TowardZero),
        Just(RoundingMode::AwayFromZero),
        Just(RoundingMode::Floor),
        Just(RoundingMode::Ceiling),
    ]
}

/// Rounding policies with a scale from 0 to 4 and any mode.
pub fn rounding_policy() -> impl Strategy<Value = RoundingPolicy> {
    (0u32..=4, rounding_mode()).prop_filter_map("valid policy", |(scale, mode)| {
        RoundingPolicy::new(scale, mode).ok()
    })
}

/// Months, quarters, years and custom periods between 2000 and 2099.
pub fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (2000i32..2100, 1u32..=12).prop_filter_map("valid month", |(y, m)| Period::month(y, m).ok()),
        (2000i32..2100, 1u32..=4).prop_filter_map("valid quarter", |(y, q)| Period::quarter(y, q).ok()),
        (2000i32..2100).prop_filter_map("valid year", |y| Period::year(y).ok()),
        (2000i32..2100, 1u32..=365, 1u64..=120).prop_filter_map("valid custom period", |(y, day, len)| {
            let start = NaiveDate::from_yo_opt(y, day)?;
            let end = start.checked_add_days(chrono::Days::new(len))?;
            Period::custom(start, end).ok()
        }),
    ]
}

/// A period together with a timeline of non-negative amounts (up to
/// `max` whole units, cents) that changes up to `changes` times inside or
/// just before it.
pub fn timeline_in_period(max: i64, changes: usize) -> impl Strategy<Value = (Period, Timeline<Decimal>)> {
    period().prop_flat_map(move |period| {
        let days = i64::from(period.days());
        let change = (-5i64..days, non_negative_amount(2, max));
        proptest::collection::vec(change, 1..=changes.max(1)).prop_filter_map(
            "distinct change dates",
            move |raw| {
                let entries = raw.into_iter().filter_map(|(offset, value)| {
                    let date = if offset >= 0 {
                        period
                            .start()
                            .checked_add_days(chrono::Days::new(offset.unsigned_abs()))
                    } else {
                        period
                            .start()
                            .checked_sub_days(chrono::Days::new(offset.unsigned_abs()))
                    }?;
                    Some((date, value))
                });
                let mut seen = std::collections::BTreeMap::new();
                for (date, value) in entries {
                    seen.entry(date).or_insert(value);
                }
                Timeline::new(seen).ok().map(|t| (period, t))
            },
        )
    })
}

/// Strictly increasing lower bounds for `n` tiers, starting at 0, with
/// gaps of 0.01 to 100,000.00.
fn tier_bounds(n: usize) -> impl Strategy<Value = Vec<Decimal>> {
    proptest::collection::vec(1i64..=10_000_000, n.saturating_sub(1)).prop_map(|gaps| {
        // at most 27 gaps of 100,000.00: far below Decimal's range
        let mut bounds = Vec::with_capacity(gaps.len().saturating_add(1));
        let mut at = Decimal::ZERO;
        bounds.push(at);
        for gap in gaps {
            at = at.saturating_add(Decimal::new(gap, 2));
            bounds.push(at);
        }
        bounds
    })
}

/// A rate between 0 and 30 % with up to four decimal places.
pub fn rate() -> impl Strategy<Value = Decimal> {
    (0i64..=3_000).prop_map(|r| Decimal::new(r, 4))
}

/// Marginal tier tables of 1 to `max_tiers` rate tiers (rates 0–30 %).
pub fn marginal_table(max_tiers: usize) -> impl Strategy<Value = TierTable> {
    (1..=max_tiers.max(1))
        .prop_flat_map(|n| (tier_bounds(n), proptest::collection::vec(rate(), n)))
        .prop_filter_map("valid marginal table", |(bounds, rates)| {
            TierTable::marginal(bounds.into_iter().zip(rates).map(|(b, r)| Tier::rate(b, r))).ok()
        })
}

/// Whole-amount tier tables of 1 to `max_tiers` tiers whose rates rise
/// (never fall) from tier to tier.
pub fn rising_whole_amount_table(max_tiers: usize) -> impl Strategy<Value = TierTable> {
    (1..=max_tiers.max(1))
        .prop_flat_map(|n| (tier_bounds(n), proptest::collection::vec(rate(), n)))
        .prop_filter_map("valid whole-amount table", |(bounds, mut rates)| {
            rates.sort();
            TierTable::whole_amount(bounds.into_iter().zip(rates).map(|(b, r)| Tier::rate(b, r))).ok()
        })
}

/// Interpolated tables of 2 to `max_points` points with rising payouts.
pub fn interpolated_table(max_points: usize) -> impl Strategy<Value = TierTable> {
    (2..=max_points.max(2))
        .prop_flat_map(|n| (tier_bounds(n), proptest::collection::vec(0i64..=1_000_000, n)))
        .prop_filter_map("valid interpolated table", |(xs, mut ys)| {
            ys.sort();
            TierTable::interpolated(xs.into_iter().zip(ys.into_iter().map(|y| Decimal::new(y, 2)))).ok()
        })
}

/// Checks the law `payout is monotone`: for every pair of amounts
/// `a ≤ b` in `amounts`, `payout(a) ≤ payout(b)`.
///
/// # Errors
///
/// The first pair that breaks the law, or an amount the table rejects.
///
/// ```
/// use perfpay::testing::check_tier_monotone;
/// use perfpay::Decimal;
/// use perfpay::tier::{Tier, TierTable};
///
/// let table = TierTable::marginal([Tier::rate(Decimal::ZERO, Decimal::new(5, 2))])?;
/// let amounts = [Decimal::ZERO, Decimal::from(10), Decimal::from(5)];
/// assert!(check_tier_monotone(&table, &amounts).is_ok());
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn check_tier_monotone(table: &TierTable, amounts: &[Decimal]) -> Result<(), InvariantViolation> {
    let mut sorted = amounts.to_vec();
    sorted.sort();
    let mut previous: Option<(Decimal, Decimal)> = None;
    for amount in sorted {
        let payout = table.compute(amount).map_err(|err| {
            InvariantViolation::new("payout is monotone", format!("payout({amount}) failed: {err}"))
        })?;
        if let Some((a, pa)) = previous
            && pa > payout
        {
            return Err(InvariantViolation::new(
                "payout is monotone",
                format!("payout({a}) = {pa} exceeds payout({amount}) = {payout}"),
            ));
        }
        previous = Some((amount, payout));
    }
    Ok(())
}

/// `n` non-negative weights (up to four decimal places) that sum exactly to 1.
pub fn weights_summing_to_one(n: usize) -> impl Strategy<Value = Vec<Decimal>> {
    proptest::collection::vec(1i64..=1_000, n.max(1)).prop_filter_map("weights split exactly", |raw| {
        let raw: Vec<Decimal> = raw.into_iter().map(Decimal::from).collect();
        let four = RoundingPolicy::new(4, RoundingMode::TowardZero).ok()?;
        crate::money::allocate(Decimal::ONE, &raw, four).ok()
    })
}

/// A valid linear curve for `direction`: threshold, target and (maybe)
/// stretch anchors in order, rising scores, floor at most the threshold score.
pub fn linear_curve(direction: Direction) -> impl Strategy<Value = LinearCurve> {
    (
        0i64..=10_000,
        1i64..=5_000,
        1i64..=5_000,
        any::<bool>(),
        0i64..=80,
        0i64..=40,
        0i64..=40,
    )
        .prop_map(move |(start, gap1, gap2, stretch, s0, ds1, ds2)| {
            let sign: i64 = match direction {
                Direction::HigherIsBetter => 1,
                Direction::LowerIsBetter => -1,
            };
            let v = |units: i64| Decimal::new(units, 4);
            let t = v(start);
            // every number here is below 20,000: none of the sums overflows
            let g = v(start.saturating_add(sign.saturating_mul(gap1)));
            let s = v(start.saturating_add(sign.saturating_mul(gap1.saturating_add(gap2))));
            let (s0, s1, s2) = (
                Decimal::from(s0),
                Decimal::from(s0.saturating_add(ds1)),
                Decimal::from(s0.saturating_add(ds1).saturating_add(ds2)),
            );
            let curve = LinearCurve::new(Anchor::new(t, s0), Anchor::new(g, s1)).floor(Decimal::ZERO);
            if stretch {
                curve.stretch(Anchor::new(s, s2))
            } else {
                curve
            }
        })
}

/// A linear KPI on metric `m0`, `m1`, … (by `index`) in either direction.
pub fn linear_kpi(index: usize) -> impl Strategy<Value = Kpi> {
    prop_oneof![Just(Direction::HigherIsBetter), Just(Direction::LowerIsBetter)].prop_flat_map(
        move |direction| {
            linear_curve(direction).prop_filter_map("valid kpi", move |curve| {
                let metric = crate::id::MetricId::new(format!("m{index}")).ok()?;
                Kpi::linear(metric, direction, curve).ok()
            })
        },
    )
}

/// A scorecard of 1 to `max_items` linear KPIs on metrics `m0`, `m1`, …
/// with weights summing exactly to 1.
pub fn scorecard(max_items: usize) -> impl Strategy<Value = Scorecard> {
    (1..=max_items.max(1)).prop_flat_map(|n| {
        let kpis: Vec<_> = (0..n).map(linear_kpi).collect();
        (kpis, weights_summing_to_one(n)).prop_filter_map("valid scorecard", |(kpis, weights)| {
            kpis.into_iter()
                .zip(weights)
                .fold(Scorecard::builder("generated"), |b, (k, w)| b.item(k, w))
                .build()
                .ok()
        })
    })
}

/// Checks the laws of a payslip:
///
/// - `net is gross minus deductions`;
/// - `gross is the sum of earning lines` (and deductions, employer cost alike);
/// - `money lines are rounded to the policy` (information lines excepted);
/// - `every line explains itself` (its explanation's result is its amount).
///
/// # Errors
///
/// The first law that does not hold.
pub fn check_payslip(
    payslip: &crate::payroll::Payslip,
    policy: RoundingPolicy,
) -> Result<(), InvariantViolation> {
    use crate::payroll::LineKind;
    if payslip.gross.checked_sub(payslip.deductions) != Some(payslip.net) {
        return Err(InvariantViolation::new(
            "net is gross minus deductions",
            format!("{} − {} ≠ {}", payslip.gross, payslip.deductions, payslip.net),
        ));
    }
    for (kind, total, law) in [
        (
            LineKind::Earning,
            payslip.gross,
            "gross is the sum of earning lines",
        ),
        (
            LineKind::Deduction,
            payslip.deductions,
            "deductions are the sum of deduction lines",
        ),
        (
            LineKind::EmployerCost,
            payslip.employer_cost,
            "employer cost is the sum of employer-cost lines",
        ),
    ] {
        let sum =
            crate::money::checked_sum(payslip.lines.iter().filter(|l| l.kind == kind).map(|l| l.amount));
        let Ok(sum) = sum else {
            return Err(InvariantViolation::new(law, "the lines' sum overflows"));
        };
        if sum != total {
            return Err(InvariantViolation::new(
                law,
                format!("lines sum to {sum}, total is {total}"),
            ));
        }
    }
    for line in &payslip.lines {
        if line.kind != LineKind::Information && !policy.is_rounded(line.amount) {
            return Err(InvariantViolation::new(
                "money lines are rounded to the policy",
                format!("{} is {}", line.code, line.amount),
            ));
        }
        if line.explanation.result() != line.amount {
            return Err(InvariantViolation::new(
                "every line explains itself",
                format!(
                    "{} is {} but its explanation says {}",
                    line.code,
                    line.amount,
                    line.explanation.result()
                ),
            ));
        }
    }
    Ok(())
}

/// Checks the law `year-to-date state chains`: the state after a period is
/// the state before it plus that period's payslip (gross, employee and
/// employer contributions), and the withholding state moves by the
/// withholding line.
///
/// # Errors
///
/// The first total that does not chain.
pub fn check_ytd_chain(
    before: &crate::payroll::PayrollYtd,
    payslip: &crate::payroll::Payslip,
) -> Result<(), InvariantViolation> {
    use crate::payroll::LineKind;
    let after = &payslip.ytd;
    let total = |keep: &dyn Fn(&crate::payroll::PayLine) -> bool| {
        crate::money::checked_sum(payslip.lines.iter().filter(|l| keep(l)).map(|l| l.amount)).ok()
    };
    let employee =
        total(&|l| l.kind == LineKind::Deduction && l.code != "WITHHOLDING" && l.code != "LATENESS");
    let employer = total(&|l| l.kind == LineKind::EmployerCost);
    let withheld = total(&|l| l.code == "WITHHOLDING");
    let plus = |a: Decimal, b: Option<Decimal>| b.and_then(|b| a.checked_add(b));
    let checks = [
        ("gross", plus(before.gross, Some(payslip.gross)), after.gross),
        (
            "contributions",
            plus(before.contributions, employee),
            after.contributions,
        ),
        (
            "employer contributions",
            plus(before.employer_contributions, employer),
            after.employer_contributions,
        ),
        (
            "withheld",
            plus(before.withholding.withheld, withheld),
            after.withholding.withheld,
        ),
    ];
    for (what, want, got) in checks {
        if want != Some(got) {
            let want = want.map_or_else(|| "an overflow".to_owned(), |w| w.to_string());
            return Err(InvariantViolation::new(
                "year-to-date state chains",
                format!("{what}: before + this period = {want}, state after says {got}"),
            ));
        }
    }
    if before.year != after.year {
        return Err(InvariantViolation::new(
            "year-to-date state chains",
            format!("year changed from {} to {}", before.year, after.year),
        ));
    }
    Ok(())
}

/// Checks the law `re-evaluation grants nothing twice`: no award key of
/// `second` (a re-run with `first`'s keys granted) appears in `first`, and
/// no key appears twice within a run.
///
/// # Errors
///
/// The first key granted twice.
pub fn check_idempotent_awards(
    first: &[crate::incentive::Award],
    second: &[crate::incentive::Award],
) -> Result<(), InvariantViolation> {
    let mut seen = std::collections::BTreeSet::new();
    for award in first.iter().chain(second) {
        if !seen.insert(&award.key) {
            return Err(InvariantViolation::new(
                "re-evaluation grants nothing twice",
                format!("{} is granted twice", award.key),
            ));
        }
    }
    Ok(())
}

/// Checks the law `every number explains itself` for an outcome: the
/// score's explanation carries the score, the commission is explained by
/// the COMMISSION pay line (or, without a payslip, by a `commission` step of
/// the root), every payslip line's explanation carries its amount, every
/// award has an explanation, and the outcome's root carries the net pay.
///
/// # Errors
///
/// The first number without a matching explanation.
pub fn check_outcome_explained(outcome: &crate::record::EmployeeOutcome) -> Result<(), InvariantViolation> {
    let law = "every number explains itself";
    if let Some(score) = outcome.score
        && !outcome
            .explanation
            .steps()
            .any(|s| s.result() == score && s.unit() == crate::Unit::Score)
    {
        return Err(InvariantViolation::new(
            law,
            format!("score {score} of {} has no step", outcome.employee),
        ));
    }
    if let Some(commission) = outcome.commission {
        let explained = match &outcome.payslip {
            Some(p) => p
                .lines
                .iter()
                .any(|l| l.code == "COMMISSION" && l.explanation.result() == commission),
            None => outcome
                .explanation
                .children()
                .any(|s| s.label() == "commission" && s.result() == commission),
        };
        if !explained {
            return Err(InvariantViolation::new(
                law,
                format!("commission {commission} of {} has no step", outcome.employee),
            ));
        }
    }
    for award in &outcome.awards {
        if award.explanation.label().is_empty() {
            return Err(InvariantViolation::new(
                law,
                format!("award {} has no explanation", award.key),
            ));
        }
    }
    if let Some(p) = &outcome.payslip {
        for line in &p.lines {
            if line.explanation.result() != line.amount {
                return Err(InvariantViolation::new(
                    law,
                    format!(
                        "{} line {} says {}",
                        line.code,
                        line.amount,
                        line.explanation.result()
                    ),
                ));
            }
        }
        if outcome.explanation.result() != p.net {
            return Err(InvariantViolation::new(
                law,
                format!(
                    "net {} but the outcome's explanation says {}",
                    p.net,
                    outcome.explanation.result()
                ),
            ));
        }
    }
    Ok(())
}

/// Goal trees: a company goal combined by sum from 1 to `max_children`
/// department goals, each with a weight, a baseline, a target at least as
/// high, and a current value. Always valid.
pub fn goal_tree(max_children: usize) -> impl Strategy<Value = crate::goal::GoalTree> {
    use crate::goal::{Combine, Goal, GoalLevel, GoalTree};
    (1..=max_children.max(1))
        .prop_flat_map(|n| {
            (
                proptest::collection::vec((1i64..=1_000_000, 0i64..=1_000_000, 0i64..=2_000_000), n),
                weights_summing_to_one(n),
            )
        })
        .prop_filter_map("valid goal tree", |(children, weights)| {
            let metric = crate::id::MetricId::new("sales").ok()?;
            let id = |s: String| crate::id::GoalId::new(s).ok();
            let base: i64 = children.iter().map(|c| c.0).sum();
            let target: i64 = children.iter().map(|c| c.0.saturating_add(c.1)).sum();
            let mut goals = vec![
                Goal::new(
                    id("company".into())?,
                    GoalLevel::Company,
                    metric.clone(),
                    Decimal::from(base),
                    Decimal::from(target),
                )
                .combine(Combine::Sum),
            ];
            for (i, ((b, up, cur), w)) in children.into_iter().zip(weights).enumerate() {
                goals.push(
                    Goal::new(
                        id(format!("d{i}"))?,
                        GoalLevel::Department,
                        metric.clone(),
                        Decimal::from(b),
                        Decimal::from(b.saturating_add(up)),
                    )
                    .parent(id("company".into())?)
                    .weight(w)
                    .current(Decimal::from(cur)),
                );
            }
            GoalTree::new(goals).ok()
        })
}

/// Employee inputs for a role whose scorecard reads `metrics`: a salary of
/// 3,000 to 30,000, each metric between 0 and `metric_max` (four decimal
/// places), up to 2 unpaid days and a few late arrivals.
pub fn employee_inputs(
    role: &str,
    metrics: &[&str],
    metric_max: i64,
) -> impl Strategy<Value = crate::record::EmployeeInputs> + use<> {
    let role = crate::id::RoleId::new(role).ok();
    let names: Vec<crate::id::MetricId> = metrics
        .iter()
        .filter_map(|m| crate::id::MetricId::new(m).ok())
        .collect();
    let n = names.len();
    (
        0u32..100_000,
        300_000i64..=3_000_000,
        proptest::collection::vec(0i64..=metric_max.max(1).saturating_mul(10_000), n),
        0i64..=2,
        proptest::collection::vec(0u32..60, 0..3),
    )
        .prop_filter_map("valid employee", move |(id, salary, values, absent, late)| {
            let start = NaiveDate::from_ymd_opt(2025, 1, 1)?;
            Some(crate::record::EmployeeInputs {
                employee: crate::id::EmployeeId::new(format!("e{id:05}")).ok()?,
                role: role.clone()?,
                salary: Timeline::constant(start, Decimal::new(salary, 2)),
                employed_until: None,
                attendance: crate::payroll::Attendance {
                    unpaid_absence_days: Decimal::from(absent),
                    late_minutes: late,
                    overtime_hours: Default::default(),
                    paid_leave_days: Default::default(),
                },
                metrics: names
                    .iter()
                    .cloned()
                    .zip(values.into_iter().map(|v| Decimal::new(v, 4)))
                    .collect(),
                events: Vec::new(),
                ytd: None,
                granted: Default::default(),
                adjustments: Vec::new(),
                transactions: Vec::new(),
                allowances: Vec::new(),
                tax_deductions: Vec::new(),
                employment_level: None,
                ratings: Default::default(),
                check_ins: Vec::new(),
            })
        })
}

/// Variations of a valid `base` plan: every tier table replaced by a
/// generated marginal one, each role's scorecard weights re-drawn (still
/// summing to 1), and the version changed. With tables that need no
/// rounding of their own, the variations compile whenever `base` does.
pub fn plan_variation(base: crate::plan::Plan) -> impl Strategy<Value = crate::plan::Plan> {
    let tables = base.tiers.len();
    let items: Vec<usize> = base.roles.values().map(|r| r.scorecard.len()).collect();
    let weights = items.into_iter().map(weights_summing_to_one).collect::<Vec<_>>();
    (
        proptest::collection::vec(marginal_table(6), tables),
        weights,
        1u32..10_000,
    )
        .prop_map(move |(new_tables, weights, version)| {
            let mut plan = base.clone();
            for (table, new) in plan.tiers.values_mut().zip(new_tables) {
                *table = new.into();
            }
            for (role, w) in plan.roles.values_mut().zip(weights) {
                for (item, w) in role.scorecard.iter_mut().zip(w) {
                    item.weight = Some(w.into());
                }
            }
            plan.version = version;
            plan
        })
}

/// Laws of crate-private parts, which the integration tests cannot call:
/// here, in the tools layer, because they read the sample files.
#[cfg(test)]
mod tests {
    use crate::eval::{beside, evaluate_numbers, evaluate_numbers_reached};
    use crate::plan::{Plan, reach};
    use crate::record::EmployeeOutcome;

    /// A proposal evaluated only for the staff it reaches, beside everyone
    /// else's outcome under the plan in force, is the proposal evaluated
    /// for everyone — outcomes, the reached roles' rankings and bests, the
    /// goals — on the sample shop's November (whose staff own the plan's
    /// goals).
    #[test]
    fn evaluating_the_reached_staff_beside_the_rest_is_evaluating_everyone() {
        let text = include_str!("../examples/shop.toml");
        let month = include_str!("../examples/inputs/shop-2026-11.toml");
        let month = super::InputsFile::from_text(month, "shop-2026-11.toml").unwrap();
        let now = Plan::from_toml(text).unwrap();
        let edits: [&[(&str, &str)]; 5] = [
            &[],
            &[("tiers.sales.tiers[1].rate", "0.04")],
            &[("tiers.service.tiers[0].rate", "0.02")],
            &[("roles.operations.target_bonus", "2500")],
            &[
                ("roles.sales.scorecard[0].weight", "0.50"),
                ("roles.sales.scorecard[1].weight", "0.30"),
            ],
        ];
        let current = now.compile().unwrap();
        let before = evaluate_numbers(&current, &month.period, &month.employees).unwrap();
        for edit in edits {
            let mut proposal = now.clone();
            for (path, value) in edit {
                proposal.set(path, value).unwrap();
            }
            let reach = reach(&now, &proposal).unwrap();
            assert_ne!(reach, crate::plan::Reach::Everyone, "{edit:?}");
            let proposed = proposal.compile().unwrap();
            let whole = evaluate_numbers(&proposed, &month.period, &month.employees).unwrap();
            let reached =
                evaluate_numbers_reached(&proposed, &month.period, &month.employees, &reach).unwrap();
            let everyone: Vec<EmployeeOutcome> = beside(&before, &reached, &reach)
                .unwrap()
                .into_iter()
                .cloned()
                .collect();
            assert_eq!(everyone, whole.employees, "{edit:?}");
            assert!(!whole.team.goals.is_empty() && !whole.team.rankings.is_empty());
            assert_eq!(reached.team.goals, whole.team.goals);
            for (role, ranking) in &whole.team.rankings {
                let from = if reach.includes(role) { &reached } else { &before };
                assert_eq!(from.team.rankings.get(role), Some(ranking), "{edit:?} {role}");
                assert_eq!(
                    from.team.best.get(role),
                    whole.team.best.get(role),
                    "{edit:?} {role}"
                );
            }
        }
    }
}
