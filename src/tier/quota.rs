//! Quota attainment tables.

use rust_decimal::Decimal;

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, NoExplanation, Recorder, Sink, Static, Term, Unit};
use crate::id::MetricId;
use crate::metric::Metrics;
use crate::money::DecimalExt;
use crate::text::msg;
use crate::tier::table::{Payout, Tier, TierMode, TierPay, TierTable};

/// A tier table whose bounds are quota attainment (`actual ÷ quota`, where
/// `1` is 100 %), with accelerators above 100 % and decelerators below a
/// threshold expressed as tiers.
///
/// Bounds are compared exactly: the table is rescaled to amounts
/// (`bound × quota`) once, at construction, so no attainment is ever
/// rounded. In a marginal table each slice of revenue is paid at the rate of
/// the attainment band it falls in; in a whole-amount table the whole actual
/// is paid at the rate of the band reached; an interpolated table maps
/// attainment to a payout.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::tier::{QuotaTable, Tier, TierTable};
///
/// // below 50 % of quota: 1 %; to 100 %: 3 %; above quota: 5 % (accelerator)
/// let bands = TierTable::marginal([
///     Tier::rate(Decimal::ZERO, Decimal::new(1, 2)),
///     Tier::rate(Decimal::new(5, 1), Decimal::new(3, 2)),
///     Tier::rate(Decimal::ONE, Decimal::new(5, 2)),
/// ])?;
/// let quota = QuotaTable::new(Decimal::from(200_000), bands)?;
/// let out = quota.evaluate(Decimal::from(260_000))?;
/// // 100,000 × 1 % + 100,000 × 3 % + 60,000 × 5 %
/// assert_eq!(out.payout, Decimal::from(7_000));
/// assert_eq!(quota.attainment(Decimal::from(260_000))?, Decimal::new(13, 1));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaTable {
    quota: Decimal,
    bands: TierTable,
    scaled: TierTable,
}

impl QuotaTable {
    /// A quota table for `quota` with attainment `bands`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the
    /// quota is zero or negative; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow)
    /// when a bound times the quota overflows.
    pub fn new(quota: Decimal, bands: TierTable) -> Result<QuotaTable> {
        if quota <= Decimal::ZERO {
            return Err(
                Error::invalid_input(format!("quota must be positive, found {quota}")).with_path("quota"),
            );
        }
        let mut builder = TierTable::builder(bands.mode())
            .refunds(bands.refunds())
            .label_as(bands.words());
        if let Some(cap) = bands.cap() {
            builder = builder.cap(cap);
        }
        if let Some(floor) = bands.floor() {
            builder = builder.floor(floor);
        }
        if let Some(policy) = bands.rounding() {
            builder = builder.rounding(policy);
        }
        if let Some((_, above)) = bands.top() {
            builder = builder.above(above);
        }
        let last = bands.tiers().len().saturating_sub(1);
        for (i, tier) in bands.tiers().iter().enumerate() {
            let lower = tier.lower().try_mul(quota)?;
            let scaled = match tier.pay() {
                TierPay::Rate(rate) => Tier::rate(lower, rate),
                TierPay::Fixed(fixed) => Tier::fixed(lower, fixed),
            };
            // a bounded table's last tier keeps its bound
            builder = builder.tier(match tier.upper() {
                Some(upper) if i == last && bands.top().is_some() => scaled.until(upper.try_mul(quota)?),
                _ => scaled,
            });
        }
        for &(x, y) in bands.points() {
            builder = builder.point(x.try_mul(quota)?, y);
        }
        let scaled = builder.build()?;
        Ok(QuotaTable { quota, bands, scaled })
    }

    /// The quota.
    pub fn quota(&self) -> Decimal {
        self.quota
    }

    /// The attainment bands as given.
    pub fn bands(&self) -> &TierTable {
        &self.bands
    }

    /// The mode of the bands.
    pub fn mode(&self) -> TierMode {
        self.bands.mode()
    }

    /// `actual ÷ quota` (to 28 significant digits; used for display, never
    /// for choosing a band).
    ///
    /// # Errors
    ///
    /// Overflow only.
    pub fn attainment(&self, actual: Decimal) -> Result<Decimal> {
        actual.try_div(self.quota)
    }

    /// The payout for `actual`, explained with the attainment reached.
    ///
    /// # Errors
    ///
    /// As [`TierTable::evaluate`].
    pub fn evaluate(&self, actual: Decimal) -> Result<Payout> {
        self.evaluate_with::<Explanation>(actual)
    }

    /// The payout for `actual`, without an explanation: the same
    /// calculation as [`evaluate`](Self::evaluate).
    ///
    /// # Errors
    ///
    /// As [`TierTable::compute`].
    pub fn compute(&self, actual: Decimal) -> Result<Decimal> {
        Ok(self.evaluate_with::<NoExplanation>(actual)?.payout)
    }

    /// The one place a quota table pays: the amount table's payout, with
    /// the quota and the attainment reached among the step's inputs.
    ///
    /// # Errors
    ///
    /// As [`TierTable::evaluate`].
    pub fn evaluate_with<R: Recorder>(&self, actual: Decimal) -> Result<Payout<R>> {
        self.evaluate_in(actual, &mut Static::new())
    }

    /// [`evaluate_with`](Self::evaluate_with), its step written to `rec`.
    pub(crate) fn evaluate_in<Q: Sink>(&self, actual: Decimal, rec: &mut Q) -> Result<Payout<Q::Step>> {
        let out = self.scaled.evaluate_in(actual, rec)?;
        if !Q::RECORDS {
            return Ok(out);
        }
        let attainment = self.attainment(actual)?;
        let explanation = rec.map(out.explanation, |e| {
            e.terms_and_inputs(
                [],
                [
                    (&msg::QUOTA_AMOUNT, self.quota, Unit::Money),
                    (&msg::ATTAINMENT, attainment, Unit::Rate),
                ],
            )
        });
        Ok(Payout { explanation, ..out })
    }

    /// The deal's commission on top of the period's prior total; see
    /// [`TierTable::evaluate_carried`].
    ///
    /// # Errors
    ///
    /// As [`TierTable::evaluate_carried`].
    pub fn evaluate_carried(&self, prior: Decimal, deal: Decimal) -> Result<Payout> {
        self.scaled.evaluate_carried(prior, deal)
    }

    /// [`evaluate_carried`](Self::evaluate_carried) with the step recorded
    /// by `R`.
    ///
    /// # Errors
    ///
    /// As [`TierTable::evaluate_carried`].
    pub fn evaluate_carried_with<R: Recorder>(&self, prior: Decimal, deal: Decimal) -> Result<Payout<R>> {
        self.scaled.evaluate_carried_with::<R>(prior, deal)
    }

    /// [`evaluate_carried_with`](Self::evaluate_carried_with), its steps
    /// written to `rec`.
    pub(crate) fn evaluate_carried_in<Q: Sink>(
        &self,
        prior: Decimal,
        deal: Decimal,
        rec: &mut Q,
    ) -> Result<Payout<Q::Step>> {
        self.scaled.evaluate_carried_in(prior, deal, rec)
    }

    /// The table rescaled to amounts.
    pub fn as_amount_table(&self) -> &TierTable {
        &self.scaled
    }
}

/// Commission on quota attainment with each employee's own quota: the
/// quota is a metric of the period (`credit ÷ quota` is the attainment), a
/// threshold below which nothing is paid, and bands on attainment that
/// either
///
/// - pay their **rates on the credit** (decelerators below 100 %,
///   accelerators above: a [`QuotaTable`] for the employee's quota), or
/// - give a **payout percentage** of a target incentive
///   ([`target`](QuotaRuleBuilder::target)), at most
///   [`cap`](QuotaRuleBuilder::cap) (200 % is `2`).
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::tier::{QuotaRule, Tier, TierTable};
///
/// let quota = MetricId::new("quota")?;
/// // payout percentage: 1 % of target per 1 % of attainment, 2 % above 100 %
/// let curve = TierTable::marginal([
///     Tier::rate(Decimal::ZERO, Decimal::ONE),
///     Tier::rate(Decimal::ONE, Decimal::from(2)),
/// ])?;
/// let rule = QuotaRule::builder(quota.clone(), curve)
///     .threshold(Decimal::new(5, 1)) // nothing below 50 %
///     .target(Decimal::from(10_000))
///     .cap(Decimal::from(2))         // at most 200 %
///     .build()?;
/// let metrics = [(quota, Decimal::from(200_000))];
/// // 250,000 of 200,000 = 125 %: 100 % + 25 % × 2 = 150 % of 10,000
/// assert_eq!(rule.compute(Decimal::from(250_000), &metrics)?, Decimal::from(15_000));
/// // 400,000 = 200 %: 300 %, capped at 200 %
/// assert_eq!(rule.compute(Decimal::from(400_000), &metrics)?, Decimal::from(20_000));
/// // 90,000 = 45 %: below the threshold
/// assert_eq!(rule.compute(Decimal::from(90_000), &metrics)?, Decimal::ZERO);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaRule {
    quota: MetricId,
    bands: TierTable,
    threshold: Option<Decimal>,
    target: Option<Decimal>,
    cap: Option<Decimal>,
}

/// Builds a [`QuotaRule`], checking everything at once in
/// [`build`](QuotaRuleBuilder::build).
#[derive(Clone, Debug)]
pub struct QuotaRuleBuilder {
    rule: QuotaRule,
}

impl QuotaRuleBuilder {
    /// Attainment below `threshold` (a fraction: 0.5 is 50 %) pays nothing.
    #[must_use]
    pub fn threshold(mut self, threshold: Decimal) -> QuotaRuleBuilder {
        self.rule.threshold = Some(threshold);
        self
    }

    /// The bands give a payout percentage of `target` instead of rates on
    /// the credit.
    #[must_use]
    pub fn target(mut self, target: Decimal) -> QuotaRuleBuilder {
        self.rule.target = Some(target);
        self
    }

    /// The most payout percentage of the target (needs a target).
    #[must_use]
    pub fn cap(mut self, cap: Decimal) -> QuotaRuleBuilder {
        self.rule.cap = Some(cap);
        self
    }

    /// Checks and builds the rule.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem with its path: a negative threshold, target or cap; a
    /// cap without a target.
    pub fn build(self) -> Result<QuotaRule> {
        let rule = self.rule;
        let mut problems = Vec::new();
        for (name, value) in [
            ("threshold", rule.threshold),
            ("target", rule.target),
            ("cap", rule.cap),
        ] {
            if let Some(v) = value
                && v.is_sign_negative()
                && !v.is_zero()
            {
                problems.push(Problem::new(name, format!("{v} is negative")));
            }
        }
        if rule.cap.is_some() && rule.target.is_none() {
            problems.push(Problem::new(
                "cap",
                "caps the payout percentage of a target, and there is no target (a table's own cap limits a payout in money)",
            ));
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid quota rule", problems));
        }
        Ok(rule)
    }
}

impl QuotaRule {
    /// A rule reading each employee's quota from the metric `quota`, with
    /// `bands` on attainment (`1` is 100 %).
    pub fn builder(quota: MetricId, bands: TierTable) -> QuotaRuleBuilder {
        QuotaRuleBuilder {
            rule: QuotaRule {
                quota,
                bands,
                threshold: None,
                target: None,
                cap: None,
            },
        }
    }

    /// The metric holding the quota.
    pub fn quota_metric(&self) -> &MetricId {
        &self.quota
    }

    /// The payout for `credit`, the number alone.
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn compute(&self, credit: Decimal, metrics: &dyn Metrics) -> Result<Decimal> {
        Ok(self.evaluate_with::<NoExplanation>(credit, metrics)?.payout)
    }

    /// The payout for `credit` with its explanation: the quota and the
    /// attainment among its inputs, the threshold when it stopped the
    /// payout, the percentage and the cap when there is a target.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) when the quota metric
    /// is missing or not positive; what the bands report; overflow.
    pub fn evaluate(&self, credit: Decimal, metrics: &dyn Metrics) -> Result<Payout> {
        self.evaluate_with::<Explanation>(credit, metrics)
    }

    /// The one place a quota rule pays, its steps recorded by `R`.
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn evaluate_with<R: Recorder>(&self, credit: Decimal, metrics: &dyn Metrics) -> Result<Payout<R>> {
        self.evaluate_in(credit, metrics, &mut Static::new())
    }

    /// [`evaluate_with`](Self::evaluate_with), its steps written to `rec`.
    pub(crate) fn evaluate_in<Q: Sink>(
        &self,
        credit: Decimal,
        metrics: &dyn Metrics,
        rec: &mut Q,
    ) -> Result<Payout<Q::Step>> {
        let quota = metrics.require(&self.quota)?;
        if quota <= Decimal::ZERO {
            return Err(
                Error::data(format!("quota {quota} (metric {}) is not positive", self.quota))
                    .with_path(format!("metrics.{}", self.quota)),
            );
        }
        let label = self.bands.words();
        let inputs = |attainment: Decimal| {
            [
                (&msg::QUOTA_AMOUNT, quota, Unit::Money),
                (&msg::ATTAINMENT, attainment, Unit::Rate),
            ]
        };
        // below the threshold, exactly: credit < threshold × quota
        if let Some(threshold) = self.threshold
            && credit < threshold.try_mul(quota)?
        {
            let explanation = rec.try_record(|| {
                let attainment = credit.try_div(quota)?;
                Ok(Explanation::money(label, Decimal::ZERO).terms_and_inputs(
                    [
                        Term::text(&msg::NOTHING_ATTAINMENT_BELOW_THE_THRESHOLD),
                        Term::value(threshold, Unit::Rate),
                    ],
                    inputs(attainment),
                ))
            })?;
            return Ok(Payout {
                amount: credit,
                payout: Decimal::ZERO,
                tier: 0,
                explanation,
            });
        }
        let Some(target) = self.target else {
            // rates on the credit: the bands rescaled to this quota
            let out = QuotaTable::new(quota, self.bands.clone())?.evaluate_in(credit, rec)?;
            return Ok(out);
        };
        let at = credit.try_div(quota)?;
        let percentage = self.bands.evaluate_in(at, rec)?;
        let (pct, capped) = match self.cap {
            Some(cap) if percentage.payout > cap => (cap, true),
            _ => (percentage.payout, false),
        };
        let payout = target.try_mul(pct)?;
        let percentage_step = rec.map(percentage.explanation, |e| {
            e.with_label(&msg::PAYOUT_PERCENTAGE).with_unit(Unit::Rate)
        });
        let explanation = rec.record(|| {
            let e = Explanation::money(label, payout).terms([
                Term::value(target, Unit::Money),
                Term::text(&msg::TARGET_TIMES),
                Term::value(pct, Unit::Rate),
            ]);
            let e = if capped {
                e.terms([Term::text(&msg::CAPPED_NOTE)])
            } else {
                e
            };
            e.terms_and_inputs([], inputs(at))
        });
        let explanation = rec.child(explanation, percentage_step);
        Ok(Payout {
            amount: credit,
            payout,
            tier: percentage.tier,
            explanation,
        })
    }
}
