//! The plan compiler: a plan document validated section by section into a
//! [`CompiledPlan`], every problem of every section gathered with its path.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::error::{Error, Problem, Result};
use crate::explain::{Label, Term};
use crate::feedback::{CustomFinding, Survey, goal_findings};
use crate::fingerprint::sha256_hex;
use crate::goal::GoalTree;
use crate::id::{MetricId, RoleId, RuleId};
use crate::incentive::{
    AwardSpec, Catalog, Compare, Draw, EventKind, IncentiveProgram, IncentiveRule, MatrixAward, Operand,
    Test, Trigger,
};
use crate::money::{Currency, RoundingPolicy};
use crate::payroll::{ATTENDANCE_METRICS, LineKind, PayrollSettings};
use crate::period::{DayBasis, WorkCalendar};
use crate::score::{
    ForcedDistribution, Grade, Kpi, MissingMetric, MissingSource, MultiSource, Normalised, RaterSource,
    RatingScale, Ratio, Scorecard, Weight, normalise,
};
use crate::script::{Sandbox, Script, ScriptContext, ScriptEngine};
use crate::text::Text;
use crate::text::msg;
use crate::tier::{
    BonusPool, Commission, CumulativeWithholding, Factor, Gate, Multiplier, QuotaRule, RateMatrix, TierTable,
};

use super::document::{
    AwardDoc, BasisDoc, CommissionDoc, CurveDoc, DistributionDoc, DrawDoc, EventWhenDoc, IncentiveDoc,
    MatrixAwardDoc, Per, PoolDoc, QuotaDoc, RoleDoc, TestDoc, WhenDoc,
};
use super::{CompiledInner, CompiledPlan, CompiledRole, Credit, Plan};

/// What compiling a plan keeps as it goes: the problems found so far, the
/// declared metrics, the compiled tier tables and the script engine that
/// knows them.
struct Compiler<'p> {
    plan: &'p Plan,
    /// The plan's rounding, or its currency's.
    rounding: RoundingPolicy,
    /// The plan's currency, if its code is one.
    currency: Option<Currency>,
    problems: Vec<Problem>,
    metrics: BTreeSet<MetricId>,
    tables: BTreeMap<String, TierTable>,
    matrices: BTreeMap<String, RateMatrix>,
    engine: ScriptEngine,
    /// Weights written as fractions or ratios, with their decimals.
    weights: Vec<(String, Normalised)>,
}

/// Whether an incentive's tests read the score or the rank.
fn reads_standing(when: &WhenDoc) -> bool {
    let tests: &[TestDoc] = match when {
        WhenDoc::Outcome(tests) => tests,
        WhenDoc::Event(e) => &e.tests,
        WhenDoc::Script(_) => &[],
    };
    tests.iter().any(|t| t.of == "score" || t.of == "rank")
}

/// Validates `plan` and compiles its scripts; see [`Plan::compile`].
/// The pay-line codes the plan's payslips can carry, each with its kind:
/// what its journal must map. Codes an employee's own inputs bring (an
/// allowance) are checked when the journal is made.
fn journal_needs(plan: &Plan) -> Vec<(Text, LineKind)> {
    use LineKind::{Deduction, Earning, EmployerCost};
    let mut needs: Vec<(Text, LineKind)> = vec![
        (crate::text!("BASE"), Earning),
        (crate::text!("ABSENCE"), Earning),
    ];
    let payroll = &plan.payroll;
    needs.extend(
        payroll
            .leave
            .keys()
            .map(|kind| (Text::from(format!("LEAVE-{kind}")), Earning)),
    );
    if !payroll.overtime.is_empty() {
        needs.push((crate::text!("OVERTIME"), Earning));
    }
    if !payroll.lateness.is_empty() {
        needs.push((crate::text!("LATENESS"), Deduction));
    }
    if payroll.withholding.is_some() {
        needs.push((crate::text!("WITHHOLDING"), Deduction));
    }
    for c in &payroll.contributions {
        if !c.employee_rate.is_zero() || !c.employee_fixed.is_zero() {
            needs.push((c.code.clone(), Deduction));
        }
        if !c.employer_rate.is_zero() || !c.employer_fixed.is_zero() {
            needs.push((c.code.clone(), EmployerCost));
        }
    }
    let roles = plan.roles.values();
    for role in roles {
        if let Some(commission) = &role.commission {
            needs.push((crate::text!("COMMISSION"), Earning));
            if commission.draw.is_some() {
                needs.push((crate::text!("DRAW"), Earning));
                needs.push((crate::text!("DRAW-RECOVERY"), Earning));
            }
        }
        if role.target_bonus.is_some() {
            needs.push((crate::text!("BONUS"), Earning));
        }
        if role.bonus_pool.is_some() {
            needs.push((crate::text!("POOL"), Earning));
        }
    }
    let cash = |a: &AwardDoc| {
        matches!(
            a,
            AwardDoc::Cash(_) | AwardDoc::CashScript(_) | AwardDoc::Matrix(_)
        )
    };
    if plan.incentives.iter().any(|i| cash(&i.award)) {
        needs.push((crate::text!("AWARD"), Earning));
    }
    needs.sort();
    needs.dedup();
    needs
}

/// The plan's currency and rounding: the rounding it names, else its
/// currency's minor units half up. A rounding finer than the currency's
/// minor unit is a problem (no bank pays a tenth of a cent); a code that is
/// not ISO 4217 is one, and the plan is checked on in cents meanwhile.
fn money(plan: &Plan, problems: &mut Vec<Problem>) -> (Option<Currency>, RoundingPolicy) {
    let currency = match Currency::new(&plan.currency) {
        Ok(currency) => currency,
        Err(e) => {
            problems.push(Problem::new("currency", e.message()));
            return (None, plan.rounding.unwrap_or_else(RoundingPolicy::cents));
        }
    };
    let rounding = match plan.rounding {
        Some(own) if own.scale() > currency.minor_units() => {
            problems.push(Problem::new(
                "rounding.scale",
                format!(
                    "{} decimal places is finer than the {} minor unit ({} places)",
                    own.scale(),
                    currency,
                    currency.minor_units()
                ),
            ));
            own
        }
        Some(own) => own,
        None => currency.rounding(),
    };
    (Some(currency), rounding)
}

/// Every `[names.<tag>]` is named by a language tag.
fn language_tags(plan: &Plan, problems: &mut Vec<Problem>) {
    for tag in plan.names.keys() {
        if tag.parse::<unic_langid::LanguageIdentifier>().is_err() {
            problems.push(Problem::new(
                format!("names.{tag}"),
                format!("{tag:?} is not a language tag (such as zh-CN)"),
            ));
        }
    }
}

/// The journal's chart has an account for every line the plan can pay,
/// and its cost centres name roles of the plan.
fn journal_chart(plan: &Plan, problems: &mut Vec<Problem>) {
    let Some(chart) = &plan.journal else {
        return;
    };
    problems.extend(chart.check(&journal_needs(plan), "journal"));
    for role in chart.cost_centres.roles.keys() {
        if !plan.roles.contains_key(role) {
            problems.push(Problem::new(
                format!("journal.cost_centres.roles.{role}"),
                format!(
                    "no role {role}{}",
                    did_you_mean(role.as_str(), plan.roles.keys().map(RoleId::as_str))
                ),
            ));
        }
    }
}

/// The plan's tier tables that are valid, each problem of the others
/// under `tiers.<name>`.
fn tier_tables(plan: &Plan, problems: &mut Vec<Problem>) -> BTreeMap<String, TierTable> {
    let mut tables = BTreeMap::new();
    for (name, spec) in &plan.tiers {
        match TierTable::try_from(spec.clone()) {
            Ok(table) => {
                tables.insert(name.clone(), table);
            }
            Err(e) => absorb(problems, &format!("tiers.{name}"), &e),
        }
    }
    tables
}

pub(super) fn compile(plan: &Plan) -> Result<CompiledPlan> {
    let mut problems = Vec::new();
    let (currency, rounding) = money(plan, &mut problems);
    language_tags(plan, &mut problems);
    journal_chart(plan, &mut problems);
    // tier tables first: every problem of every table joins the list, and
    // scripts can look the good ones up
    let tables = tier_tables(plan, &mut problems);
    let metrics: BTreeSet<MetricId> = plan.metrics.iter().cloned().collect();
    let engine = tables
        .iter()
        .fold(
            ScriptEngine::builder()
                .sandbox(Sandbox::default())
                .rounding(rounding)
                .metrics(metrics.iter().cloned()),
            |engine, (name, table)| engine.table(name.clone(), table.clone()),
        )
        .build();
    let mut c = Compiler {
        plan,
        rounding,
        currency,
        problems,
        metrics,
        tables,
        matrices: BTreeMap::new(),
        engine,
        weights: Vec::new(),
    };
    c.matrices();
    let kpis = c.kpis();
    let roles = c.roles(&kpis);
    let rating = c.rating();
    let incentives = c.incentives();
    let payroll = c.payroll();
    let findings = c.findings();
    let goals = c.goals();
    let attendance = c.attendance();
    let survey = c.survey();
    let warnings = goals
        .as_ref()
        .map(|tree| c.goal_warnings(tree))
        .unwrap_or_default();
    if !c.problems.is_empty() {
        return Err(Error::plan(c.problems));
    }
    let (Some(incentives), Some(payroll), Some(currency)) = (incentives, payroll, currency) else {
        return Err(Error::plan(vec![Problem::new("plan", "could not be compiled")]));
    };
    let json = plan.to_json()?;
    Ok(CompiledPlan {
        inner: Arc::new(CompiledInner {
            plan: plan.clone(),
            currency,
            rounding,
            fingerprint: sha256_hex(json.as_bytes()),
            roles,
            rating,
            incentives,
            payroll,
            findings,
            goals,
            attendance,
            warnings,
            weights: c.weights,
            survey,
        }),
    })
}

impl<'p> Compiler<'p> {
    /// Compiles the script `name` for `context`; a problem at `path` when
    /// the plan has no such script, at `scripts.<name>` when it does not
    /// compile.
    fn script(&mut self, name: &str, context: ScriptContext, path: &str) -> Option<Script> {
        let Some(source) = self.plan.scripts.get(name) else {
            self.problems.push(Problem::new(
                path.to_owned(),
                format!(
                    "unknown script {name}{}",
                    did_you_mean(name, self.plan.scripts.keys())
                ),
            ));
            return None;
        };
        let rule = match RuleId::new(name) {
            Ok(r) => r,
            Err(e) => {
                absorb(&mut self.problems, path, &e.into());
                return None;
            }
        };
        match self.engine.compile(rule, source, context) {
            Ok(s) => Some(s),
            Err(e) => {
                absorb(&mut self.problems, &format!("scripts.{name}"), &e);
                None
            }
        }
    }

    /// A problem at `path` unless the plan declares metric `m`.
    fn known_metric(&mut self, m: &MetricId, path: String) {
        if !self.metrics.contains(m) {
            let hint = did_you_mean(m.as_str(), &self.metrics);
            self.problems
                .push(Problem::new(path, format!("unknown metric {m}{hint}")));
        }
    }

    /// The KPIs, by name.
    fn kpis(&mut self) -> BTreeMap<&'p str, Kpi> {
        let mut kpis = BTreeMap::new();
        let plan = self.plan;
        for (name, doc) in &plan.kpis {
            let path = format!("kpis.{name}");
            self.known_metric(&doc.metric, format!("{path}.metric"));
            let kpi = match &doc.curve {
                CurveDoc::Linear(c) => Kpi::linear(doc.metric.clone(), doc.direction, *c),
                CurveDoc::Steps(c) => Kpi::steps(doc.metric.clone(), doc.direction, c.clone()),
                CurveDoc::Script(s) => {
                    match self.script(s, ScriptContext::Kpi, &format!("{path}.curve.script")) {
                        Some(script) => Ok(Kpi::custom(doc.metric.clone(), doc.direction, Arc::new(script))),
                        None => continue,
                    }
                }
            };
            match kpi {
                Ok(k) => {
                    kpis.insert(name.as_str(), k);
                }
                Err(e) => absorb(&mut self.problems, &path, &e),
            }
        }
        kpis
    }

    /// The roles whose scorecard compiles, by id.
    fn roles(&mut self, kpis: &BTreeMap<&'p str, Kpi>) -> BTreeMap<RoleId, CompiledRole> {
        let mut roles = BTreeMap::new();
        let plan = self.plan;
        for (role, doc) in &plan.roles {
            let path = format!("roles.{role}");
            // no items: a payroll-only role (`Some(None)`); items that do
            // not compile: no role (`None`), the problems reported
            let scorecard = if doc.scorecard.is_empty() {
                if doc.sources.is_empty() {
                    self.needs_no_score(doc, &path);
                }
                Some(None)
            } else {
                self.scorecard(role, doc, kpis, &path).map(Some)
            };
            let sources = self.sources(doc, &path);
            let commission = doc
                .commission
                .as_ref()
                .and_then(|c| self.commission(c, &format!("{path}.commission")));
            if let Some(b) = doc.target_bonus
                && b < Decimal::ZERO
            {
                self.problems.push(Problem::new(
                    format!("{path}.target_bonus"),
                    format!("{b} is negative"),
                ));
            }
            let draw = doc
                .commission
                .as_ref()
                .and_then(|c| Some((c.draw.as_ref()?, format!("{path}.commission.draw"))))
                .and_then(|(d, dpath)| self.draw(d, &dpath));
            let distribution = doc
                .forced_distribution
                .as_ref()
                .and_then(|d| self.distribution(d, &format!("{path}.forced_distribution")));
            let pool = doc
                .bonus_pool
                .as_ref()
                .map(|p| self.pool(p, &format!("{path}.bonus_pool")));
            if let (Some(scorecard), Some(sources)) = (scorecard, sources) {
                roles.insert(
                    role.clone(),
                    CompiledRole {
                        scorecard,
                        sources,
                        commission,
                        carry: doc.commission.as_ref().and_then(|c| c.carry),
                        draw,
                        target_bonus: doc.target_bonus,
                        distribution,
                        pool,
                    },
                );
            }
        }
        roles
    }

    /// A role's rating sources (`Some(None)` when it has none; `None` when
    /// they do not compile, the problems reported): their weights per
    /// source or as a ratio, normalised once; the `scorecard` source only
    /// with a scorecard, and a scorecard only as a source.
    fn sources(&mut self, doc: &RoleDoc, path: &str) -> Option<Option<MultiSource>> {
        if doc.sources.is_empty() {
            if doc.source_weights.is_some() {
                self.problems.push(Problem::new(
                    format!("{path}.source_weights"),
                    "weights for sources, and the role lists none",
                ));
                return None;
            }
            return Some(None);
        }
        let mut ok = true;
        let scored_by_card = doc.sources.iter().any(|s| s.source == RaterSource::Scorecard);
        if scored_by_card && doc.scorecard.is_empty() {
            ok = false;
            self.problems.push(Problem::new(
                format!("{path}.sources"),
                "the scorecard is a source, and the role has no scorecard",
            ));
        }
        if !scored_by_card && !doc.scorecard.is_empty() {
            ok = false;
            self.problems.push(Problem::new(
                format!("{path}.sources"),
                "the role has a scorecard; list it among the sources (`source = \"scorecard\"`) with its weight",
            ));
        }
        let written: Vec<Option<Weight>> = doc.sources.iter().map(|s| s.weight).collect();
        let weights = self.list_weights(
            &written,
            doc.source_weights.as_ref(),
            path,
            ("sources", "source_weights", "sources"),
        )?;
        if !ok {
            return None;
        }
        let missing = match doc.missing {
            MissingMetric::Error => MissingSource::Error,
            MissingMetric::Zero => MissingSource::Zero,
            MissingMetric::Renormalize => MissingSource::Renormalize,
        };
        let pairs = doc.sources.iter().map(|s| s.source.clone()).zip(weights);
        match MultiSource::new(pairs, missing) {
            Ok(m) => Some(Some(m)),
            Err(e) => {
                self.reexpress(&e, path, "weights", "sources");
                None
            }
        }
    }

    /// A payroll-only role asks for nothing paid by score: a problem for
    /// each part that would be.
    fn needs_no_score(&mut self, doc: &RoleDoc, path: &str) {
        let by_score = [
            (
                "target_bonus",
                doc.target_bonus.is_some(),
                "a bonus paid by grade",
            ),
            (
                "forced_distribution",
                doc.forced_distribution.is_some(),
                "a forced distribution of grades",
            ),
            (
                "bonus_pool",
                doc.bonus_pool.is_some(),
                "a bonus pool split by score",
            ),
        ];
        for (field, present, what) in by_score {
            if present {
                self.problems.push(Problem::new(
                    format!("{path}.{field}"),
                    format!("{what} needs a scorecard, and the role has none"),
                ));
            }
        }
    }

    /// A role's scorecard, when every KPI it names compiled.
    fn scorecard(
        &mut self,
        role: &RoleId,
        doc: &RoleDoc,
        kpis: &BTreeMap<&str, Kpi>,
        path: &str,
    ) -> Option<Scorecard> {
        let weights = self.scorecard_weights(doc, path);
        let mut card = Scorecard::builder(role.to_string()).missing(doc.missing);
        let mut complete = true;
        for (i, item) in doc.scorecard.iter().enumerate() {
            let weight = weights.as_ref().and_then(|w| w.get(i).copied());
            match (kpis.get(item.kpi.as_str()), weight) {
                (Some(k), Some(weight)) => card = card.item(k.clone(), weight),
                // the weights' problems are reported
                (Some(_), None) => complete = false,
                (None, _) => {
                    complete = false;
                    if !self.plan.kpis.contains_key(&item.kpi) {
                        self.problems.push(Problem::new(
                            format!("{path}.scorecard[{i}].kpi"),
                            format!(
                                "unknown kpi {}{}",
                                item.kpi,
                                did_you_mean(&item.kpi, self.plan.kpis.keys())
                            ),
                        ));
                    }
                }
            }
        }
        if !complete {
            return None;
        }
        match card.build() {
            Ok(c) => Some(c),
            Err(e) => {
                self.reexpress(&e, path, "items", "scorecard");
                None
            }
        }
    }

    /// A building block's problems as the plan's: the block's field `from`
    /// read as the plan's `to`, under `path`.
    fn reexpress(&mut self, err: &Error, path: &str, from: &str, to: &str) {
        for p in err.problems() {
            let sub = p.path().replacen(from, to, 1);
            self.problems
                .push(Problem::new(format!("{path}.{sub}"), p.message().to_owned()));
        }
    }

    /// The scorecard's weights in effect (see [`list_weights`](Self::list_weights)).
    fn scorecard_weights(&mut self, doc: &RoleDoc, path: &str) -> Option<Vec<Decimal>> {
        let written: Vec<Option<Weight>> = doc.scorecard.iter().map(|i| i.weight).collect();
        self.list_weights(
            &written,
            doc.weights.as_ref(),
            path,
            ("scorecard", "weights", "scorecard items"),
        )
    }

    /// A list's weights in effect — a weight per item (at
    /// `{path}.{list}[i].weight`) or the role's ratio (at `{path}.{key}`),
    /// never both — normalised once. Decimals that sum to 1 pass as
    /// written, for the list's own check.
    fn list_weights(
        &mut self,
        written: &[Option<Weight>],
        ratio: Option<&Ratio>,
        path: &str,
        (list, key, things): (&str, &str, &str),
    ) -> Option<Vec<Decimal>> {
        let item_path = |i: usize| format!("{path}.{list}[{i}].weight");
        if let Some(ratio) = ratio {
            let mut ok = true;
            for (i, _) in written.iter().enumerate().filter(|(_, w)| w.is_some()) {
                ok = false;
                self.problems.push(Problem::new(
                    item_path(i),
                    format!(
                        "the role gives these weights as a ratio (`{key}`); a weight here too is ambiguous"
                    ),
                ));
            }
            if ratio.parts().len() != written.len() {
                ok = false;
                self.problems.push(Problem::new(
                    format!("{path}.{key}"),
                    format!("{} parts for {} {things}", ratio.parts().len(), written.len()),
                ));
            }
            if !ok {
                return None;
            }
            return self.normalised(ratio.normalise(), format!("{path}.{key}"), |_| {
                format!("{path}.{key}")
            });
        }
        let mut weights = Vec::with_capacity(written.len());
        for (i, w) in written.iter().enumerate() {
            match w {
                Some(w) => weights.push(*w),
                None => self.problems.push(Problem::new(
                    item_path(i),
                    format!("a weight is needed (or the role's `{key}` ratio)"),
                )),
            }
        }
        if weights.len() != written.len() {
            return None;
        }
        if weights.iter().all(|w| w.denominator() == Decimal::ONE) {
            return Some(weights.iter().map(|w| w.numerator()).collect());
        }
        self.normalised(normalise(&weights), format!("{path}.{list}"), |i| {
            format!("{path}.{list}{i}.weight")
        })
    }

    /// Weights normalised at `path`: kept for the compiler's report, or
    /// their problems at the paths `at` gives each index (`[2]`).
    fn normalised(
        &mut self,
        result: Result<Normalised>,
        path: String,
        at: impl Fn(&str) -> String,
    ) -> Option<Vec<Decimal>> {
        match result {
            Ok(n) => {
                let weights = n.weights.clone();
                self.weights.push((path, n));
                Some(weights)
            }
            Err(e) => {
                for p in e.problems() {
                    self.problems
                        .push(Problem::new(at(p.path()), p.message().to_owned()));
                }
                if e.problems().is_empty() {
                    self.problems.push(Problem::new(path, e.message().to_owned()));
                }
                None
            }
        }
    }

    /// A role's commission: its base (a table or a script), gates, script
    /// gates and multipliers.
    fn commission(&mut self, c: &CommissionDoc, path: &str) -> Option<(Credit, Commission)> {
        let credit = self.credit(c, path)?;
        let rule = self.commission_base(c, path)?.rounding(self.rounding);
        let rule = self.gates(rule, c, path);
        let rule = self.multipliers(rule, c, path);
        Some((credit, rule))
    }

    /// What a commission is paid on: a metric each period, or the
    /// employee's transactions (their total, or each deal on its own).
    fn credit(&mut self, c: &CommissionDoc, path: &str) -> Option<Credit> {
        Some(match (&c.on, c.per) {
            (Some(on), Per::Period) => {
                self.known_metric(on, format!("{path}.on"));
                Credit::Metric(on.clone())
            }
            (Some(_), Per::Transaction) => {
                self.problems.push(Problem::new(
                    format!("{path}.per"),
                    "pays each transaction, and `on` names a metric: drop `on` to pay on transactions",
                ));
                return None;
            }
            (None, per) => Credit::Transactions {
                each: per == Per::Transaction,
            },
        })
    }

    /// A commission's payout: a tier table, a script or a quota table.
    fn commission_base(&mut self, c: &CommissionDoc, path: &str) -> Option<Commission> {
        match (&c.table, &c.script, &c.quota) {
            (Some(table), None, None) => self.commission_table(table, path).map(Commission::on_table),
            (None, Some(script), None) => self
                .script(script, ScriptContext::Commission, &format!("{path}.script"))
                .map(|s| Commission::on_formula(Arc::new(s))),
            (None, None, Some(quota)) => self.quota(quota, &format!("{path}.quota")),
            (None, None, None) => {
                self.problems.push(Problem::new(
                    path.to_owned(),
                    "needs a table, a script or a quota",
                ));
                None
            }
            _ => {
                self.problems.push(Problem::new(
                    path.to_owned(),
                    "has more than one of table, script and quota; give one",
                ));
                None
            }
        }
    }

    /// `rule` with the commission's gates: on a metric's range, or scripts.
    fn gates(&mut self, mut rule: Commission, c: &CommissionDoc, path: &str) -> Commission {
        for (i, g) in c.gates.iter().enumerate() {
            let gpath = format!("{path}.gates[{i}]");
            self.known_metric(&g.metric, format!("{gpath}.metric"));
            let gate = match (g.at_least, g.at_most) {
                (Some(lo), Some(hi)) => Gate::between(g.metric.clone(), lo, hi),
                (Some(lo), None) => Ok(Gate::at_least(g.metric.clone(), lo)),
                (None, Some(hi)) => Ok(Gate::at_most(g.metric.clone(), hi)),
                (None, None) => {
                    self.problems
                        .push(Problem::new(gpath.clone(), "a gate needs at_least or at_most"));
                    continue;
                }
            };
            match gate {
                Ok(gate) => rule = rule.gate(gate),
                Err(e) => absorb(&mut self.problems, &gpath, &e),
            }
        }
        for (i, name) in c.script_gates.iter().enumerate() {
            if let Some(s) = self.script(
                name,
                ScriptContext::Commission,
                &format!("{path}.script_gates[{i}]"),
            ) {
                rule = rule.condition(
                    Label::with(&msg::RULE_NAMED, Term::text(name.to_string())),
                    Arc::new(s),
                );
            }
        }
        rule
    }

    /// `rule` with the commission's multipliers: by a metric's bands, or a
    /// fixed factor.
    fn multipliers(&mut self, mut rule: Commission, c: &CommissionDoc, path: &str) -> Commission {
        for (i, m) in c.multipliers.iter().enumerate() {
            let mpath = format!("{path}.multipliers[{i}]");
            match (&m.metric, m.factor) {
                (Some(metric), None) if m.label.is_none() => {
                    self.known_metric(metric, format!("{mpath}.metric"));
                    match Multiplier::new(metric.clone(), m.bands.iter().map(|b| (b.from, b.factor))) {
                        Ok(mult) => rule = rule.multiplier(mult),
                        Err(e) => absorb(&mut self.problems, &mpath, &e),
                    }
                }
                (None, Some(factor)) if m.bands.is_empty() => {
                    let label = m.label.as_deref().unwrap_or("fixed factor").to_owned();
                    match Factor::new(label, factor) {
                        Ok(f) => rule = rule.factor(f),
                        Err(e) => absorb(&mut self.problems, &format!("{mpath}.factor"), &e),
                    }
                }
                _ => self.problems.push(Problem::new(
                    mpath,
                    "a multiplier is either a metric with bands, or a fixed factor (with an optional label)",
                )),
            }
        }
        rule
    }

    /// A commission on quota attainment: the quota metric, the table of
    /// attainment bands, threshold, target and cap.
    fn quota(&mut self, q: &QuotaDoc, path: &str) -> Option<Commission> {
        self.known_metric(&q.metric, format!("{path}.metric"));
        let bands = self.commission_table(&q.table, path)?;
        let mut rule = QuotaRule::builder(q.metric.clone(), bands);
        if let Some(t) = q.threshold {
            rule = rule.threshold(t);
        }
        if let Some(t) = q.target {
            rule = rule.target(t);
        }
        if let Some(c) = q.cap {
            rule = rule.cap(c);
        }
        match rule.build() {
            Ok(rule) => Some(Commission::on_quota_rule(rule)),
            Err(e) => {
                absorb(&mut self.problems, path, &e);
                None
            }
        }
    }

    /// A draw against a commission.
    fn draw(&mut self, d: &DrawDoc, path: &str) -> Option<Draw> {
        let draw = match (d.recoverable, d.recovery_limit) {
            (true, limit) => Draw::recoverable(d.amount, limit),
            (false, None) => Draw::non_recoverable(d.amount),
            (false, Some(_)) => {
                self.problems.push(Problem::new(
                    format!("{path}.recovery_limit"),
                    "a non-recoverable draw is never recovered: it has no recovery limit",
                ));
                return None;
            }
        };
        match draw {
            Ok(d) => Some(d),
            Err(e) => {
                absorb(&mut self.problems, path, &e);
                None
            }
        }
    }

    /// The tier table a commission names, when it compiled.
    fn commission_table(&mut self, name: &str, path: &str) -> Option<TierTable> {
        match self.tables.get(name) {
            Some(table) => Some(table.clone()),
            // the table's own problems are reported under `tiers`
            None if self.plan.tiers.contains_key(name) => None,
            None => {
                self.problems.push(Problem::new(
                    format!("{path}.table"),
                    format!(
                        "unknown tier table {name}{}",
                        did_you_mean(name, self.plan.tiers.keys())
                    ),
                ));
                None
            }
        }
    }

    /// A role's forced distribution, its grades on the rating scale.
    fn distribution(&mut self, d: &DistributionDoc, path: &str) -> Option<ForcedDistribution> {
        for (i, b) in d.buckets.iter().enumerate() {
            if !self.plan.rating.iter().any(|g| g.id == b.grade) {
                self.problems.push(Problem::new(
                    format!("{path}.buckets[{i}].grade"),
                    format!("grade {} is not on the rating scale", b.grade),
                ));
            }
        }
        match ForcedDistribution::new(d.buckets.iter().map(|b| (b.grade.clone(), b.share)), d.tie_break) {
            Ok(f) => Some(f),
            Err(e) => {
                absorb(&mut self.problems, path, &e);
                None
            }
        }
    }

    /// A role's bonus pool: its amount and how it is split.
    fn pool(&mut self, p: &PoolDoc, path: &str) -> (Decimal, BonusPool) {
        let rounding = self.rounding;
        let mut pool = BonusPool::new(rounding);
        if let Some(cap) = p.cap {
            match pool.with_cap(cap) {
                Ok(with) => pool = with,
                Err(e) => absorb(&mut self.problems, path, &e),
            }
        }
        if p.amount < Decimal::ZERO || !rounding.is_rounded(p.amount) {
            self.problems.push(Problem::new(
                format!("{path}.amount"),
                format!(
                    "{} is negative or has more decimal places than the rounding keeps",
                    p.amount
                ),
            ));
        }
        (p.amount, pool)
    }

    /// The rating scale, if the plan has one (it must when a role pays a
    /// target bonus).
    fn rating(&mut self) -> Option<RatingScale> {
        let plan = self.plan;
        if plan.rating.is_empty() {
            if plan.roles.values().any(|r| r.target_bonus.is_some()) {
                self.problems.push(Problem::new(
                    "rating",
                    "roles pay a target bonus, so the plan needs a rating scale",
                ));
            }
            return None;
        }
        let grades = plan.rating.iter().map(|g| match g.min {
            Some(min) => Grade::at_least(g.id.clone(), min, g.coefficient),
            None => Grade::otherwise(g.id.clone(), g.coefficient),
        });
        match RatingScale::new(grades) {
            Ok(r) => Some(r),
            Err(e) => {
                for p in e.problems() {
                    let sub = p.path().replacen("grades", "rating", 1);
                    self.problems.push(Problem::new(sub, p.message().to_owned()));
                }
                None
            }
        }
    }

    /// The incentive rules, validated once, then given to each role they
    /// apply to.
    fn incentives(&mut self) -> Option<BTreeMap<RoleId, IncentiveProgram>> {
        let plan = self.plan;
        let mut rules = Vec::new();
        // the roles each compiled rule names, its index, whether it reads
        // the score or the rank
        let mut applies: Vec<(&[RoleId], usize, bool)> = Vec::new();
        for (i, doc) in plan.incentives.iter().enumerate() {
            if let Some(rule) = self.incentive(doc, &format!("incentives[{i}]")) {
                rules.push(rule);
                applies.push((&doc.roles, i, reads_standing(&doc.when)));
            }
        }
        let catalog = Catalog {
            metrics: self.metrics.clone(),
            custom_events: plan
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
        if let Err(e) = IncentiveProgram::new(rules.clone(), &catalog, self.rounding) {
            for p in e.problems() {
                let sub = p.path().replacen("rules", "incentives", 1);
                self.problems.push(Problem::new(sub, p.message().to_owned()));
            }
            return None;
        }
        let mut per_role = BTreeMap::new();
        for (role, role_doc) in &plan.roles {
            // a payroll-only role has no score or rank: a rule for every
            // role that tests them is not one of its rules, and a rule that
            // names the role and tests them is a mistake
            let unscored = role_doc.scorecard.is_empty() && role_doc.sources.is_empty();
            let mut mine = Vec::new();
            for (rule, &(roles, i, standing)) in rules.iter().zip(&applies) {
                let named = roles.iter().position(|r| r == role);
                match (roles.is_empty() || named.is_some(), unscored && standing, named) {
                    (false, _, _) | (true, true, None) => {}
                    (true, true, Some(j)) => self.problems.push(Problem::new(
                        format!("incentives[{i}].roles[{j}]"),
                        format!("role {role} has no scorecard, so no score or rank, and the rule tests one"),
                    )),
                    (true, false, _) => mine.push(rule.clone()),
                }
            }
            match IncentiveProgram::new(mine, &catalog, self.rounding) {
                Ok(p) => {
                    per_role.insert(role.clone(), p);
                }
                Err(e) => absorb(&mut self.problems, "incentives", &e),
            }
        }
        Some(per_role)
    }

    /// One incentive rule: its roles, its trigger and its award.
    fn incentive(&mut self, doc: &IncentiveDoc, path: &str) -> Option<IncentiveRule> {
        for (j, role) in doc.roles.iter().enumerate() {
            if !self.plan.roles.contains_key(role) {
                self.problems.push(Problem::new(
                    format!("{path}.roles[{j}]"),
                    format!(
                        "unknown role {role}{}",
                        did_you_mean(role.as_str(), self.plan.roles.keys())
                    ),
                ));
            }
        }
        let trigger = match &doc.when {
            WhenDoc::Outcome(tests) => Trigger::Outcome(self.tests(tests, &format!("{path}.when.outcome"))),
            WhenDoc::Event(e) => Trigger::Event {
                kind: e.kind.clone(),
                subject: e.subject.clone(),
                tests: self.tests(&e.tests, &format!("{path}.when.event.tests")),
            },
            WhenDoc::Script(name) => {
                let s = self.script(name, ScriptContext::Incentive, &format!("{path}.when.script"))?;
                Trigger::Outcome(vec![Test::Custom(
                    Label::with(&msg::RULE_NAMED, Term::text(name.to_string())),
                    Arc::new(s),
                )])
            }
        };
        let award = match &doc.award {
            AwardDoc::Cash(a) => AwardSpec::Cash(*a),
            AwardDoc::Points(p) => AwardSpec::Points(*p),
            AwardDoc::Honour(h) => AwardSpec::Honour(h.clone()),
            AwardDoc::CashScript(name) => AwardSpec::CashFormula(Arc::new(self.script(
                name,
                ScriptContext::Incentive,
                &format!("{path}.award.cash_script"),
            )?)),
            AwardDoc::Matrix(m) => self.matrix_award(m, &format!("{path}.award.matrix"))?,
        };
        let mut rule = IncentiveRule::new(doc.id.clone(), trigger, award).once(doc.once);
        if let Some(n) = doc.max_per_period {
            rule = rule.max_per_period(n);
        }
        if let Some(cap) = doc.cash_cap_per_period {
            rule = rule.cash_cap_per_period(cap);
        }
        Some(rule)
    }

    /// A bonus-matrix award: the matrix it names, its target and factor.
    fn matrix_award(&mut self, m: &MatrixAwardDoc, path: &str) -> Option<AwardSpec> {
        if m.target.is_sign_negative() && !m.target.is_zero() {
            self.problems.push(Problem::new(
                format!("{path}.target"),
                format!("{} is negative", m.target),
            ));
        }
        if let Some(f) = &m.factor {
            self.known_metric(f, format!("{path}.factor"));
        }
        let matrix = match self.matrices.get(&m.matrix) {
            Some(matrix) => matrix.clone(),
            // the matrix's own problems are reported under `matrices`
            None if self.plan.matrices.contains_key(&m.matrix) => return None,
            None => {
                self.problems.push(Problem::new(
                    format!("{path}.matrix"),
                    format!(
                        "unknown matrix {}{}",
                        m.matrix,
                        did_you_mean(&m.matrix, self.plan.matrices.keys())
                    ),
                ));
                return None;
            }
        };
        Some(AwardSpec::CashFormula(Arc::new(MatrixAward::new(
            m.matrix.clone(),
            matrix,
            m.target,
            m.factor.clone(),
        ))))
    }

    /// The rate matrices, by name; their metrics must be declared.
    fn matrices(&mut self) {
        let plan = self.plan;
        for (name, spec) in &plan.matrices {
            let path = format!("matrices.{name}");
            self.known_metric(&spec.across.metric, format!("{path}.across.metric"));
            self.known_metric(&spec.down.metric, format!("{path}.down.metric"));
            match RateMatrix::try_from(spec.clone()) {
                Ok(m) => {
                    self.matrices.insert(name.clone(), m);
                }
                Err(e) => absorb(&mut self.problems, &path, &e),
            }
        }
    }

    /// The tests of a trigger; each bad one a problem at `path[j]`.
    fn tests(&mut self, tests: &[TestDoc], path: &str) -> Vec<Test> {
        tests
            .iter()
            .enumerate()
            .filter_map(|(j, t)| test_from_doc(t, &format!("{path}[{j}]"), &self.metrics, &mut self.problems))
            .collect()
    }

    /// The payroll settings.
    fn payroll(&mut self) -> Option<PayrollSettings> {
        let plan = self.plan;
        let p = &plan.payroll;
        let basis = match p.basis {
            BasisDoc::CalendarDays => DayBasis::CalendarDays,
            BasisDoc::WorkingDays => {
                DayBasis::WorkingDays(p.calendar.clone().unwrap_or_else(WorkCalendar::monday_to_friday))
            }
        };
        let mut settings = PayrollSettings::builder(self.rounding).basis(basis);
        if let Some(currency) = self.currency {
            settings = settings.currency(currency);
        }
        for band in &p.lateness {
            settings = settings.lateness_band(band.from_minutes, band.penalty);
        }
        if let Some(d) = p.overtime_divisor {
            settings = settings.overtime_divisor(d);
        }
        for (kind, m) in &p.overtime {
            settings = settings.overtime(*kind, *m);
        }
        for (kind, rate) in &p.leave {
            settings = settings.leave(kind.clone(), *rate);
        }
        for c in &p.contributions {
            settings = settings.contribution(c.clone());
        }
        if let Some(w) = &p.withholding {
            match self.tables.get(&w.table) {
                None if plan.tiers.contains_key(&w.table) => {}
                None => self.problems.push(Problem::new(
                    "payroll.withholding.table",
                    format!(
                        "unknown tier table {}{}",
                        w.table,
                        did_you_mean(&w.table, plan.tiers.keys())
                    ),
                )),
                Some(table) => match CumulativeWithholding::new(table.clone(), self.rounding) {
                    Ok(brackets) => settings = settings.withholding(brackets, w.allowance),
                    Err(e) => absorb(&mut self.problems, "payroll.withholding.table", &e),
                },
            }
        }
        match settings.build() {
            Ok(s) => Some(s),
            Err(e) => {
                absorb(&mut self.problems, "payroll", &e);
                None
            }
        }
    }

    /// The plan's own diagnostic findings, and the feedback section's metric.
    fn findings(&mut self) -> Vec<CustomFinding> {
        let plan = self.plan;
        let mut findings = Vec::new();
        for (i, f) in plan.findings.iter().enumerate() {
            if let Some(s) = self.script(
                &f.script,
                ScriptContext::Diagnostics,
                &format!("findings[{i}].script"),
            ) {
                findings.push(CustomFinding {
                    code: f.code.clone(),
                    message: f.message.clone(),
                    condition: Arc::new(s),
                });
            }
        }
        if let Some(m) = &plan.feedback.achievement_metric {
            self.known_metric(m, "feedback.achievement_metric".into());
        }
        findings
    }

    /// The staff survey with its anonymity threshold; problems at
    /// `survey…`, and at `feedback.satisfaction_question` for a question
    /// the plan's survey does not ask.
    fn survey(&mut self) -> Option<(Survey, usize)> {
        let plan = self.plan;
        let question = plan.feedback.satisfaction_question.as_deref();
        // without a survey in the plan, a host may aggregate its own
        let doc = plan.survey.as_ref()?;
        if doc.anonymity < 2 {
            self.problems.push(Problem::new(
                "survey.anonymity",
                format!("{} lets an answer stand alone; at least 2", doc.anonymity),
            ));
        }
        if let Some(q) = question
            && !doc.questions.iter().any(|d| d.id == q)
        {
            self.problems.push(Problem::new(
                "feedback.satisfaction_question",
                format!("the survey asks no question {q}"),
            ));
        }
        match Survey::new(doc.questions.clone()) {
            Ok(survey) => Some((survey, doc.anonymity)),
            Err(e) => {
                absorb(&mut self.problems, "survey", &e);
                None
            }
        }
    }

    /// The declared metrics computed from attendance; a problem for an
    /// `attendance.` name that is no such figure, and for a name an
    /// incentive test and a next reward read as something else (`score`,
    /// `rank`, `grade`, `transactions`: a metric so named could never be
    /// tested, and would read back from a stored outcome as the score).
    fn attendance(&mut self) -> Vec<MetricId> {
        let mut out = Vec::new();
        for (i, m) in self.plan.metrics.iter().enumerate() {
            if RESERVED_METRICS.contains(&m.as_str()) {
                self.problems.push(Problem::new(
                    format!("metrics[{i}]"),
                    format!(
                        "{m} is a reserved word, not a metric name ({})",
                        RESERVED_METRICS.join(", ")
                    ),
                ));
                continue;
            }
            if !m.as_str().starts_with("attendance.") {
                continue;
            }
            if ATTENDANCE_METRICS.contains(&m.as_str()) {
                out.push(m.clone());
            } else {
                self.problems.push(Problem::new(
                    format!("metrics[{i}]"),
                    format!(
                        "unknown attendance figure {m} (known: {})",
                        ATTENDANCE_METRICS.join(", ")
                    ),
                ));
            }
        }
        out
    }

    /// Warnings of the driver-tree check: nodes whose children's targets do
    /// not reach their own.
    fn goal_warnings(&mut self, tree: &GoalTree) -> Vec<Problem> {
        match tree.check() {
            Ok(report) => goal_findings(&report, &self.rounding)
                .into_iter()
                .map(|f| Problem::new(format!("goals.{}", f.scope), f.message.to_string()))
                .collect(),
            Err(e) => {
                absorb(&mut self.problems, "goals", &e);
                Vec::new()
            }
        }
    }

    /// The goal tree, if the plan has goals.
    fn goals(&mut self) -> Option<GoalTree> {
        let plan = self.plan;
        if plan.goals.is_empty() {
            return None;
        }
        for (i, goal) in plan.goals.iter().enumerate() {
            self.known_metric(&goal.metric, format!("goals[{i}].metric"));
        }
        match GoalTree::new(plan.goals.iter().cloned()) {
            Ok(tree) => {
                self.weights.extend(tree.normalised_weights().iter().cloned());
                Some(tree)
            }
            // the tree's problems already carry `goals…` paths
            Err(e) if !e.problems().is_empty() => {
                self.problems.extend(e.problems().iter().cloned());
                None
            }
            Err(e) => {
                self.problems.push(Problem::new("goals", e.message().to_owned()));
                None
            }
        }
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

/// Words the plan language reads as something other than a metric.
const RESERVED_METRICS: [&str; 4] = ["grade", "rank", "score", "transactions"];

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
                let known = metrics
                    .iter()
                    .map(MetricId::as_str)
                    .chain(["score", "grade", "rank"]);
                problems.push(Problem::new(
                    format!("{path}.of"),
                    format!("unknown metric {other}{}", did_you_mean(other, known)),
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

/// ` (did you mean <name>?)` when one of `known` is a likely misspelling of
/// `name` (an edit distance of at most a third of its length, at least 1;
/// the closest, the first in order on a tie), else nothing.
pub(super) fn did_you_mean<S: AsRef<str>>(name: &str, known: impl IntoIterator<Item = S>) -> String {
    let most = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, String)> = None;
    for candidate in known {
        let candidate = candidate.as_ref();
        let distance = strsim::damerau_levenshtein(name, candidate);
        if distance <= most && distance > 0 && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate.to_owned()));
        }
    }
    best.map_or_else(String::new, |(_, c)| format!(" (did you mean {c}?)"))
}
