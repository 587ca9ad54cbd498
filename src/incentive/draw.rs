//! Draws: advances against commission, recoverable or not.

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::explain::{Explanation, Unit};
use crate::money::DecimalExt;
use crate::text::msg;

/// What a draw carries from period to period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DrawState {
    /// Advanced but not yet recovered.
    pub owed: Decimal,
}

/// A draw against commission.
///
/// - **Recoverable**: each period pays at least the draw; a shortfall is
///   advanced and owed, and recovered from later periods' earnings above the
///   draw, at most `recovery_limit` per period (pay never falls below the
///   draw).
/// - **Non-recoverable**: a guaranteed minimum; a shortfall is topped up and
///   never owed.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::incentive::{Draw, DrawState};
///
/// let draw = Draw::recoverable(Decimal::from(1_000), Some(Decimal::from(600)))?;
/// let mut state = DrawState::default();
/// let mut paid = Vec::new();
/// for earned in [500, 700, 400, 2_400] {
///     let s = draw.settle(&state, Decimal::from(earned))?;
///     paid.push((s.paid, s.state.owed));
///     state = s.state;
/// }
/// let want = [(1_000, 500), (1_000, 800), (1_000, 1_400), (1_800, 800)]
///     .map(|(p, o)| (Decimal::from(p), Decimal::from(o)));
/// assert_eq!(paid, want);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Draw {
    amount: Decimal,
    recoverable: bool,
    recovery_limit: Option<Decimal>,
}

/// One period of a [`Draw`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawSettlement {
    /// Commission earned this period.
    pub earned: Decimal,
    /// Paid this period.
    pub paid: Decimal,
    /// Advanced (recoverable) or topped up (non-recoverable) this period.
    pub advanced: Decimal,
    /// Recovered from earlier advances this period.
    pub recovered: Decimal,
    /// The state to carry into the next period.
    pub state: DrawState,
    /// How the payment was made.
    pub explanation: Explanation,
}

impl Draw {
    fn new(amount: Decimal, recoverable: bool, recovery_limit: Option<Decimal>) -> Result<Draw> {
        if amount < Decimal::ZERO {
            return Err(Error::invalid_input(format!("draw {amount} is negative")).with_path("amount"));
        }
        if let Some(limit) = recovery_limit
            && limit < Decimal::ZERO
        {
            return Err(
                Error::invalid_input(format!("recovery limit {limit} is negative"))
                    .with_path("recovery_limit"),
            );
        }
        Ok(Draw {
            amount,
            recoverable,
            recovery_limit,
        })
    }

    /// A recoverable draw of `amount` per period, recovering at most
    /// `recovery_limit` per period (no limit if `None`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative amount or limit.
    pub fn recoverable(amount: Decimal, recovery_limit: Option<Decimal>) -> Result<Draw> {
        Draw::new(amount, true, recovery_limit)
    }

    /// A non-recoverable draw (guaranteed minimum) of `amount` per period.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative amount.
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::incentive::{Draw, DrawState};
    ///
    /// let guarantee = Draw::non_recoverable(Decimal::from(5_000))?;
    /// let s = guarantee.settle(&DrawState::default(), Decimal::from(3_200))?;
    /// assert_eq!((s.paid, s.advanced, s.state.owed), (Decimal::from(5_000), Decimal::from(1_800), Decimal::ZERO));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn non_recoverable(amount: Decimal) -> Result<Draw> {
        Draw::new(amount, false, None)
    }

    /// Settles one period: what is paid given what was `earned`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for
    /// negative earnings or a negative amount owed; overflow.
    pub fn settle(&self, state: &DrawState, earned: Decimal) -> Result<DrawSettlement> {
        if earned < Decimal::ZERO {
            return Err(Error::invalid_input(format!("earnings {earned} are negative")).with_path("earned"));
        }
        if state.owed < Decimal::ZERO {
            return Err(
                Error::invalid_input(format!("amount owed {} is negative", state.owed)).with_path("owed"),
            );
        }
        if earned < self.amount {
            let advanced = self.amount.try_sub(earned)?;
            let owed = if self.recoverable {
                state.owed.try_add(advanced)?
            } else {
                state.owed
            };
            let explanation = Explanation::money(&msg::PAID_WITH_DRAW, self.amount)
                .value(earned, Unit::Money)
                .text(&msg::EARNED)
                .value(advanced, Unit::Money)
                .text(if self.recoverable {
                    &msg::ADVANCED_RECOVERABLE
                } else {
                    &msg::GUARANTEED_TOP_UP
                })
                .input(&msg::OWED_AFTER, owed, Unit::Money);
            return Ok(DrawSettlement {
                earned,
                paid: self.amount,
                advanced,
                recovered: Decimal::ZERO,
                state: DrawState { owed },
                explanation,
            });
        }
        let above = earned.try_sub(self.amount)?;
        let mut recovered = if self.recoverable {
            state.owed.min(above)
        } else {
            Decimal::ZERO
        };
        if let Some(limit) = self.recovery_limit {
            recovered = recovered.min(limit);
        }
        let paid = earned.try_sub(recovered)?;
        let owed = state.owed.try_sub(recovered)?;
        let explanation = Explanation::money(&msg::PAID_WITH_DRAW, paid)
            .value(earned, Unit::Money)
            .text(&msg::EARNED_MINUS)
            .value(recovered, Unit::Money)
            .text(&msg::RECOVERED)
            .input(&msg::OWED_AFTER, owed, Unit::Money);
        Ok(DrawSettlement {
            earned,
            paid,
            advanced: Decimal::ZERO,
            recovered,
            state: DrawState { owed },
            explanation,
        })
    }
}
