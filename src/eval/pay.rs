//! Stage 3, pay: commission, incentive awards (with the rank known), the
//! payslip, and the month's root step and fingerprint.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::explain::{Explanation, Sink, Term, Unit};
use crate::incentive::{Award, Facts, IncentiveInput};
use crate::money::DecimalExt;
use crate::payroll::{BonusInput, PayInput, PayItem, Payslip, payslip_in};
use crate::plan::CompiledRole;
use crate::plan::Credit;
use crate::record::{EmployeeInputs, EmployeeOutcome, OutcomeError, Stage};
use crate::text::msg;
use crate::tier::{Carry, CommissionContext, DealPayout};
use crate::{Error, MetricId, Result};

use super::next::{Reached, next_rewards};
use super::score::Scored;
use super::{PeriodShared, stage_error};

/// What the team stage found for one employee.
pub(super) struct TeamPart<R> {
    pub(super) rank: Option<usize>,
    /// The step of a grade calibration changed.
    pub(super) calibrated: Option<R>,
    /// A share of the role's bonus pool.
    pub(super) pool: Option<PayItem>,
}

/// What a task of the pay stage keeps from one employee to the next: the
/// sink the steps go to, and buffers reused for the fingerprint's JSON and
/// the next rewards.
pub(super) struct Task<Q> {
    pub(super) rec: Q,
    pub(super) json: Vec<u8>,
    pub(super) next: Vec<crate::record::NextReward>,
}

impl<Q> Task<Q> {
    /// A task writing to `rec`, its buffers empty.
    pub(super) fn new(rec: Q) -> Task<Q> {
        Task {
            rec,
            json: Vec::with_capacity(1024),
            next: Vec::new(),
        }
    }
}

/// One employee's pay stage: commission, awards, payslip (only when the
/// score and the commission are known: no partial pay), then the root step
/// and the fingerprint.
pub(super) fn pay<Q: Sink>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    metrics: &BTreeMap<MetricId, Decimal>,
    s: Scored<'_, Q::Step>,
    team: TeamPart<Q::Step>,
    task: &mut Task<Q>,
) -> EmployeeOutcome {
    let (rec, json, scratch) = (&mut task.rec, &mut task.json, &mut task.next);
    let mut errors = s.errors;
    let role = shared.plan.inner.roles.get(&input.role);
    let paying = Paying {
        shared,
        input,
        role,
        metrics,
        prior: prior_credit(role, input, shared.period),
        split: shared.splits.get(&input.employee),
    };
    let mut made = commission(&paying, &mut errors, rec);
    let grade = s.grade.as_ref().map(|g| g.0.clone());
    let awards = match awards(shared, input, metrics, s.score, grade, team.rank, rec) {
        Ok(awards) => awards,
        Err(err) => {
            errors.push(stage_error(Stage::Incentives, err));
            Vec::new()
        }
    };
    let next = next_rewards::<Q>(
        shared,
        input,
        role,
        &Reached {
            metrics,
            credit: made.amount.map(|_| (made.credit, paying.prior)),
            score: s.score,
            grade: s.grade.as_ref().map(|g| &g.0),
            rank: team.rank,
            awards: &awards,
        },
        scratch,
    );
    let (commission, deals) = (made.amount, std::mem::take(&mut made.deals));
    let (payslip, commission_step) = if errors.is_empty() {
        paid(&paying, (&s.grade, &awards), team.pool, made, &mut errors, rec)
    } else {
        (None, made.step)
    };
    // the root's children explain what no pay line does: score, grade (and
    // calibrated grade), rank, and the commission when no pay line explains
    // it; each award explains itself
    let rank_step = team.rank.map(|r| rank_step(r, input, rec));
    let steps = [
        s.score_step,
        s.grade_step,
        team.calibrated,
        rank_step,
        commission_step,
    ];
    let explanation = root(shared, input, payslip.as_ref(), steps, rec);
    let fingerprint = fingerprint::<Q>(shared, input, json, &mut errors);
    EmployeeOutcome {
        employee: input.employee.clone(),
        role: input.role.clone(),
        score: s.score,
        grade: s.grade.map(|g| g.0),
        rank: team.rank,
        goals: Vec::new(),
        commission,
        deals,
        awards,
        next,
        payslip,
        errors,
        explanation,
        fingerprint,
    }
}

/// The employee being paid, with what their commission is made from.
struct Paying<'a> {
    shared: &'a PeriodShared<'a>,
    input: &'a EmployeeInputs,
    role: Option<&'a CompiledRole>,
    metrics: &'a BTreeMap<MetricId, Decimal>,
    /// The credit of the year or quarter before the period, when
    /// attainment carries.
    prior: Decimal,
    /// Why a deal of theirs pays none of its sellers, if one does not.
    split: Option<&'a Error>,
}

impl Paying<'_> {
    /// The role's commission, if it pays one ([`earned`]).
    fn earned<Q: Sink>(&self, rec: &mut Q) -> Option<Result<Earned<Q::Step>>> {
        earned(self.role, self.input, self.metrics, self.prior, self.split, rec)
    }
}

/// The commission stage's result: the commission and its step, the credit,
/// the deals, and the pay items that go with it (clawbacks, the draw's
/// lines) with what is owed on the draw after.
struct Made<R> {
    amount: Option<Decimal>,
    step: Option<R>,
    credit: Decimal,
    deals: Vec<DealPayout>,
    clawbacks: Vec<PayItem>,
    draw_owed: Option<Decimal>,
}

/// The commission and the draw settled against it; what fails is the
/// employee's error, and leaves no commission.
fn commission<Q: Sink>(paying: &Paying<'_>, errors: &mut Vec<OutcomeError>, rec: &mut Q) -> Made<Q::Step> {
    let mut made = match paying.earned(rec) {
        Some(Ok(e)) => Made {
            amount: Some(e.amount),
            step: Some(e.step),
            credit: e.credit,
            deals: e.deals,
            clawbacks: e.clawbacks,
            draw_owed: None,
        },
        failed => {
            if let Some(Err(err)) = failed {
                errors.push(stage_error(Stage::Commission, err));
            }
            Made {
                amount: None,
                step: None,
                credit: Decimal::ZERO,
                deals: Vec::new(),
                clawbacks: Vec::new(),
                draw_owed: None,
            }
        }
    };
    if let (Some(draw), Some(earned)) = (paying.role.and_then(|r| r.draw.as_ref()), made.amount) {
        match drawn(draw, paying.input, earned, rec) {
            Ok((lines, owed)) => {
                made.clawbacks.extend(lines);
                made.draw_owed = Some(owed);
            }
            Err(err) => errors.push(stage_error(Stage::Commission, err)),
        }
    }
    made
}

/// The payslip, whose COMMISSION line takes the commission's step over,
/// and the commission's step for the root when no payslip could be made
/// (the error is the employee's).
fn paid<Q: Sink>(
    paying: &Paying<'_>,
    (grade, awards): (&Option<(crate::id::GradeId, Decimal)>, &[Award]),
    pool: Option<PayItem>,
    made: Made<Q::Step>,
    errors: &mut Vec<OutcomeError>,
    rec: &mut Q,
) -> (Option<Payslip>, Option<Q::Step>) {
    let commission = Commissioned {
        paid: made.amount.zip(made.step),
        credit: if paying.role.is_some_and(|r| r.carry.is_some()) {
            made.credit
        } else {
            Decimal::ZERO
        },
        clawbacks: made.clawbacks,
        draw_owed: made.draw_owed,
    };
    match payslip(paying, grade, awards, pool, commission, rec) {
        Ok(p) => (Some(p), None),
        Err(err) => {
            errors.push(stage_error(Stage::Payslip, err));
            // the failed payslip took the step: made again for the root
            let step = paying.earned(rec).and_then(Result::ok).map(|e| e.step);
            (None, step)
        }
    }
}

/// The employee's rank in their role.
fn rank_step<Q: Sink>(rank: usize, input: &EmployeeInputs, rec: &mut Q) -> Q::Step {
    rec.record(|| {
        Explanation::new(&msg::RANK, Decimal::from(rank), Unit::Count)
            .terms([Term::text(&msg::IN_ROLE), Term::text(&input.role)])
    })
}

/// What the payslip takes of the commission: the amount with its step (the
/// COMMISSION line), the credit the year-to-date state keeps, and the
/// clawbacks of refunded deals.
struct Commissioned<R> {
    paid: Option<(Decimal, R)>,
    credit: Decimal,
    /// Clawbacks of refunded deals and the draw's lines.
    clawbacks: Vec<PayItem>,
    /// What is owed on the draw after the period.
    draw_owed: Option<Decimal>,
}

/// A draw settled against the period's commission: its pay lines (DRAW for
/// an advance or a guaranteed top-up, DRAW-RECOVERY for what is recovered)
/// and what is owed after.
fn drawn<Q: Sink>(
    draw: &crate::incentive::Draw,
    input: &EmployeeInputs,
    earned: Decimal,
    rec: &mut Q,
) -> Result<(Vec<PayItem>, Decimal)> {
    let owed = input.ytd.map_or(Decimal::ZERO, |y| y.draw_owed);
    let settled = draw
        .settle(&crate::incentive::DrawState { owed }, earned)
        .map_err(|e| match e.path() {
            // what is owed comes from the inputs' year-to-date state
            Some("owed") => e.with_path("ytd.draw_owed"),
            _ => e,
        })?;
    let after = settled.state.owed;
    let mut lines = Vec::new();
    if !settled.advanced.is_zero() {
        let advanced = settled.advanced;
        let step = rec.record(|| {
            Explanation::money(&msg::DRAW, advanced).terms_and_inputs(
                [
                    Term::value(settled.paid, Unit::Money),
                    Term::text(&msg::DRAW_MINUS),
                    Term::value(earned, Unit::Money),
                    Term::text(if after > owed {
                        &msg::EARNED_ADVANCED_AGAINST_LATER_COMMISSION
                    } else {
                        &msg::EARNED_GUARANTEED
                    }),
                ],
                [(&msg::OWED_AFTER, after, Unit::Money)],
            )
        });
        lines.push(PayItem {
            code: crate::text!("DRAW"),
            amount: advanced,
            source: None,
            explanation: rec.explanation(step),
        });
    }
    if !settled.recovered.is_zero() {
        let recovered = Decimal::ZERO.try_sub(settled.recovered)?;
        let step = rec.record(|| {
            Explanation::money(&msg::DRAW_RECOVERY, recovered).terms_and_inputs(
                [
                    Term::text(&msg::RECOVERED_OF),
                    Term::value(owed, Unit::Money),
                    Term::text(&msg::OWED_FROM_COMMISSION_ABOVE_THE_DRAW),
                ],
                [(&msg::OWED_AFTER, after, Unit::Money)],
            )
        });
        lines.push(PayItem {
            code: crate::text!("DRAW-RECOVERY"),
            amount: recovered,
            source: None,
            explanation: rec.explanation(step),
        });
    }
    Ok((lines, after))
}

/// The commission of a period: the amount, its step, the period's credit,
/// what each deal paid, and each refund's clawback as a pay item.
struct Earned<R> {
    amount: Decimal,
    step: R,
    credit: Decimal,
    deals: Vec<DealPayout>,
    clawbacks: Vec<PayItem>,
}

/// The role's commission, if it pays one: on its metric, or on the
/// employee's transactions (each deal on its own, or their total), on top
/// of the `prior` credit of the year or quarter when attainment carries.
fn earned<Q: Sink>(
    role: Option<&CompiledRole>,
    input: &EmployeeInputs,
    metrics: &BTreeMap<MetricId, Decimal>,
    prior: Decimal,
    split: Option<&Error>,
    rec: &mut Q,
) -> Option<Result<Earned<Q::Step>>> {
    let (credit, rule) = role?.commission.as_ref()?;
    // a deal whose copies disagree among its sellers pays none of them
    if let (Credit::Transactions { .. }, Some(err)) = (credit, split) {
        return Some(Err(err.clone()));
    }
    let once = |amount: Decimal, rec: &mut Q| -> Result<Earned<Q::Step>> {
        let out = rule.evaluate_in(&CommissionContext::new(amount, metrics).with_prior(prior), rec)?;
        Ok(Earned {
            amount: out.amount,
            step: out.explanation,
            credit: amount,
            deals: Vec::new(),
            clawbacks: Vec::new(),
        })
    };
    Some(match credit {
        Credit::Metric(on) => metrics
            .get(on)
            .copied()
            .ok_or_else(|| Error::data(format!("metric {on} is missing")).with_path(format!("metrics.{on}")))
            .and_then(|amount| once(amount, rec)),
        Credit::Transactions { each: false } => {
            crate::tier::net_credit(&input.employee, &input.transactions).and_then(|amount| once(amount, rec))
        }
        Credit::Transactions { each: true } => each_deal(rule, input, metrics, prior, rec),
    })
}

/// Each deal on its own at the running attainment; each refund's clawback
/// a pay item.
fn each_deal<Q: Sink>(
    rule: &crate::tier::Commission,
    input: &EmployeeInputs,
    metrics: &BTreeMap<MetricId, Decimal>,
    prior: Decimal,
    rec: &mut Q,
) -> Result<Earned<Q::Step>> {
    let out = rule.evaluate_transactions_in(&input.employee, &input.transactions, prior, metrics, rec)?;
    let clawbacks = out
        .deals
        .iter()
        .filter_map(|d| Some((d, d.refunds.as_ref()?)))
        .zip(out.clawbacks)
        .map(|((d, of), step)| PayItem {
            code: crate::text!("CLAWBACK"),
            amount: d.amount,
            source: Some(format!("refund {} of {of}", d.transaction).into()),
            explanation: rec.explanation(step),
        })
        .collect();
    Ok(Earned {
        amount: out.amount,
        step: out.explanation,
        credit: out.credit,
        deals: out.deals,
        clawbacks,
    })
}

/// The credit of the year or quarter before this period, from the
/// year-to-date state, when the role's commission carries attainment
/// (a quarter's first period starts from nothing); 0 otherwise.
fn prior_credit(
    role: Option<&CompiledRole>,
    input: &EmployeeInputs,
    period: &crate::period::Period,
) -> Decimal {
    let (Some(carry), Some(ytd)) = (role.and_then(|r| r.carry), input.ytd.as_ref()) else {
        return Decimal::ZERO;
    };
    match carry {
        Carry::Year => ytd.credit,
        Carry::Quarter if period.starts_quarter() => Decimal::ZERO,
        Carry::Quarter => ytd.quarter_credit,
    }
}

/// The awards of the incentive rules that apply to the employee's role.
fn awards<Q: Sink>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    metrics: &BTreeMap<MetricId, Decimal>,
    score: Option<Decimal>,
    grade: Option<crate::id::GradeId>,
    rank: Option<usize>,
    rec: &mut Q,
) -> Result<Vec<Award>> {
    let Some(program) = shared.plan.inner.incentives.get(&input.role) else {
        return Ok(Vec::new());
    };
    let facts = Facts {
        score,
        grade,
        rank,
        metrics: Cow::Borrowed(metrics),
    };
    program.evaluate_in(
        &IncentiveInput {
            employee: &input.employee,
            period: shared.period,
            facts: &facts,
            events: &input.events,
            granted: &input.granted,
        },
        &shared.period_text,
        rec,
    )
}

/// The payslip: base, bonus by grade, the commission (its step handed
/// over), cash awards, a pool share and earlier periods' adjustments.
fn payslip<Q: Sink>(
    paying: &Paying<'_>,
    grade: &Option<(crate::id::GradeId, Decimal)>,
    awards: &[Award],
    pool: Option<PayItem>,
    commission: Commissioned<Q::Step>,
    rec: &mut Q,
) -> Result<Payslip> {
    let (shared, input, role) = (paying.shared, paying.input, paying.role);
    let bonus = match (role.and_then(|r| r.target_bonus), grade) {
        (Some(target), Some((grade, coefficient))) => Some(BonusInput {
            target,
            grade: grade.clone(),
            coefficient: *coefficient,
        }),
        _ => None,
    };
    let other: Vec<PayItem> = pool
        .into_iter()
        .chain(commission.clawbacks)
        .chain(input.adjustments.iter().cloned())
        .collect();
    payslip_in(
        &shared.plan.inner.payroll,
        &PayInput {
            employed_until: input.employed_until,
            bonus: bonus.as_ref(),
            awards,
            other: other.as_slice(),
            ytd: input.ytd.as_ref(),
            credit: commission.credit,
            draw_owed: commission.draw_owed,
            allowances: &input.allowances,
            tax_deductions: &input.tax_deductions,
            employment_level: input.employment_level.as_ref(),
            ..PayInput::new(&input.employee, shared.period, &input.salary, &input.attendance)
        },
        commission.paid,
        rec,
    )
}

/// The month's root step: net pay as the payslip sums it (or, without a
/// payslip, the employee's period and role), with `steps` as its children.
fn root<Q: Sink>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    payslip: Option<&Payslip>,
    steps: [Option<Q::Step>; 5],
    rec: &mut Q,
) -> Explanation {
    let present = steps.iter().flatten().count();
    let root = rec.record(|| {
        let mut root = match payslip {
            Some(p) => Explanation::money(&input.employee, p.net).terms_and_inputs(
                [
                    Term::value(p.gross, Unit::Money),
                    Term::text(&msg::GROSS_MINUS),
                    Term::value(p.deductions, Unit::Money),
                    Term::text(&msg::DEDUCTIONS_NET_PAY_IN),
                    Term::text(&shared.period_text),
                ],
                [(&msg::EMPLOYER_COST, p.employer_cost, Unit::Money)],
            ),
            None => Explanation::new(&input.employee, Decimal::ZERO, Unit::Count).terms([
                Term::text(&shared.period_text),
                Term::text(&msg::ROLE),
                Term::text(&input.role),
            ]),
        };
        root.reserve_children(present);
        root
    });
    let root = rec.children(root, steps.into_iter().flatten());
    rec.explanation(root)
}

/// SHA-256 of "plan fingerprint \n period \n inputs as JSON" (the bytes
/// serde_json writes, written by hand into a buffer reused for everyone);
/// empty without explanations (a what-if has no use for it).
fn fingerprint<Q: Sink>(
    shared: &PeriodShared<'_>,
    input: &EmployeeInputs,
    json: &mut Vec<u8>,
    errors: &mut Vec<OutcomeError>,
) -> String {
    if !Q::RECORDS {
        return String::new();
    }
    let mut f = shared.fingerprint.clone();
    json.clear();
    match input.write_json(json) {
        Ok(()) => f.update(json),
        Err(err) => errors.push(stage_error(Stage::Fingerprint, err)),
    }
    f.finish()
}
