//! The records of evaluation as plain data: an employee's inputs, the
//! outcomes an evaluation gives back, a closed period as stored and its
//! corrections.
//!
//! They sit below both evaluation's stages and the ports: the
//! [`Storage`](crate::ports::Storage) trait keeps them, the period close
//! writes them, and neither needs the other to name them.

mod closed;
mod draft;
mod inputs;
mod next;
mod outcome;

pub use closed::{ClosedPeriod, Correction, PointsChange};
pub use draft::{AuditAction, AuditEntry, Draft, DraftId, DraftWork, Signature};
pub use inputs::EmployeeInputs;
pub(crate) use inputs::in_employee_order;
pub use next::{Distance, Moves, NextReward, Reward};
pub(crate) use outcome::{Achievements, StaffFigures, StaffStats, period_findings, role_findings};
pub use outcome::{EmployeeOutcome, OutcomeError, PeriodOutcome, Stage, TeamOutcome};
