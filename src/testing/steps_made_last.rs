//! The month's evaluation against the sink contract: each step is made
//! after its children, and only the step made last is edited.

use std::path::Path;

use rust_decimal::Decimal;

use super::{CaseFile, InputsFile};
use crate::PayrollYtd;
use crate::eval::{evaluate_into, evaluate_period};
use crate::explain::{Explanation, Sink};
use crate::plan::Plan;

/// A step of [`Checking`]: its number among the sink's steps, and the
/// step itself.
#[derive(Clone)]
struct Numbered {
    number: u32,
    step: Explanation,
}

/// A sink that numbers the steps it makes and fails an edit — a child, a
/// label, a term — of any step but the one made last.
#[derive(Default)]
struct Checking {
    made: u32,
}

impl Checking {
    fn make(&mut self, step: Explanation) -> Numbered {
        self.made += 1;
        Numbered {
            number: self.made,
            step,
        }
    }

    fn last(&self, step: &Numbered, edit: &str) {
        assert_eq!(
            step.number,
            self.made,
            "{edit} step {} ({}), made before the last ({})",
            step.number,
            step.step.label(),
            self.made
        );
    }
}

impl Sink for Checking {
    type Step = Numbered;
    const RECORDS: bool = true;

    fn record(&mut self, step: impl FnOnce() -> Explanation) -> Numbered {
        self.make(step())
    }

    fn try_record(&mut self, step: impl FnOnce() -> crate::Result<Explanation>) -> crate::Result<Numbered> {
        Ok(self.make(step()?))
    }

    fn child(&mut self, parent: Numbered, child: Numbered) -> Numbered {
        self.last(&parent, "a child added to");
        Numbered {
            step: parent.step.child(child.step),
            ..parent
        }
    }

    fn first_child(&mut self, mut parent: Numbered, child: Numbered) -> Numbered {
        self.last(&parent, "a child put first in");
        parent.step.insert_child(0, child.step);
        parent
    }

    fn map(&mut self, step: Numbered, edit: impl FnOnce(Explanation) -> Explanation) -> Numbered {
        self.last(&step, "an edit of");
        Numbered {
            step: edit(step.step),
            ..step
        }
    }

    fn set_result(&mut self, step: Numbered, value: Decimal) -> Numbered {
        Numbered {
            step: step.step.with_result(value),
            ..step
        }
    }

    fn explanation(&mut self, step: Numbered) -> Explanation {
        step.step
    }
}

/// Every step of the sample shop's November and of every worked plan's
/// cases (examples/rules: tiers, quotas, deals, draws, matrices, scripts,
/// withholding …) is made after its children and edited only while it is
/// the step made last — and the outcome is the one `evaluate_period`
/// gives.
#[test]
fn every_step_is_made_after_its_children_and_edited_only_while_last() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let shop = Plan::from_toml(include_str!("../../examples/shop.toml"))
        .unwrap()
        .compile()
        .unwrap();
    let month =
        InputsFile::from_text(include_str!("../../examples/inputs/shop-2026-11.toml"), "shop").unwrap();
    let mut runs = vec![(shop, month.period, month.employees)];
    let mut names: Vec<_> = std::fs::read_dir(root.join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for dir in names.into_iter().filter(|p| p.is_dir()) {
        let plan = std::fs::read_to_string(dir.join("plan.toml")).unwrap();
        let plan = Plan::from_toml(&plan).unwrap().compile().unwrap();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files.iter().filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("cases"))
        }) {
            let cases = CaseFile::from_text(&std::fs::read_to_string(file).unwrap(), "cases").unwrap();
            let year = chrono::Datelike::year(&cases.period.start());
            for case in cases.cases {
                let mut inputs = case.employees;
                for input in &mut inputs {
                    input.ytd.get_or_insert(PayrollYtd::new(year));
                }
                runs.push((plan.clone(), cases.period, inputs));
            }
        }
    }
    assert!(runs.len() > 40, "{} runs", runs.len());
    for (plan, period, inputs) in &runs {
        let checked = evaluate_into(plan, period, inputs, Checking::default).unwrap();
        let whole = evaluate_period(plan, period, inputs).unwrap();
        assert_eq!(checked, whole);
    }
}
