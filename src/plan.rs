//! Plan documents: what a vendor writes (TOML or JSON), validated and
//! compiled into an immutable [`CompiledPlan`].
//!
//! Decimals are written as strings (`"0.03"`), so money never passes through
//! floating point. Unknown fields are rejected. [`Plan::compile`] reports
//! every problem at once, each with a path such as
//! `roles.operations.scorecard[2].weight`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::error::{Error, Problem, Result};
use crate::feedback::{CustomFinding, Thresholds};
use crate::fingerprint::sha256_hex;
use crate::goal::{Goal, GoalTree};
use crate::id::{GradeId, MetricId, PlanId, RoleId, RuleId};
use crate::incentive::{
    AwardSpec, Catalog, Compare, EventKind, IncentiveProgram, IncentiveRule, Once, Operand, Test, Trigger,
};
use crate::money::RoundingPolicy;
use crate::payroll::{Contribution, LatenessBand, OvertimeKind, PayrollSettings};
use crate::period::{DayBasis, WorkCalendar};
use crate::score::{
    Direction, ForcedDistribution, Grade, Kpi, LinearCurve, MissingMetric, RatingScale, Scorecard, StepCurve,
    TieBreak,
};
use crate::script::{Sandbox, Script, ScriptContext, ScriptEngine};
use crate::tier::{BonusPool, Commission, CumulativeWithholding, Gate, Multiplier, TierTable, TierTableSpec};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A plan document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// Rounding of every money amount (default: 2 places, half up).
    #[serde(default)]
    pub rounding: RoundingPolicy,
    /// Every metric the plan reads.
    #[serde(default)]
    pub metrics: Vec<MetricId>,
    /// Goal templates: the company goal broken down into goals per
    /// department, role and person (a [`GoalTree`](crate::GoalTree)). A
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
    /// The vendor's own diagnostic findings.
    #[serde(default)]
    pub findings: Vec<FindingDoc>,
}

/// A custom diagnostic finding in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleDoc {
    /// KPIs by name with weights summing to 1.
    pub scorecard: Vec<ItemDoc>,
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

/// A forced distribution in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DistributionDoc {
    /// Grades with their shares, best first; shares sum to 1.
    pub buckets: Vec<BucketDoc>,
    /// How ties at a boundary are treated.
    #[serde(default)]
    pub tie_break: TieBreak,
}

/// A forced-distribution bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BucketDoc {
    /// The grade (one of the rating scale's).
    pub grade: GradeId,
    /// Its share of the staff.
    pub share: Decimal,
}

/// A bonus pool in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolDoc {
    /// The pool per period.
    pub amount: Decimal,
    /// The most one person may receive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Decimal>,
}

/// A scorecard item in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemDoc {
    /// The KPI's name in `kpis`.
    pub kpi: String,
    /// Its weight (a fraction).
    pub weight: Decimal,
}

/// A role's commission in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommissionDoc {
    /// The metric commission is paid on (sales).
    pub on: MetricId,
    /// The tier table's name in `tiers`.
    pub table: String,
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

/// A gate in a plan: the metric must lie within the bounds (inclusive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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

/// A multiplier in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultiplierDoc {
    /// The metric.
    pub metric: MetricId,
    /// Bands: from this value on (inclusive), this factor.
    pub bands: Vec<BandDoc>,
}

/// A multiplier band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandDoc {
    /// Lower bound, inclusive.
    pub from: Decimal,
    /// The factor.
    pub factor: Decimal,
}

/// A grade in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
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
}

/// Which days count, in a plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BasisDoc {
    /// Every calendar day.
    #[default]
    CalendarDays,
    /// The working days of `payroll.calendar` (Monday to Friday if absent).
    WorkingDays,
}

/// Payroll settings in a plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// Contributions.
    #[serde(default)]
    pub contributions: Vec<Contribution>,
    /// Cumulative withholding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withholding: Option<WithholdingDoc>,
}

/// Withholding in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WithholdingDoc {
    /// The bracket table's name in `tiers`.
    pub table: String,
    /// Allowance per period.
    #[serde(default)]
    pub allowance: Decimal,
}

/// A role, compiled.
#[derive(Clone, Debug)]
pub(crate) struct CompiledRole {
    pub(crate) scorecard: Scorecard,
    pub(crate) commission: Option<(MetricId, Commission)>,
    pub(crate) target_bonus: Option<Decimal>,
    pub(crate) distribution: Option<ForcedDistribution>,
    pub(crate) pool: Option<(Decimal, BonusPool)>,
}

#[derive(Debug)]
pub(crate) struct CompiledInner {
    pub(crate) plan: Plan,
    pub(crate) fingerprint: String,
    pub(crate) roles: BTreeMap<RoleId, CompiledRole>,
    pub(crate) rating: Option<RatingScale>,
    /// The incentive rules that apply to each role.
    pub(crate) incentives: BTreeMap<RoleId, IncentiveProgram>,
    pub(crate) payroll: PayrollSettings,
    pub(crate) findings: Vec<CustomFinding>,
    pub(crate) goals: Option<GoalTree>,
}

/// A validated plan with its scripts compiled: immutable, `Send + Sync`,
/// cheap to clone and share.
#[derive(Clone, Debug)]
pub struct CompiledPlan {
    pub(crate) inner: Arc<CompiledInner>,
}

impl CompiledPlan {
    /// The plan document it was compiled from.
    pub fn plan(&self) -> &Plan {
        &self.inner.plan
    }

    /// SHA-256 (hex) of the plan's canonical JSON: the same plan always has
    /// the same fingerprint.
    pub fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }

    /// The roles the plan defines.
    pub fn roles(&self) -> impl Iterator<Item = &RoleId> {
        self.inner.roles.keys()
    }

    /// The rounding policy.
    pub fn rounding(&self) -> RoundingPolicy {
        self.inner.plan.rounding
    }

    /// The thresholds of the feedback diagnostics.
    pub fn feedback(&self) -> &Thresholds {
        &self.inner.plan.feedback
    }

    /// The plan's own diagnostic findings, compiled.
    pub fn findings(&self) -> &[CustomFinding] {
        &self.inner.findings
    }
}

/// Turns an error of a building block into problems under `prefix`.
fn absorb(problems: &mut Vec<Problem>, prefix: &str, err: &Error) {
    if err.problems().is_empty() {
        let mut message = String::new();
        if let Some(pos) = err.position() {
            message.push_str(&format!("{pos}: "));
        }
        message.push_str(err.message());
        let path = match err.path() {
            Some(p) => format!("{prefix}.{p}"),
            None => prefix.to_owned(),
        };
        problems.push(Problem::new(path, message));
    } else {
        for p in err.problems() {
            problems.push(Problem::new(
                format!("{prefix}.{}", p.path()),
                p.message().to_owned(),
            ));
        }
    }
}

fn test_from_doc(
    doc: &TestDoc,
    path: &str,
    metrics: &BTreeSet<MetricId>,
    problems: &mut Vec<Problem>,
) -> Option<Test> {
    let operand = match doc.of.as_str() {
        "score" => Operand::Score,
        "rank" => Operand::Rank,
        other => match MetricId::new(other) {
            Ok(m) if metrics.contains(&m) => Operand::Metric(m),
            _ => {
                problems.push(Problem::new(
                    format!("{path}.of"),
                    format!("unknown metric {other}"),
                ));
                return None;
            }
        },
    };
    let given: Vec<(Compare, Decimal)> = [
        (Compare::AtLeast, doc.at_least),
        (Compare::AtMost, doc.at_most),
        (Compare::Equals, doc.equals),
    ]
    .into_iter()
    .filter_map(|(c, v)| v.map(|v| (c, v)))
    .collect();
    match given.as_slice() {
        [(compare, value)] => Some(Test::Compare(operand, *compare, *value)),
        _ => {
            problems.push(Problem::new(
                path.to_owned(),
                "give exactly one of at_least, at_most, equals",
            ));
            None
        }
    }
}

impl Plan {
    /// Reads a plan from TOML.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Plan`](crate::ErrorKind::Plan) with the parser's message
    /// (unknown fields, wrong types) and where; a bare fractional number
    /// (`rate = 0.03`, which TOML reads through floating point) with its
    /// path and a hint to write it as a string.
    pub fn from_toml(text: &str) -> Result<Plan> {
        read_toml(text, "plan").map_err(|e| Error::plan(vec![Problem::new(e.place, e.message)]))
    }

    /// Reads a plan from JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Plan`](crate::ErrorKind::Plan) with the parser's message.
    pub fn from_json(text: &str) -> Result<Plan> {
        read_json(text, "plan").map_err(|e| Error::plan(vec![Problem::new(e.place, e.message)]))
    }

    /// The plan as JSON (canonical: maps ordered, no insignificant space).
    ///
    /// # Errors
    ///
    /// Only if serialization fails, which a valid plan never does.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::data(format!("plan does not serialize: {e}")))
    }

    /// The plan's JSON Schema, as a pretty-printed string (checked in at
    /// `docs/plan.schema.json`).
    pub fn json_schema() -> String {
        let schema = schemars::schema_for!(Plan);
        // a schema is plain JSON values: serializing it cannot fail
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    }

    /// Validates the plan and compiles its scripts.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Plan`](crate::ErrorKind::Plan) listing *every* problem
    /// with its path: unknown KPIs, tables, scripts or metrics; weights not
    /// summing to 1; invalid tables, curves and grades; script syntax and
    /// unknown variables (with line and column).
    pub fn compile(&self) -> Result<CompiledPlan> {
        let mut problems = Vec::new();
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            problems.push(Problem::new(
                "currency",
                format!("{:?} is not a 3-letter ISO 4217 code", self.currency),
            ));
        }
        let metrics: BTreeSet<MetricId> = self.metrics.iter().cloned().collect();
        // tier tables first: every problem of every table joins the list
        let mut tables: BTreeMap<String, TierTable> = BTreeMap::new();
        for (name, spec) in &self.tiers {
            match TierTable::try_from(spec.clone()) {
                Ok(table) => {
                    tables.insert(name.clone(), table);
                }
                Err(e) => absorb(&mut problems, &format!("tiers.{name}"), &e),
            }
        }
        let mut engine = ScriptEngine::builder()
            .sandbox(Sandbox::default())
            .rounding(self.rounding)
            .metrics(metrics.iter().cloned());
        for (name, table) in &tables {
            engine = engine.table(name.clone(), table.clone());
        }
        let engine = engine.build();
        let compile_script =
            |name: &str, context: ScriptContext, path: &str, problems: &mut Vec<Problem>| -> Option<Script> {
                let Some(source) = self.scripts.get(name) else {
                    problems.push(Problem::new(path.to_owned(), format!("unknown script {name}")));
                    return None;
                };
                let rule = match RuleId::new(name) {
                    Ok(r) => r,
                    Err(e) => {
                        absorb(problems, path, &e.into());
                        return None;
                    }
                };
                match engine.compile(rule, source, context) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        absorb(problems, &format!("scripts.{name}"), &e);
                        None
                    }
                }
            };
        let known_metric = |m: &MetricId, path: String, problems: &mut Vec<Problem>| {
            if !metrics.contains(m) {
                problems.push(Problem::new(path, format!("unknown metric {m}")));
            }
        };

        // KPIs
        let mut kpis: BTreeMap<&str, Kpi> = BTreeMap::new();
        for (name, doc) in &self.kpis {
            let path = format!("kpis.{name}");
            known_metric(&doc.metric, format!("{path}.metric"), &mut problems);
            let kpi = match &doc.curve {
                CurveDoc::Linear(c) => Kpi::linear(doc.metric.clone(), doc.direction, *c),
                CurveDoc::Steps(c) => Kpi::steps(doc.metric.clone(), doc.direction, c.clone()),
                CurveDoc::Script(s) => match compile_script(
                    s,
                    ScriptContext::Kpi,
                    &format!("{path}.curve.script"),
                    &mut problems,
                ) {
                    Some(script) => Ok(Kpi::custom(doc.metric.clone(), doc.direction, Arc::new(script))),
                    None => continue,
                },
            };
            match kpi {
                Ok(k) => {
                    kpis.insert(name.as_str(), k);
                }
                Err(e) => absorb(&mut problems, &path, &e),
            }
        }

        // roles
        let mut roles = BTreeMap::new();
        for (role, doc) in &self.roles {
            let path = format!("roles.{role}");
            let mut card = Scorecard::builder(role.to_string()).missing(doc.missing);
            let mut complete = true;
            for (i, item) in doc.scorecard.iter().enumerate() {
                match kpis.get(item.kpi.as_str()) {
                    Some(k) => card = card.item(k.clone(), item.weight),
                    None => {
                        complete = false;
                        if !self.kpis.contains_key(&item.kpi) {
                            problems.push(Problem::new(
                                format!("{path}.scorecard[{i}].kpi"),
                                format!("unknown kpi {}", item.kpi),
                            ));
                        }
                    }
                }
            }
            let scorecard = if complete {
                match card.build() {
                    Ok(c) => Some(c),
                    Err(e) => {
                        // re-express item paths as the plan's scorecard paths
                        for p in e.problems() {
                            let sub = p.path().replacen("items", "scorecard", 1);
                            problems.push(Problem::new(format!("{path}.{sub}"), p.message().to_owned()));
                        }
                        None
                    }
                }
            } else {
                None
            };
            let commission = match &doc.commission {
                None => None,
                Some(c) => {
                    let cpath = format!("{path}.commission");
                    known_metric(&c.on, format!("{cpath}.on"), &mut problems);
                    match tables.get(&c.table) {
                        None if self.tiers.contains_key(&c.table) => None,
                        None => {
                            problems.push(Problem::new(
                                format!("{cpath}.table"),
                                format!("unknown tier table {}", c.table),
                            ));
                            None
                        }
                        Some(table) => {
                            let mut rule = Commission::on_table(table.clone()).rounding(self.rounding);
                            for (i, g) in c.gates.iter().enumerate() {
                                let gpath = format!("{cpath}.gates[{i}]");
                                known_metric(&g.metric, format!("{gpath}.metric"), &mut problems);
                                let gate = match (g.at_least, g.at_most) {
                                    (Some(lo), Some(hi)) => Gate::between(g.metric.clone(), lo, hi),
                                    (Some(lo), None) => Ok(Gate::at_least(g.metric.clone(), lo)),
                                    (None, Some(hi)) => Ok(Gate::at_most(g.metric.clone(), hi)),
                                    (None, None) => {
                                        problems.push(Problem::new(
                                            gpath.clone(),
                                            "a gate needs at_least or at_most",
                                        ));
                                        continue;
                                    }
                                };
                                match gate {
                                    Ok(gate) => rule = rule.gate(gate),
                                    Err(e) => absorb(&mut problems, &gpath, &e),
                                }
                            }
                            for (i, name) in c.script_gates.iter().enumerate() {
                                if let Some(s) = compile_script(
                                    name,
                                    ScriptContext::Commission,
                                    &format!("{cpath}.script_gates[{i}]"),
                                    &mut problems,
                                ) {
                                    rule = rule.condition(format!("rule {name}"), Arc::new(s));
                                }
                            }
                            for (i, m) in c.multipliers.iter().enumerate() {
                                let mpath = format!("{cpath}.multipliers[{i}]");
                                known_metric(&m.metric, format!("{mpath}.metric"), &mut problems);
                                match Multiplier::new(
                                    m.metric.clone(),
                                    m.bands.iter().map(|b| (b.from, b.factor)),
                                ) {
                                    Ok(mult) => rule = rule.multiplier(mult),
                                    Err(e) => absorb(&mut problems, &mpath, &e),
                                }
                            }
                            Some((c.on.clone(), rule))
                        }
                    }
                }
            };
            if let Some(b) = doc.target_bonus
                && b < Decimal::ZERO
            {
                problems.push(Problem::new(
                    format!("{path}.target_bonus"),
                    format!("{b} is negative"),
                ));
            }
            let distribution = match &doc.forced_distribution {
                None => None,
                Some(d) => {
                    let dpath = format!("{path}.forced_distribution");
                    for (i, b) in d.buckets.iter().enumerate() {
                        if !self.rating.iter().any(|g| g.id == b.grade) {
                            problems.push(Problem::new(
                                format!("{dpath}.buckets[{i}].grade"),
                                format!("grade {} is not on the rating scale", b.grade),
                            ));
                        }
                    }
                    match ForcedDistribution::new(
                        d.buckets.iter().map(|b| (b.grade.clone(), b.share)),
                        d.tie_break,
                    ) {
                        Ok(f) => Some(f),
                        Err(e) => {
                            absorb(&mut problems, &dpath, &e);
                            None
                        }
                    }
                }
            };
            let pool = match &doc.bonus_pool {
                None => None,
                Some(p) => {
                    let ppath = format!("{path}.bonus_pool");
                    let mut pool = BonusPool::new(self.rounding);
                    if let Some(cap) = p.cap {
                        match pool.with_cap(cap) {
                            Ok(with) => pool = with,
                            Err(e) => absorb(&mut problems, &ppath, &e),
                        }
                    }
                    if p.amount < Decimal::ZERO || !self.rounding.is_rounded(p.amount) {
                        problems.push(Problem::new(
                            format!("{ppath}.amount"),
                            format!(
                                "{} is negative or has more decimal places than the rounding keeps",
                                p.amount
                            ),
                        ));
                    }
                    Some((p.amount, pool))
                }
            };
            if let Some(scorecard) = scorecard {
                roles.insert(
                    role.clone(),
                    CompiledRole {
                        scorecard,
                        commission,
                        target_bonus: doc.target_bonus,
                        distribution,
                        pool,
                    },
                );
            }
        }

        // rating
        let rating = if self.rating.is_empty() {
            None
        } else {
            let grades = self.rating.iter().map(|g| match g.min {
                Some(min) => Grade::at_least(g.id.clone(), min, g.coefficient),
                None => Grade::otherwise(g.id.clone(), g.coefficient),
            });
            match RatingScale::new(grades) {
                Ok(r) => Some(r),
                Err(e) => {
                    for p in e.problems() {
                        let sub = p.path().replacen("grades", "rating", 1);
                        problems.push(Problem::new(sub, p.message().to_owned()));
                    }
                    None
                }
            }
        };
        if rating.is_none() && self.roles.values().any(|r| r.target_bonus.is_some()) && self.rating.is_empty()
        {
            problems.push(Problem::new(
                "rating",
                "roles pay a target bonus, so the plan needs a rating scale",
            ));
        }

        // incentives
        let mut rules = Vec::new();
        let mut applies: Vec<Vec<RoleId>> = Vec::new();
        for (i, doc) in self.incentives.iter().enumerate() {
            let path = format!("incentives[{i}]");
            for (j, role) in doc.roles.iter().enumerate() {
                if !self.roles.contains_key(role) {
                    problems.push(Problem::new(
                        format!("{path}.roles[{j}]"),
                        format!("unknown role {role}"),
                    ));
                }
            }
            let trigger = match &doc.when {
                WhenDoc::Outcome(tests) => Trigger::Outcome(
                    tests
                        .iter()
                        .enumerate()
                        .filter_map(|(j, t)| {
                            test_from_doc(t, &format!("{path}.when.outcome[{j}]"), &metrics, &mut problems)
                        })
                        .collect(),
                ),
                WhenDoc::Event(e) => Trigger::Event {
                    kind: e.kind.clone(),
                    subject: e.subject.clone(),
                    tests: e
                        .tests
                        .iter()
                        .enumerate()
                        .filter_map(|(j, t)| {
                            test_from_doc(
                                t,
                                &format!("{path}.when.event.tests[{j}]"),
                                &metrics,
                                &mut problems,
                            )
                        })
                        .collect(),
                },
                WhenDoc::Script(name) => match compile_script(
                    name,
                    ScriptContext::Incentive,
                    &format!("{path}.when.script"),
                    &mut problems,
                ) {
                    Some(s) => {
                        Trigger::Outcome(vec![Test::Custom(format!("rule {name}").into(), Arc::new(s))])
                    }
                    None => continue,
                },
            };
            let award = match &doc.award {
                AwardDoc::Cash(a) => AwardSpec::Cash(*a),
                AwardDoc::Points(p) => AwardSpec::Points(*p),
                AwardDoc::Honour(h) => AwardSpec::Honour(h.clone()),
                AwardDoc::CashScript(name) => match compile_script(
                    name,
                    ScriptContext::Incentive,
                    &format!("{path}.award.cash_script"),
                    &mut problems,
                ) {
                    Some(s) => AwardSpec::CashFormula(Arc::new(s)),
                    None => continue,
                },
            };
            let mut rule = IncentiveRule::new(doc.id.clone(), trigger, award).once(doc.once);
            if let Some(n) = doc.max_per_period {
                rule = rule.max_per_period(n);
            }
            if let Some(cap) = doc.cash_cap_per_period {
                rule = rule.cash_cap_per_period(cap);
            }
            rules.push(rule);
            applies.push(doc.roles.clone());
        }
        let catalog = Catalog {
            metrics: metrics.clone(),
            custom_events: self
                .incentives
                .iter()
                .filter_map(|i| match &i.when {
                    WhenDoc::Event(EventWhenDoc {
                        kind: EventKind::Custom(name),
                        ..
                    }) => Some(name.clone()),
                    _ => None,
                })
                .collect(),
        };
        // validate all rules once, then give each role the rules that apply to it
        let incentives = match IncentiveProgram::new(rules.clone(), &catalog, self.rounding) {
            Ok(_) => {
                let mut per_role = BTreeMap::new();
                for role in self.roles.keys() {
                    let mine: Vec<IncentiveRule> = rules
                        .iter()
                        .zip(&applies)
                        .filter(|(_, roles)| roles.is_empty() || roles.contains(role))
                        .map(|(rule, _)| rule.clone())
                        .collect();
                    match IncentiveProgram::new(mine, &catalog, self.rounding) {
                        Ok(p) => {
                            per_role.insert(role.clone(), p);
                        }
                        Err(e) => absorb(&mut problems, "incentives", &e),
                    }
                }
                Some(per_role)
            }
            Err(e) => {
                for p in e.problems() {
                    let sub = p.path().replacen("rules", "incentives", 1);
                    problems.push(Problem::new(sub, p.message().to_owned()));
                }
                None
            }
        };

        // payroll
        let p = &self.payroll;
        let basis = match p.basis {
            BasisDoc::CalendarDays => DayBasis::CalendarDays,
            BasisDoc::WorkingDays => {
                DayBasis::WorkingDays(p.calendar.clone().unwrap_or_else(WorkCalendar::monday_to_friday))
            }
        };
        let mut settings = PayrollSettings::builder(self.rounding).basis(basis);
        for band in &p.lateness {
            settings = settings.lateness_band(band.from_minutes, band.penalty);
        }
        if let Some(d) = p.overtime_divisor {
            settings = settings.overtime_divisor(d);
        }
        for (kind, m) in &p.overtime {
            settings = settings.overtime(*kind, *m);
        }
        for c in &p.contributions {
            settings = settings.contribution(c.clone());
        }
        if let Some(w) = &p.withholding {
            match tables.get(&w.table) {
                None if self.tiers.contains_key(&w.table) => {}
                None => problems.push(Problem::new(
                    "payroll.withholding.table",
                    format!("unknown tier table {}", w.table),
                )),
                Some(table) => match CumulativeWithholding::new(table.clone(), self.rounding) {
                    Ok(brackets) => settings = settings.withholding(brackets, w.allowance),
                    Err(e) => absorb(&mut problems, "payroll.withholding.table", &e),
                },
            }
        }
        let payroll = match settings.build() {
            Ok(s) => Some(s),
            Err(e) => {
                absorb(&mut problems, "payroll", &e);
                None
            }
        };

        let mut findings = Vec::new();
        for (i, f) in self.findings.iter().enumerate() {
            if let Some(s) = compile_script(
                &f.script,
                ScriptContext::Diagnostics,
                &format!("findings[{i}].script"),
                &mut problems,
            ) {
                findings.push(CustomFinding {
                    code: f.code.clone(),
                    message: f.message.clone(),
                    condition: Arc::new(s),
                });
            }
        }
        if let Some(m) = &self.feedback.achievement_metric {
            known_metric(m, "feedback.achievement_metric".into(), &mut problems);
        }
        let goals = if self.goals.is_empty() {
            None
        } else {
            for (i, goal) in self.goals.iter().enumerate() {
                known_metric(&goal.metric, format!("goals[{i}].metric"), &mut problems);
            }
            match GoalTree::new(self.goals.iter().cloned()) {
                Ok(tree) => Some(tree),
                // the tree's problems already carry `goals…` paths
                Err(e) if !e.problems().is_empty() => {
                    problems.extend(e.problems().iter().cloned());
                    None
                }
                Err(e) => {
                    problems.push(Problem::new("goals", e.message().to_owned()));
                    None
                }
            }
        };
        if !problems.is_empty() {
            return Err(Error::plan(problems));
        }
        let (Some(incentives), Some(payroll)) = (incentives, payroll) else {
            return Err(Error::plan(vec![Problem::new("plan", "could not be compiled")]));
        };
        let json = self.to_json()?;
        Ok(CompiledPlan {
            inner: Arc::new(CompiledInner {
                plan: self.clone(),
                fingerprint: sha256_hex(json.as_bytes()),
                roles,
                rating,
                incentives,
                payroll,
                findings,
                goals,
            }),
        })
    }
}

/// Where a document (a plan, a rule-case or inputs file) went wrong: the
/// place (`tiers.sales.tiers[1].rate (line 3, column 8)`, or the document's
/// name with a line and column) and what.
#[derive(Debug)]
pub(crate) struct DocumentError {
    pub(crate) place: String,
    pub(crate) message: String,
}

/// The text without a leading UTF-8 byte-order mark (editors on Windows
/// write one; serde_json refuses it).
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Reads a TOML document named `name`. A bare fractional number (`rate =
/// 0.03`) is refused with its path before anything is read: TOML hands it
/// to serde as an `f64`, which has already lost digits. Bare integers are
/// exact and accepted.
pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    name: &str,
) -> std::result::Result<T, DocumentError> {
    let text = without_bom(text);
    let at = |span: Option<std::ops::Range<usize>>, message: String| {
        let place = match span.map(|s| line_col(text, s.start)) {
            Some((l, c)) => format!("{name} (line {l}, column {c})"),
            None => name.to_owned(),
        };
        DocumentError { place, message }
    };
    let document = toml::de::DeTable::parse(text).map_err(|e| at(e.span(), e.message().to_owned()))?;
    if let Some((path, literal, span)) = bare_fraction(document.get_ref(), &mut String::new()) {
        let (l, c) = line_col(text, span.start);
        return Err(DocumentError {
            place: format!("{path} ({name}, line {l}, column {c})"),
            message: format!(
                "the bare number {literal} would be read through floating point; \
                 write it as a string: \"{literal}\""
            ),
        });
    }
    toml::from_str(text).map_err(|e| at(e.span(), e.message().to_owned()))
}

/// The first bare fractional number in a TOML table: its path, the literal
/// as written, and where it is.
fn bare_fraction(
    table: &toml::de::DeTable<'_>,
    path: &mut String,
) -> Option<(String, String, std::ops::Range<usize>)> {
    for (key, value) in table {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key.get_ref());
        let found = bare_fraction_in(value, path);
        path.truncate(len);
        if found.is_some() {
            return found;
        }
    }
    None
}

fn bare_fraction_in(
    value: &toml::Spanned<toml::de::DeValue<'_>>,
    path: &mut String,
) -> Option<(String, String, std::ops::Range<usize>)> {
    use toml::de::DeValue;
    match value.get_ref() {
        DeValue::Float(f) => Some((path.clone(), f.as_str().to_owned(), value.span())),
        DeValue::Table(table) => bare_fraction(table, path),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = bare_fraction_in(item, path);
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Reads a JSON document named `name` (a leading byte-order mark is
/// skipped). A bare number where a decimal belongs is refused by the
/// decimal itself; the message says how to write it.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    text: &str,
    name: &str,
) -> std::result::Result<T, DocumentError> {
    serde_json::from_str(without_bom(text)).map_err(|e| {
        let mut message = e.to_string();
        if message.contains("invalid type: floating point") || message.contains("invalid type: integer") {
            message.push_str(" (write decimals as strings: \"0.03\")");
        }
        DocumentError {
            place: format!("{name} (line {}, column {})", e.line(), e.column()),
            message,
        }
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count().saturating_add(1);
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        .saturating_add(1);
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_plans_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CompiledPlan>();
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
