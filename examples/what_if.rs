//! The owner's question, before anything changes: "if commission above
//! 100,000 goes from 3 % to 4 %, what does it cost me and who gains?"
//!
//! The sample shop's November (the same staff and figures as the main job)
//! is closed into a SQLite database in memory; its stored inputs are then
//! evaluated under the plan in force and under the proposal — numbers
//! only, nothing stored — and compared. Prints the plan's changes, the
//! cost and the people affected, and writes the report an owner reads at a
//! glance to `target/what_if-2026-11.html`.
//!
//! Run with `cargo run --example what_if --features sqlite,report`; add
//! `-- --lang zh-CN` for the table, the explanations and the report in
//! Chinese, with the plan's own names for its roles and grades.

#[path = "common/shop.rs"]
mod shop;

use perfpay::locale::Locale;
use perfpay::ports::Storage;
use perfpay::simulate::{explain_change, simulate};
use perfpay::sqlite::SqliteStorage;
use perfpay::{Period, Plan, RoundingPolicy, close_period};

const PLAN: &str = include_str!("shop.toml");

/// The language asked for with `--lang`: English unless told.
fn language() -> Result<&'static Locale, perfpay::Error> {
    let mut args = std::env::args().skip(1);
    let mut locale = Locale::english();
    while let Some(arg) = args.next() {
        if arg != "--lang" {
            return Err(perfpay::Error::data(format!(
                "unknown argument {arg}: try --lang zh-CN"
            )));
        }
        locale = shop::language(args.next())?;
    }
    Ok(locale)
}

fn main() -> Result<(), perfpay::Error> {
    let language = language()?;
    let now = Plan::from_toml(PLAN)?.compile()?;
    // the proposal: the plan in force with one rate changed, by its path
    let mut proposal = now.plan().clone();
    proposal.set("tiers.sales.tiers[1].rate", "0.04")?;
    proposal.version = 2;
    let proposal = proposal.compile()?;
    // the reader's words, with the plan's names for its ids
    let locale = proposal.locale(language);

    // November, closed under the plan in force
    let november = Period::month(2026, 11)?;
    let store = SqliteStorage::open_in_memory()?;
    shop::seed(&store)?;
    close_period(&now, &november, &store, &store, &store)?;
    // a what-if reads a closed month's inputs, not its explained outcome
    let inputs = store
        .recorded_inputs(&november)?
        .ok_or_else(|| perfpay::Error::data("November is not stored"))?;

    println!("What changes:");
    for change in perfpay::plan::diff(now.plan(), proposal.plan())? {
        println!("  {change}");
    }
    let simulation = simulate(&now, &proposal, [(november, inputs.as_slice())])?;
    println!("\nWhat it would have cost in {november}:");
    print!("{}", simulation.render_in(&locale)?);

    // the people a report shows, explained under both plans
    let cents = RoundingPolicy::cents();
    if let Some(top) = simulation.gainers().first() {
        let both = explain_change(&now, &proposal, &november, &inputs, &top.employee)?;
        println!("\n{} gains most:", top.employee);
        for (which, outcome) in [("now", &both.before), ("proposed", &both.after)] {
            let line = outcome
                .as_ref()
                .and_then(|o| o.payslip.as_ref())
                .and_then(|p| p.lines.iter().find(|l| l.code == "COMMISSION"));
            if let Some(line) = line {
                println!("  {which:<9} {}", line.explanation.statement_in(&locale, &cents));
            }
        }
    }

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/what_if-2026-11.html");
    std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/target")).map_err(perfpay::Error::host)?;
    let page = perfpay::report::html_in(&now, &proposal, &simulation, &locale)?;
    std::fs::write(path, page).map_err(perfpay::Error::host)?;
    println!("\nThe report: {path}");
    Ok(())
}
