//! The [`Storage`] contract as one suite, for every adapter: perfpay runs
//! it against its in-memory and SQLite stores, and a host runs it against
//! its own (a PostgreSQL adapter is right when it passes).
//!
//! Each law starts from a fresh, empty store and works on the sample shop
//! (`examples/shop.toml`): two sales staff closed for November 2026 under
//! version 1, corrected under version 2 (3.5 % above 100,000 instead of
//! 3 %), December closed after.

use std::sync::Barrier;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::InvariantViolation;
use crate::cycle::{correct_period, prepare_correction};
use crate::error::{Error, Result};
use crate::eval::evaluate_period;
use crate::id::{EmployeeId, EventId, MetricId, RoleId};
use crate::incentive::{Event, EventKind, Redemption};
use crate::payroll::PayrollYtd;
use crate::period::{Period, Timeline};
use crate::plan::{CompiledPlan, Plan};
use crate::ports::Storage;
use crate::record::{AuditAction, ClosedPeriod, Draft, DraftId, DraftWork, EmployeeInputs, Signature};

const SHOP: &str = include_str!("../../examples/shop.toml");

/// The laws [`check_storage`] checks, in the order it checks them.
pub const STORAGE_LAWS: [&str; 13] = [
    "a plan version is kept once",
    "a close is stored whole",
    "a period is closed once",
    "a refused commit stores nothing",
    "corrections follow in sequence",
    "adjustments are paid once",
    "a redemption is spent once",
    "a draft is paid only when approved",
    "a discarded draft pays nothing",
    "an approved correction pays its adjustments",
    "a draft of closed work is refused",
    "an approval after a close is refused whole",
    "concurrent closes pay once",
];

/// Checks every law of the [`Storage`] contract in [`STORAGE_LAWS`]
/// against stores `fresh` makes: each call gives two handles on one new,
/// empty store (for an adapter with connections, two connections; the
/// last law commits through both at once, from two threads).
///
/// Returns the laws that held — all of them.
///
/// ```
/// use std::sync::Arc;
/// use perfpay::ports::memory::MemoryStorage;
/// use perfpay::testing::conformance::{STORAGE_LAWS, check_storage};
///
/// let held = check_storage(|| {
///     let store = Arc::new(MemoryStorage::new());
///     Ok((Arc::clone(&store), store))
/// })?;
/// assert_eq!(held, STORAGE_LAWS);
/// # Ok::<(), perfpay::testing::InvariantViolation>(())
/// ```
///
/// # Errors
///
/// The first law that does not hold, with what the store did; a store
/// `fresh` could not make.
pub fn check_storage<S, F>(mut fresh: F) -> std::result::Result<Vec<&'static str>, InvariantViolation>
where
    S: Storage + Send,
    F: FnMut() -> Result<(S, S)>,
{
    let shop = Shop::new().map_err(|e| InvariantViolation::new("the sample shop compiles", e.to_string()))?;
    let laws: [fn(&Shop, &S, S) -> Checked; 13] = [
        plan_kept_once,
        close_stored_whole,
        closed_once,
        refused_commit_stores_nothing,
        corrections_follow,
        adjustments_paid_once,
        redemption_spent_once,
        draft_paid_when_approved,
        discarded_draft_pays_nothing,
        approved_correction_pays,
        draft_of_closed_work_refused,
        approval_after_close_refused,
        concurrent_closes_pay_once,
    ];
    let mut held = Vec::with_capacity(laws.len());
    for (law, check) in STORAGE_LAWS.into_iter().zip(laws) {
        let (store, other) = fresh().map_err(|e| {
            InvariantViolation::new(law, format!("no fresh store: {}", crate::error::chain(&e)))
        })?;
        check(&shop, &store, other).map_err(|problem| InvariantViolation::new(law, problem))?;
        held.push(law);
    }
    Ok(held)
}

/// A law's verdict: what went wrong, in words.
type Checked = std::result::Result<(), String>;

/// A step the law expects to succeed.
fn ok<T>(step: &str, result: Result<T>) -> std::result::Result<T, String> {
    result.map_err(|e| format!("{step} failed: {}", crate::error::chain(&e)))
}

/// A step the law expects to be refused.
fn refused<T: std::fmt::Debug>(step: &str, result: Result<T>) -> Checked {
    match result {
        Err(_) => Ok(()),
        Ok(value) => Err(format!("{step} was accepted ({value:?}); it must be refused")),
    }
}

/// Two values the law expects equal.
fn same<T: PartialEq + std::fmt::Debug>(what: &str, found: T, expected: T) -> Checked {
    if found == expected {
        Ok(())
    } else {
        Err(format!("{what}: found {found:?}, expected {expected:?}"))
    }
}

/// The sample the laws work on.
struct Shop {
    v1: CompiledPlan,
    v2: CompiledPlan,
    nov: Period,
    dec: Period,
    wu: EmployeeId,
    chen: EmployeeId,
}

fn at(hour: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn clerk() -> Signature {
    Signature::new("payroll clerk", at(9))
}

fn owner() -> Signature {
    Signature::new("owner", at(11))
}

impl Shop {
    fn new() -> Result<Shop> {
        let v1 = Plan::from_toml(SHOP)?.compile()?;
        let mut v2 = v1.plan().clone();
        v2.set("tiers.sales.tiers[1].rate", "0.035")?;
        v2.version = 2;
        Ok(Shop {
            v1,
            v2: v2.compile()?,
            nov: Period::month(2026, 11)?,
            dec: Period::month(2026, 12)?,
            wu: EmployeeId::new("sales-wu")?,
            chen: EmployeeId::new("sales-chen")?,
        })
    }

    /// The inputs of `period`: year-to-date state, granted keys and
    /// pending adjustments read from `store`, as the close gathers them.
    fn inputs(&self, period: &Period, store: &dyn Storage) -> Result<Vec<EmployeeInputs>> {
        let since = NaiveDate::from_ymd_opt(2025, 1, 1).ok_or_else(|| Error::data("sample date"))?;
        let sales = RoleId::new("sales")?;
        let m = |s: &str| MetricId::new(s);
        let rows = [
            (&self.wu, 6_000, 165_000, 11, 2),
            (&self.chen, 5_500, 90_000, 9, 1),
        ];
        let mut inputs = Vec::new();
        for (who, salary, sales_amount, achievement, repurchase) in rows {
            let ytd = match store.ytd_before(who, period)? {
                Some(y) => y,
                None => PayrollYtd::new(2026),
            };
            let training = Event::new(
                EventId::new(format!("training-{who}-{period}"))?,
                who.clone(),
                EventKind::TrainingCompleted,
                period.start(),
            );
            inputs.push(
                EmployeeInputs::new(
                    who.clone(),
                    sales.clone(),
                    Timeline::constant(since, Decimal::from(salary)),
                )
                .with_metrics([
                    (m("sales")?, Decimal::from(sales_amount)),
                    (m("sales_achievement")?, Decimal::new(achievement, 1)),
                    (m("repurchase")?, Decimal::new(repurchase, 1)),
                    (m("teamwork")?, Decimal::from(4)),
                ])
                .with_events([training])
                .with_ytd(ytd)
                .with_granted(store.granted(who)?)
                .with_adjustments(store.pending_adjustments(who)?),
            );
        }
        Ok(inputs)
    }

    /// `period` evaluated under `plan` from what `store` keeps.
    fn closed(&self, plan: &CompiledPlan, period: &Period, store: &dyn Storage) -> Result<ClosedPeriod> {
        let inputs = self.inputs(period, store)?;
        let outcome = evaluate_period(plan, period, &inputs)?;
        Ok(ClosedPeriod { inputs, outcome })
    }

    /// November closed under version 1.
    fn close_november(&self, store: &dyn Storage) -> std::result::Result<ClosedPeriod, String> {
        let closed = ok("evaluating November", self.closed(&self.v1, &self.nov, store))?;
        ok("closing November", store.commit(self.v1.plan(), &closed))?;
        Ok(closed)
    }
}

fn points(store: &dyn Storage, who: &EmployeeId) -> std::result::Result<Decimal, String> {
    Ok(ok("reading a ledger", store.ledger(who))?.balance())
}

fn plan_kept_once<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    let doc = shop.v1.plan();
    ok("saving a plan", store.save_plan(doc))?;
    ok("saving the same plan again", store.save_plan(doc))?;
    let mut edited = doc.clone();
    edited.effective = edited.effective.pred_opt().unwrap_or(edited.effective);
    refused(
        "saving another document under the same version",
        store.save_plan(&edited),
    )?;
    same(
        "the plan kept",
        ok("reading the plan", store.plan(&doc.id, doc.version))?,
        Some(doc.clone()),
    )?;
    same(
        "an unknown version",
        ok("reading a plan", store.plan(&doc.id, 9))?,
        None,
    )
}

fn close_stored_whole<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    let closed = shop.close_november(store)?;
    same(
        "the record",
        ok("reading November", store.record(&shop.nov))?.as_ref(),
        Some(&closed),
    )?;
    same(
        "the recorded inputs",
        ok("reading November's inputs", store.recorded_inputs(&shop.nov))?.as_ref(),
        Some(&closed.inputs),
    )?;
    same(
        "the recorded inputs of a period not closed",
        ok("reading December's inputs", store.recorded_inputs(&shop.dec))?,
        None,
    )?;
    let doc = shop.v1.plan();
    same(
        "the plan closed under",
        ok("reading the plan", store.plan(&doc.id, doc.version))?.as_ref(),
        Some(doc),
    )?;
    for o in &closed.outcome.employees {
        let paid = o.payslip.as_ref().map(|p| p.ytd);
        same(
            "the year-to-date state after November",
            ok("reading the state", store.ytd_before(&o.employee, &shop.dec))?,
            paid,
        )?;
        let granted = ok("reading granted keys", store.granted(&o.employee))?;
        if let Some(missing) = o.awards.iter().find(|a| !granted.contains(&a.key)) {
            return Err(format!("award {} was not kept as granted", missing.key));
        }
    }
    // the training course's 200 points reach the ledger
    same(
        "the points credited",
        points(store, &shop.wu)?,
        Decimal::from(200),
    )
}

fn closed_once<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    let closed = shop.close_november(store)?;
    refused("closing November again", store.commit(shop.v1.plan(), &closed))?;
    same(
        "the points after a refused close",
        points(store, &shop.wu)?,
        Decimal::from(200),
    )?;
    same(
        "the record",
        ok("reading November", store.record(&shop.nov))?,
        Some(closed),
    )
}

fn refused_commit_stores_nothing<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    let doc = shop.v1.plan();
    let mut edited = doc.clone();
    edited.effective = edited.effective.pred_opt().unwrap_or(edited.effective);
    ok("saving the edited plan", store.save_plan(&edited))?;
    let closed = ok("evaluating November", shop.closed(&shop.v1, &shop.nov, store))?;
    // the plan document of the close clashes with the one kept: refused
    refused("a close whose plan clashes", store.commit(doc, &closed))?;
    same(
        "the record",
        ok("reading November", store.record(&shop.nov))?,
        None,
    )?;
    same("the points", points(store, &shop.wu)?, Decimal::ZERO)?;
    same(
        "the state",
        ok("reading the state", store.ytd_before(&shop.wu, &shop.dec))?,
        None,
    )?;
    same(
        "granted keys",
        ok("reading keys", store.granted(&shop.wu))?.len(),
        0,
    )?;
    same(
        "the plan kept",
        ok("reading the plan", store.plan(&doc.id, doc.version))?,
        Some(edited),
    )
}

fn corrections_follow<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    refused(
        "correcting a period not closed",
        correct_period(&shop.v2, &shop.nov, store),
    )?;
    shop.close_november(store)?;
    let correction = ok("correcting November", correct_period(&shop.v2, &shop.nov, store))?
        .ok_or("version 2 changes nothing in November")?;
    same("the sequence", correction.sequence, 1)?;
    // the same correction again is out of sequence
    refused(
        "committing correction 1 twice",
        store.commit_correction(shop.v2.plan(), &correction),
    )?;
    same(
        "the corrections",
        ok("reading corrections", store.corrections(&shop.nov))?,
        vec![correction.clone()],
    )?;
    // 65,000 above 100,000 × 0.5 % more for Wu, owed with the next payslip
    let pending = ok("reading adjustments", store.pending_adjustments(&shop.wu))?;
    same("Wu's adjustments", pending, correction.payable(&shop.wu))?;
    let owed: Decimal = correction.payable(&shop.wu).iter().map(|i| i.amount).sum();
    same("Wu's commission owed", owed, Decimal::new(32_500, 2))
}

fn adjustments_paid_once<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    shop.close_november(store)?;
    ok("correcting November", correct_period(&shop.v2, &shop.nov, store))?;
    let december = ok("evaluating December", shop.closed(&shop.v2, &shop.dec, store))?;
    let carried = december
        .inputs
        .iter()
        .find(|i| i.employee == shop.wu)
        .map_or(0, |i| i.adjustments.len());
    same("adjustments carried into December", carried, 1)?;
    ok("closing December", store.commit(shop.v2.plan(), &december))?;
    same(
        "adjustments left after December",
        ok("reading adjustments", store.pending_adjustments(&shop.wu))?,
        Vec::new(),
    )?;
    // two training courses, 200 points each
    same("the points", points(store, &shop.wu)?, Decimal::from(400))
}

fn redemption_spent_once<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    shop.close_november(store)?;
    let day = NaiveDate::from_ymd_opt(2026, 12, 3).ok_or("sample date")?;
    let gift = Redemption::gift("gift-1", shop.wu.clone(), day, "book voucher", Decimal::from(150));
    same(
        "the first redemption",
        ok("redeeming", store.redeem(&gift))?,
        true,
    )?;
    same(
        "the same redemption again",
        ok("redeeming again", store.redeem(&gift))?,
        false,
    )?;
    same("the points", points(store, &shop.wu)?, Decimal::from(50))?;
    let other = Redemption::gift("gift-1", shop.wu.clone(), day, "mug", Decimal::from(10));
    refused("another redemption under the same key", store.redeem(&other))?;
    let too_much = Redemption::gift("gift-2", shop.wu.clone(), day, "phone", Decimal::from(51));
    refused("a redemption above the balance", store.redeem(&too_much))?;
    same(
        "the points after refusals",
        points(store, &shop.wu)?,
        Decimal::from(50),
    )
}

fn close_draft(shop: &Shop, store: &dyn Storage) -> std::result::Result<Draft, String> {
    let closed = ok("evaluating November", shop.closed(&shop.v1, &shop.nov, store))?;
    let doc = shop.v1.plan();
    let draft = Draft::new(doc.id.clone(), doc.version, DraftWork::Close(closed), clerk());
    ok("keeping the draft", store.save_draft(doc, &draft))?;
    Ok(draft)
}

/// The audit log holds exactly these actions by these actors, in order.
fn audit_says(store: &dyn Storage, expected: &[(AuditAction, &str)]) -> Checked {
    let found: Vec<(AuditAction, String)> = ok("reading the audit log", store.audit_log())?
        .into_iter()
        .map(|e| (e.action, e.by.actor))
        .collect();
    let expected: Vec<(AuditAction, String)> =
        expected.iter().map(|(a, who)| (*a, (*who).to_owned())).collect();
    same("the audit log", found, expected)
}

/// November's correction under version 2, prepared as a draft.
fn correction_draft(shop: &Shop, store: &dyn Storage) -> std::result::Result<Draft, String> {
    ok(
        "preparing the correction",
        prepare_correction(&shop.v2, &shop.nov, store, &clerk()),
    )?
    .ok_or_else(|| "version 2 changes nothing in November".to_owned())
}

fn draft_paid_when_approved<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    let draft = close_draft(shop, store)?;
    same(
        "the drafts",
        ok("listing drafts", store.drafts())?,
        vec![draft.clone()],
    )?;
    same(
        "the draft read alone",
        ok("reading the draft", store.draft(&draft.id()))?,
        Some(draft.clone()),
    )?;
    same(
        "a draft never prepared",
        ok("reading a draft", store.draft(&DraftId::correction(shop.nov, 1)))?,
        None,
    )?;
    same(
        "November before approval",
        ok("reading November", store.record(&shop.nov))?,
        None,
    )?;
    same(
        "the points before approval",
        points(store, &shop.wu)?,
        Decimal::ZERO,
    )?;
    refused(
        "a second draft of November",
        store.save_draft(shop.v1.plan(), &draft),
    )?;
    ok("approving", store.approve(&draft.id(), &owner()))?;
    let DraftWork::Close(closed) = &draft.work else {
        return Err("the draft is not a close".into());
    };
    same(
        "November after approval",
        ok("reading November", store.record(&shop.nov))?.as_ref(),
        Some(closed),
    )?;
    same(
        "the points after approval",
        points(store, &shop.wu)?,
        Decimal::from(200),
    )?;
    same(
        "the drafts after approval",
        ok("listing drafts", store.drafts())?,
        Vec::new(),
    )?;
    same(
        "the draft read alone after approval",
        ok("reading the draft", store.draft(&draft.id()))?,
        None,
    )?;
    refused("approving twice", store.approve(&draft.id(), &owner()))?;
    audit_says(
        store,
        &[
            (AuditAction::Prepared, "payroll clerk"),
            (AuditAction::Approved, "owner"),
        ],
    )?;
    let log = ok("reading the audit log", store.audit_log())?;
    same("when it was approved", log.last().map(|e| e.by.at), Some(at(11)))?;
    same(
        "the fingerprint approved",
        log.last().map(|e| e.plan_fingerprint.clone()),
        Some(shop.v1.fingerprint().to_owned()),
    )
}

fn discarded_draft_pays_nothing<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    shop.close_november(store)?;
    let draft = correction_draft(shop, store)?;
    same(
        "the pending adjustments of a draft",
        ok("reading", store.pending_adjustments(&shop.wu))?,
        Vec::new(),
    )?;
    ok("discarding", store.discard(&draft.id(), &owner()))?;
    refused(
        "approving a discarded draft",
        store.approve(&draft.id(), &owner()),
    )?;
    same(
        "the corrections",
        ok("reading corrections", store.corrections(&shop.nov))?,
        Vec::new(),
    )?;
    same("the drafts", ok("listing drafts", store.drafts())?, Vec::new())?;
    same(
        "the discarded draft read alone",
        ok("reading the draft", store.draft(&draft.id()))?,
        None,
    )?;
    audit_says(
        store,
        &[
            (AuditAction::Prepared, "payroll clerk"),
            (AuditAction::Discarded, "owner"),
        ],
    )
}

fn approved_correction_pays<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    shop.close_november(store)?;
    let draft = correction_draft(shop, store)?;
    let DraftWork::Correction(correction) = &draft.work else {
        return Err("the draft is not a correction".into());
    };
    same(
        "the drafts",
        ok("listing drafts", store.drafts())?,
        vec![draft.clone()],
    )?;
    ok("approving", store.approve(&draft.id(), &owner()))?;
    same(
        "the corrections",
        ok("reading corrections", store.corrections(&shop.nov))?,
        vec![correction.clone()],
    )?;
    // 65,000 above 100,000 × 0.5 % more for Wu, owed with the next payslip
    let owed: Decimal = ok("reading adjustments", store.pending_adjustments(&shop.wu))?
        .iter()
        .map(|i| i.amount)
        .sum();
    same("Wu's commission owed", owed, Decimal::new(32_500, 2))?;
    // the correction now stands: preparing it again finds nothing to do
    same(
        "a second preparation",
        ok(
            "preparing again",
            prepare_correction(&shop.v2, &shop.nov, store, &clerk()),
        )?,
        None,
    )?;
    audit_says(
        store,
        &[
            (AuditAction::Prepared, "payroll clerk"),
            (AuditAction::Approved, "owner"),
        ],
    )
}

fn draft_of_closed_work_refused<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    let closed = shop.close_november(store)?;
    let doc = shop.v1.plan();
    let late = Draft::new(doc.id.clone(), doc.version, DraftWork::Close(closed), clerk());
    refused("a draft of a closed period", store.save_draft(doc, &late))?;
    let correction = ok("correcting November", correct_period(&shop.v2, &shop.nov, store))?
        .ok_or("version 2 changes nothing in November")?;
    let again = Draft::new(
        shop.v2.plan().id.clone(),
        2,
        DraftWork::Correction(correction),
        clerk(),
    );
    refused(
        "a draft of a correction already stored",
        store.save_draft(shop.v2.plan(), &again),
    )?;
    same("the drafts", ok("listing drafts", store.drafts())?, Vec::new())?;
    audit_says(store, &[])
}

fn approval_after_close_refused<S: Storage>(shop: &Shop, store: &S, _: S) -> Checked {
    let draft = close_draft(shop, store)?;
    // closed directly while the draft waited: the draft can no longer pay
    shop.close_november(store)?;
    refused(
        "approving a draft of a period closed since",
        store.approve(&draft.id(), &owner()),
    )?;
    same("the points", points(store, &shop.wu)?, Decimal::from(200))?;
    same("the drafts", ok("listing drafts", store.drafts())?.len(), 1)?;
    audit_says(store, &[(AuditAction::Prepared, "payroll clerk")])
}

fn concurrent_closes_pay_once<S: Storage + Send>(shop: &Shop, store: &S, other: S) -> Checked {
    let closed = ok("evaluating November", shop.closed(&shop.v1, &shop.nov, store))?;
    let plan = shop.v1.plan();
    let barrier = Barrier::new(2);
    let (start, record) = (&barrier, &closed);
    let (first, second) = std::thread::scope(|scope| {
        let theirs = scope.spawn(move || {
            start.wait();
            other.commit(plan, record)
        });
        start.wait();
        let ours = store.commit(plan, record);
        (ours, theirs.join())
    });
    let second = second.map_err(|_| "the second thread panicked".to_owned())?;
    same(
        "which close succeeded",
        (first.is_ok(), second.is_ok()) != (true, true),
        true,
    )?;
    same("a close succeeded", first.is_ok() || second.is_ok(), true)?;
    same("the points", points(store, &shop.wu)?, Decimal::from(200))?;
    same(
        "the record",
        ok("reading November", store.record(&shop.nov))?,
        Some(closed),
    )
}
