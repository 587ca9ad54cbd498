//! `perfpay`: check plans, run rule cases, evaluate a period, print schemas.
//!
//! ```text
//! perfpay check PLAN                         validate; list every problem
//! perfpay test PLAN CASES…                   run rule cases (files or folders)
//! perfpay eval PLAN INPUTS [--remove PATH…] [--set PATH=VALUE…] [--format json|text]
//! perfpay diff OLD [NEW] [--remove PATH…] [--set PATH=VALUE…] [--format table|json]   what changed, by path
//! perfpay simulate OLD [NEW] [--remove PATH…] [--set PATH=VALUE…] --inputs FILE… [--format table|json|html] [--top N] [--out FILE]
//! perfpay schema plan|cases
//! ```
//!
//! Every subcommand takes `--format json` for machine-readable output.
//! Output is written once the work is done; a reader that closes the pipe
//! early (`perfpay schema plan | head -1`) ends it quietly.
//!
//! Exit codes: 0 success; 1 a problem found (invalid plan, failing case,
//! an employee who could not be evaluated, unreadable file); 2 bad usage.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use perfpay::error::chain;
use perfpay::locale::Locale;
use perfpay::testing::{InputsFile, cases_schema, run_case_files};
use perfpay::{CompiledPlan, PeriodOutcome, Plan, RoundingPolicy, evaluate_period};

#[derive(Parser)]
#[command(
    name = "perfpay",
    version,
    about = "Check plans, run rule cases, evaluate a period, simulate a plan change",
    after_help = "Exit codes: 0 success; 1 a problem found (an invalid plan, a failing case, an employee who could not be evaluated, an unreadable file); 2 bad usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a plan and list every problem.
    Check(Check),
    /// Run rule cases against a plan.
    Test(Test),
    /// Evaluate a period: INPUTS has `period`, `employees` and optionally
    /// `survey` (see examples/inputs/shop-2026-11.toml). Employees who
    /// cannot be evaluated are reported on standard error; the plan's goals
    /// follow the employees, and a summary closes the text output.
    Eval(Eval),
    /// A period's payroll journal under the plan's `[journal]` chart:
    /// OUTCOME is what `perfpay eval --format json` wrote.
    Journal(Journal),
    /// Each employee's payslip of a period: OUTCOME is what `perfpay eval
    /// --format json` wrote. As JSON (every payslip, to standard output),
    /// or as one printable HTML page per employee, written to `--out`
    /// (`<employee>.html`) or, for one `--employee`, to standard output.
    Payslips(Payslips),
    /// What changed between two plan documents, by path, and whose pay it
    /// can move (`reaches: sales`, `everyone` or `nobody`; the table only).
    Diff(Diff),
    /// What a plan change would cost, and who gains and loses: every
    /// period of INPUTS evaluated under both plans (numbers only).
    Simulate(Simulate),
    /// Print a JSON Schema.
    Schema(Schema),
    /// Print a shell completion script.
    Completions(Completions),
}

#[derive(clap::Args)]
struct Check {
    /// The plan (TOML or JSON).
    plan: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Listing::Table)]
    format: Listing,
}

#[derive(clap::Args)]
struct Test {
    /// The plan (TOML or JSON).
    plan: PathBuf,
    /// Case files or folders of them.
    #[arg(required = true)]
    cases: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Listing::Table)]
    format: Listing,
}

#[derive(clap::Args)]
struct Eval {
    /// The plan (TOML or JSON).
    plan: PathBuf,
    #[command(flatten)]
    changes: Changes,
    /// The period's inputs (TOML or JSON): `period`, `employees`, `survey`.
    inputs: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also print the period's findings (goals whose parts miss the
    /// whole, targets too high, scores too close, incentives too weak,
    /// low satisfaction) under the plan's thresholds, and the survey
    /// report when INPUTS has `survey` responses.
    #[arg(long)]
    diagnose: bool,
    /// The language of the text output: a built-in locale (`en`,
    /// `zh-CN`) or a folder of Fluent files (`locales/de`, named by its
    /// language tag), whose missing messages are written in English
    /// and listed on standard error.
    #[arg(long, default_value = "en", value_parser = language)]
    lang: String,
}

#[derive(clap::Args)]
struct Journal {
    /// The plan (TOML or JSON), with a `[journal]` section.
    plan: PathBuf,
    /// The period's outcome as JSON (`perfpay eval --format json`).
    outcome: PathBuf,
    /// Output format: each account's balance with its cost centres'
    /// shares (`table`), every entry as CSV for an accounting package
    /// (`csv`), or JSON.
    #[arg(long, value_enum, default_value_t = Books::Table)]
    format: Books,
    /// Entries summed per account and cost centre, whatever the
    /// chart's `detail` says.
    #[arg(long)]
    per_account: bool,
    /// The language of the table's summary line: `en`, `zh-CN` or a
    /// folder of Fluent files (accounts are written as the chart
    /// names them).
    #[arg(long, default_value = "en", value_parser = language)]
    lang: String,
}

#[derive(clap::Args)]
struct Payslips {
    /// The plan (TOML or JSON) the period was paid under: its names
    /// and its rounding.
    plan: PathBuf,
    /// The period's outcome as JSON (`perfpay eval --format json`).
    outcome: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Slips::Json)]
    format: Slips,
    /// Only this employee's payslip.
    #[arg(long)]
    employee: Option<String>,
    /// The folder the HTML pages are written to (created if missing).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The language of the HTML pages: `en`, `zh-CN` or a folder of
    /// Fluent files.
    #[arg(long, default_value = "en", value_parser = language)]
    lang: String,
}

#[derive(clap::Args)]
struct Diff {
    /// The plan in force (TOML or JSON).
    old: PathBuf,
    /// The proposed plan (TOML or JSON); without it, OLD with the
    /// `--remove` and `--set` changes.
    #[arg(required_unless_present_any = ["set", "remove"])]
    new: Option<PathBuf>,
    #[command(flatten)]
    changes: Changes,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Listing::Table)]
    format: Listing,
}

#[derive(clap::Args)]
struct Simulate {
    /// The plan in force (TOML or JSON).
    old: PathBuf,
    /// The proposed plan (TOML or JSON); without it, OLD with the
    /// `--remove` and `--set` changes.
    #[arg(required_unless_present_any = ["set", "remove"])]
    new: Option<PathBuf>,
    #[command(flatten)]
    changes: Changes,
    /// Periods: inputs files (`period` and `employees`, as `eval` reads)
    /// or closed periods as stored (JSON with `inputs` and `outcome`).
    #[arg(long, required = true, num_args = 1..)]
    inputs: Vec<PathBuf>,
    /// Output format: `html` is one self-contained page with SVG charts.
    #[arg(long, value_enum, default_value_t = Report::Table)]
    format: Report,
    /// Write the output to FILE instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The language of the table and the HTML page: `en`, `zh-CN` or a
    /// folder of Fluent files (with the proposed plan's names for its
    /// ids).
    #[arg(long, default_value = "en", value_parser = language)]
    lang: String,
    /// How many of those who gain most, of those who lose most and of the
    /// moves in score, grade or rank the table lists (`--format json`
    /// lists everyone).
    #[arg(long, default_value_t = 10)]
    top: usize,
}

#[derive(clap::Args)]
struct Schema {
    /// Which document.
    #[arg(value_enum)]
    which: Document,
}

#[derive(clap::Args)]
struct Completions {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Listing {
    Table,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Books {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Slips {
    Json,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Report {
    Table,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum Document {
    Plan,
    Cases,
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A plan document as written, not compiled.
fn load_doc(path: &Path) -> Result<Plan, String> {
    let text = read(path)?;
    let plan = if path.extension().and_then(|e| e.to_str()) == Some("json") {
        Plan::from_json(&text)
    } else {
        Plan::from_toml(&text)
    };
    plan.map_err(|e| plan_error(path, &e))
}

/// `path: invalid plan (2 problems):`, then each problem on a line of its
/// own (the error's text lists them on its one line too: not twice here).
fn plan_error(path: &Path, e: &perfpay::Error) -> String {
    let text = chain(e);
    let listed = e
        .problems()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    let head = match text.strip_suffix(listed.as_str()) {
        Some(head) if !listed.is_empty() => head.trim_end(),
        _ => text.as_str(),
    };
    let mut out = format!("{}: {head}", path.display());
    for p in e.problems() {
        out.push_str(&format!("\n  {p}"));
    }
    out
}

/// A period's inputs from FILE, and its survey responses: an input file as
/// `eval` reads, or a closed period as stored (its survey is in its
/// outcome, so none is returned).
fn load_period(path: &Path) -> Result<PeriodFile, String> {
    let text = read(path)?;
    // a closed period as stored: JSON with `inputs` and `outcome` (told by
    // its keys alone, skipping the values unread: an inputs file of 100,000
    // employees is 40 MB)
    #[derive(serde::Deserialize)]
    struct Keys {
        inputs: Option<serde::de::IgnoredAny>,
        outcome: Option<serde::de::IgnoredAny>,
    }
    let stored = serde_json::from_str::<Keys>(&text).is_ok_and(|k| k.inputs.is_some() && k.outcome.is_some());
    if stored {
        let closed: perfpay::record::ClosedPeriod = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a closed period: {e}", path.display()))?;
        return Ok((closed.outcome.period, closed.inputs, Vec::new()));
    }
    let file = InputsFile::from_text(&text, &path.display().to_string()).map_err(|e| {
        let hint = if e.message().contains("unknown field `cases`") {
            " (a rule-case file: run it with `perfpay test`)"
        } else {
            ""
        };
        format!("{}{hint}", chain(&e))
    })?;
    Ok((file.period, file.employees, file.survey))
}

/// A period, its employees' inputs and its survey responses.
type PeriodFile = (
    perfpay::Period,
    Vec<perfpay::EmployeeInputs>,
    Vec<perfpay::feedback::Response>,
);

/// Changes to a plan by path, as `diff` prints them: what a proposal
/// drops, then what it sets.
#[derive(clap::Args)]
struct Changes {
    /// A value or list entry taken out of the plan, by path:
    /// `--remove 'incentives[best-of-month]'` (repeatable; applied before
    /// `--set`).
    #[arg(long = "remove", value_name = "PATH")]
    remove: Vec<String>,
    /// A value of the plan changed, by path:
    /// `--set 'tiers.sales.tiers[1].rate=0.04'` (repeatable, applied in
    /// order).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = change)]
    set: Vec<(String, String)>,
}

impl Changes {
    /// How a plan at `path` is named once changed: `path`, or `path with
    /// the changes` (a problem of the changed plan is not one of the file).
    fn named(&self, path: &Path) -> PathBuf {
        if self.remove.is_empty() && self.set.is_empty() {
            path.to_path_buf()
        } else {
            PathBuf::from(format!("{} with the changes", path.display()))
        }
    }

    /// `plan` with every `--remove`, then every `--set`, applied in order.
    fn apply(&self, plan: &mut Plan) -> Result<(), String> {
        for path in &self.remove {
            plan.remove(path)
                .map_err(|e| plan_error(Path::new(&format!("--remove {path}")), &e))?;
        }
        for (path, value) in &self.set {
            plan.set(path, value)
                .map_err(|e| plan_error(Path::new(&format!("--set {path}={value}")), &e))?;
        }
        Ok(())
    }
}

/// The plan in force and the proposal: NEW (or OLD again) with the
/// changes applied. There must be a NEW or a change.
fn load_proposal(old: &Path, new: Option<&Path>, changes: &Changes) -> Result<(Plan, Plan), String> {
    let current = load_doc(old)?;
    let mut proposed = match new {
        Some(path) => load_doc(path)?,
        None => current.clone(),
    };
    changes.apply(&mut proposed)?;
    Ok((current, proposed))
}

/// The case files CASES names ([`perfpay::testing::case_files`]) but the
/// plan itself, so a worked plan's folder (its `plan.toml` beside its
/// cases) can be given whole.
fn case_files(plan: &Path, cases: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let plan = std::fs::canonicalize(plan).map_err(|e| format!("{}: {e}", plan.display()))?;
    let paths: Vec<&Path> = cases.iter().map(PathBuf::as_path).collect();
    let mut files = perfpay::testing::case_files(&paths).map_err(|e| chain(&e))?;
    files.retain(|file| std::fs::canonicalize(file).ok().as_ref() != Some(&plan));
    Ok(files)
}

/// `PATH=VALUE` of `--set`, split at the first `=`.
fn change(written: &str) -> Result<(String, String), String> {
    match written.split_once('=') {
        Some((path, value)) if !path.trim().is_empty() => Ok((path.trim().to_owned(), value.to_owned())),
        _ => Err("write PATH=VALUE, such as tiers.sales.tiers[1].rate=0.04".to_owned()),
    }
}

fn load_plan(path: &Path) -> Result<perfpay::CompiledPlan, String> {
    load_doc(path)?.compile().map_err(|e| plan_error(path, &e))
}

/// `writeln!` into the output buffer (a `String` never fails).
macro_rules! say {
    ($out:expr) => {{
        $out.push('\n');
    }};
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// A problem as JSON: its path and message.
fn problem_json(p: &perfpay::error::Problem) -> serde_json::Value {
    serde_json::json!({ "path": p.path(), "message": p.message() })
}

/// `value` as one line of JSON at the end of `out`, written in place: a
/// month of 100,000 explained outcomes is most of a gigabyte of JSON, so it
/// is neither built as a `serde_json::Value` tree nor copied from one
/// string into another. Nothing is added when it does not serialize.
fn say_json(out: &mut String, value: &impl serde::Serialize) -> Result<(), String> {
    let mut bytes = std::mem::take(out).into_bytes();
    let kept = bytes.len();
    let written = serde_json::to_writer(&mut bytes, value);
    match written {
        Ok(()) => bytes.push(b'\n'),
        Err(_) => bytes.truncate(kept),
    }
    // serde_json writes UTF-8: checked here, not copied
    *out = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    written.map_err(|e| e.to_string())
}

/// `text` at the end of `out`, moved rather than copied when `out` is
/// still empty (a simulation's JSON or report is the whole output).
fn append(out: &mut String, text: String) {
    if out.is_empty() {
        *out = text;
    } else {
        out.push_str(&text);
    }
}

fn run(cli: Cli, out: &mut String, err: &mut String) -> Result<bool, String> {
    match cli.command {
        Command::Check(args) => check(args, out),
        Command::Test(args) => test(args, out),
        Command::Eval(args) => eval(args, out, err),
        Command::Journal(args) => journal(args, out, err),
        Command::Payslips(args) => payslips(args, out, err),
        Command::Diff(args) => diff(args, out, err),
        Command::Simulate(args) => simulate(args, out, err),
        Command::Completions(args) => completions(args, out),
        Command::Schema(args) => schema(args, out),
    }
}

/// `perfpay check`: the plan compiled, its effective weights and warnings;
/// every problem when it does not compile (false).
fn check(Check { plan, format }: Check, out: &mut String) -> Result<bool, String> {
    let compiled = match (load_doc(&plan), format) {
        (Ok(doc), Listing::Json) => match doc.compile() {
            Ok(compiled) => compiled,
            Err(e) => {
                let problems: Vec<_> = e.problems().iter().map(problem_json).collect();
                say_json(
                    out,
                    &serde_json::json!({
                        "plan": plan.display().to_string(), "ok": false,
                        "error": chain(&e), "code": e.code(), "problems": problems,
                    }),
                )?;
                return Ok(false);
            }
        },
        (doc, _) => doc?.compile().map_err(|e| plan_error(&plan, &e))?,
    };
    let doc = compiled.plan();
    match format {
        Listing::Json => {
            let weights: Vec<_> = compiled
                .weights()
                .iter()
                .map(|(path, w)| serde_json::json!({ "path": path, "weights": w.to_string() }))
                .collect();
            let warnings: Vec<_> = compiled.warnings().iter().map(problem_json).collect();
            say_json(
                out,
                &serde_json::json!({
                    "plan": plan.display().to_string(), "ok": true, "id": doc.id, "version": doc.version,
                    "fingerprint": compiled.fingerprint(), "weights": weights, "warnings": warnings,
                }),
            )?;
        }
        Listing::Table => {
            say!(
                out,
                "{}: ok (plan {} v{}, fingerprint {})",
                plan.display(),
                doc.id,
                doc.version,
                compiled.fingerprint()
            );
            for (path, weights) in compiled.weights() {
                say!(out, "weights {path}: {weights}");
            }
            for w in compiled.warnings() {
                say!(out, "warning: {w}");
            }
        }
    }
    Ok(true)
}

/// `perfpay test`: each case's verdict and failures; false when one fails.
fn test(Test { plan, cases, format }: Test, out: &mut String) -> Result<bool, String> {
    let compiled = load_plan(&plan)?;
    let files = case_files(&plan, &cases)?;
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let reports = run_case_files(&compiled, &paths).map_err(|e| chain(&e))?;
    let failed = reports.iter().filter(|r| !r.passed()).count();
    let passed = reports.len().saturating_sub(failed);
    match format {
        Listing::Json => {
            let cases: Vec<_> = reports
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "file": r.file, "name": r.name, "passed": r.passed(), "failures": r.failures,
                    })
                })
                .collect();
            say_json(
                out,
                &serde_json::json!({ "passed": passed, "failed": failed, "cases": cases }),
            )?;
        }
        Listing::Table => {
            for r in &reports {
                if r.passed() {
                    say!(out, "ok   {} — {}", r.file, r.name);
                } else {
                    say!(out, "FAIL {} — {}", r.file, r.name);
                    for f in &r.failures {
                        say!(out, "       {f}");
                    }
                }
            }
            say!(out, "{passed} passed, {failed} failed");
        }
    }
    Ok(failed == 0)
}

/// `perfpay eval`: the period's outcome, with its findings and survey
/// report on `--diagnose`; false when an employee could not be evaluated.
fn eval(
    Eval {
        plan,
        changes,
        inputs,
        format,
        diagnose,
        lang,
    }: Eval,
    out: &mut String,
    err: &mut String,
) -> Result<bool, String> {
    let mut document = load_doc(&plan)?;
    changes.apply(&mut document)?;
    let compiled = document
        .compile()
        .map_err(|e| plan_error(&changes.named(&plan), &e))?;
    // the plan's own names for its ids in that language
    let locale = compiled.locale(&load_locale(&lang, err)?);
    let (period, employees, survey) = load_period(&inputs)?;
    let mut outcome = evaluate_period(&compiled, &period, &employees).map_err(|e| chain(&e))?;
    outcome.survey = compiled.survey_report(&survey).map_err(|e| chain(&e))?;
    let findings = if diagnose {
        outcome.diagnose(&compiled, &employees).map_err(|e| chain(&e))?
    } else {
        Vec::new()
    };
    // employees who could not be evaluated: on standard error, with
    // who and where
    let mut failed = 0usize;
    for o in outcome.employees.iter().filter(|o| !o.errors.is_empty()) {
        failed = failed.saturating_add(1);
        for e in &o.errors {
            say!(err, "perfpay: {} ({}): {}", o.employee, e.stage, chain(&e.error));
        }
    }
    match format {
        Format::Json if diagnose => {
            // the fields in the order `serde_json::json!` wrote them
            #[derive(serde::Serialize)]
            struct Diagnosed<'a> {
                findings: &'a [perfpay::feedback::Finding],
                outcome: &'a perfpay::PeriodOutcome,
            }
            say_json(
                out,
                &Diagnosed {
                    findings: &findings,
                    outcome: &outcome,
                },
            )?;
        }
        Format::Json => say_json(out, &outcome)?,
        Format::Text => {
            let cents = RoundingPolicy::cents();
            for o in outcome.employees.iter().filter(|o| o.errors.is_empty()) {
                out.push_str(&o.render_in(&locale, &cents));
            }
            goals(out, err, &compiled, &outcome, &locale);
            if diagnose {
                diagnosis(out, &outcome, &findings, &locale);
            }
            summary(out, &outcome, failed, &locale)?;
        }
    }
    leave(outcome);
    leave(employees);
    Ok(failed == 0)
}

/// Leaves `value` to the end of the process rather than freeing it: a
/// command's last use of a month of outcomes or inputs is followed only by
/// printing and exiting, and freeing 100,000 explained outcomes one
/// allocation at a time took about 0.2 s of a 2–4 s command (measured).
fn leave<T>(value: T) {
    std::mem::forget(value);
}

/// The plan's goals after the employees: each tree from its root, as the
/// period rolled it up; a goal whose progress could not be computed (a
/// leaf nobody measured, and the goals above it) on standard error.
fn goals(out: &mut String, err: &mut String, plan: &CompiledPlan, outcome: &PeriodOutcome, locale: &Locale) {
    let cents = RoundingPolicy::cents();
    let roots = plan
        .goals()
        .into_iter()
        .flat_map(|tree| tree.goals())
        .filter(|g| g.parent.is_none());
    for root in roots {
        if let Some(progress) = outcome.team.goals.get(&root.id) {
            out.push_str(&progress.explanation.render_in(locale, &cents));
        }
    }
    for (goal, error) in &outcome.team.goal_errors {
        say!(err, "perfpay: goal {goal}: {}", chain(error));
    }
}

/// `perfpay journal`: the period's payroll journal as a table of balances,
/// CSV or JSON.
fn journal(
    Journal {
        plan,
        outcome,
        format,
        per_account,
        lang,
    }: Journal,
    out: &mut String,
    err: &mut String,
) -> Result<bool, String> {
    let compiled = load_plan(&plan)?;
    let chart = compiled
        .chart()
        .ok_or_else(|| format!("{}: the plan has no [journal] section", plan.display()))?;
    let period = read_outcome(&outcome)?;
    let mut journal = period.journal(chart).map_err(|e| chain(&e))?;
    if per_account {
        journal = journal.per_account().map_err(|e| chain(&e))?;
    }
    match format {
        Books::Csv => out.push_str(&journal.to_csv().map_err(|e| chain(&e))?),
        Books::Json => say_json(out, &journal)?,
        Books::Table => {
            let locale = compiled.locale(&load_locale(&lang, err)?);
            let (debits, credits) = journal.totals().map_err(|e| chain(&e))?;
            let minor = period
                .currency
                .map_or_else(RoundingPolicy::cents, |c| c.rounding());
            let money =
                |v| perfpay::explain::Quantity::new(v, perfpay::Unit::Money).render_in(&locale, &minor);
            let entries = perfpay::explain::Quantity::new(journal.entries.len().into(), perfpay::Unit::Count);
            locale.write_with(
                out,
                perfpay::locale::msg::JOURNAL_SUMMARY.def(),
                &[
                    journal.plan.to_string().into(),
                    journal.period.to_string().into(),
                    entries.render_in(&locale, &minor).into(),
                    money(debits).into(),
                    money(credits).into(),
                ],
            );
            out.push('\n');
            // each account's balance, and under it each cost
            // centre's share when it has them, in columns as a
            // terminal shows them (an account named in Chinese
            // takes two columns a character)
            let centres = journal.cost_centre_balances().map_err(|e| chain(&e))?;
            for (account, balance) in journal.balances().map_err(|e| chain(&e))? {
                say!(out, "  {} {:>14}", padded(account, 40), money(balance));
                for ((_, centre), balance) in centres
                    .range((account, "")..)
                    .take_while(|((a, _), _)| *a == account)
                {
                    say!(out, "    {} {:>14}", padded(centre, 38), money(*balance));
                }
            }
        }
    }
    Ok(true)
}

/// `perfpay payslips`: the period's payslips as JSON, or printable pages.
fn payslips(
    Payslips {
        plan,
        outcome,
        format,
        employee,
        out: to,
        lang,
    }: Payslips,
    out: &mut String,
    err: &mut String,
) -> Result<bool, String> {
    let compiled = load_plan(&plan)?;
    let period = read_outcome(&outcome)?;
    let slips: Vec<&perfpay::Payslip> = period
        .employees
        .iter()
        .filter(|o| employee.as_deref().is_none_or(|e| o.employee.as_str() == e))
        .filter_map(|o| o.payslip.as_ref())
        .collect();
    if let (Some(e), true) = (&employee, slips.is_empty()) {
        return Err(format!("{}: no payslip of {e}", outcome.display()));
    }
    match (format, to) {
        (Slips::Json, _) => say_json(out, &slips)?,
        (Slips::Html, None) if slips.len() == 1 => {
            let locale = compiled.locale(&load_locale(&lang, err)?);
            for slip in &slips {
                out.push_str(&perfpay::payroll::payslip_html(
                    slip,
                    &locale,
                    &compiled.rounding(),
                    period.currency,
                ));
            }
        }
        (Slips::Html, None) => {
            return Err(
                "--format html writes one page per employee: give --out FOLDER, or --employee ID for one page on standard output"
                    .into(),
            );
        }
        (Slips::Html, Some(folder)) => {
            let locale = compiled.locale(&load_locale(&lang, err)?);
            std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
            for slip in slips {
                let page =
                    perfpay::payroll::payslip_html(slip, &locale, &compiled.rounding(), period.currency);
                let path = folder.join(format!("{}.html", slip.employee));
                std::fs::write(&path, page).map_err(|e| format!("{}: {e}", path.display()))?;
                say!(out, "{}", path.display());
            }
        }
    }
    Ok(true)
}

/// `perfpay diff`: what changed between two plans, by path, and whose pay
/// it can move (and a note when the proposal would not compile).
fn diff(
    Diff {
        old,
        new,
        changes,
        format,
    }: Diff,
    out: &mut String,
    err: &mut String,
) -> Result<bool, String> {
    let (current, proposed) = load_proposal(&old, new.as_deref(), &changes)?;
    let changes = perfpay::plan::diff(&current, &proposed).map_err(|e| chain(&e))?;
    // the difference is of documents; a proposal that would not
    // run is worth saying before anyone simulates or adopts it
    if let Err(e) = proposed.compile() {
        let label = match new.as_deref() {
            Some(path) => path.display().to_string(),
            None => "the proposal".to_owned(),
        };
        say!(err, "perfpay: note: {}", plan_error(Path::new(&label), &e));
    }
    match format {
        Listing::Json => say_json(out, &changes)?,
        Listing::Table if changes.is_empty() => say!(out, "no changes"),
        Listing::Table => {
            for change in &changes {
                say!(out, "{change}");
            }
            // whose pay the change can move (what `simulate` evaluates again)
            match perfpay::plan::reach(&current, &proposed).map_err(|e| chain(&e))? {
                perfpay::plan::Reach::Roles(roles) if roles.is_empty() => say!(out, "reaches: nobody"),
                perfpay::plan::Reach::Roles(roles) => {
                    let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                    say!(out, "reaches: {}", roles.join(", "));
                }
                _ => say!(out, "reaches: everyone"),
            }
        }
    }
    Ok(true)
}

/// `perfpay simulate`: what the proposal would cost over the periods given,
/// as a table, JSON or an HTML report.
fn simulate(
    Simulate {
        old,
        new,
        changes,
        inputs,
        format,
        out: to,
        lang,
        top,
    }: Simulate,
    out: &mut String,
    err: &mut String,
) -> Result<bool, String> {
    let (current, proposed) = load_proposal(&old, new.as_deref(), &changes)?;
    let current = current.compile().map_err(|e| plan_error(&old, &e))?;
    let proposed = proposed
        .compile()
        .map_err(|e| plan_error(&changes.named(new.as_deref().unwrap_or(&old)), &e))?;
    let mut simulator = perfpay::simulate::Simulator::new(&current, &proposed);
    let progress = indicatif::ProgressBar::new(u64::try_from(inputs.len()).unwrap_or(u64::MAX));
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    for path in &inputs {
        progress.set_message(path.display().to_string());
        // one period's inputs at a time: memory stays flat
        let (period, employees, survey) = load_period(path)?;
        simulator
            .add_period_with_survey(&period, &employees, &survey)
            .map_err(|e| format!("{}: {}", path.display(), chain(&e)))?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    let simulation = simulator.finish();
    let text = match format {
        Report::Json => {
            let mut text = String::new();
            say_json(&mut text, &simulation)?;
            text
        }
        Report::Table => {
            let locale = proposed.locale(&load_locale(&lang, err)?);
            simulation.render_top(&locale, top).map_err(|e| chain(&e))?
        }
        Report::Html => {
            let locale = proposed.locale(&load_locale(&lang, err)?);
            perfpay::report::html_in(&current, &proposed, &simulation, &locale).map_err(|e| chain(&e))?
        }
    };
    match to {
        Some(path) => std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?,
        None => append(out, text),
    }
    Ok(true)
}

/// `perfpay completions`: the shell's completion script.
fn completions(Completions { shell }: Completions, out: &mut String) -> Result<bool, String> {
    let mut script = Vec::new();
    clap_complete::generate(
        shell,
        &mut <Cli as clap::CommandFactory>::command(),
        "perfpay",
        &mut script,
    );
    out.push_str(&String::from_utf8_lossy(&script));
    Ok(true)
}

/// `perfpay schema`: the JSON Schema of a plan or of a case file.
fn schema(Schema { which }: Schema, out: &mut String) -> Result<bool, String> {
    say!(
        out,
        "{}",
        match which {
            Document::Plan => Plan::json_schema(),
            Document::Cases => cases_schema(),
        }
    );
    Ok(true)
}

/// `eval --diagnose`'s text: the survey report when there is one, then the
/// period's findings.
fn diagnosis(
    out: &mut String,
    outcome: &perfpay::PeriodOutcome,
    findings: &[perfpay::feedback::Finding],
    locale: &Locale,
) {
    if let Some(report) = &outcome.survey {
        let heading = locale.text_with(
            perfpay::locale::msg::SURVEY_HEADING.def(),
            &[report.k.to_string().into()],
        );
        say!(out, "{heading}");
        for line in report.render_in(locale).lines() {
            say!(out, "  {line}");
        }
    }
    let heading = locale.text_with(
        perfpay::locale::msg::FINDINGS_HEADING.def(),
        &[findings.len().to_string().into()],
    );
    say!(out, "{heading}");
    for f in findings {
        say!(out, "  {} {}: {}", f.code, f.scope, f.message.render_in(locale));
    }
}

/// The text output's last lines: how many were paid, the totals, and how
/// many could not be evaluated.
fn summary(
    out: &mut String,
    outcome: &perfpay::PeriodOutcome,
    failed: usize,
    locale: &Locale,
) -> Result<(), String> {
    use perfpay::explain::Quantity;
    use perfpay::locale::msg;
    let mut costs = perfpay::simulate::Costs::default();
    for o in &outcome.employees {
        costs = costs
            .plus(&perfpay::simulate::Costs::of(o).map_err(|e| chain(&e))?)
            .map_err(|e| chain(&e))?;
    }
    let cents = RoundingPolicy::cents();
    let money = |v| {
        Quantity::new(v, perfpay::Unit::Money)
            .render_in(locale, &cents)
            .into()
    };
    let count = |n: usize| {
        Quantity::new(n.into(), perfpay::Unit::Count)
            .render_in(locale, &cents)
            .into()
    };
    locale.write_with(
        out,
        msg::EVAL_SUMMARY.def(),
        &[
            outcome.plan.to_string().into(),
            outcome.period.to_string().into(),
            count(outcome.employees.len()),
            count(failed),
            money(costs.gross),
            money(costs.net),
            money(costs.employer_cost),
            money(costs.commission),
        ],
    );
    out.push('\n');
    Ok(())
}

/// The period's outcome `perfpay eval --format json` wrote at `path` (or
/// `eval --diagnose`, which writes it beside its findings).
fn read_outcome(path: &std::path::Path) -> Result<perfpay::PeriodOutcome, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(inner) = value.get_mut("outcome") {
        value = inner.take();
    }
    serde_json::from_value(value).map_err(|e| format!("{}: not a period's outcome: {e}", path.display()))
}

/// `--lang`: a built-in locale or a folder (bad usage otherwise, exit 2).
fn language(lang: &str) -> Result<String, String> {
    if Path::new(lang).is_dir() || Locale::built_in_for(lang).is_some() {
        Ok(lang.to_owned())
    } else {
        Err("no built-in locale (en, zh-CN) and no folder of that name".to_owned())
    }
}

/// `text` and the spaces that make it `width` terminal columns wide (a
/// Chinese character takes two).
fn padded(text: &str, width: usize) -> String {
    let wide = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(wide)))
}

/// The locale `lang` names: a built-in one, or a folder of Fluent files
/// named by its language tag. The messages a folder lacks are listed on
/// standard error.
fn load_locale(lang: &str, err: &mut String) -> Result<Locale, String> {
    let folder = std::path::Path::new(lang);
    if !folder.is_dir() {
        return match Locale::built_in_for(lang) {
            Some(locale) => Ok(locale.clone()),
            None => Err(format!(
                "--lang {lang}: no built-in locale (en, zh-CN) and no folder of that name"
            )),
        };
    }
    let tag = folder
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("--lang {lang}: a folder named by a language tag, such as locales/de"))?;
    let mut files = Vec::new();
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{lang}: {e}"))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{lang}: {e}"))?.path();
        if path.extension().is_some_and(|x| x == "ftl") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((path.display().to_string(), text));
        }
    }
    files.sort();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let locale = Locale::from_ftl(tag, &borrowed).map_err(|e| chain(&e))?;
    if !locale.missing().is_empty() {
        say!(
            err,
            "perfpay: locale {tag} lacks {} messages, written in English: {}",
            locale.missing().len(),
            locale.missing().join(", ")
        );
    }
    Ok(locale)
}

/// Writes `text` to `stream`; a reader that closed the pipe early is not
/// an error.
fn emit(mut stream: impl Write, text: &str) {
    if let Err(e) = stream.write_all(text.as_bytes()).and_then(|()| stream.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(std::io::stderr(), "perfpay: cannot write the output: {e}");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (mut out, mut err) = (String::new(), String::new());
    let result = run(cli, &mut out, &mut err);
    emit(std::io::stdout().lock(), &out);
    emit(std::io::stderr().lock(), &err);
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            emit(std::io::stderr().lock(), &format!("perfpay: {message}\n"));
            ExitCode::from(1)
        }
    }
}
