//! Before a plan changes: what would it cost, and who gains? A simulation
//! evaluates closed periods' stored inputs under the plan in force and
//! under a proposed plan — numbers only, no explanations — and compares
//! them per employee, per role and per period. Pure: nothing is stored.
//!
//! ```
//! use perfpay::simulate::simulate;
//! use perfpay::{Decimal, EmployeeId, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, Period, Plan, RoleId, Timeline};
//!
//! let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
//! let now = Plan::from_toml(text)?.compile()?;
//! // the owner's question: 4 % instead of 3 % above 100,000
//! let mut proposed = now.plan().clone();
//! proposed.set("tiers.sales.tiers[1].rate", "0.04")?;
//! proposed.version = 2;
//! let proposed = proposed.compile()?;
//!
//! let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
//! let m = |s: &str| MetricId::new(s).unwrap();
//! let wu = EmployeeInputs::new(EmployeeId::new("sales-wu")?, RoleId::new("sales")?, Timeline::constant(since, Decimal::from(6_000)))
//!     .with_metrics([(m("sales"), Decimal::from(165_000)), (m("sales_achievement"), Decimal::new(11, 1)),
//!                    (m("repurchase"), Decimal::new(2, 1)), (m("teamwork"), Decimal::from(4))])
//!     .with_ytd(PayrollYtd::new(2026));
//! let nov = Period::month(2026, 11)?;
//! let simulation = simulate(&now, &proposed, [(nov, vec![wu])])?;
//! // 65,000 above 100,000 × 1 % more
//! assert_eq!(simulation.total.change()?.commission, Decimal::from(650));
//! assert_eq!(simulation.gainers()[0].employee.as_str(), "sales-wu");
//! # Ok::<(), perfpay::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::eval::{
    both, each_of, evaluate_numbers, evaluate_numbers_reached, evaluate_period, reached_beside,
};
use crate::explain::{Quantity, Unit};
use crate::feedback::{Finding, Response, SurveyReport};
use crate::id::{EmployeeId, GradeId, RoleId};
use crate::incentive::AwardKind;
use crate::locale::Locale;
use crate::money::{DecimalExt, RoundingPolicy};
use crate::period::Period;
use crate::plan::{CompiledPlan, Reach, reach};
use crate::record::{
    Achievements, EmployeeInputs, EmployeeOutcome, PeriodOutcome, StaffFigures, StaffStats, period_findings,
    role_findings,
};
use crate::text::{Message, msg};

/// What a plan costs, summed over employees and periods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Costs {
    /// Gross pay.
    pub gross: Decimal,
    /// Net pay.
    pub net: Decimal,
    /// The employer's contributions on top of gross.
    pub employer_cost: Decimal,
    /// Commission.
    pub commission: Decimal,
    /// Cash awards (bonuses).
    pub bonus: Decimal,
    /// Points awarded.
    pub points: Decimal,
}

impl Costs {
    /// What `outcome` costs: its payslip's gross, net and employer cost,
    /// its commission, its cash and points awards.
    ///
    /// # Errors
    ///
    /// A sum out of range.
    pub fn of(outcome: &EmployeeOutcome) -> Result<Costs> {
        let mut costs = Costs {
            commission: outcome.commission.unwrap_or_default(),
            ..Costs::default()
        };
        if let Some(slip) = &outcome.payslip {
            costs.gross = slip.gross;
            costs.net = slip.net;
            costs.employer_cost = slip.employer_cost;
        }
        for award in &outcome.awards {
            match award.kind {
                AwardKind::Cash(cash) => costs.bonus = costs.bonus.try_add(cash)?,
                AwardKind::Points(points) => costs.points = costs.points.try_add(points)?,
                AwardKind::Honour(_) => {}
            }
        }
        Ok(costs)
    }

    /// Whether `self` and `other` hold the same figures, written alike
    /// (`1.0` is not `1.00` here, as it is for `==`): one may stand for the
    /// other in a sum without changing how the sum is written.
    fn identical(&self, other: &Costs) -> bool {
        self.fields().map(|d| d.serialize()) == other.fields().map(|d| d.serialize())
    }

    /// Every figure, in a fixed order.
    fn fields(&self) -> [Decimal; 6] {
        [
            self.gross,
            self.net,
            self.employer_cost,
            self.commission,
            self.bonus,
            self.points,
        ]
    }

    /// `self` + `other`, field by field.
    ///
    /// # Errors
    ///
    /// A sum out of range.
    pub fn plus(&self, other: &Costs) -> Result<Costs> {
        Ok(Costs {
            gross: self.gross.try_add(other.gross)?,
            net: self.net.try_add(other.net)?,
            employer_cost: self.employer_cost.try_add(other.employer_cost)?,
            commission: self.commission.try_add(other.commission)?,
            bonus: self.bonus.try_add(other.bonus)?,
            points: self.points.try_add(other.points)?,
        })
    }

    /// `self` − `other`, field by field.
    ///
    /// # Errors
    ///
    /// A difference out of range.
    pub fn minus(&self, other: &Costs) -> Result<Costs> {
        Ok(Costs {
            gross: self.gross.try_sub(other.gross)?,
            net: self.net.try_sub(other.net)?,
            employer_cost: self.employer_cost.try_sub(other.employer_cost)?,
            commission: self.commission.try_sub(other.commission)?,
            bonus: self.bonus.try_sub(other.bonus)?,
            points: self.points.try_sub(other.points)?,
        })
    }

    /// The money fields, in the order a table shows them: gross,
    /// employer cost, commission, bonus, net (points are not money).
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::simulate::{CostField, Costs};
    ///
    /// let costs = Costs { gross: Decimal::from(9_000), net: Decimal::from(7_500), ..Costs::default() };
    /// assert_eq!(costs.money()[0], (CostField::Gross, Decimal::from(9_000)));
    /// assert_eq!(costs.money()[4], (CostField::Net, Decimal::from(7_500)));
    /// assert_eq!(CostField::EmployerCost.to_string(), "employer cost");
    /// ```
    pub fn money(&self) -> [(CostField, Decimal); 5] {
        [
            (CostField::Gross, self.gross),
            (CostField::EmployerCost, self.employer_cost),
            (CostField::Commission, self.commission),
            (CostField::Bonus, self.bonus),
            (CostField::Net, self.net),
        ]
    }

    /// What the company pays: gross plus the employer's contributions.
    ///
    /// # Errors
    ///
    /// A sum out of range.
    pub fn company_cost(&self) -> Result<Decimal> {
        self.gross.try_add(self.employer_cost)
    }
}

/// A figure under the plan in force and under the proposed plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Compared<T> {
    /// Under the plan in force.
    pub before: T,
    /// Under the proposed plan.
    pub after: T,
}

impl<T: PartialEq> Compared<T> {
    /// Whether the two differ.
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

impl Compared<Costs> {
    /// After − before.
    ///
    /// # Errors
    ///
    /// A difference out of range.
    pub fn change(&self) -> Result<Costs> {
        self.after.minus(&self.before)
    }

    /// The money fields by name (as [`Costs::money`]), each with its value
    /// before, after and the change: the rows of a cost table.
    ///
    /// # Errors
    ///
    /// A difference out of range.
    pub fn money_rows(&self) -> Result<Vec<(CostField, Decimal, Decimal, Decimal)>> {
        let change = self.change()?.money();
        let rows = self
            .before
            .money()
            .into_iter()
            .zip(self.after.money())
            .zip(change);
        Ok(rows
            .map(|(((name, b), (_, a)), (_, c))| (name, b, a, c))
            .collect())
    }

    fn add(&mut self, before: &Costs, after: &Costs) -> Result<()> {
        self.before = self.before.plus(before)?;
        self.after = self.after.plus(after)?;
        Ok(())
    }
}

/// How one employee's standing moved in one period.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Move {
    /// The period.
    pub period: Period,
    /// The score before and after.
    pub score: Compared<Option<Decimal>>,
    /// The grade before and after.
    pub grade: Compared<Option<GradeId>>,
    /// The rank in the role before and after.
    pub rank: Compared<Option<usize>>,
}

/// One employee under both plans, over every period simulated.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EmployeeChange {
    /// Who.
    pub employee: EmployeeId,
    /// Their role (in the latest period simulated).
    pub role: RoleId,
    /// How many periods they were in.
    pub periods: u32,
    /// Their costs, summed over the periods.
    pub costs: Compared<Costs>,
    /// Periods where their score, grade or rank moved.
    pub moves: Vec<Move>,
    /// Periods where one plan could not evaluate them (an error in their
    /// outcome), with the stage and message under each plan.
    pub problems: Vec<(Period, Compared<Option<String>>)>,
}

/// One employee's period under both plans, as the simulation adds it up.
struct Row {
    employee: EmployeeId,
    role: RoleId,
    /// The period's costs.
    costs: Compared<Costs>,
    /// The costs of every period so far, this one's included.
    totals: Compared<Costs>,
    /// Whether the employee has one outcome under both plans (a change
    /// that does not reach them): their costs are the same.
    same: bool,
    /// Boxed, as the problems are: most rows have neither, and a row is
    /// moved several times.
    moved: Option<Box<Move>>,
    problems: Option<Box<(Period, Compared<Option<String>>)>>,
    /// The score's band under each plan.
    bands: Compared<Option<usize>>,
    /// Their part of their role's figures under each plan (under the
    /// proposal, when it reaches them).
    figures: Compared<StaffFigures>,
    /// Their place among the changes; none when new to the simulation.
    place: Option<usize>,
}

/// What comparing one period's outcomes reads besides them.
struct Comparing<'a> {
    period: &'a Period,
    /// Each employee's value of each plan's achievement metric.
    achieved: Compared<Achievements<'a>>,
    /// The changes so far, in employee order.
    changes: &'a [EmployeeChange],
}

impl Comparing<'_> {
    /// Compares `before`, the outcome at `at` of the period under the plan
    /// in force, with the same employee's under the proposed plan —
    /// `after`, or `before` itself when the proposal does not reach them
    /// — and adds the period's costs to the employee's so far. `before`
    /// is dropped here, while it is at hand.
    fn row(&self, at: usize, before: EmployeeOutcome, after: Option<&EmployeeOutcome>) -> Result<Row> {
        let same = after.is_none();
        let after = after.unwrap_or(&before);
        let period = self.period;
        let moved = (before.score != after.score || before.grade != after.grade || before.rank != after.rank)
            .then(|| {
                Box::new(Move {
                    period: *period,
                    score: Compared {
                        before: before.score,
                        after: after.score,
                    },
                    grade: Compared {
                        before: before.grade.clone(),
                        after: after.grade.clone(),
                    },
                    rank: Compared {
                        before: before.rank,
                        after: after.rank,
                    },
                })
            });
        let problem = |o: &EmployeeOutcome| o.errors.first().map(|e| format!("{}: {}", e.stage, e.error));
        let problems = Compared {
            before: problem(&before),
            after: problem(after),
        };
        let problems =
            (problems.before.is_some() || problems.after.is_some()).then(|| Box::new((*period, problems)));
        let costs = Costs::of(&before)?;
        let costs = Compared {
            before: costs,
            after: if same { costs } else { Costs::of(after)? },
        };
        let figures = StaffFigures::of(&before, self.achieved.before.of(at, &before.employee));
        let figures = Compared {
            before: figures,
            after: if same {
                figures
            } else {
                StaffFigures::of(after, self.achieved.after.of(at, &after.employee))
            },
        };
        let bands = Compared {
            before: before.score.map(band),
            after: after.score.map(band),
        };
        let place = self.place(at, &before.employee);
        let totals = match place.and_then(|i| self.changes.get(i)) {
            Some(change) => change.costs_with(&costs, same)?,
            None => costs.clone(),
        };
        Ok(Row {
            employee: before.employee,
            role: before.role,
            costs,
            totals,
            same,
            moved,
            problems,
            bands,
            figures,
            place,
        })
    }

    /// `employee`'s place among the changes, their outcome being at `at`
    /// among the period's: the same staff as the period before are found
    /// at the same place, without a search; anyone else is looked up.
    fn place(&self, at: usize, employee: &EmployeeId) -> Option<usize> {
        match self.changes.get(at) {
            Some(change) if &change.employee == employee => Some(at),
            _ => self
                .changes
                .binary_search_by(|change| change.employee.cmp(employee))
                .ok(),
        }
    }
}

/// What a period adds to a simulation, worked out (everything that can
/// fail) before any of it is made.
struct Update {
    /// The period's costs.
    costs: Compared<Costs>,
    /// The period's roles, each with its costs over every period so far
    /// and how many of its scores fell in each band this period.
    roles: Vec<(RoleId, Compared<Costs>, Compared<[u64; SCORE_BANDS]>)>,
    /// The whole cost, with the period.
    total: Compared<Costs>,
}

/// One role's figures in a period: its staff's costs, and how many of
/// their scores fell in each band, under each plan.
struct RoleSums {
    costs: Compared<Costs>,
    /// Whether every employee summed so far had one outcome under both
    /// plans: the sums are the same, and one is added up for both.
    same: bool,
    bands: Compared<[u64; SCORE_BANDS]>,
}

impl Default for RoleSums {
    fn default() -> RoleSums {
        RoleSums {
            costs: Compared::default(),
            same: true,
            bands: Compared {
                before: [0; SCORE_BANDS],
                after: [0; SCORE_BANDS],
            },
        }
    }
}

impl RoleSums {
    /// Adds an employee of the role.
    fn add(&mut self, row: &Row) -> Result<()> {
        self.same = self.same && row.same;
        if self.same {
            self.costs.before = self.costs.before.plus(&row.costs.before)?;
            self.costs.after = self.costs.before;
        } else {
            self.costs.add(&row.costs.before, &row.costs.after)?;
        }
        for (band, counts) in [
            (row.bands.before, &mut self.bands.before),
            (row.bands.after, &mut self.bands.after),
        ] {
            if let Some(count) = band.and_then(|b| counts.get_mut(b)) {
                *count = count.saturating_add(1);
            }
        }
        Ok(())
    }
}

/// Per role paid commission on a metric (under `plan`'s roles), the lowest
/// and highest credit in `inputs`.
fn credit_ranges(plan: &CompiledPlan, inputs: &[EmployeeInputs]) -> BTreeMap<RoleId, (Decimal, Decimal)> {
    let mut ranges: BTreeMap<RoleId, (Decimal, Decimal)> = BTreeMap::new();
    for input in inputs {
        let Some(role) = plan.inner.roles.get(&input.role) else {
            continue;
        };
        let Some((crate::plan::Credit::Metric(metric), _)) = &role.commission else {
            continue;
        };
        if let Some(value) = input.metrics.get(metric) {
            match ranges.get_mut(&input.role) {
                Some(range) => {
                    range.0 = range.0.min(*value);
                    range.1 = range.1.max(*value);
                }
                None => {
                    ranges.insert(input.role.clone(), (*value, *value));
                }
            }
        }
    }
    ranges
}

impl EmployeeChange {
    /// `row`'s employee, with their first period.
    fn new(row: Row) -> EmployeeChange {
        EmployeeChange {
            employee: row.employee,
            role: row.role,
            periods: 1,
            costs: row.totals,
            moves: row.moved.into_iter().map(|m| *m).collect(),
            problems: row.problems.into_iter().map(|p| *p).collect(),
        }
    }

    /// Adds the employee's period (`row`, which carries their costs over
    /// every period so far).
    fn add(&mut self, row: Row) {
        if self.role != row.role {
            self.role = row.role;
        }
        self.periods = self.periods.saturating_add(1);
        self.costs = row.totals;
        self.moves.extend(row.moved.map(|m| *m));
        self.problems.extend(row.problems.map(|p| *p));
    }

    /// The employee's costs so far with a period's `costs` added (one sum
    /// for both plans while they are the same: `same` says the period's
    /// are).
    fn costs_with(&self, costs: &Compared<Costs>, same: bool) -> Result<Compared<Costs>> {
        let so_far = &self.costs;
        let before = so_far.before.plus(&costs.before)?;
        let after = if same && so_far.before.identical(&so_far.after) {
            before
        } else {
            so_far.after.plus(&costs.after)?
        };
        Ok(Compared { before, after })
    }

    /// Net pay after − before.
    ///
    /// # Errors
    ///
    /// A difference out of range.
    pub fn net_change(&self) -> Result<Decimal> {
        self.costs.after.net.try_sub(self.costs.before.net)
    }
}

/// One period under both plans.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PeriodChange {
    /// The period.
    pub period: Period,
    /// How many employees were evaluated.
    pub employees: usize,
    /// The period's costs.
    pub costs: Compared<Costs>,
    /// The period's findings under each plan (targets too high, scores too
    /// close, incentives too weak …).
    pub findings: Compared<Vec<Finding>>,
}

/// A plan change simulated on closed periods.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simulation {
    /// The plan in force (`id vN`; with the start of its fingerprint,
    /// `id vN (3f2a9c1b)`, when the proposal has the same id and version
    /// but another document).
    pub current: String,
    /// The proposed plan, named as [`current`](Self::current) is.
    pub proposed: String,
    /// Each period, in the order simulated.
    pub periods: Vec<PeriodChange>,
    /// Each role's costs, over every period.
    pub roles: BTreeMap<RoleId, Compared<Costs>>,
    /// Each employee, by employee id.
    pub employees: Vec<EmployeeChange>,
    /// The whole cost.
    pub total: Compared<Costs>,
    /// Per role paid commission on a metric, the lowest and highest credit
    /// seen in the inputs: the range a payout curve is drawn over.
    pub credit: BTreeMap<RoleId, (Decimal, Decimal)>,
    /// Per role, how many scores fell in each band of [`SCORE_BAND`]
    /// points (band `i` holds scores from `i × SCORE_BAND` up to the next
    /// band; the last band holds everything above), under each plan.
    pub scores: BTreeMap<RoleId, Compared<Vec<u64>>>,
    /// Whose pay the proposal can move ([`reach`]): the staff it was
    /// evaluated for; everyone else is paid as under the plan in force.
    pub reach: Reach,
}

/// Whose pay a change can move, in `locale`'s words: `reaches sales;
/// everyone else is paid as before`.
pub(crate) fn reach_in(locale: &Locale, reach: &Reach) -> String {
    match reach {
        Reach::Roles(roles) if roles.is_empty() => locale.text(msg::SIMULATION_REACH_NOBODY.def()),
        Reach::Roles(roles) => {
            let names: Vec<&str> = roles.iter().map(|role| locale.name_of(role.as_str())).collect();
            let list = names.join(&locale.text(msg::LIST_SEPARATOR.def()));
            locale.text_with(msg::SIMULATION_REACH_ROLES.def(), &[list.into()])
        }
        _ => locale.text(msg::SIMULATION_REACH_EVERYONE.def()),
    }
}

/// `value` as money to the cent: `2,050.00`.
pub(crate) fn money(locale: &Locale, value: Decimal) -> String {
    Quantity::new(value, Unit::Money).render_in(locale, &RoundingPolicy::cents())
}

/// A change of money, with its sign when it rises: `+2,050.00`.
pub(crate) fn signed(locale: &Locale, value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{}", money(locale, value))
    } else {
        money(locale, value)
    }
}

/// A number of points or staff as `locale` writes a plain number: `600`.
pub(crate) fn plain(locale: &Locale, value: Decimal) -> String {
    let mut out = String::new();
    locale.numbers().write_plain(&mut out, value.normalize());
    out
}

/// The words for one of [`Costs::money`]'s rows.
/// A money field of [`Costs`], as [`Costs::money`] lists them: a host
/// matches on it, and a table names it in the reader's language
/// ([`name_in`](CostField::name_in)); `Display` is its English name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum CostField {
    /// Gross pay.
    Gross,
    /// The employer's contributions.
    EmployerCost,
    /// Commission.
    Commission,
    /// Cash awards.
    Bonus,
    /// Net pay.
    Net,
}

impl CostField {
    /// The message that names the field.
    fn message(self) -> &'static Message<0> {
        match self {
            CostField::Gross => &msg::REPORT_GROSS,
            CostField::EmployerCost => &msg::EMPLOYER_COST,
            CostField::Commission => &msg::COMMISSION,
            CostField::Bonus => &msg::REPORT_BONUS,
            CostField::Net => &msg::REPORT_NET,
        }
    }

    /// The field's name in `locale`: `employer cost`, `企业用工成本`.
    pub fn name_in(self, locale: &Locale) -> String {
        locale.text(self.message().def())
    }
}

impl std::fmt::Display for CostField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name_in(Locale::english()))
    }
}

/// A row of the cost table: its words in 22 columns, then before, after
/// and change, then `note`.
/// Rows of a name, three figures (before, after, change) and a note,
/// each column as wide as its widest cell (and no narrower than a sample
/// shop's), so that a company's billions stay in line.
fn table(out: &mut String, rows: &[(String, [String; 3], String)]) {
    let width = |text: &str| unicode_width::UnicodeWidthStr::width(text);
    let mut widths = [22, 14, 14, 12];
    for (name, figures, _) in rows {
        for (w, cell) in widths.iter_mut().zip(std::iter::once(name).chain(figures)) {
            *w = (*w).max(width(cell));
        }
    }
    let [name_w, before_w, after_w, change_w] = widths;
    for (name, [before, after, change], note) in rows {
        let line = format!(
            "{} {} {} {}{note}",
            pad(name, name_w, false),
            pad(before, before_w, true),
            pad(after, after_w, true),
            pad(change, change_w, true)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// `text` padded with spaces to `width` columns as a terminal shows them
/// (a Chinese character takes two), on the right or, `right`, on the left.
fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(unicode_width::UnicodeWidthStr::width(text)));
    if right {
        fill + text
    } else {
        format!("{text}{fill}")
    }
}

/// The width of a band of [`Simulation::scores`], in score points.
pub const SCORE_BAND: u32 = 5;

/// How many bands [`Simulation::scores`] has: 0 to 150 points and above.
const SCORE_BANDS: usize = 31;

/// The band of `score`.
fn band(score: Decimal) -> usize {
    use rust_decimal::prelude::ToPrimitive;
    let at = score
        .checked_div(Decimal::from(SCORE_BAND))
        .and_then(|b| b.floor().to_usize());
    // a negative score counts in the first band
    at.unwrap_or(0).min(SCORE_BANDS.saturating_sub(1))
}

/// Simulates `proposed` against `current` on periods given as their
/// inputs (a closed period's [`ClosedPeriod::inputs`](crate::record::ClosedPeriod)),
/// each with its staff survey when it comes with one
/// ([`PeriodInputs::survey`]).
///
/// # Errors
///
/// What [`Simulator::add_period_with_survey`] refuses.
pub fn simulate<I>(current: &CompiledPlan, proposed: &CompiledPlan, periods: I) -> Result<Simulation>
where
    I: IntoIterator,
    I::Item: PeriodInputs,
{
    let mut simulator = Simulator::new(current, proposed);
    for period in periods {
        let (at, inputs) = period.parts();
        simulator.add_period_with_survey(at, inputs, period.survey())?;
    }
    Ok(simulator.finish())
}

/// A period and its inputs, as [`simulate`] takes them: `(period,
/// inputs)` (the inputs owned or borrowed as a slice, as
/// [`Storage::recorded_inputs`](crate::ports::Storage::recorded_inputs)
/// reads a closed period's), a [`ClosedPeriod`](crate::record::ClosedPeriod), or either
/// with the period's survey responses beside it — `(period, inputs,
/// responses)`, `(closed, responses)` — as
/// [`Storage::survey_responses`](crate::ports::Storage::survey_responses)
/// gives them (a closed period keeps the survey's report, not its
/// responses).
///
/// ```
/// # #[cfg(feature = "testing")] {
/// use perfpay::simulate::simulate;
/// use perfpay::testing::InputsFile;
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// let plan = perfpay::Plan::from_toml(text)?.compile()?;
/// let month = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inputs/shop-2026-11.toml"));
/// let month = InputsFile::from_text(month, "shop-2026-11.toml")?;
/// let with = simulate(&plan, &plan, [(month.period, month.employees.clone(), month.survey.clone())])?;
/// let borrowed = simulate(&plan, &plan, [(month.period, month.employees.as_slice())])?;
/// let without = simulate(&plan, &plan, [(month.period, month.employees)])?;
/// assert_eq!(borrowed, without);
/// // four sales staff answered 2.75 of 5 on average: below the plan's 3
/// assert_eq!(with.periods[0].findings.before[0].code.as_str(), "low_satisfaction");
/// assert!(without.periods[0].findings.before.is_empty());
/// # }
/// # Ok::<(), perfpay::Error>(())
/// ```
pub trait PeriodInputs {
    /// The period and the inputs.
    fn parts(&self) -> (&Period, &[EmployeeInputs]);

    /// The period's staff survey responses: none unless given.
    fn survey(&self) -> &[Response] {
        &[]
    }
}

impl PeriodInputs for (Period, Vec<EmployeeInputs>) {
    fn parts(&self) -> (&Period, &[EmployeeInputs]) {
        (&self.0, &self.1)
    }
}

impl PeriodInputs for (Period, &[EmployeeInputs]) {
    fn parts(&self) -> (&Period, &[EmployeeInputs]) {
        (&self.0, self.1)
    }
}

impl PeriodInputs for (Period, Vec<EmployeeInputs>, Vec<Response>) {
    fn parts(&self) -> (&Period, &[EmployeeInputs]) {
        (&self.0, &self.1)
    }

    fn survey(&self) -> &[Response] {
        &self.2
    }
}

impl<P: PeriodInputs> PeriodInputs for (P, Vec<Response>) {
    fn parts(&self) -> (&Period, &[EmployeeInputs]) {
        self.0.parts()
    }

    fn survey(&self) -> &[Response] {
        &self.1
    }
}

impl PeriodInputs for &crate::record::ClosedPeriod {
    fn parts(&self) -> (&Period, &[EmployeeInputs]) {
        (&self.outcome.period, &self.inputs)
    }
}

impl PeriodInputs for crate::record::ClosedPeriod {
    fn parts(&self) -> (&Period, &[EmployeeInputs]) {
        (&self.outcome.period, &self.inputs)
    }
}

/// A simulation fed one period at a time: each period's outcomes are
/// dropped once compared, so memory stays flat however many periods are
/// fed.
#[derive(Debug)]
pub struct Simulator<'p> {
    current: &'p CompiledPlan,
    proposed: &'p CompiledPlan,
    periods: Vec<PeriodChange>,
    roles: BTreeMap<RoleId, Compared<Costs>>,
    /// In employee order.
    employees: Vec<EmployeeChange>,
    total: Compared<Costs>,
    credit: BTreeMap<RoleId, (Decimal, Decimal)>,
    scores: BTreeMap<RoleId, Compared<Vec<u64>>>,
    /// Whose pay the proposal can move: only they are evaluated under it.
    reach: Reach,
}

impl<'p> Simulator<'p> {
    /// A simulation of `proposed` against `current`, with no period yet.
    pub fn new(current: &'p CompiledPlan, proposed: &'p CompiledPlan) -> Simulator<'p> {
        Simulator {
            current,
            proposed,
            periods: Vec::new(),
            roles: BTreeMap::new(),
            employees: Vec::new(),
            total: Compared::default(),
            credit: BTreeMap::new(),
            scores: BTreeMap::new(),
            // a document that does not serialize (which a valid one does)
            // leaves nobody out
            reach: reach(current.plan(), proposed.plan()).unwrap_or(Reach::Everyone),
        }
    }

    /// Evaluates `inputs` for `period` under both plans (numbers only) and
    /// adds the comparison. The proposal is evaluated for the staff it can
    /// reach ([`reach`]); the others' outcomes under it are theirs under
    /// the plan in force, and are taken from there.
    ///
    /// # Errors
    ///
    /// Plans in two currencies; an error of [`evaluate_numbers`] or of the
    /// findings ([`PeriodOutcome::diagnose`](crate::PeriodOutcome::diagnose))
    /// under either plan (the message says which, and the period), or a
    /// sum out of range. A period refused leaves the simulation as it was.
    pub fn add_period(&mut self, period: &Period, inputs: &[EmployeeInputs]) -> Result<()> {
        self.add_period_with_survey(period, inputs, &[])
    }

    /// [`add_period`](Self::add_period) with the period's staff survey:
    /// its responses aggregated under each plan (its questions and
    /// anonymity threshold), so both sides' findings include the survey's
    /// (`low_satisfaction`), as [`PeriodOutcome::diagnose`](crate::PeriodOutcome::diagnose)
    /// of an outcome with its survey report does.
    ///
    /// ```
    /// # #[cfg(feature = "testing")] {
    /// use perfpay::simulate::Simulator;
    /// use perfpay::testing::InputsFile;
    ///
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
    /// let plan = perfpay::Plan::from_toml(text)?.compile()?;
    /// let month = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inputs/shop-2026-11.toml"));
    /// let month = InputsFile::from_text(month, "shop-2026-11.toml")?;
    /// let mut simulator = Simulator::new(&plan, &plan);
    /// simulator.add_period_with_survey(&month.period, &month.employees, &month.survey)?;
    /// let findings = &simulator.finish().periods[0].findings;
    /// // four sales staff answered 2.75 of 5 on average: below the plan's 3
    /// assert_eq!(findings.before.len(), 1);
    /// assert_eq!(findings.before[0].code.as_str(), "low_satisfaction");
    /// # }
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// What [`add_period`](Self::add_period) refuses; a response the
    /// survey refuses.
    pub fn add_period_with_survey(
        &mut self,
        period: &Period,
        inputs: &[EmployeeInputs],
        survey: &[Response],
    ) -> Result<()> {
        self.current.currency().same_as(
            self.proposed.currency(),
            "comparing the proposed plan's costs with the current's",
        )?;
        let within = |which| in_plan(which, period);
        let under = |plan: &CompiledPlan, which: &'static str| {
            evaluate_numbers(plan, period, inputs).map_err(within(which))
        };
        let staff = inputs.len();
        // `after` holds everyone's outcome under the proposal, or, when it
        // reaches some roles only, their staff's
        let (before, after) = both(
            staff,
            || under(self.current, "current"),
            || match &self.reach {
                Reach::Everyone => under(self.proposed, "proposed"),
                reach => {
                    evaluate_numbers_reached(self.proposed, period, inputs, reach).map_err(within("proposed"))
                }
            },
        );
        let (mut before, mut after) = (before?, after?);
        let surveys = if survey.is_empty() {
            Compared {
                before: before.survey.take(),
                after: after.survey.take(),
            }
        } else {
            Compared {
                before: self.current.survey_report(survey)?,
                after: self.proposed.survey_report(survey)?,
            }
        };
        let achieved = Achievements::new(inputs, self.current.feedback().achievement_metric.as_ref());
        let comparing = Comparing {
            period,
            achieved: Compared {
                after: achieved.of_metric(self.proposed.feedback().achievement_metric.as_ref()),
                before: achieved,
            },
            changes: &self.employees,
        };
        // each employee's outcome under the proposal, where it reaches them
        let reached =
            reached_beside(&before.employees, &after, &self.reach).map_err(|e| e.with_period(period))?;
        // each employee's two outcomes compared on every core, and the
        // one under the plan in force dropped there: each outcome is read
        // once after the evaluation, not once for each figure
        let (rows, credit) = both(
            staff,
            || {
                each_of(before.employees, |at, outcome| {
                    comparing.row(at, outcome, reached.get(at).copied().flatten())
                })
            },
            || credit_ranges(self.proposed, inputs),
        );
        drop(reached);
        let rows = rows.into_iter().collect::<Result<Vec<_>>>()?;
        // everything that can fail is worked out before anything changes:
        // a period refused leaves the simulation as it was
        let (findings, update) = self.findings_and_sums(period, &rows, &surveys, after)?;
        let (costs, evaluated) = (update.costs.clone(), rows.len());
        self.apply(rows, update, credit);
        self.periods.push(PeriodChange {
            period: *period,
            employees: evaluated,
            costs,
            findings,
        });
        Ok(())
    }

    /// Both plans' findings of a period, and what its rows add
    /// ([`prepare`](Self::prepare)), worked out side by side: on one core
    /// each role's findings under the plan in force and, under the
    /// proposal, those of the roles it reaches (the others' are the same:
    /// their outcomes, and the plan-wide thresholds and custom findings,
    /// are); the rows' sums on the other, which then frees the period's
    /// outcomes under the proposal (`after`) on every core. `surveys` are
    /// the period's survey reports under each plan.
    fn findings_and_sums(
        &self,
        period: &Period,
        rows: &[Row],
        surveys: &Compared<Option<SurveyReport>>,
        after: PeriodOutcome,
    ) -> Result<(Compared<Vec<Finding>>, Update)> {
        let within = |which| in_plan(which, period);
        let reach = &self.reach;
        let ((roles_before, reached), update) = both(
            rows.len(),
            || {
                let (mut before, mut reached) = (StaffStats::default(), StaffStats::default());
                for row in rows {
                    before.add(&row.role, &row.figures.before);
                    // the staff the proposal reaches have an outcome of
                    // their own under it
                    if !row.same {
                        reached.add(&row.role, &row.figures.after);
                    }
                }
                (
                    role_findings(before.finish(), self.current),
                    role_findings(reached.finish(), self.proposed),
                )
            },
            move || {
                let update = self.prepare(rows);
                // freed on every core, as the plan in force's were
                each_of(after.employees, |_, outcome| drop(outcome));
                update
            },
        );
        let roles_after = match (&roles_before, reached) {
            (Ok(all), Ok(reached)) => {
                let mut roles: Vec<_> = all
                    .iter()
                    .filter(|(role, _)| !reach.includes(role))
                    .cloned()
                    .chain(reached)
                    .collect();
                roles.sort_by(|x, y| x.0.cmp(&y.0));
                Ok(roles)
            }
            (_, reached) => reached,
        };
        let findings = Compared {
            before: period_findings(self.current, roles_before, surveys.before.as_ref())
                .map_err(within("current"))?,
            after: period_findings(self.proposed, roles_after, surveys.after.as_ref())
                .map_err(within("proposed"))?,
        };
        Ok((findings, update?))
    }

    /// What a period's rows (in employee order) add to the simulation's
    /// roles and total, summed without changing it.
    fn prepare(&self, rows: &[Row]) -> Result<Update> {
        let mut period_roles: BTreeMap<&RoleId, RoleSums> = BTreeMap::new();
        for row in rows {
            period_roles.entry(&row.role).or_default().add(row)?;
        }
        let mut costs = Compared::default();
        let mut roles = Vec::with_capacity(period_roles.len());
        for (
            role,
            RoleSums {
                costs: sums, bands, ..
            },
        ) in period_roles
        {
            costs.add(&sums.before, &sums.after)?;
            let so_far = match self.roles.get(role) {
                Some(total) => Compared {
                    before: total.before.plus(&sums.before)?,
                    after: total.after.plus(&sums.after)?,
                },
                None => sums,
            };
            roles.push((role.clone(), so_far, bands));
        }
        let total = Compared {
            before: self.total.before.plus(&costs.before)?,
            after: self.total.after.plus(&costs.after)?,
        };
        Ok(Update { costs, roles, total })
    }

    /// Makes a prepared period's changes; nothing here can fail.
    fn apply(&mut self, rows: Vec<Row>, update: Update, credit: BTreeMap<RoleId, (Decimal, Decimal)>) {
        // everyone joins the first period
        let mut joining = Vec::with_capacity(if self.employees.is_empty() { rows.len() } else { 0 });
        for row in rows {
            match row.place.and_then(|i| self.employees.get_mut(i)) {
                Some(change) => change.add(row),
                None => joining.push(EmployeeChange::new(row)),
            }
        }
        self.join(joining);
        for (role, costs, bands) in update.roles {
            self.count_bands(&role, &bands);
            self.roles.insert(role, costs);
        }
        self.total = update.total;
        for (role, (low, high)) in credit {
            let range = self.credit.entry(role).or_insert((low, high));
            range.0 = range.0.min(low);
            range.1 = range.1.max(high);
        }
    }

    /// Merges employees new to the simulation (from one period, so each
    /// once) into the changes, keeping employee order.
    fn join(&mut self, mut joining: Vec<EmployeeChange>) {
        if joining.is_empty() {
            return;
        }
        joining.sort_by(|x, y| x.employee.cmp(&y.employee));
        if self.employees.is_empty() {
            self.employees = joining;
            return;
        }
        let kept = std::mem::take(&mut self.employees);
        let mut merged = Vec::with_capacity(kept.len().saturating_add(joining.len()));
        let mut joining = joining.into_iter().peekable();
        for change in kept {
            while let Some(new) = joining.next_if(|new| new.employee < change.employee) {
                merged.push(new);
            }
            merged.push(change);
        }
        merged.extend(joining);
        self.employees = merged;
    }

    /// Adds a period's counts of a role's scores in each band.
    fn count_bands(&mut self, role: &RoleId, bands: &Compared<[u64; SCORE_BANDS]>) {
        let counts = self.scores.entry(role.clone()).or_insert_with(|| Compared {
            before: vec![0; SCORE_BANDS],
            after: vec![0; SCORE_BANDS],
        });
        for (total, period) in [
            (&mut counts.before, &bands.before),
            (&mut counts.after, &bands.after),
        ] {
            for (count, more) in total.iter_mut().zip(period) {
                *count = count.saturating_add(*more);
            }
        }
    }

    /// The simulation of every period added.
    pub fn finish(self) -> Simulation {
        Simulation {
            current: plan_label(self.current, self.proposed),
            proposed: plan_label(self.proposed, self.current),
            periods: self.periods,
            roles: self.roles,
            employees: self.employees,
            total: self.total,
            credit: self.credit,
            scores: self.scores,
            reach: self.reach,
        }
    }
}

/// An error of `period` under one plan (`"current"` or `"proposed"`), as
/// a simulation reports it.
fn in_plan<'a>(which: &'static str, period: &'a Period) -> impl Fn(Error) -> Error + 'a {
    move |e: Error| e.with_path(which.to_owned()).with_period(period)
}

/// `id vN`, as the plan names itself; with the start of its fingerprint
/// when `other` has the same id and version but another document (a
/// proposal made by changing values of the plan in force), so the two
/// sides do not read as the same plan.
fn plan_label(plan: &CompiledPlan, other: &CompiledPlan) -> String {
    let (doc, theirs) = (plan.plan(), other.plan());
    let label = format!("{} v{}", doc.id, doc.version);
    if doc.id == theirs.id && doc.version == theirs.version && plan.fingerprint() != other.fingerprint() {
        let short = plan.fingerprint().get(..8).unwrap_or(plan.fingerprint());
        format!("{label} ({short})")
    } else {
        label
    }
}

impl Simulation {
    /// Employees whose net pay rises, the largest rise first (ties by
    /// employee id).
    pub fn gainers(&self) -> Vec<&EmployeeChange> {
        self.ranked(|change| change > Decimal::ZERO, true)
    }

    /// Employees whose net pay falls, the largest fall first (ties by
    /// employee id).
    pub fn losers(&self) -> Vec<&EmployeeChange> {
        self.ranked(|change| change < Decimal::ZERO, false)
    }

    fn ranked(&self, keep: impl Fn(Decimal) -> bool, largest_first: bool) -> Vec<&EmployeeChange> {
        let mut picked: Vec<(Decimal, &EmployeeChange)> = self
            .employees
            .iter()
            .filter_map(|e| e.net_change().ok().filter(|c| keep(*c)).map(|c| (c, e)))
            .collect();
        picked.sort_by(|(a, ea), (b, eb)| {
            let order = if largest_first { b.cmp(a) } else { a.cmp(b) };
            order.then_with(|| ea.employee.cmp(&eb.employee))
        });
        picked.into_iter().map(|(_, e)| e).collect()
    }

    /// The simulation as a plain-text table in English: totals, roles,
    /// periods, the people who gain and lose, and moves in score, grade
    /// and rank.
    ///
    /// # Errors
    ///
    /// A difference out of range.
    pub fn render(&self) -> Result<String> {
        self.render_in(Locale::english())
    }

    /// The table in the words of `locale`, roles and grades by its names
    /// (a plan's `[names.<lang>]`: `proposed.locale(Locale::chinese())`),
    /// columns aligned as a terminal shows them.
    ///
    /// # Errors
    ///
    /// A difference out of range.
    pub fn render_in(&self, locale: &Locale) -> Result<String> {
        self.render_top(locale, usize::MAX)
    }

    /// The table of [`render_in`](Self::render_in) for many staff: at most
    /// `top` of those who gain most, `top` of those who lose most and `top`
    /// moves (in employee order), each list closing with how many
    /// more it has — what a reader takes in of a simulation of thousands
    /// (the HTML report shows ten of each side too).
    ///
    /// ```
    /// # #[cfg(feature = "testing")] {
    /// use perfpay::locale::Locale;
    /// use perfpay::simulate::simulate;
    /// use perfpay::testing::InputsFile;
    ///
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
    /// let now = perfpay::Plan::from_toml(text)?;
    /// let mut proposal = now.clone();
    /// proposal.set("tiers.sales.tiers[1].rate", "0.04")?;
    /// let (now, proposal) = (now.compile()?, proposal.compile()?);
    /// let month = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inputs/shop-2026-11.toml"));
    /// let month = InputsFile::from_text(month, "shop-2026-11.toml")?;
    /// let simulation = simulate(&now, &proposal, [(month.period, month.employees)])?;
    /// // two of the sales staff gain; the table shows the one who gains most
    /// let table = simulation.render_top(Locale::english(), 1)?;
    /// assert!(table.contains("2 gain\n  sales-feng "));
    /// assert!(table.contains("  … and 1 more\n0 lose"));
    /// # }
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A difference out of range.
    pub fn render_top(&self, locale: &Locale, top: usize) -> Result<String> {
        let mut out = String::new();
        let _ = writeln!(out, "{} → {}", self.current, self.proposed);
        let _ = writeln!(out, "{}", reach_in(locale, &self.reach));
        self.write_costs(&mut out, locale)?;
        self.write_people(&mut out, locale, top)?;
        self.write_moves(&mut out, locale, top);
        Ok(out)
    }

    /// The table's cost rows: the totals before, after and their change,
    /// then each role's and each period's company cost.
    fn write_costs(&self, out: &mut String, locale: &Locale) -> Result<()> {
        let change = self.total.change()?;
        let mut rows = vec![(
            String::new(),
            [
                locale.text(msg::SIMULATION_BEFORE.def()),
                locale.text(msg::SIMULATION_AFTER.def()),
                locale.text(msg::REPORT_CHANGE.def()),
            ],
            String::new(),
        )];
        for (name, before, after, difference) in self.total.money_rows()? {
            let figures = [
                money(locale, before),
                money(locale, after),
                signed(locale, difference),
            ];
            rows.push((name.name_in(locale), figures, String::new()));
        }
        let points = [
            plain(locale, self.total.before.points),
            plain(locale, self.total.after.points),
            plain(locale, change.points),
        ];
        rows.push((locale.text(msg::POINTS.def()), points, String::new()));
        let company_cost = format!("  {}", locale.text(msg::SIMULATION_COMPANY_COST.def()));
        for (role, costs) in &self.roles {
            let c = costs.change()?;
            let name = locale.text_with(
                msg::SIMULATION_ROLE.def(),
                &[locale.name_of(role.as_str()).into()],
            );
            let figures = [
                money(locale, costs.before.company_cost()?),
                money(locale, costs.after.company_cost()?),
                signed(locale, c.company_cost()?),
            ];
            rows.push((name, figures, company_cost.clone()));
        }
        for p in &self.periods {
            let c = p.costs.change()?;
            let name = locale.text_with(msg::SIMULATION_PERIOD.def(), &[p.period.to_string().into()]);
            let count = |n: usize| Cow::Owned(n.to_string());
            let note = locale.text_with(
                msg::SIMULATION_PERIOD_NOTE.def(),
                &[
                    count(p.employees),
                    count(p.findings.before.len()),
                    count(p.findings.after.len()),
                ],
            );
            let figures = [
                money(locale, p.costs.before.company_cost()?),
                money(locale, p.costs.after.company_cost()?),
                signed(locale, c.company_cost()?),
            ];
            rows.push((name, figures, format!("  {note}")));
        }
        table(out, &rows);
        Ok(())
    }

    /// Who gains and who loses, each with the change of their net pay and
    /// of their commission.
    fn write_people(&self, out: &mut String, locale: &Locale, top: usize) -> Result<()> {
        let (net, commission) = (
            locale.text(msg::REPORT_NET.def()),
            locale.text(msg::COMMISSION.def()),
        );
        for (heading, people) in [
            (&msg::SIMULATION_GAIN, self.gainers()),
            (&msg::SIMULATION_LOSE, self.losers()),
        ] {
            let _ = writeln!(
                out,
                "{}",
                locale.text_with(heading.def(), &[people.len().to_string().into()])
            );
            for e in people.iter().take(top) {
                let _ = writeln!(
                    out,
                    "  {} {} {net} {}  {commission} {}",
                    pad(e.employee.as_str(), 20, false),
                    pad(locale.name_of(e.role.as_str()), 18, false),
                    pad(&signed(locale, e.net_change()?), 12, true),
                    pad(&signed(locale, e.costs.change()?.commission), 12, true)
                );
            }
            more(out, locale, people.len().saturating_sub(top));
        }
        Ok(())
    }

    /// Each employee's score, grade and rank that the proposal moves.
    fn write_moves(&self, out: &mut String, locale: &Locale, top: usize) {
        let moves = self
            .employees
            .iter()
            .flat_map(|e| e.moves.iter().map(move |m| (e, m)));
        for (e, m) in moves.clone().take(top) {
            let grade = |g: Option<&GradeId>| Cow::Owned(shown(g.map(|g| locale.name_of(g.as_str()))));
            let moved = locale.text_with(
                msg::SIMULATION_MOVE.def(),
                &[
                    shown(m.score.before).into(),
                    shown(m.score.after).into(),
                    grade(m.grade.before.as_ref()),
                    grade(m.grade.after.as_ref()),
                    shown(m.rank.before).into(),
                    shown(m.rank.after).into(),
                ],
            );
            let _ = writeln!(out, "  {} {}: {moved}", m.period, e.employee);
        }
        more(out, locale, moves.count().saturating_sub(top));
    }
}

/// `  … and 12 more` under a list cut short; nothing when none are left.
fn more(out: &mut String, locale: &Locale, left: usize) {
    if left > 0 {
        let _ = writeln!(
            out,
            "  {}",
            locale.text_with(msg::SIMULATION_MORE.def(), &[left.to_string().into()])
        );
    }
}

fn shown<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// One employee's outcome in `period` under both plans, explained: for
/// the few people a report shows. The whole period is evaluated under each
/// plan (ranks and pools depend on everyone).
///
/// # Errors
///
/// An error of [`evaluate_period`] under either plan.
pub fn explain_change(
    current: &CompiledPlan,
    proposed: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
    employee: &EmployeeId,
) -> Result<Compared<Option<EmployeeOutcome>>> {
    let pick = |plan: &CompiledPlan| -> Result<Option<EmployeeOutcome>> {
        let mut outcome = evaluate_period(plan, period, inputs)?;
        let at = outcome.employees.iter().position(|o| &o.employee == employee);
        Ok(at.map(|at| outcome.employees.swap_remove(at)))
    };
    Ok(Compared {
        before: pick(current)?,
        after: pick(proposed)?,
    })
}
