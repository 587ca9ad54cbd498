//! Stage 3, after pay: how far each reward not yet reached is — the
//! commission's next tier, the next grade, each incentive rule with a
//! threshold — so staff see what reaching the goal earns.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::explain::{Explanation, Recorder, Term, Unit};
use crate::id::{GradeId, MetricId};
use crate::incentive::{Award, AwardSpec, Compare, Facts, Operand};
use crate::plan::{CompiledRole, Credit};
use crate::record::{EmployeeInputs, NextReward, Reward};
use crate::text::Text;
use crate::tier::{CommissionContext, NextCommissionTier, TierMode, TierPay};

use super::PeriodShared;

/// What the pay stage knows that the distances read.
pub(super) struct Reached<'a> {
    pub(super) metrics: &'a BTreeMap<MetricId, Decimal>,
    /// The period's credit and the prior credit it is paid on top of, when
    /// the commission was paid.
    pub(super) credit: Option<(Decimal, Decimal)>,
    pub(super) score: Option<Decimal>,
    pub(super) grade: Option<&'a GradeId>,
    pub(super) rank: Option<usize>,
    pub(super) awards: &'a [Award],
}

/// Every reward not yet reached, in order: the commission's next tier, the
/// next grade, then the incentive rules' thresholds in the plan's order.
/// None without explanations: distances are for people to read, and a
/// simulation in numbers has no use for them.
pub(super) fn next_rewards<R: Recorder>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    role: Option<&CompiledRole>,
    reached: &Reached<'_>,
) -> Vec<NextReward> {
    let mut out = Vec::new();
    if !R::RECORDS {
        return out;
    }
    if let Some(next) = commission::<R>(role, reached) {
        out.push(next);
    }
    if let Some(next) = grade::<R>(shared, role, reached) {
        out.push(next);
    }
    incentives::<R>(shared, input, reached, &mut out);
    out
}

/// The commission's next tier, through its gates and multipliers (a
/// commission paid deal by deal has none: each deal pays at its own
/// running attainment).
fn commission<R: Recorder>(role: Option<&CompiledRole>, reached: &Reached<'_>) -> Option<NextReward> {
    let (credit, rule) = role?.commission.as_ref()?;
    let of = match credit {
        Credit::Metric(m) => Text::from(m),
        Credit::Transactions { each: false } => Text::from_static("transactions"),
        Credit::Transactions { each: true } => return None,
    };
    let (amount, prior) = reached.credit?;
    let next = rule
        .next_tier(&CommissionContext::new(amount, reached.metrics).with_prior(prior))
        .ok()??;
    let explanation = R::record(|| commission_step(&next, &of)).into_explanation();
    Some(NextReward {
        reward: Reward::CommissionTier(next.tier),
        of,
        needed: next.needed,
        worth: Some(next.commission_at_tier),
        explanation,
    })
}

/// "next commission tier 12,000.00 = 12,000.00 more sales to earn 3 % on
/// the part above 100,000.00".
fn commission_step(next: &NextCommissionTier, of: &Text) -> Explanation {
    let more = [
        Term::value(next.needed, Unit::Money),
        Term::text(" more "),
        Term::text(of),
    ];
    let inputs = [
        ("commission now", next.commission_now, Unit::Money),
        ("commission at the tier", next.commission_at_tier, Unit::Money),
    ];
    let boundary = Term::value(next.boundary, Unit::Money);
    let step = Explanation::money("next commission tier", next.needed);
    let step = match (next.pay, next.mode) {
        (Some(TierPay::Rate(rate)), TierMode::Marginal) => step.terms(more).terms_and_inputs(
            [
                Term::text(" to earn "),
                Term::value(rate, Unit::Rate),
                Term::text(" on the part above "),
                boundary,
            ],
            inputs,
        ),
        (Some(TierPay::Rate(rate)), _) => step.terms(more).terms_and_inputs(
            [
                Term::text(" to earn "),
                Term::value(rate, Unit::Rate),
                Term::text(" on the whole amount from "),
                boundary,
            ],
            inputs,
        ),
        (Some(TierPay::Fixed(fixed)), _) => step.terms(more).terms_and_inputs(
            [
                Term::text(" to reach the tier paying "),
                Term::value(fixed, Unit::Money),
                Term::text(" from "),
                boundary,
            ],
            inputs,
        ),
        (None, _) => step
            .terms(more)
            .terms_and_inputs([Term::text(" to reach the next point at "), boundary], inputs),
    };
    match &next.closed_by {
        Some(closed) => step.terms([
            Term::text("; nothing is paid while "),
            Term::text(closed),
            Term::text(" keeps the commission closed"),
        ]),
        None => step,
    }
}

/// The next grade by score (none when the role's grades are calibrated
/// by share: a rank, not a score, decides them).
fn grade<R: Recorder>(
    shared: &PeriodShared<'_>,
    role: Option<&CompiledRole>,
    reached: &Reached<'_>,
) -> Option<NextReward> {
    if role?.distribution.is_some() {
        return None;
    }
    let score = reached.score?;
    let (better, needed) = shared.plan.inner.rating.as_ref()?.next_grade(score)?;
    let explanation = R::record(|| {
        Explanation::new("next grade", needed, Unit::Score).terms_and_inputs(
            [
                Term::value(better.min().unwrap_or_default(), Unit::Score),
                Term::text(" for grade "),
                Term::text(better.id()),
                Term::text(" − "),
                Term::value(score, Unit::Score),
                Term::text(" score"),
            ],
            [("coefficient of the grade", better.coefficient(), Unit::Number)],
        )
    })
    .into_explanation();
    Some(NextReward {
        reward: Reward::Grade(better.id().clone()),
        of: Text::from_static("score"),
        needed,
        worth: Some(better.coefficient()),
        explanation,
    })
}

/// Each outcome rule of the role that did not award this period, for each
/// comparison not yet passed.
fn incentives<R: Recorder>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    reached: &Reached<'_>,
    out: &mut Vec<NextReward>,
) {
    let Some(program) = shared.plan.inner.incentives.get(&input.role) else {
        return;
    };
    let facts = Facts {
        score: reached.score,
        grade: reached.grade.cloned(),
        rank: reached.rank,
        metrics: Cow::Borrowed(reached.metrics),
    };
    for rule in program.rules() {
        if reached.awards.iter().any(|a| &a.rule == rule.id()) {
            continue;
        }
        let worth = match rule.award() {
            AwardSpec::Cash(cash) => Some(*cash),
            AwardSpec::Points(points) => Some(*points),
            _ => None,
        };
        for short in rule.shortfalls(&facts, &input.employee, shared.period, &input.granted) {
            let unit = match short.operand {
                Operand::Score => Unit::Score,
                Operand::Rank => Unit::Count,
                _ => Unit::Number,
            };
            let of = short.operand.label();
            let explanation = R::record(|| {
                let wants = match short.compare {
                    Compare::AtLeast => " must reach at least ",
                    Compare::Above => " must rise above ",
                    Compare::AtMost => " must fall to at most ",
                    Compare::Below => " must fall below ",
                    Compare::Equals => " must equal ",
                };
                Explanation::new("next award", short.needed, unit).terms([
                    Term::text("rule "),
                    Term::text(rule.id()),
                    Term::text(": "),
                    Term::text(&of),
                    Term::text(" "),
                    Term::value(short.value, unit),
                    Term::text(wants),
                    Term::value(short.threshold, unit),
                ])
            })
            .into_explanation();
            out.push(NextReward {
                reward: Reward::Incentive(rule.id().clone()),
                of,
                needed: short.needed,
                worth,
                explanation,
            });
        }
    }
}
