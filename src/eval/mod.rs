//! Pure evaluation of one period: compiled plan + inputs → outcomes with
//! explanations.
//!
//! Stages, one file each:
//!
//! 0. goals — each leaf goal measured from its owner's metrics, the tree
//!    rolled up;
//! 1. score — per employee, the role's scorecard gives a score, the rating
//!    scale a grade;
//! 2. team — employees of each role are ranked by score (rank 1 is the best
//!    of the period), grades calibrated, bonus pools split;
//! 3. pay — commission, incentive awards (with the rank known), payslip;
//!    then how far each reward not yet reached is (the commission's next
//!    tier, the next grade, incentive thresholds).
//!
//! One employee's bad data never stops the others: it is recorded in that
//! employee's outcome. Outcomes are ordered by employee id and serialize to
//! JSON deterministically. The stages are generic over the
//! [`Recorder`]: [`evaluate_period`] explains every number,
//! [`evaluate_numbers`] runs the same code recording nothing.

mod goals;
mod next;
mod pay;
mod score;
pub mod shard;
mod team;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::explain::Term;
use crate::explain::{Explanation, NoExplanation, Recorder, Sink, Static, Unit};
use crate::fingerprint::Fingerprinter;
use crate::id::{EmployeeId, MetricId};
use crate::period::Period;
use crate::plan::{CompiledInner, CompiledPlan};
use crate::record::{EmployeeInputs, EmployeeOutcome, OutcomeError, PeriodOutcome, Stage};
use crate::text::Text;
use crate::text::msg;

use pay::TeamPart;

fn stage_error(stage: Stage, err: Error) -> OutcomeError {
    OutcomeError { stage, error: err }
}

/// Evaluates one period for every employee.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when an
/// employee is listed twice. Everything else — an unknown role, missing
/// metrics, bad attendance — is recorded in that employee's outcome.
pub fn evaluate_period(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
) -> Result<PeriodOutcome> {
    evaluate::<Explanation>(plan, period, inputs)
}

/// The numbers of [`evaluate_period`] alone, for what-ifs and simulations:
/// the same scores, grades, ranks, commissions, awards and payslips,
/// computed by the same code, without recording how. Every explanation in
/// the outcome is [`Explanation::not_recorded`], every employee's
/// fingerprint is empty and no distance to the next reward is made
/// ([`EmployeeOutcome::next`] is empty: distances are for people to read);
/// an outcome to keep and pay comes from [`evaluate_period`]. Several
/// times faster.
///
/// # Errors
///
/// As [`evaluate_period`].
///
/// ```
/// use perfpay::{EmployeeInputs, Period, Plan, evaluate_numbers, evaluate_period};
///
/// let plan = Plan::from_toml(include_str!("../../examples/shop.toml"))?.compile()?;
/// let wu: EmployeeInputs = serde_json::from_str(r#"{
///     "employee": "sales-wu", "role": "sales",
///     "salary": [{"effective": "2025-01-01", "value": "6000"}],
///     "metrics": {"sales": "165000", "sales_achievement": "1.1", "repurchase": "0.2", "teamwork": "4"},
///     "ytd": {"year": 2026, "gross": "0", "contributions": "0", "employer_contributions": "0",
///             "withholding": {"base": "0", "withheld": "0"}}
/// }"#).unwrap();
/// let nov = Period::month(2026, 11)?;
/// let numbers = evaluate_numbers(&plan, &nov, std::slice::from_ref(&wu))?;
/// let explained = evaluate_period(&plan, &nov, &[wu])?;
/// let (quick, full) = (&numbers.employees[0], &explained.employees[0]);
/// assert_eq!(quick.payslip.as_ref().map(|p| p.net), full.payslip.as_ref().map(|p| p.net));
/// assert_eq!((quick.score, quick.commission), (full.score, full.commission));
/// assert!(!quick.explanation.is_recorded());
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn evaluate_numbers(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
) -> Result<PeriodOutcome> {
    evaluate::<NoExplanation>(plan, period, inputs)
}

/// The outcome of `employee` had `metric` been `value`, everything else as
/// `inputs` say: the whole period evaluated again (a changed metric can
/// move ranks, calibrated grades and pool shares), the employee's outcome
/// returned with its explanation and its distances to the next rewards.
/// "What if I sold 12,000 more?"
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for an
/// employee not among `inputs` or a metric the plan does not declare; as
/// [`evaluate_period`].
///
/// ```
/// use perfpay::{Decimal, EmployeeId, EmployeeInputs, MetricId, Period, Plan, evaluate_period, what_if};
///
/// let plan = Plan::from_toml(include_str!("../../examples/shop.toml"))?.compile()?;
/// let li: EmployeeInputs = serde_json::from_str(r#"{
///     "employee": "sales-li", "role": "sales",
///     "salary": [{"effective": "2025-01-01", "value": "6000"}],
///     "metrics": {"sales": "88000", "sales_achievement": "0.88", "repurchase": "0.2", "teamwork": "4"}
/// }"#).unwrap();
/// let nov = Period::month(2026, 11)?;
/// let now = evaluate_period(&plan, &nov, std::slice::from_ref(&li))?;
/// assert_eq!(now.employees[0].next[0].needed, Decimal::from(12_000));
/// let more = what_if(&plan, &nov, &[li], &EmployeeId::new("sales-li")?, &MetricId::new("sales")?, Decimal::from(100_000))?;
/// assert_eq!(more.commission, Some(Decimal::from(2_000))); // 100,000 × 2 %
/// assert!(more.next.iter().all(|n| n.of != "sales")); // the last tier is reached
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn what_if(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
    employee: &crate::id::EmployeeId,
    metric: &MetricId,
    value: Decimal,
) -> Result<EmployeeOutcome> {
    if !plan.inner.plan.metrics.contains(metric) {
        return Err(Error::invalid_input(format!(
            "the plan declares no metric {metric}"
        )));
    }
    let mut changed = inputs.to_vec();
    let Some(input) = changed.iter_mut().find(|i| &i.employee == employee) else {
        return Err(Error::invalid_input(format!(
            "{employee} is not among the inputs"
        )));
    };
    input.metrics.insert(metric.clone(), value);
    let mut outcome = evaluate_period(plan, period, &changed)?;
    let at = outcome
        .employees
        .iter()
        .position(|o| &o.employee == employee)
        .ok_or_else(|| Error::invalid_input(format!("{employee} is not among the inputs")))?;
    Ok(outcome.employees.swap_remove(at))
}

/// Employees per task handed to a core: enough to outweigh the handing
/// over. An employee takes 3–10 µs; handing a stage to the pool and waiting
/// for it takes tens of microseconds, four times a period (metrics, score,
/// team, pay). On 2 cores, periods of 64 and 128 employees were slower on
/// the pool than on the calling thread (numbers only, 1.3–1.7×), and 256
/// broke even; so a period is split from 256 employees.
const PER_TASK: usize = 128;

/// `f` of every item, in order, each worker with its own `scratch`: on
/// every core of rayon's current pool with the `parallel` feature, in
/// tasks of at least `per_task` items; one after another without. The
/// results are the same either way: each item is evaluated alone and they
/// are collected in order.
///
/// Work that would not be split — a pool of one thread, or fewer than two
/// tasks' worth of items — is done on the calling thread: handing it to a
/// worker would only add the hand-over, and the outcomes would be
/// allocated in the worker's allocator arena, which glibc gives back to
/// the system once they are freed (a pool thread re-faults the memory of
/// every month it evaluates; see docs/scale.md). A `per_task` of
/// `usize::MAX` keeps any number of items on the calling thread.
fn each<T, S, U>(
    items: Vec<T>,
    per_task: usize,
    scratch: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize, T) -> U + Sync + Send,
) -> Vec<U>
where
    T: Send,
    U: Send,
{
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 && items.len() >= per_task.saturating_mul(2) {
        use rayon::prelude::*;
        return items
            .into_par_iter()
            .enumerate()
            .with_min_len(per_task)
            .map_init(scratch, |s, (at, item)| f(s, at, item))
            .collect();
    }
    #[cfg(not(feature = "parallel"))]
    let _ = per_task;
    let mut s = scratch();
    items
        .into_iter()
        .enumerate()
        .map(|(at, item)| f(&mut s, at, item))
        .collect()
}

/// `f` of every item and its place, in order, split as the evaluation's
/// own stages are ([`each`], tasks of [`PER_TASK`]): for work outside the
/// evaluation that goes over a period's employees, such as comparing a
/// simulated period's outcomes.
pub(crate) fn each_of<T, U>(items: Vec<T>, f: impl Fn(usize, T) -> U + Sync + Send) -> Vec<U>
where
    T: Send,
    U: Send,
{
    each(items, PER_TASK, || (), |_, at, item| f(at, item))
}

/// `a` and `b`, side by side on rayon's current pool with the `parallel`
/// feature when the work is worth splitting — the pool has more than one
/// thread and `items` make at least two tasks, as [`each`] decides — and
/// one after the other on the calling thread otherwise. A simulated
/// period's two plans are evaluated (and diagnosed) this way.
pub(crate) fn both<A, B>(items: usize, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B)
where
    A: Send,
    B: Send,
{
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 && items >= PER_TASK.saturating_mul(2) {
        return rayon::join(a, b);
    }
    #[cfg(not(feature = "parallel"))]
    let _ = items;
    (a(), b())
}

/// The one evaluation of a period, every step recorded by `R`; with
/// [`NoExplanation`] no fingerprint is made either.
fn evaluate<R: Recorder + Clone + Send + Sync>(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
) -> Result<PeriodOutcome> {
    evaluate_into(plan, period, inputs, Static::<R>::new)
}

/// The one evaluation of a period, every step written to the sinks
/// `sink` makes (see [`evaluate_in`]).
pub(crate) fn evaluate_into<Q>(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
    sink: impl Fn() -> Q + Sync + Send,
) -> Result<PeriodOutcome>
where
    Q: Sink,
    Q::Step: Clone + Send + Sync,
{
    let sorted = sorted_once(inputs)?;
    let goals = measure(plan, period, &sorted);
    evaluate_in(plan, period, &sorted, goals, sink)
}

/// [`evaluate_numbers`] of the staff among `inputs` whom `reach` includes:
/// a shard of the period (their roles whole, the goals measured over
/// everyone), whose outcomes beside the others' under a plan that differs
/// from `plan` only where `reach` says ([`plan::reach`](crate::plan::reach))
/// are the period under `plan` ([`beside`]).
///
/// # Errors
///
/// As [`evaluate_numbers`].
pub(crate) fn evaluate_numbers_reached(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
    reach: &crate::plan::Reach,
) -> Result<PeriodOutcome> {
    let sorted = sorted_once(inputs)?;
    let measured = measure(plan, period, &sorted);
    let reached: Vec<&EmployeeInputs> = sorted
        .iter()
        .copied()
        .filter(|i| reach.includes(&i.role))
        .collect();
    let part = measured.of(reached.iter().map(|i| &i.employee));
    let part = goals::Measured {
        progress: measured.progress,
        errors: measured.errors,
        ..part
    };
    evaluate_with::<NoExplanation>(plan, period, &reached, part)
}

/// Everyone's outcome in employee order: from `reached`
/// ([`evaluate_numbers_reached`], or everyone's outcome when `reach` is
/// everyone) for the staff `reach` includes, from `before` for the others
/// — borrowed, not copied (a copy of an outcome costs about what
/// evaluating it does).
///
/// # Errors
///
/// As [`reached_beside`].
#[cfg(all(test, feature = "testing"))]
pub(crate) fn beside<'o>(
    before: &'o PeriodOutcome,
    reached: &'o PeriodOutcome,
    reach: &crate::plan::Reach,
) -> Result<Vec<&'o EmployeeOutcome>> {
    let places = reached_beside(&before.employees, reached, reach)?;
    Ok(before
        .employees
        .iter()
        .zip(places)
        .map(|(outcome, reached)| reached.unwrap_or(outcome))
        .collect())
}

/// For each of `before`'s outcomes (a period's, in employee order), the
/// same employee's outcome in `reached` ([`evaluate_numbers_reached`]
/// under a plan that reaches whom `reach` includes; everyone's when it
/// reaches everyone), or none when `reach` leaves them out: they come out
/// under that plan as in `before`.
///
/// # Errors
///
/// [`ErrorKind::Data`](crate::ErrorKind::Data) when `reached` holds
/// other staff than `before`'s whom `reach` includes.
pub(crate) fn reached_beside<'r>(
    before: &[EmployeeOutcome],
    reached: &'r PeriodOutcome,
    reach: &crate::plan::Reach,
) -> Result<Vec<Option<&'r EmployeeOutcome>>> {
    let mut outcomes = reached.employees.iter();
    let places = before
        .iter()
        .map(|outcome| {
            if !reach.includes(&outcome.role) {
                return Ok(None);
            }
            match outcomes.next() {
                Some(other) if other.employee == outcome.employee => Ok(Some(other)),
                other => Err(different_staff(&outcome.employee, other.map(|o| &o.employee))),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    match outcomes.next() {
        Some(extra) => Err(different_staff(&extra.employee, None)),
        None => Ok(places),
    }
}

/// The error of two evaluations of a period with different staff:
/// `one` in one of them where the other has `other` (or nobody).
fn different_staff(one: &EmployeeId, other: Option<&EmployeeId>) -> Error {
    let other = other.map_or_else(|| "nobody".to_string(), ToString::to_string);
    Error::data(format!(
        "the two plans evaluated different staff ({one} and {other})"
    ))
}

/// `inputs` in employee order.
///
/// # Errors
///
/// An employee listed twice.
fn sorted_once(inputs: &[EmployeeInputs]) -> Result<Vec<&EmployeeInputs>> {
    let mut sorted: Vec<&EmployeeInputs> = inputs.iter().collect();
    // inputs a host lists in employee order (a store's order) are checked in
    // one pass, not sorted and then checked for anyone listed twice
    if crate::record::in_employee_order(inputs) {
        return Ok(sorted);
    }
    let by_id = |a: &&EmployeeInputs, b: &&EmployeeInputs| a.employee.cmp(&b.employee);
    #[cfg(feature = "parallel")]
    rayon::slice::ParallelSliceMut::par_sort_by(sorted.as_mut_slice(), by_id);
    #[cfg(not(feature = "parallel"))]
    sorted.sort_by(by_id);
    if let Some(twice) = sorted.windows(2).find_map(|w| match w {
        [a, b] if a.employee == b.employee => Some(&a.employee),
        _ => None,
    }) {
        return Err(Error::invalid_input(format!("{twice} is listed twice")));
    }
    Ok(sorted)
}

/// What is measured over `sorted` (every employee of the period) before
/// anyone is evaluated: the goals, from the owners' metrics and rolled up
/// across everyone, and the deals shared between sellers, checked across
/// everyone who carries them ([`check_splits`](crate::tier::check_splits)).
/// A shard gets its employees' part of both, so that its sellers are
/// checked against sellers in other shards too.
fn measure(plan: &CompiledPlan, period: &Period, sorted: &[&EmployeeInputs]) -> goals::Measured {
    let inner = &*plan.inner;
    let mut measured = inner
        .goals
        .as_ref()
        .map(|tree| goals::measure_goals(tree, sorted, &inner.plan.metrics, period))
        .unwrap_or_default();
    measured.split_errors =
        crate::tier::check_splits(sorted.iter().map(|i| (&i.employee, i.transactions.as_slice())));
    measured
}

/// An employee's metrics for the period: their inputs' own, or those with
/// what the period adds (published goal achievements, check-ins).
type Metrics<'a> = Cow<'a, BTreeMap<MetricId, Decimal>>;

/// Each employee's metrics for the period (their own, with the
/// achievements of the goals they own), and the errors of those who have
/// none (their inputs' metrics stand in) or whose check-ins cannot count,
/// by position.
fn period_metrics_of<'a>(
    inner: &CompiledInner,
    period: &Period,
    sorted: &[&'a EmployeeInputs],
    goals: &goals::Measured,
) -> (Vec<Metrics<'a>>, Vec<(usize, OutcomeError)>) {
    let measured = each(
        sorted.to_vec(),
        PER_TASK,
        || (),
        |(), _, input| {
            let published = goals.published.get(&input.employee).map(Vec::as_slice);
            period_metrics(inner, period, input, published)
        },
    );
    let mut metric_errors = Vec::new();
    let metrics = measured
        .into_iter()
        .zip(sorted)
        .enumerate()
        .map(|(at, (measured, input))| {
            measured.unwrap_or_else(|err| {
                metric_errors.push((at, stage_error(Stage::Score, err)));
                Cow::Borrowed(&input.metrics)
            })
        })
        .collect();
    for (at, input) in sorted.iter().enumerate() {
        for err in goals.check_in_errors.get(&input.employee).into_iter().flatten() {
            metric_errors.push((at, stage_error(Stage::Score, err.clone())));
        }
    }
    (metrics, metric_errors)
}

/// What the team stage gave the employee at position `at`: their rank, a
/// share of the pool, and a grade a forced distribution changed (set on
/// `s`, its step kept); its errors join `s`'s.
fn team_part<S: Clone>(
    inner: &CompiledInner,
    team: &team::Team<S>,
    at: usize,
    employee: &EmployeeId,
    s: &mut score::Scored<'_, S>,
) -> TeamPart<S> {
    if let Some(errors) = team.errors.get(&at) {
        s.errors.extend(errors.iter().cloned());
    }
    let mut part = TeamPart {
        rank: team.ranks.get(at).copied().flatten(),
        calibrated: None,
        pool: team.pool_shares.get(employee).cloned(),
    };
    if let Some((grade, why)) = team.calibrated.get(employee) {
        let coefficient = inner
            .rating
            .as_ref()
            .and_then(|r| r.grade(grade))
            .map_or(Decimal::ZERO, |g| g.coefficient());
        s.grade = Some((grade.clone(), coefficient));
        part.calibrated = Some(why.clone());
    }
    part
}

/// The stages after the goals, for `sorted` (in employee order) with the
/// goal stage's findings: achievements the plan declares as metrics join
/// the owners' metrics.
fn evaluate_with<R: Recorder + Clone + Send + Sync>(
    plan: &CompiledPlan,
    period: &Period,
    sorted: &[&EmployeeInputs],
    goals: goals::Measured,
) -> Result<PeriodOutcome> {
    evaluate_in(plan, period, sorted, goals, Static::<R>::new)
}

/// [`evaluate_with`], the steps written to the sinks `sink` makes: one
/// for each task of the score and pay stages, and for each role's team
/// stage.
fn evaluate_in<Q>(
    plan: &CompiledPlan,
    period: &Period,
    sorted: &[&EmployeeInputs],
    goals: goals::Measured,
    sink: impl Fn() -> Q + Sync + Send,
) -> Result<PeriodOutcome>
where
    Q: Sink,
    Q::Step: Clone + Send + Sync,
{
    let inner = &*plan.inner;
    let (metrics, metric_errors) = period_metrics_of(inner, period, sorted, &goals);
    let mut scored = each(
        sorted.iter().copied().zip(&metrics).collect(),
        PER_TASK,
        &sink,
        |rec, _, (input, metrics)| score::score(inner, input, metrics, rec),
    );
    // in order, ahead of the score stage's own
    for (at, err) in metric_errors.into_iter().rev() {
        if let Some(s) = scored.get_mut(at) {
            s.errors.insert(0, err);
        }
    }
    let mut team = team::team(inner, sorted, &scored, &sink);
    team.outcome.goals = goals.progress;
    team.outcome.goal_errors = goals.errors;
    let owned = goals.owned;

    // each employee's pay on their own: what the team stage gave them is
    // read from its maps (mostly empty: errors, calibrations, pool shares)
    let shared = PeriodShared::new(plan, period, goals.split_errors);
    let employees = each(
        scored
            .into_iter()
            .zip(sorted.iter().copied().zip(&metrics))
            .collect(),
        PER_TASK,
        || pay::Task::new(sink()),
        |task, at, (mut s, (input, metrics))| {
            let part = team_part(inner, &team, at, &input.employee, &mut s);
            let mut outcome = pay::pay(&shared, input, metrics, s, part, task);
            outcome.goals = owned.get(&input.employee).cloned().unwrap_or_default();
            outcome
        },
    );
    Ok(PeriodOutcome {
        plan: format!("{} v{}", inner.plan.id, inner.plan.version),
        plan_fingerprint: inner.fingerprint.clone(),
        currency: Some(inner.currency),
        period: *period,
        employees,
        team: team.outcome,
        survey: None,
    })
}

/// An employee's metrics for the stages: the inputs' own, the goal
/// achievements the plan declares as metrics, and the attendance figures it
/// declares (borrowed when there is nothing to add).
///
/// # Errors
///
/// Inputs giving a metric the plan computes from attendance; bad
/// attendance, salary or employment level (as the payslip would report).
fn period_metrics<'a>(
    inner: &CompiledInner,
    period: &Period,
    input: &'a EmployeeInputs,
    published: Option<&[(MetricId, Decimal)]>,
) -> Result<Cow<'a, BTreeMap<MetricId, Decimal>>> {
    if published.is_none() && inner.attendance.is_empty() {
        return Ok(Cow::Borrowed(&input.metrics));
    }
    let mut m = input.metrics.clone();
    m.extend(published.unwrap_or_default().iter().cloned());
    if inner.attendance.is_empty() {
        return Ok(Cow::Owned(m));
    }
    if let Some(given) = inner.attendance.iter().find(|a| input.metrics.contains_key(*a)) {
        return Err(Error::data(format!(
            "metric {given} is computed from attendance; the inputs may not give it"
        ))
        .with_path(format!("metrics.{given}")));
    }
    let figures = inner.payroll.attendance_figures(
        period,
        &input.salary,
        input.employed_until,
        input.employment_level.as_ref(),
        &input.attendance,
    )?;
    for name in &inner.attendance {
        if let Some(value) = figures.metric(name.as_str()) {
            m.insert(name.clone(), value);
        }
    }
    Ok(Cow::Owned(m))
}

/// What every employee's pay stage shares in one period, made once.
struct PeriodShared<'a> {
    plan: &'a CompiledPlan,
    period: &'a Period,
    /// The period's name, for root explanations.
    period_text: Text,
    /// The hash state after "plan fingerprint \n period \n".
    fingerprint: Fingerprinter,
    /// The employees whose shared deals disagree with a colleague's copy
    /// ([`check_splits`](crate::tier::check_splits)): their commission on
    /// transactions is refused. Mostly empty.
    splits: BTreeMap<EmployeeId, Error>,
}

impl<'a> PeriodShared<'a> {
    fn new(
        plan: &'a CompiledPlan,
        period: &'a Period,
        splits: BTreeMap<EmployeeId, Error>,
    ) -> PeriodShared<'a> {
        let name = period.to_string();
        let mut fingerprint = Fingerprinter::new();
        fingerprint.update(plan.inner.fingerprint.as_bytes());
        fingerprint.update(b"\n");
        fingerprint.update(name.as_bytes());
        fingerprint.update(b"\n");
        PeriodShared {
            plan,
            period,
            period_text: Text::from(name),
            fingerprint,
            splits,
        }
    }
}

/// Plan versions by effective date: the plan in force for a period is the
/// latest whose `effective` date is on or before the period's start.
#[derive(Clone, Debug)]
pub struct PlanVersions {
    plans: Vec<CompiledPlan>,
}

impl PlanVersions {
    /// Versions of one plan.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for no
    /// plans, plans with different ids, or two versions effective on the
    /// same date.
    pub fn new(plans: impl IntoIterator<Item = CompiledPlan>) -> Result<PlanVersions> {
        let mut plans: Vec<CompiledPlan> = plans.into_iter().collect();
        let Some(first) = plans.first() else {
            return Err(Error::invalid_input("plan versions need at least one plan"));
        };
        let id = first.plan().id.clone();
        if let Some(other) = plans.iter().find(|p| p.plan().id != id) {
            return Err(Error::invalid_input(format!(
                "plan versions mix plans {id} and {}",
                other.plan().id
            )));
        }
        plans.sort_by_key(|p| p.plan().effective);
        if let Some((a, b)) = plans.windows(2).find_map(|w| match w {
            [a, b] if a.plan().effective == b.plan().effective => Some((a.plan(), b.plan())),
            _ => None,
        }) {
            return Err(Error::invalid_input(format!(
                "versions {} and {} are both effective on {}",
                a.version, b.version, a.effective
            )));
        }
        Ok(PlanVersions { plans })
    }

    /// The plan in force for `period`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) when no version is in
    /// force yet.
    pub fn for_period(&self, period: &Period) -> Result<&CompiledPlan> {
        self.plans
            .iter()
            .rev()
            .find(|p| p.plan().effective <= period.start())
            .ok_or_else(|| Error::data(format!("no plan version is in force for {period}")))
    }
}

/// Adjustment lines for re-evaluating a closed period under a corrected
/// plan: one line per payslip line whose amount changed (`ADJ-<code>`, the
/// difference, same kind), plus lines that appear or disappear. The stored
/// outcome is never edited; the host pays the adjustments with the next
/// payslip.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the two
/// outcomes are for different employees, or their payslips for different
/// periods (an outcome without a payslip carries no period to check);
/// overflow.
pub fn adjustments(
    stored: &EmployeeOutcome,
    corrected: &EmployeeOutcome,
) -> Result<Vec<crate::payroll::PayLine>> {
    use crate::payroll::{LineKind, PayLine};
    if stored.employee != corrected.employee {
        return Err(Error::invalid_input(format!(
            "cannot adjust {} with an outcome of {}",
            stored.employee, corrected.employee
        )));
    }
    if let (Some(paid), Some(now)) = (&stored.payslip, &corrected.payslip)
        && paid.period != now.period
    {
        return Err(Error::invalid_input(format!(
            "cannot adjust the payslip of {} with one of {}",
            paid.period, now.period
        )));
    }
    // lines are matched by code, kind and source; amounts are (paid, corrected)
    let key = |l: &'_ PayLine| (l.code.clone(), l.kind, l.source.clone());
    let mut amounts: BTreeMap<_, (Decimal, Decimal)> = BTreeMap::new();
    fn lines(o: &EmployeeOutcome) -> &[PayLine] {
        o.payslip.as_ref().map_or(&[], |p| p.lines.as_slice())
    }
    for l in lines(stored).iter().filter(|l| l.kind != LineKind::Information) {
        let paid = &mut amounts.entry(key(l)).or_default().0;
        *paid = crate::money::DecimalExt::try_add(*paid, l.amount)?;
    }
    for l in lines(corrected)
        .iter()
        .filter(|l| l.kind != LineKind::Information)
    {
        let corrected = &mut amounts.entry(key(l)).or_default().1;
        *corrected = crate::money::DecimalExt::try_add(*corrected, l.amount)?;
    }
    let mut out = Vec::new();
    for ((code, kind, source), (before, after)) in amounts {
        let difference = crate::money::DecimalExt::try_sub(after, before)?;
        if difference.is_zero() {
            continue;
        }
        let explanation = Explanation::money(msg::ADJUSTMENT_OF.with([Term::text(code.clone())]), difference)
            .value(after, Unit::Money)
            .text(&msg::CORRECTED_MINUS)
            .value(before, Unit::Money)
            .text(&msg::PAID)
            .text(msg::STORED_FINGERPRINT.with([Term::text(
                // by characters: a fingerprint read back from storage need
                // not be ASCII hex
                stored.fingerprint.chars().take(12).collect::<String>(),
            )]));
        out.push(PayLine {
            code: format!("ADJ-{code}").into(),
            kind,
            amount: difference,
            source,
            explanation,
        });
    }
    Ok(out)
}
