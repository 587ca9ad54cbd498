//! The plan document: what a vendor writes, as serde and JSON Schema types.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::feedback::{Question, Thresholds};
use crate::goal::Goal;
use crate::id::{GradeId, MetricId, PlanId, RoleId, RuleId};
use crate::incentive::{EventKind, Once};
use crate::money::RoundingPolicy;
use crate::payroll::{Contribution, LatenessBand, OvertimeKind};
use crate::period::WorkCalendar;
use crate::score::{Direction, LinearCurve, MissingMetric, RaterSource, Ratio, StepCurve, TieBreak, Weight};
use crate::tier::{Carry, RateMatrixSpec, TierTableSpec};

/// A plan document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The plan's id.
    pub id: PlanId,
    /// The version; a corrected plan gets a new version.
    pub version: u32,
    /// The first day the plan applies.
    pub effective: NaiveDate,
    /// ISO 4217 currency code, such as `CNY`.
    pub currency: String,
    /// Rounding of every money amount; without it, the currency's minor
    /// units, half up (`CNY` cents, `JPY` whole yen). It may be coarser
    /// than the minor unit (whole yuan), never finer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<RoundingPolicy>,
    /// Every metric the plan reads.
    #[serde(default)]
    pub metrics: Vec<MetricId>,
    /// Goal templates: the company goal broken down into goals per
    /// department, role and person (a [`GoalTree`](crate::goal::GoalTree)). A
    /// leaf goal whose `owner` is an employee id is measured from that
    /// employee's metric each period; every goal's achievement is reported
    /// in the period outcome, and offered to the owner's KPIs and incentive
    /// rules as a metric named after the goal when the plan declares that
    /// metric.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    /// Named rhai scripts, referenced by KPIs, gates and incentives.
    #[serde(default)]
    pub scripts: BTreeMap<String, String>,
    /// Named tier tables (validated when the plan is compiled).
    #[serde(default)]
    pub tiers: BTreeMap<String, TierTableSpec>,
    /// Named rate matrices: a value (a payout percentage) looked up by two
    /// metrics, for bonus matrices.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub matrices: BTreeMap<String, RateMatrixSpec>,
    /// Named KPI definitions.
    #[serde(default)]
    pub kpis: BTreeMap<String, KpiDoc>,
    /// Roles: scorecard, commission, bonus.
    #[serde(default)]
    pub roles: BTreeMap<RoleId, RoleDoc>,
    /// The rating scale, best grade first; the last has no minimum.
    #[serde(default)]
    pub rating: Vec<GradeDoc>,
    /// Incentive rules.
    #[serde(default)]
    pub incentives: Vec<IncentiveDoc>,
    /// Payroll settings.
    #[serde(default)]
    pub payroll: PayrollDoc,
    /// Thresholds of the feedback diagnostics.
    #[serde(default)]
    pub feedback: Thresholds,
    /// The period's staff survey: its questions and anonymity threshold.
    /// Responses come with a period's inputs; the outcome carries the
    /// report and the diagnostics read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyDoc>,
    /// The vendor's own diagnostic findings.
    #[serde(default)]
    pub findings: Vec<FindingDoc>,
    /// Display names of the plan's ids, per language: `[names.zh-CN]` with
    /// `A = "优秀"`, `sales = "销售"`, `PENSION = "养老保险"`. Explanations
    /// rendered in that language write each id as its name
    /// ([`CompiledPlan::locale`](crate::CompiledPlan::locale)).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, BTreeMap<String, String>>,
    /// Where the pay lines go in the books: the payroll journal's accounts
    /// ([`journal`](crate::journal)). Every code the plan's payslips can
    /// carry must be mapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<crate::journal::Chart>,
}

/// A staff survey in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyDoc {
    /// The questions.
    pub questions: Vec<Question>,
    /// A group's results are shown only with at least this many responses
    /// (default 5, at least 2).
    #[serde(default = "five")]
    pub anonymity: usize,
}

fn five() -> usize {
    5
}

/// A custom diagnostic finding in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FindingDoc {
    /// The finding's code.
    pub code: String,
    /// The message when it fires.
    pub message: String,
    /// A named script (diagnostics context) that decides when it fires.
    pub script: String,
}

/// A KPI in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KpiDoc {
    /// The metric read.
    pub metric: MetricId,
    /// Whether more is better (default) or less.
    #[serde(default = "higher")]
    pub direction: Direction,
    /// How a value becomes a score.
    pub curve: CurveDoc,
}

fn higher() -> Direction {
    Direction::HigherIsBetter
}

/// A KPI curve in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CurveDoc {
    /// Threshold / target / stretch.
    Linear(LinearCurve),
    /// Step bands.
    Steps(StepCurve),
    /// A named script (KPI context: `value` and metrics).
    Script(String),
}

/// A role in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleDoc {
    /// KPIs by name with weights summing to 1 (or the `weights` ratio).
    /// Empty or absent for a
    /// payroll-only role: its staff get no score, grade or rank (so no
    /// `target_bonus`, `forced_distribution` or `bonus_pool`), and are paid
    /// by commission, incentives and payroll alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scorecard: Vec<ItemDoc>,
    /// The scorecard's weights as a ratio in its order (`"2:1:1"`), instead
    /// of a weight per item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Ratio>,
    /// Multi-source ratings: the score combines these sources — the KPI
    /// `scorecard` and ratings (`self`, `manager`, `peer`, … or a name of
    /// the plan's own) from each employee's `ratings` — with their weights;
    /// a missing source follows `missing`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceDoc>,
    /// The sources' weights as a ratio in their order, instead of a weight
    /// per source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_weights: Option<Ratio>,
    /// What to do when a metric is missing.
    #[serde(default)]
    pub missing: MissingMetric,
    /// Commission, if the role earns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commission: Option<CommissionDoc>,
    /// The target (100 %) performance bonus per period, paid × the grade's
    /// coefficient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_bonus: Option<Decimal>,
    /// Calibration: grades by share of the role's staff, best first
    /// (overrides the rating scale's grades; coefficients still come from it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forced_distribution: Option<DistributionDoc>,
    /// A bonus pool split over the role's staff by score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_pool: Option<PoolDoc>,
}

/// A rating source of a role in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    /// Who rates: `scorecard` (the role's KPIs), `self`, `manager`, `peer`,
    /// `subordinate`, `customer`, or a name of the plan's own.
    pub source: RaterSource,
    /// Its weight (a decimal or a fraction); absent under `source_weights`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

/// A forced distribution in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DistributionDoc {
    /// Grades with their shares, best first; shares sum to 1.
    pub buckets: Vec<BucketDoc>,
    /// How ties at a boundary are treated.
    #[serde(default)]
    pub tie_break: TieBreak,
}

/// A forced-distribution bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BucketDoc {
    /// The grade (one of the rating scale's).
    pub grade: GradeId,
    /// Its share of the staff.
    pub share: Decimal,
}

/// A bonus pool in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PoolDoc {
    /// The pool per period.
    pub amount: Decimal,
    /// The most one person may receive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Decimal>,
}

/// A scorecard item in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemDoc {
    /// The KPI's name in `kpis`.
    pub kpi: String,
    /// Its weight: a decimal (`"0.4"`) or a fraction (`"1/3"`); the
    /// scorecard's weights sum exactly to 1. Absent when the role gives its
    /// `weights` as a ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
}

/// A role's commission in a plan: the metric it is paid on, its base — a
/// tier table (`table`), a rule (`script`) or quota attainment (`quota`),
/// exactly one — then gates, script gates and multipliers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CommissionDoc {
    /// The metric commission is paid on (sales); absent, the employee's
    /// credited transactions are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<MetricId>,
    /// On transactions: `transaction` pays each deal on its own at the
    /// running attainment of the period; `period` (the default) pays the
    /// period's total credit at once.
    #[serde(default, skip_serializing_if = "Per::is_period")]
    pub per: Per,
    /// The tier table's name in `tiers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// A named script (commission context: `amount`, `prior` and the
    /// metrics) whose value is the base payout, for a formula no table
    /// says ("5 % of the amount, plus 10 % of that on top").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Commission on attainment of each employee's own quota.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaDoc>,
    /// Tiers count from the start of the `year` or `quarter`: the credit
    /// so far (kept in the year-to-date state) is the prior total the
    /// period's credit is paid on top of, and `prior` in scripts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carry: Option<Carry>,
    /// A draw against the commission: a minimum paid each period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<DrawDoc>,
    /// Gates, checked first.
    #[serde(default)]
    pub gates: Vec<GateDoc>,
    /// Scripted gates (names in `scripts`), checked after the gates.
    #[serde(default)]
    pub script_gates: Vec<String>,
    /// Multipliers, applied in order.
    #[serde(default)]
    pub multipliers: Vec<MultiplierDoc>,
}

/// A draw against commission in a plan: each period pays at least
/// `amount`. A recoverable draw's shortfall is advanced and recovered from
/// later commission above the draw (at most `recovery_limit` a period); a
/// non-recoverable draw is a guaranteed minimum, never owed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DrawDoc {
    /// The least paid per period.
    pub amount: Decimal,
    /// Whether a shortfall is owed and recovered later.
    pub recoverable: bool,
    /// The most recovered per period (recoverable draws).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_limit: Option<Decimal>,
}

/// What a commission on transactions pays on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// The period's total credit, at once.
    #[default]
    Period,
    /// Each deal on its own, at the running attainment of the period.
    Transaction,
}

impl Per {
    fn is_period(&self) -> bool {
        *self == Per::Period
    }
}

/// Commission on quota attainment in a plan: attainment is the credit ÷
/// the employee's quota (a metric of the period); the table's bounds are
/// attainment (`1` is 100 %). Without `target` the table's rates apply to
/// the credit (decelerators and accelerators); with it the table gives a
/// payout percentage of the target, at most `cap`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QuotaDoc {
    /// The metric holding each employee's quota for the period.
    pub metric: MetricId,
    /// The tier table's name in `tiers`, bounds in attainment.
    pub table: String,
    /// Attainment below this (0.5 is 50 %) pays nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Decimal>,
    /// The target incentive the table's percentage is paid of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Decimal>,
    /// The most payout percentage of the target (2 is 200 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Decimal>,
}

/// A gate in a plan: the metric must lie within the bounds (inclusive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GateDoc {
    /// The metric.
    pub metric: MetricId,
    /// The least value that opens the gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<Decimal>,
    /// The greatest value that opens the gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<Decimal>,
}

/// A multiplier in a plan: either the factor of the band a metric falls in
/// (`metric` and `bands`), or a fixed `factor` whatever the metrics (an
/// accelerator written into the plan, with an optional `label`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MultiplierDoc {
    /// The metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<MetricId>,
    /// Bands: from this value on (inclusive), this factor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<BandDoc>,
    /// A fixed factor (1.1 is 10 % extra on top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<Decimal>,
    /// The fixed factor's name in explanations (default `fixed factor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A multiplier band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BandDoc {
    /// Lower bound, inclusive.
    pub from: Decimal,
    /// The factor.
    pub factor: Decimal,
}

/// A grade in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GradeDoc {
    /// The grade.
    pub id: GradeId,
    /// The least score (inclusive); absent for the last grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    /// The bonus coefficient.
    pub coefficient: Decimal,
}

/// An incentive rule in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncentiveDoc {
    /// The rule's id.
    pub id: RuleId,
    /// When it fires.
    pub when: WhenDoc,
    /// What it awards.
    pub award: AwardDoc,
    /// How often (default: once per period).
    #[serde(default)]
    pub once: Once,
    /// At most this many awards per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_period: Option<u32>,
    /// At most this much cash per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cash_cap_per_period: Option<Decimal>,
    /// The roles the rule applies to (all roles when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleId>,
}

/// When an incentive fires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WhenDoc {
    /// Once, when the period's outcome passes every test.
    Outcome(Vec<TestDoc>),
    /// On each matching event.
    Event(EventWhenDoc),
    /// When a named script (incentive context) returns `true`.
    Script(String),
}

/// An event trigger in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EventWhenDoc {
    /// The event kind.
    pub kind: EventKind,
    /// Only events about this subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Tests over the outcome and the event.
    #[serde(default)]
    pub tests: Vec<TestDoc>,
}

/// A test in a plan: `of` (`score`, `rank`, or a metric id) compared with
/// exactly one of `at_least`, `at_most`, `equals`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TestDoc {
    /// `score`, `rank`, or a metric id.
    pub of: String,
    /// `of ≥ at_least`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<Decimal>,
    /// `of ≤ at_most`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<Decimal>,
    /// `of = equals`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Decimal>,
}

/// What an incentive awards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AwardDoc {
    /// Fixed cash.
    Cash(Decimal),
    /// Cash from a named script (incentive context).
    CashScript(String),
    /// Points.
    Points(Decimal),
    /// An honour recorded to the employee's record.
    Honour(String),
    /// Cash from a bonus matrix: target × the matrix's value × a factor.
    Matrix(MatrixAwardDoc),
}

/// A bonus-matrix award in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MatrixAwardDoc {
    /// The matrix's name in `matrices`.
    pub matrix: String,
    /// The target bonus the matrix's percentage is paid of.
    pub target: Decimal,
    /// A metric multiplying the award (an individual achievement factor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<MetricId>,
}

/// Which days count, in a plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BasisDoc {
    /// Every calendar day.
    #[default]
    CalendarDays,
    /// The working days of `payroll.calendar` (Monday to Friday if absent).
    WorkingDays,
}

/// Payroll settings in a plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PayrollDoc {
    /// Which days count.
    #[serde(default)]
    pub basis: BasisDoc,
    /// The working-day calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<WorkCalendar>,
    /// Lateness bands.
    #[serde(default)]
    pub lateness: Vec<LatenessBand>,
    /// Hours a period's salary pays for (default 174).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overtime_divisor: Option<Decimal>,
    /// Overtime multipliers.
    #[serde(default)]
    pub overtime: BTreeMap<OvertimeKind, Decimal>,
    /// Paid leave kinds and the share of pay a day of each keeps (1 fully
    /// paid, 0.8 for sick leave at 80 %).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub leave: BTreeMap<String, Decimal>,
    /// Contributions.
    #[serde(default)]
    pub contributions: Vec<Contribution>,
    /// Cumulative withholding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withholding: Option<WithholdingDoc>,
}

/// Withholding in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WithholdingDoc {
    /// The bracket table's name in `tiers`.
    pub table: String,
    /// Allowance per period.
    #[serde(default)]
    pub allowance: Decimal,
}
