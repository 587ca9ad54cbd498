//! Stage 2, the team: rankings per role, forced distribution, bonus pools.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::Error;
use crate::explain::{Explanation, Sink, Term, Unit};
use crate::id::{EmployeeId, GradeId, RoleId};
use crate::payroll::PayItem;
use crate::plan::{CompiledInner, CompiledRole};
use crate::record::{EmployeeInputs, OutcomeError, Stage, TeamOutcome};
use crate::score::rank_in_id_order;
use crate::text::msg;

use super::score::Scored;
use super::stage_error;

/// A role's scores, and where each of its employees is among all employees.
/// The ids are borrowed: copying an `Arc` id is an atomic write to memory
/// far away, for each of a role's staff.
#[derive(Default)]
struct RoleScores<'a> {
    scores: Vec<(&'a EmployeeId, Decimal)>,
    positions: Vec<usize>,
}

impl RoleScores<'_> {
    /// The scores with their ids owned, for the forced distribution and the
    /// bonus pool, which keep them.
    fn owned(&self) -> Vec<(EmployeeId, Decimal)> {
        self.scores
            .iter()
            .map(|(id, score)| ((*id).clone(), *score))
            .collect()
    }
}

/// What the team stage found, for the outcome and for each employee's pay.
pub(super) struct Team<R> {
    pub(super) outcome: TeamOutcome,
    /// Errors of the team stage, by position in the period: they fail that
    /// employee only.
    pub(super) errors: BTreeMap<usize, Vec<OutcomeError>>,
    /// Each employee's rank, by position (nobody is listed twice).
    pub(super) ranks: Vec<Option<usize>>,
    /// Grades a forced distribution changed, with their steps.
    pub(super) calibrated: BTreeMap<EmployeeId, (GradeId, R)>,
    /// Shares of the roles' bonus pools.
    pub(super) pool_shares: BTreeMap<EmployeeId, PayItem>,
}

/// What the team stage found for one role: the same parts as [`Team`],
/// with its ranks by position.
struct RoleTeam<R> {
    outcome: TeamOutcome,
    errors: BTreeMap<usize, Vec<OutcomeError>>,
    /// (position in the period, rank) of each ranked employee.
    ranks: Vec<(usize, usize)>,
    calibrated: BTreeMap<EmployeeId, (GradeId, R)>,
    pool_shares: BTreeMap<EmployeeId, PayItem>,
}

/// Ranks each role's employees by score, calibrates grades and splits bonus
/// pools; an employee without a score is left out. Each role is its own
/// work (on every core with the `parallel` feature), joined in role order.
pub(super) fn team<Q: Sink>(
    inner: &CompiledInner,
    sorted: &[&EmployeeInputs],
    scored: &[Scored<'_, Q::Step>],
    sink: impl Fn() -> Q + Sync + Send,
) -> Team<Q::Step>
where
    Q::Step: Send,
{
    let mut team = Team {
        outcome: TeamOutcome::default(),
        errors: BTreeMap::new(),
        ranks: vec![None; sorted.len()],
        calibrated: BTreeMap::new(),
        pool_shares: BTreeMap::new(),
    };
    let mut by_role: BTreeMap<&RoleId, RoleScores> = BTreeMap::new();
    for (at, (input, s)) in sorted.iter().zip(scored).enumerate() {
        if let Some(score) = s.score {
            let role = by_role.entry(s.role.unwrap_or(&input.role)).or_default();
            role.scores.push((&input.employee, score));
            role.positions.push(at);
        } else if let Some(error) = s.errors.first() {
            team.outcome
                .left_out
                .insert(input.employee.clone(), format!("no score ({error})"));
        }
    }
    // a task per role when the period is large enough to be split (a
    // role's team stage is then thousands of employees); a small shop's
    // roles are ranked on the calling thread (`usize::MAX`: never split)
    let per_role = if sorted.len() >= super::PER_TASK.saturating_mul(2) {
        1
    } else {
        usize::MAX
    };
    let roles = super::each(
        by_role.into_iter().collect(),
        per_role,
        sink,
        |rec, _, (role, scores)| {
            let mut part = RoleTeam {
                outcome: TeamOutcome::default(),
                errors: BTreeMap::new(),
                ranks: Vec::new(),
                calibrated: BTreeMap::new(),
                pool_shares: BTreeMap::new(),
            };
            let compiled = inner.roles.get(role);
            let ok = compiled.is_none_or(|c| part.calibrate(role, c, &scores, rec))
                && compiled.is_none_or(|c| part.share_pool(role, c, &scores, rec));
            if ok {
                part.rank(role, scores);
            }
            part
        },
    );
    for part in roles {
        team.outcome.best.extend(part.outcome.best);
        team.outcome.rankings.extend(part.outcome.rankings);
        team.outcome.left_out.extend(part.outcome.left_out);
        for (at, errors) in part.errors {
            team.errors.entry(at).or_default().extend(errors);
        }
        for (at, rank) in part.ranks {
            if let Some(slot) = team.ranks.get_mut(at) {
                *slot = Some(rank);
            }
        }
        team.calibrated.extend(part.calibrated);
        team.pool_shares.extend(part.pool_shares);
    }
    team
}

impl<S> RoleTeam<S> {
    /// Leaves every employee of `scores` (at `positions` in the period) out
    /// of the team stage for `reason`, an error on each one's outcome.
    fn leave_out<I: std::borrow::Borrow<EmployeeId>>(
        &mut self,
        scores: &[(I, Decimal)],
        positions: &[usize],
        reason: &str,
    ) {
        for ((employee, _), &at) in scores.iter().zip(positions) {
            self.outcome
                .left_out
                .insert(employee.borrow().clone(), reason.to_owned());
            self.errors
                .entry(at)
                .or_default()
                .push(stage_error(Stage::Team, Error::data(reason.to_owned())));
        }
    }

    /// The role's forced distribution, if it has one; `false` when it
    /// failed and the role's staff were left out.
    fn calibrate<Q: Sink<Step = S>>(
        &mut self,
        role: &RoleId,
        compiled: &CompiledRole,
        role_scores: &RoleScores<'_>,
        rec: &mut Q,
    ) -> bool {
        let Some(distribution) = &compiled.distribution else {
            return true;
        };
        let RoleScores { positions, .. } = role_scores;
        let scores = role_scores.owned();
        let d = match distribution.apply(&scores) {
            Ok(d) => d,
            Err(err) => {
                let reason = format!("the forced distribution of {role} failed: {err}");
                self.leave_out(&scores, positions, &reason);
                return false;
            }
        };
        for p in d.placements {
            let why = rec.record(|| {
                Explanation::new(
                    msg::CALIBRATED_GRADE.with([Term::text(&p.grade)]),
                    Decimal::from(p.rank),
                    Unit::Count,
                )
                .text(msg::RANK_UNDER_FORCED_DISTRIBUTION.with([
                    Term::value(Decimal::from(p.rank), Unit::Count),
                    Term::value(Decimal::from(scores.len()), Unit::Count),
                    Term::text(role),
                ]))
            });
            self.calibrated.insert(p.employee, (p.grade, why));
        }
        true
    }

    /// The role's bonus pool, if it has one, split by score; `false` when
    /// it could not be split and the role's staff were left out.
    fn share_pool<Q: Sink<Step = S>>(
        &mut self,
        role: &RoleId,
        compiled: &CompiledRole,
        role_scores: &RoleScores<'_>,
        rec: &mut Q,
    ) -> bool {
        let Some((amount, pool)) = &compiled.pool else {
            return true;
        };
        let RoleScores { positions, .. } = role_scores;
        // a negative score cannot take a share of a pool: that employee is
        // left out, the others share it
        let (takers, refused): (Vec<_>, Vec<_>) = role_scores
            .owned()
            .into_iter()
            .zip(positions.iter().copied())
            .partition(|((_, score), _)| !score.is_sign_negative() || score.is_zero());
        let (refused, refused_at): (Vec<_>, Vec<_>) = refused.into_iter().unzip();
        let reason = format!("left out of the bonus pool of {role}: a negative score takes no share");
        self.leave_out(&refused, &refused_at, &reason);
        let (participants, at): (Vec<_>, Vec<_>) = takers.into_iter().unzip();
        let split = match pool.split(*amount, &participants) {
            Ok(split) => split,
            Err(err) => {
                let reason = format!("the bonus pool of {role} could not be split: {err}");
                self.leave_out(&participants, &at, &reason);
                return false;
            }
        };
        for (share, step) in split.shares.iter().zip(split.explanation.children()) {
            self.pool_shares.insert(
                share.employee.clone(),
                PayItem {
                    code: crate::text!("POOL"),
                    amount: share.amount,
                    source: Some(format!("bonus pool of {role}").into()),
                    explanation: {
                        let step = rec.record(|| step.to_explanation());
                        rec.explanation(step)
                    },
                },
            );
        }
        true
    }

    /// The role's ranking (rank 1 the best) and its best of the period.
    fn rank(&mut self, role: &RoleId, RoleScores { scores, positions }: RoleScores<'_>) {
        let ranked = rank_in_id_order(&scores);
        self.outcome.best.insert(
            role.clone(),
            ranked
                .iter()
                .take_while(|&&(_, rank)| rank == 1)
                .filter_map(|&(at, _)| Some(scores.get(at)?.0.clone()))
                .collect(),
        );
        for &(at, rank) in &ranked {
            if let Some(&p) = positions.get(at) {
                self.ranks.push((p, rank));
            }
        }
        self.outcome.rankings.insert(
            role.clone(),
            ranked
                .into_iter()
                .filter_map(|(at, rank)| scores.get(at).map(|(id, score)| ((*id).clone(), *score, rank)))
                .collect(),
        );
    }
}
