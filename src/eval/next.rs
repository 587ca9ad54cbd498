//! Stage 3, after pay: how far each reward not yet reached is — the
//! commission's next tier, the next grade, each incentive rule with a
//! threshold — so staff see what reaching the goal earns.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::explain::Sink;
use crate::id::{GradeId, MetricId};
use crate::incentive::{Award, AwardSpec, Facts};
use crate::plan::{CompiledRole, Credit};
use crate::record::{Distance, EmployeeInputs, Moves, NextReward};
use crate::tier::CommissionContext;

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
/// simulation in numbers has no use for them. The outcome keeps the
/// numbers; each distance's explanation is made from them when asked
/// ([`NextReward::explanation`]).
///
/// `scratch` is a buffer reused from employee to employee: the outcome's
/// list is allocated once, at its exact length.
pub(super) fn next_rewards<Q: Sink>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    role: Option<&CompiledRole>,
    reached: &Reached<'_>,
    scratch: &mut Vec<NextReward>,
) -> Vec<NextReward> {
    if !Q::RECORDS {
        return Vec::new();
    }
    scratch.clear();
    let out = scratch;
    if let Some(next) = commission(role, reached) {
        out.push(next);
    }
    if let Some(next) = grade(shared, role, reached) {
        out.push(next);
    }
    incentives(shared, input, reached, out);
    let mut exact = Vec::with_capacity(out.len());
    exact.append(out);
    exact
}

/// The commission's next tier, through its gates and multipliers (a
/// commission paid deal by deal has none: each deal pays at its own
/// running attainment).
fn commission(role: Option<&CompiledRole>, reached: &Reached<'_>) -> Option<NextReward> {
    let (credit, rule) = role?.commission.as_ref()?;
    let of = match credit {
        Credit::Metric(m) => Moves::Metric(m.clone()),
        Credit::Transactions { each: false } => Moves::Transactions,
        Credit::Transactions { each: true } => return None,
    };
    let (amount, prior) = reached.credit?;
    let next = rule
        .next_tier(&CommissionContext::new(amount, reached.metrics).with_prior(prior))
        .ok()??;
    Some(NextReward {
        of,
        needed: next.needed,
        worth: Some(next.commission_at_tier),
        basis: Distance::CommissionTier {
            tier: next.tier,
            boundary: next.boundary,
            pay: next.pay,
            mode: next.mode,
            now: next.commission_now,
            at_tier: next.commission_at_tier,
            closed_by: next.closed_by,
        },
    })
}

/// The next grade by score (none when the role's grades are calibrated
/// by share: a rank, not a score, decides them).
fn grade(
    shared: &PeriodShared<'_>,
    role: Option<&CompiledRole>,
    reached: &Reached<'_>,
) -> Option<NextReward> {
    if role?.distribution.is_some() {
        return None;
    }
    let score = reached.score?;
    let rating = shared.plan.inner.rating.as_ref()?;
    let (better, needed) = rating.next_grade_after(reached.grade?, score)?;
    Some(NextReward {
        of: Moves::Score,
        needed,
        worth: Some(better.coefficient().normalize()),
        basis: Distance::Grade {
            grade: better.id().clone(),
            min: better.min().unwrap_or_default(),
            score,
        },
    })
}

/// Each outcome rule of the role that did not award this period, for each
/// comparison not yet passed.
fn incentives(
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
            AwardSpec::Points(points) => Some(points.normalize()),
            _ => None,
        };
        for short in rule.shortfalls(&facts, &input.employee, shared.period, &input.granted) {
            let Some(of) = Moves::of_operand(&short.operand) else {
                continue;
            };
            out.push(NextReward {
                of,
                needed: short.needed,
                worth,
                basis: Distance::Threshold {
                    rule: rule.id().clone(),
                    compare: short.compare,
                    value: short.value,
                    threshold: short.threshold,
                },
            });
        }
    }
}
