//! What changed between two plan documents, by path — not a text diff:
//! `tiers.sales.tiers[1].rate: 3 % → 4 %`.

use std::collections::BTreeSet;
use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::id::RoleId;
use crate::plan::{Plan, RoleDoc};

/// One difference between two plan documents.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanChange {
    /// Where, as a plan path: `roles.sales.scorecard[0].weight`; a list
    /// whose entries have ids is indexed by id: `incentives[best-of-month]`.
    pub path: String,
    /// The value before (none: added). Rates are shown in per cent.
    pub before: Option<String>,
    /// The value after (none: removed).
    pub after: Option<String>,
}

impl fmt::Display for PlanChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.before, &self.after) {
            (Some(before), Some(after)) => write!(f, "{}: {before} → {after}", self.path),
            (None, Some(after)) => write!(f, "{}: added {after}", self.path),
            (Some(before), None) => write!(f, "{}: removed (was {before})", self.path),
            (None, None) => write!(f, "{}: unchanged", self.path),
        }
    }
}

/// Every difference between `old` and `new` — changed values, added and
/// removed entries — sorted by path (a section's keys in alphabetical
/// order, a list's entries in their order). Empty exactly when the
/// documents are the same.
///
/// ```
/// use perfpay::Plan;
/// use perfpay::plan::diff;
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// let old = Plan::from_toml(text)?;
/// let mut new = old.clone();
/// new.set("tiers.sales.tiers[1].rate", "0.04")?;
/// new.version = 2;
/// let changes: Vec<String> = diff(&old, &new)?.iter().map(|c| c.to_string()).collect();
/// assert_eq!(changes, ["tiers.sales.tiers[1].rate: 3 % → 4 %", "version: 1 → 2"]);
/// assert!(diff(&old, &old)?.is_empty());
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// # Errors
///
/// Only if a document does not serialize, which a valid one does.
pub fn diff(old: &Plan, new: &Plan) -> Result<Vec<PlanChange>> {
    let mut changes = Vec::new();
    walk("", &value(old)?, &value(new)?, &mut changes);
    Ok(changes)
}

/// A plan document as JSON: what [`diff`] and [`reach`] compare, so that
/// two numbers written differently (`0.03`, `0.030`) differ.
fn value(plan: &Plan) -> Result<Value> {
    serde_json::to_value(plan).map_err(|e| Error::data(format!("plan {} does not serialize: {e}", plan.id)))
}

/// Whose pay a change of plan can move: what [`reach`] finds.
///
/// Serialized as `"everyone"` or `{"roles": ["sales"]}`.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Something every employee's evaluation reads changed — payroll,
    /// grades, incentives, goals, scripts, a tier table the payroll or a
    /// script reads: anyone's pay may move.
    Everyone,
    /// Only the staff of these roles (none: the plans differ in id,
    /// version or effective date alone).
    Roles(BTreeSet<RoleId>),
}

impl Reach {
    /// Whether staff of `role` may come out differently.
    pub fn includes(&self, role: &RoleId) -> bool {
        match self {
            Reach::Everyone => true,
            Reach::Roles(roles) => roles.contains(role),
        }
    }
}

/// Whose pay changing `old` into `new` can move, read from the two
/// documents. A role whose own section (`roles.<id>`), the tier tables it
/// names and the KPIs its scorecard names are the same in both, while
/// nothing plan-wide changed, pays its staff the same under both plans:
/// evaluation keeps roles apart (a role's ranking, distribution and pool
/// are its own, the goals are measured over everyone from the metrics;
/// `prop_shards_merge_to_whole`), and a KPI is read by the scorecards
/// that name it alone.
/// A plan's id, version and effective date move nobody's pay.
///
/// Cautious where a reference cannot be read from the document: a changed
/// tier table that a script could read (any script that mentions `tier`)
/// or that the payroll withholds with reaches everyone, as does any change
/// outside `roles`, `tiers` and `kpis`; two numbers equal but written
/// differently count as a change. [`simulate`](crate::simulate::simulate)
/// evaluates the proposed plan for the staff a change reaches and takes everyone else's
/// outcome from the plan in force.
///
/// ```
/// use perfpay::Plan;
/// use perfpay::plan::{Reach, reach};
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// let old = Plan::from_toml(text)?;
/// let mut new = old.clone();
/// new.set("tiers.sales.tiers[1].rate", "0.04")?;
/// new.version = 2;
/// // only the sales role pays on the `sales` table
/// assert_eq!(reach(&old, &new)?, Reach::Roles(["sales".parse()?].into()));
/// // is the conversion target too high? only operations scores on it
/// new.set("kpis.conversion.curve.linear.target.value", "0.025")?;
/// assert_eq!(reach(&old, &new)?, Reach::Roles(["operations".parse()?, "sales".parse()?].into()));
/// new.set("payroll.overtime_divisor", "21.75")?;
/// assert_eq!(reach(&old, &new)?, Reach::Everyone);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Only if a document does not serialize, which a valid one does.
pub fn reach(old: &Plan, new: &Plan) -> Result<Reach> {
    let (a, b) = (value(old)?, value(new)?);
    let (Some(object_a), Some(object_b)) = (a.as_object(), b.as_object()) else {
        return Ok(Reach::Everyone);
    };
    // a changed section other than these reaches everyone
    const APART: [&str; 6] = ["id", "version", "effective", "roles", "tiers", "kpis"];
    if object_a
        .keys()
        .chain(object_b.keys())
        .any(|key| !APART.contains(&key.as_str()) && object_a.get(key) != object_b.get(key))
    {
        return Ok(Reach::Everyone);
    }
    // the entries of section `key` (`roles`, `tiers`) that differ
    let changed = |key: &str| -> BTreeSet<String> {
        let (x, y) = (
            a.get(key).and_then(Value::as_object),
            b.get(key).and_then(Value::as_object),
        );
        x.into_iter()
            .chain(y)
            .flat_map(|entries| entries.keys())
            .filter(|entry| x.and_then(|x| x.get(*entry)) != y.and_then(|y| y.get(*entry)))
            .cloned()
            .collect()
    };
    let (tables, kpis) = (changed("tiers"), changed("kpis"));
    // the scripts and the payroll are the same in both plans by now
    let scripted = old.scripts.values().any(|source| source.contains("tier"));
    let withheld = old
        .payroll
        .withholding
        .as_ref()
        .is_some_and(|w| tables.contains(&w.table));
    if !tables.is_empty() && (scripted || withheld) {
        return Ok(Reach::Everyone);
    }
    let mut roles = BTreeSet::new();
    for role in changed("roles") {
        match RoleId::new(&role) {
            Ok(id) => roles.insert(id),
            Err(_) => return Ok(Reach::Everyone),
        };
    }
    for plan in [old, new] {
        for (id, role) in &plan.roles {
            if tables_named(role).any(|table| tables.contains(table))
                || role.scorecard.iter().any(|item| kpis.contains(&item.kpi))
            {
                roles.insert(id.clone());
            }
        }
    }
    Ok(Reach::Roles(roles))
}

/// The tier tables a role's section names: its commission's table, or its
/// quota's. Every place a plan names a tier table is here or in `reach`
/// (the payroll's withholding, a script's `tier("…", …)`), as every place
/// a plan names a KPI is a role's scorecard: the test
/// `every_table_and_kpi_the_compiler_resolves_is_in_reach` removes each
/// table and each KPI of every worked plan and checks that whoever the
/// compiler then refuses is reached.
fn tables_named(role: &RoleDoc) -> impl Iterator<Item = &str> {
    let commission = role.commission.as_ref();
    let table = commission.and_then(|c| c.table.as_deref());
    let quota = commission
        .and_then(|c| c.quota.as_ref())
        .map(|q| q.table.as_str());
    table.into_iter().chain(quota)
}

fn walk(path: &str, old: &Value, new: &Value, out: &mut Vec<PlanChange>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => objects(path, a, b, out),
        (Value::Array(a), Value::Array(b)) => match (ids(a), ids(b)) {
            (Some(ia), Some(ib)) => by_id(path, &ia, &ib, out),
            _ => by_index(path, a, b, out),
        },
        _ => out.push(PlanChange {
            path: path.to_owned(),
            before: shown(path, old),
            after: shown(path, new),
        }),
    }
}

/// `path.key`, or `key` at the root: one step of a plan path.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn objects(path: &str, a: &Map<String, Value>, b: &Map<String, Value>, out: &mut Vec<PlanChange>) {
    for (key, old) in a {
        let at = join(path, key);
        match b.get(key) {
            Some(new) => walk(&at, old, new, out),
            None => walk(&at, old, &Value::Null, out),
        }
    }
    for (key, new) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
        walk(&join(path, key), &Value::Null, new, out);
    }
}

/// The entries of a list keyed by their `id`, when every entry has one.
fn ids(list: &[Value]) -> Option<Vec<(&str, &Value)>> {
    if list.is_empty() {
        return None;
    }
    list.iter()
        .map(|v| v.get("id").and_then(Value::as_str).map(|id| (id, v)))
        .collect()
}

/// The entry of `list` with `id`.
fn find<'v>(list: &[(&str, &'v Value)], id: &str) -> Option<&'v Value> {
    list.iter().find(|(i, _)| *i == id).map(|(_, v)| *v)
}

fn by_id(path: &str, a: &[(&str, &Value)], b: &[(&str, &Value)], out: &mut Vec<PlanChange>) {
    for (id, old) in a {
        let new = find(b, id).unwrap_or(&Value::Null);
        walk(&format!("{path}[{id}]"), old, new, out);
    }
    for (id, new) in b.iter().filter(|(id, _)| find(a, id).is_none()) {
        walk(&format!("{path}[{id}]"), &Value::Null, new, out);
    }
}

fn by_index(path: &str, a: &[Value], b: &[Value], out: &mut Vec<PlanChange>) {
    for at in 0..a.len().max(b.len()) {
        let old = a.get(at).unwrap_or(&Value::Null);
        let new = b.get(at).unwrap_or(&Value::Null);
        walk(&format!("{path}[{at}]"), old, new, out);
    }
}

/// A value as the change shows it: text without quotes, a rate in per
/// cent, anything larger as compact JSON; none for an absent value.
fn shown(path: &str, value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => {
            let rate = path.ends_with(".rate") || path.ends_with("_rate");
            let percent = text
                .parse::<Decimal>()
                .ok()
                .filter(|_| rate)
                .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED));
            Some(percent.map_or_else(|| text.clone(), |p| format!("{} %", p.normalize())))
        }
        other => Some(other.to_string()),
    }
}
