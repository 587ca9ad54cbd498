//! Quota attainment tables.

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::explain::{Explanation, NoExplanation, Recorder, Unit};
use crate::money::DecimalExt;
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
            .label(bands.label().to_owned());
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
        let out = self.scaled.evaluate_with::<R>(actual)?;
        if !R::RECORDS {
            return Ok(out);
        }
        let attainment = self.attainment(actual)?;
        let explanation = out.explanation.map(|e| {
            e.terms_and_inputs(
                [],
                [
                    ("quota", self.quota, Unit::Money),
                    ("attainment", attainment, Unit::Rate),
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

    /// The table rescaled to amounts.
    pub fn as_amount_table(&self) -> &TierTable {
        &self.scaled
    }
}
