//! Explanations in words: a step, a tree, a quantity or a label written
//! for a reader of a [`Locale`]. An explanation holds message keys and
//! values; the words and the way numbers are written are the locale's,
//! so the writing lives here, beside them.

use std::fmt;

use rust_decimal::Decimal;

use crate::explain::{Explanation, Label, Quantity, Said, Step, Term, Unit, View};
use crate::money::RoundingPolicy;
use crate::text::msg;

use super::{Locale, NumberFormat};

impl Step<'_> {
    /// The step's label as a reader of `locale` reads it.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation};
    /// use perfpay::locale::{Locale, msg};
    ///
    /// let net = Explanation::money(&msg::NET_PAY, Decimal::from(9_000));
    /// assert_eq!(net.as_step().label_in(Locale::chinese()), "实发工资");
    /// ```
    pub fn label_in(self, locale: &Locale) -> String {
        let mut out = String::new();
        self.write_label(&mut out, &RoundingPolicy::cents(), locale);
        out
    }

    fn write_label(self, out: &mut String, policy: &RoundingPolicy, locale: &Locale) {
        write_said(out, self.label_term(), self.label_args(), policy, locale);
    }

    /// This step alone as one line: `label value = formula (inputs)`.
    pub fn statement(self, policy: &RoundingPolicy) -> String {
        self.statement_in(Locale::english(), policy)
    }

    /// This step alone as one line, in the words of `locale`.
    pub fn statement_in(self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write_statement(&mut out, policy, locale);
        out
    }

    /// The whole tree, one statement per line, children indented by two spaces.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    ///
    /// let bonus = Explanation::money("bonus", Decimal::from(1_200))
    ///     .value(Decimal::from(1_000), Unit::Money)
    ///     .text(" × grade coefficient ")
    ///     .value(Decimal::new(12, 1), Unit::Number)
    ///     .input("grade", Decimal::ONE, Unit::Count)
    ///     .child(Explanation::new("score", Decimal::from(92), Unit::Score));
    /// assert_eq!(
    ///     bonus.render(&RoundingPolicy::cents()),
    ///     "bonus 1,200.00 = 1,000.00 × grade coefficient 1.2 (grade = 1)\n  score 92.00\n",
    /// );
    /// // a step renders the part of the tree under it
    /// let score = bonus.children().next().unwrap();
    /// assert_eq!(score.render(&RoundingPolicy::cents()), "score 92.00\n");
    /// ```
    pub fn render(self, policy: &RoundingPolicy) -> String {
        self.render_in(Locale::english(), policy)
    }

    /// The whole tree in the words of `locale`, one statement per line.
    ///
    /// ```
    /// use perfpay::{Decimal, Explanation, RoundingPolicy, Unit};
    /// use perfpay::locale::{Locale, msg};
    ///
    /// let net = Explanation::money(&msg::NET_PAY, Decimal::from(9_000))
    ///     .child(Explanation::new(&msg::SCORE, Decimal::from(92), Unit::Score));
    /// assert_eq!(net.as_step().render_in(Locale::chinese(), &RoundingPolicy::cents()), "实发工资 9,000.00\n  绩效得分 92.00\n");
    /// ```
    pub fn render_in(self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write_tree(&mut out, policy, locale, 0);
        out
    }

    /// Writes the tree with its first line indented `depth` times.
    pub(crate) fn write_tree(self, out: &mut String, policy: &RoundingPolicy, locale: &Locale, depth: usize) {
        self.write_step(out, policy, locale, depth);
        for child in self.children() {
            child.write_tree(out, policy, locale, depth.saturating_add(1));
        }
    }

    /// The step's own line, indented `depth` levels, without its children.
    pub(crate) fn write_step(self, out: &mut String, policy: &RoundingPolicy, locale: &Locale, depth: usize) {
        for _ in 0..depth {
            out.push_str("  ");
        }
        self.write_statement(out, policy, locale);
        out.push('\n');
    }

    fn write_statement(self, out: &mut String, policy: &RoundingPolicy, locale: &Locale) {
        self.write_label(out, policy, locale);
        locale.write(out, msg::STATEMENT_RESULT.def());
        self.quantity().write(out, policy, locale.numbers());
        let formula = self.formula();
        if !formula.is_empty() {
            locale.write(out, msg::STATEMENT_EQUALS.def());
            write_terms(out, formula, policy, locale);
        }
        let mut inputs = self.input_terms().enumerate().peekable();
        if inputs.peek().is_some() {
            locale.write(out, msg::STATEMENT_INPUTS_OPEN.def());
            for (i, pair) in inputs {
                if i > 0 {
                    locale.write(out, msg::STATEMENT_INPUTS_BETWEEN.def());
                }
                write_terms(out, pair.get(..1).unwrap_or_default(), policy, locale);
                locale.write(out, msg::STATEMENT_INPUT_EQUALS.def());
                write_terms(out, pair.get(1..).unwrap_or_default(), policy, locale);
            }
            locale.write(out, msg::STATEMENT_INPUTS_CLOSE.def());
        }
    }
}

impl Explanation {
    /// The label as a reader of `locale` reads it: [`Step::label_in`] of
    /// the root.
    pub fn label_in(&self, locale: &Locale) -> String {
        self.as_step().label_in(locale)
    }

    /// The root step alone as one line: [`Step::statement`].
    pub fn statement(&self, policy: &RoundingPolicy) -> String {
        self.as_step().statement(policy)
    }

    /// The root step alone as one line, in the words of `locale`:
    /// [`Step::statement_in`].
    pub fn statement_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        self.as_step().statement_in(locale, policy)
    }

    /// The whole tree, one statement per line: [`Step::render`].
    pub fn render(&self, policy: &RoundingPolicy) -> String {
        self.as_step().render(policy)
    }

    /// The whole tree in the words of `locale`: [`Step::render_in`].
    pub fn render_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        self.as_step().render_in(locale, policy)
    }

    /// Writes the tree with its first line indented `depth` times.
    pub(crate) fn write_tree(
        &self,
        out: &mut String,
        policy: &RoundingPolicy,
        locale: &Locale,
        depth: usize,
    ) {
        self.as_step().write_tree(out, policy, locale, depth);
    }

    /// The root's own line, indented `depth` levels, without its children.
    pub(crate) fn write_step(
        &self,
        out: &mut String,
        policy: &RoundingPolicy,
        locale: &Locale,
        depth: usize,
    ) {
        self.as_step().write_step(out, policy, locale, depth);
    }
}

impl fmt::Display for Explanation {
    /// The tree rendered with [`RoundingPolicy::cents`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_step(), f)
    }
}

impl fmt::Display for Step<'_> {
    /// The tree under the step rendered with [`RoundingPolicy::cents`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&RoundingPolicy::cents()))
    }
}

impl Quantity {
    /// Renders the value for a reader, formatting money by `policy`.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy, Unit};
    /// use perfpay::explain::Quantity;
    ///
    /// let cents = RoundingPolicy::cents();
    /// let money = Quantity::new(Decimal::new(345_000, 2), Unit::Money);
    /// assert_eq!(money.render(&cents), "3,450.00");
    /// let rate = Quantity::new(Decimal::new(125, 3), Unit::Rate);
    /// assert_eq!(rate.render(&cents), "12.5 %");
    /// let share = Quantity::new(Decimal::from(5) / Decimal::from(22), Unit::Rate);
    /// assert_eq!(share.render(&cents), "22.73 %");
    /// ```
    pub fn render(&self, policy: &RoundingPolicy) -> String {
        self.render_in(Locale::english(), policy)
    }

    /// Renders the value for a reader of `locale`: its separators and its
    /// way of writing a percentage; money keeps its digits.
    ///
    /// ```
    /// use perfpay::{Decimal, RoundingPolicy, Unit};
    /// use perfpay::explain::Quantity;
    /// use perfpay::locale::Locale;
    ///
    /// let rate = Quantity::new(Decimal::new(125, 3), Unit::Rate);
    /// assert_eq!(rate.render_in(Locale::chinese(), &RoundingPolicy::cents()), "12.5%");
    /// ```
    pub fn render_in(&self, locale: &Locale, policy: &RoundingPolicy) -> String {
        let mut out = String::new();
        self.write(&mut out, policy, locale.numbers());
        out
    }

    pub(crate) fn write(&self, out: &mut String, policy: &RoundingPolicy, numbers: &NumberFormat) {
        match self.unit {
            Unit::Money => numbers.write_grouped(out, policy.round(self.value)),
            Unit::Rate => {
                // shown to at most two decimals of a percent (the value
                // itself stays exact): 22.727…% reads 22.73 %
                let percent = self.value.checked_mul(Decimal::ONE_HUNDRED).map(|p| {
                    p.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                        .normalize()
                });
                match percent {
                    Some(p) => numbers.write_percent(out, p),
                    // out of range as a percentage: show the fraction itself
                    None => numbers.write_plain(out, self.value.normalize()),
                }
            }
            Unit::Score => numbers.write_plain(out, RoundingPolicy::cents().round(self.value)),
            Unit::Points | Unit::Count | Unit::Days => numbers.write_grouped(out, self.value.normalize()),
            Unit::Number => numbers.write_plain(out, self.value.normalize()),
            Unit::Ratio => {
                let shown = self
                    .value
                    .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize();
                numbers.write_plain(out, shown);
            }
        }
    }
}

impl Label {
    /// The label in the words of `locale`.
    pub fn render_in(&self, locale: &Locale) -> String {
        let mut out = String::new();
        let (head, args) = self.parts();
        write_said(&mut out, head, args, &RoundingPolicy::cents(), locale);
        out
    }
}

impl fmt::Display for Label {
    /// The label in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_in(Locale::english()))
    }
}

impl Said {
    /// The words in `locale`; numbers written by the cents policy.
    pub fn render_in(&self, locale: &Locale) -> String {
        let mut out = String::new();
        write_terms(&mut out, self.terms(), &RoundingPolicy::cents(), locale);
        out
    }
}

impl fmt::Display for Said {
    /// The words in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_in(Locale::english()))
    }
}

/// Writes `terms` for a reader of `locale`: a message takes the terms after
/// it as its arguments.
fn write_terms(out: &mut String, terms: &[Term], policy: &RoundingPolicy, locale: &Locale) {
    let mut rest = terms;
    while let Some((term, after)) = rest.split_first() {
        let (args, after) = after.split_at(term.arity().min(after.len()));
        rest = after;
        write_said(out, term, args, policy, locale);
    }
}

/// Writes one term for a reader of `locale`: text, a value, or a message
/// with `args`.
fn write_said(out: &mut String, term: &Term, args: &[Term], policy: &RoundingPolicy, locale: &Locale) {
    match term.view() {
        View::Text(text) => out.push_str(locale.name_of(text)),
        View::Value(quantity) => quantity.write(out, policy, locale.numbers()),
        View::Message(message) if message.args().is_empty() => locale.write(out, message),
        View::Message(message) => locale.write_each(out, message, &mut |out, i| match args.get(i) {
            Some(arg) => write_said(out, arg, &[], policy, locale),
            // an argument the explanation lacks: its name
            None => out.push_str(message.args().get(i).copied().unwrap_or_default()),
        }),
    }
}
