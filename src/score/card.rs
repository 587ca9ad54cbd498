//! Weighted scorecards.

use std::borrow::Cow;
use std::cmp::Ordering;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, NoExplanation, Recorder, Sink, Static, Term, Unit};
use crate::id::MetricId;
use crate::metric::Metrics;
use crate::money::{DecimalExt, Parts, RoundingPolicy, checked_sum, cmp_parts};
use crate::score::kpi::Kpi;
use crate::text::msg;

/// What a scorecard does when a KPI's metric was not measured. Declared,
/// never silent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MissingMetric {
    /// The evaluation fails with an error naming the metric.
    #[default]
    Error,
    /// The KPI scores 0 and keeps its weight.
    Zero,
    /// The KPI is left out and the remaining weights are scaled to sum to 1.
    Renormalize,
}

/// A role's scorecard: KPIs with weights that sum exactly to 1.
///
/// The seed's operations role: conversion 40 %, repurchase 30 %,
/// detail-page optimisations 20 %, teamwork 10 %.
///
/// ```
/// use std::collections::BTreeMap;
/// use std::sync::Arc;
/// use perfpay::{Decimal, MetricId, RoundingPolicy};
/// use perfpay::score::{Anchor, Direction, Kpi, KpiContext, LinearCurve, Scorecard};
///
/// let id = |s: &str| MetricId::new(s).unwrap();
/// let pct = |n: i64| Decimal::new(n, 2);
/// let linear = |metric, (t, g, s): (i64, i64, i64)| {
///     let curve = LinearCurve::new(Anchor::new(pct(t), 60.into()), Anchor::new(pct(g), 100.into()))
///         .stretch(Anchor::new(pct(s), 120.into()));
///     Kpi::linear(id(metric), Direction::HigherIsBetter, curve)
/// };
/// let direct = Arc::new(|ctx: &KpiContext<'_>| Ok(ctx.value));
/// let card = Scorecard::builder("operations")
///     .item(linear("conversion", (2, 4, 5))?, Decimal::new(40, 2))
///     .item(linear("repurchase", (10, 20, 25))?, Decimal::new(30, 2))
///     .item(Kpi::custom(id("optimisations"), Direction::HigherIsBetter, direct.clone()), Decimal::new(20, 2))
///     .item(Kpi::custom(id("teamwork"), Direction::HigherIsBetter, direct), Decimal::new(10, 2))
///     .build()?;
///
/// let metrics = BTreeMap::from([
///     (id("conversion"), pct(4)),      // target → 100
///     (id("repurchase"), pct(15)),     // halfway threshold → target → 80
///     (id("optimisations"), 90.into()),
///     (id("teamwork"), 70.into()),
/// ]);
/// let out = card.evaluate(&metrics)?;
/// // 100 × 40 % + 80 × 30 % + 90 × 20 % + 70 × 10 % = 89
/// assert_eq!(out.score, Decimal::from(89));
/// assert_eq!(
///     out.explanation.statement(&RoundingPolicy::cents()),
///     "score 89.00 = conversion 100.00 × 40 % + repurchase 80.00 × 30 % + optimisations 90.00 × 20 % \
///      + teamwork 70.00 × 10 %",
/// );
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Scorecard {
    name: Cow<'static, str>,
    items: Vec<(Kpi, Decimal)>,
    missing: MissingMetric,
    rounding: Option<RoundingPolicy>,
}

/// Builds a [`Scorecard`]; see [`Scorecard::builder`].
#[derive(Clone, Debug)]
pub struct ScorecardBuilder {
    card: Scorecard,
}

impl ScorecardBuilder {
    /// Adds a KPI with its weight (a fraction: 0.40 is 40 %).
    #[must_use]
    pub fn item(mut self, kpi: Kpi, weight: Decimal) -> ScorecardBuilder {
        self.card.items.push((kpi, weight));
        self
    }

    /// What to do when a metric is missing (default: an error).
    #[must_use]
    pub fn missing(mut self, missing: MissingMetric) -> ScorecardBuilder {
        self.card.missing = missing;
        self
    }

    /// Rounds the final score once, by `policy`.
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> ScorecardBuilder {
        self.card.rounding = Some(policy);
        self
    }

    /// Validates and builds the scorecard.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming the
    /// scorecard and listing every problem: no items, a negative weight, a
    /// KPI listed twice, weights that do not sum exactly to 1 (with the sum).
    pub fn build(self) -> Result<Scorecard> {
        let card = self.card;
        let mut problems = Vec::new();
        if card.items.is_empty() {
            problems.push(Problem::new("items", "a scorecard needs at least one item"));
        }
        for (i, (kpi, weight)) in card.items.iter().enumerate() {
            if weight.is_sign_negative() && !weight.is_zero() {
                problems.push(Problem::new(
                    format!("items[{i}].weight"),
                    format!("weight {weight} is negative"),
                ));
            }
            if card.items.iter().take(i).any(|(k, _)| k.metric() == kpi.metric()) {
                problems.push(Problem::new(
                    format!("items[{i}].metric"),
                    format!("{} is already scored by an earlier item", kpi.metric()),
                ));
            }
        }
        match checked_sum(card.items.iter().map(|(_, w)| *w)) {
            Ok(sum) if sum != Decimal::ONE && !card.items.is_empty() => problems.push(Problem::new(
                format!("items[{}].weight", card.items.len().saturating_sub(1)),
                format!("weights sum to {}, expected 1", sum.normalize()),
            )),
            Ok(_) => {}
            Err(_) => problems.push(Problem::new("items", "weights overflow")),
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems(
                format!("invalid scorecard {}", card.name),
                problems,
            ));
        }
        Ok(card)
    }
}

/// One item of a [`ScorecardOutcome`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemScore {
    /// The metric.
    pub metric: MetricId,
    /// The raw metric value, or `None` when the metric was missing and left
    /// out.
    pub value: Option<Decimal>,
    /// The KPI's score, or `None` when the metric was missing and left out.
    /// How it was made is the item's step in
    /// [`ScorecardOutcome::explanation`] (its children, in declared order).
    pub score: Option<Decimal>,
    /// The declared weight.
    pub weight: Decimal,
    /// The weight actually applied (after re-normalisation).
    pub effective_weight: Decimal,
}

/// The result of [`Scorecard::evaluate`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScorecardOutcome {
    /// The weighted score.
    pub score: Decimal,
    /// Every item, in declared order.
    pub items: Vec<ItemScore>,
    /// How the score was made.
    pub explanation: Explanation,
}

impl Scorecard {
    /// A builder for a scorecard named `name` (usually the role).
    pub fn builder(name: impl Into<Cow<'static, str>>) -> ScorecardBuilder {
        ScorecardBuilder {
            card: Scorecard {
                name: name.into(),
                items: Vec::new(),
                missing: MissingMetric::Error,
                rounding: None,
            },
        }
    }

    /// The scorecard's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The KPIs and their weights.
    pub fn items(&self) -> &[(Kpi, Decimal)] {
        &self.items
    }

    /// The missing-metric policy.
    pub fn missing(&self) -> MissingMetric {
        self.missing
    }

    /// Scores every KPI from `metrics` and weighs them: the score, each
    /// item's numbers and the explanation.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) when a metric is missing
    /// under [`MissingMetric::Error`], or when every metric is missing under
    /// [`MissingMetric::Renormalize`]; overflow; a custom curve's error.
    pub fn evaluate(&self, metrics: &dyn Metrics) -> Result<ScorecardOutcome> {
        let mut items = Vec::with_capacity(self.items.len());
        let (score, explanation) =
            self.scored(metrics, Some(&mut items), &mut Static::<Explanation>::new())?;
        Ok(ScorecardOutcome {
            score,
            items,
            explanation,
        })
    }

    /// The weighted score alone, without explanations (for hot loops and
    /// what-ifs): the same calculation as [`evaluate`](Self::evaluate).
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn compute(&self, metrics: &dyn Metrics) -> Result<Decimal> {
        Ok(self.scored(metrics, None, &mut Static::<NoExplanation>::new())?.0)
    }

    /// The weighted score and its step recorded by `R` (without the items'
    /// numbers, which the step holds): the one calculation behind
    /// [`compute`](Self::compute) and [`evaluate`](Self::evaluate).
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn evaluate_with<R: Recorder>(&self, metrics: &dyn Metrics) -> Result<(Decimal, R)> {
        self.scored(metrics, None, &mut Static::new())
    }

    /// [`evaluate_with`](Self::evaluate_with), its steps written to `rec`.
    pub(crate) fn evaluate_in<Q: Sink>(
        &self,
        metrics: &dyn Metrics,
        rec: &mut Q,
    ) -> Result<(Decimal, Q::Step)> {
        self.scored(metrics, None, rec)
    }

    /// The one place a scorecard scores: each KPI's score weighed, its step
    /// recorded by `R`, and each item's numbers pushed into `items` when
    /// asked for (the month close keeps only the explanation, which holds
    /// the same numbers).
    fn scored<Q: Sink>(
        &self,
        metrics: &dyn Metrics,
        items: Option<&mut Vec<ItemScore>>,
        rec: &mut Q,
    ) -> Result<(Decimal, Q::Step)> {
        let keep = Q::RECORDS || items.is_some();
        // what the explanation and the items need of each item: its value
        // and score (none when left out), its effective weight (set once
        // the weights present are known) and its step; kept only when
        // asked for
        let mut kept: Vec<Kept<Q::Step>> = Vec::new();
        if keep {
            kept.reserve_exact(self.items.len());
        }
        let mut weighted = Weighted::new();
        // weights sum to 1; only left-out items change the denominator
        let mut left_out = Decimal::ZERO;
        let mut range = None;
        for (kpi, weight) in &self.items {
            let (value, score, step) = match metrics.metric(kpi.metric()) {
                Some(value) => {
                    let (score, step) = kpi.evaluate_in(value, metrics, rec)?;
                    (value, score, step)
                }
                None => match self.missing {
                    MissingMetric::Error => {
                        return Err(Error::data(format!(
                            "metric {} of scorecard {} is missing",
                            kpi.metric(),
                            self.name
                        ))
                        .with_path(format!("metrics.{}", kpi.metric())));
                    }
                    MissingMetric::Zero => (Decimal::ZERO, Decimal::ZERO, missing_step(kpi, false, rec)),
                    MissingMetric::Renormalize => {
                        left_out = left_out.try_add(*weight)?;
                        if keep {
                            kept.push((None, Decimal::ZERO, missing_step(kpi, true, rec)));
                        }
                        continue;
                    }
                },
            };
            range = widen(range, score);
            weighted.add(score, *weight)?;
            if keep {
                kept.push((Some((value, score)), *weight, step));
            }
        }
        let present = if left_out.is_zero() {
            Decimal::ONE
        } else {
            Decimal::ONE.try_sub(left_out)?
        };
        if present.is_zero() {
            return Err(Error::data(format!(
                "no weighted metric of scorecard {} is present",
                self.name
            )));
        }
        let score = self.settle(weighted, present, || range)?;
        if !keep {
            return Ok((
                score,
                rec.record(|| Explanation::new(&msg::SCORE, score, Unit::Score)),
            ));
        }

        self.explained(score, present, kept, items, rec)
    }

    /// The items' numbers (into `items` when asked for) and the score's
    /// step: `name score × weight` per item present, joined by " + ", each
    /// item's step as a child, in declared order.
    fn explained<Q: Sink>(
        &self,
        score: Decimal,
        present: Decimal,
        mut kept: Vec<Kept<Q::Step>>,
        items: Option<&mut Vec<ItemScore>>,
        rec: &mut Q,
    ) -> Result<(Decimal, Q::Step)> {
        // each item's effective weight: its share of the weights present
        if present != Decimal::ONE {
            for (numbers, weight, _) in &mut kept {
                if numbers.is_some() {
                    *weight = weight.try_div(present)?;
                }
            }
        }
        if let Some(items) = items {
            for ((numbers, effective, _), (kpi, weight)) in kept.iter().zip(&self.items) {
                items.push(ItemScore {
                    metric: kpi.metric().clone(),
                    value: numbers.map(|(value, _)| value),
                    score: numbers.map(|(_, score)| score),
                    weight: *weight,
                    effective_weight: *effective,
                });
            }
        }
        let explanation = rec.record(|| {
            let parts = kept
                .iter()
                .zip(&self.items)
                .filter_map(|((numbers, effective, _), (kpi, _))| {
                    numbers.map(|(_, score)| {
                        [
                            Term::text(kpi.metric()),
                            Term::text(&msg::SPACE),
                            Term::value(score, Unit::Score),
                            Term::text(&msg::TIMES),
                            Term::value(*effective, Unit::Rate),
                        ]
                    })
                });
            let mut step =
                Explanation::new(&msg::SCORE, score, Unit::Score).joined(crate::text!(" + "), parts);
            step.reserve_children(kept.len());
            step
        });
        let explanation = rec.children(explanation, kept.into_iter().map(|(_, _, step)| step));
        Ok((score, explanation))
    }

    /// The weighted score as graded: the weighted sum over the weights
    /// present, kept to [`SCORE_SCALE`] places and within the items'
    /// `range`, then rounded by the scorecard's policy if it has one.
    ///
    /// Weights of 28 digits that sum exactly to 1 leave the products a
    /// last-digit error: five items of 4.95 weighed by such weights can sum
    /// to 4.9499999999999999999999999999, which would miss a grade from
    /// 4.95. A weighted average lies within its items' range, so the clamp
    /// only removes arithmetic error; when the arithmetic was exact there is
    /// none, and the range is not even looked for.
    fn settle(
        &self,
        weighted: Weighted,
        present: Decimal,
        range: impl FnOnce() -> Option<(Decimal, Decimal)>,
    ) -> Result<Decimal> {
        let (raw, exact) = if present == Decimal::ONE {
            (weighted.sum, weighted.exact)
        } else {
            (weighted.sum.try_div(present)?, false)
        };
        let within = if exact && raw.scale() <= SCORE_SCALE {
            raw
        } else {
            let kept = if raw.scale() > SCORE_SCALE {
                raw.round_dp_with_strategy(SCORE_SCALE, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            } else {
                raw
            };
            match range() {
                Some((lo, _)) if cmp_parts(Parts::of(kept), lo) == Ordering::Less => lo,
                Some((_, hi)) if cmp_parts(Parts::of(kept), hi) == Ordering::Greater => hi,
                _ => kept,
            }
        };
        // no trailing zeros (84, not 84.0000000000, nor 84.00 after a
        // policy of two places): the same number, as people write it
        Ok(self.rounding.map_or(within, |p| p.round(within)).normalize())
    }
}

/// The step of an item whose metric is missing: scored 0 by policy, or
/// left out with the other weights re-normalised.
fn missing_step<Q: Sink>(kpi: &Kpi, left_out: bool, rec: &mut Q) -> Q::Step {
    rec.record(|| {
        if left_out {
            Explanation::new(kpi.metric(), Decimal::ZERO, Unit::Rate).terms([Term::text(
                &msg::METRIC_MISSING_LEFT_OUT_OTHER_WEIGHTS_RE_NORMALISED,
            )])
        } else {
            Explanation::new(kpi.metric(), Decimal::ZERO, Unit::Score)
                .terms([Term::text(&msg::METRIC_MISSING_SCORED_0_BY_POLICY)])
        }
    })
}

/// An item as the explanation and [`ItemScore`] need it: its value and
/// score (none when left out), its effective weight and its step.
type Kept<R> = (Option<(Decimal, Decimal)>, Decimal, R);

/// Decimal places a weighted score keeps before it is graded (and before a
/// scorecard's own rounding policy, if any).
pub const SCORE_SCALE: u32 = 10;

/// A weighted sum, and whether every step of it was exact.
struct Weighted {
    sum: Decimal,
    exact: bool,
}

impl Weighted {
    fn new() -> Weighted {
        Weighted {
            sum: Decimal::ZERO,
            exact: true,
        }
    }

    /// Adds `score × weight`. rust_decimal keeps the sum of the factors'
    /// scales in a product, and the larger scale in a sum, unless it had to
    /// round to fit: a smaller scale means a digit was lost.
    fn add(&mut self, score: Decimal, weight: Decimal) -> Result<()> {
        let term = score.try_mul(weight)?;
        let sum = self.sum.try_add(term)?;
        self.exact = self.exact
            && term.scale() == score.scale().saturating_add(weight.scale())
            && sum.scale() == self.sum.scale().max(term.scale());
        self.sum = sum;
        Ok(())
    }
}

/// The range `(lowest, highest)` widened by `score` (compared through
/// [`cmp_parts`], which is inlined: this runs for every item of every
/// employee).
fn widen(range: Option<(Decimal, Decimal)>, score: Decimal) -> Option<(Decimal, Decimal)> {
    Some(match range {
        None => (score, score),
        Some((lo, hi)) => {
            let parts = Parts::of(score);
            if cmp_parts(parts, lo) == Ordering::Less {
                (score, hi)
            } else if cmp_parts(parts, hi) == Ordering::Greater {
                (lo, score)
            } else {
                (lo, hi)
            }
        }
    })
}
