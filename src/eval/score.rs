//! Stage 1, per employee: the role's scorecard gives a score, the rating
//! scale a grade.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::Error;
use crate::error::Result;
use crate::explain::Sink;
use crate::id::{GradeId, MetricId, RoleId};
use crate::plan::{CompiledInner, CompiledRole};
use crate::record::{EmployeeInputs, OutcomeError, Stage};
use crate::score::RaterSource;

use super::stage_error;

/// One employee's score and grade, with their steps.
pub(super) struct Scored<'p, R> {
    /// The plan's own id of the employee's role, when the plan has it: the
    /// team stage groups by it, read where the plan keeps it rather than
    /// in each employee's inputs (cachegrind, a month of 100,000: two
    /// fewer cache misses an employee).
    pub(super) role: Option<&'p RoleId>,
    pub(super) score: Option<Decimal>,
    pub(super) grade: Option<(GradeId, Decimal)>,
    /// The score's step, a child of the employee's root step.
    pub(super) score_step: Option<R>,
    /// The grade's step, a child of the employee's root step.
    pub(super) grade_step: Option<R>,
    pub(super) errors: Vec<OutcomeError>,
}

/// One employee's score and grade (an unknown role or a missing metric is
/// the employee's error).
pub(super) fn score<'p, Q: Sink>(
    inner: &'p CompiledInner,
    input: &EmployeeInputs,
    metrics: &BTreeMap<MetricId, Decimal>,
    rec: &mut Q,
) -> Scored<'p, Q::Step> {
    let (role_id, role) = inner.roles.get_key_value(&input.role).unzip();
    let mut s = Scored {
        role: role_id,
        score: None,
        grade: None,
        score_step: None,
        grade_step: None,
        errors: Vec::new(),
    };
    if role.is_none() {
        s.errors.push(stage_error(
            Stage::Score,
            Error::data(format!("unknown role {}", input.role)),
        ));
    }
    // a payroll-only role: no score, and nothing wrong
    match role.and_then(|role| role_score(role, input, metrics, rec)) {
        None => {}
        Some(Ok((score, e))) => {
            s.score = Some(score);
            s.score_step = Some(e);
            if let Some(rating) = &inner.rating {
                let (grade, step) = rating.rate_in(score, rec);
                s.grade = Some((grade.id().clone(), grade.coefficient()));
                s.grade_step = Some(step);
            }
        }
        Some(Err(err)) => s.errors.push(stage_error(Stage::Score, err)),
    }
    s
}

/// The score of a role's employee: the scorecard's, or — for a role rated
/// by several sources — the sources combined, the scorecard's score one of
/// them (its step a child of the combination). `None` for a payroll-only
/// role.
fn role_score<Q: Sink>(
    role: &CompiledRole,
    input: &EmployeeInputs,
    metrics: &BTreeMap<MetricId, Decimal>,
    rec: &mut Q,
) -> Option<Result<(Decimal, Q::Step)>> {
    let card = role.scorecard.as_ref().map(|card| card.evaluate_in(metrics, rec));
    let Some(sources) = &role.sources else {
        return card;
    };
    Some((|| {
        if input.ratings.contains_key(&RaterSource::Scorecard) {
            return Err(Error::data(
                "the scorecard's rating is computed from its KPIs; the inputs may not give it",
            )
            .with_path("ratings.scorecard"));
        }
        let mut ratings: Vec<(RaterSource, Decimal)> = input
            .ratings
            .iter()
            .flat_map(|(source, given)| given.iter().map(move |r| (source.clone(), *r)))
            .collect();
        let card_step = match card {
            Some(result) => {
                let (score, step) = result?;
                ratings.push((RaterSource::Scorecard, score));
                Some(step)
            }
            None => None,
        };
        let (score, step) = sources.combine_in(&ratings, rec)?;
        Ok((
            score,
            match card_step {
                Some(card) => rec.child(step, card),
                None => step,
            },
        ))
    })())
}
