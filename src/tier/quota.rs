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
/// let out = quota.apply(Decimal::from(260_000))?;
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
        for tier in bands.tiers() {
            let lower = tier.lower().try_mul(quota)?;
            builder = builder.tier(match tier.pay() {
                TierPay::Rate(rate) => Tier::rate(lower, rate),
                TierPay::Fixed(fixed) => Tier::fixed(lower, fixed),
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
    /// As [`TierTable::apply`].
    pub fn apply(&self, actual: Decimal) -> Result<Payout> {
        let (payout, tier, explanation) = self.paid::<Explanation>(actual)?;
        Ok(Payout {
            amount: actual,
            payout,
            tier,
            explanation,
        })
    }

    /// The payout for `actual`, without an explanation: the same
    /// calculation as [`apply`](Self::apply).
    ///
    /// # Errors
    ///
    /// As [`TierTable::payout`].
    pub fn payout(&self, actual: Decimal) -> Result<Decimal> {
        Ok(self.paid::<NoExplanation>(actual)?.0)
    }

    /// The one place a quota table pays: the amount table's payout, with
    /// the quota and the attainment reached among the step's inputs.
    pub(crate) fn paid<R: Recorder>(&self, actual: Decimal) -> Result<(Decimal, usize, R)> {
        let (payout, tier, step) = self.scaled.paid::<R>(actual)?;
        if !R::RECORDS {
            return Ok((payout, tier, step));
        }
        let attainment = self.attainment(actual)?;
        let step = step.map(|e| {
            e.terms_and_inputs(
                [],
                [
                    ("quota", self.quota, Unit::Money),
                    ("attainment", attainment, Unit::Rate),
                ],
            )
        });
        Ok((payout, tier, step))
    }

    /// The deal's commission on top of the period's prior total; see
    /// [`TierTable::apply_carried`].
    ///
    /// # Errors
    ///
    /// As [`TierTable::apply_carried`].
    pub fn apply_carried(&self, prior: Decimal, deal: Decimal) -> Result<Payout> {
        self.scaled.apply_carried(prior, deal)
    }

    /// The deal's commission and its step, as [`TierTable`] carries it.
    pub(crate) fn carried<R: Recorder>(&self, prior: Decimal, deal: Decimal) -> Result<(Decimal, usize, R)> {
        self.scaled.carried::<R>(prior, deal)
    }

    /// The table rescaled to amounts.
    pub fn as_amount_table(&self) -> &TierTable {
        &self.scaled
    }
}
