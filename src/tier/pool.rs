//! Bonus pools split by score.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::explain::Term;
use crate::explain::{Explanation, Unit};
use crate::id::EmployeeId;
use crate::money::{DecimalExt, RoundingPolicy, allocate, checked_sum};
use crate::text::msg;

/// How a bonus pool is split: by score, exactly to the policy's unit, with
/// an optional cap per person whose excess is re-spread over the others.
///
/// - A zero score gets nothing.
/// - When every score is zero, nothing is paid and the whole pool is
///   reported as [`PoolSplit::unallocated`] — never a division by zero.
/// - When caps stop the pool from being spent (everyone capped), the rest
///   is likewise reported as unallocated.
///
/// ```
/// use perfpay::{Decimal, EmployeeId, RoundingPolicy};
/// use perfpay::tier::BonusPool;
///
/// let team = [("li", 95), ("wang", 88), ("zhao", 72)]
///     .map(|(id, s)| (EmployeeId::new(id).unwrap(), Decimal::from(s)));
/// let split = BonusPool::new(RoundingPolicy::cents())
///     .with_cap(Decimal::from(3_600))?
///     .split(Decimal::from(10_000), &team)?;
/// let amounts: Vec<String> = split.shares.iter().map(|s| s.amount.to_string()).collect();
/// // li's 3,725.49 is capped at 3,600.00; the other 6,400.00 goes 88 : 72 to wang and zhao
/// assert_eq!(amounts, ["3600.00", "3520.00", "2880.00"]);
/// assert_eq!(split.unallocated, Decimal::ZERO);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BonusPool {
    policy: RoundingPolicy,
    cap: Option<Decimal>,
}

/// One participant's share of a [`BonusPool`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolShare {
    /// Who.
    pub employee: EmployeeId,
    /// Their score.
    pub score: Decimal,
    /// Their share.
    pub amount: Decimal,
    /// Whether the cap limited the share.
    pub capped: bool,
}

/// The result of [`BonusPool::split`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolSplit {
    /// The pool.
    pub pool: Decimal,
    /// One share per participant, in input order.
    pub shares: Vec<PoolShare>,
    /// What was not paid out (all scores zero, or everyone capped).
    pub unallocated: Decimal,
    /// How the split was made.
    pub explanation: Explanation,
}

impl BonusPool {
    /// A pool split on the grid of `policy`, without a cap.
    pub fn new(policy: RoundingPolicy) -> BonusPool {
        BonusPool { policy, cap: None }
    }

    /// Caps each share at `cap`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative cap or one with more decimal places than the policy keeps.
    pub fn with_cap(mut self, cap: Decimal) -> Result<BonusPool> {
        self.amount_on_grid("pool cap", "cap", cap)?;
        self.cap = Some(cap);
        Ok(self)
    }

    /// Splits `pool` over `participants` by score.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative pool, a pool off the policy's grid, a negative score or an
    /// employee listed twice; overflow.
    pub fn split(&self, pool: Decimal, participants: &[(EmployeeId, Decimal)]) -> Result<PoolSplit> {
        self.check(pool, participants)?;
        let split = self.allocate_capped(pool, participants)?;
        let paid = checked_sum(split.iter().map(|(amount, _)| *amount))?;
        let unallocated = self.policy.round(pool.try_sub(paid)?);
        let score_sum = checked_sum(participants.iter().map(|(_, s)| *s))?;

        let mut explanation = Explanation::money(&msg::BONUS_POOL, pool)
            .text(&msg::SPLIT_BY_SCORE_OVER)
            .value(score_sum, Unit::Score)
            .text(&msg::SCORE_POINTS);
        if let Some(cap) = self.cap {
            explanation = explanation
                .text(&msg::EACH_SHARE_CAPPED_AT)
                .value(cap, Unit::Money);
        }
        if !unallocated.is_zero() {
            explanation = explanation
                .text(&msg::UNALLOCATED)
                .value(unallocated, Unit::Money);
        }
        let mut shares = Vec::with_capacity(participants.len());
        for ((employee, score), &(amount, capped)) in participants.iter().zip(&split) {
            let mut step = Explanation::money(msg::SHARE_OF.with([Term::text(employee)]), amount);
            step = if capped {
                step.text(&msg::CAPPED_AT).value(amount, Unit::Money)
            } else if score.is_zero() {
                step.text(&msg::SCORE_0_EARNS_NO_SHARE)
            } else {
                step.text(&msg::BY_SCORE)
                    .value(*score, Unit::Score)
                    .text(&msg::AMONG_THE_UNCAPPED)
            };
            explanation.push_child(step.input(&msg::SCORE, *score, Unit::Score));
            shares.push(PoolShare {
                employee: employee.clone(),
                score: *score,
                amount,
                capped,
            });
        }
        Ok(PoolSplit {
            pool,
            shares,
            unallocated,
            explanation,
        })
    }

    /// `value` (`what`, at `path`) is not negative and on the policy's grid.
    fn amount_on_grid(&self, what: &str, path: &str, value: Decimal) -> Result<()> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(
                Error::invalid_input(format!("{what} {value} is negative")).with_path(path.to_owned())
            );
        }
        if !self.policy.is_rounded(value) {
            return Err(Error::invalid_input(format!(
                "{what} {value} has more than {} decimal places",
                self.policy.scale()
            ))
            .with_path(path.to_owned()));
        }
        Ok(())
    }

    /// A pool on the policy's grid and not negative; scores not negative;
    /// nobody listed twice.
    fn check(&self, pool: Decimal, participants: &[(EmployeeId, Decimal)]) -> Result<()> {
        self.amount_on_grid("pool", "pool", pool)?;
        let mut seen = BTreeSet::new();
        for (i, (employee, score)) in participants.iter().enumerate() {
            if score.is_sign_negative() && !score.is_zero() {
                return Err(
                    Error::invalid_input(format!("score {score} of {employee} is negative"))
                        .with_path(format!("participants[{i}].score")),
                );
            }
            if !seen.insert(employee) {
                return Err(Error::invalid_input(format!("{employee} is listed twice"))
                    .with_path(format!("participants[{i}].employee")));
            }
        }
        Ok(())
    }

    /// Each participant's amount, and whether the cap stopped it: the pool
    /// allocated by score, capped shares fixed and the rest re-allocated
    /// among the uncapped (each round caps at least one participant or
    /// ends, so at most n rounds).
    fn allocate_capped(
        &self,
        pool: Decimal,
        participants: &[(EmployeeId, Decimal)],
    ) -> Result<Vec<(Decimal, bool)>> {
        let zero = self.policy.round(Decimal::ZERO);
        let mut split: Vec<(Decimal, bool)> = vec![(zero, false); participants.len()];
        let mut active: Vec<usize> = participants
            .iter()
            .enumerate()
            .filter(|(_, (_, score))| !score.is_zero())
            .map(|(i, _)| i)
            .collect();
        let mut remaining = pool;
        while !active.is_empty() && !remaining.is_zero() {
            let weights: Vec<Decimal> = active
                .iter()
                .filter_map(|&i| participants.get(i).map(|(_, score)| *score))
                .collect();
            let parts = allocate(remaining, &weights, self.policy)?;
            let over: Vec<usize> = match self.cap {
                Some(cap) => active
                    .iter()
                    .zip(&parts)
                    .filter(|(_, p)| **p > cap)
                    .map(|(&i, _)| i)
                    .collect(),
                None => Vec::new(),
            };
            if over.is_empty() {
                for (&i, part) in active.iter().zip(parts) {
                    if let Some(share) = split.get_mut(i) {
                        share.0 = part;
                    }
                }
                break;
            }
            let cap = self.cap.unwrap_or(Decimal::ZERO);
            for &i in &over {
                if let Some(share) = split.get_mut(i) {
                    *share = (self.policy.round(cap), true);
                }
                remaining = remaining.try_sub(cap)?;
            }
            active.retain(|&i| split.get(i).is_some_and(|(_, capped)| !capped));
        }
        Ok(split)
    }
}
