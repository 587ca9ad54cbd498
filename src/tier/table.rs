//! Tier tables: marginal, whole-amount and interpolated.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Label, NoExplanation, Recorder, Sink, Static, Term, Unit};
use crate::money::{DecimalExt, RoundingPolicy, pow10_i128};
use crate::text::msg;

/// How a [`TierTable`] turns an amount into a payout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// Each slice of the amount is paid at its own tier's rate (the way
    /// progressive tax brackets work). Continuous for rate tiers.
    Marginal,
    /// The whole amount is paid at the rate of the tier it reaches
    /// (retroactive, "whole-amount" or "lookup" tiers). Jumps at each bound.
    WholeAmount,
    /// The payout runs linearly between points `(x, y)`; flat before the
    /// first point and after the last.
    Interpolated,
}

impl fmt::Display for TierMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TierMode::Marginal => "marginal",
            TierMode::WholeAmount => "whole-amount",
            TierMode::Interpolated => "interpolated",
        })
    }
}

/// What a tier pays (as JSON, `{"rate": "0.03"}` or `{"fixed": "500"}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierPay {
    /// A rate: the slice (marginal) or the whole amount (whole-amount) times it.
    Rate(Decimal),
    /// A fixed amount: paid once when the tier is reached (marginal: added
    /// to what the lower tiers paid; whole-amount: the payout itself).
    Fixed(Decimal),
}

/// What a bounded table does with an amount above its last bound (the last
/// tier's `to`, or an interpolated table's last point).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Above {
    /// The amount counts up to the bound: what lies above earns nothing.
    EarnsNothing,
    /// An amount above the bound is an error: the table does not cover it.
    Error,
}

/// One tier: a lower bound (inclusive), an optional explicit upper bound
/// (exclusive; it must equal the next tier's lower bound), and what it pays.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::tier::{Tier, TierPay};
///
/// let t = Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)).until(Decimal::from(200_000));
/// assert_eq!(t.lower(), Decimal::from(100_000));
/// assert_eq!(t.upper(), Some(Decimal::from(200_000)));
/// assert_eq!(t.pay(), TierPay::Rate(Decimal::new(3, 2)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tier {
    lower: Decimal,
    upper: Option<Decimal>,
    pay: TierPay,
}

impl Tier {
    /// A tier from `lower` on, paying `rate`.
    pub fn rate(lower: Decimal, rate: Decimal) -> Tier {
        Tier {
            lower,
            upper: None,
            pay: TierPay::Rate(rate),
        }
    }

    /// A tier from `lower` on, paying the fixed `amount`.
    pub fn fixed(lower: Decimal, amount: Decimal) -> Tier {
        Tier {
            lower,
            upper: None,
            pay: TierPay::Fixed(amount),
        }
    }

    /// States the tier's upper bound (exclusive) explicitly, so the table
    /// can check it against the next tier: a gap or an overlap is an error.
    #[must_use]
    pub fn until(mut self, upper: Decimal) -> Tier {
        self.upper = Some(upper);
        self
    }

    /// The lower bound, inclusive.
    pub fn lower(&self) -> Decimal {
        self.lower
    }

    /// The explicit upper bound, exclusive, if one was stated.
    pub fn upper(&self) -> Option<Decimal> {
        self.upper
    }

    /// What the tier pays.
    pub fn pay(&self) -> TierPay {
        self.pay
    }
}

/// The result of evaluating a [`TierTable`]: the payout, the tier reached
/// and the explanation (an `R` when evaluated with another [`Recorder`]).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payout<R = Explanation> {
    /// The amount the table was applied to.
    pub amount: Decimal,
    /// What the table pays for it (capped, floored and rounded as declared).
    pub payout: Decimal,
    /// The index of the tier (or, for an interpolated table, of the segment's
    /// left point) the amount falls in.
    pub tier: usize,
    /// How the payout was made.
    pub explanation: R,
}

/// Where the next tier starts and what reaching it is worth; see
/// [`TierTable::next_tier`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextTier {
    /// The index of the next tier (or point).
    pub tier: usize,
    /// Its lower bound.
    pub boundary: Decimal,
    /// How much more is needed to reach it: `boundary − amount`.
    pub needed: Decimal,
    /// The payout now.
    pub payout_now: Decimal,
    /// The payout at the boundary.
    pub payout_at_boundary: Decimal,
    /// What one more unit of amount earns now: the current tier's rate, the
    /// slope of the current segment, or 0 once the cap is reached.
    pub marginal_rate: Decimal,
}

/// The payout now and after `extra` more; see [`TierTable::what_if`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WhatIf {
    /// The payout for the current amount.
    pub payout_now: Decimal,
    /// The payout for the amount plus the extra.
    pub payout_after: Decimal,
    /// `payout_after − payout_now`.
    pub difference: Decimal,
}

/// A validated tier table.
///
/// Lower bounds are inclusive: an amount exactly on a bound belongs to the
/// tier that starts there. The first tier starts at 0 and the last is
/// open-ended, so every non-negative amount falls in exactly one tier — no
/// gap silently pays 0 and no bound matches twice. Negative amounts are
/// errors unless the table declares refunds, in which case a negative
/// amount pays the mirror image, `−payout(|amount|)`.
///
/// Reference: PayrollEngine's lookup test (brackets 0 → 5 %, 10,000 → 10 %,
/// 20,000 → 15 %, 30,000 → 20 %, 40,000 → 25 %).
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::tier::{Tier, TierTable};
///
/// let brackets = [(0, 5), (10_000, 10), (20_000, 15), (30_000, 20), (40_000, 25)]
///     .map(|(from, pct)| Tier::rate(Decimal::from(from), Decimal::new(pct, 2)));
/// let whole = TierTable::whole_amount(brackets)?;
/// let marginal = TierTable::marginal(brackets)?;
/// let amount = Decimal::from(25_000);
/// assert_eq!(whole.compute(amount)?, Decimal::from(3_750));
/// assert_eq!(marginal.compute(amount)?, Decimal::from(2_250));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(try_from = "TierTableSpec", into = "TierTableSpec")]
pub struct TierTable {
    mode: TierMode,
    tiers: Vec<Tier>,
    points: Vec<(Decimal, Decimal)>,
    /// Marginal and whole-amount: each tier as a line
    /// `payout = base + (amount − lower) × rate`, precomputed so that
    /// evaluation is one lookup and three operations.
    lines: Vec<Line>,
    /// The lower bounds as integers at one scale, for fast exact lookup.
    keys: Keys,
    cap: Option<Decimal>,
    floor: Option<Decimal>,
    refunds: bool,
    rounding: Option<RoundingPolicy>,
    label: Label,
    /// The last bound and what an amount above it does, for a bounded table.
    top: Option<(Decimal, Above)>,
    /// Marginal or whole-amount, without cap, floor, rounding or bound: the
    /// payout is the line's value alone.
    plain: bool,
}

/// One tier of a marginal or whole-amount table as a line.
///
/// Besides the decimals, the line keeps their mantissas and scales, so the
/// usual evaluation is done in `i128` integers at the scales the decimal
/// arithmetic would use — the same digits and the same scale, without
/// rust_decimal's rescaling work. Whenever a step leaves the range where
/// decimal arithmetic is exact (96-bit mantissas, scale ≤ 28), the decimal
/// path computes instead, so results never depend on which path ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Line {
    lower: Decimal,
    rate: Decimal,
    base: Decimal,
    fast: Option<FastLine>,
}

/// A line's decimals as (mantissa, scale) pairs; only for non-negative rate
/// and base, so no signed zero can arise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FastLine {
    lower: (i128, u32),
    rate: (i128, u32),
    base: (i128, u32),
}

/// The largest mantissa a `Decimal` holds: 2^96 − 1.
const MAX_MANTISSA: i128 = (1 << 96) - 1;

/// `a` and `b` brought to the larger of their scales, both within a
/// decimal's mantissa.
#[inline(always)]
fn common_scale((a, sa): (i128, u32), (b, sb): (i128, u32)) -> Option<(i128, i128, u32)> {
    let (a, b, s) = if sa >= sb {
        (a, b.checked_mul(pow10_i128(sa.abs_diff(sb))?)?, sa)
    } else {
        (a.checked_mul(pow10_i128(sb.abs_diff(sa))?)?, b, sb)
    };
    (a.abs() <= MAX_MANTISSA && b.abs() <= MAX_MANTISSA).then_some((a, b, s))
}

impl Line {
    fn new(lower: Decimal, rate: Decimal, base: Decimal) -> Line {
        let parts = |d: Decimal| (d.mantissa(), d.scale());
        let fast =
            (!rate.is_sign_negative() && !base.is_sign_negative() && !lower.is_sign_negative()).then(|| {
                FastLine {
                    lower: parts(lower),
                    rate: parts(rate),
                    base: parts(base),
                }
            });
        Line {
            lower,
            rate,
            base,
            fast,
        }
    }

    /// `base + (amount − lower) × rate`, for a non-negative amount in this
    /// tier.
    #[inline(always)]
    fn payout(&self, amount: Decimal) -> Result<Decimal> {
        match self.fast.and_then(|f| f.payout(amount)) {
            Some(value) => Ok(value),
            None => self.payout_decimal(amount),
        }
    }

    fn payout_decimal(&self, amount: Decimal) -> Result<Decimal> {
        amount
            .checked_sub(self.lower)
            .and_then(|slice| slice.checked_mul(self.rate))
            .and_then(|part| part.checked_add(self.base))
            .ok_or_else(|| Error::overflow(format!("the payout for {amount} overflows")))
    }
}

impl FastLine {
    /// The line in integers, or `None` when a step would leave the range in
    /// which decimal arithmetic is exact (the caller then uses decimals).
    #[inline(always)]
    fn payout(&self, amount: Decimal) -> Option<Decimal> {
        if amount.is_sign_negative() {
            return None;
        }
        self.payout_parts(amount.mantissa(), amount.scale())
    }

    /// As [`payout`](Self::payout), for the amount `mantissa × 10^-scale`,
    /// `mantissa ≥ 0`.
    #[inline(always)]
    fn payout_parts(&self, mantissa: i128, scale: u32) -> Option<Decimal> {
        let slice = add_parts((mantissa, scale), (self.lower.0.checked_neg()?, self.lower.1))?;
        let product = mul_parts(slice, self.rate)?;
        let (sum, scale) = add_parts(product, self.base)?;
        Decimal::try_from_i128_with_scale(sum, scale).ok()
    }
}

/// `a + b` on (mantissa, scale) pairs as rust_decimal adds: a zero operand
/// leaves the other as it is (its scale included), otherwise both go to the
/// larger scale; `None` outside a decimal's mantissa.
#[inline(always)]
fn add_parts(a: (i128, u32), b: (i128, u32)) -> Option<(i128, u32)> {
    if a.0 == 0 {
        return Some(b);
    }
    if b.0 == 0 {
        return Some(a);
    }
    let (x, y, s) = common_scale(a, b)?;
    let sum = x.checked_add(y)?;
    (sum.abs() <= MAX_MANTISSA).then_some((sum, s))
}

/// `a × b` on (mantissa, scale) pairs as rust_decimal multiplies: a zero
/// operand gives zero at scale 0; `None` when the exact product leaves a
/// decimal's range (rust_decimal would round it).
#[inline(always)]
fn mul_parts(a: (i128, u32), b: (i128, u32)) -> Option<(i128, u32)> {
    if a.0 == 0 || b.0 == 0 {
        return Some((0, 0));
    }
    let scale = a.1.saturating_add(b.1);
    let product = a.0.checked_mul(b.0)?;
    (scale <= 28 && product.abs() <= MAX_MANTISSA).then_some((product, scale))
}

/// Lower bounds (or point x values) as integers `bound × 10^scale`, so that
/// finding an amount's tier compares integers instead of decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Keys {
    scale: u32,
    units: Vec<i128>,
}

impl Keys {
    fn new(bounds: impl Iterator<Item = Decimal> + Clone) -> Option<Keys> {
        // at least 8 decimal places, so that amounts in money scales are
        // brought to the keys by a multiplication, never a division
        let scale = bounds
            .clone()
            .map(|b| b.normalize().scale())
            .max()
            .unwrap_or(0)
            .max(8);
        let units = bounds
            .map(|b| {
                let b = b.normalize();
                10i128
                    .checked_pow(scale.checked_sub(b.scale())?)
                    .and_then(|p| b.mantissa().checked_mul(p))
            })
            .collect::<Option<Vec<i128>>>()?;
        Some(Keys { scale, units })
    }

    /// The number of bounds `≤ amount` for a non-negative amount, or `None`
    /// when the amount cannot be brought to the keys' scale.
    #[inline(always)]
    fn count_at_or_below(&self, amount: Decimal) -> Option<usize> {
        self.count_at_or_below_parts(amount.mantissa(), amount.scale())
    }

    /// As [`count_at_or_below`](Self::count_at_or_below) for the amount
    /// `m × 10^-s`.
    #[inline(always)]
    fn count_at_or_below_parts(&self, m: i128, s: u32) -> Option<usize> {
        // floor(amount × 10^scale): exact comparison with integer keys
        let key = if s <= self.scale {
            m.checked_mul(pow10_i128(self.scale.abs_diff(s))?)?
        } else {
            m.checked_div(pow10_i128(s.abs_diff(self.scale))?)?
        };
        Some(self.units.partition_point(|u| *u <= key))
    }
}

/// Builds a [`TierTable`], validating everything at once in
/// [`build`](TierTableBuilder::build).
///
/// ```
/// use perfpay::{Decimal, RoundingPolicy};
/// use perfpay::tier::{Tier, TierMode, TierTable};
///
/// let table = TierTable::builder(TierMode::Marginal)
///     .label("commission")
///     .tier(Tier::rate(Decimal::ZERO, Decimal::new(2, 2)))
///     .tier(Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)))
///     .cap(Decimal::from(10_000))
///     .rounding(RoundingPolicy::cents())
///     .build()?;
/// assert_eq!(table.compute(Decimal::from(150_000))?.to_string(), "3500.00");
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct TierTableBuilder {
    mode: TierMode,
    tiers: Vec<Tier>,
    points: Vec<(Decimal, Decimal)>,
    cap: Option<Decimal>,
    floor: Option<Decimal>,
    refunds: bool,
    rounding: Option<RoundingPolicy>,
    label: Label,
    above: Option<Above>,
    spans: Vec<(Decimal, Decimal, Decimal)>,
}

impl TierTableBuilder {
    /// Adds a tier (marginal and whole-amount tables).
    #[must_use]
    pub fn tier(mut self, tier: Tier) -> TierTableBuilder {
        self.tiers.push(tier);
        self
    }

    /// Adds several tiers.
    #[must_use]
    pub fn tiers(mut self, tiers: impl IntoIterator<Item = Tier>) -> TierTableBuilder {
        self.tiers.extend(tiers);
        self
    }

    /// Adds a point `(x, y)` (interpolated tables).
    #[must_use]
    pub fn point(mut self, x: Decimal, y: Decimal) -> TierTableBuilder {
        self.points.push((x, y));
        self
    }

    /// Adds several points.
    #[must_use]
    pub fn points(mut self, points: impl IntoIterator<Item = (Decimal, Decimal)>) -> TierTableBuilder {
        self.points.extend(points);
        self
    }

    /// Adds an interpolated tier as payout tables publish it: from `lower`
    /// to `upper`, paying `amount` in full once the amount reaches `upper`
    /// and in proportion within (the tiers below paid in full). Tiers must
    /// follow one another without gap or overlap; they become the points
    /// of the running payout.
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::tier::{Above, TierMode, TierTable};
    ///
    /// // Oracle's interpolated example: 0–1,000 pays 10, 1,000–3,000 pays 40,
    /// // 3,000–8,000 pays 100, 8,000–20,000 pays 2,000
    /// let d = Decimal::from;
    /// let table = TierTable::builder(TierMode::Interpolated)
    ///     .span(d(0), d(1_000), d(10))
    ///     .span(d(1_000), d(3_000), d(40))
    ///     .span(d(3_000), d(8_000), d(100))
    ///     .span(d(8_000), d(20_000), d(2_000))
    ///     .above(Above::EarnsNothing)
    ///     .build()?;
    /// // 10 + 40 + 1,500 / 5,000 × 100
    /// assert_eq!(table.compute(d(4_500))?, d(80));
    /// assert_eq!(table.points()[2], (d(3_000), d(50)));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    #[must_use]
    pub fn span(mut self, lower: Decimal, upper: Decimal, amount: Decimal) -> TierTableBuilder {
        self.spans.push((lower, upper, amount));
        self
    }

    /// Bounds the table at its last tier's `until` (or its last point) and
    /// says what an amount above does; without it the last tier is
    /// open-ended.
    #[must_use]
    pub fn above(mut self, above: Above) -> TierTableBuilder {
        self.above = Some(above);
        self
    }

    /// The most the table pays.
    #[must_use]
    pub fn cap(mut self, cap: Decimal) -> TierTableBuilder {
        self.cap = Some(cap);
        self
    }

    /// The least the table pays for a non-negative amount.
    #[must_use]
    pub fn floor(mut self, floor: Decimal) -> TierTableBuilder {
        self.floor = Some(floor);
        self
    }

    /// Declares refunds: negative amounts pay `−payout(|amount|)`, and
    /// negative rates and amounts become legal.
    #[must_use]
    pub fn refunds(mut self, refunds: bool) -> TierTableBuilder {
        self.refunds = refunds;
        self
    }

    /// Rounds every payout once, by `policy`.
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> TierTableBuilder {
        self.rounding = Some(policy);
        self
    }

    /// The label of the payout in explanations (default `payout`).
    #[must_use]
    pub fn label(mut self, label: impl Into<Cow<'static, str>>) -> TierTableBuilder {
        self.label = match label.into() {
            Cow::Borrowed(text) => Label::from(text),
            Cow::Owned(text) => Label::from(text),
        };
        self
    }

    /// The label as another table's: its message, or its shared text.
    pub(crate) fn label_as(mut self, label: &Label) -> TierTableBuilder {
        self.label = label.clone();
        self
    }

    /// Validates and builds the table.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem in [`Error::problems`], each with a path such as
    /// `tiers[2].from`: no tiers, a first tier not starting at 0, unsorted or
    /// negative bounds, a gap or overlap between stated bounds, a closed last
    /// tier, negative rates without refunds, a cap below the floor, fewer
    /// than two points or unsorted points for an interpolated table.
    pub fn build(mut self) -> Result<TierTable> {
        let mut problems = Vec::new();
        // spans with problems leave no points to check again
        let spans_fine = self.spans_to_points(&mut problems);
        match self.mode {
            TierMode::Marginal | TierMode::WholeAmount => self.check_tiers(&mut problems),
            TierMode::Interpolated if spans_fine => self.check_points(&mut problems),
            TierMode::Interpolated => {}
        }
        self.check_bounds(&mut problems);
        let base = if self.mode == TierMode::Marginal && problems.is_empty() {
            self.marginal_bases(&mut problems)
        } else {
            Vec::new()
        };
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid tier table", problems));
        }
        let mut tiers = self.tiers;
        // fill in implied upper bounds so every tier knows where it ends
        let lowers: Vec<Decimal> = tiers.iter().map(|t| t.lower).collect();
        for (tier, next) in tiers.iter_mut().zip(lowers.iter().skip(1)) {
            tier.upper = Some(*next);
        }
        let lines = lines(self.mode, &tiers, &base)?;
        let top = self.above.and_then(|above| {
            let bound = match self.mode {
                TierMode::Interpolated => self.points.last().map(|p| p.0),
                _ => tiers.last().and_then(|t| t.upper),
            };
            bound.map(|b| (b, above))
        });
        let keys = match self.mode {
            TierMode::Interpolated => Keys::new(self.points.iter().map(|p| p.0)),
            _ => Keys::new(tiers.iter().map(|t| t.lower)),
        }
        .unwrap_or(Keys {
            scale: 0,
            units: Vec::new(),
        });
        Ok(TierTable {
            mode: self.mode,
            tiers,
            points: self.points,
            lines,
            keys,
            cap: self.cap,
            floor: self.floor,
            refunds: self.refunds,
            rounding: self.rounding,
            label: self.label,
            top,
            plain: self.mode != TierMode::Interpolated
                && top.is_none()
                && self.cap.is_none()
                && self.floor.is_none()
                && self.rounding.is_none(),
        })
    }

    /// The tiers of a marginal or whole-amount table: from 0, sorted,
    /// without gaps or overlaps, the last open-ended, no negative rate or
    /// amount unless the table declares refunds. (Over 80 lines: one check
    /// per rule, each a few lines, kept together as the list of what a tier
    /// table must be.)
    fn check_tiers(&self, problems: &mut Vec<Problem>) {
        if !self.points.is_empty() {
            problems.push(Problem::new(
                "points",
                format!("a {} table has tiers, not points", self.mode),
            ));
        }
        if self.tiers.is_empty() {
            problems.push(Problem::new("tiers", "a table needs at least one tier"));
        }
        let last = self.tiers.len().saturating_sub(1);
        for (i, tier) in self.tiers.iter().enumerate() {
            if neg(&tier.lower) {
                problems.push(Problem::new(
                    format!("tiers[{i}].from"),
                    format!("bound {} is negative", tier.lower),
                ));
            } else if i == 0 && !tier.lower.is_zero() {
                problems.push(Problem::new(
                    "tiers[0].from",
                    format!(
                        "the first tier must start at 0, found {} (add a 0 % tier below it)",
                        tier.lower
                    ),
                ));
            }
            if let Some(before) = i.checked_sub(1)
                && let Some(previous) = self.tiers.get(before)
                && tier.lower <= previous.lower
            {
                problems.push(Problem::new(
                    format!("tiers[{i}].from"),
                    format!(
                        "{} is not above tier {before}'s lower bound {} (tiers must be sorted)",
                        tier.lower, previous.lower
                    ),
                ));
            }
            if let Some(upper) = tier.upper {
                if upper <= tier.lower {
                    problems.push(Problem::new(
                        format!("tiers[{i}].to"),
                        format!("{upper} is not above the tier's lower bound {}", tier.lower),
                    ));
                } else if let Some(next) = self.tiers.get(i.saturating_add(1)).map(|t| t.lower)
                    && i != last
                {
                    if let Some(message) = seam("tier", i, upper, next) {
                        problems.push(Problem::new(format!("tiers[{i}].to"), message));
                    }
                } else if self.above.is_none() {
                    problems.push(Problem::new(
                        format!("tiers[{i}].to"),
                        "the last tier ends here: say what an amount above it does \
                         (above: earns_nothing or error), or leave it open-ended \
                         (a cap limits the payout)",
                    ));
                }
            }
            if !self.refunds {
                match tier.pay {
                    TierPay::Rate(rate) if neg(&rate) => problems.push(Problem::new(
                        format!("tiers[{i}].rate"),
                        format!("rate {rate} is negative and the table does not declare refunds"),
                    )),
                    TierPay::Fixed(amount) if neg(&amount) => problems.push(Problem::new(
                        format!("tiers[{i}].fixed"),
                        format!("amount {amount} is negative and the table does not declare refunds"),
                    )),
                    _ => {}
                }
            }
        }
    }

    /// Spans (interpolated tiers with their amounts) as the points of the
    /// running payout: the first span's lower bound pays 0, each upper bound
    /// the amounts of the spans up to it. `false` when a span had a problem.
    fn spans_to_points(&mut self, problems: &mut Vec<Problem>) -> bool {
        let before = problems.len();
        if self.spans.is_empty() {
            return true;
        }
        if self.mode != TierMode::Interpolated {
            problems.push(Problem::new(
                "tiers",
                format!(
                    "a {} table has rates or fixed amounts, not tier amounts",
                    self.mode
                ),
            ));
            return false;
        }
        if !self.points.is_empty() {
            problems.push(Problem::new(
                "points",
                "give tiers with amounts or points, not both",
            ));
            return false;
        }
        let mut running = Decimal::ZERO;
        let mut points = Vec::with_capacity(self.spans.len().saturating_add(1));
        for (i, &(lower, upper, amount)) in self.spans.iter().enumerate() {
            match points.last() {
                None => points.push((lower, Decimal::ZERO)),
                Some(&(end, _)) => {
                    if let Some(message) = seam("tier", i.saturating_sub(1), end, lower) {
                        problems.push(Problem::new(format!("tiers[{i}].from"), message));
                    }
                }
            }
            if upper <= lower {
                problems.push(Problem::new(
                    format!("tiers[{i}].to"),
                    format!("{upper} is not above the tier's lower bound {lower}"),
                ));
            }
            match running.checked_add(amount) {
                Some(sum) => running = sum,
                None => {
                    problems.push(Problem::new(
                        format!("tiers[{i}].amount"),
                        "the payout accumulated up to this tier overflows",
                    ));
                    return false;
                }
            }
            points.push((upper, running));
        }
        self.points = points;
        self.spans.clear();
        problems.len() == before
    }

    /// The points of an interpolated table: at least two, sorted, none
    /// negative (y only with refunds).
    fn check_points(&self, problems: &mut Vec<Problem>) {
        if !self.tiers.is_empty() {
            problems.push(Problem::new(
                "tiers",
                "an interpolated table has points, not tiers",
            ));
        }
        if self.points.len() < 2 {
            problems.push(Problem::new(
                "points",
                "an interpolated table needs at least two points",
            ));
        }
        for (i, (x, y)) in self.points.iter().enumerate() {
            if neg(x) {
                problems.push(Problem::new(format!("points[{i}].x"), format!("{x} is negative")));
            }
            if let Some(before) = i.checked_sub(1)
                && let Some((previous, _)) = self.points.get(before)
                && x <= previous
            {
                problems.push(Problem::new(
                    format!("points[{i}].x"),
                    format!("{x} is not above point {before}'s x {previous} (points must be sorted)"),
                ));
            }
            if neg(y) && !self.refunds {
                problems.push(Problem::new(
                    format!("points[{i}].y"),
                    format!("{y} is negative and the table does not declare refunds"),
                ));
            }
        }
    }

    /// The cap and floor: not negative, on the rounding's grid, the cap not
    /// below the floor.
    fn check_bounds(&self, problems: &mut Vec<Problem>) {
        let bounded = match self.mode {
            TierMode::Interpolated => true,
            _ => self.tiers.last().is_some_and(|t| t.upper.is_some()),
        };
        if self.above.is_some() && !bounded {
            problems.push(Problem::new(
                "above",
                "says what an amount above the last tier does, but the last tier has no `to`",
            ));
        }
        for (name, value) in [("cap", self.cap), ("floor", self.floor)] {
            if let Some(value) = value {
                if neg(&value) {
                    problems.push(Problem::new(name, format!("{value} is negative")));
                }
                if let Some(policy) = self.rounding
                    && !policy.is_rounded(value)
                {
                    problems.push(Problem::new(
                        name,
                        format!("{value} has more than {} decimal places", policy.scale()),
                    ));
                }
            }
        }
        if let (Some(cap), Some(floor)) = (self.cap, self.floor)
            && cap < floor
        {
            problems.push(Problem::new("cap", format!("cap {cap} is below floor {floor}")));
        }
    }

    /// A marginal table's payout at each tier's lower bound (what the tiers
    /// below pay in full).
    fn marginal_bases(&self, problems: &mut Vec<Problem>) -> Vec<Decimal> {
        let mut base = Vec::new();
        let mut acc = Decimal::ZERO;
        for (i, tier) in self.tiers.iter().enumerate() {
            base.push(acc);
            if let Some(next) = self.tiers.get(i.saturating_add(1)) {
                let step = match tier.pay {
                    TierPay::Rate(rate) => next
                        .lower
                        .checked_sub(tier.lower)
                        .and_then(|w| w.checked_mul(rate)),
                    TierPay::Fixed(amount) => Some(amount),
                };
                match step.and_then(|s| acc.checked_add(s)) {
                    Some(sum) => acc = sum,
                    None => {
                        problems.push(Problem::new(
                            format!("tiers[{i}]"),
                            "the payout accumulated up to this tier overflows",
                        ));
                        break;
                    }
                }
            }
        }
        base
    }
}

/// Each tier's payout line, `payout = base + (x − lower) × rate`: a marginal
/// tier's base is what the tiers below pay (`base`, an entry per tier), a
/// whole-amount tier's is its bound at its rate; a fixed amount is a base
/// alone. An interpolated table has none.
fn lines(mode: TierMode, tiers: &[Tier], base: &[Decimal]) -> Result<Vec<Line>> {
    let mut lines = Vec::with_capacity(tiers.len());
    for (i, tier) in tiers.iter().enumerate() {
        let below = base.get(i).copied().unwrap_or(Decimal::ZERO);
        let line = match (mode, tier.pay) {
            (TierMode::Marginal, TierPay::Rate(rate)) => Some(Line::new(tier.lower, rate, below)),
            (TierMode::Marginal, TierPay::Fixed(fixed)) => below
                .checked_add(fixed)
                .map(|base| Line::new(tier.lower, Decimal::ZERO, base)),
            (TierMode::WholeAmount, TierPay::Rate(rate)) => tier
                .lower
                .checked_mul(rate)
                .map(|base| Line::new(tier.lower, rate, base)),
            (TierMode::WholeAmount, TierPay::Fixed(fixed)) => {
                Some(Line::new(tier.lower, Decimal::ZERO, fixed))
            }
            (TierMode::Interpolated, _) => None,
        };
        match line {
            Some(line) => lines.push(line),
            None => {
                return Err(Error::invalid_problems(
                    "invalid tier table",
                    vec![Problem::new(
                        format!("tiers[{i}]"),
                        "the payout at this tier's bound overflows",
                    )],
                ));
            }
        }
    }
    Ok(lines)
}

/// Where `what` `i` ends at `end` and the next one starts at `next`: `None`
/// when they meet, else the gap or the overlap, said the same way for
/// tiers and matrix bands.
pub(super) fn seam(what: &str, i: usize, end: Decimal, next: Decimal) -> Option<String> {
    let kind = match end.cmp(&next) {
        std::cmp::Ordering::Equal => return None,
        std::cmp::Ordering::Less => "gap",
        std::cmp::Ordering::Greater => "overlap",
    };
    let after = i.saturating_add(1);
    Some(format!(
        "{kind}: {what} {i} ends at {end} but {what} {after} starts at {next}"
    ))
}

/// A negative decimal (a zero with a sign is not).
fn neg(d: &Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

// `tiers`, `points` and `lines` are built together by the builder — the
// only way in, deserialization included — which refuses an empty table; a
// `tier` index comes from `tier_of`, below `tiers.len()` (or `points.len()`)
#[allow(clippy::indexing_slicing)] // indices valid by construction (above)
impl TierTable {
    /// A builder for a table in `mode`.
    pub fn builder(mode: TierMode) -> TierTableBuilder {
        TierTableBuilder {
            mode,
            tiers: Vec::new(),
            points: Vec::new(),
            cap: None,
            floor: None,
            refunds: false,
            rounding: None,
            label: Label::from(&msg::PAYOUT),
            above: None,
            spans: Vec::new(),
        }
    }

    /// A marginal table: each slice at its own tier's rate.
    ///
    /// # Errors
    ///
    /// As [`TierTableBuilder::build`].
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::tier::{Tier, TierTable};
    ///
    /// // the seed's rule, marginal reading: 2 % up to 100,000, 3 % above
    /// let table = TierTable::marginal([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
    ///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    /// ])?;
    /// assert_eq!(table.compute(Decimal::from(150_000))?, Decimal::from(3_500));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn marginal(tiers: impl IntoIterator<Item = Tier>) -> Result<TierTable> {
        TierTable::builder(TierMode::Marginal).tiers(tiers).build()
    }

    /// A whole-amount table: the whole amount at the rate of the tier reached.
    ///
    /// # Errors
    ///
    /// As [`TierTableBuilder::build`].
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::tier::{Tier, TierTable};
    ///
    /// // the seed's rule, whole-amount reading: 3 % on everything once above 100,000
    /// let table = TierTable::whole_amount([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
    ///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    /// ])?;
    /// assert_eq!(table.compute(Decimal::from(150_000))?, Decimal::from(4_500));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn whole_amount(tiers: impl IntoIterator<Item = Tier>) -> Result<TierTable> {
        TierTable::builder(TierMode::WholeAmount).tiers(tiers).build()
    }

    /// An interpolated table through `points` `(x, y)`.
    ///
    /// # Errors
    ///
    /// As [`TierTableBuilder::build`].
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy};
    /// use perfpay::tier::{TierMode, TierTable};
    ///
    /// let table = TierTable::builder(TierMode::Interpolated)
    ///     .points([(Decimal::ZERO, Decimal::ZERO), (Decimal::from(12_000), Decimal::from(1_000))])
    ///     .rounding(RoundingPolicy::cents())
    ///     .build()?;
    /// // 2,000 / 12,000 of 1,000 = 166.666… → 166.67, rounded once
    /// assert_eq!(table.compute(Decimal::from(2_000))?.to_string(), "166.67");
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn interpolated(points: impl IntoIterator<Item = (Decimal, Decimal)>) -> Result<TierTable> {
        TierTable::builder(TierMode::Interpolated).points(points).build()
    }

    /// The table's mode.
    pub fn mode(&self) -> TierMode {
        self.mode
    }

    /// The tiers, with implied upper bounds filled in (empty for an
    /// interpolated table).
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The points (empty unless interpolated).
    pub fn points(&self) -> &[(Decimal, Decimal)] {
        &self.points
    }

    /// The cap, if any.
    pub fn cap(&self) -> Option<Decimal> {
        self.cap
    }

    /// The floor, if any.
    pub fn floor(&self) -> Option<Decimal> {
        self.floor
    }

    /// Whether the table declares refunds.
    pub fn refunds(&self) -> bool {
        self.refunds
    }

    /// The rounding policy applied to payouts, if any.
    pub fn rounding(&self) -> Option<RoundingPolicy> {
        self.rounding
    }

    /// The label used in explanations.
    pub fn label(&self) -> &str {
        self.label.name()
    }

    /// The label as explanations write it: a message (`payout`, in the
    /// reader's words) or the plan's text.
    pub(crate) fn words(&self) -> &Label {
        &self.label
    }

    /// A bounded table's last bound and what an amount above it does.
    pub fn top(&self) -> Option<(Decimal, Above)> {
        self.top
    }

    /// The index of the tier (or segment) `amount` falls in; `amount ≥ 0`.
    #[inline(always)]
    pub(crate) fn locate(&self, amount: Decimal) -> usize {
        if !self.keys.units.is_empty()
            && let Some(count) = self.keys.count_at_or_below(amount)
        {
            return count.saturating_sub(1);
        }
        match self.mode {
            TierMode::Interpolated => self
                .points
                .partition_point(|(x, _)| *x <= amount)
                .saturating_sub(1),
            _ => self
                .lines
                .partition_point(|l| l.lower <= amount)
                .saturating_sub(1),
        }
    }

    #[inline]
    fn check_sign(&self, amount: Decimal) -> Result<bool> {
        let negative = amount.is_sign_negative() && !amount.is_zero();
        if negative && !self.refunds {
            return Err(Error::invalid_input(format!(
                "amount {amount} is negative and the table does not declare refunds"
            )));
        }
        Ok(negative)
    }

    /// The payout for a non-negative `amount` before cap and floor, rounded
    /// if the table says so (interpolation rounds its ratio exactly once).
    #[inline]
    fn raw_payout(&self, amount: Decimal, tier: usize) -> Result<Decimal> {
        let raw = match self.mode {
            TierMode::Marginal | TierMode::WholeAmount => self.lines[tier].payout(amount)?,
            TierMode::Interpolated => {
                let (x0, y0) = self.points[tier];
                let Some(&(x1, y1)) = self.points.get(tier.saturating_add(1)) else {
                    return Ok(self.round(y0));
                };
                if amount < x0 {
                    // below the first point: flat
                    return Ok(self.round(y0));
                }
                let dx = x1.try_sub(x0)?;
                let num = amount.try_sub(x0)?.try_mul(y1.try_sub(y0)?)?;
                return match self.rounding {
                    Some(policy) => policy.round_ratio(y0.try_mul(dx)?.try_add(num)?, dx),
                    None => y0.try_add(num.try_div(dx)?),
                };
            }
        };
        Ok(self.round(raw))
    }

    #[inline]
    fn round(&self, value: Decimal) -> Decimal {
        match self.rounding {
            Some(policy) => policy.round(value),
            None => value,
        }
    }

    #[inline]
    fn clamp(&self, value: Decimal) -> Decimal {
        let value = match self.floor {
            Some(floor) if value < floor => floor,
            _ => value,
        };
        match self.cap {
            Some(cap) if value > cap => cap,
            _ => value,
        }
    }

    /// The payout for `amount`: the number alone, for hot loops and
    /// what-ifs. [`evaluate`](Self::evaluate) is the same calculation with its
    /// explanation.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative amount when the table does not declare refunds;
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) on overflow.
    #[inline]
    pub fn compute(&self, amount: Decimal) -> Result<Decimal> {
        Ok(self.paid(amount, &mut Static::<NoExplanation>::new())?.0)
    }

    /// The payout for `amount` with the tier reached and an explanation.
    ///
    /// # Errors
    ///
    /// As [`compute`](Self::compute).
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy};
    /// use perfpay::tier::{Tier, TierTable};
    ///
    /// let table = TierTable::marginal([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(1, 2)),
    ///     Tier::rate(Decimal::from(50_000), Decimal::new(2, 2)),
    ///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    /// ])?;
    /// let out = table.evaluate(Decimal::from(165_000))?;
    /// assert_eq!(out.payout, Decimal::from(3_450));
    /// assert_eq!(out.tier, 2);
    /// assert_eq!(
    ///     out.explanation.statement(&RoundingPolicy::cents()),
    ///     "payout 3,450.00 = 50,000.00 × 1 % + 50,000.00 × 2 % + 65,000.00 × 3 %",
    /// );
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn evaluate(&self, amount: Decimal) -> Result<Payout> {
        self.evaluate_with::<Explanation>(amount)
    }

    /// [`evaluate`](Self::evaluate) with the step recorded by `R`: the one
    /// calculation behind [`compute`](Self::compute) and `evaluate`.
    ///
    /// # Errors
    ///
    /// As [`compute`](Self::compute).
    #[inline]
    pub fn evaluate_with<R: Recorder>(&self, amount: Decimal) -> Result<Payout<R>> {
        self.evaluate_in(amount, &mut Static::new())
    }

    /// [`evaluate_with`](Self::evaluate_with), its step written to `rec`.
    #[inline]
    pub(crate) fn evaluate_in<Q: Sink>(&self, amount: Decimal, rec: &mut Q) -> Result<Payout<Q::Step>> {
        let (payout, tier, explanation) = self.paid(amount, rec)?;
        Ok(Payout {
            amount,
            payout,
            tier,
            explanation,
        })
    }

    /// The one place a table pays: the payout for `amount`, the tier it
    /// falls in, and the step `R` records.
    #[inline]
    fn paid<Q: Sink>(&self, amount: Decimal, rec: &mut Q) -> Result<(Decimal, usize, Q::Step)> {
        // the hot path: a non-negative amount on a plain marginal or
        // whole-amount table, all in integers (see `FastLine`)
        if self.plain
            && let Some((tier, value)) = self.payout_integer(amount)
        {
            return Ok((value, tier, rec.try_record(|| self.explain(amount, tier, value))?));
        }
        let negative = self.check_sign(amount)?;
        let magnitude = amount.abs();
        let (counted, beyond) = self.counted(magnitude)?;
        let tier = self.locate(counted);
        let computed = self.raw_payout(counted, tier)?;
        let clamped = self.clamp(computed);
        let mut step = rec.try_record(|| self.explain(counted, tier, computed))?;
        if let Some(beyond) = beyond {
            let parent = rec.record(|| {
                Explanation::new(&self.label, computed, Unit::Money).terms_and_inputs(
                    [
                        Term::text(&msg::WHAT),
                        Term::value(counted, Unit::Money),
                        Term::text(&msg::PAYS_THE),
                        Term::value(beyond, Unit::Money),
                        Term::text(&msg::ABOVE_THE_TABLES_LAST_BOUND_EARNS_NOTHING),
                    ],
                    [(&msg::AMOUNT, magnitude, Unit::Money)],
                )
            });
            step = rec.child(parent, step);
        }
        if clamped != computed {
            let label = if Some(clamped) == self.cap {
                &msg::CAPPED_AT_BETWEEN
            } else {
                &msg::RAISED_TO_THE_FLOOR
            };
            let parent = rec.record(|| {
                Explanation::new(&self.label, clamped, Unit::Money).terms([
                    Term::value(computed, Unit::Money),
                    Term::text(label),
                    Term::value(clamped, Unit::Money),
                ])
            });
            step = rec.child(parent, step);
        }
        if !negative {
            return Ok((clamped, tier, step));
        }
        let refund = rec.record(|| {
            Explanation::new(&self.label, -clamped, Unit::Money).terms_and_inputs(
                [
                    Term::text(&msg::REFUND_OF),
                    Term::value(clamped, Unit::Money),
                    Term::text(&msg::FOR_A_NEGATIVE_AMOUNT),
                ],
                [(&msg::AMOUNT, amount, Unit::Money)],
            )
        });
        Ok((-clamped, tier, rec.child(refund, step)))
    }

    /// The part of a non-negative `amount` the table pays on, and the part
    /// above its last bound that earns nothing (a bounded table); an error
    /// when the table says an amount above its bound is one.
    #[inline]
    fn counted(&self, amount: Decimal) -> Result<(Decimal, Option<Decimal>)> {
        match self.top {
            Some((top, above)) if amount > top => match above {
                Above::EarnsNothing => Ok((top, Some(amount.try_sub(top)?))),
                Above::Error => Err(Error::invalid_input(format!(
                    "amount {amount} is above the last bound {top} of the {} table, which does not cover it",
                    self.label
                ))),
            },
            _ => Ok((amount, None)),
        }
    }

    /// [`compute`](Self::compute) on a plain table for a non-negative amount
    /// whose arithmetic stays exact in integers, with its tier; `None`
    /// otherwise.
    #[inline(always)]
    fn payout_integer(&self, amount: Decimal) -> Option<(usize, Decimal)> {
        let (m, s) = (amount.mantissa(), amount.scale());
        if m < 0 {
            return None;
        }
        let tier = self.keys.count_at_or_below_parts(m, s)?.checked_sub(1)?;
        Some((tier, self.lines.get(tier)?.fast?.payout_parts(m, s)?))
    }

    /// The explanation of `raw_payout` for a non-negative amount.
    /// (Over 80 lines: one arm per mode, each the formula of its mode.)
    fn explain(&self, amount: Decimal, tier: usize, value: Decimal) -> Result<Explanation> {
        let mut e = Explanation::new(&self.label, value, Unit::Money);
        match self.mode {
            TierMode::Marginal => {
                // each tier up to the amount's: its slice × its rate, or its
                // fixed amount for reaching it
                let slices = self.tiers.get(..=tier).unwrap_or_default().iter().map(|t| {
                    Ok(match t.pay {
                        TierPay::Rate(rate) => {
                            let top = t.upper.map_or(amount, |u| u.min(amount));
                            [
                                Term::value(top.try_sub(t.lower)?, Unit::Money),
                                Term::text(&msg::TIMES),
                                Term::value(rate, Unit::Rate),
                            ]
                        }
                        TierPay::Fixed(fixed) => [
                            Term::value(fixed, Unit::Money),
                            Term::text(&msg::FIXED_FOR_REACHING),
                            Term::value(t.lower, Unit::Money),
                        ],
                    })
                });
                e = e.try_joined(crate::text!(" + "), slices)?;
            }
            TierMode::WholeAmount => {
                let t = &self.tiers[tier];
                e = match t.pay {
                    TierPay::Rate(rate) => e.terms([
                        Term::value(amount, Unit::Money),
                        Term::text(&msg::TIMES),
                        Term::value(rate, Unit::Rate),
                        Term::text(&msg::TIER_FROM),
                        Term::value(t.lower, Unit::Money),
                        Term::text(&msg::CLOSE),
                    ]),
                    TierPay::Fixed(fixed) => e.terms([
                        Term::value(fixed, Unit::Money),
                        Term::text(&msg::FIXED),
                        Term::text(&msg::TIER_FROM),
                        Term::value(t.lower, Unit::Money),
                        Term::text(&msg::CLOSE),
                    ]),
                };
            }
            TierMode::Interpolated => {
                let (x0, y0) = self.points[tier];
                match self.points.get(tier.saturating_add(1)) {
                    Some(&(x1, y1)) if amount >= x0 => {
                        e = e.terms_and_inputs(
                            [
                                Term::value(y0, Unit::Money),
                                Term::text(&msg::PLUS_OPEN),
                                Term::value(amount, Unit::Number),
                                Term::text(&msg::MINUS),
                                Term::value(x0, Unit::Number),
                                Term::text(&msg::CLOSE_TIMES_OPEN),
                                Term::value(y1, Unit::Money),
                                Term::text(&msg::MINUS),
                                Term::value(y0, Unit::Money),
                                Term::text(&msg::CLOSE_OVER_OPEN),
                                Term::value(x1, Unit::Number),
                                Term::text(&msg::MINUS),
                                Term::value(x0, Unit::Number),
                                Term::text(&msg::CLOSE),
                            ],
                            [(&msg::AMOUNT, amount, Unit::Number)],
                        );
                    }
                    _ => {
                        e = e.terms_and_inputs(
                            [
                                Term::value(y0, Unit::Money),
                                Term::text(&msg::FLAT_OUTSIDE_THE_POINTS),
                            ],
                            [(&msg::AMOUNT, amount, Unit::Number)],
                        );
                    }
                }
            }
        }
        Ok(e)
    }

    /// The commission of a deal on top of what the period already reached:
    /// `payout(prior + deal) − payout(prior)`.
    ///
    /// In a marginal table this pays each slice the deal occupies at its own
    /// tier, so a deal crossing a bound is split across tiers, and the deals
    /// of a period always add up to the payout of the period's total. In a
    /// whole-amount table the difference also carries the retroactive uplift
    /// on the prior total when the deal lifts it into a higher tier.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative prior total or deal without refunds; overflow.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy};
    /// use perfpay::tier::{Tier, TierTable};
    ///
    /// let table = TierTable::marginal([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
    ///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    /// ])?;
    /// // 90,000 already sold; a 30,000 deal: 10,000 at 2 % + 20,000 at 3 %
    /// let deal = table.evaluate_carried(Decimal::from(90_000), Decimal::from(30_000))?;
    /// assert_eq!(deal.payout, Decimal::from(800));
    /// assert_eq!(
    ///     deal.explanation.statement(&RoundingPolicy::cents()),
    ///     "deal payout 800.00 = 10,000.00 × 2 % + 20,000.00 × 3 % (prior total = 90,000.00, deal = 30,000.00)",
    /// );
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn evaluate_carried(&self, prior: Decimal, deal: Decimal) -> Result<Payout> {
        self.evaluate_carried_with::<Explanation>(prior, deal)
    }

    /// [`evaluate_carried`](Self::evaluate_carried) with the step recorded
    /// by `R`.
    ///
    /// # Errors
    ///
    /// As [`evaluate_carried`](Self::evaluate_carried).
    pub fn evaluate_carried_with<R: Recorder>(&self, prior: Decimal, deal: Decimal) -> Result<Payout<R>> {
        self.evaluate_carried_in(prior, deal, &mut Static::new())
    }

    /// [`evaluate_carried_with`](Self::evaluate_carried_with), its steps
    /// written to `rec`.
    #[inline]
    pub(crate) fn evaluate_carried_in<Q: Sink>(
        &self,
        prior: Decimal,
        deal: Decimal,
        rec: &mut Q,
    ) -> Result<Payout<Q::Step>> {
        let (payout, tier, explanation) = self.carried(prior, deal, rec)?;
        Ok(Payout {
            amount: deal,
            payout,
            tier,
            explanation,
        })
    }

    /// The one place a deal is paid on top of a prior total: its payout,
    /// the tier the total reaches, and the step `R` records.
    fn carried<Q: Sink>(
        &self,
        prior: Decimal,
        deal: Decimal,
        rec: &mut Q,
    ) -> Result<(Decimal, usize, Q::Step)> {
        if !self.refunds {
            for (name, value) in [("prior total", prior), ("deal", deal)] {
                if value.is_sign_negative() && !value.is_zero() {
                    return Err(Error::invalid_input(format!(
                        "{name} {value} is negative and the table does not declare refunds"
                    )));
                }
            }
        }
        let total = prior.try_add(deal)?;
        let (paid_before, _, before) = self.paid(prior, rec)?;
        let (paid_after, tier, after) = self.paid(total, rec)?;
        let payout = paid_after.try_sub(paid_before)?;
        let step = rec.try_record(|| {
            let e = Explanation::new(&msg::DEAL_PAYOUT, payout, Unit::Money);
            let read = [
                (&msg::PRIOR_TOTAL, prior, Unit::Money),
                (&msg::DEAL, deal, Unit::Money),
            ];
            // Slices tell the whole story only where nothing but the tiers acts.
            let slices_explain = self.mode == TierMode::Marginal
                && self.cap.is_none()
                && self.floor.is_none()
                && self.rounding.is_none()
                && !prior.is_sign_negative()
                && !deal.is_sign_negative();
            if !slices_explain {
                return Ok(e.terms_and_inputs(
                    [
                        Term::value(paid_after, Unit::Money),
                        Term::text(&msg::ON_THE_TOTAL_MINUS),
                        Term::value(paid_before, Unit::Money),
                        Term::text(&msg::ON_THE_PRIOR_TOTAL),
                    ],
                    read,
                ));
            }
            let slices = self.tiers.iter().filter_map(|t| {
                let top = t.upper.map_or(total, |u| u.min(total));
                let bottom = t.lower.max(prior);
                let enters = t.lower > prior && t.lower <= total;
                match t.pay {
                    TierPay::Rate(rate) if top > bottom => Some(top.try_sub(bottom).map(|slice| {
                        [
                            Term::value(slice, Unit::Money),
                            Term::text(&msg::TIMES),
                            Term::value(rate, Unit::Rate),
                        ]
                    })),
                    TierPay::Fixed(fixed) if enters => Some(Ok([
                        Term::value(fixed, Unit::Money),
                        Term::text(&msg::FIXED_ON_REACHING),
                        Term::value(t.lower, Unit::Money),
                    ])),
                    _ => None,
                }
            });
            let e = e.try_joined(crate::text!(" + "), slices)?;
            let e = if e.formula().is_empty() {
                e.terms([Term::value(Decimal::ZERO, Unit::Money)])
            } else {
                e
            };
            Ok(e.terms_and_inputs([], read))
        })?;
        Ok((payout, tier, rec.children(step, [after, before])))
    }

    /// Where the next tier starts for `amount`, how much more it needs, and
    /// what reaching it pays; `None` in the last tier (or past the last point).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative amount; overflow.
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::tier::{Tier, TierTable};
    ///
    /// let table = TierTable::whole_amount([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
    ///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    /// ])?;
    /// let next = table.next_tier(Decimal::from(92_000))?.unwrap();
    /// assert_eq!(next.needed, Decimal::from(8_000));
    /// assert_eq!(next.payout_now, Decimal::from(1_840));
    /// assert_eq!(next.payout_at_boundary, Decimal::from(3_000));
    /// assert_eq!(next.marginal_rate, Decimal::new(2, 2));
    /// assert!(table.next_tier(Decimal::from(100_000))?.is_none());
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn next_tier(&self, amount: Decimal) -> Result<Option<NextTier>> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(Error::invalid_input(format!(
                "distance to the next tier needs a non-negative amount, found {amount}"
            )));
        }
        let tier = self.locate(amount);
        let boundary = match self.mode {
            TierMode::Interpolated => {
                if amount < self.points[0].0 {
                    Some((0, self.points[0].0))
                } else {
                    self.points
                        .get(tier.saturating_add(1))
                        .map(|p| (tier.saturating_add(1), p.0))
                }
            }
            _ => self
                .tiers
                .get(tier.saturating_add(1))
                .map(|t| (tier.saturating_add(1), t.lower)),
        };
        let Some((next, boundary)) = boundary else {
            return Ok(None);
        };
        let payout_now = self.compute(amount)?;
        let payout_at_boundary = self.compute(boundary)?;
        let capped = self.cap.is_some_and(|c| payout_now >= c);
        let marginal_rate = if capped {
            Decimal::ZERO
        } else {
            match self.mode {
                TierMode::Marginal | TierMode::WholeAmount => match self.tiers[tier].pay {
                    TierPay::Rate(rate) => rate,
                    TierPay::Fixed(_) => Decimal::ZERO,
                },
                TierMode::Interpolated if amount < self.points[0].0 => Decimal::ZERO,
                TierMode::Interpolated => {
                    let ((x0, y0), (x1, y1)) = (self.points[tier], self.points[next]);
                    y1.try_sub(y0)?.try_div(x1.try_sub(x0)?)?
                }
            }
        };
        Ok(Some(NextTier {
            tier: next,
            boundary,
            needed: boundary.try_sub(amount)?,
            payout_now,
            payout_at_boundary,
            marginal_rate,
        }))
    }

    /// The payout now and after `extra` more.
    ///
    /// # Errors
    ///
    /// As [`compute`](Self::compute).
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::tier::{Tier, TierTable};
    ///
    /// let table = TierTable::marginal([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
    ///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    /// ])?;
    /// let w = table.what_if(Decimal::from(95_000), Decimal::from(10_000))?;
    /// assert_eq!((w.payout_now, w.payout_after, w.difference),
    ///            (Decimal::from(1_900), Decimal::from(2_150), Decimal::from(250)));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn what_if(&self, amount: Decimal, extra: Decimal) -> Result<WhatIf> {
        let payout_now = self.compute(amount)?;
        let payout_after = self.compute(amount.try_add(extra)?)?;
        Ok(WhatIf {
            payout_now,
            payout_after,
            difference: payout_after.try_sub(payout_now)?,
        })
    }

    /// For a marginal table of rate tiers, the "quick deduction" of each
    /// tier: `payout = amount × rate − quick deduction` for any amount in it.
    /// `None` for other tables.
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::tier::{Tier, TierTable};
    ///
    /// // annual withholding brackets: 3 % to 36,000, 10 % to 144,000, 20 % above
    /// let table = TierTable::marginal([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(3, 2)),
    ///     Tier::rate(Decimal::from(36_000), Decimal::new(10, 2)),
    ///     Tier::rate(Decimal::from(144_000), Decimal::new(20, 2)),
    /// ])?;
    /// let qd = table.quick_deductions().unwrap();
    /// assert_eq!(qd, [Decimal::ZERO, Decimal::from(2_520), Decimal::from(16_920)]);
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn quick_deductions(&self) -> Option<Vec<Decimal>> {
        if self.mode != TierMode::Marginal {
            return None;
        }
        // a rate tier's line is `base + (amount − lower) × rate`, so the
        // quick deduction is `lower × rate − base`
        self.tiers
            .iter()
            .zip(&self.lines)
            .map(|(t, line)| match t.pay {
                TierPay::Rate(rate) => t.lower.checked_mul(rate).and_then(|v| v.checked_sub(line.base)),
                TierPay::Fixed(_) => None,
            })
            .collect()
    }
}

/// The written form of a [`TierTable`] (in a plan, or as JSON), not yet
/// validated: [`TierTable::try_from`] checks it and reports every problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierTableSpec {
    /// `marginal`, `whole_amount` or `interpolated`.
    pub mode: TierMode,
    /// Label of the payout in explanations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Tiers of a marginal or whole-amount table, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierSpec>,
    /// Points of an interpolated table, lowest x first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<PointSpec>,
    /// The most the table pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Decimal>,
    /// The least the table pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Decimal>,
    /// Whether negative amounts pay mirrored refunds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refunds: bool,
    /// Rounding applied once to each payout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<RoundingPolicy>,
    /// What an amount above the last tier's `to` (or the last point) does:
    /// `earns_nothing` or `error`. Required when the last tier has a `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<Above>,
}

/// One tier as written: exactly one of `rate` and `fixed` in a marginal or
/// whole-amount table; `to` and `amount` in an interpolated one (the tier
/// pays `amount` in full at its `to`, in proportion within).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// Lower bound, inclusive.
    pub from: Decimal,
    /// Upper bound, exclusive; when given it must equal the next tier's `from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Decimal>,
    /// Rate paid (a fraction: 0.03 is 3 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    /// Fixed amount paid on reaching the tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Decimal>,
    /// What an interpolated tier pays in full at its `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
}

/// One point of an interpolated table as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PointSpec {
    /// The amount.
    pub x: Decimal,
    /// The payout there.
    pub y: Decimal,
}

impl TryFrom<TierTableSpec> for TierTable {
    type Error = Error;

    fn try_from(doc: TierTableSpec) -> Result<TierTable> {
        let mut problems = Vec::new();
        let mut builder = TierTable::builder(doc.mode).refunds(doc.refunds);
        for (i, t) in doc.tiers.into_iter().enumerate() {
            if doc.mode == TierMode::Interpolated {
                match t.spanned(i, &mut problems) {
                    Some((to, amount)) => builder = builder.span(t.from, to, amount),
                    None => continue,
                }
                continue;
            }
            if t.amount.is_some() {
                problems.push(Problem::new(
                    format!("tiers[{i}].amount"),
                    format!(
                        "a {} tier pays a rate or a fixed amount, not an amount at its top",
                        doc.mode
                    ),
                ));
            }
            let tier = match (t.rate, t.fixed) {
                (Some(rate), None) => Tier::rate(t.from, rate),
                (None, Some(fixed)) => Tier::fixed(t.from, fixed),
                (Some(_), Some(_)) => {
                    problems.push(Problem::new(
                        format!("tiers[{i}]"),
                        "has both rate and fixed; give one",
                    ));
                    continue;
                }
                (None, None) => {
                    problems.push(Problem::new(
                        format!("tiers[{i}]"),
                        "needs a rate or a fixed amount",
                    ));
                    continue;
                }
            };
            builder = builder.tier(match t.to {
                Some(to) => tier.until(to),
                None => tier,
            });
        }
        if let Some(above) = doc.above {
            builder = builder.above(above);
        }
        builder = builder.points(doc.points.into_iter().map(|p| (p.x, p.y)));
        if let Some(cap) = doc.cap {
            builder = builder.cap(cap);
        }
        if let Some(floor) = doc.floor {
            builder = builder.floor(floor);
        }
        if let Some(policy) = doc.rounding {
            builder = builder.rounding(policy);
        }
        if let Some(label) = doc.label {
            builder = builder.label(label);
        }
        match builder.build() {
            Ok(table) if problems.is_empty() => Ok(table),
            Ok(_) => Err(Error::invalid_problems("invalid tier table", problems)),
            Err(err) => {
                problems.extend(err.problems().iter().cloned());
                Err(Error::invalid_problems("invalid tier table", problems))
            }
        }
    }
}

impl TierSpec {
    /// An interpolated tier's `to` and `amount`, or the problems that it
    /// lacks one or carries a rate or fixed amount.
    fn spanned(&self, i: usize, problems: &mut Vec<Problem>) -> Option<(Decimal, Decimal)> {
        if self.rate.is_some() || self.fixed.is_some() {
            problems.push(Problem::new(
                format!("tiers[{i}]"),
                "an interpolated tier pays an amount at its top (`to`, `amount`), not a rate or a fixed amount",
            ));
            return None;
        }
        match (self.to, self.amount) {
            (Some(to), Some(amount)) => Some((to, amount)),
            (to, amount) => {
                let missing = match (to, amount) {
                    (None, None) => "`to` and `amount`",
                    (None, _) => "`to`",
                    _ => "`amount`",
                };
                problems.push(Problem::new(
                    format!("tiers[{i}]"),
                    format!("an interpolated tier needs {missing}"),
                ));
                None
            }
        }
    }
}

impl From<TierTable> for TierTableSpec {
    fn from(table: TierTable) -> TierTableSpec {
        let last = table.tiers.len().saturating_sub(1);
        TierTableSpec {
            mode: table.mode,
            label: (table.label.name() != "payout").then(|| table.label.name().to_owned()),
            tiers: table
                .tiers
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let (rate, fixed) = match t.pay {
                        TierPay::Rate(r) => (Some(r), None),
                        TierPay::Fixed(f) => (None, Some(f)),
                    };
                    TierSpec {
                        from: t.lower,
                        to: if i == last && table.top.is_none() {
                            None
                        } else {
                            t.upper
                        },
                        rate,
                        fixed,
                        amount: None,
                    }
                })
                .collect(),
            points: table.points.iter().map(|&(x, y)| PointSpec { x, y }).collect(),
            cap: table.cap,
            floor: table.floor,
            refunds: table.refunds,
            rounding: table.rounding,
            above: table.top.map(|(_, above)| above),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::Line;

    fn decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            // zeros at any scale: rust_decimal leaves the other operand of a
            // zero as it is (a long run found the integer path did not)
            (0u32..=6).prop_map(|s| Decimal::new(0, s)),
            (0i64..10_000_000_000, 0u32..6).prop_map(|(m, s)| Decimal::new(m, s)),
            (0i128..(1i128 << 96), 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            // PROPTEST_CASES asks for a longer run
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2048),
        ))]

        /// The integer path and the decimal path give the same digits and the
        /// same scale, or the integer path declines.
        #[test]
        fn prop_integer_line_matches_decimal_line(
            lower in decimal(), slice in decimal(), rate in decimal(), base in decimal(),
        ) {
            let line = Line::new(lower, rate, base);
            let amount = match lower.checked_add(slice) {
                Some(a) => a,
                None => return Ok(()),
            };
            let fast = line.fast.and_then(|f| f.payout(amount));
            let slow = line.payout_decimal(amount);
            if let Some(fast) = fast {
                let slow = slow.expect("the decimal path succeeds where the integer path does");
                prop_assert_eq!(fast.to_string(), slow.to_string());
                prop_assert_eq!(fast.scale(), slow.scale());
            }
        }
    }

    #[test]
    fn the_integer_line_keeps_the_decimal_scale() {
        let line = Line::new(
            Decimal::new(100_000, 0),
            Decimal::new(3, 2),
            Decimal::new(150_000, 2),
        );
        let fast = line.fast.and_then(|f| f.payout(Decimal::new(12_345_678, 2)));
        assert_eq!(fast.map(|d| d.to_string()).as_deref(), Some("2203.7034"));
        // beyond 28 decimal places the integer path declines
        let fine = Line::new(Decimal::ZERO, Decimal::new(1, 28), Decimal::ZERO);
        assert_eq!(fine.fast.and_then(|f| f.payout(Decimal::new(1, 1))), None);
        // (the decimal path rounds 10^-29 away)
        assert_eq!(fine.payout(Decimal::new(1, 1)).ok(), Some(Decimal::ZERO));
    }
}
