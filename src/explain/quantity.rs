//! Values with their units, and how each unit is written.

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::locale::{Locale, NumberFormat};
use crate::money::RoundingPolicy;

/// What a value in an explanation measures; decides how it is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// An amount of money, rendered at the policy's scale with thousands
    /// separators: `50,000.00`.
    Money,
    /// A fraction rendered as a percentage, to at most two decimals of a
    /// percent: `0.03` → `3 %`, `5/22` → `22.73 %` (the value itself stays
    /// exact).
    Rate,
    /// A performance score, rendered with two decimals: `90.00`.
    Score,
    /// Incentive points: `1,200`.
    Points,
    /// A number of days: `21`.
    Days,
    /// A plain count: `3`.
    Count,
    /// Any other number (a multiplier, a metric value), rendered as is: `1.1`.
    Number,
    /// A growth factor or ratio, rendered to at most three decimals:
    /// `1.515` (the value itself stays exact).
    Ratio,
}

/// A value with its unit. Serialized as `{"value", "unit"}`: money as it
/// is (at its currency's scale once a policy rounded it), any other unit
/// without trailing zeros (`"104.05"`, not `"104.0500"`) — the same number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Quantity {
    /// The exact value.
    pub value: Decimal,
    /// What the value measures.
    pub unit: Unit,
}

impl Quantity {
    /// A value with its unit.
    pub const fn new(value: Decimal, unit: Unit) -> Quantity {
        Quantity { value, unit }
    }

    /// The value as written out: money as it is, anything else without
    /// trailing zeros.
    pub fn written(&self) -> Decimal {
        if self.plain() {
            self.value.normalize()
        } else {
            self.value
        }
    }

    /// Whether it is written without trailing zeros: anything but money.
    pub(super) fn plain(&self) -> bool {
        self.unit != Unit::Money
    }

    /// Renders the value for a reader, formatting money by `policy`.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy, Unit};
    /// use perfpay::explain::Quantity;
    ///
    /// let cents = RoundingPolicy::cents();
    /// let money = Quantity::new(Decimal::new(345_000, 2), Unit::Money);
    /// assert_eq!(money.render(&cents), "3,450.00");
    /// let rate = Quantity::new(Decimal::new(125, 3), Unit::Rate);
    /// assert_eq!(rate.render(&cents), "12.5 %");
    /// let share = Quantity::new(Decimal::from(5) / Decimal::from(22), Unit::Rate);
    /// assert_eq!(share.render(&cents), "22.73 %");
    /// ```
    pub fn render(&self, policy: &RoundingPolicy) -> String {
        self.render_in(Locale::english(), policy)
    }

    /// Renders the value for a reader of `locale`: its separators and its
    /// way of writing a percentage; money keeps its digits.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy, Unit};
    /// use perfpay::explain::Quantity;
    /// use perfpay::locale::Locale;
    ///
    /// let rate = Quantity::new(Decimal::new(125, 3), Unit::Rate);
    /// assert_eq!(rate.render_in(Locale::chinese(), &RoundingPolicy::cents()), "12.5%");
    /// ```
    pub fn render_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write(&mut out, policy, locale.numbers());
        out
    }

    pub(super) fn write(&self, out: &mut String, policy: &RoundingPolicy, numbers: &NumberFormat) {
        match self.unit {
            Unit::Money => numbers.write_grouped(out, policy.round(self.value)),
            Unit::Rate => {
                // shown to at most two decimals of a percent (the value
                // itself stays exact): 22.727…% reads 22.73 %
                let percent = self.value.checked_mul(Decimal::ONE_HUNDRED).map(|p| {
                    p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                        .normalize()
                });
                match percent {
                    Some(p) => numbers.write_percent(out, p),
                    // out of range as a percentage: show the fraction itself
                    None => numbers.write_plain(out, self.value.normalize()),
                }
            }
            Unit::Score => numbers.write_plain(out, RoundingPolicy::cents().round(self.value)),
            Unit::Points | Unit::Count | Unit::Days => numbers.write_grouped(out, self.value.normalize()),
            Unit::Number => numbers.write_plain(out, self.value.normalize()),
            Unit::Ratio => {
                let shown = self
                    .value
                    .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize();
                numbers.write_plain(out, shown);
            }
        }
    }
}
