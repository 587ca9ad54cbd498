//! Money helpers: currency, rounding policy, exact allocation, checked
//! arithmetic.
//!
//! Money, rates, weights and scores are [`Decimal`] throughout perfpay.
//! Rounding happens only where a [`RoundingPolicy`] is applied; every helper
//! here is exact otherwise, and overflow is an error, never a wrap or a panic.

use std::cmp::Ordering;
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// An ISO 4217 currency a plan pays in: its code and its minor units
/// (the decimal places its money has), which give a plan its default
/// rounding. Conversion between currencies is the host's; perfpay refuses
/// to add amounts of two currencies.
///
/// ```
/// use perfpay::money::Currency;
///
/// let yen = Currency::new("JPY")?;
/// assert_eq!((yen.code(), yen.minor_units()), ("JPY", 0));
/// assert_eq!(Currency::new("CNY")?.rounding().to_string(), "2 decimal places, half up");
/// assert_eq!(Currency::new("KWD")?.minor_units(), 3);
/// // gold has no minor unit: nobody is paid in it
/// assert!(Currency::new("XAU").is_err());
/// assert_eq!(Currency::new("RMB").unwrap_err().to_string(),
///            "RMB is not an ISO 4217 currency code (did you mean CNY? the yuan is CNY)");
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: iso_currency::Currency,
    minor_units: u8,
}

impl Currency {
    /// The currency of `code` (`CNY`, `EUR`, `JPY`, …).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// code not in ISO 4217, or one without minor units (gold, special
    /// drawing rights, the testing code `XXX`).
    pub fn new(code: &str) -> Result<Currency> {
        let Some(found) = iso_currency::Currency::from_code(code) else {
            // the names people write for the yuan
            let yuan = ["RMB", "yuan", "renminbi", "元", "人民币"];
            let hint = if yuan.iter().any(|y| code.eq_ignore_ascii_case(y)) {
                " (did you mean CNY? the yuan is CNY)".to_owned()
            } else {
                match iso_currency::Currency::from_code(&code.to_ascii_uppercase()) {
                    Some(upper) => format!(" (did you mean {}?)", upper.code()),
                    None => String::new(),
                }
            };
            return Err(Error::invalid_input(format!(
                "{code} is not an ISO 4217 currency code{hint}"
            )));
        };
        let minor_units = found
            .exponent()
            .and_then(|e| u8::try_from(e).ok())
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "{code} ({}) has no minor unit: it is not a currency pay is made in",
                    found.name()
                ))
            })?;
        Ok(Currency {
            code: found,
            minor_units,
        })
    }

    /// The three-letter code.
    pub fn code(&self) -> &'static str {
        self.code.code()
    }

    /// The decimal places of its money: 2 for CNY, 0 for JPY, 3 for KWD.
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// Its minor units, half up: a plan's rounding when it names none.
    pub fn rounding(&self) -> RoundingPolicy {
        RoundingPolicy {
            scale: self.minor_units(),
            mode: RoundingMode::HalfUp,
        }
    }

    /// `Ok` when `other` is the same currency; else an error naming both
    /// and `what` was being summed.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data): two currencies in one
    /// sum.
    pub fn same_as(&self, other: Currency, what: &str) -> Result<()> {
        if *self == other {
            return Ok(());
        }
        Err(Error::data(format!(
            "{what} would add {} to {}: perfpay does not mix currencies (converting is the host's)",
            other.code(),
            self.code()
        )))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Currency {
    type Err = Error;
    fn from_str(code: &str) -> Result<Currency> {
        Currency::new(code)
    }
}

impl TryFrom<String> for Currency {
    type Error = Error;
    fn try_from(code: String) -> Result<Currency> {
        Currency::new(&code)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.code().to_owned()
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An ISO 4217 currency code with minor units, such as CNY",
            "pattern": "^[A-Z]{3}$"
        })
    }
}

/// How a value is brought to a [`RoundingPolicy`]'s scale.
///
/// "Half" modes decide only exact midpoints; the others decide every value
/// that is not already on the grid. Negative amounts (clawbacks, refunds)
/// round symmetrically in the half modes and in `TowardZero`/`AwayFromZero`;
/// `Floor` and `Ceiling` follow the number line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Midpoints away from zero (commercial rounding): 2.345 → 2.35, −2.345 → −2.35.
    HalfUp,
    /// Midpoints to the even neighbour (banker's rounding): 2.345 → 2.34, 2.355 → 2.36.
    HalfEven,
    /// Midpoints toward zero: 2.345 → 2.34.
    HalfDown,
    /// Truncate toward zero ("round down"): 2.349 → 2.34, −2.349 → −2.34.
    #[serde(alias = "down")]
    TowardZero,
    /// Away from zero ("round up"): 2.341 → 2.35, −2.341 → −2.35.
    #[serde(alias = "up")]
    AwayFromZero,
    /// Toward negative infinity: −2.341 → −2.35.
    Floor,
    /// Toward positive infinity: −2.349 → −2.34.
    Ceiling,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::HalfDown => RoundingStrategy::MidpointTowardZero,
            RoundingMode::TowardZero => RoundingStrategy::ToZero,
            RoundingMode::AwayFromZero => RoundingStrategy::AwayFromZero,
            RoundingMode::Floor => RoundingStrategy::ToNegativeInfinity,
            RoundingMode::Ceiling => RoundingStrategy::ToPositiveInfinity,
        }
    }

    /// The magnitude `q + r/c` (with `0 ≤ r < c`) of the given sign,
    /// rounded to a whole number in this mode; `None` past `u128`.
    #[inline]
    fn rounded(self, negative: bool, q: u128, r: u128, c: u128) -> Option<u128> {
        if r != 0 && self.rounds_away(negative, q, r, c) {
            q.checked_add(1)
        } else {
            Some(q)
        }
    }

    /// Whether a magnitude `q + r/c` (with `0 < r < c`) of the given sign
    /// rounds away from zero to `q + 1`.
    fn rounds_away(self, negative: bool, q: u128, r: u128, c: u128) -> bool {
        let rest = c.saturating_sub(r); // r < c: the exact difference
        match self {
            RoundingMode::HalfUp => r >= rest,
            RoundingMode::HalfDown => r > rest,
            RoundingMode::HalfEven => r > rest || (r == rest && q % 2 == 1),
            RoundingMode::TowardZero => false,
            RoundingMode::AwayFromZero => true,
            RoundingMode::Floor => negative,
            RoundingMode::Ceiling => !negative,
        }
    }
}

impl fmt::Display for RoundingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RoundingMode::HalfUp => "half up",
            RoundingMode::HalfEven => "half even",
            RoundingMode::HalfDown => "half down",
            RoundingMode::TowardZero => "toward zero",
            RoundingMode::AwayFromZero => "away from zero",
            RoundingMode::Floor => "floor",
            RoundingMode::Ceiling => "ceiling",
        })
    }
}

/// A scale (decimal places) and a [`RoundingMode`], applied at defined points
/// only: each payslip line, each allocated share, each prorated segment.
///
/// ```
/// use perfpay::{Decimal, RoundingPolicy};
/// use perfpay::money::RoundingMode;
///
/// let cents = RoundingPolicy::new(2, RoundingMode::HalfEven)?;
/// assert_eq!(cents.round("2.345".parse()?), "2.34".parse::<Decimal>()?);
/// assert_eq!(cents.round("2.355".parse()?), "2.36".parse::<Decimal>()?);
/// // rounded values carry exactly the policy's scale
/// assert_eq!(cents.round(Decimal::from(5)).to_string(), "5.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(try_from = "RawRoundingPolicy", deny_unknown_fields)]
pub struct RoundingPolicy {
    scale: u32,
    mode: RoundingMode,
}

/// The serialized form of a [`RoundingPolicy`], validated on the way in.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawRoundingPolicy {
    /// Decimal places kept, 0 to 28.
    scale: u32,
    /// How values between grid points are decided.
    mode: RoundingMode,
}

impl TryFrom<RawRoundingPolicy> for RoundingPolicy {
    type Error = Error;
    fn try_from(raw: RawRoundingPolicy) -> Result<RoundingPolicy> {
        RoundingPolicy::new(raw.scale, raw.mode)
    }
}

impl Default for RoundingPolicy {
    /// Cents, half up: [`RoundingPolicy::cents`].
    fn default() -> RoundingPolicy {
        RoundingPolicy::cents()
    }
}

impl fmt::Display for RoundingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} decimal places, {}", self.scale, self.mode)
    }
}

impl RoundingPolicy {
    /// A policy keeping `scale` decimal places, deciding by `mode`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `scale`
    /// exceeds 28, the most a [`Decimal`] holds.
    ///
    /// ```
    /// use perfpay::{ErrorKind, RoundingPolicy};
    /// use perfpay::money::RoundingMode;
    ///
    /// let err = RoundingPolicy::new(29, RoundingMode::HalfUp).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert_eq!(err.to_string(), "rounding scale 29 exceeds the maximum of 28");
    /// ```
    pub fn new(scale: u32, mode: RoundingMode) -> Result<RoundingPolicy> {
        if scale > Decimal::MAX_SCALE {
            return Err(Error::invalid_input(format!(
                "rounding scale {scale} exceeds the maximum of {}",
                Decimal::MAX_SCALE
            )));
        }
        Ok(RoundingPolicy { scale, mode })
    }

    /// Two decimal places, half up: the usual policy for money.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy};
    ///
    /// assert_eq!(RoundingPolicy::cents().round("0.125".parse()?).to_string(), "0.13");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn cents() -> RoundingPolicy {
        RoundingPolicy {
            scale: 2,
            mode: RoundingMode::HalfUp,
        }
    }

    /// Decimal places kept.
    pub const fn scale(&self) -> u32 {
        self.scale
    }

    /// How values between grid points are decided.
    pub const fn mode(&self) -> RoundingMode {
        self.mode
    }

    /// The smallest amount this policy can express: 10<sup>−scale</sup>.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy};
    ///
    /// assert_eq!(RoundingPolicy::cents().unit(), Decimal::new(1, 2));
    /// ```
    pub fn unit(&self) -> Decimal {
        Decimal::new(1, self.scale)
    }

    /// Rounds `value` to the policy's scale and mode.
    ///
    /// The result carries exactly [`scale`](Self::scale) decimal places (so
    /// `5` becomes `5.00`), except for values with so many integer digits that
    /// a `Decimal` cannot show the trailing zeros; their value is unchanged.
    /// Rounding an already rounded value returns it unchanged.
    pub fn round(&self, value: Decimal) -> Decimal {
        if value.scale() == self.scale {
            // already on the grid, at the policy's scale
            return value;
        }
        if let Some(rounded) = self.round_in_integers(value) {
            return rounded;
        }
        let mut rounded = value.round_dp_with_strategy(self.scale, self.mode.strategy());
        if rounded.scale() < self.scale {
            rounded.rescale(self.scale);
        }
        rounded
    }

    /// [`round`](Self::round) of a value with more places than the policy,
    /// as the mantissa divided by a power of ten (rust_decimal's rounding
    /// is an out-of-line call of a hundred instructions, and a payslip
    /// rounds every line). `None` leaves it to rust_decimal: fewer places
    /// than the policy, or a result that is zero with a negative sign.
    #[inline]
    fn round_in_integers(&self, value: Decimal) -> Option<Decimal> {
        let places = value.scale().checked_sub(self.scale).filter(|p| *p > 0)?;
        let c = u128::try_from(pow10_i128(places)?).ok()?;
        let negative = value.is_sign_negative();
        let magnitude = mantissa_abs(value);
        let (q, r) = (magnitude.checked_div(c)?, magnitude.checked_rem(c)?);
        let q = self.mode.rounded(negative, q, r, c)?;
        if q == 0 && negative {
            return None;
        }
        units_to_decimal(q, negative, self.scale)
    }

    /// Whether `value` already lies on this policy's grid.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy};
    ///
    /// assert!(RoundingPolicy::cents().is_rounded("12.300".parse()?));
    /// assert!(!RoundingPolicy::cents().is_rounded("12.305".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_rounded(&self, value: Decimal) -> bool {
        value.normalize().scale() <= self.scale
    }

    /// `numerator ÷ denominator`, rounded once and exactly by this policy.
    ///
    /// Unlike `policy.round(a / b)`, this never rounds twice: `Decimal`
    /// division keeps 28 significant digits, which can move a value across a
    /// midpoint before the policy sees it. Use this wherever an amount is a
    /// fraction such as 2,000 / 12,000 of something.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DivisionByZero`](crate::ErrorKind::DivisionByZero) for a zero
    /// denominator; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when the
    /// quotient does not fit a `Decimal` at this scale.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy};
    /// use perfpay::money::RoundingMode;
    ///
    /// let cents = RoundingPolicy::cents();
    /// // 10,000.00 × 2 / 3 days = 6,666.666…
    /// assert_eq!(
    ///     cents.round_ratio(Decimal::from(20_000), Decimal::from(3))?.to_string(),
    ///     "6666.67",
    /// );
    /// // an exact midpoint, decided by the mode
    /// let even = RoundingPolicy::new(0, RoundingMode::HalfEven)?;
    /// assert_eq!(even.round_ratio(Decimal::from(5), Decimal::from(2))?, Decimal::from(2));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn round_ratio(&self, numerator: Decimal, denominator: Decimal) -> Result<Decimal> {
        if denominator.is_zero() {
            return Err(Error::division_by_zero(format!("{numerator} divided by zero")));
        }
        let negative = numerator.is_sign_negative() != denominator.is_sign_negative() && !numerator.is_zero();
        let overflow = || {
            Error::overflow(format!(
                "{numerator} / {denominator} does not fit a decimal at scale {}",
                self.scale
            ))
        };
        let n = mantissa_abs(numerator);
        let d = mantissa_abs(denominator);
        // value = n·10^-ns / (d·10^-ds); units at scale p = n·10^(ds+p-ns) / d
        // scales are 0 to 28: no overflow
        let exp = i64::from(denominator.scale())
            .saturating_add(i64::from(self.scale))
            .saturating_sub(i64::from(numerator.scale()));
        let (b, c) = if exp >= 0 {
            (pow10(exp).ok_or_else(overflow)?, d)
        } else {
            let scaled = pow10(exp.saturating_neg())
                .and_then(|p| d.checked_mul(p))
                .ok_or_else(overflow)?;
            (1, scaled)
        };
        let (q, r) = wide::mul_div_rem(n, b, c).ok_or_else(overflow)?;
        let q = self.mode.rounded(negative, q, r, c).ok_or_else(overflow)?;
        units_to_decimal(q, negative, self.scale).ok_or_else(overflow)
    }
}

/// A decimal as its mantissa and scale: hot paths read a value once into
/// registers and compare it with several thresholds, rather than copying
/// the 16-byte `Decimal` through memory for each comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parts {
    pub(crate) mantissa: i128,
    pub(crate) scale: u32,
}

impl Parts {
    #[inline(always)]
    pub(crate) fn of(d: Decimal) -> Parts {
        Parts {
            mantissa: d.mantissa(),
            scale: d.scale(),
        }
    }

    /// Back to the decimal (exact: the parts came from one).
    #[inline(always)]
    pub(crate) fn decimal(self) -> Decimal {
        Decimal::try_from_i128_with_scale(self.mantissa, self.scale).unwrap_or_default()
    }
}

/// `a.cmp(&b)` for `a` given as parts, inlined: equal scales compare
/// mantissas, other scales compare one mantissa multiplied up (hot loops
/// compare one value with thresholds, and rust_decimal's comparison is an
/// out-of-line call). Same answer as `Ord` in every case.
#[inline(always)]
pub(crate) fn cmp_parts(a: Parts, b: Decimal) -> std::cmp::Ordering {
    let (ma, sa) = (a.mantissa, a.scale);
    let (mb, sb) = (b.mantissa(), b.scale());
    if sa == sb {
        return ma.cmp(&mb);
    }
    let rescaled = if sa < sb {
        pow10_i128(sb.abs_diff(sa))
            .and_then(|p| ma.checked_mul(p))
            .map(|ma| ma.cmp(&mb))
    } else {
        pow10_i128(sa.abs_diff(sb))
            .and_then(|p| mb.checked_mul(p))
            .map(|mb| ma.cmp(&mb))
    };
    rescaled.unwrap_or_else(|| a.decimal().cmp(&b))
}

/// `x.max(floor)`, inlined: `x` when the two are equal, as rust_decimal's
/// `max` (whose comparison is an out-of-line call).
#[inline(always)]
pub(crate) fn at_least(x: Decimal, floor: Decimal) -> Decimal {
    if cmp_parts(Parts::of(x), floor).is_lt() {
        floor
    } else {
        x
    }
}

/// `x.min(cap)`, inlined: `x` when the two are equal, as rust_decimal's
/// `min`.
#[inline(always)]
pub(crate) fn at_most(x: Decimal, cap: Decimal) -> Decimal {
    if cmp_parts(Parts::of(x), cap).is_gt() {
        cap
    } else {
        x
    }
}

/// 10^exp for the scales a `Decimal` has (0 to 28).
#[inline(always)]
pub(crate) fn pow10_i128(exp: u32) -> Option<i128> {
    POW10.get(exp as usize).copied()
}

// evaluated at compile time: a bad index or an overflow is a build error
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const POW10: [i128; 29] = {
    let mut table = [1i128; 29];
    let mut i = 1;
    while i < 29 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

#[inline]
fn mantissa_abs(value: Decimal) -> u128 {
    value.mantissa().unsigned_abs()
}

fn pow10(exp: i64) -> Option<u128> {
    let exp = u32::try_from(exp).ok()?;
    10u128.checked_pow(exp)
}

#[inline]
fn units_to_decimal(units: u128, negative: bool, scale: u32) -> Option<Decimal> {
    let signed = i128::try_from(units).ok()?;
    let signed = if negative { signed.checked_neg()? } else { signed };
    Decimal::try_from_i128_with_scale(signed, scale).ok()
}

/// Splits `total` into parts proportional to `weights`, exactly.
///
/// Each part is the exact share rounded down to the policy's grid, and the
/// units left over go one each to the parts with the largest remainders
/// (the largest-remainder, or Hamilton, method). Ties between equal remainders
/// go to the earlier index, so the result is deterministic. Hence:
///
/// - the parts always sum to `total`;
/// - every part is within one grid unit of its exact share;
/// - a zero weight gets zero;
/// - for a non-negative total no part is negative. A negative total (a
///   clawback) is split as its magnitude, then negated.
///
/// The policy's scale sets the grid; its mode is not used, since the
/// remainder rule, not rounding, decides who gets the leftover units.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `weights`
/// is empty, a weight is negative, all weights are zero, or `total` has more
/// decimal places than the policy keeps; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow)
/// when the weights span too many orders of magnitude to be compared exactly.
///
/// ```
/// use perfpay::{Decimal, RoundingPolicy};
/// use perfpay::money::allocate;
///
/// // 100.00 in three equal parts
/// let parts = allocate(Decimal::ONE_HUNDRED, &[Decimal::ONE; 3], RoundingPolicy::cents())?;
/// assert_eq!(parts, ["33.34", "33.33", "33.33"].map(|s| s.parse::<Decimal>().unwrap()));
///
/// // a bonus pool of 10,000.00 by score 95 / 88 / 72
/// let scores = [95, 88, 72].map(Decimal::from);
/// let parts = allocate(Decimal::from(10_000), &scores, RoundingPolicy::cents())?;
/// assert_eq!(parts, ["3725.49", "3450.98", "2823.53"].map(|s| s.parse::<Decimal>().unwrap()));
/// assert_eq!(parts.iter().sum::<Decimal>(), Decimal::from(10_000));
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn allocate(total: Decimal, weights: &[Decimal], policy: RoundingPolicy) -> Result<Vec<Decimal>> {
    if weights.is_empty() {
        return Err(Error::invalid_input("allocation needs at least one weight"));
    }
    if let Some((index, weight)) = weights
        .iter()
        .enumerate()
        .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
    {
        return Err(Error::invalid_input(format!(
            "allocation weight at index {index} is negative ({weight})"
        )));
    }
    if weights.iter().all(Decimal::is_zero) {
        return Err(Error::invalid_input("allocation weights are all zero"));
    }
    if !policy.is_rounded(total) {
        return Err(Error::invalid_input(format!(
            "allocation total {total} has more than {} decimal places",
            policy.scale()
        )));
    }
    let overflow = || Error::overflow(format!("allocating {total} overflows"));
    let negative = total.is_sign_negative() && !total.is_zero();
    let total_norm = total.normalize();
    let units = pow10(i64::from(policy.scale()).saturating_sub(i64::from(total_norm.scale())))
        .and_then(|p| mantissa_abs(total_norm).checked_mul(p))
        .ok_or_else(overflow)?;

    // Bring all weights to one integer scale so shares compare exactly.
    let max_scale = weights.iter().map(|w| w.normalize().scale()).max().unwrap_or(0);
    let mut ints = Vec::with_capacity(weights.len());
    let mut sum: u128 = 0;
    for weight in weights {
        let w = weight.normalize();
        let int = pow10(i64::from(max_scale.saturating_sub(w.scale())))
            .and_then(|p| mantissa_abs(w).checked_mul(p))
            .ok_or_else(|| {
                Error::overflow("allocation weights span too many orders of magnitude to split exactly")
            })?;
        sum = sum.checked_add(int).ok_or_else(overflow)?;
        ints.push(int);
    }

    let mut floors = Vec::with_capacity(ints.len());
    let mut remainders = Vec::with_capacity(ints.len());
    let mut assigned: u128 = 0;
    for &w in &ints {
        let (q, r) = wide::mul_div_rem(units, w, sum).ok_or_else(overflow)?;
        assigned = assigned.checked_add(q).ok_or_else(overflow)?; // Σ floor(units·wᵢ/Σw) ≤ units
        floors.push(q);
        remainders.push(r);
    }
    let leftover = units.checked_sub(assigned).ok_or_else(overflow)?;
    if leftover > 0 {
        let mut order: Vec<(usize, u128)> = remainders.iter().copied().enumerate().collect();
        order.sort_by(|(a, ra), (b, rb)| match rb.cmp(ra) {
            Ordering::Equal => a.cmp(b),
            other => other,
        });
        // leftover < number of parts with a non-zero remainder, so a zero
        // weight (remainder 0) never receives a unit
        for &(i, _) in order
            .iter()
            .take(usize::try_from(leftover).map_err(|_| overflow())?)
        {
            if let Some(floor) = floors.get_mut(i) {
                *floor = floor.checked_add(1).ok_or_else(overflow)?;
            }
        }
    }
    floors
        .into_iter()
        .map(|q| units_to_decimal(q, negative, policy.scale()).ok_or_else(overflow))
        .collect()
}

/// Checked arithmetic on [`Decimal`] that reports overflow as a perfpay
/// [`Error`] naming the operation.
///
/// ```
/// use perfpay::{Decimal, ErrorKind};
/// use perfpay::money::DecimalExt;
///
/// let a = Decimal::from(50_000);
/// assert_eq!(a.try_mul("0.02".parse()?)?, Decimal::from(1_000));
/// let err = Decimal::MAX.try_add(Decimal::ONE).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Overflow);
/// let err = a.try_div(Decimal::ZERO).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::DivisionByZero);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait DecimalExt: Sized {
    /// `self + rhs`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when the sum does not fit.
    fn try_add(self, rhs: Decimal) -> Result<Decimal>;
    /// `self − rhs`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when the difference does not fit.
    fn try_sub(self, rhs: Decimal) -> Result<Decimal>;
    /// `self × rhs`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when the product does not fit.
    fn try_mul(self, rhs: Decimal) -> Result<Decimal>;
    /// `self ÷ rhs`, to a `Decimal`'s 28 significant digits (use
    /// [`RoundingPolicy::round_ratio`] for a rounded money result).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DivisionByZero`](crate::ErrorKind::DivisionByZero) when `rhs`
    /// is zero; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when the
    /// quotient does not fit.
    fn try_div(self, rhs: Decimal) -> Result<Decimal>;
}

impl DecimalExt for Decimal {
    #[inline]
    fn try_add(self, rhs: Decimal) -> Result<Decimal> {
        self.checked_add(rhs)
            .ok_or_else(|| Error::overflow(format!("{self} + {rhs} overflows")))
    }

    #[inline]
    fn try_sub(self, rhs: Decimal) -> Result<Decimal> {
        self.checked_sub(rhs)
            .ok_or_else(|| Error::overflow(format!("{self} - {rhs} overflows")))
    }

    #[inline]
    fn try_mul(self, rhs: Decimal) -> Result<Decimal> {
        self.checked_mul(rhs)
            .ok_or_else(|| Error::overflow(format!("{self} × {rhs} overflows")))
    }

    #[inline]
    fn try_div(self, rhs: Decimal) -> Result<Decimal> {
        if rhs.is_zero() {
            return Err(Error::division_by_zero(format!("{self} divided by zero")));
        }
        self.checked_div(rhs)
            .ok_or_else(|| Error::overflow(format!("{self} / {rhs} overflows")))
    }
}

/// Sums `values`, reporting overflow instead of panicking.
///
/// # Errors
///
/// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when a partial sum does not fit.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::money::checked_sum;
///
/// assert_eq!(checked_sum([Decimal::ONE, Decimal::TWO])?, Decimal::from(3));
/// assert!(checked_sum([Decimal::MAX, Decimal::MAX]).is_err());
/// # Ok::<(), perfpay::Error>(())
/// ```
#[inline]
pub fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Result<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, value| acc.try_add(value))
}

/// Exact 128 × 128 → 256-bit multiply-divide.
mod wide {
    const LOW: u128 = u64::MAX as u128;

    /// `(a·b) / c` and `(a·b) % c`, exactly; `None` when `c` is zero or the
    /// quotient does not fit in a `u128`.
    pub(super) fn mul_div_rem(a: u128, b: u128, c: u128) -> Option<(u128, u128)> {
        if c == 0 {
            return None;
        }
        if let Some(product) = a.checked_mul(b) {
            return product.checked_div(c).zip(product.checked_rem(c));
        }
        let (hi, lo) = mul_wide(a, b);
        if hi >= c {
            return None;
        }
        // Long division of (hi:lo) by c; the invariant rem < c holds before
        // each step, so a set carry bit means the shifted value exceeds c.
        let mut rem = hi;
        let mut quotient: u128 = 0;
        for bit in (0..128).rev() {
            let carry = rem >> 127;
            rem = (rem << 1) | ((lo >> bit) & 1);
            quotient <<= 1;
            if carry == 1 || rem >= c {
                rem = rem.wrapping_sub(c);
                quotient |= 1;
            }
        }
        Some((quotient, rem))
    }

    /// The full 256-bit product as (high, low) halves.
    // each product is of two 64-bit halves, and the sums are below 2^128
    // (three terms under 2^64 each, or the high product's room for them)
    #[allow(clippy::arithmetic_side_effects)]
    fn mul_wide(a: u128, b: u128) -> (u128, u128) {
        let (a1, a0) = (a >> 64, a & LOW);
        let (b1, b0) = (b >> 64, b & LOW);
        let p00 = a0 * b0;
        let p01 = a0 * b1;
        let p10 = a1 * b0;
        let p11 = a1 * b1;
        let mid = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
        let lo = (p00 & LOW) | (mid << 64);
        let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
        (hi, lo)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn wide_division_matches_narrow_division() {
            let cases = [(7u128, 9u128, 4u128), (u64::MAX as u128, 3, 7), (12345, 0, 9)];
            for (a, b, c) in cases {
                assert_eq!(mul_div_rem(a, b, c), Some((a * b / c, a * b % c)));
            }
        }

        #[test]
        fn wide_division_beyond_128_bits() {
            // (2^100 · 3^40) / 3^40 = 2^100 exactly
            let a = 1u128 << 100;
            let b = 3u128.pow(40);
            assert_eq!(mul_div_rem(a, b, b), Some((a, 0)));
            // (2^127 · 2^10 + …) / 2^12: quotient 2^125, remainder 0
            assert_eq!(mul_div_rem(1 << 127, 1 << 10, 1 << 12), Some((1 << 125, 0)));
            // divisor with the top bit set exercises the carry path
            let c = (1u128 << 127) + 5;
            let (q, r) = mul_div_rem(c, 3, c).unwrap();
            assert_eq!((q, r), (3, 0));
            let (q, r) = mul_div_rem(u128::MAX, u128::MAX - 1, u128::MAX).unwrap();
            assert_eq!((q, r), (u128::MAX - 1, 0));
            assert_eq!(mul_div_rem(u128::MAX, u128::MAX, 1), None);
            assert_eq!(mul_div_rem(1, 1, 0), None);
        }
    }
}

/// A decimal written out as rust_decimal's `Display` writes it (`"-0.05"`,
/// `"7580.00"`, `"12"`), on the stack. Serializing an explanation writes
/// about a hundred of them per employee and a fingerprint a dozen, and
/// rust_decimal's own writer divides its 96-bit mantissa by ten once per
/// digit: here a mantissa of up to 64 bits (any 19 digits, nearly every
/// figure of a payroll) is divided as a machine word.
pub(crate) struct DecimalText {
    /// The text, right-aligned: at most a sign, 29 digits and the point.
    bytes: [u8; 32],
    start: usize,
}

impl DecimalText {
    /// `value` as written, without its trailing zeros when `plain` (as
    /// [`Decimal::normalize`] writes it: `"1.5"`, and a negative zero as
    /// `"0"`).
    #[inline(always)]
    pub(crate) fn of(value: Decimal, plain: bool) -> DecimalText {
        let mantissa = value.mantissa().unsigned_abs();
        let (scale, negative) = (value.scale(), value.is_sign_negative());
        match u64::try_from(mantissa) {
            Ok(small) => written_u64(small, scale, negative, plain),
            Err(_) => written_u128(mantissa, scale, negative, plain),
        }
    }

    /// A whole number.
    #[inline]
    pub(crate) fn whole(value: u64) -> DecimalText {
        written_u64(value, 0, false, false)
    }

    #[inline]
    fn push_front(&mut self, byte: u8) {
        self.start = self.start.saturating_sub(1);
        if let Some(slot) = self.bytes.get_mut(self.start) {
            *slot = byte;
        }
    }

    /// The text's bytes (ASCII).
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }

    /// The text.
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        // ASCII digits, a sign and a point
        self.bytes
            .get(self.start..)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

macro_rules! decimal_writer {
    ($name:ident, $int:ty) => {
        /// [`DecimalText`] of a mantissa at a scale, written from the end:
        /// the places (zeros where the mantissa has no more digits), the
        /// point, the whole digits (at least one), the sign.
        #[inline(always)]
        fn $name(mut mantissa: $int, mut scale: u32, negative: bool, plain: bool) -> DecimalText {
            if plain {
                while scale > 0 && mantissa % 10 == 0 {
                    mantissa /= 10;
                    scale = scale.saturating_sub(1);
                }
            }
            let negative = negative && !(plain && mantissa == 0);
            let mut text = DecimalText {
                bytes: [b'0'; 32],
                start: 32,
            };
            // a digit 0–9 ORed onto b'0' (0x30) is its ASCII character;
            // `%` and `/` by ten cannot fail
            for _ in 0..scale {
                text.push_front(b'0' | (mantissa % 10) as u8);
                mantissa /= 10;
            }
            if scale > 0 {
                text.push_front(b'.');
            }
            loop {
                text.push_front(b'0' | (mantissa % 10) as u8);
                mantissa /= 10;
                if mantissa == 0 {
                    break;
                }
            }
            if negative {
                text.push_front(b'-');
            }
            text
        }
    };
}

decimal_writer!(written_u64, u64);
decimal_writer!(written_u128, u128);

/// Serializes a decimal as rust_decimal's `Serialize` does (its text),
/// written by [`DecimalText`]: for the fields a month writes once per
/// employee or pay line (`#[serde(serialize_with = …)]`).
#[inline]
pub(crate) fn serialize_decimal<S: serde::Serializer>(
    value: &Decimal,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(DecimalText::of(*value, false).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// rust_decimal's own writing, mantissas at the edge of 64 bits,
    /// negative zeros and scales up to 28 included.
    #[test]
    fn decimal_text_writes_as_rust_decimal_does() {
        use std::str::FromStr;
        let written = |d: Decimal, plain: bool| DecimalText::of(d, plain).as_str().to_owned();
        for text in [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "1",
            "-1",
            "7580.00",
            "0.05",
            "-0.05",
            "1.50",
            "12",
            "100",
            "0.3125",
            "18446744073709551615",
            "-18446744073709551615",
            "1844674407370955161.5",
            "0.0000000000000000000000000001",
            "100000000.000000000",
            "-0.000000000000000000000000100",
        ] {
            let d = Decimal::from_str(text).unwrap();
            assert_eq!(written(d, false), d.to_string(), "{text}");
            assert_eq!(written(d, true), d.normalize().to_string(), "{text} plain");
        }
        // a negated zero keeps its sign, and rust_decimal writes it
        let negative_zero = -Decimal::new(0, 2);
        assert!(negative_zero.is_sign_negative());
        assert_eq!(written(negative_zero, false), negative_zero.to_string());
        assert_eq!(written(negative_zero, true), "0");
        assert_eq!(written(dec!(1.50), true), "1.5");
        // wider than 64 bits
        let wide = [
            Decimal::from_str("18446744073709551616").unwrap(),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_i128_with_scale(-(1i128 << 95), 28),
            Decimal::from_i128_with_scale(1i128 << 90, 3),
        ];
        for d in wide {
            assert_eq!(written(d, false), d.to_string(), "{d}");
            assert_eq!(written(d, true), d.normalize().to_string(), "{d} plain");
        }
        assert_eq!(DecimalText::whole(0).as_str(), "0");
        assert_eq!(DecimalText::whole(u64::MAX).as_str(), "18446744073709551615");
    }

    #[test]
    fn every_mode_on_positive_and_negative_midpoints() {
        let table = [
            (RoundingMode::HalfUp, dec!(2.35), dec!(-2.35), dec!(2.34)),
            (RoundingMode::HalfEven, dec!(2.34), dec!(-2.34), dec!(2.34)),
            (RoundingMode::HalfDown, dec!(2.34), dec!(-2.34), dec!(2.34)),
            (RoundingMode::TowardZero, dec!(2.34), dec!(-2.34), dec!(2.34)),
            (RoundingMode::AwayFromZero, dec!(2.35), dec!(-2.35), dec!(2.35)),
            (RoundingMode::Floor, dec!(2.34), dec!(-2.35), dec!(2.34)),
            (RoundingMode::Ceiling, dec!(2.35), dec!(-2.34), dec!(2.35)),
        ];
        for (mode, pos, neg, just_above_grid) in table {
            let policy = RoundingPolicy::new(2, mode).unwrap();
            assert_eq!(policy.round(dec!(2.345)), pos, "{mode}");
            assert_eq!(policy.round(dec!(-2.345)), neg, "{mode}");
            assert_eq!(policy.round(dec!(2.3401)), just_above_grid, "{mode}");
            // round_ratio agrees with round on exactly representable ratios
            assert_eq!(policy.round_ratio(dec!(4.69), dec!(2)).unwrap(), pos, "{mode}");
            assert_eq!(policy.round_ratio(dec!(4.69), dec!(-2)).unwrap(), neg, "{mode}");
            assert_eq!(policy.round_ratio(dec!(-4.69), dec!(2)).unwrap(), neg, "{mode}");
        }
    }

    #[test]
    fn round_ratio_is_exact_where_division_is_not() {
        // 1/3 of 1 cent at scale 2 half-up: 0.00333… → 0.00
        let cents = RoundingPolicy::cents();
        assert_eq!(cents.round_ratio(dec!(0.01), dec!(3)).unwrap(), dec!(0.00));
        // 2,000 / 12,000 of 3,000.00 = 500.00 exactly
        assert_eq!(
            cents.round_ratio(dec!(6000000), dec!(12000)).unwrap(),
            dec!(500.00)
        );
        // a value whose 28-digit quotient rounds up to a midpoint: 0.0049999…97 / 1
        let n = dec!(0.0049999999999999999999999997);
        assert_eq!(cents.round_ratio(n, dec!(1)).unwrap(), dec!(0.00));
        assert_eq!(
            cents.round_ratio(Decimal::ZERO, dec!(-3)).unwrap().to_string(),
            "0.00"
        );
        let err = cents.round_ratio(Decimal::MAX, dec!(0.0000001)).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Overflow);
    }

    #[test]
    fn allocation_errors_name_the_problem() {
        let cents = RoundingPolicy::cents();
        let cases: [(&[Decimal], Decimal, &str); 4] = [
            (&[], dec!(1), "allocation needs at least one weight"),
            (
                &[dec!(1), dec!(-2)],
                dec!(1),
                "allocation weight at index 1 is negative (-2)",
            ),
            (&[dec!(0), dec!(0.0)], dec!(1), "allocation weights are all zero"),
            (
                &[dec!(1)],
                dec!(1.005),
                "allocation total 1.005 has more than 2 decimal places",
            ),
        ];
        for (weights, total, message) in cases {
            let err = allocate(total, weights, cents).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn allocation_of_negative_total_and_zero_weights() {
        let cents = RoundingPolicy::cents();
        let parts = allocate(dec!(-100), &[dec!(1), dec!(0), dec!(2)], cents).unwrap();
        assert_eq!(parts, [dec!(-33.33), dec!(0), dec!(-66.67)]);
        let parts = allocate(dec!(0.01), &[dec!(1), dec!(1)], cents).unwrap();
        assert_eq!(parts, [dec!(0.01), dec!(0)]);
        // weights of very different scales stay exact
        let parts = allocate(dec!(1), &[dec!(0.000001), dec!(1000000)], cents).unwrap();
        assert_eq!(parts, [dec!(0), dec!(1)]);
        let err = allocate(
            dec!(1),
            &[dec!(0.0000000000000000000000000001), Decimal::MAX],
            cents,
        )
        .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Overflow);
    }

    #[test]
    fn policy_deserializes_with_validation() {
        let p: RoundingPolicy = serde_json::from_str(r#"{"scale":2,"mode":"half_even"}"#).unwrap();
        assert_eq!(p, RoundingPolicy::new(2, RoundingMode::HalfEven).unwrap());
        let p: RoundingPolicy = serde_json::from_str(r#"{"scale":0,"mode":"down"}"#).unwrap();
        assert_eq!(p.mode(), RoundingMode::TowardZero);
        let err = serde_json::from_str::<RoundingPolicy>(r#"{"scale":30,"mode":"half_up"}"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("rounding scale 30 exceeds the maximum of 28"),
            "{err}"
        );
        let err =
            serde_json::from_str::<RoundingPolicy>(r#"{"scale":2,"mode":"half_up","x":1}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
    }

    fn any_decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
        use proptest::prelude::*;
        prop_oneof![
            (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(m, s)| Decimal::new(m, s)),
            (-(1i128 << 96) + 1..(1i128 << 96), 0u32..=28)
                .prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s)),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            // PROPTEST_CASES asks for a longer run
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2048),
        ))]

        /// The inlined comparison on parts gives `Ord`'s answer for any two
        /// decimals, at any scales.
        #[test]
        fn prop_cmp_parts_agrees_with_ord(a in any_decimal(), b in any_decimal()) {
            proptest::prop_assert_eq!(cmp_parts(Parts::of(a), b), a.cmp(&b));
            proptest::prop_assert_eq!(Parts::of(a).decimal(), a);
        }

        /// A decimal written on the stack reads as rust_decimal writes it,
        /// as it is and without its trailing zeros, negated zeros included.
        #[test]
        fn prop_decimal_text_is_rust_decimals_writing(value in any_decimal(), negate in proptest::bool::ANY) {
            let value = if negate { -value } else { value };
            let (exact, plain) = (DecimalText::of(value, false), DecimalText::of(value, true));
            proptest::prop_assert_eq!(exact.as_str(), value.to_string());
            proptest::prop_assert_eq!(plain.as_str(), value.normalize().to_string());
        }

        /// Rounding in integers gives rust_decimal's rounding to the digit,
        /// the scale and the sign, in every mode, at every scale.
        #[test]
        fn prop_rounding_in_integers_is_rust_decimals(value in any_decimal(), scale in 0u32..8, mode in 0usize..7) {
            let modes = [
                RoundingMode::HalfUp,
                RoundingMode::HalfEven,
                RoundingMode::HalfDown,
                RoundingMode::TowardZero,
                RoundingMode::AwayFromZero,
                RoundingMode::Floor,
                RoundingMode::Ceiling,
            ];
            let mode = modes[mode];
            let policy = RoundingPolicy::new(scale, mode).unwrap();
            let mut want = value.round_dp_with_strategy(scale, mode.strategy());
            if want.scale() < scale {
                want.rescale(scale);
            }
            let got = policy.round(value);
            proptest::prop_assert_eq!(
                (got.mantissa(), got.scale(), got.is_sign_negative()),
                (want.mantissa(), want.scale(), want.is_sign_negative())
            );
        }

        /// `at_least` and `at_most` are rust_decimal's `max` and `min` to
        /// the scale: equal values at other scales keep the first.
        #[test]
        fn prop_at_least_and_at_most_are_max_and_min(a in any_decimal(), b in any_decimal()) {
            let (max, min) = (at_least(a, b), at_most(a, b));
            proptest::prop_assert_eq!((max, max.scale()), (a.max(b), a.max(b).scale()));
            proptest::prop_assert_eq!((min, min.scale()), (a.min(b), a.min(b).scale()));
        }
    }

    #[test]
    fn at_least_and_at_most_keep_the_first_of_equals() {
        // 1.0 and 1.00 are equal: the first stays, with its scale
        assert_eq!(at_least(Decimal::new(10, 1), Decimal::new(100, 2)).scale(), 1);
        assert_eq!(at_most(Decimal::new(250, 2), Decimal::new(25, 1)).scale(), 2);
        assert_eq!(at_least(Decimal::new(-1, 0), Decimal::ZERO), Decimal::ZERO);
        assert_eq!(
            at_most(Decimal::new(20_000, 0), Decimal::new(1_500_000, 2)),
            Decimal::new(1_500_000, 2)
        );
    }

    #[test]
    fn cmp_parts_compares_across_scales_and_signed_zero() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        assert_eq!(
            cmp_parts(Parts::of(Decimal::new(85, 2)), Decimal::new(850, 3)),
            Equal
        );
        assert_eq!(
            cmp_parts(Parts::of(Decimal::new(851, 3)), Decimal::new(85, 2)),
            Greater
        );
        assert_eq!(
            cmp_parts(Parts::of(Decimal::new(-1, 0)), Decimal::new(0, 5)),
            Less
        );
        assert_eq!(cmp_parts(Parts::of(-Decimal::ZERO), Decimal::ZERO), Equal);
    }
}
