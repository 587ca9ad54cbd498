//! A period in shards: cut by a host's key, each shard evaluated apart (a
//! job of the host's job system, another machine, another night), the
//! shards' outcomes merged into the period's — the same outcome, byte for
//! byte, as evaluating the period whole (`prop_shards_merge_to_whole`).
//!
//! Two things cross employees, and the cut keeps both whole:
//!
//! - the team stage ranks, calibrates and pools each **role**'s staff
//!   together, so a key that puts one role's staff in two shards is
//!   refused, naming the role;
//! - the **goal tree** rolls up across everyone, so [`cut`] measures the
//!   goals once over the whole period and hands each shard the figures of
//!   its own employees (what they own, what is published to their
//!   metrics).
//!
//! A [`Shard`] is plain data (serde): a host sends it to a worker, which
//! calls [`Shard::evaluate`] with the same compiled plan and sends the
//! [`PeriodOutcome`] back; [`Sharding::merge`] joins them, and the store
//! commits the period once, as the single point of commit.
//!
//! ```
//! use perfpay::{EmployeeInputs, Period, Plan, evaluate_period, shard};
//!
//! let plan = Plan::from_toml(include_str!("../../examples/shop.toml"))?.compile()?;
//! let staff: Vec<EmployeeInputs> = serde_json::from_str(r#"[
//!   {"employee": "sales-wu", "role": "sales", "salary": [{"effective": "2025-01-01", "value": "6000"}],
//!    "metrics": {"sales": "165000", "sales_achievement": "1.1", "repurchase": "0.2", "teamwork": "4"}},
//!   {"employee": "sales-li", "role": "sales", "salary": [{"effective": "2025-01-01", "value": "6000"}],
//!    "metrics": {"sales": "88000", "sales_achievement": "0.88", "repurchase": "0.2", "teamwork": "4"}},
//!   {"employee": "ops-qin", "role": "operations", "salary": [{"effective": "2025-01-01", "value": "6500"}],
//!    "metrics": {"conversion": "0.031", "repurchase": "0.22", "optimisations": "3", "teamwork": "4", "conversion_achievement": "1.02"}}
//! ]"#).unwrap();
//! let nov = Period::month(2026, 11)?;
//! // one shard per role
//! let sharding = shard::cut(&plan, &nov, &staff, |e| e.role.to_string())?;
//! assert_eq!(sharding.shards.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["operations", "sales"]);
//! let parts = sharding.shards.iter().map(|s| s.evaluate(&plan)).collect::<Result<Vec<_>, _>>()?;
//! assert_eq!(sharding.merge(parts)?, evaluate_period(&plan, &nov, &staff)?);
//! // a cut that splits a role's ranking is refused
//! let err = shard::cut(&plan, &nov, &staff, |e| e.employee.to_string()).unwrap_err();
//! assert_eq!(err.to_string(), "role sales is split between shards sales-li and sales-wu: a role's ranking, forced distribution and bonus pool need all its staff in one shard");
//! # Ok::<(), perfpay::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::explain::Explanation;
use crate::id::{EmployeeId, RoleId};
use crate::period::Period;
use crate::plan::CompiledPlan;
use crate::record::{EmployeeInputs, PeriodOutcome};

use super::goals::Measured;

/// One shard of a period: its employees' inputs and their goal figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// The host's key for the shard (a role, a team, a department).
    pub key: String,
    /// The period.
    pub period: Period,
    /// The fingerprint of the plan the period was cut under; evaluating
    /// the shard under another plan is refused.
    pub plan_fingerprint: String,
    /// The shard's employees, in employee order.
    pub inputs: Vec<EmployeeInputs>,
    /// The goal figures of these employees and their shared deals that
    /// disagree, measured over the whole period (its JSON name is kept).
    goals: Measured,
}

impl Shard {
    /// The shard's outcome under `plan` (explained, as
    /// [`evaluate_period`](crate::evaluate_period) explains): a partial
    /// period outcome for [`Sharding::merge`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// plan other than the one the period was cut under; as
    /// [`evaluate_period`](crate::evaluate_period).
    pub fn evaluate(&self, plan: &CompiledPlan) -> Result<PeriodOutcome> {
        if plan.fingerprint() != self.plan_fingerprint {
            return Err(Error::invalid_input(format!(
                "shard {} was cut under another plan than {} v{}",
                self.key,
                plan.plan().id,
                plan.plan().version
            )));
        }
        let sorted = super::sorted_once(&self.inputs)?;
        super::evaluate_with::<Explanation>(plan, &self.period, &sorted, self.goals.clone())
    }
}

/// A period cut into shards, with what belongs to the whole period (the
/// goal tree's progress) for the merge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sharding {
    /// The period.
    pub period: Period,
    /// The fingerprint of the plan the period was cut under.
    pub plan_fingerprint: String,
    /// The shards, in key order; none is empty.
    pub shards: Vec<Shard>,
    /// The period's goals, measured over every employee.
    goals: Measured,
}

/// Cuts `inputs` of `period` into shards by `key`: employees with the same
/// key form one shard. The goal tree is measured here, once, over everyone.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when an
/// employee is listed twice, or when the key puts one role's staff in two
/// shards (naming the role and two of its shards).
pub fn cut(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
    key: impl Fn(&EmployeeInputs) -> String,
) -> Result<Sharding> {
    let sorted = super::sorted_once(inputs)?;
    let mut by_key: BTreeMap<String, Vec<EmployeeInputs>> = BTreeMap::new();
    let mut role_key: BTreeMap<&RoleId, String> = BTreeMap::new();
    for input in &sorted {
        let k = key(input);
        match role_key.get(&input.role) {
            Some(first) if *first != k => {
                let (a, b) = if *first < k {
                    (first.as_str(), k.as_str())
                } else {
                    (k.as_str(), first.as_str())
                };
                return Err(Error::invalid_input(format!(
                    "role {} is split between shards {a} and {b}: a role's ranking, forced distribution and bonus pool need all its staff in one shard",
                    input.role
                )));
            }
            Some(_) => {}
            None => {
                role_key.insert(&input.role, k.clone());
            }
        }
        by_key.entry(k).or_default().push((*input).clone());
    }
    let goals = super::measure(plan, period, &sorted);
    let shards = by_key
        .into_iter()
        .map(|(key, inputs)| Shard {
            goals: goals.of(inputs.iter().map(|i| &i.employee)),
            key,
            period: *period,
            plan_fingerprint: plan.fingerprint().to_owned(),
            inputs,
        })
        .collect();
    Ok(Sharding {
        period: *period,
        plan_fingerprint: plan.fingerprint().to_owned(),
        shards,
        goals: Measured {
            progress: goals.progress,
            errors: goals.errors,
            ..Measured::default()
        },
    })
}

impl Sharding {
    /// The period's outcome from its shards' outcomes (in any order): the
    /// employees in employee order, the roles' rankings and bests, the
    /// goals measured over everyone.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for an
    /// outcome of another plan or period, an employee in two outcomes, a
    /// role ranked in two, or employees of the cut missing from the
    /// outcomes (or outcomes with employees the cut does not have).
    pub fn merge(&self, parts: impl IntoIterator<Item = PeriodOutcome>) -> Result<PeriodOutcome> {
        let mut parts = parts.into_iter();
        let Some(mut whole) = parts.next() else {
            return Err(Error::invalid_input("no shard outcome to merge"));
        };
        self.check(&whole)?;
        for part in parts {
            self.check(&part)?;
            for role in part.team.rankings.keys() {
                if whole.team.rankings.contains_key(role) {
                    return Err(Error::invalid_input(format!(
                        "role {role} is ranked in two shard outcomes"
                    )));
                }
            }
            whole.employees.extend(part.employees);
            whole.team.rankings.extend(part.team.rankings);
            whole.team.best.extend(part.team.best);
            whole.team.left_out.extend(part.team.left_out);
        }
        whole.employees.sort_by(|a, b| a.employee.cmp(&b.employee));
        let merged: Vec<&EmployeeId> = whole.employees.iter().map(|o| &o.employee).collect();
        if let Some(twice) = merged.windows(2).find_map(|w| match w {
            [a, b] if a == b => Some(*a),
            _ => None,
        }) {
            return Err(Error::invalid_input(format!("{twice} is in two shard outcomes")));
        }
        let cut: BTreeSet<&EmployeeId> = self
            .shards
            .iter()
            .flat_map(|s| s.inputs.iter().map(|i| &i.employee))
            .collect();
        let got: BTreeSet<&EmployeeId> = merged.iter().copied().collect();
        if let Some(missing) = cut.difference(&got).next() {
            return Err(Error::invalid_input(format!(
                "the shard outcomes lack {missing} (and maybe others): merge every shard's outcome"
            )));
        }
        if let Some(extra) = got.difference(&cut).next() {
            return Err(Error::invalid_input(format!(
                "{extra} is in a shard outcome but not in the period's cut"
            )));
        }
        whole.team.goals = self.goals.progress.clone();
        whole.team.goal_errors = self.goals.errors.clone();
        Ok(whole)
    }

    /// An outcome of the cut's plan and period.
    fn check(&self, part: &PeriodOutcome) -> Result<()> {
        if part.plan_fingerprint != self.plan_fingerprint || part.period != self.period {
            return Err(Error::invalid_input(format!(
                "a shard outcome of {} under {} does not belong to this cut of {}",
                part.period, part.plan, self.period
            )));
        }
        Ok(())
    }
}
