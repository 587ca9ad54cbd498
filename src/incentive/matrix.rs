//! A cash award from a bonus matrix: target × the matrix's payout
//! percentage × an individual factor.

use rust_decimal::Decimal;

use crate::error::Result;
use crate::explain::{Explanation, Label, NoExplanation, Term, Unit};
use crate::extension::Formula;
use crate::id::MetricId;
use crate::metric::Metrics;
use crate::money::DecimalExt;
use crate::text::Text;
use crate::text::msg;
use crate::tier::RateMatrix;

use super::rule::IncentiveContext;

/// A bonus matrix as a cash award: `target × matrix(across, down) ×
/// factor`, where the matrix gives the payout percentage from two metrics
/// and the factor (an individual achievement, a metric) is optional. It is
/// the [`Formula`] of an [`AwardSpec::CashFormula`](super::AwardSpec::CashFormula).
///
/// ```
/// use std::borrow::Cow;
/// use std::collections::BTreeMap;
/// use perfpay::{Decimal, EmployeeId, MetricId, Period};
/// use perfpay::extension::Formula;
/// use perfpay::incentive::{Facts, IncentiveContext, MatrixAward};
/// use perfpay::tier::{Axis, Between, RateMatrix};
///
/// let m = |s: &str| MetricId::new(s).unwrap();
/// let d = |s: &str| s.parse::<Decimal>().unwrap();
/// let matrix = RateMatrix::new(
///     Axis::new(m("growth"), [d("0"), d("0.05")]),
///     Axis::new(m("margin"), [d("0"), d("0.10")]),
///     vec![vec![d("0.5"), d("0.8")], vec![d("0.8"), d("1.2")]],
///     Between::Step,
/// )?;
/// let award = MatrixAward::new("bonus", matrix, d("5000"), Some(m("achievement")));
/// let metrics = BTreeMap::from([(m("growth"), d("0.07")), (m("margin"), d("0.12")), (m("achievement"), d("1.05"))]);
/// let facts = Facts { score: None, grade: None, rank: None, metrics: Cow::Owned(metrics) };
/// let (employee, period) = (EmployeeId::new("wu")?, Period::month(2026, 11)?);
/// let ctx = IncentiveContext { employee: &employee, period: &period, facts: &facts, event: None };
/// // 5,000 × 120 % × 1.05
/// assert_eq!(award.evaluate(&ctx)?, d("6300"));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct MatrixAward {
    name: Text,
    matrix: RateMatrix,
    target: Decimal,
    factor: Option<MetricId>,
}

impl MatrixAward {
    /// An award of `target` × the matrix's value × the metric `factor`
    /// (when given); `name` names the matrix in explanations.
    pub fn new(
        name: impl Into<Text>,
        matrix: RateMatrix,
        target: Decimal,
        factor: Option<MetricId>,
    ) -> MatrixAward {
        MatrixAward {
            name: name.into(),
            matrix,
            target,
            factor,
        }
    }

    fn parts(&self, metrics: &dyn Metrics) -> Result<(Decimal, Option<Decimal>)> {
        let (pct, _) = self.matrix.lookup_with::<NoExplanation>(metrics)?;
        let factor = match &self.factor {
            Some(m) => Some(metrics.require(m)?),
            None => None,
        };
        Ok((pct, factor))
    }
}

impl<'a> Formula<IncentiveContext<'a>> for MatrixAward {
    fn evaluate(&self, ctx: &IncentiveContext<'a>) -> Result<Decimal> {
        let metrics = ctx.facts.metrics.as_ref();
        let (pct, factor) = self.parts(metrics)?;
        let amount = self.target.try_mul(pct)?;
        match factor {
            Some(f) => amount.try_mul(f),
            None => Ok(amount),
        }
    }

    fn describe(&self) -> Label {
        Label::with(&msg::BONUS_MATRIX_NAMED, Term::text(self.name.clone()))
    }

    fn annotate(&self, ctx: &IncentiveContext<'a>, step: Explanation) -> Explanation {
        let metrics = ctx.facts.metrics.as_ref();
        // evaluate succeeded on the same metrics, so these do too
        let Ok((pct, factor)) = self.parts(metrics) else {
            return step;
        };
        let step = step.terms([
            Term::value(self.target, Unit::Money),
            Term::text(&msg::TARGET_TIMES),
            Term::value(pct, Unit::Rate),
        ]);
        let step = match (&self.factor, factor) {
            (Some(m), Some(f)) => step.terms([
                Term::text(&msg::TIMES),
                Term::value(f, Unit::Number),
                Term::text(&msg::SPACE),
                Term::text(m),
            ]),
            _ => step,
        };
        match self.matrix.lookup_with::<Explanation>(metrics) {
            Ok((_, lookup)) => {
                step.child(lookup.with_label(msg::MATRIX_NAMED.with([Term::text(self.name.clone())])))
            }
            Err(_) => step,
        }
    }
}
