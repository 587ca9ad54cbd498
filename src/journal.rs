//! The payroll journal: a period's payslips as balanced ledger entries, for
//! the accountant's books.
//!
//! A [`Chart`] says where each pay-line code goes. Every line becomes one
//! debit and one credit of the same amount, so every journal balances —
//! per employee and in total, to the cent:
//!
//! | line | debit | credit |
//! |---|---|---|
//! | an earning (`BASE`, `COMMISSION`, …) | the code's `debit` (an expense) | `payable` (salaries payable) |
//! | a deduction (`WITHHOLDING`, the employee's part of a contribution) | `payable` | the code's `credit` (a liability) |
//! | an employer cost (the employer's part of a contribution) | the code's `debit` (an expense) | the code's `credit` (a liability) |
//! | the payment of net pay, when the chart has `net` | `payable` | `net` (the bank) |
//!
//! A negative amount (unpaid absence, a clawback) posts the same accounts
//! the other way round; an adjustment line `ADJ-<code>` posts to its line's
//! accounts; information lines (`DAYS`) post nothing.
//!
//! **Corrections** reach the books when they are paid, never as edits: a
//! correction of a closed month carries its earning differences to the
//! next payslip as `ADJ-<code>` lines (see
//! [`Correction::payable`](crate::record::Correction::payable)), and that
//! month's journal posts them — an increase as an adjusting entry, a
//! decrease as a reversing one (credit the expense, debit the payable) —
//! each entry naming the correction it pays in its `source`. Deductions
//! and employer costs are computed again on that payslip (cumulative
//! withholding takes the extra earnings through the year to date), so
//! they are posted once, there. The month corrected keeps its journal.
//!
//! **Cost centres** ([`CostCentres`]) go on expense entries, per role or
//! per employee; a chart's [`Detail`] lists entries per employee or sums
//! them per account and cost centre.
//!
//! ```
//! use std::collections::BTreeMap;
//! use perfpay::Decimal;
//! use perfpay::journal::{Chart, Posting};
//!
//! let chart = Chart {
//!     payable: "2211".into(),
//!     net: Some("1002".into()),
//!     lines: BTreeMap::from([
//!         ("BASE".into(), Posting::debit("6601")),
//!         ("WITHHOLDING".into(), Posting::credit("2221")),
//!     ]),
//!     ..Chart::default()
//! };
//! assert_eq!(chart.posting("ADJ-BASE").and_then(|p| p.debit.as_deref()), Some("6601"));
//! ```

use std::collections::BTreeMap;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::id::{EmployeeId, RoleId};
use crate::money::{Currency, DecimalExt};
use crate::payroll::{LineKind, Payslip};
use crate::period::Period;
use crate::text::Text;

/// The accounts of one pay-line code: `debit` for what it costs (an
/// earning's or an employer cost's expense), `credit` for what is owed (a
/// deduction's or an employer cost's liability).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Posting {
    /// The account debited: an expense.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debit: Option<String>,
    /// The account credited: a liability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

impl Posting {
    /// A code debited to `account` (an earning).
    pub fn debit(account: impl Into<String>) -> Posting {
        Posting {
            debit: Some(account.into()),
            credit: None,
        }
    }

    /// A code credited to `account` (a deduction).
    pub fn credit(account: impl Into<String>) -> Posting {
        Posting {
            debit: None,
            credit: Some(account.into()),
        }
    }

    /// A code debited to `debit` and credited to `credit` (a contribution:
    /// the employee's part credits the liability, the employer's part
    /// debits the expense and credits the liability).
    pub fn both(debit: impl Into<String>, credit: impl Into<String>) -> Posting {
        Posting {
            debit: Some(debit.into()),
            credit: Some(credit.into()),
        }
    }
}

/// Where a plan's pay lines go in the books (the plan's `[journal]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Chart {
    /// Salaries payable: credited with gross, debited with deductions and
    /// with the payment.
    pub payable: String,
    /// The account net pay is paid from (the bank); without it the journal
    /// leaves net pay in `payable`, to be paid by the host's own entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net: Option<String>,
    /// Each pay-line code's accounts.
    #[serde(default)]
    pub lines: BTreeMap<String, Posting>,
    /// The cost centres expenses are charged to, by role and by employee.
    #[serde(default, skip_serializing_if = "CostCentres::is_empty")]
    pub cost_centres: CostCentres,
    /// How entries are listed: per employee (the default) or summed per
    /// account and cost centre.
    #[serde(default, skip_serializing_if = "Detail::is_employee")]
    pub detail: Detail,
}

/// The cost centres a chart charges expenses to: an employee's own, else
/// their role's, else none. Only expense entries (an earning's or an
/// employer cost's `debit` account) carry one; liabilities, the payable and
/// the bank do not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CostCentres {
    /// Per role (`sales = "CC-SALES"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<RoleId, String>,
    /// Per employee, before their role's (a host's own assignment).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub employees: BTreeMap<EmployeeId, String>,
}

impl CostCentres {
    /// No cost centre at all.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.employees.is_empty()
    }

    /// The cost centre of `employee` in `role`.
    pub fn of(&self, employee: &EmployeeId, role: Option<&RoleId>) -> Option<&str> {
        self.employees
            .get(employee)
            .or_else(|| role.and_then(|r| self.roles.get(r)))
            .map(String::as_str)
    }
}

/// How a journal lists its entries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// Each employee's lines, each line its debit and its credit.
    #[default]
    Employee,
    /// One debit and one credit total per account and cost centre, for
    /// books that keep payroll in totals (the employees stay on the
    /// payslips).
    Account,
}

impl Detail {
    /// Whether it is the default, [`Detail::Employee`].
    pub fn is_employee(&self) -> bool {
        *self == Detail::Employee
    }
}

impl Chart {
    /// The accounts of a code; an adjustment `ADJ-<code>` has its line's.
    pub fn posting(&self, code: &str) -> Option<&Posting> {
        self.lines
            .get(code)
            .or_else(|| code.strip_prefix("ADJ-").and_then(|of| self.lines.get(of)))
    }

    /// The debit and credit accounts of a line of `kind` and `code`
    /// (with whether the debit is an expense, which carries the cost
    /// centre), or what is missing.
    fn accounts(
        &self,
        code: &str,
        kind: LineKind,
    ) -> core::result::Result<Option<(&str, &str, bool)>, &'static str> {
        let posting = self.posting(code);
        let debit = posting.and_then(|p| p.debit.as_deref());
        let credit = posting.and_then(|p| p.credit.as_deref());
        let payable = self.payable.as_str();
        match kind {
            LineKind::Earning => debit.map(|d| Some((d, payable, true))).ok_or("debit"),
            LineKind::Deduction => credit.map(|c| Some((payable, c, false))).ok_or("credit"),
            LineKind::EmployerCost => match (debit, credit) {
                (Some(d), Some(c)) => Ok(Some((d, c, true))),
                (None, _) => Err("debit"),
                (Some(_), None) => Err("credit"),
            },
            // information lines post nothing; a kind added later is not
            // posted until the chart can say where
            _ => Ok(None),
        }
    }

    /// The codes of `needs` the chart cannot post: each with the side it
    /// lacks, as problems under `path` (`journal.lines.BONUS: no debit
    /// account`).
    pub fn check(&self, needs: &[(Text, LineKind)], path: &str) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.payable.trim().is_empty() {
            problems.push(Problem::new(format!("{path}.payable"), "no account"));
        }
        for (code, kind) in needs {
            if let Err(side) = self.accounts(code, *kind) {
                problems.push(Problem::new(
                    format!("{path}.lines.{code}"),
                    format!("no {side} account for the {} line {code}", kind_name(*kind)),
                ));
            }
        }
        problems
    }
}

/// A line kind in words, for a problem.
fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Earning => "earning",
        LineKind::Deduction => "deduction",
        LineKind::EmployerCost => "employer-cost",
        _ => "information",
    }
}

/// One journal entry: an amount on one side of one account.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Entry {
    /// The account.
    pub account: String,
    /// The amount debited (zero when credited).
    pub debit: Decimal,
    /// The amount credited (zero when debited).
    pub credit: Decimal,
    /// The cost centre of an expense entry, when the chart has one for
    /// the employee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_centre: Option<String>,
    /// The employee whose pay line it posts; `None` in a journal summed
    /// per account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee: Option<EmployeeId>,
    /// The pay-line code it posts (`NET` for the payment); `None` in a
    /// journal summed per account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Text>,
    /// What the pay line refers to: an award, a grade, or for an
    /// adjustment the correction it pays (`2026-11 correction 1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
}

/// A period's payroll journal.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Journal {
    /// The period the entries belong to (dated its last day).
    pub period: Period,
    /// The plan version the pay was made under (`sample-shop v1`), empty
    /// for a journal of payslips alone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub plan: String,
    /// The fingerprint of that plan version, empty for a journal of
    /// payslips alone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub plan_fingerprint: String,
    /// The currency of every amount (the plan's); `None` for a journal of
    /// payslips alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// How the entries are listed.
    #[serde(default, skip_serializing_if = "Detail::is_employee")]
    pub detail: Detail,
    /// The entries. Per employee: each employee's lines in payslip order,
    /// each line its debit then its credit, the payment last. Per account:
    /// by account and cost centre, the debit total before the credit
    /// total.
    pub entries: Vec<Entry>,
}

impl Journal {
    /// The journal of `payslips` under `chart`, each with the employee's
    /// role when there is one (it picks the role's cost centre), listed as
    /// the chart's [`Detail`] says.
    ///
    /// # Errors
    ///
    /// A line whose code the chart cannot post (naming the employee, the
    /// code and the missing side), or a total that overflows; nothing is
    /// returned half-made.
    pub fn of<'a>(
        period: Period,
        payslips: impl IntoIterator<Item = (&'a Payslip, Option<&'a RoleId>)>,
        chart: &Chart,
    ) -> Result<Journal> {
        let mut entries = Vec::new();
        for (slip, role) in payslips {
            let centre = chart.cost_centres.of(&slip.employee, role);
            for line in &slip.lines {
                let accounts = chart.accounts(&line.code, line.kind).map_err(|side| {
                    Error::data(format!(
                        "the journal has no {side} account for the {} line {}",
                        kind_name(line.kind),
                        line.code
                    ))
                    .with_employee(slip.employee.clone())
                    .with_path(format!("journal.lines.{}", line.code))
                })?;
                if let Some((debit, credit, expense)) = accounts {
                    let line_ref = Posted {
                        employee: &slip.employee,
                        code: &line.code,
                        source: line.source.as_ref(),
                        centre: centre.filter(|_| expense),
                    };
                    post(&mut entries, &line_ref, debit, credit, line.amount);
                }
            }
            if let Some(bank) = &chart.net {
                let payment = Posted {
                    employee: &slip.employee,
                    code: &crate::text!("NET"),
                    source: None,
                    centre: None,
                };
                post(&mut entries, &payment, &chart.payable, bank, slip.net);
            }
        }
        let journal = Journal {
            period,
            plan: String::new(),
            plan_fingerprint: String::new(),
            currency: None,
            detail: Detail::Employee,
            entries,
        };
        match chart.detail {
            Detail::Employee => Ok(journal),
            Detail::Account => journal.per_account(),
        }
    }

    /// The same journal summed per account and cost centre: one debit
    /// total and one credit total each (a side with nothing left out), in
    /// account and cost-centre order. It balances exactly as the detailed
    /// one does, and each account's balance is the same.
    ///
    /// # Errors
    ///
    /// A total that overflows.
    pub fn per_account(&self) -> Result<Journal> {
        let mut sums: BTreeMap<(&str, Option<&str>), (Decimal, Decimal)> = BTreeMap::new();
        for e in &self.entries {
            let (debit, credit) = sums
                .entry((e.account.as_str(), e.cost_centre.as_deref()))
                .or_default();
            *debit = debit.try_add(e.debit)?;
            *credit = credit.try_add(e.credit)?;
        }
        let entry = |account: &str, centre: Option<&str>, debit, credit| Entry {
            account: account.to_owned(),
            debit,
            credit,
            cost_centre: centre.map(str::to_owned),
            employee: None,
            code: None,
            source: None,
        };
        let mut entries = Vec::new();
        for ((account, centre), (debit, credit)) in sums {
            if !debit.is_zero() {
                entries.push(entry(account, centre, debit, Decimal::ZERO));
            }
            if !credit.is_zero() {
                entries.push(entry(account, centre, Decimal::ZERO, credit));
            }
        }
        Ok(Journal {
            period: self.period,
            plan: self.plan.clone(),
            plan_fingerprint: self.plan_fingerprint.clone(),
            currency: self.currency,
            detail: Detail::Account,
            entries,
        })
    }

    /// The same journal, referring to the plan version the pay was made
    /// under.
    #[must_use]
    pub fn under(mut self, plan: impl Into<String>, fingerprint: impl Into<String>) -> Journal {
        self.plan = plan.into();
        self.plan_fingerprint = fingerprint.into();
        self
    }

    /// The same journal, its amounts in `currency`.
    #[must_use]
    pub fn in_currency(mut self, currency: Currency) -> Journal {
        self.currency = Some(currency);
        self
    }

    /// The date of every entry: the period's last day.
    pub fn date(&self) -> chrono::NaiveDate {
        self.period.last_day()
    }

    /// The journal as CSV for an accounting package to import (feature
    /// `export`), one row per entry under this header:
    ///
    /// `date,account,debit,credit,currency,cost_centre,employee,code,source,period,plan,plan_fingerprint`
    ///
    /// Dates are ISO 8601 (`2026-11-30`); amounts are written exactly as
    /// the payslips hold them (`5500.00`, `0` on the other side), with `.`
    /// as the decimal point; a field the entry has not (a cost centre, or
    /// the employee in a journal per account) is empty.
    ///
    /// # Errors
    ///
    /// Only if the CSV writer fails, which it does not writing to memory.
    #[cfg(feature = "export")]
    pub fn to_csv(&self) -> Result<String> {
        let header = [
            "date",
            "account",
            "debit",
            "credit",
            "currency",
            "cost_centre",
            "employee",
            "code",
            "source",
            "period",
            "plan",
            "plan_fingerprint",
        ];
        let date = self.date().to_string();
        let period = self.period.to_string();
        let currency = self.currency.map_or("", |c| c.code());
        csv_text("the journal", header, |out| {
            for e in &self.entries {
                out.write_record([
                    date.as_str(),
                    e.account.as_str(),
                    &e.debit.to_string(),
                    &e.credit.to_string(),
                    currency,
                    e.cost_centre.as_deref().unwrap_or_default(),
                    e.employee.as_ref().map_or("", EmployeeId::as_str),
                    e.code.as_deref().unwrap_or_default(),
                    e.source.as_deref().unwrap_or_default(),
                    period.as_str(),
                    self.plan.as_str(),
                    self.plan_fingerprint.as_str(),
                ])?;
            }
            Ok(())
        })
    }

    /// The sums of debits and of credits.
    ///
    /// # Errors
    ///
    /// A sum that overflows.
    pub fn totals(&self) -> Result<(Decimal, Decimal)> {
        let mut debits = Decimal::ZERO;
        let mut credits = Decimal::ZERO;
        for e in &self.entries {
            debits = debits.try_add(e.debit)?;
            credits = credits.try_add(e.credit)?;
        }
        Ok((debits, credits))
    }

    /// Each account's balance, debits minus credits, in account order.
    ///
    /// # Errors
    ///
    /// A sum that overflows.
    pub fn balances(&self) -> Result<BTreeMap<&str, Decimal>> {
        let mut out: BTreeMap<&str, Decimal> = BTreeMap::new();
        for e in &self.entries {
            let balance = out.entry(e.account.as_str()).or_default();
            *balance = balance.try_add(e.debit)?.try_sub(e.credit)?;
        }
        Ok(out)
    }

    /// Each cost centre's balance per account, debits minus credits, in
    /// account and cost-centre order: what each team's work cost, account by
    /// account. Only expense entries carry a cost centre, so the other
    /// accounts do not appear; an account's centres add up to its balance
    /// when every employee has one.
    ///
    /// # Errors
    ///
    /// A sum that overflows.
    pub fn cost_centre_balances(&self) -> Result<BTreeMap<(&str, &str), Decimal>> {
        let mut out: BTreeMap<(&str, &str), Decimal> = BTreeMap::new();
        for e in &self.entries {
            if let Some(centre) = e.cost_centre.as_deref() {
                let balance = out.entry((e.account.as_str(), centre)).or_default();
                *balance = balance.try_add(e.debit)?.try_sub(e.credit)?;
            }
        }
        Ok(out)
    }
}

/// Whose line an entry posts, and where it is charged.
struct Posted<'a> {
    employee: &'a EmployeeId,
    code: &'a Text,
    source: Option<&'a Text>,
    /// The cost centre, when the debit account is an expense.
    centre: Option<&'a str>,
}

/// Posts `amount` from `debit` to `credit`: a negative amount the other way
/// round; a zero amount not at all. The expense (the line's `debit`
/// account, whichever side it lands on) carries the cost centre.
fn post(entries: &mut Vec<Entry>, line: &Posted<'_>, debit: &str, credit: &str, amount: Decimal) {
    if amount.is_zero() {
        return;
    }
    let entry = |account: &str, debit: Decimal, credit: Decimal, centre: Option<&str>| Entry {
        account: account.to_owned(),
        debit,
        credit,
        cost_centre: centre.map(str::to_owned),
        employee: Some(line.employee.clone()),
        code: Some(line.code.clone()),
        source: line.source.cloned(),
    };
    let size = amount.abs();
    if amount.is_sign_negative() {
        entries.push(entry(credit, size, Decimal::ZERO, None));
        entries.push(entry(debit, Decimal::ZERO, size, line.centre));
    } else {
        entries.push(entry(debit, size, Decimal::ZERO, line.centre));
        entries.push(entry(credit, Decimal::ZERO, size, None));
    }
}

/// One transfer of a bank payment list: an employee's net pay to the
/// account the host holds for them.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
pub struct Payment {
    /// Who is paid.
    pub employee: EmployeeId,
    /// The host's reference for the employee's bank account.
    pub account: String,
    /// Net pay.
    pub amount: Decimal,
    /// The currency (the plan's).
    pub currency: Currency,
    /// What the bank shows the employee: the plan and the period.
    pub reference: String,
}

/// The bank payment list of `payslips`: each employee's net pay to the
/// account `accounts` holds for them, in payslip order; a zero net pays
/// nothing.
///
/// ```
/// use std::collections::BTreeMap;
/// use perfpay::journal::payments;
///
/// use perfpay::money::Currency;
///
/// let none = payments(&[], &BTreeMap::new(), Currency::new("CNY")?, "sample-shop v1 2026-11")?;
/// assert!(none.is_empty());
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// # Errors
///
/// Employees the host holds no account for, every one of them named;
/// nothing is returned half-made.
pub fn payments<'a>(
    payslips: impl IntoIterator<Item = &'a Payslip>,
    accounts: &BTreeMap<EmployeeId, String>,
    currency: Currency,
    reference: &str,
) -> Result<Vec<Payment>> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for slip in payslips {
        if slip.net.is_zero() {
            continue;
        }
        match accounts.get(&slip.employee) {
            Some(account) => out.push(Payment {
                employee: slip.employee.clone(),
                account: account.clone(),
                amount: slip.net,
                currency,
                reference: reference.to_owned(),
            }),
            None => missing.push(Problem::new(slip.employee.as_str(), "no bank account reference")),
        }
    }
    if !missing.is_empty() {
        return Err(Error::data_problems(
            format!(
                "{} employees to pay have no bank account reference",
                missing.len()
            ),
            missing,
        ));
    }
    Ok(out)
}

/// A bank payment list as CSV (feature `export`) under this header:
/// `employee,account,amount,currency,reference`.
///
/// # Errors
///
/// Only if the CSV writer fails, which it does not writing to memory.
#[cfg(feature = "export")]
pub fn payments_csv(payments: &[Payment]) -> Result<String> {
    let header = ["employee", "account", "amount", "currency", "reference"];
    csv_text("the payment list", header, |out| {
        for p in payments {
            out.write_record([
                p.employee.as_str(),
                p.account.as_str(),
                &p.amount.to_string(),
                p.currency.code(),
                p.reference.as_str(),
            ])?;
        }
        Ok(())
    })
}

/// A CSV file in memory: `header`, then the rows `rows` writes.
#[cfg(feature = "export")]
fn csv_text<const N: usize>(
    what: &str,
    header: [&str; N],
    rows: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> Result<String> {
    let fail = |e: &dyn std::fmt::Display| Error::data(format!("{what} could not be written as CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(|e| fail(&e))?;
    rows(&mut out).map_err(|e| fail(&e))?;
    let bytes = out.into_inner().map_err(|e| fail(&e))?;
    String::from_utf8(bytes).map_err(|e| fail(&e))
}
