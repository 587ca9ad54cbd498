//! Plan documents: what a vendor writes (TOML or JSON), validated and
//! compiled into an immutable [`CompiledPlan`].
//!
//! Decimals are written as strings (`"0.03"`), so money never passes through
//! floating point. Unknown fields are rejected. [`Plan::compile`] reports
//! every problem at once, each with a path such as
//! `roles.operations.scorecard[2].weight`.
//!
//! The document's types are in `document`, the compiler (one method per
//! section of the plan) in `compile`, reading TOML and JSON in `read`.

mod compile;
mod diff;
mod document;
mod edit;
mod read;

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::error::{Error, Problem, Result};
use crate::feedback::{CustomFinding, Response, Survey, SurveyReport, Thresholds};
use crate::goal::GoalTree;
use crate::id::{MetricId, RoleId};
use crate::incentive::IncentiveProgram;
use crate::locale::Locale;
use crate::money::{Currency, RoundingPolicy};
use crate::payroll::PayrollSettings;
use crate::score::{ForcedDistribution, MultiSource, Normalised, RatingScale, Scorecard};
use crate::tier::{BonusPool, Carry, Commission};

pub use diff::{PlanChange, Reach, diff, reach};
pub use document::{
    AwardDoc, BandDoc, BasisDoc, BucketDoc, CommissionDoc, CurveDoc, DistributionDoc, DrawDoc, EventWhenDoc,
    FindingDoc, GateDoc, GradeDoc, IncentiveDoc, ItemDoc, KpiDoc, MatrixAwardDoc, MultiplierDoc, PayrollDoc,
    Plan, PoolDoc, QuotaDoc, RoleDoc, SourceDoc, SurveyDoc, TestDoc, WhenDoc, WithholdingDoc,
};
pub(crate) use read::read_json;
#[cfg(feature = "toml")]
pub(crate) use read::read_toml;

/// What a role's commission is paid on.
#[derive(Clone, Debug)]
pub(crate) enum Credit {
    /// A metric of the period.
    Metric(MetricId),
    /// The employee's credited transactions: each deal on its own
    /// (`each`), or their total at once.
    Transactions { each: bool },
}

/// A role, compiled.
#[derive(Clone, Debug)]
pub(crate) struct CompiledRole {
    /// `None` for a payroll-only role.
    pub(crate) scorecard: Option<Scorecard>,
    /// Multi-source ratings the score combines, if the role has them.
    pub(crate) sources: Option<MultiSource>,
    pub(crate) commission: Option<(Credit, Commission)>,
    /// Where the commission's attainment counts from.
    pub(crate) carry: Option<Carry>,
    /// A draw against the commission.
    pub(crate) draw: Option<crate::incentive::Draw>,
    pub(crate) target_bonus: Option<Decimal>,
    pub(crate) distribution: Option<ForcedDistribution>,
    pub(crate) pool: Option<(Decimal, BonusPool)>,
}

#[derive(Debug)]
pub(crate) struct CompiledInner {
    pub(crate) plan: Plan,
    /// The plan's currency.
    pub(crate) currency: Currency,
    /// The plan's rounding, or its currency's.
    pub(crate) rounding: RoundingPolicy,
    pub(crate) fingerprint: String,
    pub(crate) roles: BTreeMap<RoleId, CompiledRole>,
    pub(crate) rating: Option<RatingScale>,
    /// The incentive rules that apply to each role.
    pub(crate) incentives: BTreeMap<RoleId, IncentiveProgram>,
    pub(crate) payroll: PayrollSettings,
    pub(crate) findings: Vec<CustomFinding>,
    pub(crate) goals: Option<GoalTree>,
    /// The attendance figures the plan declares as metrics.
    pub(crate) attendance: Vec<MetricId>,
    /// What the compiler noticed that does not stop the plan.
    pub(crate) warnings: Vec<Problem>,
    /// Weights written as fractions or ratios, by path, with the decimals
    /// in effect.
    pub(crate) weights: Vec<(String, Normalised)>,
    /// The staff survey and its anonymity threshold.
    pub(crate) survey: Option<(Survey, usize)>,
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

    /// The display names the plan gives its ids in the language `tag`
    /// (`zh-CN`), if it gives any; the language alone (`zh`) is tried
    /// second.
    pub fn names(&self, tag: &str) -> Option<&BTreeMap<String, String>> {
        let names = &self.inner.plan.names;
        names.get(tag).or_else(|| {
            let language = tag.split(['-', '_']).next()?;
            names.get(language)
        })
    }

    /// `locale` with this plan's display names for its language: what an
    /// employee of this plan reads.
    ///
    /// ```
    /// use perfpay::Plan;
    /// use perfpay::locale::Locale;
    ///
    /// let plan = Plan::from_toml(include_str!("../../examples/shop.toml"))?.compile()?;
    /// let chinese = plan.locale(Locale::chinese());
    /// assert_eq!(chinese.name_of("sales"), "销售");
    /// assert_eq!(plan.locale(Locale::english()).name_of("sales"), "sales");
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn locale(&self, locale: &Locale) -> Locale {
        match self.names(locale.tag()) {
            Some(names) => locale.with_names(names),
            None => locale.clone(),
        }
    }

    /// Where the plan's pay lines go in the books (its `[journal]`), if it
    /// says.
    pub fn chart(&self) -> Option<&crate::journal::Chart> {
        self.inner.plan.journal.as_ref()
    }

    /// The roles the plan defines.
    pub fn roles(&self) -> impl Iterator<Item = &RoleId> {
        self.inner.roles.keys()
    }

    /// The rounding of money: the plan's `rounding`, else its currency's
    /// minor units, half up (`JPY` whole yen, `CNY` cents).
    pub fn rounding(&self) -> RoundingPolicy {
        self.inner.rounding
    }

    /// The currency the plan pays in.
    pub fn currency(&self) -> Currency {
        self.inner.currency
    }

    /// The thresholds of the feedback diagnostics.
    pub fn feedback(&self) -> &Thresholds {
        &self.inner.plan.feedback
    }

    /// The plan's own diagnostic findings, compiled.
    pub fn findings(&self) -> &[CustomFinding] {
        &self.inner.findings
    }

    /// Every list of weights written as fractions or ratios, by its path,
    /// with the decimals in effect and their rounding
    /// (`roles.sales.weights: 1:1:1 → 0.3334, 0.3333, 0.3333 (largest
    /// remainder at 4 places)`). Weights written as decimals summing to 1
    /// are used as written and not listed.
    pub fn weights(&self) -> &[(String, Normalised)] {
        &self.inner.weights
    }

    /// The plan's staff survey, if it has one.
    pub fn survey(&self) -> Option<&Survey> {
        self.inner.survey.as_ref().map(|(s, _)| s)
    }

    /// The period's survey `responses` aggregated under the plan's
    /// anonymity threshold; `None` when the plan has no survey.
    ///
    /// # Errors
    ///
    /// As [`Survey::aggregate`]: an answer to an unknown question, out of
    /// its scale, a respondent twice.
    pub fn survey_report(&self, responses: &[Response]) -> Result<Option<SurveyReport>> {
        match &self.inner.survey {
            Some((survey, k)) => Ok(Some(survey.aggregate(responses, *k)?)),
            None => Ok(None),
        }
    }

    /// Whether the plan pays `role` any incentive: commission, a bonus by
    /// grade, a bonus pool or an incentive rule.
    pub fn pays_incentives(&self, role: &RoleId) -> bool {
        let rules = self
            .inner
            .incentives
            .get(role)
            .is_some_and(|p| !p.rules().is_empty());
        rules
            || self
                .inner
                .roles
                .get(role)
                .is_some_and(|r| r.commission.is_some() || r.target_bonus.is_some() || r.pool.is_some())
    }

    /// The plan's goal tree, if it has goals.
    pub fn goals(&self) -> Option<&GoalTree> {
        self.inner.goals.as_ref()
    }

    /// What the compiler noticed that does not stop the plan, each with its
    /// path: today, goals whose children's targets do not reach their own
    /// (`goals.<id>: the targets under goal … do not reach it: …`). A plan
    /// with warnings compiles; errors are [`Plan::compile`]'s.
    pub fn warnings(&self) -> &[Problem] {
        &self.inner.warnings
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
    #[cfg(feature = "toml")]
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
    /// `docs/plan.schema.json`). Feature `schema`.
    #[cfg(feature = "schema")]
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
        compile::compile(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_plans_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CompiledPlan>();
    }
}
