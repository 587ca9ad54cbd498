//! The records of a closed period: what was paid, and its corrections.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::explain::Explanation;
use crate::id::EmployeeId;
use crate::incentive::{Award, AwardKey};
use crate::payroll::{LineKind, PayItem, PayLine};
use crate::period::Period;
use crate::record::{EmployeeInputs, PeriodOutcome};

/// A closed period as stored: every employee's inputs, exactly as gathered,
/// and the outcome computed from them. Keeping the inputs is what lets a
/// period be re-evaluated under a corrected plan, and lets an auditor
/// recompute every fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedPeriod {
    /// The inputs, one per employee, as gathered through the ports.
    pub inputs: Vec<EmployeeInputs>,
    /// The outcome that was paid.
    pub outcome: PeriodOutcome,
}

/// A closed period re-evaluated under a corrected plan. The stored outcome
/// is never edited: the correction holds the corrected outcome and the
/// differences, and its earning differences are paid with the next payslip
/// (see [`Correction::payable`]).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The corrected period.
    pub period: Period,
    /// 1 for the first correction of the period, 2 for the next, …
    pub sequence: u32,
    /// The fingerprint of the plan whose outcome this corrects (the plan
    /// that closed the period, or the previous correction's).
    pub replaces: String,
    /// The period re-evaluated from the stored inputs under the corrected plan.
    pub outcome: PeriodOutcome,
    /// Per employee, the difference lines against the outcome replaced
    /// (`ADJ-<code>`, see [`adjustments`](crate::adjustments)); employees without a difference
    /// are absent.
    pub adjustments: BTreeMap<EmployeeId, Vec<PayLine>>,
    /// Awards the corrected plan grants that the replaced outcome did not.
    pub awards_added: Vec<Award>,
    /// Awards of the replaced outcome that the corrected plan does not grant.
    /// Cash awards are reversed through the adjustment lines; points and
    /// honours are reported here for the host to withdraw (a points ledger
    /// never goes negative, so perfpay does not debit it on its own).
    pub awards_withdrawn: Vec<Award>,
    /// Points awards the corrected plan grants with other points (the same
    /// award key): the ledger moves by the difference, a reversal entry,
    /// never an edit of the original credit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points_changed: Vec<PointsChange>,
    /// Per employee, the commission credit so far `(year, quarter)` this
    /// correction used in place of the closed inputs' year-to-date state:
    /// the credit the latest correction of the period before left, when it
    /// differs (a corrected earlier month re-flows into this month's
    /// attainment). The closed inputs with these credits are the inputs the
    /// correction's fingerprints are of.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub carried_credit: BTreeMap<EmployeeId, (Decimal, Decimal)>,
}

/// A points award whose points a correction changes (200 → 300 points for
/// the same training event).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsChange {
    /// Whose award.
    pub employee: EmployeeId,
    /// The award's key (the same before and after).
    pub key: AwardKey,
    /// Points credited before the correction.
    pub before: Decimal,
    /// Points the corrected plan grants.
    pub after: Decimal,
    /// What the ledger moves: `after − before` when that is a credit; a
    /// debit as far as the balance covers it (a ledger never goes
    /// negative).
    pub moved: Decimal,
    /// Of a debit, the points the balance could not cover: reported, not
    /// applied (the employee has spent them).
    pub unapplied: Decimal,
}

impl PointsChange {
    /// The ledger's source for this change: the award key and the
    /// correction, so each correction's entry is its own.
    pub fn source(&self, correction: u32) -> String {
        format!("{} (correction {correction})", self.key)
    }
}

impl Correction {
    /// The earning differences of `employee`, as items for the next
    /// payslip. Deductions and employer costs are not carried: they are
    /// computed again on the payslip that pays the adjustment (cumulative
    /// withholding picks the extra earnings up through the year to date).
    pub fn payable(&self, employee: &EmployeeId) -> Vec<PayItem> {
        self.adjustments
            .get(employee)
            .into_iter()
            .flatten()
            .filter(|line| line.kind == LineKind::Earning)
            .map(|line| PayItem {
                code: line.code.clone(),
                amount: line.amount,
                source: Some(
                    format!(
                        "{} correction {}{}",
                        self.period,
                        self.sequence,
                        line.source
                            .as_deref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default()
                    )
                    .into(),
                ),
                explanation: Explanation::money(
                    format!("{} of {}, correction {}", line.code, self.period, self.sequence),
                    line.amount,
                )
                .child(line.explanation.clone()),
            })
            .collect()
    }
}
