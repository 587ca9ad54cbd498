//! Printable documents: a payslip as one self-contained HTML page an
//! employee reads, prints or keeps.
//!
//! The page has no script, no style sheet or image from elsewhere and no
//! link: it opens the same way offline, years later. Each line's
//! explanation is one click away (an HTML `<details>`), the year-to-date
//! figures close it, and every word is in the reader's language.
//!
//! ```
//! use perfpay::locale::Locale;
//! use perfpay::payroll::payslip_html;
//!
//! let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
//! let plan = perfpay::Plan::from_toml(text)?.compile()?;
//! # let inputs: Vec<perfpay::EmployeeInputs> = Vec::new();
//! # let period = perfpay::Period::month(2026, 11)?;
//! let outcome = perfpay::evaluate_period(&plan, &period, &inputs)?;
//! for slip in outcome.employees.iter().filter_map(|o| o.payslip.as_ref()) {
//!     let page = payslip_html(slip, &plan.locale(Locale::chinese()), &plan.rounding(), outcome.currency);
//!     assert!(page.starts_with("<!DOCTYPE html>"));
//! }
//! # Ok::<(), perfpay::Error>(())
//! ```

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::{LineKind, PayLine, Payslip};
use crate::explain::{Explanation, Quantity, Unit};
use crate::locale::Locale;
use crate::money::{Currency, RoundingPolicy};
use crate::text::escape_html as escape;
use crate::text::{MessageDef, msg};

/// The page's looks: readable on a screen, plain on paper.
const STYLE: &str = "body{font-family:sans-serif;max-width:720px;margin:2em auto;color:#222}\
h1{font-size:140%}h2{font-size:110%;margin-top:1.5em}\
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;vertical-align:top}\
td.amount,th.amount{text-align:right;white-space:nowrap}th{text-align:left;border-bottom:1px solid #999}\
tr.total td{border-top:1px solid #999;font-weight:bold}tr.net td{font-size:120%;font-weight:bold}\
summary{cursor:pointer}pre{font-size:85%;white-space:pre-wrap;margin:4px 0 8px 1em;color:#444}\
.note{color:#555;font-size:90%}@media print{summary{list-style:none}}";

/// A payslip as one self-contained HTML page in the words of `locale`:
/// its earnings, deductions and net pay, each line's explanation one
/// click away, what the employer pays on top, the information lines and
/// the year-to-date figures. Money is written by `policy` (the plan's
/// rounding); `currency`, when known, is named under the heading.
///
/// The page is well-formed XML as well as HTML, so a host can check or
/// transform it with an XML library.
pub fn payslip_html(
    slip: &Payslip,
    locale: &Locale,
    policy: &RoundingPolicy,
    currency: Option<Currency>,
) -> String {
    let mut page = Page {
        html: String::with_capacity(8_192),
        locale,
        policy,
    };
    let title = locale.text_with(
        msg::SLIP_OF.def(),
        &[
            locale.name_of(slip.employee.as_str()).into(),
            slip.period.to_string().into(),
        ],
    );
    let _ = write!(
        page.html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(locale.tag()),
        escape(&title),
        escape(&title)
    );
    if let Some(currency) = currency {
        let note = locale.text_with(msg::SLIP_IN_CURRENCY.def(), &[currency.code().into()]);
        let _ = writeln!(page.html, "<p class=\"note\">{}</p>", escape(&note));
    }
    let gross = locale.text(msg::SLIP_GROSS.def());
    page.section(
        slip,
        msg::SLIP_EARNINGS.def(),
        LineKind::Earning,
        (&gross, slip.gross),
    );
    page.html.push_str("</table>\n");
    let deductions = locale.text(msg::DEDUCTIONS.def());
    page.section(
        slip,
        msg::SLIP_DEDUCTIONS.def(),
        LineKind::Deduction,
        (deductions.trim(), slip.deductions),
    );
    page.row("net", &locale.text(msg::NET_PAY.def()), slip.net);
    page.html.push_str("</table>\n");
    explained(&mut page.html, &slip.explanation, locale, policy);
    if slip.lines.iter().any(|l| l.kind == LineKind::EmployerCost) {
        let employer = locale.text(msg::EMPLOYER_COST.def());
        page.section(
            slip,
            msg::SLIP_EMPLOYER_COSTS.def(),
            LineKind::EmployerCost,
            (&employer, slip.employer_cost),
        );
        page.html.push_str("</table>\n");
    }
    page.information(slip);
    page.year_to_date(&slip.ytd);
    page.html.push_str("</body>\n</html>\n");
    page.html
}

/// A payslip page being written, in the words of `locale`.
struct Page<'a> {
    html: String,
    locale: &'a Locale,
    policy: &'a RoundingPolicy,
}

impl Page<'_> {
    /// A row of a table: `label` and `amount`, with a `class` for its style.
    fn row(&mut self, class: &str, label: &str, amount: Decimal) {
        let amount = Quantity::new(amount, Unit::Money).render_in(self.locale, self.policy);
        let _ = writeln!(
            self.html,
            "<tr class=\"{class}\"><td>{}</td><td class=\"amount\">{}</td></tr>",
            escape(label),
            escape(&amount)
        );
    }

    /// A table of the lines of one `kind` under `title`, then their
    /// `total`, left open for a last row.
    fn section(&mut self, slip: &Payslip, title: &MessageDef, kind: LineKind, total: (&str, Decimal)) {
        let words = |m: &MessageDef| escape(&self.locale.text(m));
        let _ = write!(
            self.html,
            "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th class=\"amount\">{}</th></tr>\n",
            words(title),
            words(msg::SLIP_ITEM.def()),
            words(msg::SLIP_AMOUNT.def())
        );
        for line in slip.lines.iter().filter(|l| l.kind == kind) {
            line_row(&mut self.html, line, self.locale, self.policy);
        }
        self.row("total", total.0, total.1);
    }

    /// The information lines (what is not paid, deducted or the
    /// employer's cost), each as its statement.
    fn information(&mut self, slip: &Payslip) {
        let information: Vec<&PayLine> = slip
            .lines
            .iter()
            .filter(|l| {
                !matches!(
                    l.kind,
                    LineKind::Earning | LineKind::Deduction | LineKind::EmployerCost
                )
            })
            .collect();
        if information.is_empty() {
            return;
        }
        self.html.push_str("<ul class=\"note\">\n");
        for line in information {
            let _ = writeln!(
                self.html,
                "<li>{}</li>",
                escape(line.explanation.statement_in(self.locale, self.policy).trim_end())
            );
        }
        self.html.push_str("</ul>\n");
    }

    /// The year-to-date figures, the commission credit and what is owed
    /// on a draw only when there are some.
    fn year_to_date(&mut self, ytd: &crate::payroll::PayrollYtd) {
        let year = self
            .locale
            .text_with(msg::SLIP_YEAR_TO_DATE.def(), &[ytd.year.to_string().into()]);
        let _ = write!(self.html, "<h2>{}</h2>\n<table>\n", escape(&year));
        let mut figures = vec![
            (msg::SLIP_GROSS.def(), ytd.gross),
            (msg::SLIP_CONTRIBUTIONS.def(), ytd.contributions),
            (msg::SLIP_EMPLOYER_CONTRIBUTIONS.def(), ytd.employer_contributions),
            (msg::YEAR_TO_DATE_BASE.def(), ytd.withholding.base),
            (msg::SLIP_WITHHELD.def(), ytd.withholding.withheld),
        ];
        if !ytd.credit.is_zero() {
            figures.push((msg::SLIP_COMMISSION_CREDIT.def(), ytd.credit));
        }
        if !ytd.draw_owed.is_zero() {
            figures.push((msg::SLIP_DRAW_OWED.def(), ytd.draw_owed));
        }
        for (label, value) in figures {
            let label = self.locale.text(label);
            self.row("", &label, value);
        }
        self.html.push_str("</table>\n");
    }
}

/// A line's row: its name and amount, its explanation one click away.
fn line_row(page: &mut String, line: &PayLine, locale: &Locale, policy: &RoundingPolicy) {
    let amount = Quantity::new(line.amount, Unit::Money).render_in(locale, policy);
    let _ = writeln!(
        page,
        "<tr><td><details><summary>{}</summary><pre>{}</pre></details></td><td class=\"amount\">{}</td></tr>",
        escape(&line.name_in(locale)),
        escape(line.explanation.render_in(locale, policy).trim_end()),
        escape(&amount)
    );
}

/// The whole payslip's explanation, folded under "how it was made".
fn explained(page: &mut String, explanation: &Explanation, locale: &Locale, policy: &RoundingPolicy) {
    let _ = writeln!(
        page,
        "<details><summary>{}</summary><pre>{}</pre></details>",
        escape(&locale.text(msg::SLIP_HOW.def())),
        escape(explanation.render_in(locale, policy).trim_end())
    );
}
