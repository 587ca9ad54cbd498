//! Incentives: events and rules that award cash, points and honours —
//! never twice — plus the points ledger, draws and clawbacks.

mod draw;
mod event;
mod ledger;
mod matrix;
mod redemption;
mod rule;

pub use draw::{Draw, DrawSettlement, DrawState};
pub use event::{Event, EventKind};
pub use ledger::{Movement, MovementKind, PointsLedger};
pub use matrix::MatrixAward;
pub use redemption::{Redeemed, Redemption};
pub use rule::{
    Award, AwardKey, AwardKind, AwardSpec, Catalog, Compare, Facts, IncentiveContext, IncentiveInput,
    IncentiveProgram, IncentiveRule, Once, Operand, Shortfall, Test, Trigger,
};
