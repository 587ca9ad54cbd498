//! The payslip's lines, one function per kind, in the order they are
//! paid.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::Result;
use crate::explain::{Explanation, Sink, Term, Unit};
use crate::incentive::AwardKind;
use crate::money::{DecimalExt, at_least, at_most};
use crate::period::{Period, Timeline};
use crate::text::Text;
use crate::text::msg;
use crate::tier::YearToDate;

use super::*;

/// The lines of a payslip in the making, each rounded by the policy as it
/// is added.
pub(super) struct Lines {
    pub(super) policy: RoundingPolicy,
    pub(super) lines: Vec<PayLine>,
}

impl Lines {
    /// Room for every line the payslip of `input` can have, so the lines
    /// are never moved while it is made.
    pub(super) fn for_payslip(settings: &PayrollSettings, input: &PayInput<'_>) -> Lines {
        Lines {
            policy: settings.rounding,
            lines: Vec::with_capacity(
                8usize
                    .saturating_add(input.other.len())
                    .saturating_add(input.awards.len())
                    .saturating_add(input.allowances.len())
                    .saturating_add(settings.contributions.len().saturating_mul(2)),
            ),
        }
    }

    /// Adds a line of `raw` rounded by the policy (information lines, the
    /// days, are not money and stay exact), and returns the amount kept.
    pub(super) fn push<Q: Sink>(
        &mut self,
        code: impl Into<Text>,
        kind: LineKind,
        raw: Decimal,
        source: Option<Text>,
        step: Q::Step,
        rec: &mut Q,
    ) -> Decimal {
        let amount = if kind == LineKind::Information {
            raw
        } else {
            self.policy.round(raw)
        };
        self.lines.push(PayLine {
            code: code.into(),
            kind,
            amount,
            source,
            explanation: {
                let step = rec.set_result(step, amount);
                rec.explanation(step)
            },
        });
        amount
    }

    pub(super) fn sum(&self, kind: LineKind) -> Result<Decimal> {
        checked_sum(self.lines.iter().filter(|l| l.kind == kind).map(|l| l.amount))
    }
}

/// What the base pay leaves for the lines after it.
pub(super) struct BasePay {
    /// The prorated base salary.
    pub(super) total: Decimal,
    /// Days scheduled while employed (days with a salary).
    pub(super) scheduled: u32,
    /// The salary in force at the end of the period.
    pub(super) salary_now: Decimal,
}

/// BASE: salary over employment and effective-dated changes.
pub(super) fn base_pay<Q: Sink>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<BasePay> {
    let salary = employed(input.salary, input.employed_until).map_err(|e| e.with_path("employed_until"))?;
    let leveled = match input.employment_level {
        Some(level) => Some(at_level(&salary, level)?),
        None => None,
    };
    let paid = leveled.as_ref().unwrap_or(&salary);
    // the level is shown with the proration it scaled
    let level = input
        .employment_level
        .map(|level| rec.record(|| level_step(level, input.period)));
    let mut proration = paid.prorate_in(input.period, &settings.basis, settings.rounding, rec)?;
    if let Some(level) = level {
        proration.explanation = rec.child(proration.explanation, level);
    }
    let scheduled = scheduled_days(&proration);
    // the full-time salary of the last day paid (overtime is paid at it,
    // whatever the employment level)
    let salary_now = proration
        .segments
        .iter()
        .rev()
        .find(|s| !s.value.is_zero())
        .map_or(Decimal::ZERO, |s| {
            if input.employment_level.is_some() {
                salary.value_on(s.start).copied().unwrap_or(s.value)
            } else {
                s.value
            }
        });
    let total = proration.total;
    lines.push(
        crate::text!("BASE"),
        LineKind::Earning,
        total,
        None,
        proration.explanation,
        rec,
    );
    Ok(BasePay {
        total,
        scheduled,
        salary_now,
    })
}

/// ABSENCE: base × absent days ÷ scheduled days.
pub(super) fn absence<Q: Sink>(
    input: &PayInput<'_>,
    base: &BasePay,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<()> {
    let absent = input.attendance.unpaid_absence_days;
    let scheduled = Decimal::from(base.scheduled);
    if absent > scheduled {
        return Err(field_error(
            "attendance.unpaid_absence_days",
            format!("{absent} days absent is more than the {scheduled} days scheduled"),
        ));
    }
    if absent.is_zero() {
        return Ok(());
    }
    let amount = lines.policy.round_ratio(base.total.try_mul(absent)?, scheduled)?;
    let step = rec.record(|| {
        Explanation::money(&msg::UNPAID_ABSENCE, -amount).terms([
            Term::text(&msg::NEGATIVE),
            Term::value(base.total, Unit::Money),
            Term::text(&msg::TIMES),
            Term::value(absent, Unit::Days),
            Term::text(&msg::OVER),
            Term::value(scheduled, Unit::Days),
            Term::text(&msg::DAYS_SCHEDULED),
        ])
    });
    lines.push(
        crate::text!("ABSENCE"),
        LineKind::Earning,
        -amount,
        None,
        step,
        rec,
    );
    Ok(())
}

/// LEAVE-<kind>: a day of paid leave keeps its kind's share of pay; the
/// rest is taken off like unpaid absence (fully paid leave makes no line).
pub(super) fn leave<Q: Sink>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    base: &BasePay,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<()> {
    let scheduled = Decimal::from(base.scheduled);
    let mut away = input.attendance.unpaid_absence_days;
    for (kind, days) in &input.attendance.paid_leave_days {
        let path = || format!("attendance.paid_leave_days.{kind}");
        let Some(&rate) = settings.leave.get(kind) else {
            return Err(field_error(
                &path(),
                format!("the plan has no paid leave {kind} (payroll.leave)"),
            ));
        };
        away = away.try_add(*days)?;
        if away > scheduled {
            return Err(field_error(
                &path(),
                format!("{away} days away (absence and leave) is more than the {scheduled} days scheduled"),
            ));
        }
        let unpaid = Decimal::ONE.try_sub(rate)?;
        if days.is_zero() || unpaid.is_zero() {
            continue;
        }
        let amount = lines
            .policy
            .round_ratio(base.total.try_mul(*days)?.try_mul(unpaid)?, scheduled)?;
        let step = rec.record(|| {
            Explanation::money(msg::LEAVE.with([Term::text(kind.to_string())]), -amount).terms([
                Term::text(&msg::NEGATIVE),
                Term::value(base.total, Unit::Money),
                Term::text(&msg::TIMES),
                Term::value(*days, Unit::Days),
                Term::text(&msg::OVER),
                Term::value(scheduled, Unit::Days),
                Term::text(&msg::DAYS_SCHEDULED_TIMES),
                Term::value(unpaid, Unit::Rate),
                Term::text(&msg::UNPAID),
            ])
        });
        lines.push(
            format!("LEAVE-{kind}"),
            LineKind::Earning,
            -amount,
            None,
            step,
            rec,
        );
    }
    Ok(())
}

/// OVERTIME: hours × multiplier × salary ÷ divisor, rounded once.
pub(super) fn overtime<Q: Sink>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    base: &BasePay,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<()> {
    let mut weighted_hours = Decimal::ZERO;
    for (kind, hours) in &input.attendance.overtime_hours {
        if hours.is_zero() {
            continue;
        }
        let multiplier = multiplier(settings, *kind)?;
        weighted_hours = weighted_hours.try_add(hours.try_mul(multiplier)?)?;
    }
    if weighted_hours.is_zero() {
        return Ok(());
    }
    let amount = lines.policy.round_ratio(
        base.salary_now.try_mul(weighted_hours)?,
        settings.overtime_divisor,
    )?;
    let step = rec.record(|| {
        let hours = input
            .attendance
            .overtime_hours
            .iter()
            .filter(|(_, hours)| !hours.is_zero())
            .map(|(kind, hours)| {
                [
                    Term::value(*hours, Unit::Number),
                    Term::text(&msg::HOURS_TIMES),
                    Term::value(multiplier(settings, *kind).unwrap_or_default(), Unit::Number),
                ]
            });
        Explanation::money(&msg::OVERTIME, Decimal::ZERO)
            .joined(crate::text!(" + "), hours)
            .terms([
                Term::text(&msg::AT),
                Term::value(base.salary_now, Unit::Money),
                Term::text(&msg::OVER),
                Term::value(settings.overtime_divisor, Unit::Number),
                Term::text(&msg::HOURS),
            ])
    });
    lines.push(
        crate::text!("OVERTIME"),
        LineKind::Earning,
        amount,
        None,
        step,
        rec,
    );
    Ok(())
}

/// The multiplier of overtime of `kind`.
pub(super) fn multiplier(settings: &PayrollSettings, kind: OvertimeKind) -> Result<Decimal> {
    settings.overtime.get(&kind).copied().ok_or_else(|| {
        field_error(
            &format!("attendance.overtime_hours.{kind}"),
            format!("no overtime multiplier is configured for {kind} (payroll.overtime.{kind})"),
        )
    })
}

/// BONUS: target × grade coefficient.
pub(super) fn bonus<Q: Sink>(input: &PayInput<'_>, lines: &mut Lines, rec: &mut Q) -> Result<()> {
    let Some(bonus) = input.bonus else {
        return Ok(());
    };
    let step = rec.record(|| {
        Explanation::money(&msg::PERFORMANCE_BONUS, Decimal::ZERO).terms([
            Term::value(bonus.target, Unit::Money),
            Term::text(&msg::TIMES_GRADE),
            Term::text(&bonus.grade),
            Term::text(&msg::COEFFICIENT),
            Term::value(bonus.coefficient, Unit::Number),
        ])
    });
    lines.push(
        crate::text!("BONUS"),
        LineKind::Earning,
        bonus.target.try_mul(bonus.coefficient)?,
        Some(Text::from(&bonus.grade)),
        step,
        rec,
    );
    Ok(())
}

/// COMMISSION: the commission's own step explains the line, unless the
/// payslip's rounding changes the amount: then a step says so.
pub(super) fn commission_line<Q: Sink>(raw: Decimal, step: Q::Step, lines: &mut Lines, rec: &mut Q) {
    let step = if lines.policy.round(raw) == raw {
        step
    } else {
        let parent = rec.record(|| Explanation::money(&msg::COMMISSION, Decimal::ZERO));
        rec.child(parent, step)
    };
    lines.push(
        crate::text!("COMMISSION"),
        LineKind::Earning,
        raw,
        None,
        step,
        rec,
    );
}

/// Other earnings (a bonus pool's share, adjustments of corrected periods),
/// each with its own explanation.
pub(super) fn other_earnings<Q: Sink>(input: &PayInput<'_>, lines: &mut Lines, rec: &mut Q) {
    for item in input.other {
        lines.push(
            item.code.clone(),
            LineKind::Earning,
            item.amount,
            item.source.clone(),
            rec.record(|| item.explanation.clone()),
            rec,
        );
    }
}

/// Each allowance: a line under its code, prorated over the period like
/// the salary (ending with employment for a leaver).
pub(super) fn allowances<Q: Sink>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<()> {
    for (i, a) in input.allowances.iter().enumerate() {
        let path = || format!("allowances[{i}].amount");
        if let Some(c) = a.amount.changes().iter().find(|c| c.value < Decimal::ZERO) {
            return Err(field_error(
                &path(),
                format!("allowance {} of {} is negative", a.code, c.value),
            ));
        }
        let amount = employed(&a.amount, input.employed_until).map_err(|e| e.with_path(path()))?;
        let proration = amount.prorate_in(input.period, &settings.basis, settings.rounding, rec)?;
        if proration.total.is_zero() {
            continue;
        }
        let step = rec.map(proration.explanation, |e| e.with_label(a.code.clone()));
        lines.push(
            a.code.clone(),
            LineKind::Earning,
            proration.total,
            Some(crate::text!("allowance")),
            step,
            rec,
        );
    }
    Ok(())
}

/// The special deductions from the taxable pay in force on the period's
/// first day.
pub(super) fn special_deductions(input: &PayInput<'_>) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    for (i, d) in input.tax_deductions.iter().enumerate() {
        let amount = d
            .amount
            .value_on(input.period.start())
            .copied()
            .unwrap_or_default();
        if amount < Decimal::ZERO {
            return Err(field_error(
                &format!("tax_deductions[{i}].amount"),
                format!("special deduction {} of {amount} is negative", d.code),
            ));
        }
        total = total.try_add(amount)?;
    }
    Ok(total)
}

/// The salary paid at the employment level: a change wherever either
/// changes, the salary then times the level then (1 before the level's
/// first date).
pub(super) fn at_level(salary: &Timeline<Decimal>, level: &Timeline<Decimal>) -> Result<Timeline<Decimal>> {
    if let Some(c) = level
        .changes()
        .iter()
        .find(|c| c.value < Decimal::ZERO || c.value > Decimal::ONE)
    {
        return Err(field_error(
            "employment_level",
            format!(
                "employment level {} from {} is not between 0 and 1",
                c.value, c.effective
            ),
        ));
    }
    let mut dates: Vec<NaiveDate> = salary
        .changes()
        .iter()
        .chain(level.changes())
        .map(|c| c.effective)
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let mut changes = Vec::with_capacity(dates.len());
    for day in dates {
        let Some(pay) = salary.value_on(day) else {
            continue;
        };
        let at = level.value_on(day).copied().unwrap_or(Decimal::ONE);
        changes.push((day, pay.try_mul(at)?));
    }
    Timeline::new(changes)
}

/// The employment level in force during `period`, as a step.
pub(super) fn level_step(level: &Timeline<Decimal>, period: &Period) -> Explanation {
    let segments = level.segments(period);
    let last = segments.last().map_or(Decimal::ONE, |s| *s.value);
    Explanation::new(&msg::EMPLOYMENT_LEVEL, last, Unit::Number).joined(
        crate::text!(", "),
        segments.iter().map(|s| {
            [
                Term::value(*s.value, Unit::Number),
                Term::text(&msg::FROM),
                Term::text(s.start.to_string()),
            ]
        }),
    )
}

/// `timeline` ending with employment (0 from `employed_until` on).
pub(super) fn employed(
    timeline: &Timeline<Decimal>,
    employed_until: Option<NaiveDate>,
) -> Result<std::borrow::Cow<'_, Timeline<Decimal>>> {
    Ok(match employed_until {
        Some(end) => {
            let mut changes: Vec<(NaiveDate, Decimal)> = timeline
                .changes()
                .iter()
                .filter(|c| c.effective < end)
                .map(|c| (c.effective, c.value))
                .collect();
            changes.push((end, Decimal::ZERO));
            std::borrow::Cow::Owned(Timeline::new(changes)?)
        }
        None => std::borrow::Cow::Borrowed(timeline),
    })
}

/// Days scheduled while employed: the counted days of the segments with a
/// salary.
pub(super) fn scheduled_days<S>(proration: &crate::period::Proration<S>) -> u32 {
    proration
        .segments
        .iter()
        .filter(|s| !s.value.is_zero())
        .fold(0u32, |days, s| days.saturating_add(s.days))
}

/// AWARD: each cash award (or clawback), under its rule.
pub(super) fn cash_awards<Q: Sink>(input: &PayInput<'_>, lines: &mut Lines, rec: &mut Q) {
    for award in input.awards {
        if let AwardKind::Cash(amount) = award.kind {
            let label = if award.reverses.is_some() {
                &msg::CLAWBACK
            } else {
                &msg::LINE_AWARD
            };
            let step = rec.record(|| {
                Explanation::money(label, Decimal::ZERO)
                    .terms([Term::text(&msg::RULE), Term::text(&award.rule)])
                    .child(award.explanation.clone())
            });
            lines.push(
                crate::text!("AWARD"),
                LineKind::Earning,
                amount,
                Some(Text::from(award.key.to_string())),
                step,
                rec,
            );
        }
    }
}

/// The lateness band each late arrival reaches (the highest), if it costs
/// anything.
pub(super) fn lateness_band(settings: &PayrollSettings, minutes: u32) -> Option<&LatenessBand> {
    settings
        .lateness
        .iter()
        .rev()
        .find(|b| minutes >= b.from_minutes)
        .filter(|band| !band.penalty.is_zero())
}

/// LATENESS: the penalty of the highest band each late arrival reaches.
pub(super) fn lateness<Q: Sink>(
    settings: &PayrollSettings,
    input: &PayInput<'_>,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<()> {
    let late = &input.attendance.late_minutes;
    let mut penalty = Decimal::ZERO;
    let mut counted = 0usize;
    for band in late.iter().filter_map(|m| lateness_band(settings, *m)) {
        counted = counted.saturating_add(1);
        penalty = penalty.try_add(band.penalty)?;
    }
    if counted == 0 {
        return Ok(());
    }
    let step = rec.record(|| {
        let arrivals = late.iter().filter_map(|m| {
            lateness_band(settings, *m).map(|band| {
                [
                    Term::value(band.penalty, Unit::Money),
                    Term::text(&msg::SPACE_OPEN),
                    Term::value(Decimal::from(*m), Unit::Count),
                    Term::text(&msg::MIN_CLOSE),
                ]
            })
        });
        Explanation::money(&msg::LATENESS, Decimal::ZERO).joined(crate::text!(" + "), arrivals)
    });
    lines.push(
        crate::text!("LATENESS"),
        LineKind::Deduction,
        penalty,
        None,
        step,
        rec,
    );
    Ok(())
}

/// A contribution's step for one side (`who`: the employee's or the
/// employer's): `base × rate`, plus a fixed amount if any, rounded as its
/// own policy says.
pub(super) fn contribution_step(
    c: &Contribution,
    base: Decimal,
    rate: Decimal,
    fixed: Decimal,
    who: &'static crate::text::Message<0>,
) -> Explanation {
    // the usual shape (no fixed amount) in one allocation
    let e = Explanation::money(&c.code, Decimal::ZERO);
    let (base, times, rate, who) = (
        Term::value(base, Unit::Money),
        Term::text(&msg::TIMES),
        Term::value(rate, Unit::Rate),
        Term::text(who),
    );
    let e = if fixed.is_zero() {
        e.terms([base, times, rate, who])
    } else {
        e.terms([
            base,
            times,
            rate,
            Term::text(&msg::PLUS),
            Term::value(fixed, Unit::Money),
            who,
        ])
    };
    match c.rounding {
        Some(p) => e.text(msg::ROUNDED_TO_PLACES.with([Term::value(Decimal::from(p.scale()), Unit::Count)])),
        None => e,
    }
}

/// Contributions: rate × base (the base floored and capped) plus the fixed
/// amount, by the terms in force on the period's first day, each rounded by
/// its own policy when it has one; the employee's and the employer's totals.
pub(super) fn contributions<Q: Sink>(
    settings: &PayrollSettings,
    period: &Period,
    gross: Decimal,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<(Decimal, Decimal)> {
    let mut employee = Decimal::ZERO;
    let mut employer = Decimal::ZERO;
    for c in &settings.contributions {
        // the terms in force on the period's first day; without changes,
        // the contribution as it is (no copy)
        let changed;
        let c = if c.changes.is_empty() {
            c
        } else {
            changed = c.in_force(period.start());
            &changed
        };
        let mut base = at_least(gross, Decimal::ZERO);
        if let Some(floor) = c.base_floor {
            base = at_least(base, floor);
        }
        if let Some(cap) = c.base_cap {
            base = at_most(base, cap);
        }
        for (rate, fixed, kind, who) in [
            (
                c.employee_rate,
                c.employee_fixed,
                LineKind::Deduction,
                &msg::EMPLOYEE_NOTE,
            ),
            (
                c.employer_rate,
                c.employer_fixed,
                LineKind::EmployerCost,
                &msg::EMPLOYER_NOTE,
            ),
        ] {
            if rate.is_zero() && fixed.is_zero() {
                continue;
            }
            let step = rec.record(|| contribution_step(c, base, rate, fixed, who));
            let mut raw = base.try_mul(rate)?;
            if !fixed.is_zero() {
                raw = raw.try_add(fixed)?;
            }
            if let Some(own) = c.rounding {
                raw = own.round(raw);
            }
            let rounded = lines.push(c.code.clone(), kind, raw, None, step, rec);
            match kind {
                LineKind::Deduction => employee = employee.try_add(rounded)?,
                _ => employer = employer.try_add(rounded)?,
            }
        }
    }
    Ok((employee, employer))
}

/// WITHHOLDING on the cumulative taxable base; the year-to-date state
/// after it.
pub(super) fn withholding<Q: Sink>(
    w: &WithholdingSettings,
    prior: &PayrollYtd,
    (gross, employee_contributions, special): (Decimal, Decimal, Decimal),
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<YearToDate> {
    let mut taxable = gross.try_sub(employee_contributions)?.try_sub(w.allowance)?;
    if !special.is_zero() {
        taxable = taxable.try_sub(special)?;
    }
    // the line is the amount withheld this period, as the withholding
    // explains it, with the taxable base it was computed on as a step
    let base = rec.record(|| {
        let step = Explanation::money(&msg::TAXABLE_THIS_PERIOD, taxable).terms([
            Term::value(gross, Unit::Money),
            Term::text(&msg::GROSS_MINUS),
            Term::value(employee_contributions, Unit::Money),
            Term::text(&msg::CONTRIBUTIONS_MINUS),
            Term::value(w.allowance, Unit::Money),
            Term::text(&msg::ALLOWANCE_AFTER),
        ]);
        if special.is_zero() {
            step
        } else {
            step.terms([
                Term::text(&msg::MINUS),
                Term::value(special, Unit::Money),
                Term::text(&msg::SPECIAL_DEDUCTIONS),
            ])
        }
    });
    let out = w.brackets.withhold_in(&prior.withholding, taxable, rec)?;
    let step = rec.map(out.explanation, |e| e.with_label(&msg::WITHHOLDING));
    let step = rec.first_child(step, base);
    lines.push(
        crate::text!("WITHHOLDING"),
        LineKind::Deduction,
        out.this_period,
        None,
        step,
        rec,
    );
    Ok(out.state)
}

/// The year-to-date state with the period's commission credit added (a
/// quarter's first period starts the quarter's credit again); unchanged
/// without credit in a period inside a quarter — the usual case, kept cheap.
pub(super) fn credited(mut ytd: PayrollYtd, period: &Period, credit: Decimal) -> Result<PayrollYtd> {
    let restart = period.starts_quarter();
    if credit.is_zero() && !restart {
        return Ok(ytd);
    }
    ytd.credit = ytd.credit.try_add(credit)?;
    ytd.quarter_credit = if restart {
        credit
    } else {
        ytd.quarter_credit.try_add(credit)?
    };
    Ok(ytd)
}

/// DAYS: information, the days worked.
pub(super) fn days<Q: Sink>(
    input: &PayInput<'_>,
    base: &BasePay,
    lines: &mut Lines,
    rec: &mut Q,
) -> Result<()> {
    // `validate` checked the attendance before the first line
    let figures = AttendanceFigures::checked(base.scheduled, input.attendance)?;
    let (scheduled, absent, leave, worked) = (
        Decimal::from(figures.scheduled_days),
        figures.absence_days,
        figures.leave_days,
        figures.worked_days,
    );
    let step = rec.record(|| {
        let step = Explanation::new(&msg::DAYS_WORKED, worked, Unit::Days).terms([
            Term::value(scheduled, Unit::Days),
            Term::text(&msg::SCHEDULED_MINUS),
            Term::value(absent, Unit::Days),
            Term::text(&msg::UNPAID_ABSENCE_AFTER),
        ]);
        if leave.is_zero() {
            step
        } else {
            step.terms([
                Term::text(&msg::MINUS),
                Term::value(leave, Unit::Days),
                Term::text(&msg::PAID_LEAVE),
            ])
        }
    });
    lines.push(
        crate::text!("DAYS"),
        LineKind::Information,
        worked,
        None,
        step,
        rec,
    );
    Ok(())
}
