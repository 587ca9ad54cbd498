//! Performance scoring: KPI curves, weighted scorecards, rating scales,
//! rankings and forced distribution, multi-source ratings.
//!
//! - [`Kpi`]: a metric, a [`Direction`] and a curve — [`LinearCurve`]
//!   (threshold / target / stretch with floor and cap), [`StepCurve`], or a
//!   custom [`Formula`](crate::extension::Formula) over a [`KpiContext`].
//! - [`Scorecard`]: KPIs with weights summing exactly to 1 and a declared
//!   [`MissingMetric`] policy.
//! - [`RatingScale`]: score → grade → bonus coefficient.
//! - [`rank`] and [`ForcedDistribution`]: calibration over a team with
//!   documented tie-breaks.
//! - [`MultiSource`]: self / manager / peer ratings with explicit weights.
//! - [`Weight`], [`Ratio`], [`normalise`]: weights as people write them
//!   (`0.4`, `1/3`, `2:1:1`), normalised once to decimals summing to 1.

mod calibrate;
mod card;
mod kpi;
mod rating;
mod sources;
mod weights;

pub(crate) use calibrate::rank_in_id_order;
pub use calibrate::{Distribution, ForcedDistribution, Placement, Ranked, TieBreak, rank, rank_positions};
pub use card::{ItemScore, MissingMetric, SCORE_SCALE, Scorecard, ScorecardBuilder, ScorecardOutcome};
pub use kpi::{Anchor, Direction, Kpi, KpiContext, KpiScore, LinearCurve, StepCurve};
pub use rating::{Grade, Rating, RatingScale};
pub use sources::{Combined, MissingSource, MultiSource, RaterSource};
pub use weights::{Normalised, Ratio, WEIGHT_SCALE, Weight, normalise, normalise_parts, normalise_ratio};
