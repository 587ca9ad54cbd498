//! The points ledger: credits from awards, redemptions, expiry.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::money::DecimalExt;

/// Why points moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Points earned (from an award: `source` is its key).
    Credit,
    /// Points spent on a gift.
    Redemption,
    /// Points spent on days off.
    DaysOff {
        /// Days granted.
        days: Decimal,
        /// Points per day at the time.
        points_per_day: Decimal,
    },
    /// Points that expired unused (`source` names the credit).
    Expiry,
    /// Points taken back (`source` names the award reversed).
    Clawback,
}

/// One movement: points in (positive) or out (negative), with its reason
/// and source. Movements are only ever appended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Movement {
    /// Position in the ledger, from 0.
    pub seq: usize,
    /// When.
    pub date: NaiveDate,
    /// Points: positive in, negative out.
    pub points: Decimal,
    /// Why.
    pub kind: MovementKind,
    /// In words (a gift's name, the award's rule).
    pub reason: String,
    /// What it refers to: an award key, a credit's sequence number.
    pub source: String,
}

/// An employee's points: append-only, never negative.
///
/// Spending takes the oldest points first, so expiry (if used) removes only
/// what is left of old credits.
///
/// ```
/// use perfpay::{Decimal, NaiveDate};
/// use perfpay::incentive::PointsLedger;
///
/// let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
/// let mut ledger = PointsLedger::default();
/// ledger.credit(d(12), Decimal::from(200), "training: live-streaming basics", "course-bonus/e-7/event:lms-1")?;
/// ledger.redeem(d(20), Decimal::from(150), "bluetooth speaker")?;
/// assert_eq!(ledger.balance(), Decimal::from(50));
/// // over-redemption is an error and records nothing
/// assert!(ledger.redeem(d(21), Decimal::from(60), "tea set").is_err());
/// assert_eq!(ledger.movements().len(), 2);
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// A ledger read back from storage is checked as it is read: movements
/// numbered in order, dated in order, each kind with its sign, a balance
/// that is never negative and never overflows, each award credited once.
///
/// ```
/// use perfpay::incentive::PointsLedger;
///
/// // a ledger holding only a redemption would have a negative balance
/// let stored = r#"{"movements":[{"seq":0,"date":"2026-11-01","points":"-500",
///     "kind":"redemption","reason":"tea set","source":"tea set"}]}"#;
/// let err = serde_json::from_str::<PointsLedger>(stored).unwrap_err();
/// assert!(err.to_string().contains("balance would be -500"), "{err}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields, try_from = "LedgerRecord")]
pub struct PointsLedger {
    movements: Vec<Movement>,
    /// The sum of the movements, kept as they are appended.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    balance: Decimal,
}

/// A ledger as stored, before its invariants are checked.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(rename = "PointsLedger"))]
struct LedgerRecord {
    movements: Vec<Movement>,
}

impl TryFrom<LedgerRecord> for PointsLedger {
    type Error = Error;

    fn try_from(record: LedgerRecord) -> Result<PointsLedger> {
        let mut ledger = PointsLedger::default();
        for (index, m) in record.movements.into_iter().enumerate() {
            let at = |what: String| Error::invalid_input(format!("movements[{index}]: {what}"));
            if m.seq != index {
                return Err(at(format!("seq is {}, expected {index}", m.seq)));
            }
            ledger.check_date(m.date).map_err(|e| at(e.to_string()))?;
            let inflow = m.kind == MovementKind::Credit;
            if m.points.is_zero() || inflow == m.points.is_sign_negative() {
                let sign = if inflow { "positive" } else { "negative" };
                return Err(at(format!(
                    "a {:?} movement must be {sign}, found {}",
                    m.kind, m.points
                )));
            }
            if inflow && ledger.credited(&m.source) {
                return Err(at(format!("{} was already credited", m.source)));
            }
            let balance = ledger
                .balance
                .checked_add(m.points)
                .ok_or_else(|| at(format!("the balance overflows at {}", m.points)))?;
            if balance.is_sign_negative() {
                return Err(at(format!(
                    "the balance would be {balance}: it is never negative"
                )));
            }
            ledger.balance = balance;
            ledger.movements.push(m);
        }
        Ok(ledger)
    }
}

impl PointsLedger {
    /// Every movement, oldest first.
    pub fn movements(&self) -> &[Movement] {
        &self.movements
    }

    /// The balance now.
    pub fn balance(&self) -> Decimal {
        self.balance
    }

    fn credited(&self, source: &str) -> bool {
        self.movements
            .iter()
            .any(|m| m.kind == MovementKind::Credit && m.source == source)
    }

    fn check_date(&self, date: NaiveDate) -> Result<()> {
        match self.movements.last() {
            Some(last) if date < last.date => Err(Error::invalid_input(format!(
                "movement dated {date} is before the last movement ({})",
                last.date
            ))),
            _ => Ok(()),
        }
    }

    /// Appends a movement; refused (and nothing recorded) when the balance
    /// would overflow or go negative.
    fn push(
        &mut self,
        date: NaiveDate,
        points: Decimal,
        kind: MovementKind,
        reason: String,
        source: String,
    ) -> Result<()> {
        let balance = self.balance.checked_add(points).ok_or_else(|| {
            Error::invalid_input(format!(
                "cannot add {points} points: the balance of {} would overflow",
                self.balance
            ))
        })?;
        if balance.is_sign_negative() {
            return Err(Error::invalid_input(format!(
                "cannot take {} points: the balance is {}",
                -points, self.balance
            )));
        }
        let seq = self.movements.len();
        self.movements.push(Movement {
            seq,
            date,
            points,
            kind,
            reason,
            source,
        });
        self.balance = balance;
        Ok(())
    }

    fn positive(points: Decimal, what: &str) -> Result<()> {
        if points <= Decimal::ZERO {
            return Err(Error::invalid_input(format!(
                "{what} needs a positive number of points, found {points}"
            )));
        }
        Ok(())
    }

    /// Credits `points` earned on `date`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for
    /// points that are not positive, a date before the last movement, or a
    /// source already credited (a duplicate award).
    pub fn credit(
        &mut self,
        date: NaiveDate,
        points: Decimal,
        reason: impl Into<String>,
        source: impl Into<String>,
    ) -> Result<()> {
        let source = source.into();
        PointsLedger::positive(points, "a credit")?;
        self.check_date(date)?;
        if self.credited(&source) {
            return Err(Error::invalid_input(format!("{source} was already credited")));
        }
        self.push(date, points, MovementKind::Credit, reason.into(), source)
    }

    pub(super) fn debit(
        &mut self,
        date: NaiveDate,
        points: Decimal,
        kind: MovementKind,
        reason: String,
        source: String,
    ) -> Result<()> {
        PointsLedger::positive(points, "a debit")?;
        self.check_date(date)?;
        self.push(date, -points, kind, reason, source)
    }

    /// Spends `points` on a gift.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the
    /// balance is too small (nothing is recorded), the points are not
    /// positive, or the date is before the last movement.
    pub fn redeem(&mut self, date: NaiveDate, points: Decimal, gift: impl Into<String>) -> Result<()> {
        let gift = gift.into();
        self.debit(date, points, MovementKind::Redemption, gift.clone(), gift)
    }

    /// Spends points on `days` off at `points_per_day`.
    ///
    /// # Errors
    ///
    /// As [`redeem`](Self::redeem); also for days or a rate that are not
    /// positive.
    ///
    /// ```
    /// use perfpay::{Decimal, NaiveDate};
    /// use perfpay::incentive::PointsLedger;
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    /// let mut ledger = PointsLedger::default();
    /// ledger.credit(d(1), Decimal::from(500), "best of October", "best/e-1/2026-10")?;
    /// ledger.redeem_days_off(d(2), Decimal::ONE, Decimal::from(300))?;
    /// assert_eq!(ledger.balance(), Decimal::from(200));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn redeem_days_off(&mut self, date: NaiveDate, days: Decimal, points_per_day: Decimal) -> Result<()> {
        self.days_off(date, days, points_per_day, "days-off".into())
    }

    /// Spends points on `days` off at `points_per_day`, under `source`.
    pub(super) fn days_off(
        &mut self,
        date: NaiveDate,
        days: Decimal,
        points_per_day: Decimal,
        source: String,
    ) -> Result<()> {
        if days <= Decimal::ZERO || points_per_day <= Decimal::ZERO {
            return Err(Error::invalid_input(format!(
                "days off need positive days and points per day, found {days} days at {points_per_day}"
            )));
        }
        let points = days.try_mul(points_per_day)?;
        self.debit(
            date,
            points,
            MovementKind::DaysOff { days, points_per_day },
            format!("{} day(s) off", days.normalize()),
            source,
        )
    }

    /// Takes back points of an award (`source`: the award's key).
    ///
    /// # Errors
    ///
    /// As [`redeem`](Self::redeem): a clawback larger than the balance is
    /// refused and nothing is recorded.
    pub fn clawback(
        &mut self,
        date: NaiveDate,
        points: Decimal,
        source: impl Into<String>,
        reason: impl Into<String>,
    ) -> Result<()> {
        self.debit(date, points, MovementKind::Clawback, reason.into(), source.into())
    }

    /// Expires what is left of credits older than `after_days` days on
    /// `as_of`, oldest first; spending has already used the oldest credits.
    /// Returns the new movements.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a date
    /// before the last movement; overflow.
    ///
    /// ```
    /// use perfpay::{Decimal, NaiveDate};
    /// use perfpay::incentive::PointsLedger;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let mut ledger = PointsLedger::default();
    /// ledger.credit(d(1, 10), Decimal::from(100), "course", "a")?;
    /// ledger.credit(d(6, 10), Decimal::from(100), "course", "b")?;
    /// ledger.redeem(d(7, 1), Decimal::from(30), "mug")?; // uses January's points first
    /// let expired = ledger.expire(d(9, 1), 180)?;        // January's credit is older than 180 days
    /// assert_eq!(expired.len(), 1);
    /// assert_eq!(expired[0].points, Decimal::from(-70));
    /// assert_eq!(ledger.balance(), Decimal::from(100));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn expire(&mut self, as_of: NaiveDate, after_days: u32) -> Result<Vec<Movement>> {
        self.check_date(as_of)?;
        let cutoff = as_of
            .checked_sub_days(Days::new(u64::from(after_days)))
            .ok_or_else(|| {
                Error::invalid_input(format!("{after_days} days before {as_of} is out of range"))
            })?;
        // what is left of each credit after spending, oldest first
        let mut remaining: Vec<(usize, Decimal)> = Vec::new();
        for (seq, m) in self.movements.iter().enumerate() {
            if m.points > Decimal::ZERO {
                remaining.push((seq, m.points));
            } else {
                let mut take = m.points.abs();
                for (_, left) in remaining.iter_mut() {
                    if take.is_zero() {
                        break;
                    }
                    let used = take.min(*left);
                    // `used` is at most either amount: neither subtraction
                    // can overflow or go below zero
                    *left = left.try_sub(used)?;
                    take = take.try_sub(used)?;
                }
            }
        }
        let expired_already: BTreeSet<String> = self
            .movements
            .iter()
            .filter(|m| m.kind == MovementKind::Expiry)
            .map(|m| m.source.clone())
            .collect();
        let mut out = Vec::new();
        for (seq, left) in remaining {
            let Some(credit) = self.movements.get(seq) else {
                continue;
            };
            let source = format!("credit #{seq}");
            if credit.date < cutoff && left > Decimal::ZERO && !expired_already.contains(&source) {
                out.push((left, source, credit.reason.clone()));
            }
        }
        let first = self.movements.len();
        let balance = self.balance;
        for (left, source, reason) in out {
            if let Err(err) = self.push(
                as_of,
                -left,
                MovementKind::Expiry,
                format!("expired: {reason}"),
                source,
            ) {
                // all or nothing
                self.movements.truncate(first);
                self.balance = balance;
                return Err(err);
            }
        }
        Ok(self.movements.get(first..).unwrap_or_default().to_vec())
    }
}
