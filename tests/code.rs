//! Laws of perfpay's own source: what a maintainer can hold in their head.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest function a reader is asked to hold without being told why.
const LONGEST: usize = 80;

/// Every `.rs` file under `dir`, in order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The functions of rustfmt-formatted `text` as (name, first line from 1,
/// lines from the signature to the closing brace, the comment lines above
/// the signature).
fn functions(text: &str) -> Vec<(String, usize, usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let mut rest = code;
        for qualifier in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(qualifier).unwrap_or(rest);
        }
        let Some(signature) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = signature
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // a declaration without a body ends at its `;` before any `{`
        let opens = lines[at..]
            .iter()
            .position(|l| l.trim_end().ends_with('{') || l.trim_end().ends_with(';'))
            .map(|k| at + k);
        let Some(opens) = opens.filter(|&k| lines[k].trim_end().ends_with('{')) else {
            continue;
        };
        let closing = format!("{indent}}}");
        let Some(ends) = lines[opens..].iter().position(|l| *l == closing) else {
            continue;
        };
        let above: Vec<&str> = lines[..at]
            .iter()
            .rev()
            .take_while(|l| {
                let l = l.trim_start();
                l.starts_with("//") || l.starts_with("#[")
            })
            .copied()
            .collect();
        found.push((name, at + 1, opens + ends - at + 1, above.join("\n")));
    }
    found
}

/// #18's "functions a reader can hold": a function over 80 lines says why
/// in a comment above it (`Over 80 lines: …`), as a long list of checks or
/// a formula per mode may.
#[test]
fn no_function_runs_over_80_lines_without_saying_why() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut seen = 0;
    let mut long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (name, line, length, above) in functions(&text) {
            seen += 1;
            if length > LONGEST && !above.contains("Over 80 lines") {
                let at = file.strip_prefix(root).unwrap().display();
                long.push(format!("{at}:{line} {name}: {length} lines"));
            }
        }
    }
    // the reader found perfpay's functions, not an empty list
    assert!(seen > 1_000, "only {seen} functions found");
    assert!(
        long.is_empty(),
        "functions over {LONGEST} lines without a reason:\n{}",
        long.join("\n")
    );
}

/// The reader of the law above measures what a person would.
#[test]
fn functions_are_measured_from_signature_to_closing_brace() {
    let text = "\
/// Two lines of body.
fn short() {
    a();
    b();
}

    // Over 80 lines: a reason.
    pub(crate) fn inner<T>(
        x: T,
    ) -> T {
        x
    }

trait Shape {
    fn area(&self) -> u32;
}
";
    let found = functions(text);
    assert_eq!(
        found,
        vec![
            ("short".to_owned(), 2, 4, "/// Two lines of body.".to_owned()),
            (
                "inner".to_owned(),
                8,
                5,
                "    // Over 80 lines: a reason.".to_owned()
            ),
        ]
    );
}

/// The layers of DESIGN.md, lowest first, as `../shared/tools/layers.py`
/// lists them; a module imports only from its own layer or a lower one.
/// The script checks the same rules; this copy keeps them checked by CI.
const LAYERS: [(&str, &[&str]); 7] = [
    (
        "vocabulary",
        &[
            "text",
            "id",
            "error",
            "money",
            "metric",
            "explain",
            "period",
            "extension",
            "num",
            "util",
        ],
    ),
    (
        "building blocks",
        &[
            "goal",
            "score",
            "tier",
            "incentive",
            "payroll",
            "feedback",
            "journal",
            "i18n",
            "locale",
        ],
    ),
    ("rules", &["script"]),
    ("plan", &["plan", "fingerprint", "canonical"]),
    ("evaluation", &["eval", "simulate", "record", "outcome"]),
    (
        "ports and cycle",
        &["ports", "cycle", "adapters", "sqlite", "store", "approval"],
    ),
    ("tools", &["testing", "cases", "report", "bin"]),
];

/// `text` with comments and the insides of string literals removed, line by
/// line (what `layers.py` reads).
fn code_only(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                    out.push(c);
                }
            } else {
                in_string = c == '"';
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The top-level modules `code` names: every `crate::name` path, and every
/// head of a `use crate::{…}` group.
fn modules_named(code: &str) -> BTreeSet<String> {
    // a module's name is lower case; `crate::Error` names an item
    let ident = |s: &str| -> String {
        let name: String = s
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        match name.chars().next() {
            Some(c) if c.is_ascii_lowercase() || c == '_' => name,
            _ => String::new(),
        }
    };
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // the heads at the group's top level: `a::{b, c}, d` → a, d
            let mut depth = 0;
            let mut item_starts = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_starts = true,
                    c if item_starts && !c.is_whitespace() => {
                        item_starts = false;
                        let head = ident(&group[k..]);
                        if !head.is_empty() {
                            named.insert(head);
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let head = ident(rest);
            if !head.is_empty() {
                named.insert(head);
            }
        }
    }
    named
}

/// Which module imports which, with the files that do.
type Imports = BTreeMap<(String, String), Vec<String>>;

/// Which top-level module imports which, from the files under `src/`
/// (`src/tier/table.rs` is `tier`, `src/bin/x.rs` is `bin`; the crate
/// root is no module).
fn imports() -> Imports {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found = Imports::new();
    for file in &files {
        let relative = file.strip_prefix(root.join("src")).unwrap();
        let mut parts = relative.iter().map(|p| p.to_str().unwrap());
        let first = parts.next().unwrap();
        let module = match parts.next() {
            Some(_) => first.to_owned(),
            None => first.trim_end_matches(".rs").to_owned(),
        };
        if module == "lib" || module == "main" {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        for target in modules_named(&code) {
            if target != module {
                found
                    .entry((module.clone(), target))
                    .or_default()
                    .push(format!("src/{}", relative.display()));
            }
        }
    }
    found
}

/// Which imports go up a layer, or name a module with no layer.
fn upward(found: &Imports, layers: &[(&str, &[&str])]) -> Vec<String> {
    let layer_of = |module: &str| layers.iter().position(|(_, ms)| ms.contains(&module));
    let mut problems = Vec::new();
    for ((from, to), files) in found {
        match (layer_of(from), layer_of(to)) {
            (None, _) => problems.push(format!("`{from}` has no layer")),
            (_, None) => problems.push(format!("`{to}` has no layer")),
            (Some(a), Some(b)) if b > a => problems.push(format!(
                "{from} ({}) uses {to} ({}) in {}",
                layers[a].0,
                layers[b].0,
                files.join(", ")
            )),
            _ => {}
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Each circle of imports, as the path from a module back to itself.
fn circles(found: &Imports) -> Vec<String> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in found.keys() {
        next.entry(from).or_default().push(to);
    }
    let mut circles = Vec::new();
    for &start in next.keys() {
        // every module reachable from `start`, with the path that reached it
        let mut paths = vec![vec![start]];
        let mut seen = BTreeSet::new();
        while let Some(path) = paths.pop() {
            let last = *path.last().unwrap();
            for &to in next.get(last).into_iter().flatten() {
                if to == start {
                    circles.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(to) {
                    let mut longer = path.clone();
                    longer.push(to);
                    paths.push(longer);
                }
            }
        }
    }
    circles
}

/// #18's "layers without circles", first half: every module has a layer, and
/// no module imports from a layer above its own.
#[test]
fn modules_import_only_from_their_own_layer_or_below() {
    let found = imports();
    // the reader found perfpay's imports, not an empty graph
    assert!(found.len() > 150, "only {} imports found", found.len());
    let problems = upward(&found, &LAYERS);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// #18's "layers without circles", second half: no two modules import each
/// other, directly or through others (a module reaches itself by no path).
#[test]
fn no_modules_import_each_other_in_a_circle() {
    let circles = circles(&imports());
    assert!(circles.is_empty(), "{}", circles.join("\n"));
}

/// The two laws above find what they look for, in a graph made to hold it.
#[test]
fn an_upward_import_and_a_circle_are_found() {
    let graph = |edges: &[(&str, &str)]| -> Imports {
        edges
            .iter()
            .map(|(a, b)| ((a.to_string(), b.to_string()), vec![format!("src/{a}.rs")]))
            .collect()
    };
    let layers: [(&str, &[&str]); 2] = [("low", &["money", "explain"]), ("high", &["tier"])];
    assert_eq!(
        upward(
            &graph(&[("tier", "money"), ("money", "tier"), ("bin", "tier")]),
            &layers
        ),
        [
            "`bin` has no layer",
            "money (low) uses tier (high) in src/money.rs"
        ]
    );
    assert!(circles(&graph(&[("tier", "money"), ("money", "explain")])).is_empty());
    assert_eq!(
        circles(&graph(&[
            ("tier", "money"),
            ("money", "explain"),
            ("explain", "tier")
        ])),
        [
            "explain -> tier -> money -> explain",
            "money -> explain -> tier -> money",
            "tier -> money -> explain -> tier"
        ]
    );
}

/// The import reader above finds what a person would: paths and the heads of
/// `use` groups, not comments, strings, items of the crate root or a name merely ending
/// in `crate`.
#[test]
fn imports_are_read_from_paths_and_use_groups() {
    let text = r#"
use crate::{explain::{Explanation, Unit}, money, Error,
    tier::TierTable};
use crate::locale::msg; // crate::eval in a comment
let x = "crate::plan in a string";
let y = my_crate::cycle::X + crate::period::Period::month(1, 2) + crate::Money;
"#;
    let named: Vec<String> = modules_named(&code_only(text)).into_iter().collect();
    assert_eq!(named, ["explain", "locale", "money", "period", "tier"]);
}
