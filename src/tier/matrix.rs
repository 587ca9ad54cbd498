//! Two-dimensional rate tables: a value (a payout percentage) looked up by
//! two metrics, one across and one down.

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Recorder, Sink, Static, Term, Unit};
use crate::id::MetricId;
use crate::metric::Metrics;
use crate::money::DecimalExt;
use crate::text::msg;

/// What a [`RateMatrix`] gives between its grid points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Between {
    /// Each band's value holds from its lower bound (inclusive) to the next
    /// band's: a metric between two bounds gets the lower band's value.
    Step,
    /// The bands' lower bounds are grid points and the value runs linearly
    /// between them on both axes (bilinear); outside the grid the value of
    /// the nearest edge holds.
    Interpolate,
}

/// One axis of a [`RateMatrix`]: the metric it reads and its bands' lower
/// bounds, ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    metric: MetricId,
    bounds: Vec<Decimal>,
    /// The last band's upper bound (exclusive), when it is closed.
    end: Option<Decimal>,
}

impl Axis {
    /// An axis on `metric` with bands from each of `bounds` (ascending) to
    /// the next; the last band is open-ended.
    pub fn new(metric: MetricId, bounds: impl IntoIterator<Item = Decimal>) -> Axis {
        Axis {
            metric,
            bounds: bounds.into_iter().collect(),
            end: None,
        }
    }

    /// Closes the last band at `end` (exclusive): a value at or above it is
    /// outside the matrix, an error.
    #[must_use]
    pub fn until(mut self, end: Decimal) -> Axis {
        self.end = Some(end);
        self
    }

    /// The metric read.
    pub fn metric(&self) -> &MetricId {
        &self.metric
    }

    /// The bands' lower bounds.
    pub fn bounds(&self) -> &[Decimal] {
        &self.bounds
    }

    fn check(&self, name: &str, problems: &mut Vec<Problem>) {
        if self.bounds.is_empty() {
            problems.push(Problem::new(
                format!("{name}.bands"),
                "an axis needs at least one band",
            ));
        }
        for (i, pair) in self.bounds.windows(2).enumerate() {
            if let [a, b] = pair
                && b <= a
            {
                let at = i.saturating_add(1);
                problems.push(Problem::new(
                    format!("{name}.bands[{at}].from"),
                    format!("{b} is not above band {i}'s lower bound {a} (bands must be sorted)"),
                ));
            }
        }
        if let (Some(end), Some(last)) = (self.end, self.bounds.last())
            && end <= *last
        {
            let at = self.bounds.len().saturating_sub(1);
            problems.push(Problem::new(
                format!("{name}.bands[{at}].to"),
                format!("{end} is not above the band's lower bound {last}"),
            ));
        }
    }

    /// The band `value` falls in (step), or an error naming the metric when
    /// it lies outside every band.
    fn band(&self, value: Decimal) -> Result<usize> {
        let reached = self.bounds.partition_point(|b| *b <= value);
        let outside = |side: &str| {
            Error::data(format!(
                "{} {value} is {side} the bands of the matrix",
                self.metric
            ))
            .with_path(format!("metrics.{}", self.metric))
        };
        if self.end.is_some_and(|end| value >= end) {
            return Err(outside("above"));
        }
        reached.checked_sub(1).ok_or_else(|| outside("below"))
    }

    /// The bounds at two grid indices.
    fn span(&self, lo: usize, hi: usize) -> (Decimal, Decimal) {
        let at = |i: usize| self.bounds.get(i).copied().unwrap_or_default();
        (at(lo), at(hi))
    }

    /// The grid points around `value` and the value clamped into the grid
    /// (interpolate): `(lower index, upper index, clamped value)`.
    fn cell(&self, value: Decimal) -> (usize, usize, Decimal) {
        let last = self.bounds.len().saturating_sub(1);
        let (first_bound, last_bound) = match (self.bounds.first(), self.bounds.last()) {
            (Some(f), Some(l)) => (*f, *l),
            _ => return (0, 0, value),
        };
        if value <= first_bound {
            return (0, 0, first_bound);
        }
        if value >= last_bound {
            return (last, last, last_bound);
        }
        let upper = self.bounds.partition_point(|b| *b <= value).min(last);
        (upper.saturating_sub(1), upper, value)
    }
}

/// A payout percentage (or any value) looked up by two metrics: `across`
/// chooses the column, `down` the row. A bonus matrix — revenue bands
/// across, profit bands down — is one.
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::tier::{Axis, Between, RateMatrix};
///
/// let (growth, margin) = (MetricId::new("growth")?, MetricId::new("margin")?);
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let matrix = RateMatrix::new(
///     Axis::new(growth.clone(), [d("0"), d("0.05"), d("0.10")]),
///     Axis::new(margin.clone(), [d("0"), d("0.10")]),
///     vec![vec![d("0.5"), d("0.8"), d("1.0")], vec![d("0.8"), d("1.0"), d("1.2")]],
///     Between::Step,
/// )?;
/// // growth 7 % is in the 5 % column, margin 12 % in the 10 % row
/// let metrics = [(growth, d("0.07")), (margin, d("0.12"))];
/// assert_eq!(matrix.lookup(&metrics)?, d("1.0"));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateMatrix {
    across: Axis,
    down: Axis,
    /// One row per band of `down`, one value per band of `across`.
    values: Vec<Vec<Decimal>>,
    between: Between,
}

impl RateMatrix {
    /// A matrix with `values[row][column]`: a row per band of `down`, a
    /// column per band of `across`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem with its path: an empty or unsorted axis, a closed
    /// band ending below its start, a row count or row length that does not
    /// match the axes, a negative value, a closed axis with `interpolate`.
    pub fn new(across: Axis, down: Axis, values: Vec<Vec<Decimal>>, between: Between) -> Result<RateMatrix> {
        let mut problems = Vec::new();
        across.check("across", &mut problems);
        down.check("down", &mut problems);
        if values.len() != down.bounds.len() {
            problems.push(Problem::new(
                "values",
                format!(
                    "{} rows for the {} bands down ({})",
                    values.len(),
                    down.bounds.len(),
                    down.metric
                ),
            ));
        }
        for (r, row) in values.iter().enumerate() {
            if row.len() != across.bounds.len() {
                problems.push(Problem::new(
                    format!("values[{r}]"),
                    format!(
                        "{} values for the {} bands across ({})",
                        row.len(),
                        across.bounds.len(),
                        across.metric
                    ),
                ));
            }
            for (c, v) in row.iter().enumerate() {
                if v.is_sign_negative() && !v.is_zero() {
                    problems.push(Problem::new(
                        format!("values[{r}][{c}]"),
                        format!("{v} is negative"),
                    ));
                }
            }
        }
        if between == Between::Interpolate {
            for (name, axis) in [("across", &across), ("down", &down)] {
                if axis.end.is_some() {
                    problems.push(Problem::new(
                        format!("{name}.bands"),
                        "an interpolated matrix holds its edge values outside the grid: its last band has no `to`",
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid rate matrix", problems));
        }
        Ok(RateMatrix {
            across,
            down,
            values,
            between,
        })
    }

    /// The axis across (columns).
    pub fn across(&self) -> &Axis {
        &self.across
    }

    /// The axis down (rows).
    pub fn down(&self) -> &Axis {
        &self.down
    }

    /// What the matrix gives between grid points.
    pub fn between(&self) -> Between {
        self.between
    }

    /// The value for the two metrics.
    ///
    /// # Errors
    ///
    /// As [`lookup_with`](Self::lookup_with).
    pub fn lookup(&self, metrics: &dyn Metrics) -> Result<Decimal> {
        Ok(self.lookup_with::<crate::explain::NoExplanation>(metrics)?.0)
    }

    /// The value for the two metrics, with the step `R` records: the cell
    /// (or the four grid points) and the metric values read.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) when a metric is missing
    /// or outside the bands (step); overflow.
    pub fn lookup_with<R: Recorder>(&self, metrics: &dyn Metrics) -> Result<(Decimal, R)> {
        self.lookup_in(metrics, &mut Static::new())
    }

    /// [`lookup_with`](Self::lookup_with), its step written to `rec`.
    pub(crate) fn lookup_in<Q: Sink>(
        &self,
        metrics: &dyn Metrics,
        rec: &mut Q,
    ) -> Result<(Decimal, Q::Step)> {
        let x = metrics.require(&self.across.metric)?;
        let y = metrics.require(&self.down.metric)?;
        let read = [
            (&self.across.metric, x, Unit::Number),
            (&self.down.metric, y, Unit::Number),
        ];
        match self.between {
            Between::Step => {
                let (c, r) = (self.across.band(x)?, self.down.band(y)?);
                let value = self.value(r, c)?;
                let step = rec.record(|| {
                    Explanation::new(&msg::MATRIX, value, Unit::Rate).terms_and_inputs(
                        [
                            Term::text(&msg::COLUMN_FROM),
                            Term::value(
                                self.across.bounds.get(c).copied().unwrap_or_default(),
                                Unit::Number,
                            ),
                            Term::text(&msg::ROW_FROM),
                            Term::value(self.down.bounds.get(r).copied().unwrap_or_default(), Unit::Number),
                        ],
                        read,
                    )
                });
                Ok((value, step))
            }
            Between::Interpolate => {
                let (c0, c1, xc) = self.across.cell(x);
                let (r0, r1, yc) = self.down.cell(y);
                let value = self.bilinear((c0, c1, xc), (r0, r1, yc))?;
                let step = rec.record(|| {
                    let (c, r) = (self.across.span(c0, c1), self.down.span(r0, r1));
                    let mut e = Explanation::new(&msg::MATRIX, value, Unit::Rate);
                    for (i, (lo, hi)) in [c, r].into_iter().enumerate() {
                        let axis = if i == 0 { &msg::COLUMN } else { &msg::ROW };
                        e = if lo == hi {
                            e.terms([
                                Term::text(axis),
                                Term::value(lo, Unit::Number),
                                Term::text(&msg::EDGE),
                            ])
                        } else {
                            e.terms([
                                Term::text(axis),
                                Term::value(lo, Unit::Number),
                                Term::text(&msg::TO),
                                Term::value(hi, Unit::Number),
                            ])
                        };
                    }
                    e.terms_and_inputs([Term::text(&msg::INTERPOLATED)], read)
                });
                Ok((value, step))
            }
        }
    }

    fn value(&self, row: usize, column: usize) -> Result<Decimal> {
        self.values
            .get(row)
            .and_then(|r| r.get(column))
            .copied()
            .ok_or_else(|| Error::data(format!("the matrix has no value at row {row}, column {column}")))
    }

    /// Bilinear interpolation with one division:
    /// `Σ v · (x-weight) · (y-weight) / ((x1 − x0) · (y1 − y0))`; along an
    /// axis whose two points coincide (an edge), that axis does not weigh.
    fn bilinear(
        &self,
        (c0, c1, x): (usize, usize, Decimal),
        (r0, r1, y): (usize, usize, Decimal),
    ) -> Result<Decimal> {
        let bound = |axis: &Axis, i: usize| axis.bounds.get(i).copied().unwrap_or_default();
        let (x0, x1) = (bound(&self.across, c0), bound(&self.across, c1));
        let (y0, y1) = (bound(&self.down, r0), bound(&self.down, r1));
        // weights of the lower and upper point on each axis, and the width
        let weights = |lo: Decimal, hi: Decimal, at: Decimal| -> Result<(Decimal, Decimal, Decimal)> {
            if hi == lo {
                Ok((Decimal::ONE, Decimal::ZERO, Decimal::ONE))
            } else {
                Ok((hi.try_sub(at)?, at.try_sub(lo)?, hi.try_sub(lo)?))
            }
        };
        let (wx0, wx1, dx) = weights(x0, x1, x)?;
        let (wy0, wy1, dy) = weights(y0, y1, y)?;
        let mut sum = Decimal::ZERO;
        for (r, wy) in [(r0, wy0), (r1, wy1)] {
            for (c, wx) in [(c0, wx0), (c1, wx1)] {
                if wx.is_zero() || wy.is_zero() {
                    continue;
                }
                sum = sum.try_add(self.value(r, c)?.try_mul(wx)?.try_mul(wy)?)?;
            }
        }
        sum.try_div(dx.try_mul(dy)?)
    }
}

/// The written form of a [`RateMatrix`] in a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RateMatrixSpec {
    /// The axis across: its metric and bands (the columns).
    pub across: AxisSpec,
    /// The axis down: its metric and bands (the rows).
    pub down: AxisSpec,
    /// `step` (each band's value holds across the band) or `interpolate`
    /// (bilinear between the bands' lower bounds).
    pub between: Between,
    /// A row per band down, a value per band across.
    pub values: Vec<Vec<Decimal>>,
}

/// An axis as written: the metric and its bands, lowest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AxisSpec {
    /// The metric read.
    pub metric: MetricId,
    /// The bands.
    pub bands: Vec<BandSpec>,
}

/// One band of an axis: a lower bound (inclusive) and, when given, an upper
/// bound (exclusive) that must equal the next band's lower bound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BandSpec {
    /// Lower bound, inclusive.
    pub from: Decimal,
    /// Upper bound, exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Decimal>,
}

impl AxisSpec {
    /// The axis, with a problem for each `to` that leaves a gap or an
    /// overlap with the next band.
    fn axis(&self, name: &str, problems: &mut Vec<Problem>) -> Axis {
        let last = self.bands.len().saturating_sub(1);
        for (i, band) in self.bands.iter().enumerate() {
            if let (Some(to), Some(next)) = (band.to, self.bands.get(i.saturating_add(1)))
                && i != last
                && let Some(message) = super::table::seam("band", i, to, next.from)
            {
                problems.push(Problem::new(format!("{name}.bands[{i}].to"), message));
            }
        }
        let axis = Axis::new(self.metric.clone(), self.bands.iter().map(|b| b.from));
        match self.bands.last().and_then(|b| b.to) {
            Some(end) => axis.until(end),
            None => axis,
        }
    }
}

impl TryFrom<RateMatrixSpec> for RateMatrix {
    type Error = Error;

    fn try_from(spec: RateMatrixSpec) -> Result<RateMatrix> {
        let mut problems = Vec::new();
        let across = spec.across.axis("across", &mut problems);
        let down = spec.down.axis("down", &mut problems);
        match RateMatrix::new(across, down, spec.values, spec.between) {
            Ok(m) if problems.is_empty() => Ok(m),
            Ok(_) => Err(Error::invalid_problems("invalid rate matrix", problems)),
            Err(e) => {
                problems.extend(e.problems().iter().cloned());
                Err(Error::invalid_problems("invalid rate matrix", problems))
            }
        }
    }
}
