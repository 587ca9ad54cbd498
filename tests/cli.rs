//! The `perfpay` command-line tool: every subcommand's output and exit code,
//! and bad input.

use std::process::{Command, Output};

fn perfpay(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfpay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The sample November as `perfpay eval --format json` writes it, in the
/// temporary file `name`.
fn november_outcome(name: &str) -> String {
    let eval = perfpay(&[
        "eval",
        "examples/shop.toml",
        "examples/inputs/shop-2026-11.toml",
        "--format",
        "json",
    ]);
    assert_eq!(eval.status.code(), Some(0), "{}", text(&eval.stderr));
    temp(name, &text(&eval.stdout))
}

fn temp(name: &str, contents: &str) -> String {
    let dir = std::env::temp_dir().join(format!("perfpay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    // tests running side by side write the same file (the 4 % plan): each
    // writes its own and renames it over, so that a command another test
    // is running never reads the file half written
    let part = dir.join(format!("{name}.{:?}.part", std::thread::current().id()));
    std::fs::write(&part, contents).unwrap();
    std::fs::rename(&part, &path).unwrap();
    path.display().to_string()
}

#[test]
fn check_accepts_the_sample_plan_and_lists_every_problem_of_a_bad_one() {
    let out = perfpay(&["check", "examples/shop.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("examples/shop.toml: ok (plan sample-shop v1, fingerprint "));

    let bad = include_str!("../examples/shop.toml")
        .replace(r#"currency = "CNY""#, r#"currency = "yuan""#)
        .replace(
            r#"commission = { on = "sales", table = "sales" }"#,
            r#"commission = { on = "sales", table = "sale" }"#,
        );
    let path = temp("bad.toml", &bad);
    let out = perfpay(&["check", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("invalid plan"), "{err}");
    assert!(
        err.contains("  currency: yuan is not an ISO 4217 currency code (did you mean CNY? the yuan is CNY)"),
        "{err}"
    );
    assert!(
        err.contains("  roles.sales.commission.table: unknown tier table sale (did you mean sales?)"),
        "{err}"
    );
    // a headline, then each problem once, on its own line
    assert!(
        err.starts_with(&format!("perfpay: {path}: invalid plan (2 problems):\n  ")),
        "{err}"
    );
    assert_eq!(err.matches("unknown tier table sale").count(), 1, "{err}");
}

#[test]
fn test_runs_the_sample_cases_and_fails_readably_on_a_wrong_expectation() {
    let out = perfpay(&["test", "examples/shop.toml", "examples/rules"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).ends_with("6 passed, 0 failed\n"),
        "{}",
        text(&out.stdout)
    );
    // a worked plan's folder given whole: its plan.toml is the plan, not a
    // case file (the three months of the published example)
    let out = perfpay(&[
        "test",
        "examples/rules/published-withholding/plan.toml",
        "examples/rules/published-withholding",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with("3 passed, 0 failed\n"),
        "{}",
        text(&out.stdout)
    );

    let wrong = include_str!("../examples/rules/shop.toml")
        .replace(
            r#""ops-li.payslip.net" = "10102.20""#,
            r#""ops-li.payslip.net" = "10102.21""#,
        )
        .replace(
            r#""sales-wu.commission" = "3950.00""#,
            r#""sales-wu.comission" = "3950.00""#,
        );
    let path = temp("wrong.toml", &wrong);
    let out = perfpay(&["test", "examples/shop.toml", &path]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("ops-li.payslip.net: expected 10102.21, got 10102.20"),
        "{stdout}"
    );
    assert!(
        stdout.contains("sales-wu.comission: no such path in the outcome"),
        "{stdout}"
    );
    assert!(stdout.ends_with("4 passed, 2 failed\n"), "{stdout}");
}

#[test]
fn eval_prints_json_or_statements() {
    let inputs = temp(
        "inputs.toml",
        r#"
period = "2026-11"
[[employees]]
employee = "sales-wu"
role = "sales"
salary = [{ effective = "2025-01-01", value = "6000" }]
metrics = { sales = "165000", sales_achievement = "1.1", repurchase = "0.2", teamwork = "4" }
"#,
    );
    let out = perfpay(&["eval", "examples/shop.toml", &inputs, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(json["employees"][0]["payslip"]["net"], "9883.95");
    let out = perfpay(&["eval", "examples/shop.toml", &inputs]);
    assert!(
        text(&out.stdout)
            .starts_with("sales-wu 9,883.95 = 11,150.00 gross − 1,266.05 deductions, net pay in 2026-11"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn schema_prints_both_schemas() {
    let out = perfpay(&["schema", "plan"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout).trim_end(),
        std::fs::read_to_string("docs/plan.schema.json")
            .unwrap()
            .trim_end()
    );
    let out = perfpay(&["schema", "cases"]);
    let schema: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(schema["title"], "CaseFile");
}

#[test]
fn bad_input_exits_non_zero_without_a_panic() {
    let out = perfpay(&["check", "no/such/plan.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("perfpay: no/such/plan.toml: "),
        "{}",
        text(&out.stderr)
    );
    let malformed = temp("malformed.toml", "period = \"2026-11\"\n[[cases]]\nname = 3\n");
    let out = perfpay(&["test", "examples/shop.toml", &malformed]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    // the document path, then the file, line and column
    assert!(err.contains("cases[0].name ("), "{err}");
    assert!(
        err.contains("malformed.toml, line 3, column 8): invalid type: integer `3`, expected a string"),
        "{err}"
    );
    let out = perfpay(&["test", "examples/shop.toml", "no/such/cases"]);
    assert_eq!(out.status.code(), Some(1));
    let out = perfpay(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn an_error_prints_its_whole_cause_and_case_files_may_start_with_a_bom() {
    // perfpay 0.1 printed only "missing.toml: host adapter failed"
    let out = perfpay(&["test", "examples/shop.toml", "no-such-cases.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no-such-cases.toml"), "{err}");
    assert!(err.contains("No such file or directory"), "{err}");

    let cases = format!("\u{feff}{}", include_str!("../examples/rules/shop.toml"));
    let path = temp("bom-cases.toml", &cases);
    let out = perfpay(&["test", "examples/shop.toml", &path]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // a bare fractional number in a case file names its path
    let bare =
        include_str!("../examples/rules/shop.toml").replacen(r#"sales = "165000""#, "sales = 165000.5", 1);
    let path = temp("bare-cases.toml", &bare);
    let out = perfpay(&["test", "examples/shop.toml", &path]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("cases[") && err.contains("].metrics.sales"), "{err}");
    assert!(err.contains(r#"write it as a string: "165000.5""#), "{err}");
}

#[test]
fn eval_diagnose_prints_the_survey_and_the_findings_and_check_prints_weights_and_warnings() {
    // the first diagnostics case as one period's inputs, with the survey:
    // its employees, without the case's name and expectations
    let cases = include_str!("../examples/rules/diagnostics/cases.toml");
    let first = cases
        .split("\n[[cases]]\n# Hand-computed: achievements")
        .next()
        .unwrap();
    let (head, case) = first.split_once("[[cases]]").unwrap();
    let employees = &case[case.find("[[cases.employees]]").unwrap()..];
    let inputs = temp(
        "diagnose.toml",
        &format!(
            "{head}{}",
            employees.replace("[[cases.employees]]", "[[employees]]")
        ),
    );
    let out = perfpay(&[
        "eval",
        "examples/rules/diagnostics/plan.toml",
        &inputs,
        "--diagnose",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let tail: Vec<&str> = stdout.lines().skip_while(|l| !l.starts_with("survey")).collect();
    assert_eq!(
        tail,
        [
            "survey (anonymity 3)",
            "  all: 3 responses; incentive_satisfaction mean 2.33 (index 33); recommend eNPS 0",
            "  sales: 3 responses; incentive_satisfaction mean 2.33 (index 33); recommend eNPS 0",
            "findings (2)",
            "  weak_incentives sales: the best-rewarded sales staff earn 6.3 % of gross in incentives: incentives may be too weak to change what people do (below 10 %)",
            "  low_satisfaction sales: satisfaction with incentives 2.33 / 5 in sales: the incentive mix may be wrong",
            // 3 × 6,000 salary + 900 commission; no contributions in this plan
            "diagnostics v1 2026-11: 3 employees, 0 could not be evaluated; gross 18,900.00, net 18,900.00, employer cost 0.00, commission 900.00",
        ]
    );
    let out = perfpay(&[
        "eval",
        "examples/rules/diagnostics/plan.toml",
        &inputs,
        "--diagnose",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["code"], "weak_incentives");
    assert_eq!(json["outcome"]["survey"]["k"], 3);

    let out = perfpay(&["check", "examples/rules/rating-sources/plan.toml"]);
    assert!(
        text(&out.stdout).contains(
            "\nweights roles.designer.source_weights: 1:1:1 → 0.3334, 0.3333, 0.3333 (largest remainder at 4 places)\n"
        ),
        "{}",
        text(&out.stdout)
    );
    let out = perfpay(&["check", "examples/rules/goal-check/plan.toml"]);
    assert_eq!(out.status.code(), Some(0), "warnings do not fail a check");
    assert!(text(&out.stdout).contains("\nwarning: goals.shop: the targets under goal shop do not reach it"));
}

/// The sample plan with the rate above 100,000 at 4 % (version 2).
fn four_per_cent_plan() -> String {
    temp(
        "four-per-cent.toml",
        &include_str!("../examples/shop.toml")
            .replace(
                r#"{ from = "100000", rate = "0.03" }"#,
                r#"{ from = "100000", rate = "0.04" }"#,
            )
            .replace("version = 1", "version = 2"),
    )
}

#[test]
fn diff_names_each_change_by_path() {
    let new = four_per_cent_plan();
    let out = perfpay(&["diff", "examples/shop.toml", &new]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "tiers.sales.tiers[1].rate: 3 % → 4 %\nversion: 1 → 2\nreaches: sales\n"
    );
    let out = perfpay(&["diff", "examples/shop.toml", "examples/shop.toml"]);
    assert_eq!(text(&out.stdout), "no changes\n");
    // whose pay a change can move: nobody for the version alone, everyone
    // for the payroll
    let out = perfpay(&["diff", "examples/shop.toml", "--set", "version=2"]);
    assert_eq!(text(&out.stdout), "version: 1 → 2\nreaches: nobody\n");
    let out = perfpay(&[
        "diff",
        "examples/shop.toml",
        "--set",
        "tiers.service.tiers[0].rate=0.02",
        "--set",
        "roles.operations.target_bonus=2500",
    ]);
    assert_eq!(
        text(&out.stdout),
        "roles.operations.target_bonus: 2000 → 2500\ntiers.service.tiers[0].rate: 1 % → 2 %\nreaches: customer_service, operations\n"
    );
    // a KPI: the roles whose scorecards weigh it
    let out = perfpay(&[
        "diff",
        "examples/shop.toml",
        "--set",
        "kpis.repurchase.curve.linear.target.value=0.3",
    ]);
    assert_eq!(
        text(&out.stdout),
        "kpis.repurchase.curve.linear.target.value: 0.25 → 0.3\nreaches: operations, sales\n"
    );
    let out = perfpay(&["diff", "examples/shop.toml", &new, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(json[0]["path"], "tiers.sales.tiers[1].rate");
    assert_eq!(
        (json[0]["before"].as_str(), json[0]["after"].as_str()),
        (Some("3 %"), Some("4 %"))
    );
}

/// An inputs file's survey counts in a simulation's findings as in
/// `eval --diagnose`: the sample November's four sales staff answer 2.75
/// of 5 on average, below the plan's 3, under either plan.
#[test]
fn simulate_reads_the_survey_of_an_inputs_file() {
    let new = four_per_cent_plan();
    let out = perfpay(&[
        "simulate",
        "examples/shop.toml",
        &new,
        "--inputs",
        "examples/inputs/shop-2026-11.toml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = &json["periods"][0]["findings"];
    for side in ["before", "after"] {
        let codes: Vec<&str> = findings[side]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["low_satisfaction"], "{side}: {findings}");
    }
}

#[test]
fn simulate_prints_the_cost_and_who_gains() {
    let new = four_per_cent_plan();
    let inputs = temp(
        "simulate-inputs.toml",
        r#"
period = "2026-11"
[[employees]]
employee = "sales-wu"
role = "sales"
salary = [{ effective = "2025-01-01", value = "6000" }]
metrics = { sales = "165000", sales_achievement = "1.1", repurchase = "0.2", teamwork = "4" }
[[employees]]
employee = "sales-zheng"
role = "sales"
salary = [{ effective = "2025-01-01", value = "6000" }]
metrics = { sales = "98000", sales_achievement = "0.82", repurchase = "0.3", teamwork = "5" }
"#,
    );
    let simulate = |extra: &[&str]| {
        perfpay(
            &[
                &["simulate", "examples/shop.toml", &new, "--inputs", &inputs][..],
                extra,
            ]
            .concat(),
        )
    };
    let out = simulate(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("sample-shop v1 → sample-shop v2\n"),
        "{stdout}"
    );
    // 65,000 above 100,000 × 1 %: Wu gains 650.00 commission, Zheng nothing
    assert!(stdout.contains("commission"), "{stdout}");
    assert!(stdout.contains("1 gain\n  sales-wu"), "{stdout}");
    assert!(stdout.contains("commission      +650.00"), "{stdout}");
    assert!(stdout.contains("0 lose\n"), "{stdout}");
    // a table for thousands lists the top of each list and counts the rest
    let out = simulate(&["--top", "0"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("1 gain\n  … and 1 more\n0 lose\n"), "{stdout}");
    // the same table in Chinese, Wu's role by the plan's name
    let out = simulate(&["--lang", "zh-CN"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let chinese = text(&out.stdout);
    assert!(
        chinese.contains("1 人多拿\n  sales-wu             销售               实发工资"),
        "{chinese}"
    );
    assert!(chinese.contains("提成      +650.00\n0 人少拿\n"), "{chinese}");

    let out = simulate(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    // Wu 100,000 × 2 % + 65,000 × 3 % (or 4 %) = 3,950.00 (4,600.00);
    // Zheng 98,000 × 2 % = 1,960.00 under both
    assert_eq!(json["total"]["before"]["commission"], "5910.00");
    assert_eq!(json["total"]["after"]["commission"], "6560.00");
    // no progress bar when stderr is not a terminal
    assert_eq!(text(&out.stderr), "");

    let out = perfpay(&[
        "simulate",
        "examples/shop.toml",
        &new,
        "--inputs",
        "no-such-file.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("perfpay: no-such-file.toml: "),
        "{}",
        text(&out.stderr)
    );
}

/// `diff` compares documents, and says when the proposal would not compile
/// (exit 0: the difference is printed all the same).
#[test]
fn diff_notes_a_proposal_that_does_not_compile() {
    let out = perfpay(&["diff", "examples/shop.toml", "--set", "currency=XAU"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "currency: CNY → XAU\nreaches: everyone\n");
    let err = text(&out.stderr);
    assert!(
        err.starts_with("perfpay: note: the proposal: invalid plan (1 problem):\n  currency: "),
        "{err}"
    );
    let out = perfpay(&["diff", "examples/shop.toml", "--set", "currency=EUR"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
}

/// `--remove` drops a rule from the proposal, before any `--set`: without
/// the conversion bonus the sample November pays 3,000.00 less — the three
/// operations staff at or above their conversion goal (1.05, 1.2 and 1 in
/// examples/inputs/shop-2026-11.toml) each lose their 1,000.00. A path to
/// nothing is refused with its flag and the likely name.
#[test]
fn remove_drops_a_rule_from_the_proposal() {
    let out = perfpay(&[
        "simulate",
        "examples/shop.toml",
        "--remove",
        "incentives[conversion-goal-bonus]",
        "--inputs",
        "examples/inputs/shop-2026-11.toml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let bonus: Vec<&str> = table
        .lines()
        .find(|l| l.starts_with("bonus "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(bonus, ["bonus", "3,000.00", "0.00", "-3,000.00"], "{table}");

    let out = perfpay(&[
        "diff",
        "examples/shop.toml",
        "--remove",
        "incentives[conversion-goal-bonu]",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "perfpay: --remove incentives[conversion-goal-bonu]: invalid plan (1 problem):\n  \
         incentives[conversion-goal-bonu]: incentives has no entry conversion-goal-bonu (did you mean conversion-goal-bonus?)\n"
    );

    // a removal the rest of the plan needs: the changed plan's problem,
    // not the file's
    let out = perfpay(&[
        "eval",
        "examples/shop.toml",
        "examples/inputs/shop-2026-11.toml",
        "--remove",
        "tiers.sales",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "perfpay: examples/shop.toml with the changes: invalid plan (1 problem):\n  \
         roles.sales.commission.table: unknown tier table sales\n"
    );
}

/// `--set` makes the same proposal as the edited file: `diff` prints the
/// same changes and `simulate` the same JSON, byte for byte.
#[test]
fn a_proposal_by_set_equals_the_edited_file() {
    let new = four_per_cent_plan();
    let set = ["--set", "tiers.sales.tiers[1].rate=0.04", "--set", "version=2"];
    let by_set = perfpay(&[&["diff", "examples/shop.toml"][..], &set].concat());
    assert_eq!(by_set.status.code(), Some(0), "{}", text(&by_set.stderr));
    assert_eq!(
        by_set.stdout,
        perfpay(&["diff", "examples/shop.toml", &new]).stdout
    );

    let inputs = [
        "--inputs",
        "examples/inputs/shop-2026-11.toml",
        "--format",
        "json",
    ];
    let by_set = perfpay(&[&["simulate", "examples/shop.toml"][..], &set, &inputs].concat());
    let by_file = perfpay(&[&["simulate", "examples/shop.toml", &new][..], &inputs].concat());
    assert_eq!(by_set.status.code(), Some(0), "{}", text(&by_set.stderr));
    let json: serde_json::Value = serde_json::from_str(&text(&by_set.stdout)).unwrap();
    // the main job's November: 14,790.00 of commission → 16,840.00
    assert_eq!(
        (
            &json["total"]["before"]["commission"],
            &json["total"]["after"]["commission"]
        ),
        (&serde_json::json!("14790.00"), &serde_json::json!("16840.00"))
    );
    assert_eq!(text(&by_set.stdout), text(&by_file.stdout));

    // on top of NEW: NEW's change and the --set one
    let out = perfpay(&[
        "diff",
        "examples/shop.toml",
        &new,
        "--set",
        "rating[A].coefficient=1.25",
    ]);
    assert_eq!(
        text(&out.stdout),
        "rating[A].coefficient: 1.2 → 1.25\ntiers.sales.tiers[1].rate: 3 % → 4 %\nversion: 1 → 2\nreaches: everyone\n"
    );
    // a path that names nothing: a problem found, with the likely name
    let out = perfpay(&[
        "diff",
        "examples/shop.toml",
        "--set",
        "tiers.sales.tiers[1].rat=0.04",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("tiers.sales.tiers[1].rat: no such value in the plan (did you mean rate?)"),
        "{}",
        text(&out.stderr)
    );
    // neither NEW nor a change, or a change without `=`: bad usage
    assert_eq!(perfpay(&["diff", "examples/shop.toml"]).status.code(), Some(2));
    let out = perfpay(&[
        "simulate",
        "examples/shop.toml",
        "--set",
        "version",
        "--inputs",
        "x.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("write PATH=VALUE"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn eval_reads_the_inputs_file_its_help_names_and_closes_with_a_summary() {
    let help = text(&perfpay(&["eval", "--help"]).stdout);
    assert!(
        help.contains("INPUTS has `period`, `employees` and optionally"),
        "{help}"
    );
    assert!(help.contains("examples/inputs/shop-2026-11.toml"), "{help}");
    let out = perfpay(&["eval", "examples/shop.toml", "examples/inputs/shop-2026-11.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // the same month as the main job's: 13 staff, the same totals
    assert!(
        stdout.ends_with(
            "sample-shop v1 2026-11: 13 employees, 0 could not be evaluated; \
             gross 115,765.86, net 102,993.59, employer cost 27,783.81, commission 14,790.00\n"
        ),
        "{stdout}"
    );
    // the shop's goal after the employees, from its root: by hand,
    // 165,000 + 98,000 + 240,000 + 60,000 = 563,000 of 450,000 → 594,000
    // is 113,000 / 144,000 = 78.47 %
    assert!(
        stdout.contains(
            "    days worked 21 = 21 scheduled − 0 unpaid absence\n\
             achievement of shop-gmv 78.47 % = (563000 − 450000) / (594000 − 450000)\n\
             \x20 value 563000 = 165000 + 98000 + 240000 + 60000\n\
             \x20 achievement of gmv-wu 150 % = (165000 − 120000) / (150000 − 120000)\n"
        ),
        "{stdout}"
    );
    // numbers as people write them: money at the currency's scale, every
    // other number — scores, goals, the survey, the findings
    // (`--diagnose`) — without trailing zeros
    let out = perfpay(&[
        "eval",
        "examples/shop.toml",
        "examples/inputs/shop-2026-11.toml",
        "--format",
        "json",
        "--diagnose",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let employees = json["outcome"]["employees"].as_array().unwrap();
    let score = |who: &str| {
        employees.iter().find(|e| e["employee"] == who).unwrap()["score"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        (score("cs-wei"), score("cs-chu"), score("ops-li")),
        ("84".into(), "104.05".into(), "99.4".into())
    );
    for e in employees {
        if let Some(net) = e["payslip"]["net"].as_str() {
            assert_eq!(
                net.split_once('.').map(|(_, cents)| cents.len()),
                Some(2),
                "{net}"
            );
        }
    }
    let mut zeros = Vec::new();
    trailing_zeros_outside_money(&json, "", &mut zeros);
    assert_eq!(zeros, Vec::<String>::new());
    // the outcome beside its findings is written as `eval` writes it alone
    // (the outcome's own field order, not re-sorted through a JSON tree)
    let alone = perfpay(&[
        "eval",
        "examples/shop.toml",
        "examples/inputs/shop-2026-11.toml",
        "--format",
        "json",
    ]);
    let alone = text(&alone.stdout);
    let diagnosed = text(&out.stdout);
    assert!(diagnosed.starts_with(r#"{"findings":["#), "{diagnosed}");
    let outcome = format!(r#","outcome":{}}}"#, alone.trim_end());
    assert!(diagnosed.trim_end().ends_with(&outcome), "{diagnosed}");
    // a rule-case file is not an inputs file: the error says what to run
    let out = perfpay(&["eval", "examples/shop.toml", "examples/rules/shop.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("run it with `perfpay test`"),
        "{}",
        text(&out.stderr)
    );
}

/// A goal nobody measured is said on standard error, with its path; the
/// goals that could be rolled up are printed, and the run succeeds (the
/// employees were all evaluated).
#[test]
fn eval_says_which_goals_could_not_be_rolled_up() {
    let inputs = temp(
        "goal-check-inputs.toml",
        r#"period = "2026-11"

[[employees]]
employee = "sales-li"
role = "sales"
salary = [{ effective = "2025-01-01", value = "6000" }]
metrics = { sales = "330000" }

[[employees]]
employee = "ops-zhao"
role = "operations"
salary = [{ effective = "2025-01-01", value = "7000" }]
metrics = { visitors = "11000", conversion = "0.021", order_value = "520" }
"#,
    );
    let out = perfpay(&["eval", "examples/rules/goal-check/plan.toml", &inputs]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "perfpay: goal sales-wu: goals.sales-wu.current: goal sales-wu has no current value\n\
         perfpay: goal shop: goals.sales-wu.current: goal sales-wu has no current value\n"
    );
    // by hand: 11,000 × 0.021 × 520 = 120,120 → (120,120 − 100,000) /
    // (200,000 − 100,000) = 20.12 %; visitors' target is its baseline
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "achievement of traffic-revenue 20.12 % = (120120 − 100000) / (200000 − 100000)\n\
             \x20 value 120120 = 11000 × 0.021 × 520\n\
             \x20 achievement of visitors 100 % = 11000 reaches its target 10000\n"
        ),
        "{stdout}"
    );
}

#[test]
fn an_employee_who_cannot_be_evaluated_is_reported_on_stderr_and_fails_the_run() {
    let inputs = temp(
        "one-bad.toml",
        r#"
period = "2026-11"
[[employees]]
employee = "sales-wu"
role = "sales"
salary = [{ effective = "2025-01-01", value = "6000" }]
metrics = { sales = "165000", sales_achievement = "1.1", repurchase = "0.2", teamwork = "4" }
[[employees]]
employee = "sales-chen"
role = "sales"
salary = [{ effective = "2025-01-01", value = "5800" }]
metrics = { sales = "60000" }
"#,
    );
    let out = perfpay(&["eval", "examples/shop.toml", &inputs]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("perfpay: sales-chen ("), "{stderr}");
    assert!(stderr.contains("sales_achievement"), "{stderr}");
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("sales-chen 0 ="), "{stdout}");
    assert!(
        stdout.contains(": 2 employees, 1 could not be evaluated;"),
        "{stdout}"
    );
}

#[test]
fn a_reader_that_closes_the_pipe_early_ends_the_tool_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    for args in [
        &["schema", "plan"][..],
        &["eval", "examples/shop.toml", "examples/inputs/shop-2026-11.toml"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_perfpay"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // close the pipe before the tool writes (as `| head -0` does): its
        // write meets a closed pipe
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn check_and_test_speak_json_and_help_documents_the_exit_codes() {
    let out = perfpay(&["check", "examples/shop.toml", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            json["ok"].as_bool(),
            json["id"].as_str(),
            json["version"].as_u64()
        ),
        (Some(true), Some("sample-shop"), Some(1))
    );
    let bad = temp(
        "bad-json.toml",
        &include_str!("../examples/shop.toml").replace(r#"currency = "CNY""#, r#"currency = "yuan""#),
    );
    let out = perfpay(&["check", &bad, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["problems"][0]["path"], "currency");

    let out = perfpay(&[
        "test",
        "examples/shop.toml",
        "examples/rules/shop.toml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["passed"].as_u64(), json["failed"].as_u64()),
        (Some(6), Some(0))
    );
    assert_eq!(json["cases"][0]["passed"], true);

    let help = text(&perfpay(&["--help"]).stdout);
    assert!(
        help.contains("Exit codes: 0 success; 1 a problem found"),
        "{help}"
    );
    assert_eq!(perfpay(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = perfpay(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(
            script.contains("perfpay") && script.contains("simulate"),
            "{shell}: {script}"
        );
    }
}

#[test]
fn simulate_reads_a_closed_period_as_stored() {
    // November of the inputs file, closed and written as storage keeps it
    let (_, outcome) = crate::sample_november();
    let (_, inputs) = crate::sample_november_inputs();
    let closed = perfpay::record::ClosedPeriod { inputs, outcome };
    let stored = temp("closed-2026-11.json", &serde_json::to_string(&closed).unwrap());
    let new = four_per_cent_plan();
    let out = perfpay(&[
        "simulate",
        "examples/shop.toml",
        &new,
        "--inputs",
        &stored,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // the main job's November: 14,790.00 of commission, 2,050.00 more at 4 %
    assert_eq!(json["total"]["before"]["commission"], "14790.00");
    assert_eq!(json["total"]["after"]["commission"], "16840.00");
    assert_eq!(json["periods"][0]["employees"], 13);
}

#[test]
fn eval_writes_the_month_in_the_language_asked() {
    let inputs = "examples/inputs/shop-2026-11.toml";
    let out = perfpay(&[
        "eval",
        "examples/shop.toml",
        inputs,
        "--diagnose",
        "--lang",
        "zh-CN",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("cs-chu 6,767.34 = 7,580.00 应发 − 812.66 扣款，实发工资，期间 2026-11（企业用工成本 = 1,819.20）\n"), "{stdout}");
    // the survey, the finding and the summary in Chinese, with the numbers
    // of the English ones
    assert!(
        stdout.contains("\n员工调查（匿名门槛 3 人）\n  全体：13 份答卷；激励满意度 平均 3.23（指数 56）；更想要的奖励 现金 6，休假 3，培训 4；推荐意愿 eNPS 0\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "\n诊断发现（1 条）\n  low_satisfaction sales: 销售对激励的满意度为 2.75 / 5：激励组合可能不合适\n"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("sample-shop v1 2026-11：13 名员工，0 名无法计算；应发 115,765.86，实发 102,993.59，企业用工成本 27,783.81，提成 14,790.00\n"), "{stdout}");
    let english = text(&perfpay(&["eval", "examples/shop.toml", inputs, "--diagnose"]).stdout);
    assert!(english.contains("\nfindings (1)\n  low_satisfaction sales: satisfaction with incentives 2.75 / 5 in sales: the incentive mix may be wrong\n"), "{english}");
    // a vendor's folder: what it lacks is listed on standard error
    let out = perfpay(&[
        "eval",
        "examples/shop.toml",
        inputs,
        "--lang",
        "tests/data/locales/de",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\n    Leistungsbonus 1.200,00 = 1.000,00 × Stufe A Faktor 1,2\n"));
    assert!(
        text(&out.stderr).starts_with("perfpay: locale de lacks "),
        "{}",
        text(&out.stderr)
    );
    // an unknown language is bad usage, refused before any work
    let out = perfpay(&["eval", "examples/shop.toml", inputs, "--lang", "xx"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("invalid value 'xx' for '--lang <LANG>': no built-in locale (en, zh-CN)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn journal_posts_an_eval_output_under_the_plans_chart() {
    let outcome = november_outcome("nov-outcome.json");
    let out = perfpay(&["journal", "examples/shop.toml", &outcome]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(
        table.starts_with("sample-shop v1 2026-11: 228 entries, debits 260,077.43 = credits 260,077.43\n"),
        "{table}"
    );
    assert!(
        table.contains("\n  6601.01 sales commission                      14,790.00\n"),
        "{table}"
    );
    let csv = text(&perfpay(&["journal", "examples/shop.toml", &outcome, "--format", "csv"]).stdout);
    assert!(csv.starts_with("date,account,debit,credit,currency,cost_centre,employee,code,source,period,plan,plan_fingerprint\n2026-11-30,6602.01 salaries,5500.00,0,CNY,CC-CS,cs-chu,BASE,,2026-11,sample-shop v1,"), "{csv}");
    assert_eq!(csv.lines().count(), 229);
    // each cost centre's share under its account (the sales team's
    // commission by hand: 3,950 + 1,960 + 6,200 + 1,200)
    assert!(
        table.contains("\n    CC-SALES                                    13,310.00\n"),
        "{table}"
    );
    // summed per account and cost centre: one row per side that has an
    // amount — bank, payable (2), social insurance payable, tax payable,
    // other income, commission (CS, sales), salaries (CS, operations,
    // sales, and operations' unpaid absence credited), overtime
    // (operations), bonuses (3), social insurance (3): 19
    let summed = text(
        &perfpay(&[
            "journal",
            "examples/shop.toml",
            &outcome,
            "--format",
            "csv",
            "--per-account",
        ])
        .stdout,
    );
    assert!(
        summed.contains("\n2026-11-30,1002 bank,0,102993.59,CNY,,,,,2026-11,sample-shop v1,"),
        "{summed}"
    );
    assert_eq!(summed.lines().count(), 1 + 19);
    // a plan without a chart cannot post
    let bare = temp(
        "no-journal.toml",
        include_str!("../examples/shop.toml")
            .split("\n[journal]")
            .next()
            .unwrap(),
    );
    let out = perfpay(&["journal", &bare, &outcome]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the plan has no [journal] section"),
        "{}",
        text(&out.stderr)
    );
}

/// The journal's table in Chinese: the summary line in the language, the
/// figures the same, and accounts the chart names in Chinese still in
/// their column (each Chinese character two terminal columns: every
/// balance ends at column 57).
#[test]
fn journal_reads_in_chinese_with_its_columns_aligned() {
    let outcome = november_outcome("nov-outcome-zh.json");
    let chart = temp(
        "zh-chart.toml",
        &include_str!("../examples/shop.toml")
            .replace(r#""1002 bank""#, r#""1002 银行存款""#)
            .replace(r#""6601.01 sales commission""#, r#""6601.01 销售提成""#),
    );
    let out = perfpay(&["journal", &chart, &outcome, "--lang", "zh-CN"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let mut lines = table.lines();
    assert_eq!(
        lines.next(),
        Some("sample-shop v1 2026-11：228 笔分录，借方 260,077.43 = 贷方 260,077.43")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.contains(&"  1002 银行存款                               -102,993.59"),
        "{table}"
    );
    assert!(
        rows.contains(&"  6601.01 销售提成                              14,790.00"),
        "{table}"
    );
    assert!(rows.len() >= 20, "{table}");
    for row in rows {
        assert_eq!(unicode_width::UnicodeWidthStr::width(row), 57, "{row:?}");
    }
}

#[test]
fn payslips_prints_every_payslip_as_json_or_one_page_each() {
    let outcome = november_outcome("slips-outcome.json");
    // JSON: the 13 payslips, as the outcome holds them
    let out = perfpay(&["payslips", "examples/shop.toml", &outcome]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let slips: Vec<perfpay::Payslip> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(slips.len(), 13);
    assert_eq!(
        (slips[0].employee.as_str(), slips[0].net.to_string().as_str()),
        ("cs-chu", "6767.34")
    );
    // HTML: one page per employee in the folder, each path printed
    let folder = std::env::temp_dir().join(format!("perfpay-cli-{}/slips", std::process::id()));
    let out = perfpay(&[
        "payslips",
        "examples/shop.toml",
        &outcome,
        "--format",
        "html",
        "--lang",
        "zh-CN",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 13);
    let page = std::fs::read_to_string(folder.join("sales-wu.html")).unwrap();
    assert!(page.contains("<title>sales-wu 2026-11 工资条</title>"), "{page}");
    // one employee's page on standard output; all of them needs a folder
    let out = perfpay(&[
        "payslips",
        "examples/shop.toml",
        &outcome,
        "--format",
        "html",
        "--employee",
        "cs-chu",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .contains("<tr class=\"net\"><td>net pay</td><td class=\"amount\">6,767.34</td></tr>")
    );
    let out = perfpay(&["payslips", "examples/shop.toml", &outcome, "--format", "html"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("give --out FOLDER"),
        "{}",
        text(&out.stderr)
    );
    let out = perfpay(&["payslips", "examples/shop.toml", &outcome, "--employee", "nobody"]);
    assert!(
        text(&out.stderr).contains("no payslip of nobody"),
        "{}",
        text(&out.stderr)
    );
}

/// The fields of an outcome that hold money, which keep the currency's
/// scale ("7000.00"); a step or term says money by its unit, a next reward
/// by its basis.
const MONEY_FIELDS: [&str; 12] = [
    "amount",
    "gross",
    "net",
    "deductions",
    "employer_cost",
    "commission",
    "contributions",
    "employer_contributions",
    "base",
    "withheld",
    "at_tier",
    "now",
];

/// A decimal written with a trailing zero after its point.
fn has_trailing_zero(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    digits.split_once('.').is_some_and(|(whole, fraction)| {
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && fraction.ends_with('0')
    })
}

/// Where a number that is not money is written with a trailing zero.
fn trailing_zeros_outside_money(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            let money_step = map.get("unit").and_then(|u| u.as_str()) == Some("money");
            // a next reward is worth money when it is a commission tier
            let money_worth = map
                .get("basis")
                .is_some_and(|b| b.get("commission_tier").is_some());
            for (key, child) in map {
                let at = format!("{path}.{key}");
                let is_money = MONEY_FIELDS.contains(&key.as_str())
                    || (money_step && key == "value")
                    || (money_worth && key == "worth");
                if !(is_money && child.is_string()) {
                    trailing_zeros_outside_money(child, &at, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                trailing_zeros_outside_money(item, &format!("{path}[]"), out);
            }
        }
        serde_json::Value::String(text) if has_trailing_zero(text) => out.push(format!("{path} = {text}")),
        _ => {}
    }
}
