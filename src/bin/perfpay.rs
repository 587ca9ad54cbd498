//! `perfpay`: check plans, run rule cases, evaluate a period, print schemas.
//!
//! ```text
//! perfpay check PLAN                         validate; list every problem
//! perfpay test PLAN CASES…                   run rule cases (files or folders)
//! perfpay eval PLAN INPUTS [--format json|text]
//! perfpay diff OLD NEW [--format table|json]   what changed, by path
//! perfpay simulate OLD NEW --inputs FILE… [--format table|json|html] [--out FILE]
//! perfpay schema plan|cases
//! ```
//!
//! Exit codes: 0 success; 1 a problem found (invalid plan, failing case,
//! unreadable file); 2 bad usage.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use perfpay::error::chain;
use perfpay::testing::{CaseFile, cases_schema, run_case_files};
use perfpay::{Plan, RoundingPolicy, evaluate_period};

#[derive(Parser)]
#[command(
    name = "perfpay",
    version,
    about = "Check plans, run rule cases, evaluate a period"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a plan and list every problem.
    Check {
        /// The plan (TOML or JSON).
        plan: PathBuf,
    },
    /// Run rule cases against a plan.
    Test {
        /// The plan (TOML or JSON).
        plan: PathBuf,
        /// Case files or folders of them.
        #[arg(required = true)]
        cases: Vec<PathBuf>,
    },
    /// Evaluate a period: INPUTS has `period` and `employees`.
    Eval {
        /// The plan (TOML or JSON).
        plan: PathBuf,
        /// The period's inputs (TOML or JSON).
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
    },
    /// What changed between two plan documents, by path.
    Diff {
        /// The plan in force (TOML or JSON).
        old: PathBuf,
        /// The proposed plan (TOML or JSON).
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
    },
    /// What a plan change would cost, and who gains and loses: every
    /// period of INPUTS evaluated under both plans (numbers only).
    Simulate {
        /// The plan in force (TOML or JSON).
        old: PathBuf,
        /// The proposed plan (TOML or JSON).
        new: PathBuf,
        /// Periods: input files (`period` and `employees`, as `eval` reads)
        /// or closed periods as stored (JSON with `inputs` and `outcome`).
        #[arg(long, required = true, num_args = 1..)]
        inputs: Vec<PathBuf>,
        /// Output format: `html` is one self-contained page with SVG charts.
        #[arg(long, value_enum, default_value_t = Report::Table)]
        format: Report,
        /// Write the output to FILE instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a JSON Schema.
    Schema {
        /// Which document.
        #[arg(value_enum)]
        which: Schema,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Report {
    Table,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum Schema {
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

fn plan_error(path: &Path, e: &perfpay::Error) -> String {
    let mut out = format!("{}: {}", path.display(), chain(e));
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
    let stored = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .is_some_and(|v| v.get("inputs").is_some() && v.get("outcome").is_some());
    if stored {
        let closed: perfpay::record::ClosedPeriod = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a closed period: {e}", path.display()))?;
        return Ok((closed.outcome.period, closed.inputs, Vec::new()));
    }
    let file = CaseFile::from_text(&text, &path.display().to_string()).map_err(|e| chain(&e))?;
    let year = perfpay::period::Datelike::year(&file.period.start());
    let mut employees = Vec::new();
    for case in file.cases {
        for mut e in case.employees {
            e.ytd.get_or_insert(perfpay::PayrollYtd::new(year));
            employees.push(e);
        }
    }
    Ok((file.period, employees, file.survey))
}

/// A period, its employees' inputs and its survey responses.
type PeriodFile = (
    perfpay::Period,
    Vec<perfpay::EmployeeInputs>,
    Vec<perfpay::feedback::Response>,
);

fn load_plan(path: &Path) -> Result<perfpay::CompiledPlan, String> {
    load_doc(path)?.compile().map_err(|e| plan_error(path, &e))
}

fn run(cli: Cli) -> Result<bool, String> {
    match cli.command {
        Command::Check { plan } => {
            let compiled = load_plan(&plan)?;
            println!(
                "{}: ok (plan {} v{}, fingerprint {})",
                plan.display(),
                compiled.plan().id,
                compiled.plan().version,
                compiled.fingerprint()
            );
            for (path, weights) in compiled.weights() {
                println!("weights {path}: {weights}");
            }
            for w in compiled.warnings() {
                println!("warning: {w}");
            }
            Ok(true)
        }
        Command::Test { plan, cases } => {
            let compiled = load_plan(&plan)?;
            let paths: Vec<&Path> = cases.iter().map(PathBuf::as_path).collect();
            let reports = run_case_files(&compiled, &paths).map_err(|e| chain(&e))?;
            let failed = reports.iter().filter(|r| !r.passed()).count();
            for r in &reports {
                if r.passed() {
                    println!("ok   {} — {}", r.file, r.name);
                } else {
                    println!("FAIL {} — {}", r.file, r.name);
                    for f in &r.failures {
                        println!("       {f}");
                    }
                }
            }
            println!("{} passed, {failed} failed", reports.len().saturating_sub(failed));
            Ok(failed == 0)
        }
        Command::Eval {
            plan,
            inputs,
            format,
            diagnose,
        } => {
            let compiled = load_plan(&plan)?;
            let (period, employees, survey) = load_period(&inputs)?;
            let mut outcome = evaluate_period(&compiled, &period, &employees).map_err(|e| chain(&e))?;
            outcome.survey = compiled.survey_report(&survey).map_err(|e| chain(&e))?;
            let findings = if diagnose {
                outcome.diagnose(&compiled, &employees).map_err(|e| chain(&e))?
            } else {
                Vec::new()
            };
            match format {
                Format::Json if diagnose => println!(
                    "{}",
                    serde_json::to_string(&serde_json::json!({ "outcome": outcome, "findings": findings }))
                        .map_err(|e| e.to_string())?
                ),
                Format::Json => println!("{}", outcome.to_json().map_err(|e| chain(&e))?),
                Format::Text => {
                    let cents = RoundingPolicy::cents();
                    for o in &outcome.employees {
                        for e in &o.errors {
                            println!("! {} {}: {}", o.employee, e.stage, e.error);
                        }
                        print!("{}", o.render(&cents));
                    }
                    if diagnose {
                        if let Some(report) = &outcome.survey {
                            println!("survey (anonymity {})", report.k);
                            for line in report.render().lines() {
                                println!("  {line}");
                            }
                        }
                        println!("findings ({})", findings.len());
                        for f in &findings {
                            println!("  {} {}: {}", f.code, f.scope, f.message);
                        }
                    }
                }
            }
            Ok(outcome.employees.iter().all(|o| o.errors.is_empty()))
        }
        Command::Diff { old, new, format } => {
            let changes = perfpay::plan::diff(&load_doc(&old)?, &load_doc(&new)?).map_err(|e| chain(&e))?;
            match format {
                DiffFormat::Json => {
                    println!("{}", serde_json::to_string(&changes).map_err(|e| e.to_string())?)
                }
                DiffFormat::Table if changes.is_empty() => println!("no changes"),
                DiffFormat::Table => {
                    for change in &changes {
                        println!("{change}");
                    }
                }
            }
            Ok(true)
        }
        Command::Simulate {
            old,
            new,
            inputs,
            format,
            out,
        } => {
            let (current, proposed) = (load_plan(&old)?, load_plan(&new)?);
            let mut simulator = perfpay::simulate::Simulator::new(&current, &proposed);
            let progress = indicatif::ProgressBar::new(u64::try_from(inputs.len()).unwrap_or(u64::MAX));
            if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            for path in &inputs {
                progress.set_message(path.display().to_string());
                // one period's inputs at a time: memory stays flat
                let (period, employees, _) = load_period(path)?;
                simulator
                    .add_period(&period, &employees)
                    .map_err(|e| format!("{}: {}", path.display(), chain(&e)))?;
                progress.inc(1);
            }
            progress.finish_and_clear();
            let simulation = simulator.finish();
            let text = match format {
                Report::Json => serde_json::to_string(&simulation).map_err(|e| e.to_string())? + "\n",
                Report::Table => simulation.render().map_err(|e| chain(&e))?,
                Report::Html => {
                    perfpay::report::html(&current, &proposed, &simulation).map_err(|e| chain(&e))?
                }
            };
            match out {
                Some(path) => std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?,
                None => print!("{text}"),
            }
            Ok(true)
        }
        Command::Schema { which } => {
            println!(
                "{}",
                match which {
                    Schema::Plan => Plan::json_schema(),
                    Schema::Cases => cases_schema(),
                }
            );
            Ok(true)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("perfpay: {message}");
            ExitCode::from(1)
        }
    }
}
