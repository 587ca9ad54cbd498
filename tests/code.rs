//! Laws of perfpay's own source: what a maintainer can hold in their head.

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
