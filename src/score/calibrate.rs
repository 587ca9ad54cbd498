//! Rankings and forced distribution over a team.

use std::borrow::Borrow;
use std::cmp::Ordering;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::Term;
use crate::explain::{Explanation, Unit};
use crate::id::{EmployeeId, GradeId};
use crate::money::{RoundingMode, RoundingPolicy, allocate, checked_sum, pow10_i128};
use crate::text::msg;

/// An employee's place in a ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranked {
    /// Who.
    pub employee: EmployeeId,
    /// Their score.
    pub score: Decimal,
    /// Competition rank: equal scores share a rank and the next rank skips
    /// (1, 2, 2, 4).
    pub rank: usize,
}

/// Ranks a team by score, best first; equal scores share a rank and are
/// listed by employee id. Rank 1 is the best of the period (several
/// employees when tied).
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when an
/// employee is listed twice.
///
/// ```
/// use perfpay::{Decimal, EmployeeId};
/// use perfpay::score::rank;
///
/// let e = |s: &str| EmployeeId::new(s).unwrap();
/// let ranked = rank(&[(e("li"), 88.into()), (e("wang"), 95.into()), (e("zhao"), 88.into())])?;
/// let view: Vec<(&str, usize)> = ranked.iter().map(|r| (r.employee.as_str(), r.rank)).collect();
/// assert_eq!(view, [("wang", 1), ("li", 2), ("zhao", 2)]);
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn rank(scores: &[(EmployeeId, Decimal)]) -> Result<Vec<Ranked>> {
    check_listed_once(scores)?;
    Ok(rank_positions(scores)
        .into_iter()
        .filter_map(|(at, rank)| {
            let (employee, score) = scores.get(at)?;
            Some(Ranked {
                employee: employee.clone(),
                score: *score,
                rank,
            })
        })
        .collect())
}

/// Where each employee of `scores` ranks, best first, as `(position in
/// scores, competition rank)`: [`rank`] without copying ids, for a caller
/// that keeps its own per-position data (the ids owned or borrowed). Equal scores are listed by
/// employee id; an employee listed twice is ranked twice (`rank` refuses
/// that).
///
/// ```
/// use perfpay::{Decimal, EmployeeId};
/// use perfpay::score::rank_positions;
///
/// let e = |s: &str| EmployeeId::new(s).unwrap();
/// let scores = [(e("li"), Decimal::from(88)), (e("wang"), Decimal::from(95)), (e("zhao"), Decimal::from(88))];
/// assert_eq!(rank_positions(&scores), [(1, 1), (0, 2), (2, 2)]);
/// ```
pub fn rank_positions<I: Borrow<EmployeeId> + Sync>(scores: &[(I, Decimal)]) -> Vec<(usize, usize)> {
    let in_id_order = scores.windows(2).all(|pair| match pair {
        [(a, _), (b, _)] => a.borrow() < b.borrow(),
        _ => true,
    });
    if in_id_order {
        return rank_in_id_order(scores);
    }
    let id = |at: &usize| scores.get(*at).map(|(id, _)| id.borrow());
    let by_id = |a: &usize, b: &usize| id(a).cmp(&id(b));
    match integer_keys(scores.iter().map(|(_, s)| *s)) {
        Some(keys) => ranked(keys, by_id),
        None => ranked(scores.iter().map(|(_, s)| *s).collect(), by_id),
    }
}

/// [`rank_positions`] for `scores` listed in employee order with no one
/// twice, as each role of a period is: ties are broken by place, which
/// orders as the ids do, and no id is read (at a million employees the ids'
/// comparisons were most of the ranking's time).
pub(crate) fn rank_in_id_order<I>(scores: &[(I, Decimal)]) -> Vec<(usize, usize)> {
    let by_place = |a: &usize, b: &usize| a.cmp(b);
    match integer_keys(scores.iter().map(|(_, s)| *s)) {
        Some(keys) => ranked(keys, by_place),
        None => ranked(scores.iter().map(|(_, s)| *s).collect(), by_place),
    }
}

/// Each position of `keys` with its competition rank, best (greatest key)
/// first, equal keys in the order of `tie` on their positions. The keys are
/// the scores themselves, or — when all fit — the scores as integers at
/// their greatest scale, which order as the decimals do at a fraction of a
/// decimal comparison's cost.
fn ranked<K: Ord + Copy + Send>(
    keys: Vec<K>,
    tie: impl Fn(&usize, &usize) -> Ordering + Sync,
) -> Vec<(usize, usize)> {
    let mut order: Vec<(K, usize)> = keys.into_iter().enumerate().map(|(at, key)| (key, at)).collect();
    let best_first = |(ka, a): &(K, usize), (kb, b): &(K, usize)| kb.cmp(ka).then_with(|| tie(a, b));
    // stable, so that an employee listed twice keeps the order given; with
    // the `parallel` feature on every core
    #[cfg(feature = "parallel")]
    rayon::slice::ParallelSliceMut::par_sort_by(order.as_mut_slice(), best_first);
    #[cfg(not(feature = "parallel"))]
    order.sort_by(best_first);
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(order.len());
    let mut previous: Option<(K, usize)> = None;
    for (i, (key, at)) in order.into_iter().enumerate() {
        let rank = match previous {
            Some((before, rank)) if before == key => rank,
            _ => i.saturating_add(1),
        };
        previous = Some((key, rank));
        out.push((at, rank));
    }
    out
}

/// The values as integers at their greatest scale (`1.5` and `2` at scale
/// 1 are 15 and 20), or `None` when one does not fit an `i128`.
fn integer_keys(values: impl Iterator<Item = Decimal> + Clone) -> Option<Vec<i128>> {
    let scale = values.clone().map(|v| v.scale()).max().unwrap_or(0);
    values
        .map(|v| pow10_i128(scale.saturating_sub(v.scale())).and_then(|p| v.mantissa().checked_mul(p)))
        .collect()
}

fn check_listed_once(scores: &[(EmployeeId, Decimal)]) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for (i, (employee, _)) in scores.iter().enumerate() {
        if !seen.insert(employee) {
            return Err(Error::invalid_input(format!("{employee} is listed twice"))
                .with_path(format!("scores[{i}].employee")));
        }
    }
    Ok(())
}

/// How a forced distribution treats equal scores at a quota boundary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// Equal scores stay together: a tie that straddles a boundary goes
    /// wholly to the better grade, and the later grades shrink by as many.
    /// Nobody gets a worse grade than someone with the same score.
    #[default]
    KeepTogether,
    /// Quotas are met exactly: among equal scores, the lower employee id
    /// (in text order) ranks first.
    ByEmployeeId,
}

/// One employee's calibrated grade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Who.
    pub employee: EmployeeId,
    /// Their score.
    pub score: Decimal,
    /// Their competition rank.
    pub rank: usize,
    /// The grade the distribution gives them.
    pub grade: GradeId,
}

/// The result of [`ForcedDistribution::apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    /// One placement per employee, best first.
    pub placements: Vec<Placement>,
    /// Per grade: the quota (headcount by the shares) and the headcount given.
    pub quotas: Vec<(GradeId, usize, usize)>,
    /// How the distribution was made.
    pub explanation: Explanation,
}

/// Forced distribution: grades by share of the team, best first
/// (e.g. top 20 % A, middle 70 % B, bottom 10 % C).
///
/// Headcounts per grade are the shares of the team size split by the
/// largest-remainder method, so they always add up to the team. Employees
/// are ordered by score (best first), then by employee id; see [`TieBreak`]
/// for equal scores at a boundary.
///
/// ```
/// use perfpay::{Decimal, EmployeeId};
/// use perfpay::id::GradeId;
/// use perfpay::score::{ForcedDistribution, TieBreak};
///
/// let g = |s: &str| GradeId::new(s).unwrap();
/// let curve = ForcedDistribution::new(
///     [(g("A"), Decimal::new(2, 1)), (g("B"), Decimal::new(7, 1)), (g("C"), Decimal::new(1, 1))],
///     TieBreak::KeepTogether,
/// )?;
/// let team: Vec<(EmployeeId, Decimal)> = (0..10)
///     .map(|i| (EmployeeId::new(format!("e{i}")).unwrap(), Decimal::from(100 - i * 5)))
///     .collect();
/// let d = curve.apply(&team)?;
/// let grades: Vec<&str> = d.placements.iter().map(|p| p.grade.as_str()).collect();
/// assert_eq!(grades, ["A", "A", "B", "B", "B", "B", "B", "B", "B", "C"]);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForcedDistribution {
    buckets: Vec<(GradeId, Decimal)>,
    tie_break: TieBreak,
}

impl ForcedDistribution {
    /// A distribution with `(grade, share)` buckets, best first.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem: no buckets, a negative share, a grade listed twice,
    /// shares not summing exactly to 1.
    pub fn new(
        buckets: impl IntoIterator<Item = (GradeId, Decimal)>,
        tie_break: TieBreak,
    ) -> Result<ForcedDistribution> {
        let buckets: Vec<(GradeId, Decimal)> = buckets.into_iter().collect();
        let mut problems = Vec::new();
        if buckets.is_empty() {
            problems.push(Problem::new(
                "buckets",
                "a forced distribution needs at least one grade",
            ));
        }
        for (i, (grade, share)) in buckets.iter().enumerate() {
            if share.is_sign_negative() && !share.is_zero() {
                problems.push(Problem::new(
                    format!("buckets[{i}].share"),
                    format!("share {share} is negative"),
                ));
            }
            if buckets.iter().take(i).any(|(g, _)| g == grade) {
                problems.push(Problem::new(
                    format!("buckets[{i}].grade"),
                    format!("grade {grade} is listed twice"),
                ));
            }
        }
        if let Ok(sum) = checked_sum(buckets.iter().map(|(_, s)| *s))
            && sum != Decimal::ONE
            && !buckets.is_empty()
        {
            problems.push(Problem::new(
                "buckets",
                format!("shares sum to {}, expected 1", sum.normalize()),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid forced distribution", problems));
        }
        Ok(ForcedDistribution { buckets, tie_break })
    }

    /// Places every employee of `scores` in a grade.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when an
    /// employee is listed twice.
    pub fn apply(&self, scores: &[(EmployeeId, Decimal)]) -> Result<Distribution> {
        let ranked = rank(scores)?;
        let n = ranked.len();
        let whole = RoundingPolicy::new(0, RoundingMode::TowardZero)?;
        let shares: Vec<Decimal> = self.buckets.iter().map(|(_, s)| *s).collect();
        let quotas: Vec<usize> = if n == 0 {
            vec![0; self.buckets.len()]
        } else {
            allocate(Decimal::from(n), &shares, whole)?
                .into_iter()
                .map(|q| usize::try_from(q.mantissa()).unwrap_or(0))
                .collect()
        };
        // walk the ranking, filling buckets in order
        let mut given = vec![0usize; self.buckets.len()];
        let mut placements = Vec::with_capacity(n);
        let mut bucket = 0usize;
        let mut filled = 0usize; // how many of the current bucket's quota are used
        for (i, r) in ranked.into_iter().enumerate() {
            let tied_with_previous =
                i > 0 && placements.last().is_some_and(|p: &Placement| p.score == r.score);
            let keep = self.tie_break == TieBreak::KeepTogether && tied_with_previous;
            let quota = |b: usize| quotas.get(b).copied().unwrap_or(usize::MAX);
            if !keep {
                while bucket.saturating_add(1) < self.buckets.len() && filled >= quota(bucket) {
                    filled = filled.saturating_sub(quota(bucket));
                    bucket = bucket.saturating_add(1);
                }
            }
            if let Some(count) = given.get_mut(bucket) {
                *count = count.saturating_add(1);
            }
            filled = filled.saturating_add(1);
            let (grade, _) = self
                .buckets
                .get(bucket)
                .ok_or_else(|| Error::invalid_input("a forced distribution needs at least one bucket"))?;
            placements.push(Placement {
                employee: r.employee,
                score: r.score,
                rank: r.rank,
                grade: grade.clone(),
            });
        }
        let mut explanation = Explanation::new(&msg::FORCED_DISTRIBUTION, Decimal::from(n), Unit::Count)
            .text(match self.tie_break {
                TieBreak::KeepTogether => &msg::RANKED_BY_SCORE_EQUAL_SCORES_KEPT_TOGETHER,
                TieBreak::ByEmployeeId => &msg::RANKED_BY_SCORE_THEN_EMPLOYEE_ID,
            });
        let mut summary = Vec::with_capacity(self.buckets.len());
        for ((grade, share), (&quota, &given)) in self.buckets.iter().zip(quotas.iter().zip(&given)) {
            explanation.push_child(
                Explanation::new(
                    msg::GRADE_NAMED.with([Term::text(grade)]),
                    Decimal::from(given),
                    Unit::Count,
                )
                .text(&msg::QUOTA)
                .value(Decimal::from(quota), Unit::Count)
                .text(&msg::EQUALS)
                .value(*share, Unit::Rate)
                .text(&msg::OF)
                .value(Decimal::from(n), Unit::Count),
            );
            summary.push((grade.clone(), quota, given));
        }
        Ok(Distribution {
            placements,
            quotas: summary,
            explanation,
        })
    }
}
