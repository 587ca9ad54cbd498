//! Multi-source ratings (self, manager, peers) with explicit weights.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Recorder, Sink, Static, Unit};
use crate::money::{DecimalExt, checked_sum};
use crate::text::msg;

/// Who gave a rating: one of the usual sources, the role's KPI scorecard
/// (its score as one source among the ratings), or any source a plan names.
/// Written as `self`, `manager`, `peer`, `subordinate`, `customer`,
/// `scorecard`, or the name.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RaterSource {
    /// The employee's own assessment.
    SelfReview,
    /// The manager.
    Manager,
    /// Colleagues.
    Peer,
    /// People the employee manages.
    Subordinate,
    /// Customers.
    Customer,
    /// The role's KPI scorecard.
    Scorecard,
    /// A source the plan names (`mentor`, `training`).
    Named(String),
}

impl RaterSource {
    /// The source as written.
    pub fn as_str(&self) -> &str {
        match self {
            RaterSource::SelfReview => "self",
            RaterSource::Manager => "manager",
            RaterSource::Peer => "peer",
            RaterSource::Subordinate => "subordinate",
            RaterSource::Customer => "customer",
            RaterSource::Scorecard => "scorecard",
            RaterSource::Named(name) => name,
        }
    }
}

impl fmt::Display for RaterSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RaterSource {
    type Err = Error;

    fn from_str(text: &str) -> Result<RaterSource> {
        Ok(match text {
            "self" | "self_review" => RaterSource::SelfReview,
            "manager" => RaterSource::Manager,
            "peer" => RaterSource::Peer,
            "subordinate" => RaterSource::Subordinate,
            "customer" => RaterSource::Customer,
            "scorecard" => RaterSource::Scorecard,
            other => {
                // a named source follows the rules of an id
                let id = crate::id::RuleId::new(other).map_err(Error::from)?;
                RaterSource::Named(id.as_str().to_owned())
            }
        })
    }
}

impl Serialize for RaterSource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RaterSource {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> core::result::Result<RaterSource, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for RaterSource {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RaterSource".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Who gave a rating: self, manager, peer, subordinate, customer, scorecard (the role's KPI scorecard), or a name of the plan's own.",
            "minLength": 1,
        })
    }
}

/// What happens when a source gave no rating.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MissingSource {
    /// An error naming the source.
    #[default]
    Error,
    /// The source is left out and the other weights are scaled to sum to 1.
    Renormalize,
    /// The source counts as a rating of 0 and keeps its weight.
    Zero,
}

/// Combines ratings from several sources with explicit weights — never a
/// fixed "divide by three" that quietly ignores a missing source. Several
/// ratings from one source (three peers) are averaged first.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::score::{MissingSource, MultiSource, RaterSource::*};
///
/// let weights = MultiSource::new(
///     [(SelfReview, Decimal::new(2, 1)), (Manager, Decimal::new(5, 1)), (Peer, Decimal::new(3, 1))],
///     MissingSource::Renormalize,
/// )?;
/// let all = weights.combine(&[(SelfReview, 90.into()), (Manager, 80.into()), (Peer, 70.into()), (Peer, 90.into())])?;
/// assert_eq!(all.score, Decimal::from(82)); // 90×0.2 + 80×0.5 + 80×0.3
/// // no peer ratings: self and manager re-weighted 2 : 5
/// let partial = weights.combine(&[(SelfReview, 90.into()), (Manager, 83.into())])?;
/// assert_eq!(partial.score, Decimal::from(85)); // (18 + 41.5) / 0.7
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiSource {
    weights: Vec<(RaterSource, Decimal)>,
    missing: MissingSource,
}

/// The result of [`MultiSource::combine`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combined {
    /// The combined score.
    pub score: Decimal,
    /// How it was made.
    pub explanation: Explanation,
}

impl MultiSource {
    /// Weights per source, summing exactly to 1.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem: no sources, a negative weight, a source listed twice,
    /// weights not summing to 1.
    pub fn new(
        weights: impl IntoIterator<Item = (RaterSource, Decimal)>,
        missing: MissingSource,
    ) -> Result<MultiSource> {
        let weights: Vec<(RaterSource, Decimal)> = weights.into_iter().collect();
        let mut problems = Vec::new();
        if weights.is_empty() {
            problems.push(Problem::new("weights", "at least one source is needed"));
        }
        for (i, (source, weight)) in weights.iter().enumerate() {
            if weight.is_sign_negative() && !weight.is_zero() {
                problems.push(Problem::new(
                    format!("weights.{source}"),
                    format!("weight {weight} is negative"),
                ));
            }
            if weights.iter().take(i).any(|(s, _)| s == source) {
                problems.push(Problem::new(format!("weights.{source}"), "source listed twice"));
            }
        }
        if let Ok(sum) = checked_sum(weights.iter().map(|(_, w)| *w))
            && sum != Decimal::ONE
            && !weights.is_empty()
        {
            problems.push(Problem::new(
                "weights",
                format!("weights sum to {}, expected 1", sum.normalize()),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid multi-source weights", problems));
        }
        Ok(MultiSource { weights, missing })
    }

    /// The weight of each source, in order.
    pub fn weights(&self) -> &[(RaterSource, Decimal)] {
        &self.weights
    }

    /// Combines `ratings`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) for a rating from a source
    /// without a weight (its path `ratings.<source>`), a missing source under
    /// [`MissingSource::Error`], or no rated source at all; overflow.
    pub fn combine(&self, ratings: &[(RaterSource, Decimal)]) -> Result<Combined> {
        let (score, explanation) = self.combine_with::<Explanation>(ratings)?;
        Ok(Combined { score, explanation })
    }

    /// The one combination of ratings, its step recorded by `R`.
    ///
    /// # Errors
    ///
    /// As [`combine`](Self::combine).
    pub fn combine_with<R: Recorder>(&self, ratings: &[(RaterSource, Decimal)]) -> Result<(Decimal, R)> {
        self.combine_in(ratings, &mut Static::new())
    }

    /// [`combine_with`](Self::combine_with), its step written to `rec`.
    pub(crate) fn combine_in<Q: Sink>(
        &self,
        ratings: &[(RaterSource, Decimal)],
        rec: &mut Q,
    ) -> Result<(Decimal, Q::Step)> {
        if let Some((source, _)) = ratings
            .iter()
            .find(|(s, _)| self.weights.iter().all(|(w, _)| w != s))
        {
            return Err(Error::data(format!("rating from {source}, which has no weight"))
                .with_path(format!("ratings.{source}")));
        }
        let mut weighted = Decimal::ZERO;
        let mut present = Decimal::ZERO;
        let mut parts = Vec::with_capacity(self.weights.len());
        for (source, weight) in &self.weights {
            let (sum, count) = ratings
                .iter()
                .filter(|(s, _)| s == source)
                .try_fold((Decimal::ZERO, 0usize), |(sum, n), (_, r)| {
                    Ok::<_, Error>((sum.try_add(*r)?, n.saturating_add(1)))
                })?;
            if count == 0 {
                match self.missing {
                    MissingSource::Error => {
                        return Err(Error::data(format!("no rating from {source}"))
                            .with_path(format!("ratings.{source}")));
                    }
                    MissingSource::Renormalize => continue,
                    MissingSource::Zero => {}
                }
            }
            let mean = if count == 0 {
                Decimal::ZERO
            } else {
                sum.try_div(Decimal::from(count))?
            };
            weighted = weighted.try_add(mean.try_mul(*weight)?)?;
            present = present.try_add(*weight)?;
            parts.push((source, mean, *weight, count));
        }
        if present.is_zero() {
            return Err(Error::data("no weighted source gave a rating"));
        }
        let score = if present == Decimal::ONE {
            weighted
        } else {
            weighted.try_div(present)?
        };
        let step = rec.record(|| explain(score, present, &parts));
        Ok((score, step))
    }
}

/// The combined rating's step: each source's mean × its weight.
fn explain(
    score: Decimal,
    present: Decimal,
    parts: &[(&RaterSource, Decimal, Decimal, usize)],
) -> Explanation {
    let mut explanation = Explanation::new(&msg::COMBINED_RATING, score, Unit::Score);
    if present != Decimal::ONE {
        explanation = explanation.text(&msg::OPEN);
    }
    for (i, (source, mean, weight, count)) in parts.iter().enumerate() {
        if i > 0 {
            explanation = explanation.text(&msg::PLUS);
        }
        explanation = explanation
            .text(source.to_string())
            .text(&msg::SPACE)
            .value(*mean, Unit::Score)
            .text(&msg::TIMES)
            .value(*weight, Unit::Rate);
        let child = Explanation::new(source.to_string(), *mean, Unit::Score);
        explanation.push_child(match count {
            0 => child.text(&msg::NO_RATING_COUNTED_AS_0),
            1 => child.text(&msg::ONE_RATING),
            n => child
                .text(&msg::MEAN_OF)
                .value(Decimal::from(*n), Unit::Count)
                .text(&msg::RATINGS),
        });
    }
    if present != Decimal::ONE {
        explanation = explanation
            .text(&msg::CLOSE_OVER)
            .value(present, Unit::Rate)
            .text(&msg::OF_WEIGHT_PRESENT);
    }
    explanation
}
