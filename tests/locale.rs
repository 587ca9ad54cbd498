//! Explanations in the reader's language: the catalogue of messages, the
//! built-in locales (`en`, `zh-CN`), a vendor's own, and the sample month
//! rendered in each.

use std::borrow::Cow;

use perfpay::locale::{Locale, MessageDef, msg};
use perfpay::{Decimal, Explanation, PeriodOutcome, Plan, RoundingPolicy, Unit};

fn sample_plan() -> perfpay::CompiledPlan {
    crate::sample_november().0
}

/// November of the sample shop: the month the README shows.
fn sample_month() -> PeriodOutcome {
    crate::sample_november().1
}

fn render(outcome: &PeriodOutcome, locale: &Locale) -> String {
    let cents = RoundingPolicy::cents();
    outcome
        .employees
        .iter()
        .map(|o| o.render_in(locale, &cents))
        .collect()
}

/// Compares `text` with the checked-in file `name` under tests/data/statements;
/// `PERFPAY_BLESS=1` writes the file instead (then read the diff).
fn expect_file(name: &str, text: &str) {
    let path = format!("{}/tests/data/statements/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("PERFPAY_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert!(
        want == text,
        "{name} differs from the month rendered now; PERFPAY_BLESS=1 rewrites it"
    );
}

/// The numbers of a text, in order: digits with their separators.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || (!current.is_empty() && (c == '.' || c == ',')) {
            current.push(c);
        } else if !current.is_empty() {
            out.push(current.trim_end_matches([',', '.']).to_owned());
            current.clear();
        }
    }
    if !current.is_empty() {
        out.push(current.trim_end_matches([',', '.']).to_owned());
    }
    out
}

#[test]
fn the_sample_month_reads_the_same_in_english_and_in_chinese() {
    let month = sample_month();
    let plan = sample_plan();
    let english = render(&month, &plan.locale(Locale::english()));
    // with the plan's Chinese names for its grades, roles, metrics and rules
    let chinese = render(&month, &plan.locale(Locale::chinese()));
    expect_file("shop-2026-11.en.txt", &english);
    expect_file("shop-2026-11.zh-CN.txt", &chinese);
    // the default rendering is English
    let cents = RoundingPolicy::cents();
    let plain: String = month.employees.iter().map(|o| o.render(&cents)).collect();
    assert_eq!(plain, english);
    // hand-checked lines of cs-chu (examples/inputs/shop-2026-11.toml):
    // gross 5,500 + 1,200 + 880 = 7,580; deductions 606.40 + 151.60 +
    // 54.66 = 812.66; tax (7,580 − 758 − 5,000) × 3 % = 54.66
    assert!(english.starts_with("cs-chu 6,767.34 = 7,580.00 gross − 812.66 deductions, net pay in 2026-11 (employer cost = 1,819.20)\n"));
    assert!(chinese.starts_with(
        "cs-chu 6,767.34 = 7,580.00 应发 − 812.66 扣款，实发工资，期间 2026-11（企业用工成本 = 1,819.20）\n"
    ));
    assert!(english.contains(
        "\n    withholding 54.66 = 54.66 due to date − 0.00 withheld before (period base = 1,822.00)\n"
    ));
    assert!(
        chinese.contains(
            "\n    个人所得税 54.66 = 54.66 累计应纳税额 − 0.00 已预扣（本期计税基数 = 1,822.00）\n"
        )
    );
    assert!(chinese.contains("\n    绩效奖金 1,200.00 = 1,000.00 × 等级 优秀 系数 1.2\n"));
    // a translation changes words, never a number: the same numbers in
    // the same order, line by line
    for (en, zh) in english.lines().zip(chinese.lines()) {
        assert_eq!(numbers(en), numbers(zh), "\n{en}\n{zh}");
    }
    assert_eq!(english.lines().count(), chinese.lines().count());
}

#[test]
fn every_message_is_in_both_built_in_locales_with_its_arguments() {
    let all = MessageDef::all();
    assert!(all.len() > 200, "{}", all.len());
    // the catalogue is in key order: a message is found by its key
    assert!(all.windows(2).all(|w| w[0].key() < w[1].key()));
    for locale in [Locale::english(), Locale::chinese()] {
        assert_eq!(locale.missing(), &[] as &[&str], "{}", locale.tag());
        for message in all {
            // every argument reaches the text: each written as a mark
            let marks: Vec<Cow<'_, str>> = (0..message.args().len())
                .map(|i| format!("⟦{i}⟧").into())
                .collect();
            let mut out = String::new();
            locale.write_with(&mut out, message, &marks);
            assert!(!out.is_empty(), "{} {}", locale.tag(), message.key());
            for mark in &marks {
                assert!(
                    out.contains(mark.as_ref()),
                    "{} {} drops {mark}: {out:?}",
                    locale.tag(),
                    message.key()
                );
            }
        }
    }
    // and no locale file holds a message the code no longer uses
    for (tag, file) in [
        ("en", include_str!("../locales/en/perfpay.ftl")),
        ("zh-CN", include_str!("../locales/zh-CN/perfpay.ftl")),
    ] {
        for line in file
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let key = line.split(" = ").next().unwrap();
            assert!(
                MessageDef::find(key).is_some(),
                "{tag}: {key} is not a message of the catalogue"
            );
        }
    }
}

#[test]
fn a_vendor_locale_is_read_from_files_and_falls_back_to_english() {
    // read at run time, as a vendor's host would
    let path = format!("{}/tests/data/locales/de/perfpay.ftl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let german = Locale::from_ftl("de", &[("de/perfpay.ftl", &text)]).unwrap();
    assert_eq!(german.tag(), "de");
    // what the file lacks is reported and written in English
    assert!(german.missing().contains(&"withholding") && german.missing().contains(&"gross-minus"));
    assert!(!german.missing().contains(&"net-pay"));
    assert_eq!(german.missing().len(), MessageDef::all().len() - 13);
    // a message Fluent formats itself (a selector on an argument)
    let cents = RoundingPolicy::cents();
    let goal = |id: &'static str| {
        Explanation::new(
            msg::ACHIEVEMENT_OF.with([perfpay::explain::Term::text(id)]),
            Decimal::ONE,
            Unit::Rate,
        )
        .statement_in(&german, &cents)
    };
    assert_eq!(goal("gmv"), "Umsatzziel erreicht 100 %");
    assert_eq!(goal("repurchase"), "Zielerreichung repurchase 100 %");
    let month = render(&sample_month(), &german);
    assert!(
        month.contains("\n    Leistungsbonus 1.200,00 = 1.000,00 × Stufe A Faktor 1,2\n"),
        "{month}"
    );
    assert!(
        month.contains("\n  Leistungspunkte 104,05 = satisfaction 102,50 × 50 % + "),
        "{month}"
    );
    assert!(
        month.contains(
            "\n    withholding 54,66 = 54,66 due to date − 0,00 withheld before (period base = 1.822,00)\n"
        ),
        "{month}"
    );
    // the same numbers as in English, written the German way
    let english = render(&sample_month(), Locale::english());
    assert_eq!(english.lines().count(), month.lines().count());
}

#[test]
fn a_broken_locale_file_is_refused_with_where() {
    let err =
        Locale::from_ftl("de", &[("de/perfpay.ftl", "net-pay = Nettolohn\nscore = { $\n")]).unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("de/perfpay.ftl (line 2, column "),
        "{problems:?}"
    );
    let err = Locale::from_ftl("not a tag!", &[]).unwrap_err();
    assert!(err.to_string().contains("not a language tag"), "{err}");
    // a message given too few arguments writes the names, never panics
    let mut out = String::new();
    Locale::chinese().write_with(&mut out, msg::ACHIEVEMENT_OF.def(), &[]);
    assert_eq!(out, "goal 达成率");
}

#[test]
fn explanations_serialize_messages_as_keys_and_arguments() {
    use perfpay::explain::Term;
    let step = Explanation::money(&msg::PERFORMANCE_BONUS, Decimal::from(1_200))
        .value(Decimal::from(1_000), Unit::Money)
        .text(&msg::TIMES_GRADE)
        .text("A")
        .text(msg::ROUNDED_TO_PLACES.with([Term::value(Decimal::from(2), Unit::Count)]))
        .input(&msg::SCORE, Decimal::new(9_200, 2), Unit::Score)
        .child(Explanation::new(
            msg::ACHIEVEMENT_OF.with([Term::text("gmv")]),
            Decimal::new(95, 2),
            Unit::Rate,
        ));
    let json = serde_json::to_string(&step).unwrap();
    assert_eq!(
        json,
        r#"{"key":"performance-bonus","value":"1200","unit":"money","formula":[{"value":"1000","unit":"money"},{"key":"times-grade"},"A",{"key":"rounded-to-places","args":{"places":{"value":"2","unit":"count"}}}],"inputs":[{"key":"score","value":"92","unit":"score"}],"children":[{"key":"achievement-of","args":{"goal":"gmv"},"value":"0.95","unit":"rate"}]}"#
    );
    let back: Explanation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, step);
    let cents = RoundingPolicy::cents();
    assert_eq!(
        back.render_in(Locale::chinese(), &cents),
        "绩效奖金 1,200.00 = 1,000.00 × 等级 A，保留 2 位小数（绩效得分 = 92.00）\n  gmv 达成率 95%\n"
    );
    // an unknown key, or a message without its arguments, is refused
    for bad in [
        r#"{"key":"no-such-message","value":"1","unit":"count"}"#,
        r#"{"key":"achievement-of","value":"1","unit":"count"}"#,
        r#"{"label":"x","key":"score","value":"1","unit":"count"}"#,
    ] {
        assert!(serde_json::from_str::<Explanation>(bad).is_err(), "{bad}");
    }
    // an explanation stored before messages (labels and words as text) reads back
    let old: Explanation =
        serde_json::from_str(r#"{"label":"commission","value":"3","unit":"money","formula":[" × "]}"#)
            .unwrap();
    assert_eq!(old.statement(&cents), "commission 3.00 =  × ");
}

#[test]
fn a_plan_names_its_ids_per_language_and_a_bad_tag_is_refused() {
    let plan = sample_plan();
    // the sample plan names its grades, roles and contributions in Chinese
    assert_eq!(
        plan.names("zh-CN").and_then(|n| n.get("A")).map(String::as_str),
        Some("优秀")
    );
    assert_eq!(
        plan.names("zh")
            .and_then(|n| n.get("PENSION"))
            .map(String::as_str),
        None
    );
    assert!(plan.names("en").is_none());
    let chinese = plan.locale(Locale::chinese());
    assert_eq!(chinese.name_of("customer_service"), "客服");
    assert_eq!(chinese.name_of("cs-chu"), "cs-chu");
    // a language tag that is none is a plan problem with its path
    let text = include_str!("../examples/shop.toml").replace("[names.zh-CN]", "[names.\"not a tag\"]");
    let err = Plan::from_toml(&text).unwrap().compile().unwrap_err();
    let problems: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        ["names.not a tag: \"not a tag\" is not a language tag (such as zh-CN)"]
    );
}

#[test]
fn payslip_lines_are_named_in_the_readers_language() {
    let month = sample_month();
    let plan = sample_plan();
    let chu = month
        .employees
        .iter()
        .find(|o| o.employee.as_str() == "cs-chu")
        .unwrap();
    let slip = chu.payslip.as_ref().unwrap();
    let names = |locale: &Locale| -> Vec<String> { slip.lines.iter().map(|l| l.name_in(locale)).collect() };
    let codes: Vec<&str> = slip.lines.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "BASE",
            "BONUS",
            "COMMISSION",
            "PENSION",
            "PENSION",
            "MEDICAL",
            "MEDICAL",
            "WITHHOLDING",
            "DAYS"
        ]
    );
    // perfpay's codes by their message; the plan's contributions by its names
    assert_eq!(
        names(&plan.locale(Locale::chinese())),
        [
            "基本工资",
            "绩效奖金",
            "提成",
            "养老保险",
            "养老保险",
            "医疗保险",
            "医疗保险",
            "个人所得税",
            "出勤天数"
        ]
    );
    assert_eq!(
        names(&plan.locale(Locale::english())),
        [
            "base salary",
            "performance bonus",
            "commission",
            "PENSION",
            "PENSION",
            "MEDICAL",
            "MEDICAL",
            "withholding",
            "days worked"
        ]
    );
}

#[test]
fn what_keeps_a_commission_closed_is_said_in_the_readers_language() {
    // cs-chu below the customer-service gate (satisfaction ≥ 0.90): the
    // next tier is out of reach until the rule opens, and the reader is
    // told which rule — in their language, by the plan's name for it.
    // The service table gets a second tier, so there is one to reach.
    let text = include_str!("../examples/shop.toml");
    let one_tier = r#"tiers = [{ from = "0", rate = "0.01" }]"#;
    assert_eq!(text.matches(one_tier).count(), 1);
    let two_tiers = r#"tiers = [{ from = "0", rate = "0.01" }, { from = "100000", rate = "0.02" }]"#;
    let plan = Plan::from_toml(&text.replace(one_tier, two_tiers))
        .unwrap()
        .compile()
        .unwrap();
    let (period, mut inputs) = crate::sample_november_inputs();
    let chu = inputs
        .iter_mut()
        .find(|i| i.employee.as_str() == "cs-chu")
        .unwrap();
    chu.metrics.insert(
        perfpay::MetricId::new("satisfaction").unwrap(),
        Decimal::new(85, 2),
    );
    let outcome = perfpay::evaluate_period(&plan, &period, &inputs).unwrap();
    let chu = outcome
        .employee(&perfpay::EmployeeId::new("cs-chu").unwrap())
        .unwrap();
    let next = chu
        .next
        .iter()
        .find(|n| matches!(n.reward(), perfpay::record::Reward::CommissionTier(_)))
        .expect("a next commission tier");
    let cents = RoundingPolicy::cents();
    let english = next.explanation().statement(&cents);
    // by hand: 80,000.00 of service sales, the second tier from 100,000.00
    assert_eq!(
        english,
        "next commission tier 20,000.00 = 20,000.00 more service_sales to earn 2 % on the part \
         above 100,000.00; nothing is paid while rule cs_gate keeps the commission closed \
         (commission now = 0.00, commission at the tier = 0.00)"
    );
    let chinese = next
        .explanation()
        .statement_in(&plan.locale(Locale::chinese()), &cents);
    assert!(chinese.contains("规则 客服门槛"), "{chinese}");
    assert!(!chinese.contains("rule"), "{chinese}");
    // kept as words, not as English text; a record written before, with
    // the English text, still reads back (as that text)
    let json = serde_json::to_value(next).unwrap();
    let closed = &json["basis"]["commission_tier"]["closed_by"];
    assert_eq!(closed["key"], "rule-named", "{closed}");
    let back: perfpay::record::NextReward = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, next);
    let mut old = json;
    old["basis"]["commission_tier"]["closed_by"] = serde_json::json!("rule cs_gate");
    let back: perfpay::record::NextReward = serde_json::from_value(old).unwrap();
    assert_eq!(back.explanation().statement(&cents), english);
}

/// The words a TOML document writes as data: its keys and string values
/// (ids, codes, metrics), not its comments, and nothing under `skip` (the
/// prose of a case: its name and the statements it expects).
fn written_words(value: &toml::Value, skip: &[&str], out: &mut std::collections::BTreeSet<String>) {
    fn add(text: &str, out: &mut std::collections::BTreeSet<String>) {
        out.extend(
            text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .map(str::to_owned),
        );
    }
    match value {
        toml::Value::String(text) => add(text, out),
        toml::Value::Array(items) => items.iter().for_each(|v| written_words(v, skip, out)),
        toml::Value::Table(table) => {
            for (key, v) in table {
                if skip.contains(&key.as_str()) {
                    continue;
                }
                add(key, out);
                written_words(v, skip, out);
            }
        }
        _ => {}
    }
}

/// Law: every word perfpay writes itself reads in the reader's language.
/// Each worked plan under examples/rules is run on its cases and rendered
/// in Chinese; a Latin word may appear only if the plan or its cases'
/// inputs wrote it as data (an id, a metric, a code), or if the Chinese
/// catalogue itself uses it (`eNPS`). Pay-line codes (`BASE`,
/// `DRAW-RECOVERY`) are codes, not words.
#[test]
fn a_chinese_explanation_has_no_english_word_its_plan_did_not_write() {
    use perfpay::testing::CaseFile;

    let mut untranslated = std::collections::BTreeSet::new();
    for worked in crate::worked_plans() {
        let plan_text = std::fs::read_to_string(&worked.plan).unwrap();
        let plan = Plan::from_toml(&plan_text).unwrap().compile().unwrap();
        let mut plan_words = std::collections::BTreeSet::new();
        written_words(&toml::from_str(&plan_text).unwrap(), &[], &mut plan_words);
        let chinese = plan.locale(Locale::chinese());
        for file in &worked.cases {
            let cases_text = std::fs::read_to_string(file).unwrap();
            let cases = CaseFile::from_text(&cases_text, "cases.toml").unwrap();
            let mut written = plan_words.clone();
            let prose = [
                "name",
                "expect",
                "expect_steps",
                "expect_errors",
                "expect_findings",
            ];
            written_words(&toml::from_str(&cases_text).unwrap(), &prose, &mut written);
            for case in &cases.cases {
                let (inputs, outcome) = crate::case_outcome(&plan, &cases, case).unwrap();
                let text = crate::explained(&plan, &inputs, &outcome, &chinese);
                let words = text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_');
                for word in words.filter(|w| w.bytes().any(|b| b.is_ascii_alphabetic())) {
                    let code = word.chars().all(|c| !c.is_ascii_lowercase());
                    if code || word == "eNPS" {
                        continue;
                    }
                    if !written.contains(word) {
                        let line = text.lines().find(|l| l.contains(word)).unwrap_or_default();
                        untranslated.insert(format!("{}: {word}: {line}", worked.name));
                    }
                }
            }
        }
    }
    assert!(untranslated.is_empty(), "{untranslated:#?}");
}

/// What the worked plans do not reach, read in Chinese: a table's default
/// label and its cap and floor, and a forced distribution's tie-break.
#[test]
fn a_tables_clamps_and_a_forced_distributions_tie_break_read_in_chinese() {
    use perfpay::EmployeeId;
    use perfpay::id::GradeId;
    use perfpay::score::{ForcedDistribution, TieBreak};
    use perfpay::tier::{Tier, TierMode, TierTable};

    let cents = RoundingPolicy::cents();
    let dec = |text: &str| text.parse::<Decimal>().unwrap();
    // 2 % up to 100,000, 3 % above it, paid at most 3,000 and at least 500
    let table = TierTable::builder(TierMode::Marginal)
        .tiers([
            Tier::rate(dec("0"), dec("0.02")),
            Tier::rate(dec("100000"), dec("0.03")),
        ])
        .cap(dec("3000"))
        .floor(dec("500"))
        .build()
        .unwrap();
    // 100,000 × 2 % + 100,000 × 3 % = 5,000.00, capped at 3,000.00
    let capped = table.evaluate(dec("200000")).unwrap().explanation;
    assert_eq!(
        capped.statement_in(Locale::chinese(), &cents),
        "发放金额 3,000.00 = 5,000.00 封顶为 3,000.00"
    );
    // 10,000 × 2 % = 200.00, raised to 500.00
    let floored = table.evaluate(dec("10000")).unwrap().explanation;
    assert_eq!(
        floored.statement_in(Locale::chinese(), &cents),
        "发放金额 500.00 = 200.00 提高到保底 500.00"
    );
    assert_eq!(
        floored.statement(&cents),
        "payout 500.00 = 200.00 raised to the floor 500.00"
    );
    assert_eq!(floored.label(), "payout");

    let g = |s: &str| GradeId::new(s).unwrap();
    let team: Vec<_> = [("e1", 90), ("e2", 80)]
        .into_iter()
        .map(|(e, s)| (EmployeeId::new(e).unwrap(), Decimal::from(s)))
        .collect();
    for (tie_break, words) in [
        (TieBreak::KeepTogether, "按得分排名；同分同档"),
        (TieBreak::ByEmployeeId, "按得分排名，同分按员工编号"),
    ] {
        let split = ForcedDistribution::new([(g("A"), dec("0.5")), (g("B"), dec("0.5"))], tie_break)
            .unwrap()
            .apply(&team)
            .unwrap();
        assert_eq!(
            split.explanation.statement_in(Locale::chinese(), &cents),
            format!("强制分布 2 = {words}")
        );
    }
}
