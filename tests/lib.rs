//! perfpay's integration tests: one binary, one module per capability.

#[cfg(feature = "cli")]
mod cli;
mod code;
#[cfg(feature = "cli")]
mod docs;
mod errors;
mod explain;
mod feedback;
mod goal;
#[cfg(feature = "testing")]
mod hostile;
mod incentive;
#[cfg(feature = "testing")]
mod journal;
#[cfg(feature = "testing")]
mod locale;
mod money;
mod motivation;
#[cfg(feature = "testing")]
mod payroll;
mod period;
mod plan;
#[cfg(feature = "testing")]
mod properties;
mod score;
mod script;
#[cfg(feature = "testing")]
mod shard;
mod simulate;
#[cfg(feature = "testing")]
mod storage;
mod tier;

/// How many cases a property runs: `PROPTEST_CASES` when it is set (a long
/// run asks for 100,000), else the property's own default.
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A plan and the rule cases CI runs it on.
pub(crate) struct Worked {
    /// The folder's name under `examples/rules/`; `shop` for the sample.
    pub(crate) name: String,
    pub(crate) plan: std::path::PathBuf,
    pub(crate) cases: Vec<std::path::PathBuf>,
}

/// The worked plans: each folder of `examples/rules/` (its `plan.toml`
/// and its `cases*.toml`) in name order, then the sample shop
/// (`examples/shop.toml` with `examples/rules/shop.toml`).
pub(crate) fn worked_plans() -> Vec<Worked> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("examples/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 15, "{dirs:?}");
    let mut worked: Vec<Worked> = dirs
        .into_iter()
        .map(|dir| {
            let mut cases: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("cases"))
                .collect();
            cases.sort();
            Worked {
                name: dir.file_name().unwrap().to_str().unwrap().to_owned(),
                plan: dir.join("plan.toml"),
                cases,
            }
        })
        .collect();
    worked.push(Worked {
        name: "shop".to_owned(),
        plan: root.join("examples/shop.toml"),
        cases: vec![root.join("examples/rules/shop.toml")],
    });
    worked
}

/// A case of a worked plan as the rule-case runner evaluates it (this
/// year's totals starting at zero): its inputs and its outcome, or `None`
/// for a case that expects the period itself to fail.
#[cfg(feature = "testing")]
pub(crate) fn case_outcome(
    plan: &perfpay::CompiledPlan,
    file: &perfpay::testing::CaseFile,
    case: &perfpay::testing::Case,
) -> Option<(Vec<perfpay::EmployeeInputs>, perfpay::PeriodOutcome)> {
    let year = chrono::Datelike::year(&file.period.start());
    let mut inputs = case.employees.clone();
    for input in &mut inputs {
        input.ytd.get_or_insert(perfpay::PayrollYtd::new(year));
    }
    let outcome = perfpay::evaluate_period(plan, &file.period, &inputs).ok()?;
    Some((inputs, outcome))
}

/// Everything a period's outcome explains, in `locale`: each employee,
/// each goal, each finding's evidence.
#[cfg(feature = "testing")]
pub(crate) fn explained(
    plan: &perfpay::CompiledPlan,
    inputs: &[perfpay::EmployeeInputs],
    outcome: &perfpay::PeriodOutcome,
    locale: &perfpay::locale::Locale,
) -> String {
    let rounding = plan.rounding();
    let mut text: String = outcome
        .employees
        .iter()
        .map(|o| o.render_in(locale, &rounding))
        .collect();
    for goal in outcome.team.goals.values() {
        text.push_str(&goal.explanation.render_in(locale, &rounding));
    }
    for finding in outcome.diagnose(plan, inputs).unwrap() {
        text.push_str(&finding.evidence.render_in(locale, &rounding));
    }
    text
}

/// The sample shop's November: examples/shop.toml over
/// examples/inputs/shop-2026-11.toml, with this year's totals starting at
/// zero — the month the README, the locales and the journal show.
#[cfg(feature = "testing")]
pub(crate) fn sample_november() -> (perfpay::CompiledPlan, perfpay::PeriodOutcome) {
    let plan = perfpay::Plan::from_toml(include_str!("../examples/shop.toml"))
        .unwrap()
        .compile()
        .unwrap();
    let (period, inputs) = sample_november_inputs();
    let outcome = perfpay::evaluate_period(&plan, &period, &inputs).unwrap();
    (plan, outcome)
}

/// The sample shop's November inputs (examples/inputs/shop-2026-11.toml),
/// this year's totals starting at zero.
#[cfg(feature = "testing")]
pub(crate) fn sample_november_inputs() -> (perfpay::Period, Vec<perfpay::EmployeeInputs>) {
    let file = perfpay::testing::InputsFile::from_text(
        include_str!("../examples/inputs/shop-2026-11.toml"),
        "shop-2026-11.toml",
    )
    .unwrap();
    (file.period, file.employees)
}
