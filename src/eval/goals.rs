//! Stage 0, goals: each leaf goal measured from its owner's check-ins or
//! metrics, the tree rolled up.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::goal::{CheckIn, CheckInTrend, Goal, GoalProgress, GoalTree};
use crate::id::{EmployeeId, GoalId, MetricId};
use crate::period::Period;
use crate::record::EmployeeInputs;

/// What is measured over the whole period before anyone is evaluated
/// (`super::measure`): what the goal stage found, and the shared deals
/// whose copies disagree. A shard carries its employees' part.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct Measured {
    pub(super) progress: BTreeMap<GoalId, GoalProgress>,
    pub(super) errors: BTreeMap<GoalId, Error>,
    /// Per owner: the progress of their goals.
    pub(super) owned: BTreeMap<EmployeeId, Vec<GoalProgress>>,
    /// Per owner: achievements the plan declares as metrics.
    pub(super) published: BTreeMap<EmployeeId, Vec<(MetricId, Decimal)>>,
    /// Per employee: check-ins that cannot count (left out), with why.
    pub(super) check_in_errors: BTreeMap<EmployeeId, Vec<Error>>,
    /// Per seller: a deal shared with other sellers whose copies disagree
    /// ([`check_splits`](crate::tier::check_splits)), checked across the
    /// whole period.
    pub(super) split_errors: BTreeMap<EmployeeId, Error>,
}

impl Measured {
    /// The part that concerns `employees` alone (the goals they own, what
    /// is published to them, their check-ins left out, their shared deals
    /// that disagree), without the period's progress and errors.
    pub(super) fn of<'a>(&self, employees: impl IntoIterator<Item = &'a EmployeeId>) -> Measured {
        let mut out = Measured::default();
        for e in employees {
            if let Some(v) = self.owned.get(e) {
                out.owned.insert(e.clone(), v.clone());
            }
            if let Some(v) = self.published.get(e) {
                out.published.insert(e.clone(), v.clone());
            }
            if let Some(v) = self.split_errors.get(e) {
                out.split_errors.insert(e.clone(), v.clone());
            }
            if let Some(v) = self.check_in_errors.get(e) {
                out.check_in_errors.insert(e.clone(), v.clone());
            }
        }
        out
    }
}

/// Measures each leaf goal owned by an employee — from the latest of the
/// owner's check-ins on it in `period`, else from the owner's metric —
/// rolls the tree up, and gathers each goal's progress (with the trend of
/// its check-ins).
pub(super) fn measure_goals(
    tree: &GoalTree,
    inputs: &[&EmployeeInputs],
    declared: &[MetricId],
    period: &Period,
) -> Measured {
    let mut out = Measured::default();
    // `inputs` are sorted by employee id
    let owner = |goal: &Goal| {
        let o = goal.owner.as_deref()?;
        let at = inputs.binary_search_by(|i| i.employee.as_str().cmp(o)).ok()?;
        inputs.get(at).copied()
    };
    let check_ins = valid_check_ins(tree, inputs, period, &mut out.check_in_errors);
    let mut trends: BTreeMap<&GoalId, CheckInTrend> = BTreeMap::new();
    let mut measured = Vec::with_capacity(tree.goals().len());
    for goal in tree.goals() {
        let leaf = tree.children(&goal.id).next().is_none();
        let mine: Vec<&CheckIn> = check_ins.iter().filter(|c| c.goal == goal.id).copied().collect();
        let value = match CheckInTrend::of(goal, &mine) {
            Ok(Some(trend)) => {
                let value = trend.latest.value;
                trends.insert(&goal.id, trend);
                Some(value)
            }
            Ok(None) => owner(goal).and_then(|i| i.metrics.get(&goal.metric).copied()),
            Err(err) => {
                out.errors.insert(goal.id.clone(), err);
                None
            }
        };
        measured.push(match value {
            Some(value) if leaf && goal.current.is_none() => goal.clone().current(value),
            _ => goal.clone(),
        });
    }
    let tree = match GoalTree::new(measured) {
        Ok(tree) => tree,
        // the plan's tree was valid; measuring only sets leaf values
        Err(err) => {
            for goal in tree.goals() {
                out.errors.insert(goal.id.clone(), err.clone());
            }
            return out;
        }
    };
    for goal in tree.goals() {
        match tree.progress(&goal.id) {
            Ok(mut progress) => {
                if let Some(trend) = trends.remove(&goal.id) {
                    progress.explanation = progress.explanation.child(trend.explain());
                    progress.trend = Some(trend);
                }
                if let Some(input) = owner(goal) {
                    if let Some(metric) = declared.iter().find(|m| m.as_str() == goal.id.as_str()) {
                        out.published
                            .entry(input.employee.clone())
                            .or_default()
                            .push((metric.clone(), progress.achievement));
                    }
                    out.owned
                        .entry(input.employee.clone())
                        .or_default()
                        .push(progress.clone());
                }
                out.progress.insert(goal.id.clone(), progress);
            }
            Err(err) => {
                out.errors.insert(goal.id.clone(), err);
            }
        }
    }
    out
}

/// The check-ins of `period` that count: on a leaf goal their employee
/// owns, with a confidence from 0 to 1. Any other is left out and is its
/// employee's error, with its path.
fn valid_check_ins<'a>(
    tree: &GoalTree,
    inputs: &[&'a EmployeeInputs],
    period: &Period,
    errors: &mut BTreeMap<EmployeeId, Vec<Error>>,
) -> Vec<&'a CheckIn> {
    let mut valid = Vec::new();
    for input in inputs {
        for (i, c) in input.check_ins.iter().enumerate() {
            let problem = match tree.goal(&c.goal) {
                None => Some(("goal", format!("unknown goal {}", c.goal))),
                Some(goal) if goal.owner.as_deref() != Some(input.employee.as_str()) => {
                    Some(("goal", format!("{} does not own goal {}", input.employee, c.goal)))
                }
                Some(_) if tree.children(&c.goal).next().is_some() => Some((
                    "goal",
                    format!("goal {} rolls up from its children; check in on them", c.goal),
                )),
                Some(_)
                    if c.confidence
                        .is_some_and(|v| v < Decimal::ZERO || v > Decimal::ONE) =>
                {
                    Some((
                        "confidence",
                        format!(
                            "confidence {} is not between 0 and 1",
                            c.confidence.unwrap_or_default()
                        ),
                    ))
                }
                Some(_) => None,
            };
            match problem {
                Some((field, message)) => errors
                    .entry(input.employee.clone())
                    .or_default()
                    .push(Error::invalid_input(message).with_path(format!("check_ins[{i}].{field}"))),
                // another period's check-in is not this period's
                None if period.contains(c.on) => valid.push(c),
                None => {}
            }
        }
    }
    valid
}
