//! Incentive rules: when something holds, then an award — never twice.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Kids, Label, Recorder, Sink, Static, Term, Unit};
use crate::extension::{Condition, Formula};
use crate::id::{EmployeeId, EventId, GradeId, MetricId, RuleId};
use crate::incentive::event::{Event, EventKind};
use crate::money::{DecimalExt, RoundingPolicy};
use crate::period::Period;
use crate::text::Text;
use crate::text::msg;

/// The idempotency key of an award: rule + employee + period, event, or
/// `lifetime`. The same key is never granted twice.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(transparent)]
pub struct AwardKey(String);

impl AwardKey {
    fn new(rule: &RuleId, employee: &EmployeeId, scope: &str) -> AwardKey {
        // one exact allocation (made for every rule and employee each period)
        AwardKey([rule.as_str(), employee.as_str(), scope].join("/"))
    }

    /// The key as text: `rule/employee/scope`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AwardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an incentive condition or amount formula may read.
#[derive(Clone, Copy)]
pub struct IncentiveContext<'a> {
    /// Who.
    pub employee: &'a EmployeeId,
    /// The period being evaluated.
    pub period: &'a Period,
    /// The period's outcome so far: score, grade, rank, metrics.
    pub facts: &'a Facts<'a>,
    /// The event that triggered the rule, for event rules.
    pub event: Option<&'a Event>,
}

impl fmt::Debug for IncentiveContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IncentiveContext")
            .field("employee", self.employee)
            .field("period", self.period)
            .field("event", &self.event.map(|e| &e.id))
            .finish_non_exhaustive()
    }
}

/// The facts of an employee's period that rules test: score, grade, rank in
/// team, and metrics.
///
/// The metrics are borrowed where the caller already holds them (the month
/// close does, for every employee) or owned:
///
/// ```
/// use std::borrow::Cow;
/// use std::collections::BTreeMap;
/// use perfpay::{Decimal, MetricId};
/// use perfpay::incentive::Facts;
///
/// let metrics = BTreeMap::from([(MetricId::new("conversion")?, Decimal::new(35, 3))]);
/// let borrowed = Facts { rank: Some(1), metrics: Cow::Borrowed(&metrics), ..Facts::default() };
/// let owned = Facts { rank: Some(1), metrics: Cow::Owned(metrics.clone()), ..Facts::default() };
/// assert_eq!(borrowed, owned);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts<'a> {
    /// The performance score, if scored.
    pub score: Option<Decimal>,
    /// The grade, if rated.
    pub grade: Option<GradeId>,
    /// The rank in the team (1 = best), if ranked.
    pub rank: Option<usize>,
    /// Metrics and goal achievements by id.
    pub metrics: Cow<'a, BTreeMap<MetricId, Decimal>>,
}

/// A number a [`Test`] compares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Operand {
    /// The performance score.
    Score,
    /// The rank in the team (1 = best).
    Rank,
    /// A metric (or goal achievement) by id.
    Metric(MetricId),
    /// A value carried by the triggering event.
    EventValue(String),
}

impl Operand {
    /// The operand's words in an explanation: `score` and `rank` as
    /// messages, a metric by its id.
    pub fn words(&self) -> Label {
        match self {
            Operand::Score => Label::from(&msg::SCORE),
            Operand::Rank => Label::from(&msg::RANK),
            Operand::Metric(m) => Label::from(Text::from(m)),
            Operand::EventValue(v) => Label::with(&msg::EVENT_VALUE, Term::text(v.to_string())),
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Score => f.write_str("score"),
            Operand::Rank => f.write_str("rank"),
            Operand::Metric(m) => write!(f, "{m}"),
            Operand::EventValue(v) => write!(f, "event {v}"),
        }
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// `≥`
    AtLeast,
    /// `>`
    Above,
    /// `≤`
    AtMost,
    /// `<`
    Below,
    /// `=`
    Equals,
}

impl Compare {
    fn holds(self, a: Decimal, b: Decimal) -> bool {
        match self {
            Compare::AtLeast => a >= b,
            Compare::Above => a > b,
            Compare::AtMost => a <= b,
            Compare::Below => a < b,
            Compare::Equals => a == b,
        }
    }

    fn symbol(self) -> Text {
        match self {
            Compare::AtLeast => crate::text!(" ≥ "),
            Compare::Above => crate::text!(" > "),
            Compare::AtMost => crate::text!(" ≤ "),
            Compare::Below => crate::text!(" < "),
            Compare::Equals => crate::text!(" = "),
        }
    }
}

/// One test in a trigger.
#[derive(Clone)]
pub enum Test {
    /// `operand op value`.
    Compare(Operand, Compare, Decimal),
    /// The grade is one of these (e.g. grade ≥ A as S or A).
    GradeIn(Vec<GradeId>),
    /// A custom condition (a vendor's script, a closure), with a label.
    Custom(Label, Arc<dyn for<'a> Condition<IncentiveContext<'a>>>),
}

impl fmt::Debug for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Test::Compare(o, c, v) => write!(f, "{o}{}{v}", c.symbol()),
            Test::GradeIn(g) => write!(f, "grade in {g:?}"),
            Test::Custom(label, _) => write!(f, "custom {label}"),
        }
    }
}

/// When a rule fires.
#[derive(Clone, Debug)]
pub enum Trigger {
    /// On each event of a kind (optionally about one subject), when every
    /// test holds.
    Event {
        /// The event kind.
        kind: EventKind,
        /// Only events about this subject (a goal id, a course), if given.
        subject: Option<String>,
        /// Tests over the facts and the event.
        tests: Vec<Test>,
    },
    /// Once the period's facts pass every test.
    Outcome(Vec<Test>),
}

/// What a rule awards.
#[derive(Clone)]
pub enum AwardSpec {
    /// Cash, a fixed amount.
    Cash(Decimal),
    /// Cash computed by a formula (a vendor's script, a closure).
    CashFormula(Arc<dyn for<'a> Formula<IncentiveContext<'a>>>),
    /// Points for the points ledger.
    Points(Decimal),
    /// An honour or certificate recorded to the employee's record.
    Honour(String),
}

impl fmt::Debug for AwardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AwardSpec::Cash(a) => write!(f, "Cash({a})"),
            AwardSpec::CashFormula(formula) => write!(f, "CashFormula({})", formula.describe()),
            AwardSpec::Points(p) => write!(f, "Points({p})"),
            AwardSpec::Honour(t) => write!(f, "Honour({t:?})"),
        }
    }
}

/// How often a rule may award an employee.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Once {
    /// At most once per period (outcome rules) — the default.
    #[default]
    PerPeriod,
    /// Once per event (event rules: every course completed pays).
    PerEvent,
    /// Once in the employee's lifetime.
    Lifetime,
}

/// An incentive rule: when, then, how often.
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::id::RuleId;
/// use perfpay::incentive::{AwardSpec, Compare, IncentiveRule, Operand, Test, Trigger};
///
/// // reach the conversion goal → 1,000 without anyone asking
/// let rule = IncentiveRule::new(
///     RuleId::new("conversion-goal-bonus")?,
///     Trigger::Outcome(vec![Test::Compare(
///         Operand::Metric(MetricId::new("conversion_achievement")?),
///         Compare::AtLeast,
///         Decimal::ONE,
///     )]),
///     AwardSpec::Cash(Decimal::from(1_000)),
/// );
/// assert_eq!(rule.id().as_str(), "conversion-goal-bonus");
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct IncentiveRule {
    id: RuleId,
    /// `award <id>`, the label of every award the rule makes
    label: Label,
    trigger: Trigger,
    award: AwardSpec,
    once: Once,
    max_per_period: Option<u32>,
    cash_cap_per_period: Option<Decimal>,
    effective_from: Option<NaiveDate>,
    effective_until: Option<NaiveDate>,
}

impl IncentiveRule {
    /// A rule awarding at most once per period, always in effect.
    pub fn new(id: RuleId, trigger: Trigger, award: AwardSpec) -> IncentiveRule {
        IncentiveRule {
            label: Label::with(&msg::AWARD_NAMED, Term::text(&id)),
            id,
            trigger,
            award,
            once: Once::PerPeriod,
            max_per_period: None,
            cash_cap_per_period: None,
            effective_from: None,
            effective_until: None,
        }
    }

    /// How often the rule may award.
    #[must_use]
    pub fn once(mut self, once: Once) -> IncentiveRule {
        self.once = once;
        self
    }

    /// At most `count` awards per period and employee.
    #[must_use]
    pub fn max_per_period(mut self, count: u32) -> IncentiveRule {
        self.max_per_period = Some(count);
        self
    }

    /// At most `cap` cash per period and employee; later awards are cut to
    /// what remains.
    #[must_use]
    pub fn cash_cap_per_period(mut self, cap: Decimal) -> IncentiveRule {
        self.cash_cap_per_period = Some(cap);
        self
    }

    /// In effect for periods that start on or after `from` and before
    /// `until` (exclusive), if given.
    #[must_use]
    pub fn effective(mut self, from: NaiveDate, until: Option<NaiveDate>) -> IncentiveRule {
        self.effective_from = Some(from);
        self.effective_until = until;
        self
    }

    /// The rule's id.
    pub fn id(&self) -> &RuleId {
        &self.id
    }

    /// What triggers the rule.
    pub fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    /// What the rule awards.
    pub fn award(&self) -> &AwardSpec {
        &self.award
    }

    /// For an outcome rule that can still award `employee` in `period` (in
    /// effect, and not a lifetime award `granted` before), each comparison
    /// the `facts` do not pass, with how far it is. Empty for an event rule,
    /// a rule that cannot award, a test of a grade or a custom condition,
    /// or a number the facts do not hold.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use perfpay::{Decimal, EmployeeId, MetricId, Period};
    /// use perfpay::id::RuleId;
    /// use perfpay::incentive::{AwardSpec, Compare, Facts, IncentiveRule, Operand, Test, Trigger};
    ///
    /// let rule = IncentiveRule::new(
    ///     RuleId::new("top-seller")?,
    ///     Trigger::Outcome(vec![Test::Compare(Operand::Score, Compare::AtLeast, Decimal::from(95))]),
    ///     AwardSpec::Cash(Decimal::from(500)),
    /// );
    /// let facts = Facts { score: Some(Decimal::new(905, 1)), grade: None, rank: None, metrics: Cow::Owned(Default::default()) };
    /// let short: Vec<_> = rule.shortfalls(&facts, &EmployeeId::new("li")?, &Period::month(2026, 11)?, &Default::default()).collect();
    /// assert_eq!(short[0].needed, Decimal::new(45, 1)); // 95 − 90.5
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn shortfalls<'a>(
        &'a self,
        facts: &'a Facts<'a>,
        employee: &EmployeeId,
        period: &Period,
        granted: &BTreeSet<AwardKey>,
    ) -> impl Iterator<Item = Shortfall> + 'a {
        let open = self.in_effect(period)
            && !(self.once == Once::Lifetime
                && granted.contains(&AwardKey::new(&self.id, employee, "lifetime")));
        let tests: &[Test] = match &self.trigger {
            Trigger::Outcome(tests) if open => tests,
            _ => &[],
        };
        tests.iter().filter_map(move |test| {
            let Test::Compare(operand, compare, threshold) = test else {
                return None;
            };
            let value = read_fact(operand, facts)?;
            if compare.holds(value, *threshold) {
                return None;
            }
            let needed = match compare {
                Compare::AtLeast | Compare::Above => threshold.checked_sub(value)?,
                Compare::AtMost | Compare::Below => value.checked_sub(*threshold)?,
                Compare::Equals => threshold.checked_sub(value)?.abs(),
            };
            Some(Shortfall {
                operand: operand.clone(),
                compare: *compare,
                threshold: *threshold,
                value,
                needed,
            })
        })
    }

    fn in_effect(&self, period: &Period) -> bool {
        self.effective_from.is_none_or(|from| period.start() >= from)
            && self.effective_until.is_none_or(|until| period.start() < until)
    }
}

/// What a program may refer to: declared metrics and custom event kinds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    /// Metrics (and goal achievements) rules may test.
    pub metrics: BTreeSet<MetricId>,
    /// Custom event kinds rules may listen to.
    pub custom_events: BTreeSet<String>,
}

/// What an award gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    /// Cash paid with the payslip (negative for a clawback).
    Cash(Decimal),
    /// Points credited to the points ledger (negative for a clawback).
    Points(Decimal),
    /// An honour recorded to the employee's record.
    Honour(String),
}

/// An award: what, to whom, why, and the key that keeps it from being paid
/// twice.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// The idempotency key.
    pub key: AwardKey,
    /// The rule that made it.
    pub rule: RuleId,
    /// Who receives it.
    pub employee: EmployeeId,
    /// The period it belongs to.
    pub period: Period,
    /// The event that triggered it, for event rules.
    pub event: Option<EventId>,
    /// What it gives.
    pub kind: AwardKind,
    /// For a clawback: the key of the award it reverses.
    pub reverses: Option<AwardKey>,
    /// Which rule, which event or condition, which values.
    pub explanation: Explanation,
}

impl Award {
    /// A clawback of this award: the same amount negated, referencing the
    /// original. History is never edited; the clawback is a new entry with
    /// its own key (`clawback/<original key>`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for an
    /// honour (there is nothing to take back but the record) or a clawback
    /// of a clawback.
    pub fn clawback(&self, reason: impl Into<Text>) -> Result<Award> {
        if self.reverses.is_some() {
            return Err(Error::invalid_input(format!(
                "{} is already a clawback",
                self.key
            )));
        }
        let kind = match &self.kind {
            AwardKind::Cash(a) => AwardKind::Cash(-*a),
            AwardKind::Points(p) => AwardKind::Points(-*p),
            AwardKind::Honour(title) => {
                return Err(Error::invalid_input(format!(
                    "the honour {title:?} of {} cannot be clawed back as an amount",
                    self.key
                )));
            }
        };
        let (value, unit) = match &kind {
            AwardKind::Cash(a) => (*a, Unit::Money),
            AwardKind::Points(p) => (*p, Unit::Points),
            AwardKind::Honour(_) => (Decimal::ZERO, Unit::Count),
        };
        Ok(Award {
            key: AwardKey(format!("clawback/{}", self.key)),
            rule: self.rule.clone(),
            employee: self.employee.clone(),
            period: self.period,
            event: self.event.clone(),
            kind,
            reverses: Some(self.key.clone()),
            explanation: Explanation::new(&msg::CLAWBACK, value, unit)
                .text(&msg::REVERSES)
                .text(self.key.to_string())
                .text(&msg::COLON)
                .text(reason),
        })
    }
}

/// One employee's input to [`IncentiveProgram::evaluate`].
#[derive(Clone, Copy, Debug)]
pub struct IncentiveInput<'a> {
    /// Who.
    pub employee: &'a EmployeeId,
    /// The period.
    pub period: &'a Period,
    /// Score, grade, rank and metrics of the period.
    pub facts: &'a Facts<'a>,
    /// The employee's events (any order; duplicates by id count once).
    pub events: &'a [Event],
    /// Keys already granted in earlier runs: these awards are not made again.
    pub granted: &'a BTreeSet<AwardKey>,
}

/// A validated set of incentive rules.
#[derive(Clone, Debug)]
pub struct IncentiveProgram {
    rules: Vec<IncentiveRule>,
    rounding: RoundingPolicy,
}

fn check_tests(tests: &[Test], catalog: &Catalog, path: &str, problems: &mut Vec<Problem>) {
    for (j, test) in tests.iter().enumerate() {
        if let Test::Compare(Operand::Metric(m), _, _) = test
            && !catalog.metrics.contains(m)
        {
            problems.push(Problem::new(
                format!("{path}.tests[{j}]"),
                format!("unknown metric {m}"),
            ));
        }
    }
}

impl IncentiveProgram {
    /// Validates `rules` against `catalog`; cash is rounded by `rounding`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem with a path (`rules[2].trigger.tests[0]`): a rule id
    /// used twice, an unknown metric or custom event kind, a negative or
    /// off-grid cash amount, negative points, an empty honour title, a
    /// negative cap, an effective range that ends before it starts.
    pub fn new(
        rules: Vec<IncentiveRule>,
        catalog: &Catalog,
        rounding: RoundingPolicy,
    ) -> Result<IncentiveProgram> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        for (i, rule) in rules.iter().enumerate() {
            let path = format!("rules[{i}]");
            if !ids.insert(&rule.id) {
                problems.push(Problem::new(
                    format!("{path}.id"),
                    format!("rule {} is defined twice", rule.id),
                ));
            }
            match &rule.trigger {
                Trigger::Event { kind, tests, .. } => {
                    if let EventKind::Custom(name) = kind
                        && !catalog.custom_events.contains(name)
                    {
                        problems.push(Problem::new(
                            format!("{path}.trigger.kind"),
                            format!("unknown event kind {name}"),
                        ));
                    }
                    check_tests(tests, catalog, &format!("{path}.trigger"), &mut problems);
                }
                Trigger::Outcome(tests) => {
                    check_tests(tests, catalog, &format!("{path}.trigger"), &mut problems)
                }
            }
            let neg = |d: &Decimal| d.is_sign_negative() && !d.is_zero();
            match &rule.award {
                AwardSpec::Cash(a) if neg(a) => problems.push(Problem::new(
                    format!("{path}.award"),
                    format!("cash {a} is negative; take an award back with a clawback instead"),
                )),
                AwardSpec::Cash(a) if !rounding.is_rounded(*a) => problems.push(Problem::new(
                    format!("{path}.award"),
                    format!("cash {a} has more than {} decimal places", rounding.scale()),
                )),
                AwardSpec::Points(p) if neg(p) => problems.push(Problem::new(
                    format!("{path}.award"),
                    format!("points {p} are negative; take points back with a clawback instead"),
                )),
                AwardSpec::Honour(title) if title.trim().is_empty() => {
                    problems.push(Problem::new(format!("{path}.award"), "an honour needs a title"));
                }
                _ => {}
            }
            if let Some(cap) = rule.cash_cap_per_period
                && neg(&cap)
            {
                problems.push(Problem::new(
                    format!("{path}.cash_cap_per_period"),
                    format!("cap {cap} is negative"),
                ));
            }
            if let (Some(from), Some(until)) = (rule.effective_from, rule.effective_until)
                && until <= from
            {
                problems.push(Problem::new(
                    format!("{path}.effective"),
                    format!("ends on {until}, not after it starts on {from}"),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid incentive rules", problems));
        }
        Ok(IncentiveProgram { rules, rounding })
    }

    /// The rules, in declared order.
    pub fn rules(&self) -> &[IncentiveRule] {
        &self.rules
    }

    /// The awards one employee earns in one period.
    ///
    /// Events are taken in (date, id) order and duplicates by id count once,
    /// so the same events in any order give the same awards. The period's
    /// awards are computed in full (so per-period limits count awards granted
    /// in an earlier run) and those whose keys are in `input.granted` are
    /// left out, so re-running a period never pays twice.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) for an event of another
    /// employee, a metric a test reads that is missing, or a cash formula
    /// returning a negative amount; whatever a custom condition or formula
    /// reports.
    pub fn evaluate(&self, input: &IncentiveInput<'_>) -> Result<Vec<Award>> {
        self.evaluate_with::<Explanation>(input, &Text::from(input.period.to_string()))
    }

    /// The one place awards are granted: [`evaluate`](Self::evaluate) with
    /// the period's name (`2026-11`) already written, as the month close
    /// writes it once for everyone, and each award's step recorded by `R`
    /// (an award's explanation is [`Explanation::not_recorded`] when `R`
    /// records nothing).
    ///
    /// # Errors
    ///
    /// As [`evaluate`](Self::evaluate).
    pub fn evaluate_with<R: Recorder>(
        &self,
        input: &IncentiveInput<'_>,
        period_text: &Text,
    ) -> Result<Vec<Award>> {
        self.evaluate_in(input, period_text, &mut Static::<R>::new())
    }

    /// [`evaluate_with`](Self::evaluate_with), the steps written to `rec`.
    pub(crate) fn evaluate_in<Q: Sink>(
        &self,
        input: &IncentiveInput<'_>,
        period_text: &Text,
        rec: &mut Q,
    ) -> Result<Vec<Award>> {
        let events = events_of(input)?;
        let mut awards = Vec::new();
        let mut seen: BTreeSet<AwardKey> = BTreeSet::new();
        let mut from_events: Vec<Option<&Event>> = Vec::new();
        for rule in &self.rules {
            if !rule.in_effect(input.period) {
                continue;
            }
            let candidates: &[Option<&Event>] = match &rule.trigger {
                Trigger::Outcome(_) => &[None],
                Trigger::Event { kind, subject, .. } => {
                    matching(kind, subject.as_ref(), &events, &mut from_events);
                    &from_events
                }
            };
            self.awards_of(
                rule,
                candidates,
                input,
                period_text,
                (&mut seen, &mut awards),
                rec,
            )?;
        }
        awards.retain(|award| !input.granted.contains(&award.key));
        Ok(awards)
    }

    /// The awards `rule` makes over `candidates` (the period's outcome, or
    /// each event its trigger matches), up to its limits, each added to
    /// `awards` with its key to `seen`.
    fn awards_of<Q: Sink>(
        &self,
        rule: &IncentiveRule,
        candidates: &[Option<&Event>],
        input: &IncentiveInput<'_>,
        period_text: &Text,
        (seen, awards): (&mut BTreeSet<AwardKey>, &mut Vec<Award>),
        rec: &mut Q,
    ) -> Result<()> {
        let mut count = 0u32;
        let mut cash_paid = Decimal::ZERO;
        for &event in candidates {
            if rule.max_per_period.is_some_and(|max| count >= max) {
                break;
            }
            let key_of = || match (rule.once, event) {
                (Once::Lifetime, _) => AwardKey::new(&rule.id, input.employee, "lifetime"),
                (Once::PerEvent, Some(e)) => {
                    AwardKey::new(&rule.id, input.employee, &format!("event:{}", e.id))
                }
                _ => AwardKey::new(&rule.id, input.employee, period_text),
            };
            // A key already awarded in this run, or a lifetime key granted
            // earlier (it belongs to another period), is skipped before
            // counting. Keys of this period are computed in full (so limits
            // count them) and filtered at the end. When no key can be
            // skipped (nothing awarded yet, not a lifetime rule), the key is
            // made only for an award.
            let mut key = None;
            if !seen.is_empty() || rule.once == Once::Lifetime {
                let k = key_of();
                if seen.contains(&k) || (rule.once == Once::Lifetime && input.granted.contains(&k)) {
                    continue;
                }
                key = Some(k);
            }
            let ctx = IncentiveContext {
                employee: input.employee,
                period: input.period,
                facts: input.facts,
                event,
            };
            let tests = match &rule.trigger {
                Trigger::Outcome(tests) | Trigger::Event { tests, .. } => tests,
            };
            let Some(why) = self.check(rule, tests, &ctx, period_text, rec)? else {
                continue;
            };
            let (kind, explanation) = self.award_of(rule, &ctx, rec)?;
            let Some((kind, explanation)) =
                under_cap(kind, rule.cash_cap_per_period, &mut cash_paid, explanation, rec)?
            else {
                break;
            };
            let key = key.unwrap_or_else(key_of);
            count = count.saturating_add(1);
            seen.insert(key.clone());
            // most employees earn one award or none: room for exactly the
            // first (a vector would make room for four) when the outcome is
            // explained, as a host keeps those (numbers-only outcomes serve
            // what-ifs, and the allocator works more for the exact room)
            if Q::RECORDS && awards.capacity() == 0 {
                awards.reserve_exact(1);
            }
            let explanation = rec.child(explanation, why);
            let explanation = rec.explanation(explanation);
            awards.push(Award {
                key,
                rule: rule.id.clone(),
                employee: input.employee.clone(),
                period: *input.period,
                event: event.map(|e| e.id.clone()),
                kind,
                reverses: None,
                explanation,
            });
        }
        Ok(())
    }

    /// What `rule` awards in `ctx`, and its step (a cash formula's amount
    /// rounded by the program's policy).
    fn award_of<Q: Sink>(
        &self,
        rule: &IncentiveRule,
        ctx: &IncentiveContext<'_>,
        rec: &mut Q,
    ) -> Result<(AwardKind, Q::Step)> {
        Ok(match &rule.award {
            AwardSpec::Cash(amount) => (
                AwardKind::Cash(*amount),
                rec.record(|| {
                    Explanation::money(rule.label.clone(), *amount).terms([Term::text(&msg::FIXED_CASH)])
                }),
            ),
            AwardSpec::CashFormula(formula) => {
                let raw = formula.evaluate(ctx)?;
                if raw.is_sign_negative() && !raw.is_zero() {
                    return Err(Error::data(format!(
                        "rule {} computed a negative cash award {raw}; use a clawback",
                        rule.id
                    ))
                    .with_rule(rule.id.clone())
                    .with_employee(ctx.employee.clone()));
                }
                let amount = self.rounding.round(raw);
                let step = rec.record(|| {
                    let step = Explanation::money(rule.label.clone(), amount).text(formula.describe());
                    formula.annotate(ctx, step)
                });
                (AwardKind::Cash(amount), step)
            }
            AwardSpec::Points(points) => (
                AwardKind::Points(*points),
                rec.record(|| {
                    Explanation::new(rule.label.clone(), *points, Unit::Points)
                        .terms([Term::text(&msg::POINTS)])
                }),
            ),
            AwardSpec::Honour(title) => (
                AwardKind::Honour(title.clone()),
                rec.record(|| {
                    Explanation::new(rule.label.clone(), Decimal::ONE, Unit::Count)
                        .terms([Term::text(&msg::HONOUR_RECORDED), Term::text(title.clone())])
                }),
            ),
        })
    }

    /// Runs a rule's tests; `Some(explanation)` when all hold.
    fn check<Q: Sink>(
        &self,
        rule: &IncentiveRule,
        tests: &[Test],
        ctx: &IncentiveContext<'_>,
        period_text: &Text,
        rec: &mut Q,
    ) -> Result<Option<Q::Step>> {
        // each test's step, then the trigger's (made once all tests hold:
        // most rules fail their first test), the tests' steps its children
        let mut steps: Kids<Q::Step> = Kids::new();
        for test in tests {
            match self.test(rule, test, ctx, rec)? {
                Some(step) => steps.push(step),
                None => return Ok(None),
            }
        }
        let why = rec.record(|| {
            let why = Explanation::new(&msg::TRIGGER, Decimal::ONE, Unit::Count);
            match (&rule.trigger, ctx.event) {
                (Trigger::Event { kind, .. }, Some(event)) => why
                    .text(msg::EVENT_ON.with([kind.term(), Term::text(event.date.to_string())]))
                    .terms([Term::text(
                        event.subject.as_ref().map_or(String::new(), |s| format!(": {s}")),
                    )]),
                _ => why.terms([Term::text(&msg::OUTCOME_OF), Term::text(period_text)]),
            }
        });
        Ok(Some(rec.children(why, steps)))
    }

    /// Runs one of a rule's tests: `Some(step)` when it holds.
    fn test<Q: Sink>(
        &self,
        rule: &IncentiveRule,
        test: &Test,
        ctx: &IncentiveContext<'_>,
        rec: &mut Q,
    ) -> Result<Option<Q::Step>> {
        Ok(Some(match test {
            Test::Compare(operand, op, bound) => {
                let value = read(operand, ctx)
                    .map_err(|e| e.with_rule(rule.id.clone()).with_employee(ctx.employee.clone()))?;
                if !op.holds(value, *bound) {
                    return Ok(None);
                }
                rec.record(|| {
                    Explanation::new(operand.words(), value, Unit::Number).terms([
                        Term::value(value, Unit::Number),
                        Term::text(op.symbol()),
                        Term::value(*bound, Unit::Number),
                    ])
                })
            }
            Test::GradeIn(grades) => match &ctx.facts.grade {
                Some(grade) if grades.contains(grade) => rec.record(|| {
                    Explanation::new(
                        msg::GRADE_NAMED.with([Term::text(grade)]),
                        Decimal::ONE,
                        Unit::Count,
                    )
                    .terms([
                        Term::text(&msg::ONE_OF),
                        Term::text(grades.iter().map(GradeId::as_str).collect::<Vec<_>>().join(", ")),
                    ])
                }),
                _ => return Ok(None),
            },
            Test::Custom(label, condition) => {
                if !condition.holds(ctx)? {
                    return Ok(None);
                }
                rec.record(|| {
                    condition.annotate(
                        ctx,
                        Explanation::new(label.clone(), Decimal::ONE, Unit::Count).text(condition.describe()),
                    )
                })
            }
        }))
    }
}

/// The events of the period an event trigger of `kind` (and `subject`, if
/// given) looks at, into `out`.
fn matching<'e>(
    kind: &EventKind,
    subject: Option<&String>,
    events: &[&'e Event],
    out: &mut Vec<Option<&'e Event>>,
) {
    out.clear();
    out.extend(
        events
            .iter()
            .filter(|e| &e.kind == kind && subject.is_none_or(|s| e.subject.as_ref() == Some(s)))
            .map(|e| Some(*e)),
    );
}

/// An award under its rule's per-period cash `cap`, `cash_paid` so far
/// counting it: the award that reaches the cap is cut to what remains (its
/// step says so); `None` once nothing remains.
fn under_cap<Q: Sink>(
    kind: AwardKind,
    cap: Option<Decimal>,
    cash_paid: &mut Decimal,
    explanation: Q::Step,
    rec: &mut Q,
) -> Result<Option<(AwardKind, Q::Step)>> {
    let (AwardKind::Cash(amount), Some(cap)) = (&kind, cap) else {
        return Ok(Some((kind, explanation)));
    };
    let amount = *amount;
    let left = cap.try_sub(*cash_paid)?.max(Decimal::ZERO);
    if left.is_zero() {
        return Ok(None);
    }
    let paid = amount.min(left);
    let explanation = if paid == amount {
        explanation
    } else {
        rec.map(explanation, |e| cut_to_cap(e, paid, cap))
    };
    *cash_paid = cash_paid.try_add(paid)?;
    Ok(Some((AwardKind::Cash(paid), explanation)))
}

/// A cash award's step cut to what the period cap leaves.
fn cut_to_cap(step: Explanation, paid: Decimal, cap: Decimal) -> Explanation {
    step.with_result(paid).terms([
        Term::text(&msg::CUT_TO_THE_PERIOD_CAP),
        Term::value(cap, Unit::Money),
    ])
}

/// The employee's events in the period, in (date, id) order, each id once.
fn events_of<'i>(input: &IncentiveInput<'i>) -> Result<Vec<&'i Event>> {
    let mut events: Vec<&Event> = Vec::with_capacity(input.events.len());
    for event in input.events {
        if &event.employee != input.employee {
            return Err(Error::data(format!(
                "event {} belongs to {}, not {}",
                event.id, event.employee, input.employee
            ))
            .with_employee(input.employee.clone()));
        }
        if input.period.contains(event.date) {
            events.push(event);
        }
    }
    events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    events.dedup_by(|a, b| a.id == b.id);
    Ok(events)
}

fn read(operand: &Operand, ctx: &IncentiveContext<'_>) -> Result<Decimal> {
    match operand {
        Operand::EventValue(name) => ctx
            .event
            .and_then(|e| e.values.get(name).copied())
            .ok_or_else(|| Error::data(format!("the event carries no value {name}"))),
        _ => read_fact(operand, ctx.facts).ok_or_else(|| match operand {
            Operand::Score => Error::data("no score for the period"),
            Operand::Rank => Error::data("no rank for the period"),
            other => Error::data(format!("metric {other} is missing")).with_path(format!("metrics.{other}")),
        }),
    }
}

/// The number `operand` names among the period's facts (not an event's).
fn read_fact(operand: &Operand, facts: &Facts<'_>) -> Option<Decimal> {
    match operand {
        Operand::Score => facts.score,
        Operand::Rank => facts.rank.map(Decimal::from),
        Operand::Metric(m) => facts.metrics.get(m).copied(),
        Operand::EventValue(_) => None,
    }
}

/// A comparison of an outcome rule not yet passed, and how far it is; see
/// [`IncentiveRule::shortfalls`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    /// What the test reads.
    pub operand: Operand,
    /// How it compares.
    pub compare: Compare,
    /// The number it compares with.
    pub threshold: Decimal,
    /// The value now.
    pub value: Decimal,
    /// How far: more to reach `≥` or `>` (for `>`, anything beyond), less
    /// for `≤` or `<`, the difference for `=`.
    pub needed: Decimal,
}
