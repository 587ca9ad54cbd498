//! Pure evaluation of one period: compiled plan + inputs → outcomes with
//! explanations.
//!
//! Stages:
//!
//! 1. per employee — the role's scorecard gives a score, the rating scale a
//!    grade;
//! 2. team — employees of each role are ranked by score (rank 1 is the best
//!    of the period);
//! 3. pay — commission, incentive awards (with the rank known), payslip.
//!
//! One employee's bad data never stops the others: it is recorded in that
//! employee's outcome. Outcomes are ordered by employee id and serialize to
//! JSON deterministically.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::explain::{Explanation, NoExplanation, Recorder, Term, Unit};
use crate::fingerprint::Fingerprinter;
use crate::goal::{GoalProgress, GoalTree};
use crate::id::{EmployeeId, GoalId, GradeId, MetricId, RoleId};
use crate::incentive::{Facts, IncentiveInput};
use crate::payroll::{BonusInput, PayInput, PayItem, payslip_recorded};
use crate::period::Period;
use crate::plan::CompiledPlan;
use crate::record::{EmployeeInputs, EmployeeOutcome, OutcomeError, PeriodOutcome, Stage, TeamOutcome};
use crate::score::ranked_positions;
use crate::text::Text;
use crate::tier::CommissionContext;

/// A role's scores, and where each of its employees is among all employees.
#[derive(Default)]
struct RoleScores {
    scores: Vec<(EmployeeId, Decimal)>,
    positions: Vec<usize>,
}

struct Scored<R> {
    score: Option<Decimal>,
    grade: Option<(GradeId, Decimal)>,
    /// The score's step, a child of the employee's root step.
    score_step: Option<R>,
    /// The grade's step, a child of the employee's root step.
    grade_step: Option<R>,
    errors: Vec<OutcomeError>,
}

/// What the team stage found for one employee.
struct TeamPart<R> {
    rank: Option<usize>,
    /// The step of a grade calibration changed.
    calibrated: Option<R>,
    /// A share of the role's bonus pool.
    pool: Option<PayItem>,
}

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
/// the outcome is [`Explanation::not_recorded`] and every employee's
/// fingerprint is empty (an outcome to keep and pay comes from
/// [`evaluate_period`]). Several times faster.
///
/// # Errors
///
/// As [`evaluate_period`].
///
/// ```
/// use perfpay::{evaluate_numbers, evaluate_period, EmployeeInputs, Period, Plan};
///
/// let plan = Plan::from_toml(include_str!("../examples/shop.toml"))?.compile()?;
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

/// The one evaluation of a period, every step recorded by `R`; with
/// [`NoExplanation`] no fingerprint is made either.
fn evaluate<R: Recorder>(
    plan: &CompiledPlan,
    period: &Period,
    inputs: &[EmployeeInputs],
) -> Result<PeriodOutcome> {
    let inner = &*plan.inner;
    let mut sorted: Vec<&EmployeeInputs> = inputs.iter().collect();
    sorted.sort_by(|a, b| a.employee.cmp(&b.employee));
    if let Some(twice) = sorted.windows(2).find_map(|w| match w {
        [a, b] if a.employee == b.employee => Some(&a.employee),
        _ => None,
    }) {
        return Err(Error::invalid_input(format!("{twice} is listed twice")));
    }

    // stage 0: goals, measured from the owners' metrics; achievements the
    // plan declares as metrics join the owners' metrics for the stages below
    let goals = inner
        .goals
        .as_ref()
        .map(|tree| measure_goals(tree, &sorted, &inner.plan.metrics))
        .unwrap_or_default();
    let metrics: Vec<Cow<'_, BTreeMap<MetricId, Decimal>>> = sorted
        .iter()
        .map(|input| match goals.published.get(&input.employee) {
            Some(extra) => {
                let mut m = input.metrics.clone();
                m.extend(extra.iter().cloned());
                Cow::Owned(m)
            }
            None => Cow::Borrowed(&input.metrics),
        })
        .collect();

    // stage 1: scores and grades
    let mut scored = Vec::with_capacity(sorted.len());
    for (input, metrics) in sorted.iter().zip(&metrics) {
        let mut s = Scored {
            score: None,
            grade: None,
            score_step: None,
            grade_step: None,
            errors: Vec::new(),
        };
        match inner.roles.get(&input.role) {
            None => s.errors.push(stage_error(
                Stage::Score,
                Error::data(format!("unknown role {}", input.role)),
            )),
            Some(role) => match role.scorecard.scored::<R>(metrics.as_ref(), None) {
                Ok((score, e)) => {
                    s.score = Some(score);
                    s.score_step = Some(e);
                    if let Some(rating) = &inner.rating {
                        let (grade, step) = rating.rated::<R>(score);
                        s.grade = Some((grade.id().clone(), grade.coefficient()));
                        s.grade_step = Some(step);
                    }
                }
                Err(err) => s.errors.push(stage_error(Stage::Score, err)),
            },
        }
        scored.push(s);
    }

    // stage 2: rankings per role; an employee without a score is left out
    let mut team = TeamOutcome::default();
    let mut by_role: BTreeMap<&RoleId, RoleScores> = BTreeMap::new();
    for (at, (input, s)) in sorted.iter().zip(&scored).enumerate() {
        if let Some(score) = s.score {
            let role = by_role.entry(&input.role).or_default();
            role.scores.push((input.employee.clone(), score));
            role.positions.push(at);
        } else if let Some(error) = s.errors.first() {
            team.left_out
                .insert(input.employee.clone(), format!("no score ({error})"));
        }
    }
    // errors of the team stage, by position in `sorted`: they fail that
    // employee only
    let mut team_errors: BTreeMap<usize, Vec<OutcomeError>> = BTreeMap::new();
    // each employee's rank, by position in `sorted` (nobody is listed twice)
    let mut ranks: Vec<Option<usize>> = vec![None; sorted.len()];
    let mut calibrated: BTreeMap<EmployeeId, (GradeId, R)> = BTreeMap::new();
    let mut pool_shares: BTreeMap<EmployeeId, PayItem> = BTreeMap::new();
    for (role, RoleScores { scores, positions }) in by_role {
        if let Some(compiled) = inner.roles.get(role) {
            if let Some(distribution) = &compiled.distribution {
                let d = match distribution.apply(&scores) {
                    Ok(d) => d,
                    Err(err) => {
                        let reason = format!("the forced distribution of {role} failed: {err}");
                        leave_out(&mut team, &mut team_errors, &scores, &positions, &reason);
                        continue;
                    }
                };
                for p in d.placements {
                    let why = R::record(|| {
                        Explanation::new(
                            format!("calibrated grade {}", p.grade),
                            Decimal::from(p.rank),
                            Unit::Count,
                        )
                        .terms([Term::text(format!(
                            "rank {} of {} in {role} under the forced distribution",
                            p.rank,
                            scores.len()
                        ))])
                    });
                    calibrated.insert(p.employee, (p.grade, why));
                }
            }
            if let Some((amount, pool)) = &compiled.pool {
                // a negative score cannot take a share of a pool: that
                // employee is left out, the others share it
                let (takers, refused): (Vec<_>, Vec<_>) = scores
                    .iter()
                    .cloned()
                    .zip(positions.iter().copied())
                    .partition(|((_, score), _)| !score.is_sign_negative() || score.is_zero());
                let (refused, refused_at): (Vec<_>, Vec<_>) = refused.into_iter().unzip();
                let reason = format!("left out of the bonus pool of {role}: a negative score takes no share");
                leave_out(&mut team, &mut team_errors, &refused, &refused_at, &reason);
                let (participants, at): (Vec<_>, Vec<_>) = takers.into_iter().unzip();
                let split = match pool.split(*amount, &participants) {
                    Ok(split) => split,
                    Err(err) => {
                        let reason = format!("the bonus pool of {role} could not be split: {err}");
                        leave_out(&mut team, &mut team_errors, &participants, &at, &reason);
                        continue;
                    }
                };
                for (share, step) in split.shares.iter().zip(split.explanation.children()) {
                    pool_shares.insert(
                        share.employee.clone(),
                        PayItem {
                            code: "POOL".into(),
                            amount: share.amount,
                            source: Some(format!("bonus pool of {role}").into()),
                            explanation: R::record(|| step.clone()).into_explanation(),
                        },
                    );
                }
            }
        }
        let ranked = ranked_positions(&scores);
        team.best.insert(
            role.clone(),
            ranked
                .iter()
                .take_while(|&&(_, rank)| rank == 1)
                .filter_map(|&(at, _)| Some(scores.get(at)?.0.clone()))
                .collect(),
        );
        for &(at, rank) in &ranked {
            if let Some(slot) = positions.get(at).and_then(|&p| ranks.get_mut(p)) {
                *slot = Some(rank);
            }
        }
        team.rankings.insert(
            role.clone(),
            ranked
                .into_iter()
                .filter_map(|(at, rank)| scores.get(at).map(|(id, score)| (id.clone(), *score, rank)))
                .collect(),
        );
    }

    team.goals = goals.progress;
    team.goal_errors = goals.errors;
    let mut owned = goals.owned;

    // stage 3: pay
    let mut employees = Vec::with_capacity(sorted.len());
    let shared = PeriodShared::new(plan, period);
    let mut json = Vec::with_capacity(1024);
    for (at, (((input, mut s), metrics), rank)) in
        sorted.iter().zip(scored).zip(&metrics).zip(ranks).enumerate()
    {
        if let Some(errors) = team_errors.remove(&at) {
            s.errors.extend(errors);
        }
        let mut team = TeamPart {
            rank,
            calibrated: None,
            pool: pool_shares.remove(&input.employee),
        };
        if let Some((grade, why)) = calibrated.remove(&input.employee) {
            let coefficient = inner
                .rating
                .as_ref()
                .and_then(|r| r.grade(&grade))
                .map_or(Decimal::ZERO, |g| g.coefficient());
            s.grade = Some((grade, coefficient));
            team.calibrated = Some(why);
        }
        let mut outcome = pay::<R>(&shared, input, metrics, s, team, &mut json);
        outcome.goals = owned.remove(&input.employee).unwrap_or_default();
        employees.push(outcome);
    }
    Ok(PeriodOutcome {
        plan: format!("{} v{}", inner.plan.id, inner.plan.version),
        plan_fingerprint: inner.fingerprint.clone(),
        period: *period,
        employees,
        team,
    })
}

/// Leaves every employee of `scores` (at `positions` in the period) out of
/// the team stage for `reason`, an error on each one's outcome.
fn leave_out(
    team: &mut TeamOutcome,
    team_errors: &mut BTreeMap<usize, Vec<OutcomeError>>,
    scores: &[(EmployeeId, Decimal)],
    positions: &[usize],
    reason: &str,
) {
    for ((employee, _), &at) in scores.iter().zip(positions) {
        team.left_out.insert(employee.clone(), reason.to_owned());
        team_errors
            .entry(at)
            .or_default()
            .push(stage_error(Stage::Team, Error::data(reason.to_owned())));
    }
}

/// What every employee's pay stage shares in one period, made once.
struct PeriodShared<'a> {
    plan: &'a CompiledPlan,
    period: &'a Period,
    /// The period's name, for root explanations.
    period_text: Text,
    /// The hash state after "plan fingerprint \n period \n".
    fingerprint: Fingerprinter,
}

impl<'a> PeriodShared<'a> {
    fn new(plan: &'a CompiledPlan, period: &'a Period) -> PeriodShared<'a> {
        let name = period.to_string();
        let mut fingerprint = Fingerprinter::new();
        fingerprint.update(plan.inner.fingerprint.as_bytes());
        fingerprint.update(b"\n");
        fingerprint.update(name.as_bytes());
        fingerprint.update(b"\n");
        PeriodShared {
            plan,
            period,
            period_text: Text::from(std::sync::Arc::<str>::from(name)),
            fingerprint,
        }
    }
}

fn pay<R: Recorder>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    metrics: &BTreeMap<MetricId, Decimal>,
    s: Scored<R>,
    team: TeamPart<R>,
    json: &mut Vec<u8>,
) -> EmployeeOutcome {
    let (inner, period) = (&*shared.plan.inner, shared.period);
    let rank = team.rank;
    let mut errors = s.errors;
    let role = inner.roles.get(&input.role);
    // commission
    let run_commission = || {
        role.and_then(|r| r.commission.as_ref()).map(|(on, rule)| {
            metrics
                .get(on)
                .copied()
                .ok_or_else(|| Error::data(format!("metric {on} is missing")))
                .and_then(|amount| rule.run::<R>(&CommissionContext::new(amount, metrics)))
        })
    };
    let mut commission_explanation = None;
    let mut commission = None;
    match run_commission() {
        Some(Ok(out)) => {
            commission = Some(out.amount);
            commission_explanation = Some(out.explanation);
        }
        Some(Err(err)) => errors.push(stage_error(Stage::Commission, err)),
        None => {}
    }

    // incentives
    let facts = Facts {
        score: s.score,
        grade: s.grade.as_ref().map(|g| g.0.clone()),
        rank,
        metrics: Cow::Borrowed(metrics),
    };
    let program = inner.incentives.get(&input.role);
    let awards = match program.map(|p| {
        p.evaluate_in::<R>(
            &IncentiveInput {
                employee: &input.employee,
                period,
                facts: &facts,
                events: &input.events,
                granted: &input.granted,
            },
            &shared.period_text,
        )
    }) {
        None => Vec::new(),
        Some(Ok(awards)) => awards,
        Some(Err(err)) => {
            errors.push(stage_error(Stage::Incentives, err));
            Vec::new()
        }
    };

    // payslip: only when score and commission are known (no partial pay)
    let bonus = match (role.and_then(|r| r.target_bonus), &s.grade) {
        (Some(target), Some((grade, coefficient))) => Some(BonusInput {
            target,
            grade: grade.clone(),
            coefficient: *coefficient,
        }),
        _ => None,
    };
    let other: Vec<PayItem> = team
        .pool
        .into_iter()
        .chain(input.adjustments.iter().cloned())
        .collect();
    let payslip = if errors.is_empty() {
        let ytd = input.ytd;
        // the COMMISSION line takes the commission's explanation over
        match payslip_recorded::<R>(
            &inner.payroll,
            &PayInput {
                employed_until: input.employed_until,
                bonus: bonus.as_ref(),
                awards: &awards,
                other: other.as_slice(),
                ytd: ytd.as_ref(),
                ..PayInput::new(&input.employee, period, &input.salary, &input.attendance)
            },
            commission.zip(commission_explanation.take()),
        ) {
            Ok(p) => Some(p),
            Err(err) => {
                errors.push(stage_error(Stage::Payslip, err));
                // no payslip: the root explains the commission, made again
                // (the failed payslip took the first explanation)
                commission_explanation = run_commission().and_then(|r| r.ok()).map(|out| out.explanation);
                None
            }
        }
    } else {
        None
    };
    // the root: net pay, as the payslip sums it, when there is a payslip;
    // its children explain what no pay line does (score, grade, rank). The
    // commission is explained by its pay line (or here, when there is no
    // payslip), and each award by itself.
    let root = R::record(|| match &payslip {
        Some(p) => Explanation::money(&input.employee, p.net).terms_and_inputs(
            [
                Term::value(p.gross, Unit::Money),
                Term::text(" gross − "),
                Term::value(p.deductions, Unit::Money),
                Term::text(" deductions, net pay in "),
                Term::text(&shared.period_text),
            ],
            [("employer cost", p.employer_cost, Unit::Money)],
        ),
        None => Explanation::new(&input.employee, Decimal::ZERO, Unit::Count).terms([
            Term::text(&shared.period_text),
            Term::text(", role "),
            Term::text(&input.role),
        ]),
    });
    // score, grade (and calibrated grade), rank, and the commission when no
    // pay line explains it
    let rank_step = rank.map(|r| {
        R::record(|| {
            Explanation::new("rank", Decimal::from(r), Unit::Count)
                .terms([Term::text("in role "), Term::text(&input.role)])
        })
    });
    let steps = [
        s.score_step,
        s.grade_step,
        team.calibrated,
        rank_step,
        commission_explanation,
    ];
    let present = steps.iter().flatten().count();
    let mut root = root.map(|mut e| {
        e.reserve_children(present);
        e
    });
    for step in steps.into_iter().flatten() {
        root = root.child(step);
    }
    let explanation = root.into_explanation();

    // SHA-256 of "plan fingerprint \n period \n inputs as JSON" (the bytes
    // serde_json writes, written by hand into a buffer reused for everyone)
    // (a what-if without explanations has no use for it)
    let fingerprint = if R::RECORDS {
        let mut f = shared.fingerprint.clone();
        json.clear();
        match input.write_json(json) {
            Ok(()) => f.update(json),
            Err(err) => errors.push(stage_error(Stage::Fingerprint, err)),
        }
        f.finish()
    } else {
        String::new()
    };
    EmployeeOutcome {
        employee: input.employee.clone(),
        role: input.role.clone(),
        score: s.score,
        grade: s.grade.map(|g| g.0),
        rank,
        goals: Vec::new(),
        commission,
        awards,
        payslip,
        errors,
        explanation,
        fingerprint,
    }
}

/// What the goal stage found.
#[derive(Default)]
struct Goals {
    progress: BTreeMap<GoalId, GoalProgress>,
    errors: BTreeMap<GoalId, Error>,
    /// Per owner: the progress of their goals.
    owned: BTreeMap<EmployeeId, Vec<GoalProgress>>,
    /// Per owner: achievements the plan declares as metrics.
    published: BTreeMap<EmployeeId, Vec<(MetricId, Decimal)>>,
}

/// Measures each leaf goal owned by an employee from that employee's metric,
/// rolls the tree up, and gathers each goal's progress.
fn measure_goals(tree: &GoalTree, inputs: &[&EmployeeInputs], declared: &[MetricId]) -> Goals {
    // `inputs` are sorted by employee id
    let owner = |goal: &crate::goal::Goal| {
        let o = goal.owner.as_deref()?;
        let at = inputs.binary_search_by(|i| i.employee.as_str().cmp(o)).ok()?;
        inputs.get(at).copied()
    };
    let measured = tree.goals().iter().map(|goal| {
        let leaf = tree.children(&goal.id).next().is_none();
        match owner(goal).and_then(|i| i.metrics.get(&goal.metric)) {
            Some(value) if leaf && goal.current.is_none() => goal.clone().current(*value),
            _ => goal.clone(),
        }
    });
    let mut out = Goals::default();
    let tree = match GoalTree::new(measured) {
        Ok(tree) => tree,
        // the plan's tree was valid; measuring only sets leaf values
        Err(err) => {
            for goal in tree.goals() {
                out.errors.insert(goal.id.clone(), err.clone());
            }
            return out;
        }
    };
    for goal in tree.goals() {
        match tree.progress(&goal.id) {
            Ok(progress) => {
                if let Some(input) = owner(goal) {
                    if let Some(metric) = declared.iter().find(|m| m.as_str() == goal.id.as_str()) {
                        out.published
                            .entry(input.employee.clone())
                            .or_default()
                            .push((metric.clone(), progress.achievement));
                    }
                    out.owned
                        .entry(input.employee.clone())
                        .or_default()
                        .push(progress.clone());
                }
                out.progress.insert(goal.id.clone(), progress);
            }
            Err(err) => {
                out.errors.insert(goal.id.clone(), err);
            }
        }
    }
    out
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
        let explanation = Explanation::money(format!("adjustment of {code}"), difference)
            .value(after, Unit::Money)
            .text(" corrected − ")
            .value(before, Unit::Money)
            .text(" paid")
            .text(format!(
                " (stored fingerprint {})",
                // by characters: a fingerprint read back from storage need
                // not be ASCII hex
                stored.fingerprint.chars().take(12).collect::<String>()
            ));
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
