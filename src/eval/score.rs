//! Stage 1, per employee: the role's scorecard gives a score, the rating
//! scale a grade.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::Error;
use crate::explain::Recorder;
use crate::id::{GradeId, MetricId};
use crate::plan::CompiledInner;
use crate::record::{EmployeeInputs, OutcomeError, Stage};

use super::stage_error;

/// One employee's score and grade, with their steps.
pub(super) struct Scored<R> {
    pub(super) score: Option<Decimal>,
    pub(super) grade: Option<(GradeId, Decimal)>,
    /// The score's step, a child of the employee's root step.
    pub(super) score_step: Option<R>,
    /// The grade's step, a child of the employee's root step.
    pub(super) grade_step: Option<R>,
    pub(super) errors: Vec<OutcomeError>,
}

/// Scores and grades every employee (an unknown role or a missing metric
/// is that employee's error).
pub(super) fn score<R: Recorder>(
    inner: &CompiledInner,
    sorted: &[&EmployeeInputs],
    metrics: &[Cow<'_, BTreeMap<MetricId, Decimal>>],
) -> Vec<Scored<R>> {
    let mut scored = Vec::with_capacity(sorted.len());
    for (input, metrics) in sorted.iter().zip(metrics) {
        let mut s = Scored {
            score: None,
            grade: None,
            score_step: None,
            grade_step: None,
            errors: Vec::new(),
        };
        let card = match inner.roles.get(&input.role) {
            None => {
                s.errors.push(stage_error(
                    Stage::Score,
                    Error::data(format!("unknown role {}", input.role)),
                ));
                None
            }
            // a payroll-only role: no score, and nothing wrong
            Some(role) => role.scorecard.as_ref(),
        };
        match card.map(|card| card.evaluate_with::<R>(metrics.as_ref())) {
            None => {}
            Some(Ok((score, e))) => {
                s.score = Some(score);
                s.score_step = Some(e);
                if let Some(rating) = &inner.rating {
                    let (grade, step) = rating.rate_with::<R>(score);
                    s.grade = Some((grade.id().clone(), grade.coefficient()));
                    s.grade_step = Some(step);
                }
            }
            Some(Err(err)) => s.errors.push(stage_error(Stage::Score, err)),
        }
        scored.push(s);
    }
    scored
}
