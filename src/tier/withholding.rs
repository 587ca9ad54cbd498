//! Cumulative year-to-date withholding over progressive brackets.

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::explain::{Explanation, Recorder, Sink, Static, Term, Unit};
use crate::money::{DecimalExt, RoundingPolicy, at_least};
use crate::text::msg;
use crate::tier::table::TierTable;

/// Year-to-date totals carried from one period to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearToDate {
    /// The taxable base accumulated so far this year.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub base: Decimal,
    /// What has been withheld so far this year.
    #[serde(serialize_with = "crate::money::serialize_decimal")]
    pub withheld: Decimal,
}

/// What happens when the amount due to date falls below what was already
/// withheld (the base fell, or brackets changed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Overwithheld {
    /// Withhold 0 this period and keep the excess on record (it is settled
    /// later, e.g. by an annual reconciliation).
    #[default]
    CarryForward,
    /// Refund the excess this period as a negative withholding.
    Refund,
}

/// Progressive withholding on the cumulative year-to-date base:
/// this period withholds `round(f(YTD base)) − already withheld`, the shape
/// cumulative tax withholding uses. `f` is any [`TierTable`] — normally a
/// marginal table of brackets — so no tax system is hard-coded.
///
/// Because each period withholds the difference between two rounded
/// year-to-date amounts, the periods of a year add up exactly to the annual
/// formula applied to the annual base (as long as nothing is carried
/// forward).
///
/// ```
/// use perfpay::{Decimal, RoundingPolicy};
/// use perfpay::tier::{CumulativeWithholding, Tier, TierTable, YearToDate};
///
/// let brackets = TierTable::marginal([
///     Tier::rate(Decimal::ZERO, Decimal::new(3, 2)),
///     Tier::rate(Decimal::from(36_000), Decimal::new(10, 2)),
///     Tier::rate(Decimal::from(144_000), Decimal::new(20, 2)),
/// ])?;
/// let tax = CumulativeWithholding::new(brackets, RoundingPolicy::cents())?;
/// let mut ytd = YearToDate::default();
/// let mut withheld = Vec::new();
/// for _ in 0..4 {
///     let month = tax.withhold(&ytd, Decimal::from(10_000))?; // taxable base per month
///     withheld.push(month.this_period.to_string());
///     ytd = month.state;
/// }
/// // 3 % until the year-to-date base passes 36,000, then 10 %
/// assert_eq!(withheld, ["300.00", "300.00", "300.00", "580.00"]);
/// assert_eq!(ytd.withheld, Decimal::from(1_480)); // 40,000 × 10 % − 2,520
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CumulativeWithholding {
    table: TierTable,
    policy: RoundingPolicy,
    overwithheld: Overwithheld,
    /// The table's quick deductions, when statements use that form (a
    /// marginal table without a cap whose every tier has one); worked out
    /// once here rather than for every payslip.
    quick: Option<Vec<Decimal>>,
}

/// The result of [`CumulativeWithholding::withhold`] (its explanation an
/// `R` when computed with another [`Recorder`]).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withholding<R = Explanation> {
    /// Withheld this period.
    pub this_period: Decimal,
    /// `round(f(YTD base))`: due for the year so far.
    pub due_to_date: Decimal,
    /// The year-to-date totals after this period.
    pub state: YearToDate,
    /// How the amount was made.
    pub explanation: R,
}

impl CumulativeWithholding {
    /// Withholding by `table`, each year-to-date amount rounded by `policy`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the
    /// table rounds by itself (rounding belongs to the withholding, so it
    /// happens once).
    pub fn new(table: TierTable, policy: RoundingPolicy) -> Result<CumulativeWithholding> {
        if table.rounding().is_some() {
            return Err(Error::invalid_input(
                "the withholding table must not round by itself; the withholding's policy rounds once",
            ));
        }
        let quick = table.quick_deductions().filter(|_| table.cap().is_none());
        Ok(CumulativeWithholding {
            table,
            policy,
            overwithheld: Overwithheld::CarryForward,
            quick,
        })
    }

    /// Chooses what happens when more was withheld than is due.
    #[must_use]
    pub fn overwithheld(mut self, overwithheld: Overwithheld) -> CumulativeWithholding {
        self.overwithheld = overwithheld;
        self
    }

    /// The bracket table.
    pub fn table(&self) -> &TierTable {
        &self.table
    }

    /// Withholding for a period whose taxable base is `period_base`, given
    /// the year-to-date totals before it.
    ///
    /// A year-to-date base below zero is taxed as zero.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the
    /// prior amount withheld has more decimal places than the policy keeps;
    /// overflow.
    pub fn withhold(&self, prior: &YearToDate, period_base: Decimal) -> Result<Withholding> {
        self.withhold_with::<Explanation>(prior, period_base)
    }

    /// The rate and quick deduction of the tier `taxed` reaches, when the
    /// due amount is `taxed × rate − quick deduction` (rate tiers, no floor
    /// raising the payout): that says all there is to say; otherwise the
    /// table's own step, slice by slice, explains it.
    fn quick_at(&self, taxed: Decimal) -> Option<(Decimal, Decimal)> {
        let tier = self.table.locate(taxed);
        match (
            self.quick.as_ref().and_then(|q| q.get(tier)),
            self.table.tiers().get(tier).map(|t| t.pay()),
        ) {
            (Some(&qd), Some(crate::tier::TierPay::Rate(rate))) if self.table.floor().is_none() => {
                Some((rate, qd))
            }
            _ => None,
        }
    }

    /// The one place withholding is computed, its steps recorded by `R`.
    ///
    /// # Errors
    ///
    /// As [`withhold`](Self::withhold).
    pub fn withhold_with<R: Recorder>(
        &self,
        prior: &YearToDate,
        period_base: Decimal,
    ) -> Result<Withholding<R>> {
        self.withhold_in(prior, period_base, &mut Static::new())
    }

    /// [`withhold_with`](Self::withhold_with), its steps written to `rec`.
    pub(crate) fn withhold_in<Q: Sink>(
        &self,
        prior: &YearToDate,
        period_base: Decimal,
        rec: &mut Q,
    ) -> Result<Withholding<Q::Step>> {
        if !self.policy.is_rounded(prior.withheld) {
            return Err(Error::invalid_input(format!(
                "withheld to date {} has more than {} decimal places",
                prior.withheld,
                self.policy.scale()
            ))
            .with_path("year_to_date.withheld"));
        }
        let base = prior.base.try_add(period_base)?;
        let taxed = at_least(base, Decimal::ZERO);
        let quick = self.quick_at(taxed);
        let (payout, table_step) = match quick {
            Some(_) => (self.table.compute(taxed)?, None),
            None => {
                let out = self.table.evaluate_in(taxed, rec)?;
                (out.payout, Some(out.explanation))
            }
        };
        let due_to_date = self.policy.round(payout);
        let difference = due_to_date.try_sub(prior.withheld)?;
        let this_period = if difference.is_sign_negative() && self.overwithheld == Overwithheld::CarryForward
        {
            self.policy.round(Decimal::ZERO)
        } else {
            difference
        };
        let withheld = prior.withheld.try_add(this_period)?;

        let due = rec.record(|| due_step(due_to_date, taxed, base, quick));
        let due = match table_step {
            Some(step) => rec.child(due, step),
            None => due,
        };
        let explanation = rec.record(|| {
            let formula = [
                Term::value(due_to_date, Unit::Money),
                Term::text(&msg::DUE_TO_DATE_MINUS),
                Term::value(prior.withheld, Unit::Money),
                Term::text(&msg::WITHHELD_BEFORE),
            ];
            let read = [(&msg::PERIOD_BASE, period_base, Unit::Money)];
            let explanation = Explanation::money(&msg::WITHHELD_THIS_PERIOD, this_period);
            if this_period == difference {
                explanation.terms_and_inputs(formula, read)
            } else {
                let [a, b, c, d] = formula;
                explanation.terms_and_inputs(
                    [a, b, c, d, Term::text(&msg::OVER_WITHHELD_CARRIED_FORWARD)],
                    read,
                )
            }
        });
        let explanation = rec.child(explanation, due);
        Ok(Withholding {
            this_period,
            due_to_date,
            state: YearToDate { base, withheld },
            explanation,
        })
    }
}

/// The step of the amount due for the year so far: by the quick deduction
/// when there is one (the table's own step is then not needed).
fn due_step(
    due_to_date: Decimal,
    taxed: Decimal,
    base: Decimal,
    quick: Option<(Decimal, Decimal)>,
) -> Explanation {
    let due = Explanation::money(&msg::DUE_TO_DATE, due_to_date);
    let read = [(&msg::YEAR_TO_DATE_BASE, base, Unit::Money)];
    match quick {
        Some((rate, qd)) => due.terms_and_inputs(
            [
                Term::value(taxed, Unit::Money),
                Term::text(&msg::TIMES),
                Term::value(rate, Unit::Rate),
                Term::text(&msg::MINUS),
                Term::value(qd, Unit::Money),
                Term::text(&msg::QUICK_DEDUCTION),
            ],
            read,
        ),
        None => due.terms_and_inputs([], read),
    }
}
