//! Commission: a base calculation followed by gates and multipliers from
//! other metrics, applied in a declared order.

use std::fmt;
use std::sync::Arc;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::error::{Error, Result};
use crate::explain::{Explanation, Kids, Label, NoExplanation, Recorder, Said, Sink, Static, Term, Unit};
use crate::extension::{Condition, Formula};
use crate::id::MetricId;
use crate::metric::Metrics;
use crate::money::{DecimalExt, Parts, RoundingPolicy, cmp_parts};
use crate::text::Text;
use crate::text::msg;
use crate::tier::quota::{QuotaRule, QuotaTable};
use crate::tier::table::{TierMode, TierPay, TierTable};

/// What a commission formula, gate or condition may read.
#[derive(Clone, Copy)]
pub struct CommissionContext<'a> {
    /// The amount commission is paid on (sales, a deal, revenue).
    pub amount: Decimal,
    /// The period's total before this amount (carried attainment); 0 when
    /// the amount is the whole period.
    pub prior: Decimal,
    /// Other metrics: satisfaction, complaint rate, …
    pub metrics: &'a dyn Metrics,
}

impl<'a> CommissionContext<'a> {
    /// A context for `amount` with no prior total.
    pub fn new(amount: Decimal, metrics: &'a dyn Metrics) -> CommissionContext<'a> {
        CommissionContext {
            amount,
            prior: Decimal::ZERO,
            metrics,
        }
    }

    /// The same context with a prior period total (carried attainment).
    #[must_use]
    pub fn with_prior(mut self, prior: Decimal) -> CommissionContext<'a> {
        self.prior = prior;
        self
    }
}

impl fmt::Debug for CommissionContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommissionContext")
            .field("amount", &self.amount)
            .field("prior", &self.prior)
            .finish_non_exhaustive()
    }
}

/// Where a commission's attainment counts from: its tiers are reached by
/// the credit since the start of the year or the quarter, not the period's
/// credit alone (the period's credit is paid on top of the prior total).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Carry {
    /// From the start of the calendar year.
    Year,
    /// From the start of the calendar quarter.
    Quarter,
}

/// Pays nothing unless a metric lies within bounds (both inclusive).
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::tier::Gate;
///
/// let gate = Gate::at_least(MetricId::new("satisfaction")?, Decimal::new(90, 2));
/// assert!(gate.admits(Decimal::new(90, 2)));
/// assert!(!gate.admits(Decimal::new(89, 2)));
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gate {
    metric: MetricId,
    min: Option<Decimal>,
    max: Option<Decimal>,
}

impl Gate {
    /// Open when `metric ≥ min`.
    pub fn at_least(metric: MetricId, min: Decimal) -> Gate {
        Gate {
            metric,
            min: Some(min),
            max: None,
        }
    }

    /// Open when `metric ≤ max` (for lower-is-better metrics such as a
    /// complaint rate).
    pub fn at_most(metric: MetricId, max: Decimal) -> Gate {
        Gate {
            metric,
            min: None,
            max: Some(max),
        }
    }

    /// Open when `min ≤ metric ≤ max`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `min > max`.
    pub fn between(metric: MetricId, min: Decimal, max: Decimal) -> Result<Gate> {
        if min > max {
            return Err(Error::invalid_input(format!(
                "gate on {metric}: minimum {min} is above maximum {max}"
            )));
        }
        Ok(Gate {
            metric,
            min: Some(min),
            max: Some(max),
        })
    }

    /// The metric read.
    pub fn metric(&self) -> &MetricId {
        &self.metric
    }

    /// Whether `value` opens the gate.
    #[inline]
    pub fn admits(&self, value: Decimal) -> bool {
        self.admits_parts(Parts::of(value))
    }

    #[inline(always)]
    fn admits_parts(&self, value: Parts) -> bool {
        use std::cmp::Ordering::{Greater, Less};
        self.min.is_none_or(|min| cmp_parts(value, min) != Less)
            && self.max.is_none_or(|max| cmp_parts(value, max) != Greater)
    }
}

/// Multiplies the payout by the factor of the band a metric falls in.
///
/// Bands are lower bounds (inclusive) with factors, sorted ascending; the
/// band reached is the last whose bound the value meets. Below the first
/// bound the factor is 1.
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::tier::Multiplier;
///
/// let m = Multiplier::new(
///     MetricId::new("satisfaction")?,
///     [(Decimal::new(95, 2), Decimal::new(11, 1))],
/// )?;
/// assert_eq!(m.factor_for(Decimal::new(95, 2)), Decimal::new(11, 1));
/// assert_eq!(m.factor_for(Decimal::new(94, 2)), Decimal::ONE);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Multiplier {
    metric: MetricId,
    bands: Vec<(Decimal, Decimal)>,
}

impl Multiplier {
    /// A multiplier on `metric` with `(lower bound, factor)` bands.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem: no bands, bounds not strictly ascending, a negative factor.
    pub fn new(metric: MetricId, bands: impl IntoIterator<Item = (Decimal, Decimal)>) -> Result<Multiplier> {
        let bands: Vec<(Decimal, Decimal)> = bands.into_iter().collect();
        let mut problems = Vec::new();
        if bands.is_empty() {
            problems.push(crate::error::Problem::new(
                "bands",
                "a multiplier needs at least one band",
            ));
        }
        for (i, (from, factor)) in bands.iter().enumerate() {
            if let Some(before) = i.checked_sub(1)
                && let Some((bound, _)) = bands.get(before)
                && from <= bound
            {
                problems.push(crate::error::Problem::new(
                    format!("bands[{i}].from"),
                    format!("{from} is not above band {before}'s bound {bound} (bands must be sorted)"),
                ));
            }
            if factor.is_sign_negative() && !factor.is_zero() {
                problems.push(crate::error::Problem::new(
                    format!("bands[{i}].factor"),
                    format!("factor {factor} is negative"),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems(
                format!("invalid multiplier on {metric}"),
                problems,
            ));
        }
        Ok(Multiplier { metric, bands })
    }

    /// The metric read.
    pub fn metric(&self) -> &MetricId {
        &self.metric
    }

    /// The factor for `value`.
    pub fn factor_for(&self, value: Decimal) -> Decimal {
        self.band_parts(Parts::of(value))
            .map_or(Decimal::ONE, |(_, factor)| *factor)
    }

    /// The band `value` (as parts) reaches, or `None` below the first band.
    #[inline(always)]
    fn band_parts(&self, value: Parts) -> Option<&(Decimal, Decimal)> {
        let reached = self
            .bands
            .partition_point(|(from, _)| cmp_parts(value, *from) != std::cmp::Ordering::Less);
        reached.checked_sub(1).and_then(|i| self.bands.get(i))
    }

    /// The multiplier's step: the band reached (or none) and the value read.
    fn explain(&self, band: Option<&(Decimal, Decimal)>, read: Decimal, factor: Decimal) -> Explanation {
        let step = Explanation::new(&msg::MULTIPLIER, factor, Unit::Number);
        let metric = [(&self.metric, read, Unit::Number)];
        match (band, self.bands.first()) {
            (Some((from, _)), _) => step.terms_and_inputs(
                [Term::text(&msg::BAND_FROM), Term::value(*from, Unit::Number)],
                metric,
            ),
            (None, Some((first, _))) => step.terms_and_inputs(
                [
                    Term::text(&msg::BELOW_THE_FIRST_BAND_FROM),
                    Term::value(*first, Unit::Number),
                ],
                metric,
            ),
            (None, None) => step.terms_and_inputs([Term::text(&msg::NO_BAND)], metric),
        }
    }
}

/// Multiplies the payout by a fixed factor, whatever the metrics: an
/// accelerator written into the plan ("10 % extra on top" is 1.1).
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::tier::Factor;
///
/// let extra = Factor::new("10 % extra on top", Decimal::new(11, 1))?;
/// assert_eq!(extra.factor(), Decimal::new(11, 1));
/// assert!(Factor::new("less", Decimal::new(-1, 0)).is_err());
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Factor {
    label: Text,
    factor: Decimal,
}

impl Factor {
    /// A factor, named by `label` in explanations.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
    /// negative factor.
    pub fn new(label: impl Into<Text>, factor: Decimal) -> Result<Factor> {
        let label = label.into();
        if factor.is_sign_negative() && !factor.is_zero() {
            return Err(Error::invalid_input(format!(
                "factor {factor} of {label} is negative"
            )));
        }
        Ok(Factor { label, factor })
    }

    /// The factor.
    pub fn factor(&self) -> Decimal {
        self.factor
    }

    /// Its name in explanations.
    pub fn label(&self) -> &str {
        self.label.as_str()
    }
}

/// One step after the base calculation, in declared order.
#[derive(Clone)]
enum Step {
    Gate(Gate),
    Multiplier(Multiplier),
    Factor(Factor),
    Condition(Label, Arc<dyn for<'a> Condition<CommissionContext<'a>>>),
}

#[derive(Clone)]
enum Base {
    Table(TierTable),
    Quota(Box<QuotaTable>),
    QuotaRule(Box<QuotaRule>),
    Formula(Arc<dyn for<'a> Formula<CommissionContext<'a>>>),
}

/// A commission rule: a base calculation (a tier table, a quota table or a
/// custom [`Formula`]) and then gates, multipliers and custom conditions
/// applied in the order they were added.
///
/// Gates and conditions are checked first, in the order added; the first
/// that fails sets the commission to 0 and nothing else is computed or read
/// (an employee who is not eligible gets no commission, whatever the base
/// would have been). Then the base is computed and the multipliers applied,
/// in the order added. When
/// rounding is set on the commission, it is applied once, at the end — set
/// it here rather than on the table to round only once.
///
/// ```
/// use perfpay::{Decimal, MetricId, RoundingPolicy};
/// use perfpay::tier::{Commission, CommissionContext, Gate, Multiplier, Tier, TierTable};
///
/// let satisfaction = MetricId::new("satisfaction")?;
/// let table = TierTable::marginal([
///     Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
/// ])?;
/// let rule = Commission::on_table(table)
///     .gate(Gate::at_least(satisfaction.clone(), Decimal::new(90, 2)))
///     .multiplier(Multiplier::new(satisfaction.clone(), [(Decimal::new(95, 2), Decimal::new(11, 1))])?)
///     .rounding(RoundingPolicy::cents());
///
/// let metrics = [(satisfaction.clone(), Decimal::new(96, 2))];
/// let out = rule.evaluate(&CommissionContext::new(Decimal::from(150_000), &metrics))?;
/// assert_eq!(out.amount.to_string(), "3850.00"); // 3,500 × 1.1
///
/// let unhappy = [(satisfaction, Decimal::new(88, 2))];
/// let out = rule.evaluate(&CommissionContext::new(Decimal::from(150_000), &unhappy))?;
/// assert_eq!(out.amount.to_string(), "0.00");
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone)]
pub struct Commission {
    base: Base,
    steps: Vec<Step>,
    rounding: Option<RoundingPolicy>,
    pub(super) label: Label,
}

impl fmt::Debug for Commission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = match &self.base {
            Base::Table(t) => format!("table ({})", t.mode()),
            Base::Quota(q) => format!("quota {} ({})", q.quota(), q.mode()),
            Base::QuotaRule(q) => format!("quota from metric {}", q.quota_metric()),
            Base::Formula(formula) => formula.describe().to_string(),
        };
        let steps: Vec<String> = self
            .steps
            .iter()
            .map(|s| match s {
                Step::Gate(g) => format!("gate on {}", g.metric),
                Step::Multiplier(m) => format!("multiplier on {}", m.metric),
                Step::Factor(f) => format!("factor {} ({})", f.factor, f.label),
                Step::Condition(label, _) => format!("condition {label}"),
            })
            .collect();
        f.debug_struct("Commission")
            .field("label", &self.label)
            .field("base", &base)
            .field("steps", &steps)
            .field("rounding", &self.rounding)
            .finish()
    }
}

/// How far a commission's next tier is; see [`Commission::next_tier`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextCommissionTier {
    /// How much more credit reaches the next tier.
    pub needed: Decimal,
    /// Where the next tier starts (in the total with the prior credit).
    pub boundary: Decimal,
    /// The next tier's index in the table.
    pub tier: usize,
    /// What the next tier pays.
    pub pay: Option<TierPay>,
    /// How the table pays it (marginal: on the part above the boundary).
    pub mode: TierMode,
    /// The commission now.
    pub commission_now: Decimal,
    /// The commission with `needed` more credit, through every gate,
    /// multiplier and rounding.
    pub commission_at_tier: Decimal,
    /// What keeps the commission closed there, if anything does: the
    /// metric of the first gate that closes, or the condition's label (the
    /// other metrics stay as they are).
    pub closed_by: Option<Said>,
}

/// The result of a [`Commission`]: the amount and its explanation (or, for
/// a calculation run with [`NoExplanation`], nothing in its place).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommissionOutcome<R = Explanation> {
    /// The commission.
    pub amount: Decimal,
    /// The base payout before gates and multipliers.
    pub base: Decimal,
    /// Whether every gate and condition let the payout through.
    pub gates_passed: bool,
    /// The product of the multipliers applied.
    pub factor: Decimal,
    /// How the commission was made.
    pub explanation: R,
}

impl Commission {
    fn with_base(base: Base) -> Commission {
        Commission {
            base,
            steps: Vec::new(),
            rounding: None,
            label: Label::from(&msg::COMMISSION),
        }
    }

    /// Commission paid by a tier table (on the prior total plus the amount
    /// when the context carries a prior total).
    pub fn on_table(table: TierTable) -> Commission {
        Commission::with_base(Base::Table(table))
    }

    /// Commission paid by a quota table.
    pub fn on_quota(quota: QuotaTable) -> Commission {
        Commission::with_base(Base::Quota(Box::new(quota)))
    }

    /// Commission on attainment of each employee's own quota (a metric).
    pub fn on_quota_rule(rule: QuotaRule) -> Commission {
        Commission::with_base(Base::QuotaRule(Box::new(rule)))
    }

    /// Commission computed by a custom formula (a vendor's script, a closure).
    pub fn on_formula(formula: Arc<dyn for<'a> Formula<CommissionContext<'a>>>) -> Commission {
        Commission::with_base(Base::Formula(formula))
    }

    /// Adds a gate.
    #[must_use]
    pub fn gate(mut self, gate: Gate) -> Commission {
        self.steps.push(Step::Gate(gate));
        self
    }

    /// Adds a multiplier.
    #[must_use]
    pub fn multiplier(mut self, multiplier: Multiplier) -> Commission {
        self.steps.push(Step::Multiplier(multiplier));
        self
    }

    /// Adds a fixed factor, applied in order with the multipliers.
    #[must_use]
    pub fn factor(mut self, factor: Factor) -> Commission {
        self.steps.push(Step::Factor(factor));
        self
    }

    /// Adds a custom condition (a vendor's gate script, a closure).
    #[must_use]
    pub fn condition(
        mut self,
        label: impl Into<Label>,
        condition: Arc<dyn for<'a> Condition<CommissionContext<'a>>>,
    ) -> Commission {
        self.steps.push(Step::Condition(label.into(), condition));
        self
    }

    /// Rounds the final commission once, by `policy`.
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> Commission {
        self.rounding = Some(policy);
        self
    }

    /// The label used in explanations (default `commission`).
    #[must_use]
    pub fn label(mut self, label: impl Into<Label>) -> Commission {
        self.label = label.into();
        self
    }

    /// The tier table the commission is paid by, when its base is one
    /// (none for a quota table, a quota rule or a formula).
    pub fn table(&self) -> Option<&TierTable> {
        match &self.base {
            Base::Table(table) => Some(table),
            _ => None,
        }
    }

    pub(super) fn round(&self, value: Decimal) -> Decimal {
        self.rounding.map_or(value, |p| p.round(value))
    }

    /// How much more credit reaches the next tier of the commission's table
    /// (on the prior total plus the amount), and what the commission is
    /// there — through the gates, multipliers and rounding, the other
    /// metrics as they are. `None` for a commission not paid by a tier
    /// table, or in its last tier.
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate); a negative total.
    ///
    /// ```
    /// use perfpay::{Decimal, MetricId};
    /// use perfpay::tier::{Commission, CommissionContext, Multiplier, Tier, TierTable};
    ///
    /// let satisfaction = MetricId::new("satisfaction")?;
    /// let table = TierTable::marginal([
    ///     Tier::rate(Decimal::ZERO, Decimal::new(2, 2)),
    ///     Tier::rate(Decimal::from(100_000), Decimal::new(3, 2)),
    /// ])?;
    /// let rule = Commission::on_table(table)
    ///     .multiplier(Multiplier::new(satisfaction.clone(), [(Decimal::new(95, 2), Decimal::new(11, 1))])?);
    /// let metrics = [(satisfaction, Decimal::new(96, 2))];
    /// let next = rule.next_tier(&CommissionContext::new(Decimal::from(88_000), &metrics))?.unwrap();
    /// assert_eq!(next.needed, Decimal::from(12_000));
    /// // 100,000 × 2 % × 1.1: the multiplier counts
    /// assert_eq!(next.commission_at_tier, Decimal::from(2_200));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn next_tier(&self, ctx: &CommissionContext<'_>) -> Result<Option<NextCommissionTier>> {
        let Base::Table(table) = &self.base else {
            return Ok(None);
        };
        let Some(next) = table.next_tier(ctx.prior.try_add(ctx.amount)?)? else {
            return Ok(None);
        };
        let at = CommissionContext {
            amount: ctx.amount.try_add(next.needed)?,
            ..*ctx
        };
        let now = self.evaluate_with::<NoExplanation>(ctx)?;
        let there = self.evaluate_with::<NoExplanation>(&at)?;
        // what keeps it closed there: the gates checked again, naming it
        let closed_by = match there.gates_passed {
            true => None,
            false => self
                .check(&at, &mut None, &mut Static::<NoExplanation>::new())?
                .err()
                .map(|(_, why)| why.what()),
        };
        Ok(Some(NextCommissionTier {
            needed: next.needed,
            boundary: next.boundary,
            tier: next.tier,
            pay: table.tiers().get(next.tier).map(|t| t.pay()),
            mode: table.mode(),
            commission_now: now.amount,
            commission_at_tier: there.amount,
            closed_by,
        }))
    }

    /// The commission alone, without an explanation (for hot loops): the
    /// same calculation as [`evaluate`](Self::evaluate).
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    #[inline]
    pub fn compute(&self, ctx: &CommissionContext<'_>) -> Result<Decimal> {
        Ok(self.evaluate_with::<NoExplanation>(ctx)?.amount)
    }

    /// The commission with its explanation: each gate and condition with
    /// the value it read, then the base payout, then each multiplier.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) when a metric a step reads
    /// is missing; whatever the base table or a custom formula or condition
    /// reports.
    pub fn evaluate(&self, ctx: &CommissionContext<'_>) -> Result<CommissionOutcome> {
        self.evaluate_with::<Explanation>(ctx)
    }

    /// The one place a commission is computed: the gates and conditions in
    /// order (the first that closes pays nothing), the base payout, the
    /// multipliers; each step recorded by `R`.
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    #[inline]
    pub fn evaluate_with<R: Recorder>(&self, ctx: &CommissionContext<'_>) -> Result<CommissionOutcome<R>> {
        self.evaluate_in(ctx, &mut Static::new())
    }

    /// [`evaluate_with`](Self::evaluate_with), its steps written to `rec`.
    #[inline]
    pub(crate) fn evaluate_in<Q: Sink>(
        &self,
        ctx: &CommissionContext<'_>,
        rec: &mut Q,
    ) -> Result<CommissionOutcome<Q::Step>> {
        // gates and multipliers often read the same metric: read it once
        let mut last: Option<(&MetricId, Parts)> = None;
        let checks = match self.check(ctx, &mut last, rec)? {
            Ok(checks) => checks,
            Err((closed, _)) => return Ok(closed),
        };
        let (base, base_step) = self.base(ctx, rec)?;
        if self.steps.is_empty() {
            // nothing but the base: its step, under this rule's label,
            // explains the commission alone (with the rounded amount as its
            // result, as a pay line shows it)
            let amount = self.round(base);
            return Ok(CommissionOutcome {
                amount,
                base,
                gates_passed: true,
                factor: Decimal::ONE,
                explanation: rec.map(base_step, |step| {
                    step.with_label(self.label.clone()).with_result(amount)
                }),
            });
        }
        let mut value = base;
        let mut factor = Decimal::ONE;
        // the base's step first, then the checks' and the multipliers'
        let mut kids = Kids::new();
        kids.push(base_step);
        kids.extend(checks);
        // each multiplier's factor, for the formula (when it is made)
        let mut factors: SmallVec<[Decimal; 4]> = SmallVec::new();
        for step in &self.steps {
            match step {
                Step::Multiplier(m) => {
                    let read = read_cached(ctx, &mut last, &m.metric)?;
                    let band = m.band_parts(read);
                    // below the first band the factor is 1: skip the multiplication
                    let f = match band {
                        Some((_, f)) => {
                            factor = factor.try_mul(*f)?;
                            value = value.try_mul(*f)?;
                            *f
                        }
                        None => Decimal::ONE,
                    };
                    kids.push(rec.record(|| m.explain(band, read.decimal(), f)));
                    if Q::RECORDS {
                        factors.push(f);
                    }
                }
                Step::Factor(f) => {
                    factor = factor.try_mul(f.factor)?;
                    value = value.try_mul(f.factor)?;
                    kids.push(rec.record(|| {
                        Explanation::new(&msg::MULTIPLIER, f.factor, Unit::Number)
                            .terms([Term::text(&f.label)])
                    }));
                    if Q::RECORDS {
                        factors.push(f.factor);
                    }
                }
                Step::Gate(_) | Step::Condition(..) => {}
            }
        }
        let amount = self.round(value);
        Ok(CommissionOutcome {
            amount,
            base,
            gates_passed: true,
            factor,
            explanation: self.step(rec, (amount, base, &factors), kids),
        })
    }

    /// The commission's step, made after `kids`, its children: `amount =
    /// base × factor × …`, a term pair for each multiplier's factor.
    #[inline]
    fn step<Q: Sink>(
        &self,
        rec: &mut Q,
        (amount, base, factors): (Decimal, Decimal, &[Decimal]),
        kids: Kids<Q::Step>,
    ) -> Q::Step {
        let head = rec.record(|| {
            let mut head = Explanation::money(self.label.clone(), amount);
            head.reserve_terms(factors.len().saturating_mul(2).saturating_add(1));
            head.reserve_children(kids.len());
            let head = head.terms([Term::value(base, Unit::Money)]);
            factors.iter().fold(head, |head, f| {
                head.terms([Term::text(&msg::TIMES), Term::value(*f, Unit::Number)])
            })
        });
        rec.children(head, kids)
    }

    /// The gates and conditions in order, each step recorded: `Ok(steps)`
    /// when all let the payout through, `Err(outcome)` — nothing paid — at
    /// the first that closes.
    #[inline]
    #[allow(clippy::type_complexity)] // the steps, or the outcome and what closed it
    fn check<'s, Q: Sink>(
        &'s self,
        ctx: &CommissionContext<'_>,
        last: &mut Option<(&'s MetricId, Parts)>,
        rec: &mut Q,
    ) -> Result<core::result::Result<Kids<Q::Step>, (CommissionOutcome<Q::Step>, Closed<'s>)>> {
        // the gates' and conditions' steps, in order: children of the
        // commission's step, which is made after them
        let mut checks = Kids::new();
        for step in &self.steps {
            let closed = match step {
                Step::Gate(gate) => {
                    let read = read_cached(ctx, last, &gate.metric)?;
                    let open = gate.admits_parts(read);
                    checks.push(rec.record(|| gate.explain(read.decimal(), open)));
                    (!open).then_some(Closed::Gate(&gate.metric))
                }
                Step::Condition(label, condition) => {
                    let holds = condition.holds(ctx)?;
                    checks.push(rec.record(|| {
                        let step =
                            Explanation::new(label.clone(), Decimal::from(u8::from(holds)), Unit::Count)
                                .text(if holds { &msg::HOLDS } else { &msg::FAILS })
                                .text(condition.describe());
                        condition.annotate(ctx, step)
                    }));
                    (!holds).then_some(Closed::Condition(label))
                }
                Step::Multiplier(_) | Step::Factor(_) => None,
            };
            if let Some(closed) = closed {
                let amount = self.round(Decimal::ZERO);
                let head = rec.record(|| {
                    let mut head = Explanation::money(self.label.clone(), amount);
                    head.reserve_children(checks.len());
                    closed.explain(head.text(&msg::NOTHING_IS_PAID)).input(
                        &msg::AMOUNT,
                        ctx.amount,
                        Unit::Money,
                    )
                });
                let explanation = rec.children(head, checks);
                let outcome = CommissionOutcome {
                    amount,
                    base: Decimal::ZERO,
                    gates_passed: false,
                    factor: Decimal::ZERO,
                    explanation,
                };
                return Ok(Err((outcome, closed)));
            }
        }
        Ok(Ok(checks))
    }

    /// The base payout (on the prior total plus the amount when the context
    /// carries one) and its step.
    #[inline]
    fn base<Q: Sink>(&self, ctx: &CommissionContext<'_>, rec: &mut Q) -> Result<(Decimal, Q::Step)> {
        let carried = !ctx.prior.is_zero();
        let payout = match &self.base {
            Base::Table(t) if carried => t.evaluate_carried_in(ctx.prior, ctx.amount, rec)?,
            Base::Table(t) => t.evaluate_in(ctx.amount, rec)?,
            Base::Quota(q) if carried => q.evaluate_carried_in(ctx.prior, ctx.amount, rec)?,
            Base::Quota(q) => q.evaluate_in(ctx.amount, rec)?,
            Base::QuotaRule(q) if carried => {
                // the deal on top of the prior total: what the total pays
                // less what the prior total paid
                let total = q.evaluate_in(ctx.prior.try_add(ctx.amount)?, ctx.metrics, rec)?;
                let before = q.evaluate_in(ctx.prior, ctx.metrics, rec)?;
                let payout = total.payout.try_sub(before.payout)?;
                let step = rec.record(|| {
                    Explanation::money(&msg::DEAL_PAYOUT, payout).terms_and_inputs(
                        [
                            Term::value(total.payout, Unit::Money),
                            Term::text(&msg::ON_THE_TOTAL_MINUS),
                            Term::value(before.payout, Unit::Money),
                            Term::text(&msg::ON_THE_PRIOR_TOTAL),
                        ],
                        [
                            (&msg::PRIOR_TOTAL, ctx.prior, Unit::Money),
                            (&msg::DEAL, ctx.amount, Unit::Money),
                        ],
                    )
                });
                return Ok((
                    payout,
                    rec.children(step, [total.explanation, before.explanation]),
                ));
            }
            Base::QuotaRule(q) => q.evaluate_in(ctx.amount, ctx.metrics, rec)?,
            Base::Formula(f) => {
                // `commission 3,500.00 = rule seed-formula (amount = …)`
                let value = f.evaluate(ctx)?;
                let step = rec.record(|| {
                    f.annotate(
                        ctx,
                        Explanation::money(self.label.clone(), value).text(f.describe()),
                    )
                });
                return Ok((value, step));
            }
        };
        Ok((payout.payout, payout.explanation))
    }
}

/// What closed a commission: a gate on a metric, or a named condition.
enum Closed<'a> {
    Gate(&'a MetricId),
    Condition(&'a Label),
}

impl Closed<'_> {
    /// What closed it, as the next reward keeps it: the gate's metric, or
    /// the condition's label as words in any language (`rule cs_gate`,
    /// `规则 cs_gate`).
    fn what(&self) -> Said {
        match self {
            Closed::Gate(metric) => Said::new(Text::from(*metric)),
            Closed::Condition(label) => Said::new((*label).clone()),
        }
    }

    /// Appends why it closed to `step`'s formula.
    fn explain(&self, step: Explanation) -> Explanation {
        match self {
            Closed::Gate(metric) => step.text(msg::GATE_ON_CLOSED.with([Term::text(*metric)])),
            Closed::Condition(label) => step.text(*label).text(&msg::FAILS_AFTER),
        }
    }
}

impl Gate {
    /// The gate's step: what it needs and the value it read.
    fn explain(&self, read: Decimal, open: bool) -> Explanation {
        let step = Explanation::new(
            if open { &msg::GATE_OPEN } else { &msg::GATE_CLOSED },
            read,
            Unit::Number,
        );
        let metric = [(&self.metric, read, Unit::Number)];
        match (self.min, self.max) {
            (Some(min), Some(max)) => step.terms_and_inputs(
                [
                    Term::text(&msg::NEEDS_AT_LEAST),
                    Term::value(min, Unit::Number),
                    Term::text(&msg::AND_AT_MOST),
                    Term::value(max, Unit::Number),
                ],
                metric,
            ),
            (Some(min), None) => step.terms_and_inputs(
                [Term::text(&msg::NEEDS_AT_LEAST), Term::value(min, Unit::Number)],
                metric,
            ),
            (None, Some(max)) => step.terms_and_inputs(
                [Term::text(&msg::NEEDS_AT_MOST), Term::value(max, Unit::Number)],
                metric,
            ),
            (None, None) => step.terms_and_inputs([], metric),
        }
    }
}

/// Reads `metric`, reusing the previous read when it was the same metric.
#[inline(always)]
fn read_cached<'m>(
    ctx: &CommissionContext<'_>,
    last: &mut Option<(&'m MetricId, Parts)>,
    metric: &'m MetricId,
) -> Result<Parts> {
    if let Some((id, value)) = *last
        && id == metric
    {
        return Ok(value);
    }
    // `metric` (an `Option`) rather than `require`: the hot path returns the
    // smaller value through the vtable, and the error is built only here
    let Some(value) = ctx.metrics.metric(metric) else {
        return Err(Error::data(format!("metric {metric} is missing")).with_path(format!("metrics.{metric}")));
    };
    let value = Parts::of(value);
    *last = Some((metric, value));
    Ok(value)
}
