//! One value of a plan document changed by its path, the path [`diff`]
//! prints: `tiers.sales.tiers[1].rate` set to `0.04`. What-ifs and
//! proposals are written as changes to the plan in force, not as a second
//! copy of it.
//!
//! [`diff`]: super::diff

use std::fmt;

use serde_json::{Map, Value};

use super::compile::did_you_mean;
use super::diff::join;
use crate::error::{Error, Problem, Result};
use crate::plan::Plan;

impl Plan {
    /// Sets the value at `path` — a plan path as [`diff`](super::diff) and
    /// the compiler's problems print it: `version`,
    /// `tiers.sales.tiers[1].rate`, `roles.sales.scorecard[0].weight`,
    /// `incentives[best-of-month].points` (a list whose entries have ids is
    /// indexed by id or by position) — to `value`, written as in a plan
    /// file: a decimal or a text as it reads (`0.04`, `"0.04"`, `1/3`), a
    /// whole number, `true` or `false`.
    ///
    /// The value takes the type of the one it replaces. A value the
    /// document leaves out (an optional field not set) may be given when
    /// its section exists; it is tried as text, then as a whole number,
    /// then as a flag, and kept in the first form the plan reads. The
    /// document is read again whole, so a value of the wrong kind is
    /// refused as a plan file would be refused. The change is all or
    /// nothing: on an error the plan is as it was. The plan is not
    /// compiled; [`compile`](Plan::compile) checks what the new value
    /// means.
    ///
    /// ```
    /// use perfpay::Plan;
    /// use perfpay::plan::diff;
    /// use rust_decimal_macros::dec;
    ///
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
    /// let now = Plan::from_toml(text)?;
    /// let mut proposal = now.clone();
    /// proposal.set("tiers.sales.tiers[1].rate", dec!(0.04))?;
    /// proposal.set("version", 2)?;
    /// let changes: Vec<String> = diff(&now, &proposal)?.iter().map(|c| c.to_string()).collect();
    /// assert_eq!(changes, ["tiers.sales.tiers[1].rate: 3 % → 4 %", "version: 1 → 2"]);
    ///
    /// let err = proposal.set("tiers.sales.tiers[1].rat", "0.05").unwrap_err();
    /// assert_eq!(
    ///     err.problems()[0].to_string(),
    ///     "tiers.sales.tiers[1].rat: no such value in the plan (did you mean rate?)",
    /// );
    /// assert!(proposal.set("tiers.sales.tiers[1].rate", "four per cent").is_err());
    /// assert_eq!(diff(&now, &proposal)?.len(), 2); // the refused changes left nothing
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Plan`](crate::ErrorKind::Plan), with the path, when the
    /// path names nothing in the document (with the likely name when one is
    /// close), names a section rather than a value, or the value is not
    /// one the plan reads there.
    pub fn set(&mut self, path: &str, value: impl fmt::Display) -> Result<()> {
        let refuse = |message: String| Error::plan(vec![Problem::new(path.to_owned(), message)]);
        let document =
            serde_json::to_value(&*self).map_err(|e| refuse(format!("the plan does not serialize: {e}")))?;
        let written = value.to_string();
        // the document with the value at `path`: replaced in the type of the
        // one there, or `form` where the document leaves it out
        let attempt = |form: Value| -> Result<std::result::Result<Plan, (String, String)>> {
            let mut changed = document.clone();
            match find(&mut changed, path).map_err(refuse)? {
                Place::Value(slot) => *slot = replacing(slot, &written).map_err(refuse)?,
                Place::Missing(section, key) => {
                    section.insert(key, form);
                }
            }
            Ok(read(changed))
        };
        // the first form's refusal is the one reported
        let (first, others) = unset(&written);
        let refusal = match attempt(first)? {
            Ok(plan) => {
                *self = plan;
                return Ok(());
            }
            Err(refusal) => refusal,
        };
        for form in others {
            if let Ok(plan) = attempt(form)? {
                *self = plan;
                return Ok(());
            }
        }
        Err(refuse_read(path, refusal))
    }
}

impl Plan {
    /// Removes the value or the list entry at `path` — a path as
    /// [`set`](Plan::set) takes it: `incentives[best-of-month]` (an entry
    /// by id or position), `roles.operations.scorecard[3]`,
    /// `roles.sales.target_bonus` — for a proposal that drops a rule, a
    /// tier or a scorecard item (whose weights are then [`set`](Plan::set)
    /// again so they still sum to 1).
    ///
    /// The document is read again whole, so removing what the plan cannot
    /// be without (its `currency`) is refused as a plan file without it
    /// would be. The change is all or nothing. The plan is not compiled;
    /// [`compile`](Plan::compile) checks what is left (an incentive that
    /// names a removed tier table is its problem).
    ///
    /// ```
    /// use perfpay::Plan;
    /// use perfpay::plan::diff;
    ///
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
    /// let now = Plan::from_toml(text)?;
    /// let mut proposal = now.clone();
    /// proposal.remove("incentives[best-of-month]")?;
    /// let changes: Vec<String> = diff(&now, &proposal)?.iter().map(|c| c.to_string()).collect();
    /// assert_eq!(changes.len(), 1);
    /// assert!(changes[0].starts_with("incentives[best-of-month]: removed (was "), "{changes:?}");
    ///
    /// let err = proposal.remove("incentives[training-point]").unwrap_err();
    /// assert_eq!(
    ///     err.problems()[0].to_string(),
    ///     "incentives[training-point]: incentives has no entry training-point (did you mean training-points?)",
    /// );
    /// assert!(proposal.remove("currency").is_err()); // a plan has a currency
    /// assert_eq!(diff(&now, &proposal)?.len(), 1); // the refused removals left nothing
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Plan`](crate::ErrorKind::Plan), with the path, when the
    /// path names nothing in the document, or the plan cannot be read
    /// without what it names.
    pub fn remove(&mut self, path: &str) -> Result<()> {
        let refuse = |message: String| Error::plan(vec![Problem::new(path.to_owned(), message)]);
        let mut document =
            serde_json::to_value(&*self).map_err(|e| refuse(format!("the plan does not serialize: {e}")))?;
        removing(&mut document, path).map_err(refuse)?;
        *self = read(document).map_err(|refusal| refuse_read(path, refusal))?;
        Ok(())
    }
}

/// Takes the value or list entry at `path` out of `document`: a last step
/// `[id]` or `[position]` from a list, or a key from its section (a key may
/// hold dots, so each place the path could split is tried, the last first).
fn removing(document: &mut Value, path: &str) -> std::result::Result<(), String> {
    if let Some((list, selector)) = path.strip_suffix(']').and_then(|p| {
        p.rfind('[')
            .map(|at| (p.get(..at).unwrap_or_default(), p.get(at..).unwrap_or_default()))
    }) {
        let selector = selector.strip_prefix('[').unwrap_or(selector);
        let Place::Value(Value::Array(entries)) = find(document, list)? else {
            return Err(format!("{list} is not a list"));
        };
        let at = entry(entries, list, selector)?;
        entries.remove(at);
        return Ok(());
    }
    // the longest key first, as `find` walks: a key's dots are its own
    let splits = [None]
        .into_iter()
        .chain(path.match_indices('.').map(|(at, _)| Some(at)));
    let mut hint = String::new();
    for split in splits {
        let (section, key) = match split {
            None => ("", path),
            Some(at) => (
                path.get(..at).unwrap_or_default(),
                path.get(at.saturating_add(1)..).unwrap_or_default(),
            ),
        };
        if let Ok(Place::Value(Value::Object(map))) = find(document, section) {
            if map.remove(key).is_some() {
                return Ok(());
            }
            // the likely name, from the section the path reaches last
            hint = did_you_mean(key, map.keys());
        }
    }
    Err(format!("no such value in the plan{hint}"))
}

/// Where a path leads: a value in the document, or a key its section
/// leaves out.
enum Place<'a> {
    Value(&'a mut Value),
    Missing(&'a mut Map<String, Value>, String),
}

/// Follows `path` from the document's root. A section's key may itself
/// hold dots (a metric id such as `attendance.rate`): the longest key that
/// the path continues with is taken.
fn find<'a>(mut at: &'a mut Value, path: &str) -> std::result::Result<Place<'a>, String> {
    let mut rest = path;
    let mut walked = String::new();
    while !rest.is_empty() {
        at = match at {
            Value::Object(section) => {
                let key = section
                    .keys()
                    .filter(|k| rest.starts_with(k.as_str()) && rest.get(k.len()..).is_some_and(ends_a_step))
                    .max_by_key(|k| k.len())
                    .cloned();
                let Some(key) = key else {
                    let wanted = rest.split(['.', '[']).next().unwrap_or(rest);
                    if wanted.len() == rest.len()
                        && !wanted.is_empty()
                        && did_you_mean(wanted, section.keys()).is_empty()
                    {
                        return Ok(Place::Missing(section, wanted.to_owned()));
                    }
                    return Err(format!(
                        "no such value in the plan{}",
                        did_you_mean(wanted, section.keys())
                    ));
                };
                rest = rest.get(key.len()..).unwrap_or_default();
                rest = rest.strip_prefix('.').unwrap_or(rest);
                walked = join(&walked, &key);
                section
                    .get_mut(&key)
                    .ok_or_else(|| format!("{walked}: no such value in the plan"))?
            }
            Value::Array(list) => {
                let Some((selector, after)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) else {
                    return Err(format!("{walked} is a list: give an entry as [position] or [id]"));
                };
                let at = entry(list, &walked, selector)?;
                rest = after.strip_prefix('.').unwrap_or(after);
                walked = format!("{walked}[{selector}]");
                list.get_mut(at)
                    .ok_or_else(|| format!("{walked}: no such entry"))?
            }
            _ => return Err(format!("{walked} is a value, not a section")),
        };
    }
    Ok(Place::Value(at))
}

/// The position of the entry `[selector]` names in `list` (at `walked`):
/// the entry with that id, else that position when the list has it.
fn entry(list: &[Value], walked: &str, selector: &str) -> std::result::Result<usize, String> {
    let by_id = list
        .iter()
        .position(|entry| entry.get("id").and_then(Value::as_str) == Some(selector));
    if let Some(at) = by_id {
        return Ok(at);
    }
    match selector.parse::<usize>() {
        Ok(at) if at < list.len() => Ok(at),
        Ok(_) => Err(format!(
            "{walked}[{selector}]: the list has {} entries, counted from 0",
            list.len()
        )),
        Err(_) => {
            let ids: Vec<&str> = list
                .iter()
                .filter_map(|e| e.get("id").and_then(Value::as_str))
                .collect();
            Err(format!(
                "{walked} has no entry {selector}{}",
                did_you_mean(selector, ids)
            ))
        }
    }
}

/// Whether what follows a key is the end of the path or the next step.
fn ends_a_step(after: &str) -> bool {
    after.is_empty() || after.starts_with('.') || after.starts_with('[')
}

/// A value written as in a plan file, quotes or not: `"0.04"` and `0.04`
/// are the same text.
fn unquoted(written: &str) -> &str {
    let trimmed = written.trim();
    trimmed
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(trimmed)
}

/// `written` in the type of the value it replaces.
fn replacing(old: &Value, written: &str) -> std::result::Result<Value, String> {
    let text = unquoted(written);
    match old {
        Value::String(_) | Value::Null => Ok(Value::String(text.to_owned())),
        Value::Number(_) => whole(text).ok_or_else(|| format!("{written:?} is not a whole number")),
        Value::Bool(_) => flag(text).ok_or_else(|| format!("{written:?} is not true or false")),
        Value::Object(section) => Err(format!(
            "a section, not a value: set one of its values ({})",
            section.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
        )),
        Value::Array(_) => Err("a list, not a value: set one of its entries ([position] or [id])".to_owned()),
    }
}

/// The forms a value the document leaves out is tried in: text, then a
/// whole number, then a flag.
fn unset(written: &str) -> (Value, impl Iterator<Item = Value>) {
    let text = unquoted(written);
    (
        Value::String(text.to_owned()),
        [whole(text), flag(text)].into_iter().flatten(),
    )
}

/// A whole number, never through floating point.
fn whole(text: &str) -> Option<Value> {
    text.parse::<u64>()
        .map(Value::from)
        .or_else(|_| text.parse::<i64>().map(Value::from))
        .ok()
}

fn flag(text: &str) -> Option<Value> {
    text.parse::<bool>().ok().map(Value::Bool)
}

/// The document read back as a plan, as a plan file is read.
fn read(document: Value) -> std::result::Result<Plan, (String, String)> {
    serde_path_to_error::deserialize(document).map_err(|e| (e.path().to_string(), e.into_inner().to_string()))
}

/// A refusal of the changed document, at the path it names (the changed
/// value's own, or one inside it).
fn refuse_read(path: &str, (at, message): (String, String)) -> Error {
    let at = if at == "." || at.is_empty() {
        path.to_owned()
    } else {
        at
    };
    Error::plan(vec![Problem::new(at, message)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key that holds dots (a metric id among a locale's names) is found
    /// whole; the longest key the path continues with wins.
    #[test]
    fn a_key_with_dots_is_one_step() {
        let mut document = serde_json::json!({
            "names": { "zh-CN": { "attendance.rate": "出勤率", "attendance": { "rate": "nested" } } },
            "metrics": ["attendance.rate"],
        });
        let found = |document: &mut Value, path: &str| match find(document, path) {
            Ok(Place::Value(v)) => v.clone(),
            Ok(Place::Missing(_, key)) => Value::String(format!("missing {key}")),
            Err(e) => Value::String(format!("error {e}")),
        };
        assert_eq!(found(&mut document, "names.zh-CN.attendance.rate"), "出勤率");
        assert_eq!(
            found(&mut document, "names.zh-CN.attendance"),
            serde_json::json!({ "rate": "nested" })
        );
        assert_eq!(found(&mut document, "metrics[0]"), "attendance.rate");
        assert_eq!(
            found(&mut document, "names.zh-CN.late_count"),
            "missing late_count"
        );
        assert_eq!(
            found(&mut document, "metrics.0"),
            "error metrics is a list: give an entry as [position] or [id]"
        );
        assert_eq!(
            found(&mut document, "names.zh-CN.attendance.rate.more"),
            "error names.zh-CN.attendance.rate is a value, not a section"
        );
    }

    /// What `remove` takes out: a key holding dots whole, a list entry by
    /// position, a nested key; and what it refuses, leaving the document
    /// as it was.
    #[test]
    fn removing_takes_out_one_key_or_entry() {
        let mut document = serde_json::json!({
            "names": { "zh-CN": { "attendance.rate": "出勤率", "attendance": { "rate": "nested" } } },
            "metrics": ["a", "b", "c"],
            "roles": { "sales": { "target_bonus": "1000", "commission": {} } },
        });
        removing(&mut document, "names.zh-CN.attendance.rate").unwrap();
        removing(&mut document, "metrics[1]").unwrap();
        removing(&mut document, "roles.sales.target_bonus").unwrap();
        assert_eq!(
            document,
            serde_json::json!({
                "names": { "zh-CN": { "attendance": { "rate": "nested" } } },
                "metrics": ["a", "c"],
                "roles": { "sales": { "commission": {} } },
            })
        );
        let before = document.clone();
        assert_eq!(
            removing(&mut document, "metrics[2]").unwrap_err(),
            "metrics[2]: the list has 2 entries, counted from 0"
        );
        assert_eq!(
            removing(&mut document, "roles.sales.comission").unwrap_err(),
            "no such value in the plan (did you mean commission?)"
        );
        assert_eq!(
            removing(&mut document, "roles[0]").unwrap_err(),
            "roles is not a list"
        );
        assert_eq!(
            removing(&mut document, "nothing").unwrap_err(),
            "no such value in the plan"
        );
        assert_eq!(document, before);
    }
}
