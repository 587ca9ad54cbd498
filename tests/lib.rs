//! perfpay's integration tests: one binary, one module per capability.

#[cfg(feature = "cli")]
mod cli;
mod errors;
mod explain;
mod feedback;
mod goal;
mod incentive;
mod money;
#[cfg(feature = "testing")]
mod payroll;
mod period;
mod plan;
#[cfg(feature = "testing")]
mod properties;
mod score;
mod script;
mod tier;
