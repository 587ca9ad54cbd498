//! Review before pay: a close or a correction kept as a draft until a
//! person approves it, and the append-only log of who did what and when.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::id::PlanId;
use crate::period::Period;
use crate::record::{ClosedPeriod, Correction, PeriodOutcome};

/// Who did something and when. The host supplies both: the core reads no
/// clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// The person (or system) acting, as the host names them.
    pub actor: String,
    /// When, as the host's clock says.
    pub at: DateTime<Utc>,
}

impl Signature {
    /// `actor` acting `at`.
    pub fn new(actor: impl Into<String>, at: DateTime<Utc>) -> Signature {
        Signature {
            actor: actor.into(),
            at,
        }
    }
}

/// Which piece of work a draft holds: the close of a period (`correction`
/// 0) or its n-th correction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DraftId {
    /// The period closed or corrected.
    pub period: Period,
    /// 0 for the close, n for the period's n-th correction.
    pub correction: u32,
}

impl DraftId {
    /// The close of `period`.
    pub fn close(period: Period) -> DraftId {
        DraftId {
            period,
            correction: 0,
        }
    }

    /// The `sequence`-th correction of `period`.
    pub fn correction(period: Period, sequence: u32) -> DraftId {
        DraftId {
            period,
            correction: sequence,
        }
    }
}

impl fmt::Display for DraftId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.correction {
            0 => write!(f, "the close of {}", self.period),
            n => write!(f, "correction {n} of {}", self.period),
        }
    }
}

/// The work a draft holds, evaluated and ready to commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftWork {
    /// A period's close: its inputs and outcome.
    Close(ClosedPeriod),
    /// A correction of a closed period.
    Correction(Correction),
}

/// A close or a correction evaluated and kept, not yet paid: approving it
/// commits it as [`Storage::commit`](crate::ports::Storage::commit) or
/// [`Storage::commit_correction`](crate::ports::Storage::commit_correction)
/// would; discarding it drops it.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The plan the work was evaluated under (its document is kept with the
    /// draft).
    pub plan: PlanId,
    /// The plan's version.
    pub plan_version: u32,
    /// What approving commits.
    pub work: DraftWork,
    /// Who prepared it and when.
    pub prepared: Signature,
}

impl Draft {
    /// A draft of `work` evaluated under plan `plan` version `plan_version`.
    pub fn new(plan: PlanId, plan_version: u32, work: DraftWork, prepared: Signature) -> Draft {
        Draft {
            plan,
            plan_version,
            work,
            prepared,
        }
    }

    /// Which work this is.
    pub fn id(&self) -> DraftId {
        match &self.work {
            DraftWork::Close(closed) => DraftId::close(closed.outcome.period),
            DraftWork::Correction(c) => DraftId::correction(c.period, c.sequence),
        }
    }

    /// The outcome approving it pays: the close's, or the corrected one.
    pub fn outcome(&self) -> &PeriodOutcome {
        match &self.work {
            DraftWork::Close(closed) => &closed.outcome,
            DraftWork::Correction(c) => &c.outcome,
        }
    }
}

/// What an audit entry records.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A draft was prepared and kept.
    Prepared,
    /// A draft was approved: its work is committed and paid.
    Approved,
    /// A draft was discarded: nothing of it is paid.
    Discarded,
}

impl AuditAction {
    /// The action as stored: `prepared`, `approved`, `discarded`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Prepared => "prepared",
            AuditAction::Approved => "approved",
            AuditAction::Discarded => "discarded",
        }
    }
}

/// One line of the append-only audit log.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The draft acted on.
    pub draft: DraftId,
    /// What was done.
    pub action: AuditAction,
    /// Who and when.
    pub by: Signature,
    /// The fingerprint of the plan the draft's outcome was evaluated under.
    pub plan_fingerprint: String,
}

impl AuditEntry {
    /// `action` on `draft` by `by`.
    pub fn new(draft: &Draft, action: AuditAction, by: Signature) -> AuditEntry {
        AuditEntry {
            draft: draft.id(),
            action,
            by,
            plan_fingerprint: draft.outcome().plan_fingerprint.clone(),
        }
    }
}
