//! Transactions as commission credit: each deal tiered on its own, at the
//! running attainment of the period, with credit splits and refunds.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::explain::{Explanation, Recorder, Sink, Static, Term, Unit};
use crate::id::{EmployeeId, TransactionId};
use crate::money::DecimalExt;
use crate::text::msg;

use super::commission::{Commission, CommissionContext};

/// A credited transaction (a deal, an order), or the refund of one.
///
/// The credit of a transaction goes to the employee whose inputs carry it,
/// or is split among the employees of `split`, whose shares sum to one
/// exactly. A refund (`refunds` names the transaction) reverses the
/// transaction: its credit, and exactly the commission it paid — all of
/// them, or for a partial refund (`part`) that part of the credit and the
/// same share of the commission, rounded as the commission is, so that
/// refunds of every part claw back exactly what the deal paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// The transaction's id.
    pub id: TransactionId,
    /// When it was made (deals are paid in date, then id, order; a day's
    /// refunds after its deals).
    pub date: NaiveDate,
    /// The whole transaction's amount, before any split; for a refund, the
    /// amount of the transaction refunded.
    pub amount: Decimal,
    /// Who shares the credit and how much each (fractions summing to 1);
    /// empty when it all goes to the employee whose inputs carry it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub split: Vec<Share>,
    /// For a refund: the transaction it reverses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<TransactionId>,
    /// For a refund of a transaction of an earlier period: the commission
    /// the employee was paid on it (from that period's outcome), less what
    /// refunds of earlier periods clawed back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid: Option<Decimal>,
    /// For a partial refund: how much of `amount` it returns (more than 0,
    /// at most what is left of the transaction); without it, all of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Decimal>,
    /// For a refund of a transaction of an earlier period that earlier
    /// periods already partly refunded: how much of `amount` they returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded: Option<Decimal>,
}

/// One employee's share of a transaction's credit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Share {
    /// Who.
    pub employee: EmployeeId,
    /// Their share (0.6 is 60 %).
    pub share: Decimal,
}

impl Transaction {
    /// A deal of `amount` on `date`, all credited to one employee.
    pub fn deal(id: TransactionId, date: NaiveDate, amount: Decimal) -> Transaction {
        Transaction {
            id,
            date,
            amount,
            split: Vec::new(),
            refunds: None,
            paid: None,
            part: None,
            refunded: None,
        }
    }

    /// The refund of `part` of `deal` (all of it when `part` is its
    /// amount), made on `date` with the id `id`: the deal's amount and
    /// split, what it refunds.
    ///
    /// ```
    /// use perfpay::id::TransactionId;
    /// use perfpay::tier::Transaction;
    /// use perfpay::{Decimal, NaiveDate};
    ///
    /// let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    /// let deal = Transaction::deal(TransactionId::new("T-3")?, day(20), Decimal::from(40_000));
    /// let refund = Transaction::refund_of(&deal, TransactionId::new("R-3")?, day(25), Decimal::from(10_000));
    /// assert_eq!((refund.amount, refund.part), (Decimal::from(40_000), Some(Decimal::from(10_000))));
    /// assert_eq!(refund.refunds.as_ref(), Some(&deal.id));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn refund_of(deal: &Transaction, id: TransactionId, date: NaiveDate, part: Decimal) -> Transaction {
        Transaction {
            id,
            date,
            amount: deal.amount,
            split: deal.split.clone(),
            refunds: Some(deal.id.clone()),
            paid: None,
            part: (part != deal.amount).then_some(part),
            refunded: None,
        }
    }

    /// What a refund returns: its `part`, or all of `amount`.
    fn returned(&self) -> Decimal {
        self.part.unwrap_or(self.amount)
    }

    /// The credit split among employees (shares summing to 1).
    #[must_use]
    pub fn split(mut self, shares: impl IntoIterator<Item = (EmployeeId, Decimal)>) -> Transaction {
        self.split = shares
            .into_iter()
            .map(|(employee, share)| Share { employee, share })
            .collect();
        self
    }

    /// The credit of `employee`: the whole amount without a split, else
    /// amount × their share (for a partial refund, of the part returned).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) with the
    /// field's path: a negative amount; a share outside (0, 1]; an employee
    /// listed twice; shares not summing to exactly 1; a split without
    /// `employee`.
    ///
    /// ```
    /// use perfpay::{Decimal, EmployeeId, NaiveDate};
    /// use perfpay::id::TransactionId;
    /// use perfpay::tier::Transaction;
    ///
    /// let (wu, zheng) = (EmployeeId::new("wu")?, EmployeeId::new("zheng")?);
    /// let deal = Transaction::deal(TransactionId::new("t-1")?, NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(), Decimal::from(10_000))
    ///     .split([(wu.clone(), Decimal::new(6, 1)), (zheng.clone(), Decimal::new(4, 1))]);
    /// assert_eq!(deal.credit_of(&wu)?, Decimal::from(6_000));
    /// assert_eq!(deal.credit_of(&zheng)?, Decimal::from(4_000));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn credit_of(&self, employee: &EmployeeId) -> Result<Decimal> {
        self.check()?;
        let amount = self.returned();
        if self.split.is_empty() {
            return Ok(amount);
        }
        let share = self
            .split
            .iter()
            .find(|s| &s.employee == employee)
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "transaction {} splits its credit without {employee}",
                    self.id
                ))
                .with_path("split")
            })?;
        amount.try_mul(share.share)
    }

    /// The transaction's own checks: amount, parts, shares.
    fn check(&self) -> Result<()> {
        if self.amount.is_sign_negative() && !self.amount.is_zero() {
            return Err(Error::invalid_input(format!(
                "transaction {} has a negative amount {}; a refund names the transaction it reverses",
                self.id, self.amount
            ))
            .with_path("amount"));
        }
        let refund_field = |field: &str, what: String| {
            Err(Error::invalid_input(format!("refund {}: {what}", self.id)).with_path(field.to_owned()))
        };
        if self.refunds.is_none() {
            for (field, given) in [("part", self.part), ("refunded", self.refunded)] {
                if given.is_some() {
                    return Err(Error::invalid_input(format!(
                        "transaction {} gives `{field}`, which is for a refund, and names no transaction it refunds",
                        self.id
                    ))
                    .with_path(field));
                }
            }
        }
        let before = self.refunded.unwrap_or_default();
        if before.is_sign_negative() && !before.is_zero() {
            return refund_field("refunded", format!("refunded before is {before}, below 0"));
        }
        if let Some(part) = self.part
            && (part <= Decimal::ZERO || part.try_add(before)? > self.amount)
        {
            return refund_field(
                "part",
                format!(
                    "returns {part} of {}, of which {before} was refunded before",
                    self.amount
                ),
            );
        }
        let mut total = Decimal::ZERO;
        for (i, s) in self.split.iter().enumerate() {
            if s.share <= Decimal::ZERO || s.share > Decimal::ONE {
                return Err(Error::invalid_input(format!(
                    "share {} of {} is not above 0 and at most 1",
                    s.share, s.employee
                ))
                .with_path(format!("split[{i}].share")));
            }
            if self
                .split
                .get(..i)
                .unwrap_or_default()
                .iter()
                .any(|o| o.employee == s.employee)
            {
                return Err(Error::invalid_input(format!("{} is listed twice", s.employee))
                    .with_path(format!("split[{i}].employee")));
            }
            total = total.try_add(s.share)?;
        }
        if !self.split.is_empty() && total != Decimal::ONE {
            return Err(Error::invalid_input(format!(
                "the shares of transaction {} sum to {total}, not 1",
                self.id
            ))
            .with_path("split"));
        }
        Ok(())
    }
}

/// `err` of the transaction at `i` of the employee's list, its path under
/// `transactions[i]`.
fn in_list(i: usize, err: Error) -> Error {
    let path = match err.path() {
        Some(p) => format!("transactions[{i}].{p}"),
        None => format!("transactions[{i}]"),
    };
    err.with_path(path)
}

/// The net credit `employee` has from `transactions`: deals add theirs,
/// refunds take theirs back.
///
/// # Errors
///
/// As [`Transaction::credit_of`], the path under `transactions[i]`; a
/// transaction listed twice; overflow.
pub fn net_credit(employee: &EmployeeId, transactions: &[Transaction]) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    let mut seen = BTreeSet::new();
    // what is left to refund of each deal: the period's deals first, so
    // that a refund finds its deal wherever the list has it
    let mut left: BTreeMap<&TransactionId, (Decimal, bool)> = BTreeMap::new();
    let listed = transactions.iter().enumerate();
    let deals = listed.clone().filter(|(_, t)| t.refunds.is_none());
    for (i, t) in deals.chain(listed.filter(|(_, t)| t.refunds.is_some())) {
        listed_once(&mut seen, t).map_err(|e| in_list(i, e))?;
        let credit = t.credit_of(employee).map_err(|e| in_list(i, e))?;
        match &t.refunds {
            Some(of) => {
                let (before, this_period) = match left.get(of) {
                    Some(&(_, true)) if t.refunded.is_some() => {
                        return Err(in_list(i, refunded_in_period(t, of)));
                    }
                    Some(&kept) => kept,
                    None => (left_from_earlier(t)?, false),
                };
                let after = left_after(t, of, before).map_err(|e| in_list(i, e))?;
                left.insert(of, (after, this_period));
                total = total.try_sub(credit)?;
            }
            None => {
                left.insert(&t.id, (t.amount, true));
                total = total.try_add(credit)?;
            }
        }
    }
    Ok(total)
}

/// Refuses a transaction whose id came before in the same list.
fn listed_once<'a>(seen: &mut BTreeSet<&'a TransactionId>, t: &'a Transaction) -> Result<()> {
    if seen.insert(&t.id) {
        Ok(())
    } else {
        Err(Error::invalid_input(format!("transaction {} is listed twice", t.id)).with_path("id"))
    }
}

/// What is left to refund of a deal of an earlier period that refund `t`
/// names: its amount, less what earlier periods refunded.
fn left_from_earlier(t: &Transaction) -> Result<Decimal> {
    t.amount.try_sub(t.refunded.unwrap_or_default())
}

/// What is left to refund of deal `of` once refund `t` takes its part from
/// the `left` before it; a part above that is refused.
fn left_after(t: &Transaction, of: &TransactionId, left: Decimal) -> Result<Decimal> {
    let part = t.returned();
    if part > left {
        return Err(Error::invalid_input(format!(
            "refund {} returns {part} of {of}, of which {left} is left to refund",
            t.id
        ))
        .with_path("part"));
    }
    left.try_sub(part)
}

/// `refunded` on a refund of a deal of this period, which no earlier
/// period can have refunded.
fn refunded_in_period(t: &Transaction, of: &TransactionId) -> Error {
    Error::invalid_input(format!(
        "refund {} reverses {of} of this period, which no earlier period refunded",
        t.id
    ))
    .with_path("refunded")
}

/// Where the copies of shared deals disagree, among the employees of one
/// evaluation, each with the transactions their inputs carry: for each
/// employee concerned, the first problem, its path under
/// `transactions[i]`. A transaction whose credit is split is carried by
/// every employee of its split who is evaluated, and every copy says the
/// same (date, amount, shares, what it refunds and how much; `paid` is each employee's
/// own). Otherwise the shares would not add up to the deal: one seller
/// paid on 10,000.00 and the other on 12,000.00 of the same order, or a
/// share credited to nobody.
///
/// ```
/// use perfpay::tier::{Transaction, check_splits};
/// use perfpay::id::TransactionId;
/// use perfpay::{Decimal, EmployeeId, NaiveDate};
///
/// let (wu, zheng) = (EmployeeId::new("sales-wu")?, EmployeeId::new("sales-zheng")?);
/// let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
/// let deal = |amount: i64| {
///     Transaction::deal(TransactionId::new("t-9").unwrap(), day, Decimal::from(amount))
///         .split([(wu.clone(), Decimal::new(6, 1)), (zheng.clone(), Decimal::new(4, 1))])
/// };
/// let (same, other) = ([deal(10_000)], [deal(12_000)]);
/// assert!(check_splits([(&wu, &same[..]), (&zheng, &same[..])]).is_empty());
///
/// let problems = check_splits([(&wu, &same[..]), (&zheng, &other[..])]);
/// assert_eq!(
///     problems[&zheng].to_string(),
///     "transactions[0]: transaction t-9 is not the same in the inputs of sales-wu and sales-zheng: amount 10000 and 12000",
/// );
/// assert!(problems.contains_key(&wu));
///
/// let problems = check_splits([(&wu, &same[..]), (&zheng, &[][..])]);
/// assert_eq!(
///     problems[&zheng].to_string(),
///     "transactions: transaction t-9 (in the inputs of sales-wu) credits sales-zheng with a share of 0.4, but sales-zheng's inputs do not carry it",
/// );
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn check_splits<'a, I>(carried: I) -> BTreeMap<EmployeeId, Error>
where
    I: IntoIterator<Item = (&'a EmployeeId, &'a [Transaction])>,
    I::IntoIter: Clone,
{
    let carried = carried.into_iter();
    let mut problems = BTreeMap::new();
    // most periods share no deal: one look at each list, nothing kept
    if !carried
        .clone()
        .any(|(_, list)| list.iter().any(|t| !t.split.is_empty()))
    {
        return problems;
    }
    let evaluated: std::collections::BTreeSet<&EmployeeId> = carried.clone().map(|(e, _)| e).collect();
    // each split transaction's copies: who carries it, where in their list
    let mut copies: BTreeMap<&TransactionId, Vec<(&EmployeeId, usize, &Transaction)>> = BTreeMap::new();
    for (employee, transactions) in carried {
        for (i, t) in transactions
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.split.is_empty())
        {
            copies.entry(&t.id).or_default().push((employee, i, t));
        }
    }
    let mut first = |employee: &EmployeeId, error: Error| {
        problems.entry(employee.clone()).or_insert(error);
    };
    for (id, copies) in &copies {
        let Some(&(by, by_at, reference)) = copies.first() else {
            continue;
        };
        for &(other, i, copy) in copies.iter().skip(1) {
            if let Some(what) = differs(reference, copy) {
                let error = |at: usize| {
                    in_list(
                        at,
                        Error::invalid_input(format!(
                            "transaction {id} is not the same in the inputs of {by} and {other}: {what}"
                        )),
                    )
                };
                first(by, error(by_at));
                first(other, error(i));
            }
        }
        for share in &reference.split {
            if evaluated.contains(&share.employee) && !copies.iter().any(|(e, _, _)| *e == &share.employee) {
                first(
                    &share.employee,
                    Error::invalid_input(format!(
                        "transaction {id} (in the inputs of {by}) credits {} with a share of {}, but {}'s inputs do not carry it",
                        share.employee, share.share, share.employee
                    ))
                    .with_path("transactions"),
                );
            }
        }
    }
    problems
}

/// How two copies of one transaction differ, if they do (`paid` aside:
/// each seller's own).
fn differs(a: &Transaction, b: &Transaction) -> Option<String> {
    if a.date != b.date {
        return Some(format!("date {} and {}", a.date, b.date));
    }
    if a.amount != b.amount {
        return Some(format!("amount {} and {}", a.amount, b.amount));
    }
    if a.refunds != b.refunds {
        let name = |r: &Option<TransactionId>| {
            r.as_ref()
                .map_or_else(|| "nothing".to_owned(), ToString::to_string)
        };
        return Some(format!("refunds {} and {}", name(&a.refunds), name(&b.refunds)));
    }
    // a refund's part of a split deal is every seller's part of it
    for (field, x, y) in [
        ("part", a.returned(), b.returned()),
        (
            "refunded",
            a.refunded.unwrap_or_default(),
            b.refunded.unwrap_or_default(),
        ),
    ] {
        if x != y {
            return Some(format!("{field} {x} and {y}"));
        }
    }
    fn shares(t: &Transaction) -> Vec<(&EmployeeId, Decimal)> {
        let mut shares: Vec<(&EmployeeId, Decimal)> =
            t.split.iter().map(|s| (&s.employee, s.share)).collect();
        shares.sort();
        shares
    }
    if shares(a) != shares(b) {
        let written = |t: &Transaction| {
            t.split
                .iter()
                .map(|s| format!("{} {}", s.employee, s.share))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Some(format!("shares {} and {}", written(a), written(b)));
    }
    None
}

/// What refunds can still reach of a deal, followed refund by refund.
#[derive(Clone, Copy)]
struct Held {
    /// What it paid (for a deal of an earlier period, what `paid` said).
    paid: Decimal,
    /// What it still has paid.
    still: Decimal,
    /// Its amount not yet refunded.
    left: Decimal,
    /// Whether it is a deal of this period (a deal of an earlier one is
    /// followed from its first refund in this one).
    this_period: bool,
}

/// What one deal paid.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct DealPayout {
    /// The transaction.
    pub transaction: TransactionId,
    /// The employee's credit from it.
    pub credit: Decimal,
    /// The commission it paid (negative for a refund's clawback).
    pub amount: Decimal,
    /// For a refund: the transaction it reversed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunds: Option<TransactionId>,
}

/// The commission of a period's transactions: deals paid one by one at the
/// running attainment, refunds clawed back.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealsOutcome<R = Explanation> {
    /// The commission of the deals (clawbacks not included).
    pub amount: Decimal,
    /// The period's net credit: deals less refunds.
    pub credit: Decimal,
    /// Each deal and refund, in the order paid.
    pub deals: Vec<DealPayout>,
    /// The commission's step, a child per deal.
    pub explanation: R,
    /// Each refund's clawback step, in order.
    pub clawbacks: Vec<R>,
}

impl Commission {
    /// The commission of `employee`'s `transactions` of a period: each deal
    /// in (date, id) order (a day's refunds after its deals) through this rule — tiers, gates, multipliers
    /// and rounding — as a deal on top of the running credit (starting at
    /// `prior`, the year's or quarter's credit when attainment carries);
    /// each refund reverses exactly what its deal paid (this period's, or
    /// `paid` for an earlier period's) and takes its credit back.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) with the
    /// path `transactions[i]…`: a bad split, a transaction listed twice, a
    /// refund of a transaction that is neither in the period nor carries
    /// `paid`; what the rule reports.
    pub fn evaluate_transactions_with<R: Recorder>(
        &self,
        employee: &EmployeeId,
        transactions: &[Transaction],
        prior: Decimal,
        metrics: &dyn crate::metric::Metrics,
    ) -> Result<DealsOutcome<R>> {
        self.evaluate_transactions_in(employee, transactions, prior, metrics, &mut Static::new())
    }

    /// [`evaluate_transactions_with`](Self::evaluate_transactions_with),
    /// its steps written to `rec`.
    pub(crate) fn evaluate_transactions_in<Q: Sink>(
        &self,
        employee: &EmployeeId,
        transactions: &[Transaction],
        prior: Decimal,
        metrics: &dyn crate::metric::Metrics,
        rec: &mut Q,
    ) -> Result<DealsOutcome<Q::Step>> {
        let mut order: Vec<(usize, &Transaction)> = transactions.iter().enumerate().collect();
        // a day's deals before its refunds: a deal refunded the day it was
        // made is found by its refund, whatever their ids
        order.sort_by(|(_, a), (_, b)| {
            (a.date, a.refunds.is_some(), &a.id).cmp(&(b.date, b.refunds.is_some(), &b.id))
        });
        let mut run = Deals {
            rule: self,
            metrics,
            running: prior,
            held: BTreeMap::new(),
            seen: BTreeSet::new(),
            out: Sum {
                amount: Decimal::ZERO,
                credit: Decimal::ZERO,
                deals: Vec::with_capacity(order.len()),
                steps: Vec::new(),
                clawbacks: Vec::new(),
            },
        };
        for (i, t) in order {
            let credit = t.credit_of(employee).map_err(|e| in_list(i, e))?;
            listed_once(&mut run.seen, t).map_err(|e| in_list(i, e))?;
            match &t.refunds {
                Some(of) => run.refund(i, t, of, credit, rec)?,
                None => run.deal(i, t, credit, rec)?,
            }
        }
        let Sum {
            amount,
            credit,
            deals,
            steps,
            clawbacks,
        } = run.out;
        // `1,700.00 T-1 + 900.00 T-3`: each deal paid, in order, its step a
        // child
        let explanation = rec.record(|| {
            let mut step = Explanation::money(self.label.clone(), amount);
            step.reserve_children(steps.len());
            let mut paid = deals.iter().filter(|d| d.refunds.is_none()).peekable();
            if paid.peek().is_none() {
                return step.text(&msg::NO_TRANSACTIONS);
            }
            step.joined(
                &msg::PLUS,
                paid.map(|d| {
                    [
                        Term::value(d.amount, Unit::Money),
                        Term::text(&msg::SPACE),
                        Term::text(&d.transaction),
                    ]
                }),
            )
        });
        Ok(DealsOutcome {
            amount,
            credit,
            deals,
            explanation: rec.children(explanation, steps),
            clawbacks,
        })
    }
}

/// What a period's deals have made so far: the outcome's figures, and
/// each deal's step (the children of the sum's, made last).
struct Sum<S> {
    amount: Decimal,
    credit: Decimal,
    deals: Vec<DealPayout>,
    steps: Vec<S>,
    clawbacks: Vec<S>,
}

/// A period's transactions paid one by one: the running credit, what each
/// deal still holds for its refunds, and the outcome so far.
struct Deals<'a, R> {
    rule: &'a Commission,
    metrics: &'a dyn crate::metric::Metrics,
    /// The credit so far, from the period's `prior`.
    running: Decimal,
    held: BTreeMap<&'a TransactionId, Held>,
    seen: BTreeSet<&'a TransactionId>,
    out: Sum<R>,
}

impl<'a, S> Deals<'a, S> {
    /// Deal `i` (`t`, crediting `credit`) through the rule, on top of the
    /// running credit.
    fn deal<Q: Sink<Step = S>>(
        &mut self,
        i: usize,
        t: &'a Transaction,
        credit: Decimal,
        rec: &mut Q,
    ) -> Result<()> {
        let ctx = CommissionContext::new(credit, self.metrics).with_prior(self.running);
        let deal = self.rule.evaluate_in(&ctx, rec).map_err(|e| in_list(i, e))?;
        self.running = self.running.try_add(credit)?;
        self.out.credit = self.out.credit.try_add(credit)?;
        self.out.amount = self.out.amount.try_add(deal.amount)?;
        self.held.insert(
            &t.id,
            Held {
                paid: deal.amount,
                still: deal.amount,
                left: t.amount,
                this_period: true,
            },
        );
        let deal_step = rec.map(deal.explanation, |e| {
            e.with_label(msg::DEAL_NAMED.with([Term::text(t.id.to_string())]))
        });
        self.out.steps.push(deal_step);
        self.out.deals.push(DealPayout {
            transaction: t.id.clone(),
            credit,
            amount: deal.amount,
            refunds: None,
        });
        Ok(())
    }

    /// Refund `i` (`t`, of the deal `of`, taking back `credit`): it
    /// reverses what that deal still has paid, in the part of what is left
    /// of it that the refund returns.
    fn refund<Q: Sink<Step = S>>(
        &mut self,
        i: usize,
        t: &'a Transaction,
        of: &'a TransactionId,
        credit: Decimal,
        rec: &mut Q,
    ) -> Result<()> {
        // a deal of this period, or of an earlier one as `paid` says
        let kept = match (self.held.get(of), t.paid) {
            (Some(kept), _) if kept.this_period && t.refunded.is_some() => {
                return Err(in_list(i, refunded_in_period(t, of)));
            }
            (Some(&kept), _) => kept,
            (None, Some(paid)) => Held {
                paid,
                still: paid,
                left: left_from_earlier(t)?,
                this_period: false,
            },
            (None, None) => {
                return Err(in_list(
                    i,
                    Error::invalid_input(format!(
                        "refund {} reverses {of}, which is not a transaction of this period: give what it paid",
                        t.id
                    ))
                    .with_path("paid"),
                ));
            }
        };
        let (part, left) = (t.returned(), kept.left);
        let after = left_after(t, of, left).map_err(|e| in_list(i, e))?;
        // the whole of what is left takes back all that is still
        // paid: parts add up to the deal's commission exactly
        let reversed = if part == left {
            kept.still
        } else {
            self.rule.round(kept.still.try_mul(part)?.try_div(left)?)
        };
        self.held.insert(
            of,
            Held {
                still: kept.still.try_sub(reversed)?,
                left: after,
                ..kept
            },
        );
        self.running = self.running.try_sub(credit)?;
        self.out.credit = self.out.credit.try_sub(credit)?;
        let clawback = Decimal::ZERO.try_sub(reversed)?;
        let clawback_step = rec.record(|| clawback_step(t, of, kept, part, credit, clawback));
        self.out.clawbacks.push(clawback_step);
        self.out.deals.push(DealPayout {
            transaction: t.id.clone(),
            credit: Decimal::ZERO.try_sub(credit)?,
            amount: clawback,
            refunds: Some(of.clone()),
        });
        Ok(())
    }
}

/// The step of refund `t`'s `clawback`: "the 1,700.00 paid on T-2", less
/// what refunds of this period took back before, times the `part` of what
/// was left of it.
fn clawback_step(
    t: &Transaction,
    of: &TransactionId,
    kept: Held,
    part: Decimal,
    credit: Decimal,
    clawback: Decimal,
) -> Explanation {
    let left = kept.left;
    let before = kept.paid.try_sub(kept.still).unwrap_or_default();
    let (less, share) = (!before.is_zero(), part != left);
    let mut step = Explanation::money(msg::CLAWBACK_OF.with([Term::text(of)]), clawback).terms([
        Term::text(&msg::REFUND),
        Term::text(&t.id),
        Term::text(&msg::REVERSES_THE),
    ]);
    if less && share {
        step = step.text(&msg::OPEN);
    }
    step = step.terms([
        Term::value(kept.paid, Unit::Money),
        Term::text(&msg::PAID_ON),
        Term::text(of),
    ]);
    if less {
        step = step.text(&msg::MINUS).value(before, Unit::Money);
    }
    if less && share {
        step = step.text(&msg::CLOSE);
    }
    if share {
        step = step.terms([
            Term::text(&msg::TIMES),
            Term::value(part, Unit::Money),
            Term::text(&msg::OVER),
            Term::value(left, Unit::Money),
        ]);
    }
    step.input(&msg::CREDIT, credit, Unit::Money)
}
