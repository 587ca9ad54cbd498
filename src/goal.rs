//! Goal trees: company → department → role → person, with roll-up,
//! exact decomposition and a consistency check that the children's targets
//! actually reach the parent's.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Term, Unit};
use crate::id::{GoalId, MetricId};
use crate::money::{DecimalExt, RoundingPolicy, allocate, checked_sum};
use crate::score::{Direction, Normalised, Ratio, Weight, normalise, normalise_parts};
use crate::text::msg;

/// Where a goal sits in the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GoalLevel {
    /// The company.
    Company,
    /// A department or team.
    Department,
    /// A role (all operations staff).
    Role,
    /// One person.
    Person,
}

/// Whether a goal counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// The goal counts.
    #[default]
    Active,
    /// The goal is kept for the record but excluded from roll-ups; its
    /// siblings' weights are re-normalised.
    Archived,
}

/// How a goal's children combine into it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Progress is the weighted average of the children's progress.
    #[default]
    WeightedAverage,
    /// Additive targets: the goal's value is the sum of its children's
    /// (department revenue adds up to company revenue).
    Sum,
    /// A driver tree: the goal's value is the product of its children's
    /// (revenue = visitors × conversion × order value).
    Product,
}

impl fmt::Display for Combine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Combine::WeightedAverage => "weighted average",
            Combine::Sum => "sum",
            Combine::Product => "product",
        })
    }
}

fn one() -> Weight {
    Weight::from(Decimal::ONE)
}

/// One goal: a metric with a baseline, a target and (once measured) a
/// current value.
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::goal::{Goal, GoalLevel};
/// use perfpay::id::GoalId;
///
/// let goal = Goal::new(GoalId::new("shop-sales")?, GoalLevel::Company, MetricId::new("sales")?,
///                      Decimal::from(500_000), Decimal::from(1_000_000))
///     .current(Decimal::from(800_000));
/// assert_eq!(goal.achievement()?, Decimal::new(6, 1)); // (800k − 500k) / (1m − 500k)
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Goal {
    /// Unique id.
    pub id: GoalId,
    /// The goal this one contributes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<GoalId>,
    /// Where it sits.
    pub level: GoalLevel,
    /// Who owns it (a department, a role or an employee id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The metric measured.
    pub metric: MetricId,
    /// Whether more of the metric is better.
    #[serde(default = "higher")]
    pub direction: Direction,
    /// The value before the period (last year, last month).
    pub baseline: Decimal,
    /// The value aimed for.
    pub target: Decimal,
    /// The value reached so far, if measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Decimal>,
    /// Weight among its siblings (weighted-average parents): a decimal
    /// (`"0.4"`) or a fraction (`"1/3"`); siblings' weights sum to 1 and
    /// are normalised once ([`GoalTree::weight`]).
    #[serde(default = "one")]
    pub weight: Weight,
    /// The children's weights as a ratio, in their order (`"2:1"`),
    /// instead of a weight on each child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Ratio>,
    /// Active or archived.
    #[serde(default)]
    pub status: GoalStatus,
    /// How this goal's children combine into it.
    #[serde(default)]
    pub combine: Combine,
}

fn higher() -> Direction {
    Direction::HigherIsBetter
}

impl Goal {
    /// An active, higher-is-better goal with weight 1 whose children (if
    /// any) combine by weighted average.
    pub fn new(id: GoalId, level: GoalLevel, metric: MetricId, baseline: Decimal, target: Decimal) -> Goal {
        Goal {
            id,
            parent: None,
            level,
            owner: None,
            metric,
            direction: Direction::HigherIsBetter,
            baseline,
            target,
            current: None,
            weight: one(),
            weights: None,
            status: GoalStatus::Active,
            combine: Combine::WeightedAverage,
        }
    }

    /// Sets the parent goal.
    #[must_use]
    pub fn parent(mut self, parent: GoalId) -> Goal {
        self.parent = Some(parent);
        self
    }

    /// Sets the owner.
    #[must_use]
    pub fn owner(mut self, owner: impl Into<String>) -> Goal {
        self.owner = Some(owner.into());
        self
    }

    /// Sets the direction.
    #[must_use]
    pub fn direction(mut self, direction: Direction) -> Goal {
        self.direction = direction;
        self
    }

    /// Sets the current value.
    #[must_use]
    pub fn current(mut self, current: Decimal) -> Goal {
        self.current = Some(current);
        self
    }

    /// Sets the weight among siblings (a `Decimal` or a [`Weight`]).
    #[must_use]
    pub fn weight(mut self, weight: impl Into<Weight>) -> Goal {
        self.weight = weight.into();
        self
    }

    /// Sets the children's weights as a ratio, in their order.
    #[must_use]
    pub fn weights(mut self, ratio: Ratio) -> Goal {
        self.weights = Some(ratio);
        self
    }

    /// Sets the status.
    #[must_use]
    pub fn status(mut self, status: GoalStatus) -> Goal {
        self.status = status;
        self
    }

    /// Sets how the children combine.
    #[must_use]
    pub fn combine(mut self, combine: Combine) -> Goal {
        self.combine = combine;
        self
    }

    /// Achievement of this goal alone: `(current − baseline) ÷ (target −
    /// baseline)`; 1 means the target is reached, above 1 exceeded. The
    /// formula holds in both directions (for lower-is-better goals both
    /// differences are negative). When target equals baseline (a goal to hold
    /// a level), achievement is 1 if the current value is at least as good,
    /// else 0.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) when there is no current
    /// value; overflow.
    pub fn achievement(&self) -> Result<Decimal> {
        let current = self.current.ok_or_else(|| {
            Error::data(format!("goal {} has no current value", self.id))
                .with_path(format!("goals.{}.current", self.id))
        })?;
        achievement(self.direction, self.baseline, self.target, current)
    }
}

fn achievement(
    direction: Direction,
    baseline: Decimal,
    target: Decimal,
    current: Decimal,
) -> Result<Decimal> {
    if target == baseline {
        return Ok(if direction.at_least_as_good(current, target) {
            Decimal::ONE
        } else {
            Decimal::ZERO
        });
    }
    // a quotient's trailing zeros say nothing: `1.50` is written `1.5`
    Ok(current
        .try_sub(baseline)?
        .try_div(target.try_sub(baseline)?)?
        .normalize())
}

/// Each goal's children, by index, and each goal's own problems: an
/// unknown parent or itself as parent, a negative weight, a target worse
/// than the baseline.
#[allow(clippy::indexing_slicing)] // `children` has an entry per goal, `index` holds goal indices
fn link_and_check_goals(
    goals: &[Goal],
    index: &BTreeMap<GoalId, usize>,
    problems: &mut Vec<Problem>,
) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); goals.len()];
    for (i, goal) in goals.iter().enumerate() {
        let path = format!("goals.{}", goal.id);
        if let Some(parent) = &goal.parent {
            match index.get(parent) {
                Some(&p) if p == i => {
                    problems.push(Problem::new(
                        format!("{path}.parent"),
                        "a goal cannot be its own parent",
                    ));
                }
                Some(&p) => children[p].push(i),
                None => problems.push(Problem::new(
                    format!("{path}.parent"),
                    format!("unknown goal {parent}"),
                )),
            }
        }
        if goal.weight.numerator().is_sign_negative() && !goal.weight.numerator().is_zero() {
            problems.push(Problem::new(
                format!("{path}.weight"),
                format!("weight {} is negative", goal.weight),
            ));
        }
        if goal.direction.better(goal.baseline, goal.target) {
            problems.push(Problem::new(
                format!("{path}.target"),
                format!(
                    "target {} is worse than baseline {} for a metric where {}",
                    goal.target, goal.baseline, goal.direction
                ),
            ));
        }
    }
    children
}

/// Cycles: parents followed from each goal; a walk longer than the tree
/// loops.
#[allow(clippy::indexing_slicing)] // `index` holds goal indices
fn check_cycles(goals: &[Goal], index: &BTreeMap<GoalId, usize>, problems: &mut Vec<Problem>) {
    for (i, goal) in goals.iter().enumerate() {
        let mut at = i;
        let mut steps = 0usize;
        while let Some(&p) = goals[at].parent.as_ref().and_then(|p| index.get(p)) {
            if p == at {
                break;
            }
            at = p;
            steps = steps.saturating_add(1);
            if at == i || steps > goals.len() {
                problems.push(Problem::new(
                    format!("goals.{}.parent", goal.id),
                    format!("goal {} is its own ancestor (a cycle)", goal.id),
                ));
                break;
            }
        }
    }
}

/// Each node with children: weighted-average children's weights sum to 1;
/// a product node and its children have non-zero baselines.
#[allow(clippy::indexing_slicing)] // `children` has an entry per goal and holds goal indices
fn check_children(goals: &[Goal], children: &[Vec<usize>], problems: &mut Vec<Problem>) {
    for (i, goal) in goals.iter().enumerate() {
        let kids = &children[i];
        if kids.is_empty() {
            continue;
        }
        let path = format!("goals.{}", goal.id);
        match goal.combine {
            // the weights are checked as they are normalised
            Combine::WeightedAverage => {}
            Combine::Product => {
                if goal.baseline.is_zero() {
                    problems.push(Problem::new(
                        format!("{path}.baseline"),
                        "a product node needs a non-zero baseline (its growth is target ÷ baseline)",
                    ));
                }
                for &k in kids {
                    if goals[k].baseline.is_zero() {
                        problems.push(Problem::new(
                            format!("goals.{}.baseline", goals[k].id),
                            format!("a child of product node {} needs a non-zero baseline", goal.id),
                        ));
                    }
                }
            }
            Combine::Sum => {}
        }
    }
}

/// Each goal's weight in effect among its siblings, and the lists written
/// as fractions or ratios with their decimals: a parent's ratio over its
/// children; a weighted-average node's children's weights, summing to 1
/// (decimals as written, fractions normalised); other nodes' children's
/// weights as written, fractions normalised as parts.
#[allow(clippy::indexing_slicing)] // `children` has an entry per goal and holds goal indices
fn effective_weights(
    goals: &[Goal],
    children: &[Vec<usize>],
    problems: &mut Vec<Problem>,
) -> (Vec<Decimal>, Vec<(String, Normalised)>) {
    let mut weights: Vec<Decimal> = goals
        .iter()
        .map(|g| {
            g.weight
                .numerator()
                .checked_div(g.weight.denominator())
                .unwrap_or_default()
        })
        .collect();
    let mut lists = Vec::new();
    for (i, goal) in goals.iter().enumerate() {
        let kids = &children[i];
        match children_weights(goals, goal, kids, &weights, problems) {
            Some((list, Ok(n))) => {
                for (&k, w) in kids.iter().zip(&n.weights) {
                    weights[k] = *w;
                }
                lists.push((list, n));
            }
            Some((list, Err(e))) => {
                for p in e.problems() {
                    // problems name the weight's index in the list: `[2]`
                    let child = p
                        .path()
                        .trim_start_matches('[')
                        .trim_end_matches(']')
                        .parse::<usize>()
                        .ok()
                        .and_then(|j| kids.get(j));
                    let place = match (child, &goal.weights) {
                        (Some(&k), None) => format!("goals.{}.weight", goals[k].id),
                        _ => list.clone(),
                    };
                    problems.push(Problem::new(place, p.message().to_owned()));
                }
            }
            None => {}
        }
    }
    (weights, lists)
}

/// The weights of `goal`'s children (`kids`) to normalise, and where they
/// are written: the parent's ratio, or the children's fractions (as
/// weights summing to 1 under a weighted average, as parts otherwise).
/// `None` when there is nothing to normalise — decimals as written, whose
/// sum a weighted average checks — or the ratio does not fit the children.
#[allow(clippy::indexing_slicing)] // `kids` holds goal indices
fn children_weights(
    goals: &[Goal],
    goal: &Goal,
    kids: &[usize],
    weights: &[Decimal],
    problems: &mut Vec<Problem>,
) -> Option<(String, Result<Normalised>)> {
    let path = format!("goals.{}", goal.id);
    if let Some(ratio) = &goal.weights {
        let mut ok = ratio.parts().len() == kids.len();
        if !ok {
            problems.push(Problem::new(
                format!("{path}.weights"),
                format!("{} parts for {} children", ratio.parts().len(), kids.len()),
            ));
        }
        for k in kids.iter().filter(|&&k| goals[k].weight != one()) {
            ok = false;
            problems.push(Problem::new(
                format!("goals.{}.weight", goals[*k].id),
                format!(
                    "goal {} gives its children's weights as a ratio; a weight here too is ambiguous",
                    goal.id
                ),
            ));
        }
        return ok.then(|| (format!("{path}.weights"), ratio.normalise()));
    }
    if kids
        .iter()
        .all(|&k| goals[k].weight.denominator() == Decimal::ONE)
    {
        if goal.combine == Combine::WeightedAverage && !kids.is_empty() {
            match checked_sum(kids.iter().map(|&k| weights[k])) {
                Ok(sum) if sum != Decimal::ONE => problems.push(Problem::new(
                    format!("{path}.children"),
                    format!("weights of the children sum to {}, expected 1", sum.normalize()),
                )),
                Ok(_) => {}
                Err(_) => problems.push(Problem::new(
                    format!("{path}.children"),
                    "children's weights overflow",
                )),
            }
        }
        return None;
    }
    let written: Vec<Weight> = kids.iter().map(|&k| goals[k].weight).collect();
    let result = if goal.combine == Combine::WeightedAverage {
        normalise(&written)
    } else {
        normalise_parts(&written)
    };
    Some((format!("{path}.children"), result))
}

/// The achievement of `goal` at `value` and its step:
/// `(value − baseline) / (target − baseline)`, or, where the target is the
/// baseline (nothing to grow, only to hold), whether `value` reaches it.
fn achieved_at(goal: &Goal, value: Decimal) -> Result<(Decimal, Explanation)> {
    let achieved = achievement(goal.direction, goal.baseline, goal.target, value)?;
    let step = Explanation::new(
        msg::ACHIEVEMENT_OF.with([Term::text(&goal.id)]),
        achieved,
        Unit::Rate,
    );
    let step = if goal.target == goal.baseline {
        let verdict = if achieved.is_zero() {
            &msg::FALLS_SHORT_OF_ITS_TARGET
        } else {
            &msg::REACHES_ITS_TARGET
        };
        step.terms([
            Term::value(value, Unit::Number),
            Term::text(verdict),
            Term::value(goal.target, Unit::Number),
        ])
    } else {
        step.terms([
            Term::text(&msg::OPEN),
            Term::value(value, Unit::Number),
            Term::text(&msg::MINUS),
            Term::value(goal.baseline, Unit::Number),
            Term::text(&msg::CLOSE_OVER_OPEN),
            Term::value(goal.target, Unit::Number),
            Term::text(&msg::MINUS),
            Term::value(goal.baseline, Unit::Number),
            Term::text(&msg::CLOSE),
        ])
    };
    Ok((achieved, step))
}

/// A sum or product node: its value combined from its children's values,
/// and its achievement at that value.
fn combined(goal: &Goal, kids: Vec<GoalProgress>) -> Result<GoalProgress> {
    let sum = goal.combine == Combine::Sum;
    let mut value = if sum { Decimal::ZERO } else { Decimal::ONE };
    for kid in &kids {
        let v = kid.current.ok_or_else(|| {
            Error::data(format!(
                "goal {} combines by {} but child {} has no value",
                goal.id, goal.combine, kid.goal
            ))
        })?;
        value = if sum { value.try_add(v)? } else { value.try_mul(v)? };
    }
    let formula = Explanation::new(&msg::VALUE, value, Unit::Number).joined(
        if sum { &msg::PLUS } else { &msg::TIMES },
        kids.iter()
            .map(|kid| [Term::value(kid.current.unwrap_or_default(), Unit::Number)]),
    );
    let (achieved, step) = achieved_at(goal, value)?;
    Ok(GoalProgress {
        goal: goal.id.clone(),
        current: Some(value),
        achievement: achieved,
        trend: None,
        contributions: Vec::new(),
        explanation: step
            .child(formula)
            .children_from(kids.into_iter().map(|k| k.explanation)),
    })
}

/// A dated progress check-in on a goal (an OKR check-in): the value
/// reached, how confident the owner is of reaching the target, a note.
///
/// ```
/// use perfpay::{Decimal, NaiveDate};
/// use perfpay::goal::CheckIn;
/// use perfpay::id::GoalId;
///
/// let on = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
/// let check_in = CheckIn::new(GoalId::new("live-room")?, on, Decimal::from(70))
///     .confidence(Decimal::new(6, 1))
///     .note("the supplier is late");
/// assert_eq!(check_in.confidence, Some(Decimal::new(6, 1)));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The goal.
    pub goal: GoalId,
    /// The day of the check-in.
    pub on: NaiveDate,
    /// The goal's value reached that day.
    pub value: Decimal,
    /// How confident the owner is of reaching the target, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Decimal>,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CheckIn {
    /// A check-in of `value` on goal `goal` on day `on`.
    pub fn new(goal: GoalId, on: NaiveDate, value: Decimal) -> CheckIn {
        CheckIn {
            goal,
            on,
            value,
            confidence: None,
            note: None,
        }
    }

    /// Sets the confidence (0 to 1).
    #[must_use]
    pub fn confidence(mut self, confidence: Decimal) -> CheckIn {
        self.confidence = Some(confidence);
        self
    }

    /// Sets the note.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> CheckIn {
        self.note = Some(note.into());
        self
    }
}

/// How a goal moved over a period's check-ins; see [`GoalProgress::trend`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInTrend {
    /// Check-ins in the period.
    pub check_ins: usize,
    /// The first one's day and value.
    pub first: (NaiveDate, Decimal),
    /// The latest one: its value is the goal's value for the period.
    pub latest: CheckIn,
    /// Latest − first value.
    pub change: Decimal,
    /// Whether the change moves toward the target (in the goal's
    /// direction); `false` for no change.
    pub toward_target: bool,
}

impl CheckInTrend {
    /// The trend of `check_ins` (of one goal, in any order) for `goal`;
    /// `None` without check-ins. The latest by day is the last of that day
    /// in the given order.
    ///
    /// # Errors
    ///
    /// Overflow.
    pub fn of(goal: &Goal, check_ins: &[&CheckIn]) -> Result<Option<CheckInTrend>> {
        let mut sorted: Vec<&&CheckIn> = check_ins.iter().collect();
        // stable: equal days keep the given order
        sorted.sort_by_key(|c| c.on);
        let (Some(first), Some(latest)) = (sorted.first(), sorted.last()) else {
            return Ok(None);
        };
        let change = latest.value.try_sub(first.value)?;
        Ok(Some(CheckInTrend {
            check_ins: sorted.len(),
            first: (first.on, first.value),
            latest: (**latest).clone(),
            change,
            toward_target: goal.direction.better(latest.value, first.value),
        }))
    }

    /// The trend as a step: "check-ins 70 = latest of 3 on 2026-11-27: 20 on
    /// 2026-11-06 → 70, +50 toward the target (confidence 60 %)".
    pub fn explain(&self) -> Explanation {
        let mut e = Explanation::new(&msg::CHECK_INS, self.latest.value, Unit::Number)
            .text(&msg::LATEST_OF)
            .value(Decimal::from(self.check_ins), Unit::Count)
            .text(msg::ON_DATE_COLON.with([Term::text(self.latest.on.to_string())]))
            .value(self.first.1, Unit::Number)
            .text(msg::ON_DATE_ARROW.with([Term::text(self.first.0.to_string())]))
            .value(self.latest.value, Unit::Number)
            .text(&msg::CHANGE)
            .value(self.change, Unit::Number)
            .text(if self.toward_target {
                &msg::TOWARD_THE_TARGET
            } else {
                &msg::NOT_TOWARD_THE_TARGET
            });
        if let Some(c) = self.latest.confidence {
            e = e.input(&msg::CONFIDENCE, c, Unit::Rate);
        }
        if let Some(note) = &self.latest.note {
            e = e.text(msg::NOTE.with([Term::text(note.clone())]));
        }
        e
    }
}

/// A goal's progress after roll-up.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalProgress {
    /// The goal.
    pub goal: GoalId,
    /// Its value: measured for a leaf, combined from the children for a sum
    /// or product node, `None` for a weighted-average node.
    pub current: Option<Decimal>,
    /// Achievement: 1 = target reached.
    pub achievement: Decimal,
    /// For a goal measured by check-ins: how it moved over the period's
    /// check-ins (its latest is the goal's value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<CheckInTrend>,
    /// Each active child's part in it, in the children's order: for a
    /// weighted-average node its weight (normalised over the active
    /// children) × its achievement; for a sum node its weight derived from
    /// its target size, `(target − baseline) ÷ Σ (target − baseline)`, ×
    /// its achievement (they add up to the node's achievement when the
    /// node's baseline and target are its children's sums). Empty for a
    /// leaf and a product node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<Contribution>,
    /// How it was made.
    pub explanation: Explanation,
}

/// A child goal's part in its parent's achievement; see
/// [`GoalProgress::contributions`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// The child goal.
    pub goal: GoalId,
    /// Its weight in the parent.
    pub weight: Decimal,
    /// Its weight × its achievement.
    pub contribution: Decimal,
}

/// How [`GoalTree::decompose`] splits a parent's target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// By the children's weights.
    ByWeights,
    /// By the children's shares of the baseline (each grows by the same factor).
    ByBaselineShares,
}

/// A parent target split over its children; see [`GoalTree::decompose`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decomposition {
    /// The parent goal.
    pub parent: GoalId,
    /// Each active child's new target, summing exactly to the parent's.
    pub targets: Vec<(GoalId, Decimal)>,
    /// How the split was made.
    pub explanation: Explanation,
}

/// Whether a node's children reach its target; see [`GoalTree::check`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consistency {
    /// The parent goal.
    pub goal: GoalId,
    /// How its children combine (sum or product).
    pub combine: Combine,
    /// What the parent asks: its target (sum) or target ÷ baseline (product).
    pub parent_asks: Decimal,
    /// What the children reach: Σ targets (sum) or Π target ÷ baseline (product).
    pub children_reach: Decimal,
    /// How far the children are from the parent: a difference for a sum,
    /// a growth factor for a product.
    pub gap: Gap,
    /// Whether the children reach the parent's target (in its direction).
    pub consistent: bool,
    /// The finding in words with its numbers.
    pub explanation: Explanation,
}

/// How far a node's children are from its target; see [`Consistency`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// Sum: `children_reach − parent_asks` (negative when the children fall
    /// short, zero when they add up exactly).
    Difference(Decimal),
    /// Product: `parent_asks ÷ children_reach`, the growth factor the
    /// drivers still miss (1 when they reach the parent exactly).
    Factor(Decimal),
}

impl Gap {
    /// Whether the children reach the parent exactly: a difference of 0 or
    /// a factor of 1.
    pub fn is_closed(self) -> bool {
        match self {
            Gap::Difference(d) => d.is_zero(),
            Gap::Factor(f) => f == Decimal::ONE,
        }
    }
}

/// A validated goal tree.
///
/// ```
/// use perfpay::{Decimal, MetricId, RoundingPolicy};
/// use perfpay::goal::{Combine, Goal, GoalLevel, GoalTree, Split};
/// use perfpay::id::GoalId;
///
/// let id = |s: &str| GoalId::new(s).unwrap();
/// let sales = MetricId::new("sales")?;
/// let tree = GoalTree::new([
///     Goal::new(id("company"), GoalLevel::Company, sales.clone(), 500_000.into(), 1_000_000.into())
///         .combine(Combine::Sum),
///     // children's targets start at their baselines until decomposed
///     Goal::new(id("tmall"), GoalLevel::Department, sales.clone(), 250_000.into(), 250_000.into())
///         .parent(id("company")).weight(Decimal::new(5, 1)),
///     Goal::new(id("jd"), GoalLevel::Department, sales.clone(), 150_000.into(), 150_000.into())
///         .parent(id("company")).weight(Decimal::new(3, 1)),
///     Goal::new(id("douyin"), GoalLevel::Department, sales, 100_000.into(), 100_000.into())
///         .parent(id("company")).weight(Decimal::new(2, 1)),
/// ])?;
/// let split = tree.decompose(&id("company"), Split::ByWeights, RoundingPolicy::cents())?;
/// let targets: Vec<String> = split.targets.iter().map(|(_, t)| t.to_string()).collect();
/// assert_eq!(targets, ["500000.00", "300000.00", "200000.00"]);
/// let tree = tree.with_targets(&split.targets)?;
/// assert!(tree.check()?.iter().all(|c| c.consistent));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalTree {
    goals: Vec<Goal>,
    index: BTreeMap<GoalId, usize>,
    children: Vec<Vec<usize>>,
    /// Each goal's weight in effect among its siblings.
    weights: Vec<Decimal>,
    /// The weight lists written as fractions or ratios.
    normalised: Vec<(String, Normalised)>,
}

// An arena: every index comes from `index` or `children`, which `new` (the
// only constructor) builds from `goals`, and `goals` never changes length.
#[allow(clippy::indexing_slicing)] // indices into the arena, valid by construction (above)
impl GoalTree {
    /// Validates `goals` and builds the tree.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem, each with a path naming the goal: duplicate ids, an
    /// unknown parent, a cycle, a negative weight, a target worse than the
    /// baseline for the goal's direction, weighted-average children whose
    /// weights do not sum to 1, a product node (or a child of one) with a
    /// zero baseline.
    pub fn new(goals: impl IntoIterator<Item = Goal>) -> Result<GoalTree> {
        let goals: Vec<Goal> = goals.into_iter().collect();
        let mut problems = Vec::new();
        let mut index = BTreeMap::new();
        for (i, goal) in goals.iter().enumerate() {
            if index.contains_key(&goal.id) {
                problems.push(Problem::new(
                    format!("goals[{i}].id"),
                    format!("duplicate goal id {}", goal.id),
                ));
            } else {
                index.insert(goal.id.clone(), i);
            }
        }
        let children = link_and_check_goals(&goals, &index, &mut problems);
        check_cycles(&goals, &index, &mut problems);
        check_children(&goals, &children, &mut problems);
        let (weights, normalised) = effective_weights(&goals, &children, &mut problems);
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid goal tree", problems));
        }
        Ok(GoalTree {
            goals,
            index,
            children,
            weights,
            normalised,
        })
    }

    /// Every goal, in input order.
    pub fn goals(&self) -> &[Goal] {
        &self.goals
    }

    /// The goal `id`.
    pub fn goal(&self, id: &GoalId) -> Option<&Goal> {
        self.index.get(id).map(|&i| &self.goals[i])
    }

    /// The weight in effect of goal `id` among its siblings: as written,
    /// or normalised from fractions or the parent's ratio.
    pub fn weight(&self, id: &GoalId) -> Option<Decimal> {
        self.index.get(id).map(|&i| self.weights[i])
    }

    /// The weight lists written as fractions or ratios, by path
    /// (`goals.<parent>.weights` or `goals.<parent>.children`), with the
    /// decimals in effect.
    pub fn normalised_weights(&self) -> &[(String, Normalised)] {
        &self.normalised
    }

    /// The children of `id`, in input order.
    pub fn children(&self, id: &GoalId) -> impl Iterator<Item = &Goal> {
        self.index
            .get(id)
            .into_iter()
            .flat_map(move |&i| self.children[i].iter().map(move |&k| &self.goals[k]))
    }

    fn find(&self, id: &GoalId) -> Result<usize> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| Error::invalid_input(format!("unknown goal {id}")))
    }

    fn active_children(&self, i: usize) -> Vec<usize> {
        self.children[i]
            .iter()
            .copied()
            .filter(|&k| self.goals[k].status == GoalStatus::Active)
            .collect()
    }

    /// The progress of `id`, rolled up from its active children.
    ///
    /// - A leaf uses its own current value.
    /// - A weighted-average node averages its children's achievement by
    ///   weight, re-normalised over the active children.
    /// - A sum node's value is the sum of its children's values; a product
    ///   node's, their product. Its achievement then follows from its own
    ///   baseline and target.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) naming a leaf without a
    /// current value, or a node whose children are all archived;
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for an
    /// unknown id; overflow.
    ///
    /// ```
    /// use perfpay::{Decimal, MetricId};
    /// use perfpay::goal::{Combine, Goal, GoalLevel, GoalTree};
    /// use perfpay::id::GoalId;
    ///
    /// let id = |s: &str| GoalId::new(s).unwrap();
    /// let m = MetricId::new("sales")?;
    /// let tree = GoalTree::new([
    ///     Goal::new(id("ops"), GoalLevel::Department, m.clone(), 0.into(), 1.into()),
    ///     Goal::new(id("li"), GoalLevel::Person, m.clone(), 0.into(), 100.into())
    ///         .parent(id("ops")).weight(Decimal::new(5, 1)).current(80.into()),
    ///     Goal::new(id("wang"), GoalLevel::Person, m, 0.into(), 100.into())
    ///         .parent(id("ops")).weight(Decimal::new(5, 1)).current(100.into()),
    /// ])?;
    /// assert_eq!(tree.progress(&id("ops"))?.achievement, Decimal::new(9, 1));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn progress(&self, id: &GoalId) -> Result<GoalProgress> {
        let i = self.find(id)?;
        self.progress_at(i)
    }

    /// The progress of every goal, by id.
    ///
    /// # Errors
    ///
    /// As [`progress`](Self::progress), for the first goal that fails.
    pub fn progress_all(&self) -> Result<BTreeMap<GoalId, GoalProgress>> {
        (0..self.goals.len())
            .map(|i| Ok((self.goals[i].id.clone(), self.progress_at(i)?)))
            .collect()
    }

    fn progress_at(&self, i: usize) -> Result<GoalProgress> {
        let goal = &self.goals[i];
        if self.children[i].is_empty() {
            let current = goal.current.ok_or_else(|| {
                Error::data(format!("goal {} has no current value", goal.id))
                    .with_path(format!("goals.{}.current", goal.id))
            })?;
            let (achieved, explanation) = achieved_at(goal, current)?;
            return Ok(GoalProgress {
                goal: goal.id.clone(),
                current: Some(current),
                achievement: achieved,
                trend: None,
                contributions: Vec::new(),
                explanation,
            });
        }
        let active = self.active_children(i);
        if active.is_empty() {
            return Err(
                Error::data(format!("every child of goal {} is archived", goal.id))
                    .with_path(format!("goals.{}.children", goal.id)),
            );
        }
        let kids: Vec<GoalProgress> = active
            .iter()
            .map(|&k| self.progress_at(k))
            .collect::<Result<_>>()?;
        match goal.combine {
            Combine::WeightedAverage => self.averaged(goal, &active, kids),
            Combine::Sum => {
                let contributions = self.sized(&active, &kids)?;
                let mut progress = combined(goal, kids)?;
                progress.contributions = contributions;
                Ok(progress)
            }
            Combine::Product => combined(goal, kids),
        }
    }

    /// A sum node's children's parts: weights from their target sizes.
    fn sized(&self, active: &[usize], kids: &[GoalProgress]) -> Result<Vec<Contribution>> {
        let sizes: Vec<Decimal> = active
            .iter()
            .map(|&k| self.goals[k].target.try_sub(self.goals[k].baseline))
            .collect::<Result<_>>()?;
        let total = checked_sum(sizes.iter().copied())?;
        if total.is_zero() {
            return Ok(Vec::new());
        }
        kids.iter()
            .zip(&sizes)
            .map(|(kid, size)| {
                // shares of a division: without trailing zeros
                let weight = size.try_div(total)?.normalize();
                Ok(Contribution {
                    goal: kid.goal.clone(),
                    weight,
                    contribution: kid.achievement.try_mul(weight)?.normalize(),
                })
            })
            .collect()
    }

    /// A weighted-average node: its children's achievements averaged by
    /// their weights (re-normalised when archived children are left out).
    fn averaged(&self, goal: &Goal, active: &[usize], kids: Vec<GoalProgress>) -> Result<GoalProgress> {
        let total = checked_sum(active.iter().map(|&k| self.weights[k]))?;
        if total.is_zero() {
            return Err(
                Error::data(format!("active children of goal {} weigh 0", goal.id))
                    .with_path(format!("goals.{}.children", goal.id)),
            );
        }
        // each child's part, then their sum (re-normalised when archived
        // children are left out)
        let mut sum = Decimal::ZERO;
        let mut contributions = Vec::with_capacity(kids.len());
        for (&k, kid) in active.iter().zip(&kids) {
            let part = kid.achievement.try_mul(self.weights[k])?;
            sum = sum.try_add(part)?;
            let (weight, contribution) = if total == Decimal::ONE {
                (self.weights[k], part)
            } else {
                (self.weights[k].try_div(total)?, part.try_div(total)?)
            };
            contributions.push(Contribution {
                goal: kid.goal.clone(),
                weight,
                contribution,
            });
        }
        let achieved = if total == Decimal::ONE {
            sum
        } else {
            sum.try_div(total)?
        };
        let terms = active.iter().zip(&kids).map(|(&k, kid)| {
            [
                Term::value(kid.achievement, Unit::Rate),
                Term::text(&msg::TIMES),
                Term::value(self.weights[k], Unit::Number),
            ]
        });
        let label = msg::ACHIEVEMENT_OF.with([Term::text(&goal.id)]);
        let e = if total == Decimal::ONE {
            Explanation::new(label, achieved, Unit::Rate).joined(crate::text!(" + "), terms)
        } else {
            Explanation::new(label, achieved, Unit::Rate)
                .terms([Term::text(&msg::OPEN)])
                .joined(crate::text!(" + "), terms)
                .terms([
                    Term::text(&msg::CLOSE_OVER),
                    Term::value(total, Unit::Number),
                    Term::text(&msg::ARCHIVED_GOALS_LEFT_OUT),
                ])
        };
        Ok(GoalProgress {
            goal: goal.id.clone(),
            current: None,
            achievement: achieved,
            trend: None,
            contributions,
            explanation: e.children_from(kids.into_iter().map(|k| k.explanation)),
        })
    }

    /// Splits the target of sum node `id` over its active children, exactly    /// Splits the target of sum node `id` over its active children, exactly
    /// (largest remainder on the policy's grid): by their weights, or by
    /// their shares of the baseline.
    ///
    /// Splitting by baseline share asks every child for the same growth.
    /// Splitting by weight ignores baselines, so a child may be asked for
    /// less than it already does; [`with_targets`](Self::with_targets) then
    /// rejects the tree, naming that child.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for an
    /// unknown id, a node that does not combine by sum, no active children,
    /// all-zero weights or baselines, or a target off the policy's grid.
    pub fn decompose(&self, id: &GoalId, split: Split, policy: RoundingPolicy) -> Result<Decomposition> {
        let i = self.find(id)?;
        let goal = &self.goals[i];
        let path = format!("goals.{}", goal.id);
        if goal.combine != Combine::Sum {
            return Err(Error::invalid_input(format!(
                "goal {} combines by {}; only sum nodes split their target",
                goal.id, goal.combine
            ))
            .with_path(format!("{path}.combine")));
        }
        let active = self.active_children(i);
        if active.is_empty() {
            return Err(
                Error::invalid_input(format!("goal {} has no active children", goal.id))
                    .with_path(format!("{path}.children")),
            );
        }
        let weights: Vec<Decimal> = active
            .iter()
            .map(|&k| match split {
                Split::ByWeights => self.weights[k],
                Split::ByBaselineShares => self.goals[k].baseline,
            })
            .collect();
        let parts =
            allocate(goal.target, &weights, policy).map_err(|e| e.with_path(format!("{path}.target")))?;
        let total = checked_sum(weights.iter().copied())?;
        let mut explanation = Explanation::new(
            msg::TARGETS_UNDER.with([Term::text(&goal.id)]),
            goal.target,
            Unit::Number,
        )
        .text(match split {
            Split::ByWeights => &msg::SPLIT_BY_WEIGHT_LARGEST_REMAINDER,
            Split::ByBaselineShares => &msg::SPLIT_BY_SHARE_OF_BASELINE_LARGEST_REMAINDER,
        });
        let mut targets = Vec::with_capacity(active.len());
        for ((&k, part), w) in active.iter().zip(parts).zip(&weights) {
            let child = &self.goals[k];
            explanation.push_child(
                Explanation::new(msg::TARGET_OF.with([Term::text(&child.id)]), part, Unit::Number)
                    .value(goal.target, Unit::Number)
                    .text(&msg::TIMES)
                    .value(*w, Unit::Number)
                    .text(&msg::OVER)
                    .value(total, Unit::Number),
            );
            targets.push((child.id.clone(), part));
        }
        Ok(Decomposition {
            parent: goal.id.clone(),
            targets,
            explanation,
        })
    }

    /// A copy of the tree with the given targets set.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for an
    /// unknown goal, or when the new targets make the tree invalid.
    pub fn with_targets(&self, targets: &[(GoalId, Decimal)]) -> Result<GoalTree> {
        let mut goals = self.goals.clone();
        for (id, target) in targets {
            let i = self.find(id)?;
            goals[i].target = *target;
        }
        GoalTree::new(goals)
    }

    /// Checks every sum and product node: do its active children's targets
    /// reach its own?
    ///
    /// - Sum: Σ child targets against the parent's target.
    /// - Product: Π (child target ÷ child baseline) against parent target ÷
    ///   parent baseline; the gap is the growth factor still missing.
    ///
    /// # Errors
    ///
    /// Overflow only.
    ///
    /// ```
    /// use perfpay::{Decimal, MetricId, RoundingPolicy};
    /// use perfpay::goal::{Combine, Goal, GoalLevel, GoalTree};
    /// use perfpay::id::GoalId;
    ///
    /// let id = |s: &str| GoalId::new(s).unwrap();
    /// let m = |s: &str| MetricId::new(s).unwrap();
    /// // the seed: sales ×2, but conversion only +20 % and order value +10 %
    /// let tree = GoalTree::new([
    ///     Goal::new(id("sales"), GoalLevel::Company, m("sales"), 1_000_000.into(), 2_000_000.into())
    ///         .combine(Combine::Product),
    ///     Goal::new(id("visitors"), GoalLevel::Department, m("visitors"), 100_000.into(), 100_000.into())
    ///         .parent(id("sales")),
    ///     Goal::new(id("conversion"), GoalLevel::Role, m("conversion"), Decimal::new(2, 2), Decimal::new(24, 3))
    ///         .parent(id("sales")),
    ///     Goal::new(id("order-value"), GoalLevel::Role, m("order_value"), 500.into(), 550.into())
    ///         .parent(id("sales")),
    /// ])?;
    /// let report = tree.check()?;
    /// assert_eq!(report[0].children_reach, Decimal::new(132, 2));
    /// assert!(!report[0].consistent);
    /// assert_eq!(
    ///     report[0].explanation.statement(&RoundingPolicy::cents()),
    ///     "shortfall at sales 1.515 = children reach ×1.32 of baseline; parent asks ×2; \
    ///      the drivers must grow ×1.515 more",
    /// );
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn check(&self) -> Result<Vec<Consistency>> {
        let mut out = Vec::new();
        for (i, goal) in self.goals.iter().enumerate() {
            let active = self.active_children(i);
            if active.is_empty() {
                continue;
            }
            match goal.combine {
                Combine::WeightedAverage => {}
                Combine::Sum => out.push(self.sum_consistency(goal, &active)?),
                Combine::Product => out.push(self.product_consistency(goal, &active)?),
            }
        }
        Ok(out)
    }

    /// Do a sum node's children's targets add up to its own?
    fn sum_consistency(&self, goal: &Goal, active: &[usize]) -> Result<Consistency> {
        let reach = checked_sum(active.iter().map(|&k| self.goals[k].target))?;
        let gap = reach.try_sub(goal.target)?;
        let consistent = goal.direction.at_least_as_good(reach, goal.target);
        let verdict = if consistent {
            &msg::CONSISTENT_AT
        } else {
            &msg::SHORTFALL_AT
        };
        let mut e = Explanation::new(verdict.with([Term::text(&goal.id)]), gap, Unit::Number)
            .text(&msg::CHILDRENS_TARGETS_ADD_UP_TO)
            .value(reach, Unit::Number)
            .text(&msg::PARENT_ASKS)
            .value(goal.target, Unit::Number);
        for &k in active {
            let kid = &self.goals[k];
            e.push_child(Explanation::new(
                msg::TARGET_OF.with([Term::text(&kid.id)]),
                kid.target,
                Unit::Number,
            ));
        }
        Ok(Consistency {
            goal: goal.id.clone(),
            combine: Combine::Sum,
            parent_asks: goal.target,
            children_reach: reach,
            gap: Gap::Difference(gap),
            consistent,
            explanation: e,
        })
    }

    /// Do a product node's children's growth factors multiply up to its own?
    fn product_consistency(&self, goal: &Goal, active: &[usize]) -> Result<Consistency> {
        let asks = goal.target.try_div(goal.baseline)?;
        let mut reach = Decimal::ONE;
        let mut children = Vec::with_capacity(active.len());
        for &k in active {
            let kid = &self.goals[k];
            let factor = kid.target.try_div(kid.baseline)?;
            reach = reach.try_mul(factor)?;
            children.push(
                Explanation::new(msg::GROWTH_OF.with([Term::text(&kid.id)]), factor, Unit::Ratio)
                    .value(kid.target, Unit::Number)
                    .text(&msg::OVER)
                    .value(kid.baseline, Unit::Number),
            );
        }
        let consistent = goal.direction.at_least_as_good(reach, asks);
        let gap = asks.try_div(reach)?;
        let verdict = if consistent {
            &msg::CONSISTENT_AT
        } else {
            &msg::SHORTFALL_AT
        };
        let label = verdict.with([Term::text(&goal.id)]);
        let mut e = Explanation::new(label, gap, Unit::Ratio)
            .text(&msg::CHILDREN_REACH_TIMES)
            .value(reach, Unit::Ratio)
            .text(&msg::OF_BASELINE_PARENT_ASKS_TIMES)
            .value(asks, Unit::Ratio);
        if !consistent {
            e = e
                .text(&msg::THE_DRIVERS_MUST_GROW_TIMES)
                .value(gap, Unit::Ratio)
                .text(&msg::MORE_AFTER);
        }
        Ok(Consistency {
            goal: goal.id.clone(),
            combine: Combine::Product,
            parent_asks: asks,
            children_reach: reach,
            gap: Gap::Factor(gap),
            consistent,
            explanation: e.children_from(children),
        })
    }
}
