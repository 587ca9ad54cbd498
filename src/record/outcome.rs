//! What an evaluation gives back, as plain data: per employee, per team,
//! per period.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::explain::Explanation;
use crate::feedback::{Finding, RoleStats, SurveyReport, diagnose_role, diagnose_survey, goal_findings};
use crate::goal::GoalProgress;
use crate::id::{EmployeeId, GoalId, GradeId, MetricId, RoleId};
use crate::incentive::Award;
use crate::journal::{Chart, Journal};
use crate::locale::Locale;
use crate::money::Currency;
use crate::money::RoundingPolicy;
use crate::payroll::Payslip;
use crate::period::Period;
use crate::plan::CompiledPlan;
use crate::record::EmployeeInputs;
use crate::record::NextReward;
use crate::text::{MessageDef, msg};
use crate::tier::DealPayout;

/// The stage of an evaluation a problem stopped.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The score and the grade (an unknown role, a missing metric).
    Score,
    /// The team stage: rankings, forced distribution, bonus pool.
    Team,
    /// The commission.
    Commission,
    /// The incentive awards.
    Incentives,
    /// The payslip.
    Payslip,
    /// The fingerprint of the inputs.
    Fingerprint,
}

impl Stage {
    /// The stage's name, as it serializes (`score`, `payslip` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Score => "score",
            Stage::Team => "team",
            Stage::Commission => "commission",
            Stage::Incentives => "incentives",
            Stage::Payslip => "payslip",
            Stage::Fingerprint => "fingerprint",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem with one employee's evaluation: the stage it stopped, and the
/// error, typed (match on [`Error::kind`], read its path, rule or
/// position).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct OutcomeError {
    /// The stage.
    pub stage: Stage,
    /// The error.
    pub error: Error,
}

impl fmt::Display for OutcomeError {
    /// `stage: error`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.stage, self.error)
    }
}

/// One employee's period: every number, explained, and fingerprinted.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeOutcome {
    /// Who.
    pub employee: EmployeeId,
    /// Their role.
    pub role: RoleId,
    /// The performance score.
    pub score: Option<Decimal>,
    /// The grade.
    pub grade: Option<GradeId>,
    /// The rank among the role (1 = best).
    pub rank: Option<usize>,
    /// Progress of the goals this employee owns (see [`Plan::goals`](crate::Plan::goals)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalProgress>,
    /// Commission earned.
    pub commission: Option<Decimal>,
    /// What each deal paid, for a commission on transactions paid deal by
    /// deal (refunds with their clawbacks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deals: Vec<DealPayout>,
    /// Awards (cash, points, honours).
    pub awards: Vec<Award>,
    /// How far each reward not yet reached is: the commission's next tier,
    /// the next grade, each incentive rule with a threshold not yet passed
    /// (empty from [`evaluate_numbers`](crate::evaluate_numbers)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<NextReward>,
    /// The payslip.
    pub payslip: Option<Payslip>,
    /// Problems, by stage; empty when everything was computed.
    pub errors: Vec<OutcomeError>,
    /// The month's root step: net pay as the payslip sums it, with the
    /// score, grade and rank that no pay line explains as its children.
    /// Every other number is explained once, where it is kept: the
    /// commission and cash awards by their pay lines, each award by its own
    /// explanation. (Without a payslip the root also explains the
    /// commission.) [`render`](Self::render) shows them all.
    pub explanation: Explanation,
    /// SHA-256 (hex) of the plan fingerprint, the period and the inputs.
    pub fingerprint: String,
}

impl EmployeeOutcome {
    /// The whole month in words: the root step and its tree, then every
    /// award and every pay line with its explanation, indented under
    /// `awards` and `payslip`.
    ///
    /// ```
    /// use perfpay::{EmployeeInputs, Period, Plan, RoundingPolicy, evaluate_period};
    ///
    /// let plan = Plan::from_toml(include_str!("../../examples/shop.toml"))?.compile()?;
    /// let wu: EmployeeInputs = serde_json::from_str(r#"{
    ///     "employee": "sales-wu", "role": "sales",
    ///     "salary": [{"effective": "2025-01-01", "value": "6000"}],
    ///     "metrics": {"sales": "165000", "sales_achievement": "1.1", "repurchase": "0.2", "teamwork": "4"},
    ///     "ytd": {"year": 2026, "gross": "0", "contributions": "0", "employer_contributions": "0",
    ///             "withholding": {"base": "0", "withheld": "0"}}
    /// }"#).unwrap();
    /// let outcome = evaluate_period(&plan, &Period::month(2026, 11)?, &[wu])?;
    /// let month = outcome.employees[0].render(&RoundingPolicy::cents());
    /// assert!(month.starts_with("sales-wu 9,883.95 = 11,150.00 gross − 1,266.05 deductions, net pay in 2026-11"));
    /// assert!(month.contains("\n  payslip\n"));
    /// assert!(month.contains("\n    commission 3,950.00 = 100,000.00 × 2 % + 65,000.00 × 3 %\n"));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn render(&self, policy: &RoundingPolicy) -> String {
        self.render_in(Locale::english(), policy)
    }

    /// The employee's month in the words of `locale`: the explanation tree,
    /// then the awards, the next rewards and the payslip's lines. Each
    /// award's reasons are told once, under the awards: a cash award's pay
    /// line (whose JSON keeps them, for a payslip read alone) shows its own
    /// step only.
    pub fn render_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = self.explanation.render_in(locale, policy);
        let section = |out: &mut String, heading: &MessageDef| {
            out.push_str("  ");
            locale.write(out, heading);
            out.push('\n');
        };
        if !self.awards.is_empty() {
            section(&mut out, msg::AWARDS.def());
            for award in &self.awards {
                award.explanation.write_tree(&mut out, policy, locale, 2);
            }
        }
        if !self.next.is_empty() {
            section(&mut out, msg::NEXT_REWARDS.def());
            for next in &self.next {
                next.explanation().write_tree(&mut out, policy, locale, 2);
            }
        }
        if let Some(slip) = &self.payslip {
            section(&mut out, msg::PAYSLIP.def());
            for line in &slip.lines {
                // an award's reasons are told once, under awards: its pay
                // line only says which rule paid it
                let mut children = line.explanation.children();
                let told = !children.is_empty()
                    && children.all(|child| self.awards.iter().any(|award| award.explanation == child));
                if told {
                    line.explanation.write_step(&mut out, policy, locale, 2);
                } else {
                    line.explanation.write_tree(&mut out, policy, locale, 2);
                }
            }
        }
        out
    }
}

/// The team stage's results.
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamOutcome {
    /// Per role: employees by rank, with score and rank.
    pub rankings: BTreeMap<RoleId, Vec<(EmployeeId, Decimal, usize)>>,
    /// Per role: the best of the period (several when tied).
    pub best: BTreeMap<RoleId, Vec<EmployeeId>>,
    /// Every goal of the plan with its progress, rolled up from the leaves
    /// the employees' metrics measured.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub goals: BTreeMap<GoalId, GoalProgress>,
    /// Goals whose progress could not be computed (a leaf without a
    /// measurement, and the goals above it), with the reason.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub goal_errors: BTreeMap<GoalId, Error>,
    /// Employees the team stage left out (no score, or a score a bonus
    /// pool cannot take), with the reason; the reason is also an error on
    /// the employee's own outcome, and everyone else is ranked and paid.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub left_out: BTreeMap<EmployeeId, String>,
}

/// A period's outcome.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodOutcome {
    /// The plan's id and version.
    pub plan: String,
    /// The plan's fingerprint.
    pub plan_fingerprint: String,
    /// The currency every amount is in (the plan's); `None` only in
    /// outcomes stored before perfpay recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The period.
    pub period: Period,
    /// One outcome per employee, by employee id.
    pub employees: Vec<EmployeeOutcome>,
    /// Rankings and best of the period.
    pub team: TeamOutcome,
    /// The period's staff survey, aggregated under the plan's anonymity
    /// threshold (see [`CompiledPlan::survey_report`]); `None` when the
    /// plan has no survey or none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyReport>,
}

impl PeriodOutcome {
    /// The period's payroll journal under `chart` (a plan's
    /// [`chart`](crate::CompiledPlan::chart)): every payslip's lines as
    /// balanced entries.
    ///
    /// # Errors
    ///
    /// A line the chart cannot post, naming the employee and the code.
    pub fn journal(&self, chart: &Chart) -> Result<Journal> {
        let journal = Journal::of(
            self.period,
            self.employees
                .iter()
                .filter_map(|o| Some((o.payslip.as_ref()?, Some(&o.role)))),
            chart,
        )?
        .under(self.plan.clone(), self.plan_fingerprint.clone());
        Ok(match self.currency {
            Some(currency) => journal.in_currency(currency),
            None => journal,
        })
    }

    /// The outcome as JSON: the same inputs always give the same bytes.
    ///
    /// # Errors
    ///
    /// Only if serialization fails, which it does not for valid outcomes.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::data(format!("outcome does not serialize: {e}")))
    }

    /// Each role's figures for [`diagnose`](crate::feedback::diagnose), in role
    /// order: the scores of its staff (those with one), each paid
    /// employee's share of incentive pay in gross (COMMISSION, BONUS, AWARD
    /// and POOL lines), and — when `achievement` names a metric — each
    /// employee's value of it from `inputs`.
    pub fn role_stats(&self, inputs: &[EmployeeInputs], achievement: Option<&MetricId>) -> Vec<RoleStats> {
        let achieved = Achievements::new(inputs, achievement);
        let mut stats = StaffStats::default();
        for (at, o) in self.employees.iter().enumerate() {
            stats.add(&o.role, &StaffFigures::of(o, achieved.of(at, &o.employee)));
        }
        stats.finish()
    }

    /// The period's findings under `plan` (evaluated with it from
    /// `inputs`): the driver-tree check of the plan's goals
    /// ([`goal_findings`](crate::feedback::goal_findings)), then each role's
    /// figures and the survey, if any, against the plan's `feedback`
    /// thresholds and custom findings ([`diagnose`](crate::feedback::diagnose)).
    ///
    /// # Errors
    ///
    /// As [`diagnose`](crate::feedback::diagnose).
    pub fn diagnose(&self, plan: &CompiledPlan, inputs: &[EmployeeInputs]) -> Result<Vec<Finding>> {
        let stats = self.role_stats(inputs, plan.feedback().achievement_metric.as_ref());
        period_findings(plan, role_findings(stats, plan), self.survey.as_ref())
    }

    /// The outcome of `employee`.
    pub fn employee(&self, employee: &EmployeeId) -> Option<&EmployeeOutcome> {
        // outcomes are sorted by employee id; one assembled by hand may not be
        match self.employees.binary_search_by(|o| o.employee.cmp(employee)) {
            Ok(at) => self.employees.get(at),
            Err(_) => self.employees.iter().find(|o| &o.employee == employee),
        }
    }
}

/// One employee's part of their role's figures ([`RoleStats`]): their
/// score, their incentive pay's share of gross (when paid), and their
/// value of the plan's achievement metric. A simulation works them out
/// beside the rest of its comparison, while the outcome is at hand.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StaffFigures {
    score: Option<Decimal>,
    incentive_share: Option<Decimal>,
    achievement: Option<Decimal>,
}

impl StaffFigures {
    /// `outcome`'s figures, `achievement` its employee's value of the
    /// achievement metric ([`Achievements::of`]).
    pub(crate) fn of(outcome: &EmployeeOutcome, achievement: Option<Decimal>) -> StaffFigures {
        // the share of gross paid as incentives: COMMISSION, BONUS, AWARD
        // and POOL lines
        let incentive_share = outcome
            .payslip
            .as_ref()
            .filter(|p| p.gross > Decimal::ZERO)
            .and_then(|slip| {
                slip.lines
                    .iter()
                    .filter(|l| matches!(l.code.as_ref(), "COMMISSION" | "BONUS" | "AWARD" | "POOL"))
                    .try_fold(Decimal::ZERO, |sum, l| sum.checked_add(l.amount))?
                    .checked_div(slip.gross)
            });
        StaffFigures {
            score: outcome.score,
            incentive_share,
            achievement,
        }
    }
}

/// Each employee's value of a plan's achievement metric, read from a
/// period's inputs.
pub(crate) struct Achievements<'i> {
    inputs: &'i [EmployeeInputs],
    metric: Option<&'i MetricId>,
    in_order: bool,
    /// Built the first time an employee is not found at their place.
    by_id: OnceLock<BTreeMap<&'i EmployeeId, Decimal>>,
}

impl<'i> Achievements<'i> {
    /// The values of `metric` (none without one) in `inputs`.
    pub(crate) fn new(inputs: &'i [EmployeeInputs], metric: Option<&'i MetricId>) -> Achievements<'i> {
        Achievements {
            inputs,
            metric,
            in_order: metric.is_some() && super::in_employee_order(inputs),
            by_id: OnceLock::new(),
        }
    }

    /// The same inputs' values of `metric`: whether they are in employee
    /// order is read once for both plans of a simulation.
    pub(crate) fn of_metric(&self, metric: Option<&'i MetricId>) -> Achievements<'i> {
        if self.metric.is_none() {
            return Achievements::new(self.inputs, metric);
        }
        Achievements {
            inputs: self.inputs,
            metric,
            in_order: metric.is_some() && self.in_order,
            by_id: OnceLock::new(),
        }
    }

    /// `employee`'s value, their outcome being at `at` among the
    /// period's: a month evaluated from inputs listed in employee order
    /// lists its outcomes in the same places, so the input is read there;
    /// otherwise (or where they differ) it is looked up by id.
    pub(crate) fn of(&self, at: usize, employee: &EmployeeId) -> Option<Decimal> {
        let metric = self.metric?;
        let value = |i: &EmployeeInputs| i.metrics.get(metric).copied();
        if self.in_order
            && let Some(input) = self.inputs.get(at).filter(|i| &i.employee == employee)
        {
            return value(input);
        }
        self.by_id
            .get_or_init(|| {
                self.inputs
                    .iter()
                    .filter_map(|i| value(i).map(|v| (&i.employee, v)))
                    .collect()
            })
            .get(employee)
            .copied()
    }
}

/// Roles' figures ([`RoleStats`]) as their staff's are added, in role
/// order.
#[derive(Default)]
pub(crate) struct StaffStats<'r> {
    roles: BTreeMap<&'r RoleId, RoleStats>,
}

impl<'r> StaffStats<'r> {
    /// Adds an employee of `role`.
    pub(crate) fn add(&mut self, role: &'r RoleId, figures: &StaffFigures) {
        let entry = self.roles.entry(role).or_insert_with(|| RoleStats {
            role: role.clone(),
            scores: Vec::new(),
            achievements: Vec::new(),
            incentive_shares: Vec::new(),
        });
        entry.scores.extend(figures.score);
        entry.incentive_shares.extend(figures.incentive_share);
        entry.achievements.extend(figures.achievement);
    }

    /// Every role's figures, in role order.
    pub(crate) fn finish(self) -> Vec<RoleStats> {
        self.roles.into_values().collect()
    }
}

/// Each role's findings under `plan` from its figures ([`RoleStats`]),
/// in their order: the part of a period's findings that a simulation takes
/// from the plan in force for the roles a change does not reach.
pub(crate) fn role_findings(
    mut stats: Vec<RoleStats>,
    plan: &CompiledPlan,
) -> Result<Vec<(RoleId, Vec<Finding>)>> {
    let thresholds = plan.feedback();
    let mut findings = Vec::with_capacity(stats.len());
    for s in &mut stats {
        if !plan.pays_incentives(&s.role) {
            s.incentive_shares.clear();
        }
        findings.push((s.role.clone(), diagnose_role(s, thresholds, plan.findings())?));
    }
    Ok(findings)
}

/// A period's findings under `plan`: its goal tree's, its roles' (in role
/// order, from [`role_findings`]), then the `survey` report's — what
/// [`diagnose`](crate::feedback::diagnose) makes of the figures, in its
/// order.
pub(crate) fn period_findings(
    plan: &CompiledPlan,
    roles: Result<Vec<(RoleId, Vec<Finding>)>>,
    survey: Option<&SurveyReport>,
) -> Result<Vec<Finding>> {
    let mut findings = match plan.goals() {
        Some(tree) => goal_findings(&tree.check()?, &plan.rounding()),
        None => Vec::new(),
    };
    findings.extend(roles?.into_iter().flat_map(|(_, found)| found));
    findings.extend(diagnose_survey(survey, plan.feedback()));
    Ok(findings)
}
