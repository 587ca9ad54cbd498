//! Weights as people write them — decimals (`0.4`), fractions (`1/3`),
//! ratios (`2:1:1`) — normalised once into decimals that sum exactly to 1.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Problem, Result};

/// The decimal places of a weight that has no exact decimal (one third):
/// 4, so `1:1:1` is 0.3334, 0.3333, 0.3333. Weights written with more
/// places keep theirs.
pub const WEIGHT_SCALE: u32 = 4;

/// A weight as written: a decimal (`"0.4"`) or a fraction (`"1/3"`).
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::score::Weight;
///
/// let third: Weight = "1/3".parse()?;
/// assert_eq!(third.to_string(), "1/3");
/// assert_eq!("0.40".parse::<Weight>()?, Weight::from(Decimal::new(4, 1)));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Weight {
    numerator: Decimal,
    denominator: Decimal,
}

impl Weight {
    /// `numerator / denominator`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// denominator that is not positive.
    pub fn fraction(numerator: Decimal, denominator: Decimal) -> Result<Weight> {
        if denominator <= Decimal::ZERO {
            return Err(Error::invalid_input(format!(
                "the denominator of {numerator}/{denominator} is not positive"
            )));
        }
        Ok(Weight {
            numerator,
            denominator,
        })
    }

    /// The numerator (the decimal itself for a decimal weight).
    pub fn numerator(&self) -> Decimal {
        self.numerator
    }

    /// The denominator (1 for a decimal weight).
    pub fn denominator(&self) -> Decimal {
        self.denominator
    }
}

impl From<Decimal> for Weight {
    fn from(value: Decimal) -> Weight {
        Weight {
            numerator: value,
            denominator: Decimal::ONE,
        }
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.denominator == Decimal::ONE {
            write!(f, "{}", self.numerator)
        } else {
            write!(f, "{}/{}", self.numerator, self.denominator)
        }
    }
}

fn number(text: &str, what: &str) -> Result<Decimal> {
    Decimal::from_str_exact(text.trim())
        .map_err(|e| Error::invalid_input(format!("{what} {:?} is not a decimal: {e}", text.trim())))
}

impl FromStr for Weight {
    type Err = Error;

    fn from_str(text: &str) -> Result<Weight> {
        match text.split_once('/') {
            None => Ok(Weight::from(number(text, "weight")?)),
            Some((n, d)) => Weight::fraction(number(n, "numerator")?, number(d, "denominator")?),
        }
    }
}

impl Serialize for Weight {
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A string, or an integer (`weight = 1`).
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> core::result::Result<Text<'de>, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string such as \"0.4\", \"1/3\" or \"2:1\", or an integer")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> core::result::Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> core::result::Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> core::result::Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> core::result::Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> core::result::Result<Weight, D::Error> {
        let Text(text) = Text::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Weight {
    fn schema_name() -> Cow<'static, str> {
        "Weight".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A weight: a decimal (\"0.4\") or a fraction (\"1/3\"), as a string; or an integer.",
            "type": ["string", "integer"],
            "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*(/\\s*[0-9]+(\\.[0-9]+)?\\s*)?$",
        })
    }
}

/// Weights written as a ratio of parts, in the list's order: `"2:1:1"`.
///
/// ```
/// use perfpay::score::Ratio;
///
/// let ratio: Ratio = "2:1:1".parse()?;
/// assert_eq!(ratio.parts().len(), 3);
/// assert_eq!(ratio.normalise()?.weights, [perfpay::Decimal::new(5, 1), perfpay::Decimal::new(25, 2), perfpay::Decimal::new(25, 2)]);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ratio(Vec<Decimal>);

impl Ratio {
    /// The parts, in order.
    pub fn parts(&self) -> &[Decimal] {
        &self.0
    }

    /// The parts as weights that sum exactly to 1.
    ///
    /// # Errors
    ///
    /// As [`normalise_ratio`].
    pub fn normalise(&self) -> Result<Normalised> {
        normalise_ratio(&self.0)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl FromStr for Ratio {
    type Err = Error;

    fn from_str(text: &str) -> Result<Ratio> {
        if !text.contains(':') {
            return Err(Error::invalid_input(format!(
                "ratio {text:?} needs parts separated by ':' (\"2:1\")"
            )));
        }
        Ok(Ratio(
            text.split(':')
                .map(|p| number(p, "ratio part"))
                .collect::<Result<_>>()?,
        ))
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> core::result::Result<Ratio, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl JsonSchema for Ratio {
    fn schema_name() -> Cow<'static, str> {
        "Ratio".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Weights as a ratio of parts in the list's order, such as \"2:1:1\".",
            "type": "string",
            "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*(:\\s*[0-9]+(\\.[0-9]+)?\\s*)+$",
        })
    }
}

/// Weights normalised once: what was written, the decimals in effect (they
/// sum exactly to 1), and whether they had to be rounded.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalised {
    /// The weights as written, joined (`1/3, 1/3, 1/3` or `2:1:1`).
    pub written: String,
    /// The weights in effect, in order, summing exactly to 1.
    pub weights: Vec<Decimal>,
    /// The places they were rounded to when an exact share has no exact
    /// decimal (largest remainder: each within one unit of that place of its
    /// exact share); `None` when every share is exact.
    pub rounded_to: Option<u32>,
}

impl fmt::Display for Normalised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} → ", self.written)?;
        for (i, w) in self.weights.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{w}")?;
        }
        if let Some(places) = self.rounded_to {
            write!(f, " (largest remainder at {places} places)")?;
        }
        Ok(())
    }
}

/// Weights that must sum to 1 — decimals and fractions, as written — as
/// decimals that sum exactly to 1: the exact ones as they are, and when a
/// share has no exact decimal (`1/3`), every share rounded by largest
/// remainder to [`WEIGHT_SCALE`] places (or the most places written).
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::score::{Weight, normalise};
///
/// let third: Weight = "1/3".parse()?;
/// let n = normalise(&[third, third, third])?;
/// assert_eq!(n.to_string(), "1/3, 1/3, 1/3 → 0.3334, 0.3333, 0.3333 (largest remainder at 4 places)");
/// let exact = normalise(&["1/4".parse()?, "0.75".parse()?])?;
/// assert_eq!(exact.weights, [Decimal::new(25, 2), Decimal::new(75, 2)]);
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
/// each problem, its path the weight's index (`[2]`): a negative weight,
/// weights that do not sum exactly to 1 (at the last index), no weights,
/// weights too fine to add up exactly.
pub fn normalise(weights: &[Weight]) -> Result<Normalised> {
    let written = weights
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    shares(weights, written, true)
}

/// Ratio parts (`2:1:1`) as decimals that sum exactly to 1; see
/// [`normalise`].
///
/// # Errors
///
/// As [`normalise`]; parts summing to 0 instead of to 1.
pub fn normalise_ratio(parts: &[Decimal]) -> Result<Normalised> {
    let weights: Vec<Weight> = parts.iter().copied().map(Weight::from).collect();
    let written = parts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(":");
    shares(&weights, written, false)
}

/// Weights as parts of a whole, whatever they sum to, as decimals that sum
/// exactly to 1; see [`normalise`].
///
/// # Errors
///
/// As [`normalise_ratio`].
pub fn normalise_parts(weights: &[Weight]) -> Result<Normalised> {
    let written = weights
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    shares(weights, written, false)
}

/// A decimal as `mantissa / 10^scale`.
fn split(d: Decimal) -> Option<(i128, i128)> {
    Some((d.mantissa(), 10i128.checked_pow(d.scale())?))
}

/// A weight as a reduced fraction of integers.
fn rational(w: &Weight) -> Option<(i128, i128)> {
    let (nm, ns) = split(w.numerator)?;
    let (dm, ds) = split(w.denominator)?;
    let (n, d) = (nm.checked_mul(ds)?, dm.checked_mul(ns)?);
    let g = gcd(n.unsigned_abs(), d.unsigned_abs());
    let g = i128::try_from(g).ok()?;
    if g == 0 {
        return None;
    }
    Some((n.checked_div(g)?, d.checked_div(g)?))
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a.checked_rem(b).unwrap_or(0));
    }
    a
}

fn too_fine() -> Error {
    Error::invalid_input("weights too fine to add up exactly")
}

/// The one normalisation: exact shares `a_i / T` of the weights on a
/// common denominator, then each on the decimal grid by largest remainder.
fn shares(weights: &[Weight], written: String, absolute: bool) -> Result<Normalised> {
    signs(weights)?;
    let (parts, common) = on_common_denominator(weights)?;
    let total = parts
        .iter()
        .try_fold(0i128, |t, &p| t.checked_add(p))
        .ok_or_else(too_fine)?;
    if absolute && total != common {
        let last = weights.len().saturating_sub(1);
        return Err(Error::invalid_problems(
            "invalid weights",
            vec![Problem::new(
                format!("[{last}]"),
                format!("weights sum to {}, expected 1", written_sum(total, common)?),
            )],
        ));
    }
    if total == 0 {
        return Err(Error::invalid_problems(
            "invalid weights",
            vec![Problem::new("", "the parts sum to 0")],
        ));
    }
    let places = weights
        .iter()
        .map(|w| w.numerator.scale().max(w.denominator.scale()))
        .max()
        .unwrap_or(0)
        .max(WEIGHT_SCALE);
    let (units, exact) = on_grid(&parts, total, places)?;
    Ok(Normalised {
        written,
        weights: units
            .into_iter()
            .map(|u| Decimal::try_from_i128_with_scale(u, places).map(|d| d.normalize()))
            .collect::<core::result::Result<_, _>>()
            .map_err(|_| too_fine())?,
        rounded_to: (!exact).then_some(places),
    })
}

/// At least one weight, none negative.
fn signs(weights: &[Weight]) -> Result<()> {
    let mut problems = Vec::new();
    if weights.is_empty() {
        problems.push(Problem::new("", "at least one weight is needed"));
    }
    for (i, w) in weights.iter().enumerate() {
        if w.numerator < Decimal::ZERO {
            problems.push(Problem::new(format!("[{i}]"), format!("weight {w} is negative")));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_problems("invalid weights", problems))
    }
}

/// Each weight's numerator on the weights' common denominator, and that
/// denominator.
fn on_common_denominator(weights: &[Weight]) -> Result<(Vec<i128>, i128)> {
    let fractions: Vec<(i128, i128)> = weights
        .iter()
        .map(rational)
        .collect::<Option<_>>()
        .ok_or_else(too_fine)?;
    let mut common: i128 = 1;
    for &(_, d) in &fractions {
        let g = i128::try_from(gcd(common.unsigned_abs(), d.unsigned_abs())).map_err(|_| too_fine())?;
        common = common
            .checked_div(g)
            .and_then(|c| c.checked_mul(d))
            .ok_or_else(too_fine)?;
    }
    let parts = fractions
        .iter()
        .map(|&(n, d)| common.checked_div(d).and_then(|f| f.checked_mul(n)))
        .collect::<Option<_>>()
        .ok_or_else(too_fine)?;
    Ok((parts, common))
}

/// The sum `total / common` as a decimal when it has one (0.95), else as a
/// reduced fraction (5/6).
fn written_sum(total: i128, common: i128) -> Result<String> {
    let g = i128::try_from(gcd(total.unsigned_abs(), common.unsigned_abs()))
        .unwrap_or(1)
        .max(1);
    let (n, d) = (
        Decimal::try_from_i128_with_scale(total.checked_div(g).unwrap_or(total), 0)
            .map_err(|_| too_fine())?,
        Decimal::try_from_i128_with_scale(common.checked_div(g).unwrap_or(common), 0)
            .map_err(|_| too_fine())?,
    );
    Ok(match n.checked_div(d) {
        Some(q) if q.checked_mul(d) == Some(n) => q.normalize().to_string(),
        _ => format!("{n}/{d}"),
    })
}

/// Each share `part / total` in units of `places` decimal places, the
/// units summing to one exactly: each share's whole units, then one more
/// for the largest remainders (ties to the earlier weight). True when no
/// share needed rounding.
fn on_grid(parts: &[i128], total: i128, places: u32) -> Result<(Vec<i128>, bool)> {
    let grid = 10i128.checked_pow(places).ok_or_else(too_fine)?;
    let mut units = Vec::with_capacity(parts.len());
    let mut remainders = Vec::with_capacity(parts.len());
    for &p in parts {
        let scaled = p.checked_mul(grid).ok_or_else(too_fine)?;
        units.push(scaled.checked_div(total).ok_or_else(too_fine)?);
        remainders.push(scaled.checked_rem(total).ok_or_else(too_fine)?);
    }
    let handed = units
        .iter()
        .try_fold(0i128, |t, &u| t.checked_add(u))
        .ok_or_else(too_fine)?;
    let mut left = grid.checked_sub(handed).ok_or_else(too_fine)?;
    let exact = left == 0;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| remainders.get(b).cmp(&remainders.get(a)).then(a.cmp(&b)));
    for i in order {
        if left <= 0 {
            break;
        }
        if let Some(u) = units.get_mut(i) {
            *u = u.checked_add(1).ok_or_else(too_fine)?;
            left = left.saturating_sub(1);
        }
    }
    Ok((units, exact))
}
