//! Tier tables and commission.
//!
//! - [`TierTable`]: marginal, whole-amount and interpolated tables with
//!   validated bounds (lower bound inclusive, no gaps, no overlaps), caps,
//!   floors, refunds, carried attainment, distance to the next tier and
//!   what-if estimates.
//! - [`QuotaTable`]: bands by quota attainment, with accelerators and
//!   decelerators.
//! - [`Commission`]: a table, quota or custom formula followed by gates and
//!   multipliers on other metrics, in declared order.
//! - [`QuotaRule`]: commission on each employee's own quota attainment.
//! - [`RateMatrix`]: a value (a payout percentage) looked up by two
//!   metrics, by band or interpolated.
//! - [`BonusPool`]: a pool split by score, exact to the cent, with caps.
//! - [`CumulativeWithholding`]: progressive brackets applied to the
//!   year-to-date base, minus what was already withheld.

mod commission;
mod deal;
mod matrix;
mod pool;
mod quota;
mod table;
mod withholding;

pub use commission::{
    Carry, Commission, CommissionContext, CommissionOutcome, Factor, Gate, Multiplier, NextCommissionTier,
};
pub use deal::{DealPayout, DealsOutcome, Share, Transaction, check_splits, net_credit};
pub use matrix::{Axis, AxisSpec, BandSpec, Between, RateMatrix, RateMatrixSpec};
pub use pool::{BonusPool, PoolShare, PoolSplit};
pub use quota::{QuotaRule, QuotaRuleBuilder, QuotaTable};
pub use table::{
    Above, NextTier, Payout, PointSpec, Tier, TierMode, TierPay, TierSpec, TierTable, TierTableBuilder,
    TierTableSpec, WhatIf,
};
pub use withholding::{CumulativeWithholding, Overwithheld, Withholding, YearToDate};
