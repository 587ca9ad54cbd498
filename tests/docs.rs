//! The docs show what perfpay does: every plan fragment in `docs/` and the
//! README is part of a worked file whose cases CI runs, every output they
//! show is one perfpay prints, every JSON document and Fluent line one it
//! reads. An HR vendor learns the plan language from these pages and never
//! reads the Rust; a page that drifted from the code would teach them
//! something perfpay does not do.

use std::path::{Path, PathBuf};
use std::process::Command;

use perfpay::Plan;
use perfpay::locale::Locale;
use perfpay::testing::CaseFile;

/// A fenced block of a page: where it is, its language, the commands that
/// print it, and its lines.
struct Block {
    place: String,
    lang: String,
    /// `$ perfpay …` lines in the block, or HTML comments on the lines
    /// right above it (`<!-- $ perfpay eval … -->`) when the page does not
    /// show the command.
    commands: Vec<Vec<String>>,
    /// The block's lines, commands and their continuations left out.
    lines: Vec<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The pages: docs/*.md and the README, in name order.
fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<_> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages.push(root().join("README.md"));
    assert!(pages.len() >= 15, "{pages:?}");
    pages
}

/// Every fenced block of every page.
fn blocks() -> Vec<Block> {
    let mut blocks = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(root()).unwrap().display().to_string();
        let lines: Vec<&str> = text.lines().collect();
        let mut at = 0;
        while at < lines.len() {
            // a fence may be indented (a block inside a list item); its
            // lines are then indented as much
            let indent = lines[at].len() - lines[at].trim_start().len();
            let Some(lang) = lines[at].trim_start().strip_prefix("```") else {
                at += 1;
                continue;
            };
            let end = (at + 1..lines.len())
                .find(|&i| lines[i].trim_start().starts_with("```"))
                .unwrap_or_else(|| panic!("{name}:{}: a block that does not end", at + 1));
            // the comments right above the fence, in their order
            let mut commands: Vec<Vec<String>> = lines[..at]
                .iter()
                .rev()
                .map_while(|l| l.trim_start().strip_prefix("<!-- $ ")?.strip_suffix(" -->"))
                .map(words)
                .collect();
            commands.reverse();
            let mut body = Vec::new();
            let mut i = at + 1;
            while i < end {
                let line = lines[i].get(indent..).unwrap_or_default();
                if let Some(first) = line.strip_prefix("$ ") {
                    let mut command = first.to_owned();
                    while command.ends_with('\\') && i + 1 < end {
                        command.pop();
                        i += 1;
                        command.push_str(lines[i]);
                    }
                    commands.push(words(&command));
                } else {
                    body.push(line.to_owned());
                }
                i += 1;
            }
            blocks.push(Block {
                place: format!("{name}:{}", at + 1),
                lang: lang.to_owned(),
                commands,
                lines: body,
            });
            at = end + 1;
        }
    }
    blocks
}

/// A command line's words, as a shell splits them (single and double
/// quotes, no escapes).
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words
}

/// The files whose fragments the docs may show: the sample shop, its
/// inputs and every worked plan with its cases (CI runs them all).
fn worked_files() -> Vec<(String, toml::Value)> {
    let mut paths = vec![root().join("examples/shop.toml")];
    for dir in ["examples/inputs", "examples/rules"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                paths.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .filter(|p| p.extension().is_some_and(|e| e == "toml")),
                );
            } else if path.extension().is_some_and(|e| e == "toml") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let value = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p.strip_prefix(root()).unwrap().display().to_string(), value)
        })
        .collect()
}

/// Whether `part` is written in `whole`: each key of a table with the same
/// value, each entry of a list matched in order by one of the whole's
/// entries, and text equal or elided (`"…"`).
fn within(part: &toml::Value, whole: &toml::Value) -> bool {
    use toml::Value;
    match (part, whole) {
        (Value::Table(part), Value::Table(whole)) => part
            .iter()
            .all(|(key, value)| whole.get(key).is_some_and(|w| within(value, w))),
        (Value::Array(part), Value::Array(whole)) => {
            let mut rest = whole.iter();
            part.iter().all(|p| rest.any(|w| within(p, w)))
        }
        (Value::String(p), _) if p == "…" => true,
        (part, whole) => part == whole,
    }
}

/// Law: every plan, inputs or cases fragment the docs show is part of a
/// file CI runs (the sample shop, its November, a worked plan or its
/// cases), so a fragment that uses a field the plan no longer reads, or
/// a value its worked plan no longer has, fails here.
#[test]
fn every_toml_fragment_in_the_docs_is_part_of_a_worked_file() {
    let files = worked_files();
    let mut checked = 0;
    let mut astray = Vec::new();
    for block in blocks().iter().filter(|b| b.lang == "toml") {
        let fragment: toml::Value = toml::from_str(&block.lines.join("\n"))
            .unwrap_or_else(|e| panic!("{}: not TOML: {e}", block.place));
        match files.iter().find(|(_, whole)| within(&fragment, whole)) {
            Some(_) => checked += 1,
            None => astray.push(block.place.clone()),
        }
    }
    assert!(
        astray.is_empty(),
        "fragments found in no worked file: {astray:#?}"
    );
    assert!(checked >= 10, "{checked}");
}

/// What `perfpay ARGS…` prints, standard output then standard error, run
/// in the project's root.
fn run(command: &[String]) -> String {
    let (program, args) = command.split_first().unwrap();
    assert_eq!(program, "perfpay", "{command:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_perfpay"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    let mut text = String::from_utf8(out.stdout).unwrap();
    text.push_str(&String::from_utf8(out.stderr).unwrap());
    text
}

/// Every line the worked plans explain: each case's employees and goals,
/// in English and in Chinese, and the sample shop's November; and what
/// `perfpay check` prints of each worked plan (its warnings).
fn worked_explanations() -> std::collections::BTreeSet<String> {
    let mut lines = std::collections::BTreeSet::new();
    let (plan, november) = crate::sample_november();
    let (_, inputs) = crate::sample_november_inputs();
    for locale in [Locale::english(), Locale::chinese()] {
        let text = crate::explained(&plan, &inputs, &november, &plan.locale(locale));
        lines.extend(text.lines().map(|l| l.trim().to_owned()));
    }
    for worked in crate::worked_plans() {
        let check = ["perfpay", "check", worked.plan.to_str().unwrap()].map(String::from);
        lines.extend(run(&check).lines().map(|l| l.trim().to_owned()));
        let plan = Plan::from_toml(&std::fs::read_to_string(&worked.plan).unwrap())
            .unwrap()
            .compile()
            .unwrap();
        let locales = [plan.locale(Locale::english()), plan.locale(Locale::chinese())];
        for path in &worked.cases {
            let file = CaseFile::from_text(&std::fs::read_to_string(path).unwrap(), "cases.toml").unwrap();
            for case in &file.cases {
                let Some((inputs, outcome)) = crate::case_outcome(&plan, &file, case) else {
                    continue;
                };
                for locale in &locales {
                    let text = crate::explained(&plan, &inputs, &outcome, locale);
                    lines.extend(text.lines().map(|l| l.trim().to_owned()));
                }
            }
        }
    }
    lines
}

/// Every statement a page quotes in running text (`` `commission 679.01 =
/// 617.28 × 1.1` ``): an inline code span, outside fenced blocks, whose
/// words before ` = ` end in a number — a label and its value — as a
/// plan's `key = "value"` does not. A span may run over a line break.
fn inline_statements() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(root()).unwrap().display().to_string();
        // the running text of each paragraph, on one line
        let mut paragraphs: Vec<(usize, String)> = Vec::new();
        let mut fenced = false;
        for (at, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                continue;
            }
            match paragraphs.last_mut() {
                _ if fenced => {}
                Some((_, paragraph)) if !line.trim().is_empty() && !paragraph.is_empty() => {
                    paragraph.push(' ');
                    paragraph.push_str(line.trim());
                }
                _ => paragraphs.push((at + 1, line.trim().to_owned())),
            }
        }
        for (line, paragraph) in paragraphs {
            // the odd pieces between backticks are code spans
            for span in paragraph.split('`').skip(1).step_by(2) {
                let Some((label, _)) = span.split_once(" = ") else {
                    continue;
                };
                if label.ends_with(|c: char| c.is_ascii_digit() || c == '%') {
                    found.push((format!("{name}:{line}"), span.to_owned()));
                }
            }
        }
    }
    found
}

/// Law: every output the docs show is one perfpay prints. A block with a
/// command (`$ perfpay …` in it, or `<!-- $ perfpay … -->` above it) shows
/// lines of that command's output, in its order; one without shows lines
/// of the worked plans' explanations. `…` stands for lines left out. A
/// statement quoted in running text is part of a line the worked plans
/// explain.
#[test]
fn every_output_in_the_docs_is_one_perfpay_prints() {
    let worked = worked_explanations();
    let mut checked = 0;
    let mut astray = Vec::new();
    for block in blocks().iter().filter(|b| b.lang.is_empty() || b.lang == "text") {
        let shown = block
            .lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !l.starts_with('…'));
        if block.commands.is_empty() {
            astray.extend(
                shown
                    .filter(|l| !worked.contains(*l))
                    .map(|l| format!("{}: {l}", block.place)),
            );
        } else {
            let printed: String = block.commands.iter().map(|c| run(c)).collect();
            let mut rest = printed.lines().map(str::trim);
            astray.extend(
                shown
                    .filter(|&l| !rest.any(|p| p == l))
                    .map(|l| format!("{}: {l}", block.place)),
            );
        }
        checked += 1;
    }
    let quoted = inline_statements();
    astray.extend(
        quoted
            .iter()
            .filter(|(_, span)| !worked.iter().any(|l| l.contains(span.as_str())))
            .map(|(place, span)| format!("{place}: `{span}`")),
    );
    assert!(astray.is_empty(), "lines perfpay does not print: {astray:#?}");
    assert!(checked >= 15, "{checked}");
    assert!(quoted.len() >= 8, "{quoted:#?}");
}

/// Law: every worked plan is listed in docs/plan.md's table of worked
/// plans, and every folder the table lists exists.
#[test]
fn every_worked_plan_is_listed_in_the_plan_guide() {
    let page = std::fs::read_to_string(root().join("docs/plan.md")).unwrap();
    let table = page
        .split("## Worked plans")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let listed: std::collections::BTreeSet<String> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next().map(str::to_owned))
        .collect();
    let folders: std::collections::BTreeSet<String> = crate::worked_plans()
        .into_iter()
        .filter(|w| w.plan.ends_with("plan.toml"))
        .map(|w| w.name)
        .collect();
    assert_eq!(listed, folders);
}

/// Law: every JSON document the docs show is one perfpay reads and writes
/// back the same (an explanation as stored, a tier table's serialized
/// form).
#[test]
fn every_json_document_in_the_docs_reads_and_writes_back_the_same() {
    let mut checked = 0;
    let mut astray = Vec::new();
    for block in blocks().iter().filter(|b| b.lang == "json") {
        let text = block.lines.join("\n");
        let shown: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", block.place));
        let again = serde_json::from_str::<perfpay::Explanation>(&text)
            .map(|e| serde_json::to_value(e).unwrap())
            .or_else(|_| {
                serde_json::from_str::<perfpay::tier::TierTable>(&text)
                    .map(|t| serde_json::to_value(t).unwrap())
            });
        match again {
            Ok(again) if again == shown => checked += 1,
            Ok(again) => astray.push(format!("{}: written back as {again}", block.place)),
            Err(e) => astray.push(format!("{}: {e}", block.place)),
        }
    }
    assert!(astray.is_empty(), "{astray:#?}");
    assert!(checked >= 2, "{checked}");
}

/// Law: every Fluent line the docs show is a line of a built-in locale
/// file, as written there.
#[test]
fn every_fluent_line_in_the_docs_is_in_a_built_in_locale() {
    let built_in: String = ["locales/en/perfpay.ftl", "locales/zh-CN/perfpay.ftl"]
        .iter()
        .map(|f| std::fs::read_to_string(root().join(f)).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let lines: std::collections::BTreeSet<&str> = built_in.lines().collect();
    let mut checked = 0;
    for block in blocks().iter().filter(|b| b.lang == "ftl") {
        for line in block.lines.iter().filter(|l| !l.trim().is_empty()) {
            assert!(lines.contains(line.as_str()), "{}: {line}", block.place);
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked}");
}
