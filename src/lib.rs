/*!
perfpay closes the loop **goal → performance score → incentive → pay** for
small companies, exactly to the cent and explained line by line. It is a
pure, I/O-free engine: hosts (HR software, payroll services) pass data in and
get back [`Decimal`] numbers that are reproducible and carry an
[`Explanation`] of how they were made. Rules that change per customer are
written as sandboxed rhai scripts inside plan documents.

```
use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
use perfpay::money::allocate;

// Split a 10,000.00 team bonus pool by performance score, exactly.
let scores = [Decimal::from(95), Decimal::from(88), Decimal::from(72)];
let pool = Decimal::from(10_000);
let shares = allocate(pool, &scores, RoundingPolicy::cents())?;
assert_eq!(shares.iter().sum::<Decimal>(), pool);
assert_eq!(shares[0].to_string(), "3725.49");

let why = Explanation::money("pool share", shares[0])
    .value(pool, Unit::Money)
    .text(" × 95 / 255");
assert_eq!(why.statement(&RoundingPolicy::cents()), "pool share 3,725.49 = 10,000.00 × 95 / 255");
# Ok::<(), perfpay::Error>(())
```

# Overview

perfpay is built in layers; each uses only the ones above it.

| layer | what it gives |
|---|---|
| vocabulary | [`RoundingPolicy`] and [`allocate`](crate::money::allocate) (exact money), [`Period`], [`WorkCalendar`](crate::period::WorkCalendar), [`Timeline`] (proration and effective-dated values), id newtypes such as [`EmployeeId`], the one [`Error`] type, [`Explanation`] trees and their [`Text`](crate::text::Text) |
| building blocks | incentives: [`IncentiveProgram`](crate::incentive::IncentiveProgram) (awards with idempotency keys), [`PointsLedger`](crate::incentive::PointsLedger), [`Draw`](crate::incentive::Draw); goals: [`GoalTree`](crate::goal::GoalTree) (roll-up, exact decomposition, consistency check); scores: [`Kpi`](crate::score::Kpi), [`Scorecard`](crate::score::Scorecard), [`RatingScale`](crate::score::RatingScale), [`ForcedDistribution`](crate::score::ForcedDistribution), [`MultiSource`](crate::score::MultiSource); commission: [`TierTable`](crate::tier::TierTable) (marginal, whole-amount, interpolated), [`QuotaTable`](crate::tier::QuotaTable), [`Commission`](crate::tier::Commission) with [`Gate`](crate::tier::Gate)s and [`Multiplier`](crate::tier::Multiplier)s, [`BonusPool`](crate::tier::BonusPool), [`CumulativeWithholding`](crate::tier::CumulativeWithholding); feedback: [`Survey`](crate::feedback::Survey) (anonymous, k-suppressed), [`diagnose`](crate::feedback::diagnose), [`trend`](crate::feedback::trend); payslips: [`payslip`](crate::payroll::payslip) with [`PayrollSettings`](crate::payroll::PayrollSettings) (proration, attendance, bonus, commission, awards, contributions, cumulative withholding) |
| extension points | [`Formula`](crate::extension::Formula) and [`Condition`](crate::extension::Condition): where a vendor's rule (or a closure) replaces a built-in calculation; [`Metrics`] reads measured values |
| scripting | [`ScriptEngine`](crate::script::ScriptEngine) builds the sandboxed rhai engine; [`Script`](crate::script::Script) is a compiled rule implementing the extension points |
| plan | [`Plan`] (TOML / JSON, JSON Schema) compiled into a [`CompiledPlan`] with every problem reported at once |
| evaluation | [`evaluate_period`]: scores, rankings, commission, awards, payslips → [`PeriodOutcome`], fingerprinted |
| orchestration | [`ports`] (storage, attendance, platform metrics; in-memory adapters) and [`close_period`] |

Every amount is a [`Decimal`]; floats never touch money. Rounding happens
only where a [`RoundingPolicy`] is applied, and splitting an amount
([`allocate`](crate::money::allocate), [`Timeline::prorate`]) always returns parts that sum exactly to
the whole.

# Usage

Add `perfpay` to `Cargo.toml` and use the re-exported [`Decimal`] and
[`NaiveDate`] so your types match perfpay's versions. Every fallible function
returns [`Result`]; errors say where the problem is
([`Error::path`], [`Error::rule`], [`Error::employee`]).

A host loads a plan once, then evaluates periods:

```
use perfpay::{Decimal, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, Period, Plan, RoleId, Timeline, evaluate_period};

let plan = Plan::from_toml(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml")))?.compile()?;
let metric = |m: &str, v: &str| Ok::<_, perfpay::Error>((MetricId::new(m)?, v.parse::<Decimal>().unwrap()));
let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
let li = EmployeeInputs::new("ops-li".parse()?, RoleId::new("operations")?, Timeline::constant(since, Decimal::from(8_000)))
    .with_metrics([
        metric("conversion", "0.035")?, metric("repurchase", "0.22")?, metric("optimisations", "6")?,
        metric("teamwork", "4.5")?, metric("conversion_achievement", "1.05")?,
    ])
    .with_ytd(PayrollYtd::new(2026));
let outcome = evaluate_period(&plan, &Period::month(2026, 11)?, &[li])?;
let net = outcome.employees[0].payslip.as_ref().map(|p| p.net);
assert_eq!(net, Some("10102.20".parse().unwrap()));
# Ok::<(), perfpay::Error>(())
```

# Examples

### Prorate a salary that changed mid-month

```
use perfpay::{Decimal, NaiveDate, Period, RoundingPolicy, Timeline};
use perfpay::period::{DayBasis, WorkCalendar};

let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
let salary = Timeline::new([(d(1), Decimal::from(8_000)), (d(16), Decimal::from(9_000))])?;
let basis = DayBasis::WorkingDays(WorkCalendar::monday_to_friday());
let paid = salary.prorate(&Period::month(2026, 11)?, &basis, RoundingPolicy::cents())?;
// 8,000 × 10/21 + 9,000 × 11/21 working days
assert_eq!(paid.total.to_string(), "8523.81");
let parts: Decimal = paid.segments.iter().map(|s| s.amount).sum();
assert_eq!(parts, paid.total);
# Ok::<(), perfpay::Error>(())
```

### Pay the seed's commission: 3 % above 100,000, only if satisfaction ≥ 90 %

```
use perfpay::{Decimal, MetricId, RoundingPolicy};
use perfpay::tier::{Commission, CommissionContext, Gate, Tier, TierTable};

let satisfaction = MetricId::new("satisfaction")?;
let rule = Commission::on_table(TierTable::marginal([
    Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
    Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
])?)
.gate(Gate::at_least(satisfaction.clone(), Decimal::new(90, 2)))
.rounding(RoundingPolicy::cents());

let metrics = [(satisfaction, Decimal::new(93, 2))];
let out = rule.evaluate(&CommissionContext::new(Decimal::from(165_000), &metrics))?;
assert_eq!(out.amount.to_string(), "3950.00");
assert_eq!(
    out.explanation.children().next().unwrap().statement(&RoundingPolicy::cents()),
    "payout 3,950.00 = 100,000.00 × 2 % + 65,000.00 × 3 %",
);
# Ok::<(), perfpay::Error>(())
```

### Round a ratio exactly once

```
use perfpay::{Decimal, RoundingPolicy};
use perfpay::money::RoundingMode;

let policy = RoundingPolicy::new(2, RoundingMode::HalfEven)?;
// 1/8 = 0.125, a midpoint: banker's rounding keeps the even cent
assert_eq!(policy.round_ratio(Decimal::ONE, Decimal::from(8))?.to_string(), "0.12");
# Ok::<(), perfpay::Error>(())
```

# Untrusted input

No input — an argument, a plan, a script, a stored record — makes perfpay
panic. Bad input returns an [`Error`] naming the problem, and nothing is
half-applied or half-stored. Arithmetic overflow is an error
([`ErrorKind::Overflow`]), never a wrap; library code cannot use an
operator that panics (clippy denies them). A fractional number in a TOML
document is refused rather than read through floating point. Records with
an invariant (a points ledger, a payslip) are checked when they are read
back. The core reads no clock, draws no random numbers and does no I/O:
the same inputs give byte-identical outputs.

Rule scripts are untrusted code. [`ScriptEngine`](crate::script::ScriptEngine) runs them in a sandbox
([`Sandbox`](crate::script::Sandbox)): only perfpay's own functions (rhai's standard library —
`reduce`, `sort`, `sleep`, `tan` … — is not there, and a call to it fails
when the rule is compiled); one operation budget per evaluation that
closures count against too; limits on call depth, expression depth, string
and array sizes, variables and functions; strict variables; no modules, no
`eval`, no object maps; `print` and `debug` discarded. With the default
limits every rule stops within 50 ms on one core. Hitting a limit is an
[`ErrorKind::Script`] error with a [`ScriptFault::Limit`](crate::error::ScriptFault::Limit), the rule id and
the position — never a hang, a panic or a write to stdout. Scripts compute
in `Decimal` (`0.03` is exact; `3 / 4` is 0.75) and read only the context
they are given.

# Crate features

| feature | default | what it adds |
|---|---|---|
| `toml` | yes | plans, rule cases and inputs in TOML (`Plan::from_toml`); without it plans are JSON (`Plan::from_json`) |
| `schema` | yes | JSON Schemas of the documents (`Plan::json_schema`, derives of `schemars::JsonSchema`) |
| `sqlite` | no | `sqlite::SqliteStorage`, the embedded store, SQLite built in |
| `report` | no | `report::html`: a simulated plan change as one HTML page with SVG charts |
| `export` | no | files for the books: `Journal::to_csv` and `journal::payments_csv` (the `csv` crate) |
| `parallel` | no | a period's employees evaluated on every core of rayon's current pool, the outcome byte-identical to one core's (a period under 256 employees stays on the calling thread) |
| `testing` | no | `perfpay::testing`: proptest strategies, invariant checkers, the rule-case runner, the storage conformance suite; implies `toml` and `schema` |
| `cli` | no | the `perfpay` tool (`check`, `test`, `eval`, `journal`, `payslips`, `diff`, `simulate`, `schema`, `completions`); implies `testing`, `report`, `export` and `parallel` |

The core — money, periods, scoring, tier tables, incentives, payslips,
sandboxed rhai rules, evaluation and the ports — has no feature of its own:
an embedder that builds with `default-features = false` and reads plans as
JSON gets all of it (46 crates in the build, against 59 with the defaults).
*/

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]
// No operator that can panic in library code: arithmetic goes through the
// checked forms (`DecimalExt::try_add` …), indexing through `get`. Each
// remaining `allow` says why its operation cannot panic. Tests are exempt.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

mod cycle;
#[cfg(feature = "testing")]
#[doc = include_str!("../docs/cookbook.md")]
pub mod cookbook {}
pub mod error;
mod eval;
pub mod explain;
pub mod extension;
pub mod feedback;
mod fingerprint;
pub mod goal;
pub mod id;
pub mod incentive;
pub mod journal;
pub mod locale;
pub mod metric;
pub mod money;
pub mod payroll;
pub mod period;
pub mod plan;
pub mod ports;
pub mod record;
pub mod score;
pub mod script;
pub mod simulate;
pub mod text;
pub mod tier;

#[cfg(feature = "report")]
pub mod report;
#[cfg(feature = "sqlite")]
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

// The names a host touches first; everything else is reached through the
// public modules above (`perfpay::tier::TierTable`, `perfpay::plan::KpiDoc`).
pub use chrono::NaiveDate;
pub use rust_decimal::Decimal;

pub use crate::cycle::{close_period, correct_period, prepare_close, prepare_correction};
pub use crate::error::{Error, ErrorKind, Result};
pub use crate::eval::{PlanVersions, adjustments, evaluate_numbers, evaluate_period, shard, what_if};
pub use crate::explain::{Explanation, NoExplanation, Recorder, Unit};
pub use crate::id::{EmployeeId, MetricId, RoleId};
pub use crate::incentive::Award;
pub use crate::metric::Metrics;
pub use crate::money::RoundingPolicy;
pub use crate::payroll::{Attendance, PayLine, PayrollYtd, Payslip};
pub use crate::period::{Period, Timeline};
pub use crate::plan::{CompiledPlan, Plan};
pub use crate::record::{
    ClosedPeriod, Correction, EmployeeInputs, EmployeeOutcome, OutcomeError, PeriodOutcome, Stage,
    TeamOutcome,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
