//! Values with their units, and how each unit is written.

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
}
