//! Rule cases: tests of a plan written as data, so a vendor can test a rule
//! without writing Rust.
//!
//! A case file (TOML or JSON) names a period and lists cases; each case
//! gives employees' inputs and the expected outputs, addressed by a path
//! into the outcome (`ops-li.payslip.net`, `sales-wu.commission`,
//! `ops-li.awards[0].kind.cash`, `team.best.operations[0]`). Numbers are
//! compared exactly as decimals, everything else as text.
//!
//! ```toml
//! period = "2026-11"
//!
//! [[cases]]
//! name = "the seed's operations employee"
//! expect = { "ops-li.score" = "99.4", "ops-li.grade" = "A", "ops-li.payslip.net" = "10102.20" }
//!
//! [[cases.employees]]
//! employee = "ops-li"
//! role = "operations"
//! salary = [{ effective = "2025-01-01", value = "8000" }]
//! metrics = { conversion = "0.035", repurchase = "0.22", optimisations = "6", teamwork = "4.5", conversion_achievement = "1.05" }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::eval::evaluate_period;
use crate::explain::Explanation;
use crate::feedback::Response;
use crate::money::RoundingPolicy;
use crate::payroll::PayrollYtd;
use crate::period::Period;
use crate::plan::CompiledPlan;
use crate::record::{EmployeeInputs, NextReward, PeriodOutcome};

/// A file of rule cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The period every case is evaluated in.
    pub period: Period,
    /// The period's staff survey responses, aggregated under the plan's
    /// survey into each case's outcome (`survey.<path>` in `expect`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub survey: Vec<Response>,
    /// The cases.
    pub cases: Vec<Case>,
}

/// One rule case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case checks.
    pub name: String,
    /// The employees' inputs (a missing year-to-date state starts the year
    /// empty).
    pub employees: Vec<EmployeeInputs>,
    /// Expected values by path: `<employee>.<path>`, `team.<path>` or
    /// `survey.<path>`.
    #[serde(default)]
    pub expect: BTreeMap<String, String>,
    /// Expected errors by employee: text the error's stage or message contains.
    #[serde(default)]
    pub expect_errors: BTreeMap<String, String>,
    /// Expected explanation steps by employee: statements (rendered with the
    /// plan's rounding) that must appear somewhere in the employee's
    /// explanation tree, payslip lines, next rewards or goals.
    #[serde(default)]
    pub expect_steps: BTreeMap<String, Vec<String>>,
    /// Expected findings of the period
    /// ([`PeriodOutcome::diagnose`](crate::PeriodOutcome::diagnose), no
    /// survey): text that one finding, written `<code> <scope>: <message>`,
    /// contains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect_findings: Vec<String>,
}

/// The result of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReport {
    /// The file it came from.
    pub file: String,
    /// The case's name.
    pub name: String,
    /// Readable differences; empty when the case passed.
    pub failures: Vec<String>,
}

impl CaseReport {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T> {
    let read = if file.ends_with(".json") {
        crate::plan::read_json(text, file)
    } else {
        crate::plan::read_toml(text, file)
    };
    read.map_err(|e| Error::invalid_input(e.message).with_path(e.place))
}

impl CaseFile {
    /// Reads a rule-case (or inputs) file: JSON when `file` ends in
    /// `.json`, TOML otherwise. Bare fractional numbers are refused with
    /// their path (TOML reads them through floating point); a leading
    /// byte-order mark is skipped.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) with the
    /// file, line and column, or the path of a bare fractional number.
    pub fn from_text(text: &str, file: &str) -> Result<CaseFile> {
        parse(text, file)
    }
}

/// A period's inputs, as `perfpay eval` reads them: the period, each
/// employee's inputs, and the staff survey's responses (see
/// `examples/inputs/shop-2026-11.toml`).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InputsFile {
    /// The period.
    pub period: Period,
    /// The employees' inputs (a missing year-to-date state starts the year
    /// empty).
    pub employees: Vec<EmployeeInputs>,
    /// The period's staff survey responses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub survey: Vec<Response>,
}

impl InputsFile {
    /// Reads an inputs file: JSON when `file` ends in `.json`, TOML
    /// otherwise, as [`CaseFile::from_text`] reads. An employee given no
    /// year-to-date state starts the period's year empty
    /// ([`PayrollYtd::new`]), as `perfpay eval` and rule cases start them.
    ///
    /// ```
    /// use perfpay::PayrollYtd;
    /// use perfpay::testing::InputsFile;
    ///
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inputs/shop-2026-11.toml"));
    /// let month = InputsFile::from_text(text, "shop-2026-11.toml")?;
    /// assert_eq!(month.employees[0].ytd, Some(PayrollYtd::new(2026)));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`CaseFile::from_text`].
    pub fn from_text(text: &str, file: &str) -> Result<InputsFile> {
        let mut inputs: InputsFile = parse(text, file)?;
        let year = chrono::Datelike::year(&inputs.period.start());
        for input in &mut inputs.employees {
            input.ytd.get_or_insert(PayrollYtd::new(year));
        }
        Ok(inputs)
    }
}

/// Follows `path` (`a.b[2].c`) into a JSON value.
fn lookup<'v>(value: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    let mut at = value;
    for segment in path.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => segment.split_at_checked(i)?,
            None => (segment, ""),
        };
        if !key.is_empty() {
            at = at.get(key)?;
        }
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            let n: usize = index.strip_suffix(']')?.parse().ok()?;
            at = at.get(n)?;
        }
    }
    Some(at)
}

fn show(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "nothing".into(),
        other => other.to_string(),
    }
}

fn matches(expected: &str, got: &serde_json::Value) -> bool {
    let got_text = show(got);
    match (expected.parse::<Decimal>(), got_text.parse::<Decimal>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => expected == got_text,
    }
}

/// Runs the cases of one file (its text) against `plan`.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a
/// malformed file, with the file name, line and column in the path; an
/// error of the evaluation itself (an employee listed twice).
pub fn run_cases(plan: &CompiledPlan, text: &str, file: &str) -> Result<Vec<CaseReport>> {
    let cases: CaseFile = parse(text, file)?;
    let year = chrono::Datelike::year(&cases.period.start());
    let mut reports = Vec::with_capacity(cases.cases.len());
    for case in &cases.cases {
        let mut inputs = case.employees.clone();
        for input in &mut inputs {
            input.ytd.get_or_insert(PayrollYtd::new(year));
        }
        let mut outcome = evaluate_period(plan, &cases.period, &inputs)
            .map_err(|e| e.with_path(format!("{file}: case {:?}", case.name)))?;
        outcome.survey = plan
            .survey_report(&cases.survey)
            .map_err(|e| e.with_path(format!("{file}: survey")))?;
        let mut failures = check_values(case, &outcome)?;
        failures.extend(check_steps(case, &outcome, plan.rounding()));
        failures.extend(check_errors(case, &outcome));
        if !case.expect_findings.is_empty() {
            failures.extend(check_findings(case, &outcome.diagnose(plan, &inputs)?));
        }
        reports.push(CaseReport {
            file: file.to_owned(),
            name: case.name.clone(),
            failures,
        });
    }
    Ok(reports)
}

/// The case's `expect` values: each path read from the outcome's JSON.
fn check_values(case: &Case, outcome: &PeriodOutcome) -> Result<Vec<String>> {
    let mut failures = Vec::new();
    let employees: BTreeMap<String, serde_json::Value> = outcome
        .employees
        .iter()
        .map(|o| {
            Ok((
                o.employee.to_string(),
                serde_json::to_value(o).map_err(|e| Error::data(e.to_string()))?,
            ))
        })
        .collect::<Result<_>>()?;
    let team = serde_json::to_value(&outcome.team).map_err(|e| Error::data(e.to_string()))?;
    let survey = serde_json::to_value(&outcome.survey).map_err(|e| Error::data(e.to_string()))?;
    for (path, expected) in &case.expect {
        let (head, rest) = path.split_once('.').unwrap_or((path.as_str(), ""));
        let root = match head {
            "team" => Some(&team),
            "survey" => Some(&survey),
            _ => employees.get(head),
        };
        let Some(root) = root else {
            failures.push(format!("{path}: no employee {head} in the case"));
            continue;
        };
        match lookup(root, rest) {
            None => failures.push(format!("{path}: no such path in the outcome")),
            Some(got) if !matches(expected, got) => {
                failures.push(format!("{path}: expected {expected}, got {}", show(got)));
            }
            Some(_) => {}
        }
    }
    Ok(failures)
}

/// The case's `expect_steps`: each statement among the employee's steps
/// (the month's, each pay line's, goal's, award's and next reward's).
fn check_steps(case: &Case, outcome: &PeriodOutcome, policy: RoundingPolicy) -> Vec<String> {
    let mut failures = Vec::new();
    for (employee, statements) in &case.expect_steps {
        let Some(o) = outcome.employees.iter().find(|o| o.employee.as_str() == employee) else {
            failures.push(format!("{employee}: no employee {employee} in the case"));
            continue;
        };
        let lines = o
            .payslip
            .iter()
            .flat_map(|p| p.lines.iter().map(|l| &l.explanation))
            .chain(o.goals.iter().map(|g| &g.explanation))
            .chain(o.awards.iter().map(|a| &a.explanation));
        let next: Vec<Explanation> = o.next.iter().map(NextReward::explanation).collect();
        let all: Vec<String> = o
            .explanation
            .steps()
            .chain(lines.flat_map(|e| e.steps()))
            .chain(next.iter().flat_map(|e| e.steps()))
            .map(|s| s.statement(&policy))
            .collect();
        for want in statements {
            if !all.iter().any(|s| s == want) {
                failures.push(format!("{employee}: no explanation step {want:?}"));
            }
        }
    }
    failures
}

/// The case's `expect_findings`: each text within one finding.
fn check_findings(case: &Case, findings: &[crate::feedback::Finding]) -> Vec<String> {
    let written: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}: {}", f.code, f.scope, f.message))
        .collect();
    case.expect_findings
        .iter()
        .filter(|want| !written.iter().any(|w| w.contains(want.as_str())))
        .map(|want| format!("no finding containing {want:?}; the period's: {written:?}"))
        .collect()
}

/// The case's `expect_errors`: an error where one is expected (containing
/// the text given), none elsewhere.
fn check_errors(case: &Case, outcome: &PeriodOutcome) -> Vec<String> {
    let mut failures = Vec::new();
    for o in &outcome.employees {
        let expected = case.expect_errors.get(o.employee.as_str());
        match (expected, o.errors.is_empty()) {
            (None, false) => failures.push(format!(
                "{}: unexpected error: {}",
                o.employee,
                o.errors
                    .iter()
                    .map(|e| format!("{} ({})", e.error, e.stage))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            (Some(want), true) => failures.push(format!(
                "{}: expected an error containing {want:?}, got none",
                o.employee
            )),
            (Some(want), false) => {
                if !o.errors.iter().any(|e| {
                    e.stage.as_str().contains(want.as_str()) || e.error.to_string().contains(want.as_str())
                }) {
                    failures.push(format!(
                        "{}: expected an error containing {want:?}, got: {}",
                        o.employee,
                        o.errors
                            .iter()
                            .map(|e| e.error.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                }
            }
            (None, true) => {}
        }
    }
    failures
}

/// The case files `paths` name: each file as given, and each folder's
/// `.toml` and `.json` files in name order.
///
/// # Errors
///
/// A folder that cannot be read (wrapped, naming it).
pub fn case_files(paths: &[&Path]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| Error::host(e).with_path(path.display().to_string()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "json")))
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
}

/// Runs every case file in `paths` (files, or folders whose `.toml` and
/// `.json` files are read in name order: [`case_files`]).
///
/// # Errors
///
/// A missing or unreadable file (wrapped, naming it); a malformed file.
pub fn run_case_files(plan: &CompiledPlan, paths: &[&Path]) -> Result<Vec<CaseReport>> {
    let mut reports = Vec::new();
    for file in case_files(paths)? {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(&file).map_err(|e| Error::host(e).with_path(name.clone()))?;
        reports.extend(run_cases(plan, &text, &name)?);
    }
    Ok(reports)
}

/// The JSON Schema of case files.
pub fn cases_schema() -> String {
    let schema = schemars::schema_for!(CaseFile);
    // a schema is plain JSON values: serializing it cannot fail
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
