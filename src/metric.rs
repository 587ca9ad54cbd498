//! Read-only access to measured values (sales, conversion, satisfaction …).
//!
//! Building blocks that read a second metric — a commission gated on
//! satisfaction, a KPI curve — take `&dyn Metrics`, so a host can pass an
//! ordered map, a slice of pairs, or its own type.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::id::MetricId;

/// A source of metric values by id. Rules, KPI curves, gates and
/// conditions read metrics through `&dyn Metrics`, once per value read.
///
/// Which form to pass, cheapest first:
///
/// - **Your own type**, implementing `metric` over fields you already hold
///   (a `match` on `id.as_str()`, or an index kept beside the data): no
///   allocation and no copy per evaluation.
/// - **A slice or array of pairs** built once and reused: a linear search;
///   ids cloned from the plan's compare by pointer before bytes, so a
///   handful of metrics is found in a few comparisons. Building the pairs
///   anew for every evaluation costs an atomic reference-count increment
///   per id cloned (ids are reference-counted) and an allocation for a
///   `Vec` — keep them instead.
/// - **A `BTreeMap`**: logarithmic lookups by text; what the month close
///   itself uses, as inputs arrive as maps.
///
/// ```
/// use std::collections::BTreeMap;
/// use perfpay::{Decimal, MetricId, Metrics};
///
/// let satisfaction = MetricId::new("satisfaction")?;
/// let mut map = BTreeMap::new();
/// map.insert(satisfaction.clone(), Decimal::new(96, 2));
/// assert_eq!(map.metric(&satisfaction), Some(Decimal::new(96, 2)));
///
/// let pairs = [(satisfaction.clone(), Decimal::ONE)];
/// assert_eq!(pairs.as_slice().metric(&satisfaction), Some(Decimal::ONE));
/// assert_eq!(pairs.as_slice().require(&MetricId::new("sales")?).unwrap_err().to_string(),
///            "metrics.sales: metric sales is missing");
/// # Ok::<(), perfpay::Error>(())
/// ```
pub trait Metrics {
    /// The value of `id`, or `None` when it was not measured.
    fn metric(&self, id: &MetricId) -> Option<Decimal>;

    /// The value of `id`, or a [`Data`](crate::ErrorKind::Data) error naming it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) when the metric is missing.
    fn require(&self, id: &MetricId) -> Result<Decimal> {
        self.metric(id)
            .ok_or_else(|| Error::data(format!("metric {id} is missing")).with_path(format!("metrics.{id}")))
    }
}

impl Metrics for BTreeMap<MetricId, Decimal> {
    fn metric(&self, id: &MetricId) -> Option<Decimal> {
        self.get(id).copied()
    }
}

impl Metrics for [(MetricId, Decimal)] {
    fn metric(&self, id: &MetricId) -> Option<Decimal> {
        self.iter().find(|(k, _)| k == id).map(|(_, v)| *v)
    }
}

impl<const N: usize> Metrics for [(MetricId, Decimal); N] {
    fn metric(&self, id: &MetricId) -> Option<Decimal> {
        self.as_slice().metric(id)
    }
}

impl Metrics for Vec<(MetricId, Decimal)> {
    fn metric(&self, id: &MetricId) -> Option<Decimal> {
        self.as_slice().metric(id)
    }
}

impl<T: Metrics + ?Sized> Metrics for &T {
    fn metric(&self, id: &MetricId) -> Option<Decimal> {
        (**self).metric(id)
    }
}

/// No metrics at all (for evaluations that read none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoMetrics;

impl Metrics for NoMetrics {
    fn metric(&self, _: &MetricId) -> Option<Decimal> {
        None
    }
}
