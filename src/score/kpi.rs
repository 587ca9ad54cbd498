//! KPI definitions and normalisation curves.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, NoExplanation, Recorder, Sink, Static, Term, Unit};
use crate::extension::Formula;
use crate::id::MetricId;
use crate::metric::Metrics;
use crate::money::DecimalExt;
use crate::text::{Message, msg};

/// Whether more of a metric is better (sales, conversion) or less is
/// (complaint rate, refund rate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better.
    HigherIsBetter,
    /// Less is better.
    LowerIsBetter,
}

impl Direction {
    /// Whether `a` is at least as good as `b`.
    pub fn at_least_as_good(self, a: Decimal, b: Decimal) -> bool {
        match self {
            Direction::HigherIsBetter => a >= b,
            Direction::LowerIsBetter => a <= b,
        }
    }

    /// Whether `a` is strictly better than `b`.
    pub fn better(self, a: Decimal, b: Decimal) -> bool {
        match self {
            Direction::HigherIsBetter => a > b,
            Direction::LowerIsBetter => a < b,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::HigherIsBetter => "higher is better",
            Direction::LowerIsBetter => "lower is better",
        })
    }
}

/// A metric value and the score it earns, a point on a curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// The metric value.
    pub value: Decimal,
    /// The score earned there.
    pub score: Decimal,
}

impl Anchor {
    /// A point `(value, score)`.
    pub const fn new(value: Decimal, score: Decimal) -> Anchor {
        Anchor { value, score }
    }
}

/// Linear scoring between a threshold, a target and an optional stretch.
///
/// Below the threshold the score is the floor (default 0); between anchors
/// it runs linearly; at or beyond the last anchor it is capped at that
/// anchor's score. For a lower-is-better metric the anchors descend
/// (threshold 5 % complaints → 60, target 2 % → 100, stretch 1 % → 120).
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::metric::NoMetrics;
/// use perfpay::score::{Anchor, Direction, Kpi, LinearCurve};
///
/// let curve = LinearCurve::new(
///     Anchor::new(Decimal::new(3, 2), Decimal::from(60)),   // 3 % conversion → 60
///     Anchor::new(Decimal::new(5, 2), Decimal::from(100)),  // 5 % → 100
/// )
/// .stretch(Anchor::new(Decimal::new(6, 2), Decimal::from(120)));
/// let kpi = Kpi::linear(MetricId::new("conversion")?, Direction::HigherIsBetter, curve)?;
/// assert_eq!(kpi.evaluate(Decimal::new(4, 2), &NoMetrics)?.score, Decimal::from(80));
/// assert_eq!(kpi.evaluate(Decimal::new(7, 2), &NoMetrics)?.score, Decimal::from(120));
/// assert_eq!(kpi.evaluate(Decimal::new(2, 2), &NoMetrics)?.score, Decimal::ZERO);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LinearCurve {
    /// The least value that scores above the floor.
    pub threshold: Anchor,
    /// The value that earns the target score.
    pub target: Anchor,
    /// An optional value beyond the target that earns more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stretch: Option<Anchor>,
    /// The score below the threshold.
    #[serde(default)]
    pub floor: Decimal,
}

/// The anchors of [`LinearCurve::anchors`] that are in use.
fn in_use<'a>(all: &'a [(&'static str, Anchor); 3], len: usize) -> &'a [(&'static str, Anchor)] {
    all.get(..len).unwrap_or(all)
}

impl LinearCurve {
    /// A curve from `threshold` to `target`, floor 0, no stretch.
    pub fn new(threshold: Anchor, target: Anchor) -> LinearCurve {
        LinearCurve {
            threshold,
            target,
            stretch: None,
            floor: Decimal::ZERO,
        }
    }

    /// Adds a stretch anchor beyond the target.
    #[must_use]
    pub fn stretch(mut self, stretch: Anchor) -> LinearCurve {
        self.stretch = Some(stretch);
        self
    }

    /// Sets the score below the threshold.
    #[must_use]
    pub fn floor(mut self, floor: Decimal) -> LinearCurve {
        self.floor = floor;
        self
    }

    /// The named anchors in order: threshold, target, and the stretch
    /// anchor if there is one. A fixed array and its length, so scoring
    /// allocates nothing; read it through [`in_use`].
    fn anchors(&self) -> ([(&'static str, Anchor); 3], usize) {
        let all = [
            ("threshold", self.threshold),
            ("target", self.target),
            ("stretch", self.stretch.unwrap_or(self.target)),
        ];
        (all, if self.stretch.is_some() { 3 } else { 2 })
    }

    fn validate(&self, direction: Direction, problems: &mut Vec<Problem>) {
        let (all, len) = self.anchors();
        for pair in in_use(&all, len).windows(2) {
            let &[(lo_name, lo), (hi_name, hi)] = pair else {
                continue;
            };
            if !direction.better(hi.value, lo.value) {
                let relation = match direction {
                    Direction::HigherIsBetter => "above",
                    Direction::LowerIsBetter => "below",
                };
                problems.push(Problem::new(
                    format!("curve.{hi_name}.value"),
                    format!(
                        "{hi_name} {} must be {relation} {lo_name} {} for a metric where {direction}",
                        hi.value, lo.value
                    ),
                ));
            }
            if hi.score < lo.score {
                problems.push(Problem::new(
                    format!("curve.{hi_name}.score"),
                    format!(
                        "{hi_name} score {} is below {lo_name} score {}",
                        hi.score, lo.score
                    ),
                ));
            }
        }
        if self.floor > self.threshold.score {
            problems.push(Problem::new(
                "curve.floor",
                format!(
                    "floor {} is above the threshold score {}",
                    self.floor, self.threshold.score
                ),
            ));
        }
    }
}

/// Step bands: the score of the last band the value reaches.
///
/// For a higher-is-better metric, bands ascend and a value reaches a band
/// when it is at or above its bound; for lower-is-better, bands descend and
/// a value reaches a band at or below its bound. A value reaching no band
/// scores `below`.
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::metric::NoMetrics;
/// use perfpay::score::{Anchor, Direction, Kpi, StepCurve};
///
/// // detail-page optimisations per month: 2 → 60, 4 → 80, 6 → 100
/// let steps = StepCurve::new([(2, 60), (4, 80), (6, 100)].map(|(v, s)| Anchor::new(v.into(), s.into())));
/// let kpi = Kpi::steps(MetricId::new("page_optimisations")?, Direction::HigherIsBetter, steps)?;
/// assert_eq!(kpi.evaluate(Decimal::from(5), &NoMetrics)?.score, Decimal::from(80));
/// assert_eq!(kpi.evaluate(Decimal::from(1), &NoMetrics)?.score, Decimal::ZERO);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StepCurve {
    /// The bands, in the metric's direction.
    pub bands: Vec<Anchor>,
    /// The score when no band is reached.
    #[serde(default)]
    pub below: Decimal,
}

impl StepCurve {
    /// Step bands scoring 0 below the first.
    pub fn new(bands: impl IntoIterator<Item = Anchor>) -> StepCurve {
        StepCurve {
            bands: bands.into_iter().collect(),
            below: Decimal::ZERO,
        }
    }

    /// Sets the score when no band is reached.
    #[must_use]
    pub fn below(mut self, below: Decimal) -> StepCurve {
        self.below = below;
        self
    }

    fn validate(&self, direction: Direction, problems: &mut Vec<Problem>) {
        if self.bands.is_empty() {
            problems.push(Problem::new("curve.bands", "step bands need at least one band"));
        }
        for (i, pair) in self.bands.iter().zip(self.bands.iter().skip(1)).enumerate() {
            let (before, band) = pair;
            if !direction.better(band.value, before.value) {
                problems.push(Problem::new(
                    format!("curve.bands[{}].value", i.saturating_add(1)),
                    format!(
                        "{} does not follow {} in the metric's direction ({direction})",
                        band.value, before.value
                    ),
                ));
            }
        }
    }

    /// The index of the last band `value` reaches.
    #[inline]
    fn reached(&self, direction: Direction, value: Decimal) -> Option<usize> {
        self.bands
            .iter()
            .rposition(|band| direction.at_least_as_good(value, band.value))
    }

    /// The score of the last band `value` reaches, and its step.
    #[inline]
    fn score<Q: Sink>(
        &self,
        direction: Direction,
        value: Decimal,
        metric: &MetricId,
        rec: &mut Q,
    ) -> (Decimal, Q::Step) {
        match self.reached(direction, value).and_then(|i| self.bands.get(i)) {
            Some(&band) => (
                band.score,
                rec.record(|| {
                    Explanation::new(metric, band.score, Unit::Score).terms_and_inputs(
                        [
                            Term::text(&msg::BAND),
                            Term::value(band.value, Unit::Number),
                            Term::text(&msg::REACHED),
                        ],
                        [(&msg::VALUE, value, Unit::Number)],
                    )
                }),
            ),
            None => (
                self.below,
                rec.record(|| {
                    Explanation::new(metric, self.below, Unit::Score).terms_and_inputs(
                        [Term::text(&msg::NO_BAND_REACHED)],
                        [(&msg::VALUE, value, Unit::Number)],
                    )
                }),
            ),
        }
    }
}

/// What a custom KPI curve may read.
#[derive(Clone, Copy)]
pub struct KpiContext<'a> {
    /// The KPI's metric.
    pub metric: &'a MetricId,
    /// Its value.
    pub value: Decimal,
    /// Every metric of the employee and period.
    pub metrics: &'a dyn Metrics,
}

impl fmt::Debug for KpiContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KpiContext")
            .field("metric", self.metric)
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

/// A segment of a linear curve, with its differences precomputed.
#[derive(Clone, Copy, Debug)]
struct Segment {
    /// The anchor the segment starts at and the one it ends at, with their
    /// names (`threshold`, `target`, `stretch`).
    lo: (&'static str, Anchor),
    hi: (&'static str, Anchor),
    d_score: Decimal,
    d_value: Decimal,
}

impl Segment {
    /// `lo.score + (value − lo.value) × Δscore ÷ Δvalue`, and its step.
    #[inline]
    fn score<Q: Sink>(&self, value: Decimal, metric: &MetricId, rec: &mut Q) -> Result<(Decimal, Q::Step)> {
        let ((lo_name, lo), (hi_name, hi)) = (self.lo, self.hi);
        let score = lo.score.try_add(
            value
                .try_sub(lo.value)?
                .try_mul(self.d_score)?
                .try_div(self.d_value)?,
        )?;
        let step = rec.record(|| {
            Explanation::new(metric, score, Unit::Score).terms_and_inputs(
                [
                    Term::value(lo.score, Unit::Score),
                    Term::text(&msg::PLUS_OPEN),
                    Term::value(value, Unit::Number),
                    Term::text(&msg::MINUS),
                    Term::value(lo.value, Unit::Number),
                    Term::text(&msg::CLOSE_TIMES_OPEN),
                    Term::value(hi.score, Unit::Score),
                    Term::text(&msg::MINUS),
                    Term::value(lo.score, Unit::Score),
                    Term::text(&msg::CLOSE_OVER_OPEN),
                    Term::value(hi.value, Unit::Number),
                    Term::text(&msg::MINUS),
                    Term::value(lo.value, Unit::Number),
                    Term::text(if lo_name == "threshold" {
                        &msg::CLOSE_THRESHOLD_TO
                    } else {
                        &msg::CLOSE_TARGET_TO
                    }),
                    Term::text(point_name(hi_name)),
                ],
                [(&msg::VALUE, value, Unit::Number)],
            )
        });
        Ok((score, step))
    }
}

/// A linear curve's score for `value`, and its step: the floor below the
/// threshold, the segment the value falls in, or the last anchor's score
/// at or beyond it.
#[inline]
fn linear<Q: Sink>(
    curve: &LinearCurve,
    segments: &[Segment],
    direction: Direction,
    value: Decimal,
    metric: &MetricId,
    rec: &mut Q,
) -> Result<(Decimal, Q::Step)> {
    if !direction.at_least_as_good(value, curve.threshold.value) {
        let step = rec.record(|| {
            Explanation::new(metric, curve.floor, Unit::Score).terms_and_inputs(
                [
                    Term::text(&msg::BELOW_THRESHOLD),
                    Term::value(curve.threshold.value, Unit::Number),
                    Term::text(&msg::FLOOR),
                ],
                [(&msg::VALUE, value, Unit::Number)],
            )
        });
        return Ok((curve.floor, step));
    }
    for seg in segments {
        if direction.better(seg.hi.1.value, value) {
            // lo ≤ value < hi (in the metric's direction): interpolate
            return seg.score(value, metric, rec);
        }
    }
    let (last_name, last) = segments.last().map_or(("target", curve.target), |seg| seg.hi);
    let step = rec.record(|| {
        Explanation::new(metric, last.score, Unit::Score).terms_and_inputs(
            [
                Term::text(&msg::AT_OR_BEYOND),
                Term::text(point_name(last_name)),
                Term::text(&msg::SPACE),
                Term::value(last.value, Unit::Number),
                Term::text(&msg::COLON_CAPPED),
            ],
            [(&msg::VALUE, value, Unit::Number)],
        )
    });
    Ok((last.score, step))
}

/// A curve point's name in explanations: `threshold`, `target` or
/// `stretch`.
fn point_name(name: &str) -> &'static Message<0> {
    match name {
        "threshold" => &msg::CURVE_THRESHOLD,
        "stretch" => &msg::CURVE_STRETCH,
        _ => &msg::CURVE_TARGET,
    }
}

#[derive(Clone)]
enum Curve {
    Linear(LinearCurve, Vec<Segment>),
    Steps(StepCurve),
    Custom(Arc<dyn for<'a> Formula<KpiContext<'a>>>),
}

/// A KPI: which metric, which direction, and how a value becomes a score.
#[derive(Clone)]
pub struct Kpi {
    metric: MetricId,
    direction: Direction,
    curve: Curve,
}

impl fmt::Debug for Kpi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let curve: Cow<'_, str> = match &self.curve {
            Curve::Linear(c, _) => format!("{c:?}").into(),
            Curve::Steps(c) => format!("{c:?}").into(),
            Curve::Custom(formula) => formula.describe().to_string().into(),
        };
        f.debug_struct("Kpi")
            .field("metric", &self.metric)
            .field("direction", &self.direction)
            .field("curve", &curve)
            .finish()
    }
}

/// The score one KPI earned.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiScore {
    /// The metric.
    pub metric: MetricId,
    /// The raw metric value.
    pub value: Decimal,
    /// The score.
    pub score: Decimal,
    /// How the score was made: the raw value and the curve segment used.
    pub explanation: Explanation,
}

impl Kpi {
    fn new(metric: MetricId, direction: Direction, curve: Curve) -> Result<Kpi> {
        let mut problems = Vec::new();
        match &curve {
            Curve::Linear(c, _) => c.validate(direction, &mut problems),
            Curve::Steps(c) => c.validate(direction, &mut problems),
            Curve::Custom(_) => {}
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems(format!("invalid kpi {metric}"), problems));
        }
        Ok(Kpi {
            metric,
            direction,
            curve,
        })
    }

    /// A KPI scored linearly between threshold, target and stretch.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing every
    /// problem: anchors out of order for the direction (a threshold above the
    /// target for a higher-is-better metric), scores falling, a floor above
    /// the threshold score.
    pub fn linear(metric: MetricId, direction: Direction, curve: LinearCurve) -> Result<Kpi> {
        let (all, len) = curve.anchors();
        let segments = in_use(&all, len)
            .windows(2)
            .filter_map(|w| match *w {
                [lo, hi] => Some((lo, hi)),
                _ => None,
            })
            .map(|(lo, hi)| {
                Ok(Segment {
                    lo,
                    hi,
                    d_score: hi.1.score.try_sub(lo.1.score)?,
                    d_value: hi.1.value.try_sub(lo.1.value)?,
                })
            })
            .collect::<Result<Vec<_>>>()
            .map_err(|e| e.with_path(format!("kpis.{metric}.curve")))?;
        Kpi::new(metric, direction, Curve::Linear(curve, segments))
    }

    /// A KPI scored by step bands.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for no bands
    /// or bands out of order for the direction.
    pub fn steps(metric: MetricId, direction: Direction, curve: StepCurve) -> Result<Kpi> {
        Kpi::new(metric, direction, Curve::Steps(curve))
    }

    /// A KPI scored by a custom curve (a vendor's script, a closure).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use perfpay::{Decimal, MetricId};
    /// use perfpay::metric::NoMetrics;
    /// use perfpay::score::{Direction, Kpi, KpiContext};
    ///
    /// // teamwork is rated 1–5 by the manager; the score is rating × 20
    /// let curve = Arc::new(|ctx: &KpiContext<'_>| Ok(ctx.value * Decimal::from(20)));
    /// let kpi = Kpi::custom(MetricId::new("teamwork")?, Direction::HigherIsBetter, curve);
    /// assert_eq!(kpi.evaluate(Decimal::from(4), &NoMetrics)?.score, Decimal::from(80));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn custom(
        metric: MetricId,
        direction: Direction,
        curve: Arc<dyn for<'a> Formula<KpiContext<'a>>>,
    ) -> Kpi {
        Kpi {
            metric,
            direction,
            curve: Curve::Custom(curve),
        }
    }

    /// The metric read.
    pub fn metric(&self) -> &MetricId {
        &self.metric
    }

    /// The metric's direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Scores a value of the metric. `metrics` is passed to custom curves.
    ///
    /// # Errors
    ///
    /// Overflow; whatever a custom curve reports.
    pub fn evaluate(&self, value: Decimal, metrics: &dyn Metrics) -> Result<KpiScore> {
        let (score, explanation) = self.evaluate_with::<Explanation>(value, metrics)?;
        Ok(KpiScore {
            metric: self.metric.clone(),
            value,
            score,
            explanation,
        })
    }

    /// The score of `value` alone: the same calculation as
    /// [`evaluate`](Self::evaluate).
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn compute(&self, value: Decimal, metrics: &dyn Metrics) -> Result<Decimal> {
        Ok(self.evaluate_with::<NoExplanation>(value, metrics)?.0)
    }

    /// The score of `value` and its step: the metric, its score, the
    /// curve's formula and the value read. The one place a KPI scores.
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    #[inline]
    pub fn evaluate_with<R: Recorder>(&self, value: Decimal, metrics: &dyn Metrics) -> Result<(Decimal, R)> {
        self.evaluate_in(value, metrics, &mut Static::new())
    }

    /// [`evaluate_with`](Self::evaluate_with), its step written to `rec`.
    #[inline]
    pub(crate) fn evaluate_in<Q: Sink>(
        &self,
        value: Decimal,
        metrics: &dyn Metrics,
        rec: &mut Q,
    ) -> Result<(Decimal, Q::Step)> {
        match &self.curve {
            Curve::Linear(c, segments) => linear(c, segments, self.direction, value, &self.metric, rec),
            Curve::Steps(c) => Ok(c.score(self.direction, value, &self.metric, rec)),
            Curve::Custom(formula) => {
                let ctx = KpiContext {
                    metric: &self.metric,
                    value,
                    metrics,
                };
                let score = formula.evaluate(&ctx)?;
                // a custom curve lists what it read, the value among them
                let step = rec.record(|| {
                    formula.annotate(
                        &ctx,
                        Explanation::new(&self.metric, score, Unit::Score).text(formula.describe()),
                    )
                });
                Ok((score, step))
            }
        }
    }
}
