//! The main job: close a month for the sample shop, kept in a SQLite file.
//!
//! Thirteen staff in operations, sales and customer service, under the
//! seed's rules (examples/shop.toml). The first run stores the roster,
//! November's and December's shop data, attendance, training courses and
//! the staff survey in `target/month_close.db`, then closes November the
//! way a small company would: the payroll clerk prepares the close as a
//! draft, the owner approves it (the audit log says who and when), and the
//! output shows scores with their parts, grades, rankings, commission,
//! awards, payslips, distances to the next reward, a team summary, the
//! survey and the findings. The vendor then corrects November's top rate,
//! and the change is written as an HTML report beside the database.
//!
//! - Run it again: November is already closed; the stored outcome is shown
//!   and nothing is paid twice.
//! - `-- 2026-12` closes December: its payslips carry the year-to-date
//!   withholding, the training points and November's correction from the
//!   stored state.
//! - `-- --db PATH` keeps the data elsewhere.
//!
//! Run with `cargo run --example month_close --features sqlite,report,export`.

use std::collections::BTreeMap;

use perfpay::incentive::AwardKind;
use perfpay::locale::{Locale, msg};
use perfpay::ports::Storage;
use perfpay::record::{PeriodOutcome, Signature};
use perfpay::simulate::simulate;
use perfpay::sqlite::SqliteStorage;
use perfpay::{CompiledPlan, Decimal, EmployeeId, Period, Plan, RoundingPolicy, close_period, prepare_close};

#[path = "common/shop.rs"]
mod shop;

const PLAN: &str = include_str!("shop.toml");

/// What the command line asks: the database and the month to close.
struct Args {
    db: String,
    period: Period,
    /// The language of the explanations: `--lang zh-CN`.
    locale: &'static Locale,
}

fn args() -> Result<Args, perfpay::Error> {
    let mut db = concat!(env!("CARGO_MANIFEST_DIR"), "/target/month_close.db").to_owned();
    let mut period = Period::month(2026, 11)?;
    let mut locale = Locale::english();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--lang" {
            locale = shop::language(args.next())?;
        } else if arg == "--db" {
            db = args
                .next()
                .ok_or_else(|| perfpay::Error::data("--db needs a path"))?;
        } else {
            period = arg.parse()?;
        }
    }
    Ok(Args { db, period, locale })
}

/// The host's clock, fixed for the sample so that its output is the same
/// on every run: 09:00 and 11:00 UTC on the first day after the period.
fn signed(actor: &str, period: &Period, hour: u32) -> Result<Signature, perfpay::Error> {
    let at = period
        .end()
        .and_hms_opt(hour, 0, 0)
        .ok_or_else(|| perfpay::Error::data("sample time is invalid"))?
        .and_utc();
    Ok(Signature::new(actor, at))
}

/// `println!` that ends the program quietly when its reader has gone
/// (`cargo run --example month_close | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

/// `print!`, ending quietly as [`say!`] does.
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if write!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

fn main() -> Result<(), perfpay::Error> {
    let Args { db, period, locale } = args()?;
    let november = Period::month(2026, 11)?;
    // November is closed under version 1 and corrected under version 2;
    // later months are closed under version 2
    let plan = if period <= november {
        Plan::from_toml(PLAN)?.compile()?
    } else {
        corrected_plan()?
    };
    if let Some(dir) = std::path::Path::new(&db).parent() {
        std::fs::create_dir_all(dir).map_err(perfpay::Error::host)?;
    }
    let storage = SqliteStorage::open(&db)?;
    if storage.staff(&period)?.is_empty() {
        shop::seed(&storage)?;
        say!("a new database at {db}: the sample shop's roster and data are stored\n");
    }

    if let Some(closed) = storage.record(&period)? {
        let approval = storage
            .audit_log()?
            .into_iter()
            .rev()
            .find(|e| e.draft.period == period && e.draft.correction == 0);
        let by = approval.map_or(String::new(), |e| {
            format!(", {} by {} at {}", e.action.as_str(), e.by.actor, e.by.at)
        });
        say!(
            "{period} is already closed (under {}{by}): nothing is paid twice. The stored outcome:\n",
            closed.outcome.plan
        );
        show(&plan, &storage, &closed.outcome, locale)?;
        return Ok(());
    }

    // review before pay: the clerk prepares, the owner approves
    let draft = prepare_close(
        &plan,
        &period,
        &storage,
        &storage,
        &storage,
        &signed("payroll clerk", &period, 9)?,
    )?;
    say!(
        "{} prepared as a draft: {} payslips, nothing paid yet",
        draft.id(),
        draft
            .outcome()
            .employees
            .iter()
            .filter(|o| o.payslip.is_some())
            .count()
    );
    storage.approve(&draft.id(), &signed("owner", &period, 11)?)?;
    for entry in storage.audit_log()?.iter().filter(|e| e.draft.period == period) {
        say!(
            "   audit: {} {} by {} at {}",
            entry.draft,
            entry.action.as_str(),
            entry.by.actor,
            entry.by.at
        );
    }
    say!();
    let outcome = draft.outcome();
    show(&plan, &storage, outcome, locale)?;
    // the journal for the accounting package, beside the database
    if let Some(chart) = plan.chart() {
        let path = format!("{}-{period}-journal.csv", db.strip_suffix(".db").unwrap_or(&db));
        std::fs::write(&path, outcome.journal(chart)?.to_csv()?).map_err(perfpay::Error::host)?;
        say!("   the month's journal for the books: {path}");
    }
    let stem = db.strip_suffix(".db").unwrap_or(&db).to_owned();
    let slips: Vec<&perfpay::Payslip> = outcome
        .employees
        .iter()
        .filter_map(|o| o.payslip.as_ref())
        .collect();
    // the bank's payment list: net pay to the account references the
    // host keeps (the sample shop's made-up ones)
    let accounts: BTreeMap<EmployeeId, String> = slips
        .iter()
        .enumerate()
        .map(|(i, s)| (s.employee.clone(), format!("6222 0200 0000 {:04}", i + 1)))
        .collect();
    let list = perfpay::journal::payments(
        slips.iter().copied(),
        &accounts,
        plan.currency(),
        &format!("{} {period} pay", outcome.plan),
    )?;
    let path = format!("{stem}-{period}-payments.csv");
    std::fs::write(&path, perfpay::journal::payments_csv(&list)?).map_err(perfpay::Error::host)?;
    say!("   the bank's payment list ({} transfers): {path}", list.len());
    // each employee's payslip as a page to print or keep
    let folder = format!("{stem}-{period}-payslips");
    std::fs::create_dir_all(&folder).map_err(perfpay::Error::host)?;
    // with the plan's own names for its ids (`养老保险` for PENSION)
    let names = plan.locale(locale);
    for slip in &slips {
        let page = perfpay::payroll::payslip_html(slip, &names, &plan.rounding(), outcome.currency);
        std::fs::write(format!("{folder}/{}.html", slip.employee), page).map_err(perfpay::Error::host)?;
    }
    say!("   {} payslips to print: {folder}/", slips.len());

    // closing the same month again changes nothing and grants nothing twice
    let again = close_period(&plan, &period, &storage, &storage, &storage)?;
    say!("   closed again: identical = {}", &again == outcome);
    if period == november {
        correct(&storage, &period)?;
        // beside the database, never over it: `x.db` → `x-2026-11-report.html`
        let path = format!("{}-{period}-report.html", db.strip_suffix(".db").unwrap_or(&db));
        report(&plan, &storage, &period, &path, locale)?;
        say!("\n   the plan change as a picture (v1 → v2 on {period}): {path}");
    }
    Ok(())
}

/// Simulates the corrected plan on the closed month and writes the report
/// an owner reads, in the reader's language: the cost, the payout curves,
/// who gains.
fn report(
    plan: &CompiledPlan,
    storage: &SqliteStorage,
    period: &Period,
    path: &str,
    locale: &Locale,
) -> Result<(), perfpay::Error> {
    let inputs = storage
        .recorded_inputs(period)?
        .ok_or_else(|| perfpay::Error::data("the closed month is not stored"))?;
    let corrected = corrected_plan()?;
    let simulation = simulate(plan, &corrected, [(*period, inputs)])?;
    let page = perfpay::report::html_in(plan, &corrected, &simulation, &corrected.locale(locale))?;
    std::fs::write(path, page).map_err(perfpay::Error::host)
}

/// Version 2 of the sample plan: the rate above 100,000 is 3.5 %, not 3 %.
fn corrected_plan() -> Result<CompiledPlan, perfpay::Error> {
    let mut corrected = Plan::from_toml(PLAN)?;
    corrected.version += 1;
    for tier in &mut corrected
        .tiers
        .get_mut("sales")
        .ok_or_else(|| perfpay::Error::data("the sample plan has no sales table"))?
        .tiers
    {
        if tier.from == Decimal::from(100_000) {
            tier.rate = Some(Decimal::new(35, 3));
        }
    }
    corrected.compile()
}

/// The vendor finds the rate above 100,000 should have been 3.5 %: a new
/// plan version corrects the closed month; the stored month is kept and
/// the differences are paid with the next payslip.
fn correct(storage: &SqliteStorage, period: &Period) -> Result<(), perfpay::Error> {
    let cents = RoundingPolicy::cents();
    let money = |v| perfpay::explain::Quantity::new(v, perfpay::Unit::Money).render(&cents);
    let corrected = corrected_plan()?;
    if let Some(correction) = perfpay::correct_period(&corrected, period, storage)? {
        say!(
            "\n== correction {} of {period} under {}",
            correction.sequence,
            correction.outcome.plan
        );
        for (employee, lines) in &correction.adjustments {
            let view: Vec<String> = lines
                .iter()
                .map(|l| format!("{} {}", l.code, money(l.amount)))
                .collect();
            let payable: Decimal = correction.payable(employee).iter().map(|i| i.amount).sum();
            say!(
                "   {employee}: {}; paid next month: {}",
                view.join(", "),
                money(payable)
            );
        }
    }
    Ok(())
}

/// Prints a month's outcome: each employee, the team, the survey, the
/// findings.
fn show(
    plan: &CompiledPlan,
    storage: &SqliteStorage,
    outcome: &PeriodOutcome,
    locale: &Locale,
) -> Result<(), perfpay::Error> {
    let period = outcome.period;
    let cents = RoundingPolicy::cents();
    // the plan's own names for its grades, roles and metrics in that language
    let locale = &plan.locale(locale);

    say!(
        "Month close {period} — plan {} (fingerprint {}…)\n",
        outcome.plan,
        &outcome.plan_fingerprint[..12]
    );
    for o in &outcome.employees {
        say!("== {} ({})", o.employee, o.role);
        for error in &o.errors {
            say!("   ! {}: {}", error.stage, error.error);
        }
        // net pay, score, grade and rank; then the commission as its pay
        // line explains it, and each award
        say_part!("{}", indent(&o.explanation.render_in(locale, &cents)));
        let slip_lines = o.payslip.as_ref().map_or(&[][..], |p| p.lines.as_slice());
        for line in slip_lines.iter().filter(|l| l.code == "COMMISSION") {
            say_part!("{}", indent_step(&line.explanation.render_in(locale, &cents)));
        }
        for award in &o.awards {
            say_part!("{}", indent_step(&award.explanation.render_in(locale, &cents)));
        }
        for goal in &o.goals {
            say!("   {}", goal.explanation.statement_in(locale, &cents));
        }
        // how far the next reward is: a tier, a grade, an award
        for next in &o.next {
            say!("   {}", next.explanation().statement_in(locale, &cents));
        }
        if let Some(slip) = &o.payslip {
            say!("   {}", locale.text(msg::PAYSLIP.def()));
            for line in &slip.lines {
                let unit = if line.code == "DAYS" {
                    perfpay::Unit::Days
                } else {
                    perfpay::Unit::Money
                };
                // the line's name in the reader's language, and whether it
                // is deducted or the employer's cost
                let kind = match line.kind {
                    perfpay::payroll::LineKind::Deduction => Some(&msg::LINE_DEDUCTED),
                    perfpay::payroll::LineKind::EmployerCost => Some(&msg::LINE_EMPLOYER_COST),
                    _ => None,
                };
                let kind = kind.map_or(String::new(), |k| locale.text(k.def()));
                let shown = format!(
                    "     {:<12} {:>12}  {} {kind}",
                    line.code,
                    perfpay::explain::Quantity::new(line.amount, unit).render_in(locale, &cents),
                    line.name_in(locale),
                );
                say!("{}", shown.trim_end());
            }
            say!(
                "     {:<12} {:>12}  {}",
                "NET",
                perfpay::explain::Quantity::new(slip.net, perfpay::Unit::Money).render_in(locale, &cents),
                locale.text(msg::NET_PAY.def())
            );
        }
        say!();
    }

    say!("== team summary");
    let mut gross = Decimal::ZERO;
    let mut net = Decimal::ZERO;
    let mut commission = Decimal::ZERO;
    let mut cash_awards = Decimal::ZERO;
    let mut points = Decimal::ZERO;
    for o in &outcome.employees {
        if let Some(p) = &o.payslip {
            gross += p.gross;
            net += p.net;
        }
        commission += o.commission.unwrap_or_default();
        for a in &o.awards {
            match a.kind {
                AwardKind::Cash(c) => cash_awards += c,
                AwardKind::Points(p) => points += p,
                AwardKind::Honour(_) => {}
            }
        }
    }
    if let Some(shop) = outcome.team.goals.get(&perfpay::id::GoalId::new("shop-gmv")?) {
        say!(
            "   the shop's goal: {}",
            shop.explanation.statement_in(locale, &cents)
        );
    }
    for (role, best) in &outcome.team.best {
        let names: Vec<&str> = best.iter().map(|e| e.as_str()).collect();
        say!("   best of {period} in {role}: {}", names.join(", "));
    }
    let money = |v| perfpay::explain::Quantity::new(v, perfpay::Unit::Money).render(&cents);
    say!(
        "   staff paid {}",
        outcome.employees.iter().filter(|o| o.payslip.is_some()).count()
    );
    say!("   gross {}, net {}", money(gross), money(net));
    say!(
        "   commission {}, cash awards {}, training points {}",
        money(commission),
        money(cash_awards),
        points.normalize()
    );

    // what the month says about the plan: the survey, then the findings
    if let Some(report) = &outcome.survey {
        say!("\n== survey (anonymity {})", report.k);
        say_part!("{}", indent(&report.render_in(locale)));
    }
    let inputs = storage
        .recorded_inputs(&period)?
        .ok_or_else(|| perfpay::Error::data("the closed month is not stored"))?;
    let findings = outcome.diagnose(plan, &inputs)?;
    say!("\n== findings ({})", findings.len());
    for f in &findings {
        say!("   {} {}: {}", f.code, f.scope, f.message.render_in(locale));
    }

    // the month in the books: each account's balance after the month's
    // entries (debits positive), which always balance, and under each
    // expense what each team's cost centre took of it
    if let Some(chart) = plan.chart() {
        let journal = outcome.journal(chart)?;
        let (debits, credits) = journal.totals()?;
        let money = |v| perfpay::explain::Quantity::new(v, perfpay::Unit::Money).render_in(locale, &cents);
        say!(
            "\n== journal: {} entries, debits {} = credits {}",
            journal.entries.len(),
            money(debits),
            money(credits)
        );
        let centres = journal.cost_centre_balances()?;
        for (account, balance) in journal.balances()? {
            say!("   {account:<40} {:>14}", money(balance));
            for ((_, centre), balance) in centres
                .range((account, "")..)
                .take_while(|((a, _), _)| *a == account)
            {
                say!("     {centre:<38} {:>14}", money(*balance));
            }
        }
    }
    say!();
    let li = storage.ledger(&EmployeeId::new("ops-li")?)?;
    say!(
        "   ops-li's training points: {} (ledger of {} movements)",
        li.balance().normalize(),
        li.movements().len()
    );
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("   {l}\n")).collect()
}

/// Indented as a child of an employee's root step.
fn indent_step(text: &str) -> String {
    text.lines().map(|l| format!("     {l}\n")).collect()
}
