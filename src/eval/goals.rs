//! Stage 0, goals: each leaf goal measured from its owner's metrics, the
//! tree rolled up.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::Error;
use crate::goal::{GoalProgress, GoalTree};
use crate::id::{EmployeeId, GoalId, MetricId};
use crate::record::EmployeeInputs;

/// What the goal stage found.
#[derive(Default)]
pub(super) struct Goals {
    pub(super) progress: BTreeMap<GoalId, GoalProgress>,
    pub(super) errors: BTreeMap<GoalId, Error>,
    /// Per owner: the progress of their goals.
    pub(super) owned: BTreeMap<EmployeeId, Vec<GoalProgress>>,
    /// Per owner: achievements the plan declares as metrics.
    pub(super) published: BTreeMap<EmployeeId, Vec<(MetricId, Decimal)>>,
}

/// Measures each leaf goal owned by an employee from that employee's metric,
/// rolls the tree up, and gathers each goal's progress.
pub(super) fn measure_goals(tree: &GoalTree, inputs: &[&EmployeeInputs], declared: &[MetricId]) -> Goals {
    // `inputs` are sorted by employee id
    let owner = |goal: &crate::goal::Goal| {
        let o = goal.owner.as_deref()?;
        let at = inputs.binary_search_by(|i| i.employee.as_str().cmp(o)).ok()?;
        inputs.get(at).copied()
    };
    let measured = tree.goals().iter().map(|goal| {
        let leaf = tree.children(&goal.id).next().is_none();
        match owner(goal).and_then(|i| i.metrics.get(&goal.metric)) {
            Some(value) if leaf && goal.current.is_none() => goal.clone().current(*value),
            _ => goal.clone(),
        }
    });
    let mut out = Goals::default();
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
            Ok(progress) => {
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
