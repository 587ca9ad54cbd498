//! Redemptions of points: a gift, or days off that reach attendance as
//! paid leave. Storage keeps each under its key, so asking twice spends
//! once.

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::id::EmployeeId;
use crate::money::DecimalExt;

use super::ledger::{MovementKind, PointsLedger};

/// Points spent by an employee, under a key the host chooses (its points
/// shop's order id): storage keeps it once
/// ([`Storage::redeem`](crate::ports::Storage::redeem)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Redemption {
    /// The redemption's key: the same key twice is the same redemption.
    pub key: String,
    /// Whose points.
    pub employee: EmployeeId,
    /// When the points are spent.
    pub date: NaiveDate,
    /// What for.
    pub what: Redeemed,
}

/// What points are spent on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Redeemed {
    /// A gift.
    Gift {
        /// The gift.
        gift: String,
        /// Its price in points.
        points: Decimal,
    },
    /// Days off, taken from `on`, paid as leave of the plan's kind `leave`.
    DaysOff {
        /// The first day off (its period's attendance counts the days).
        on: NaiveDate,
        /// How many days (halves allowed).
        days: Decimal,
        /// Their price in points per day.
        points_per_day: Decimal,
        /// The kind of paid leave they are (`payroll.leave`), `day_off` by
        /// default.
        #[serde(default = "day_off")]
        leave: String,
    },
}

fn day_off() -> String {
    "day_off".to_owned()
}

impl Redemption {
    /// A gift of `points`.
    pub fn gift(
        key: impl Into<String>,
        employee: EmployeeId,
        date: NaiveDate,
        gift: impl Into<String>,
        points: Decimal,
    ) -> Redemption {
        Redemption {
            key: key.into(),
            employee,
            date,
            what: Redeemed::Gift {
                gift: gift.into(),
                points,
            },
        }
    }

    /// `days` off from `on` at `points_per_day`, paid as `day_off` leave.
    pub fn days_off(
        key: impl Into<String>,
        employee: EmployeeId,
        date: NaiveDate,
        on: NaiveDate,
        days: Decimal,
        points_per_day: Decimal,
    ) -> Redemption {
        Redemption {
            key: key.into(),
            employee,
            date,
            what: Redeemed::DaysOff {
                on,
                days,
                points_per_day,
                leave: day_off(),
            },
        }
    }

    /// The points it spends.
    ///
    /// # Errors
    ///
    /// Overflow only.
    pub fn points(&self) -> Result<Decimal> {
        match &self.what {
            Redeemed::Gift { points, .. } => Ok(*points),
            Redeemed::DaysOff {
                days, points_per_day, ..
            } => days.try_mul(*points_per_day),
        }
    }
}

impl PointsLedger {
    /// Spends the points of `redemption` (its key is the movement's
    /// source).
    ///
    /// # Errors
    ///
    /// As [`PointsLedger::redeem`]: a balance too small, points or days that
    /// are not positive, a date before the last movement; nothing is
    /// recorded then.
    pub fn apply(&mut self, redemption: &Redemption) -> Result<()> {
        let key = redemption.key.clone();
        match &redemption.what {
            Redeemed::Gift { gift, points } => self.debit(
                redemption.date,
                *points,
                MovementKind::Redemption,
                gift.clone(),
                key,
            ),
            Redeemed::DaysOff {
                days, points_per_day, ..
            } => self.days_off(redemption.date, *days, *points_per_day, key),
        }
    }
}
