//! perfpay's integration tests: one binary, one module per capability.

#[cfg(feature = "cli")]
mod cli;
mod errors;
mod explain;
mod feedback;
mod goal;
#[cfg(feature = "testing")]
mod hostile;
mod incentive;
#[cfg(feature = "testing")]
mod journal;
mod locale;
mod money;
mod motivation;
#[cfg(feature = "testing")]
mod payroll;
mod period;
mod plan;
#[cfg(feature = "testing")]
mod properties;
mod score;
mod script;
mod simulate;
#[cfg(feature = "testing")]
mod storage;
mod tier;

/// How many cases a property runs: `PROPTEST_CASES` when it is set (a long
/// run asks for 100,000), else the property's own default.
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}
