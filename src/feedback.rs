//! Feedback: anonymous surveys, eNPS, diagnostics over a period's outcomes,
//! and trends across periods.
//!
//! Staff answer surveys under an opaque respondent token and a group (team
//! or role); no names are needed. A group with fewer than `k` responses is
//! suppressed, and so is a second group when exactly one would be — so no
//! suppressed result can be derived from the overall figure minus the
//! others.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use rust_decimal::Decimal;
#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Said, Term, Unit};
use crate::extension::Condition;
use crate::goal::Consistency;
use crate::id::{MetricId, RoleId};
use crate::locale::Locale;
use crate::money::RoundingPolicy;
use crate::money::{DecimalExt, Parts, checked_sum, cmp_parts};
use crate::period::Period;
use crate::text::msg;

/// What kind of answer a question takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// A scale from `min` to `max` (a Likert scale, 1–5).
    Likert {
        /// The lowest answer.
        min: u8,
        /// The highest answer.
        max: u8,
    },
    /// "How likely are you to recommend…", 0–10 (eNPS).
    Recommend,
    /// One of several options.
    Choice(Vec<String>),
}

/// A survey question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question's id (`incentive_satisfaction`).
    pub id: String,
    /// The question as asked.
    pub text: String,
    /// Its answer kind.
    pub kind: QuestionKind,
}

/// An answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
pub enum Answer {
    /// A point on a scale.
    Scale(u8),
    /// An option.
    Choice(String),
}

/// One respondent's answers, under an opaque token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// An opaque token, unique per respondent and survey.
    pub respondent: String,
    /// The team or role the answers are counted in.
    pub group: String,
    /// Answers by question id (unanswered questions are absent).
    pub answers: BTreeMap<String, Answer>,
}

/// A validated survey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Survey {
    questions: Vec<Question>,
}

/// Results for one question in one group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionResult {
    /// A scale question.
    Scale {
        /// Answers given.
        answers: usize,
        /// Their mean.
        mean: Decimal,
        /// Count per point of the scale.
        distribution: BTreeMap<u8, usize>,
        /// The mean on 0–100: `(mean − min) ÷ (max − min) × 100`.
        satisfaction_index: Decimal,
    },
    /// A 0–10 recommendation question.
    Recommend {
        /// Answers given.
        answers: usize,
        /// Answers of 9 or 10.
        promoters: usize,
        /// Answers of 7 or 8.
        passives: usize,
        /// Answers of 0 to 6.
        detractors: usize,
        /// `(promoters − detractors) ÷ answers × 100`.
        enps: Decimal,
    },
    /// A choice question.
    Choice {
        /// Count per option.
        counts: BTreeMap<String, usize>,
    },
}

/// A group's results: shown, or suppressed for anonymity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupResult {
    /// Enough responses: the figures.
    Shown {
        /// Responses in the group.
        responses: usize,
        /// Results by question id.
        questions: BTreeMap<String, QuestionResult>,
    },
    /// Too few responses (or suppressed so another group cannot be derived).
    Suppressed {
        /// Why.
        reason: Suppression,
    },
}

/// Why a group's results are not shown.
///
/// Written as JSON `{"too_few_responses": {"fewer_than": 5}}` or
/// `{"would_reveal": {"group": "service"}}`. The English text that reports
/// stored by earlier builds hold (`fewer than 5 responses`) reads back
/// typed.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "SuppressionDoc")]
pub enum Suppression {
    /// The group has fewer responses than the anonymity threshold.
    TooFewResponses {
        /// The threshold, `k`.
        fewer_than: usize,
    },
    /// Shown, the group would let the results of `group` (suppressed for
    /// too few responses) be derived: the overall figure minus the others.
    WouldReveal {
        /// The group it protects.
        group: String,
    },
}

impl fmt::Display for Suppression {
    /// The reason in English: `fewer than 5 responses`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Suppression::TooFewResponses { fewer_than } => write!(f, "fewer than {fewer_than} responses"),
            Suppression::WouldReveal { group } => {
                write!(f, "suppressed so that group {group} cannot be derived")
            }
        }
    }
}

/// A [`Suppression`] as stored: typed, or the English text reports were
/// written with before it was.
#[derive(Deserialize)]
#[serde(untagged)]
enum SuppressionDoc {
    Typed(SuppressionTyped),
    Text(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum SuppressionTyped {
    TooFewResponses { fewer_than: usize },
    WouldReveal { group: String },
}

impl TryFrom<SuppressionDoc> for Suppression {
    type Error = String;

    fn try_from(doc: SuppressionDoc) -> std::result::Result<Suppression, String> {
        match doc {
            SuppressionDoc::Typed(SuppressionTyped::TooFewResponses { fewer_than }) => {
                Ok(Suppression::TooFewResponses { fewer_than })
            }
            SuppressionDoc::Typed(SuppressionTyped::WouldReveal { group }) => {
                Ok(Suppression::WouldReveal { group })
            }
            SuppressionDoc::Text(text) => {
                let few = text
                    .strip_prefix("fewer than ")
                    .and_then(|rest| {
                        rest.strip_suffix(" responses in all")
                            .or_else(|| rest.strip_suffix(" responses"))
                    })
                    .and_then(|k| k.parse().ok());
                let reveal = text
                    .strip_prefix("suppressed so that group ")
                    .and_then(|rest| rest.strip_suffix(" cannot be derived"));
                match (few, reveal) {
                    (Some(fewer_than), _) => Ok(Suppression::TooFewResponses { fewer_than }),
                    (None, Some(group)) => Ok(Suppression::WouldReveal {
                        group: group.to_owned(),
                    }),
                    (None, None) => Err(format!("unknown reason for a suppressed group: {text:?}")),
                }
            }
        }
    }
}

/// A survey's aggregated results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyReport {
    /// The anonymity threshold used.
    pub k: usize,
    /// Results per group.
    pub groups: BTreeMap<String, GroupResult>,
    /// All responses together.
    pub overall: GroupResult,
}

impl Survey {
    /// A survey of `questions`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem: no questions, a question id used twice, a Likert scale
    /// whose `min` is not below its `max`, a choice without options.
    pub fn new(questions: Vec<Question>) -> Result<Survey> {
        let mut problems = Vec::new();
        if questions.is_empty() {
            problems.push(Problem::new("questions", "a survey needs at least one question"));
        }
        for (i, q) in questions.iter().enumerate() {
            if questions.iter().take(i).any(|o| o.id == q.id) {
                problems.push(Problem::new(
                    format!("questions[{i}].id"),
                    format!("{} is used twice", q.id),
                ));
            }
            match &q.kind {
                QuestionKind::Likert { min, max } if min >= max => problems.push(Problem::new(
                    format!("questions[{i}].kind"),
                    format!("scale {min}–{max} is empty"),
                )),
                QuestionKind::Choice(options) if options.is_empty() => {
                    problems.push(Problem::new(
                        format!("questions[{i}].kind"),
                        "a choice needs options",
                    ));
                }
                _ => {}
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid survey", problems));
        }
        Ok(Survey { questions })
    }

    /// The questions.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    fn check(&self, responses: &[Response]) -> Result<()> {
        let mut tokens = BTreeSet::new();
        for (i, r) in responses.iter().enumerate() {
            if !tokens.insert(&r.respondent) {
                return Err(Error::invalid_input("a respondent answered twice")
                    .with_path(format!("responses[{i}].respondent")));
            }
            for (qid, answer) in &r.answers {
                let Some(q) = self.questions.iter().find(|q| &q.id == qid) else {
                    return Err(Error::invalid_input(format!("unknown question {qid}"))
                        .with_path(format!("responses[{i}].answers.{qid}")));
                };
                let ok = match (&q.kind, answer) {
                    (QuestionKind::Likert { min, max }, Answer::Scale(v)) => v >= min && v <= max,
                    (QuestionKind::Recommend, Answer::Scale(v)) => *v <= 10,
                    (QuestionKind::Choice(options), Answer::Choice(c)) => options.contains(c),
                    _ => false,
                };
                if !ok {
                    return Err(
                        Error::invalid_input(format!("{answer:?} is not a valid answer to {qid}"))
                            .with_path(format!("responses[{i}].answers.{qid}")),
                    );
                }
            }
        }
        Ok(())
    }

    fn summarize(&self, responses: &[&Response]) -> Result<GroupResult> {
        let mut questions = BTreeMap::new();
        for q in &self.questions {
            let answers: Vec<&Answer> = responses.iter().filter_map(|r| r.answers.get(&q.id)).collect();
            let result = match &q.kind {
                QuestionKind::Likert { min, max } => {
                    let values: Vec<u8> = answers.iter().filter_map(|a| scale(a)).collect();
                    if values.is_empty() {
                        continue;
                    }
                    let mean = mean_of(&values)?;
                    let index = mean
                        .try_sub(Decimal::from(*min))?
                        .try_mul(Decimal::ONE_HUNDRED)?
                        .try_div(Decimal::from(max.saturating_sub(*min)))?
                        .normalize();
                    QuestionResult::Scale {
                        answers: values.len(),
                        mean,
                        distribution: histogram(&values),
                        satisfaction_index: index,
                    }
                }
                QuestionKind::Recommend => {
                    let values: Vec<u8> = answers.iter().filter_map(|a| scale(a)).collect();
                    if values.is_empty() {
                        continue;
                    }
                    let promoters = values.iter().filter(|v| **v >= 9).count();
                    let detractors = values.iter().filter(|v| **v <= 6).count();
                    let enps = Decimal::from(promoters)
                        .try_sub(Decimal::from(detractors))?
                        .try_mul(Decimal::ONE_HUNDRED)?
                        .try_div(Decimal::from(values.len()))?
                        .normalize();
                    QuestionResult::Recommend {
                        answers: values.len(),
                        promoters,
                        passives: values.len().saturating_sub(promoters).saturating_sub(detractors),
                        detractors,
                        enps,
                    }
                }
                QuestionKind::Choice(options) => {
                    let mut counts: BTreeMap<String, usize> =
                        options.iter().map(|o| (o.clone(), 0)).collect();
                    for a in &answers {
                        if let Answer::Choice(c) = a {
                            let count = counts.entry(c.clone()).or_default();
                            *count = count.saturating_add(1);
                        }
                    }
                    QuestionResult::Choice { counts }
                }
            };
            questions.insert(q.id.clone(), result);
        }
        Ok(GroupResult::Shown {
            responses: responses.len(),
            questions,
        })
    }

    /// Aggregates `responses` per group and overall, suppressing groups
    /// under `k` responses.
    ///
    /// Complementary suppression: when exactly one group is under `k` and
    /// the overall result is shown, the smallest other group is suppressed
    /// too, so the hidden group cannot be derived as overall minus the rest.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) naming the
    /// setting or the response: `k` below 2, a respondent token used twice,
    /// an unknown question, an answer off its scale.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use perfpay::feedback::{Answer, GroupResult, Question, QuestionKind, Response, Survey};
    ///
    /// let survey = Survey::new(vec![Question {
    ///     id: "recommend".into(),
    ///     text: "Would you recommend working here?".into(),
    ///     kind: QuestionKind::Recommend,
    /// }])?;
    /// let responses: Vec<Response> = [10, 9, 8, 6, 3]
    ///     .iter()
    ///     .enumerate()
    ///     .map(|(i, v)| Response {
    ///         respondent: format!("t{i}"),
    ///         group: "ops".into(),
    ///         answers: BTreeMap::from([("recommend".to_string(), Answer::Scale(*v))]),
    ///     })
    ///     .collect();
    /// let report = survey.aggregate(&responses, 5)?;
    /// assert!(matches!(report.groups["ops"], GroupResult::Shown { responses: 5, .. }));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn aggregate(&self, responses: &[Response], k: usize) -> Result<SurveyReport> {
        if k < 2 {
            return Err(Error::invalid_input(format!(
                "the anonymity threshold k is {k}; it must be at least 2 so no answer stands alone"
            ))
            .with_path("k"));
        }
        self.check(responses)?;
        let mut by_group: BTreeMap<&str, Vec<&Response>> = BTreeMap::new();
        for r in responses {
            by_group.entry(r.group.as_str()).or_default().push(r);
        }
        let all: Vec<&Response> = responses.iter().collect();
        let overall = if all.len() < k {
            GroupResult::Suppressed {
                reason: Suppression::TooFewResponses { fewer_than: k },
            }
        } else {
            self.summarize(&all)?
        };
        let small: Vec<&str> = by_group
            .iter()
            .filter(|(_, r)| r.len() < k)
            .map(|(g, _)| *g)
            .collect();
        let mut hidden: BTreeMap<&str, Suppression> = small
            .iter()
            .map(|g| (*g, Suppression::TooFewResponses { fewer_than: k }))
            .collect();
        if small.len() == 1 && matches!(overall, GroupResult::Shown { .. }) {
            // the smallest shown group (then by name) hides the other's complement
            if let Some((group, _)) = by_group
                .iter()
                .filter(|(g, _)| !hidden.contains_key(*g))
                .min_by_key(|(g, r)| (r.len(), **g))
            {
                hidden.insert(
                    group,
                    Suppression::WouldReveal {
                        group: small.first().copied().unwrap_or_default().to_owned(),
                    },
                );
            }
        }
        let mut groups = BTreeMap::new();
        for (group, members) in &by_group {
            let result = match hidden.get(group) {
                Some(reason) => GroupResult::Suppressed {
                    reason: reason.clone(),
                },
                None => self.summarize(members)?,
            };
            groups.insert((*group).to_owned(), result);
        }
        Ok(SurveyReport { k, groups, overall })
    }
}

fn scale(a: &Answer) -> Option<u8> {
    match a {
        Answer::Scale(v) => Some(*v),
        Answer::Choice(_) => None,
    }
}

fn mean_of(values: &[u8]) -> Result<Decimal> {
    // a quotient's trailing zeros say nothing: `3.50` is written `3.5`
    Ok(checked_sum(values.iter().map(|v| Decimal::from(*v)))?
        .try_div(Decimal::from(values.len()))?
        .normalize())
}

fn histogram(values: &[u8]) -> BTreeMap<u8, usize> {
    let mut out: BTreeMap<u8, usize> = BTreeMap::new();
    for v in values {
        let count = out.entry(*v).or_default();
        *count = count.saturating_add(1);
    }
    out
}

impl SurveyReport {
    /// The report in words, one line per group (all responses first), each
    /// question's figure: a scale's mean and satisfaction index, a
    /// recommendation's eNPS, a choice's counts; a suppressed group with its
    /// reason.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use perfpay::feedback::{Answer, Question, QuestionKind, Response, Survey};
    ///
    /// let survey = Survey::new(vec![Question {
    ///     id: "recommend".into(),
    ///     text: "Would you recommend working here?".into(),
    ///     kind: QuestionKind::Recommend,
    /// }])?;
    /// let responses: Vec<Response> = [10, 9, 8, 6]
    ///     .iter()
    ///     .enumerate()
    ///     .map(|(i, v)| Response {
    ///         respondent: format!("t{i}"),
    ///         group: if i < 3 { "ops" } else { "sales" }.into(),
    ///         answers: BTreeMap::from([("recommend".to_string(), Answer::Scale(*v))]),
    ///     })
    ///     .collect();
    /// let report = survey.aggregate(&responses, 3)?;
    /// assert_eq!(
    ///     report.render(),
    ///     "all: 4 responses; recommend eNPS 25\n\
    ///      ops: suppressed so that group sales cannot be derived\n\
    ///      sales: suppressed (fewer than 3 responses)\n",
    /// );
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn render(&self) -> String {
        self.render_in(Locale::english())
    }

    /// The report in the words of `locale`: group names, question ids and
    /// choices by the locale's names (a plan's `[names.<lang>]`), numbers by
    /// its separators, a suppressed group's reason in its words.
    pub fn render_in(&self, locale: &Locale) -> String {
        let numbers = locale.numbers();
        let number = |value: Decimal| {
            let mut text = String::new();
            numbers.write_plain(&mut text, value.normalize());
            std::borrow::Cow::Owned(text)
        };
        let mut out = String::new();
        for (group, result) in self.groups_all() {
            match group {
                Some(group) => out.push_str(locale.name_of(group)),
                None => locale.write(&mut out, msg::SURVEY_ALL.def()),
            }
            match result {
                GroupResult::Suppressed {
                    reason: Suppression::TooFewResponses { fewer_than },
                } => {
                    let k = number(Decimal::from(*fewer_than));
                    let reason = locale.text_with(msg::SURVEY_FEWER_THAN.def(), &[k]);
                    locale.write_with(&mut out, msg::SURVEY_SUPPRESSED.def(), &[reason.into()]);
                }
                GroupResult::Suppressed {
                    reason: Suppression::WouldReveal { group },
                } => {
                    let group = locale.name_of(group).into();
                    locale.write_with(&mut out, msg::SURVEY_WOULD_REVEAL.def(), &[group]);
                }
                GroupResult::Shown { responses, questions } => {
                    locale.write_with(
                        &mut out,
                        msg::SURVEY_RESPONSES.def(),
                        &[number(Decimal::from(*responses))],
                    );
                    for (id, q) in questions {
                        locale.write(&mut out, msg::SURVEY_BETWEEN.def());
                        out.push_str(locale.name_of(id));
                        match q {
                            QuestionResult::Scale {
                                mean,
                                satisfaction_index,
                                ..
                            } => locale.write_with(
                                &mut out,
                                msg::SURVEY_SCALE.def(),
                                &[number(mean.round_dp(2)), number(satisfaction_index.round_dp(0))],
                            ),
                            QuestionResult::Recommend { enps, .. } => {
                                locale.write_with(
                                    &mut out,
                                    msg::SURVEY_ENPS.def(),
                                    &[number(enps.round_dp(0))],
                                );
                            }
                            QuestionResult::Choice { counts } => {
                                for (i, (option, n)) in counts.iter().enumerate() {
                                    match i {
                                        0 => out.push(' '),
                                        _ => locale.write(&mut out, msg::SURVEY_CHOICE_BETWEEN.def()),
                                    }
                                    out.push_str(locale.name_of(option));
                                    out.push(' ');
                                    out.push_str(&number(Decimal::from(*n)));
                                }
                            }
                        }
                    }
                }
            }
            out.push('\n');
        }
        out
    }

    /// The overall result (group `None`), then each group's.
    fn groups_all(&self) -> impl Iterator<Item = (Option<&str>, &GroupResult)> {
        std::iter::once((None, &self.overall)).chain(self.groups.iter().map(|(g, r)| (Some(g.as_str()), r)))
    }

    /// A shown group's result for a question, as a KPI input: the mean of a
    /// scale question, the eNPS of a recommendation question. `None` when
    /// the group is suppressed or the question unanswered.
    pub fn metric(&self, group: &str, question: &str) -> Option<Decimal> {
        match self.groups.get(group)? {
            GroupResult::Shown { questions, .. } => match questions.get(question)? {
                QuestionResult::Scale { mean, .. } => Some(*mean),
                QuestionResult::Recommend { enps, .. } => Some(*enps),
                QuestionResult::Choice { .. } => None,
            },
            GroupResult::Suppressed { .. } => None,
        }
    }
}

/// When diagnostics speak up. Every threshold is configurable (the plan's
/// `feedback` section).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// The metric holding each employee's goal achievement (1 = 100 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_metric: Option<MetricId>,
    /// Achievement below this is low (default 0.6).
    #[serde(default = "d_low_achievement")]
    pub low_achievement: Decimal,
    /// A role is flagged when at least this share of its staff is low (default 0.5).
    #[serde(default = "d_half")]
    pub low_share: Decimal,
    /// Scores below this are low (default 60).
    #[serde(default = "d_low_score")]
    pub low_score: Decimal,
    /// Scores within ± this of each other cannot tell people apart (default 3).
    #[serde(default = "d_spread")]
    pub score_spread: Decimal,
    /// The survey question on satisfaction with incentives, and the mean
    /// below which it is low.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction_question: Option<String>,
    /// Mean satisfaction below this is low (default 3, on a 1–5 scale).
    #[serde(default = "d_satisfaction")]
    pub low_satisfaction: Decimal,
    /// A role's incentives are weak when even its best-rewarded employee
    /// earns less than this share of gross pay in incentives (default 0.1).
    #[serde(default = "d_incentive_share")]
    pub low_incentive_share: Decimal,
}

fn d_low_achievement() -> Decimal {
    Decimal::new(6, 1)
}
fn d_half() -> Decimal {
    Decimal::new(5, 1)
}
fn d_low_score() -> Decimal {
    Decimal::from(60)
}
fn d_spread() -> Decimal {
    Decimal::from(3)
}
fn d_satisfaction() -> Decimal {
    Decimal::from(3)
}
fn d_incentive_share() -> Decimal {
    Decimal::new(1, 1)
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            achievement_metric: None,
            low_achievement: d_low_achievement(),
            low_share: d_half(),
            low_score: d_low_score(),
            score_spread: d_spread(),
            satisfaction_question: None,
            low_satisfaction: d_satisfaction(),
            low_incentive_share: d_incentive_share(),
        }
    }
}

/// One role's figures, as diagnostics see them (and custom findings read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleStats {
    /// The role.
    pub role: RoleId,
    /// Staff with a score.
    pub scores: Vec<Decimal>,
    /// Staff achievements (when an achievement metric is configured).
    pub achievements: Vec<Decimal>,
    /// Each paid employee's incentive pay (commission, performance bonus,
    /// cash awards, pool share) as a share of gross pay
    /// ([`PeriodOutcome::diagnose`](crate::PeriodOutcome::diagnose) leaves
    /// it empty for a role its plan pays no incentive).
    pub incentive_shares: Vec<Decimal>,
}

impl RoleStats {
    /// The figures a diagnostic script sees: `staff`, `mean_score`,
    /// `min_score`, `max_score`, `median_achievement` (0 when unknown).
    ///
    /// # Errors
    ///
    /// Overflow only.
    pub fn summary(&self) -> Result<[(&'static str, Decimal); 5]> {
        let n = Decimal::from(self.scores.len());
        let mean = if self.scores.is_empty() {
            Decimal::ZERO
        } else {
            checked_sum(self.scores.iter().copied())?.try_div(n)?
        };
        Ok([
            ("staff", n),
            ("mean_score", mean),
            ("min_score", lowest(&self.scores).unwrap_or_default()),
            ("max_score", highest(&self.scores).unwrap_or_default()),
            ("median_achievement", median(&self.achievements)?),
        ])
    }
}

/// What a diagnostic finding is about: one of the built-in patterns, or a
/// vendor's custom finding by its code.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingCode {
    /// Many of a role's staff achieve little: targets may be too high.
    LowAchievement,
    /// Satisfaction with incentives is low: the incentive mix may be wrong.
    LowSatisfaction,
    /// A role's scores cannot tell people apart.
    ScoresTooClose,
    /// Many of a role's staff score low: a metric may be mis-set.
    ManyLowScores,
    /// Incentive pay is a small share of a role's pay: too weak to change
    /// what people do.
    WeakIncentives,
    /// The targets of a goal's children do not reach the goal's own (a sum
    /// or driver-tree node, [`GoalTree::check`](crate::goal::GoalTree::check)).
    GoalShortfall,
    /// A custom finding, by the code its plan gave it.
    Custom(String),
}

impl FindingCode {
    /// The code as text: `low_achievement`, `low_satisfaction`,
    /// `scores_too_close`, `many_low_scores`, `weak_incentives`,
    /// `goal_shortfall`, or the custom code.
    pub fn as_str(&self) -> &str {
        match self {
            FindingCode::LowAchievement => "low_achievement",
            FindingCode::LowSatisfaction => "low_satisfaction",
            FindingCode::ScoresTooClose => "scores_too_close",
            FindingCode::ManyLowScores => "many_low_scores",
            FindingCode::WeakIncentives => "weak_incentives",
            FindingCode::GoalShortfall => "goal_shortfall",
            FindingCode::Custom(code) => code,
        }
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A diagnostic finding with its evidence (as JSON, its code is the text of
/// [`FindingCode::as_str`]).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What the finding is about.
    pub code: FindingCode,
    /// The role or group concerned.
    pub scope: String,
    /// What it suggests, in words, with the numbers: English when
    /// displayed, any locale with [`Said::render_in`].
    pub message: Said,
    /// The evidence.
    pub evidence: Explanation,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.message, f)
    }
}

/// A vendor's own finding: a code, a message, and a condition over a role's
/// figures (a closure; a script through the extension point).
#[derive(Clone)]
pub struct CustomFinding {
    /// The finding's code.
    pub code: String,
    /// The message when it fires.
    pub message: String,
    /// When it fires.
    pub condition: Arc<dyn Condition<RoleStats>>,
}

impl fmt::Debug for CustomFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomFinding")
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

fn median(values: &[Decimal]) -> Result<Decimal> {
    let middle = values.len() / 2;
    match (
        values.len() % 2,
        middle.checked_sub(1).and_then(|i| nth_sorted(values, i)),
        nth_sorted(values, middle),
    ) {
        (1, _, Some(m)) => Ok(m),
        (_, Some(a), Some(b)) => a.try_add(b)?.try_div(Decimal::TWO),
        _ => Ok(Decimal::ZERO),
    }
}

/// The first of the lowest of `values`, as `Iterator::min` finds it, by
/// the inlined comparison (a role's figures are many, and compared
/// several times each).
fn lowest(values: &[Decimal]) -> Option<Decimal> {
    extreme(values, std::cmp::Ordering::is_lt)
}

/// The last of the highest of `values`, as `Iterator::max` finds it.
fn highest(values: &[Decimal]) -> Option<Decimal> {
    extreme(values, std::cmp::Ordering::is_ge)
}

/// The value of `values` kept when each in turn replaces the one kept
/// so far if `replaces` says so of their comparison.
fn extreme(values: &[Decimal], replaces: fn(std::cmp::Ordering) -> bool) -> Option<Decimal> {
    let (first, rest) = values.split_first()?;
    Some(rest.iter().fold(*first, |kept, v| {
        if replaces(cmp_parts(Parts::of(*v), kept)) {
            *v
        } else {
            kept
        }
    }))
}

/// How many of `values` are below `bound`.
fn count_below(values: &[Decimal], bound: Decimal) -> usize {
    values
        .iter()
        .filter(|v| cmp_parts(Parts::of(**v), bound).is_lt())
        .count()
}

/// The value a stable sort of `values` puts at `at` — the very value,
/// written as it is (`1.0` and `1.00` are equal, and keep their input
/// order) — found in linear time, without sorting them all; none past the
/// end.
fn nth_sorted(values: &[Decimal], at: usize) -> Option<Decimal> {
    if at >= values.len() {
        return None;
    }
    let mut scratch = values.to_vec();
    let (_, nth, _) = scratch.select_nth_unstable(at);
    let nth = *nth;
    // the sorted values equal to it come in their input order, after the
    // smaller ones
    let below = count_below(values, nth);
    values
        .iter()
        .filter(|v| **v == nth)
        .nth(at.checked_sub(below)?)
        .copied()
}

/// A fraction rounded to a whole percent, half away from zero (`0.845` →
/// `0.85`), as a finding shows it.
fn whole_percent(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Looks over each role's figures of a period (and a survey, if any) for
/// patterns that suggest tuning: targets too high, incentives disliked,
/// scores that do not separate people, metrics mis-set — and any custom
/// findings. A period's outcome gives its figures through
/// [`PeriodOutcome::role_stats`](crate::PeriodOutcome::role_stats).
///
/// # Errors
///
/// Overflow; a custom condition's error.
///
/// ```
/// use perfpay::{Decimal, RoleId};
/// use perfpay::feedback::{diagnose, RoleStats, Thresholds};
///
/// let scores = [59, 58, 70].map(Decimal::from).to_vec();
/// let stats = RoleStats { role: RoleId::new("sales")?, scores, achievements: Vec::new(), incentive_shares: Vec::new() };
/// let findings = diagnose(&[stats], None, &Thresholds::default(), &[])?;
/// assert_eq!(findings[0].to_string(), "2 of 3 sales staff score below 60: a metric may be mis-set for the role");
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn diagnose(
    stats: &[RoleStats],
    survey: Option<&SurveyReport>,
    thresholds: &Thresholds,
    custom: &[CustomFinding],
) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    for s in stats {
        findings.extend(diagnose_role(s, thresholds, custom)?);
    }
    findings.extend(diagnose_survey(survey, thresholds));
    Ok(findings)
}

/// The findings [`diagnose`] makes of one role's figures, in its order.
pub(crate) fn diagnose_role(
    s: &RoleStats,
    thresholds: &Thresholds,
    custom: &[CustomFinding],
) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    findings.extend(low_achievement(s, thresholds)?);
    findings.extend(score_findings(s, thresholds)?);
    findings.extend(weak_incentives(s, thresholds)?);
    for c in custom {
        if c.condition.holds(s)? {
            findings.push(Finding {
                code: FindingCode::Custom(c.code.clone()),
                scope: s.role.as_str().to_owned(),
                message: Said::new(c.message.clone()),
                evidence: c.condition.annotate(
                    s,
                    Explanation::new(c.code.clone(), Decimal::ONE, Unit::Count).text(c.condition.describe()),
                ),
            });
        }
    }
    Ok(findings)
}

/// The findings [`diagnose`] makes of the survey, after the roles'.
pub(crate) fn diagnose_survey(survey: Option<&SurveyReport>, thresholds: &Thresholds) -> Vec<Finding> {
    match (survey, &thresholds.satisfaction_question) {
        (Some(report), Some(question)) => low_satisfaction(report, question, thresholds),
        _ => Vec::new(),
    }
}

/// `goal_shortfall`: one finding per node of a goal tree whose children's
/// targets do not reach its own, scoped to the goal, its message the
/// check's statement with its numbers.
///
/// ```
/// use perfpay::{MetricId, RoundingPolicy};
/// use perfpay::feedback::goal_findings;
/// use perfpay::goal::{Combine, Goal, GoalLevel, GoalTree};
/// use perfpay::id::GoalId;
///
/// let id = |s: &str| GoalId::new(s).unwrap();
/// let sales = MetricId::new("sales")?;
/// let tree = GoalTree::new([
///     Goal::new(id("shop"), GoalLevel::Company, sales.clone(), 0.into(), 600_000.into()).combine(Combine::Sum),
///     Goal::new(id("li"), GoalLevel::Person, sales.clone(), 0.into(), 300_000.into()).parent(id("shop")),
///     Goal::new(id("wu"), GoalLevel::Person, sales, 0.into(), 250_000.into()).parent(id("shop")),
/// ])?;
/// let findings = goal_findings(&tree.check()?, &RoundingPolicy::cents());
/// assert_eq!(
///     findings[0].to_string(),
///     "the targets under goal shop do not reach it: shortfall at shop -50000 = \
///      children's targets add up to 550000; parent asks 600000",
/// );
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn goal_findings(report: &[Consistency], policy: &RoundingPolicy) -> Vec<Finding> {
    report
        .iter()
        .filter(|c| !c.consistent)
        .map(|c| Finding {
            code: FindingCode::GoalShortfall,
            scope: c.goal.as_str().to_owned(),
            message: Said::new(
                msg::FINDING_GOAL_SHORTFALL
                    .with([Term::text(&c.goal), Term::text(c.explanation.statement(policy))]),
            ),
            evidence: c.explanation.clone(),
        })
        .collect()
}

/// `weak_incentives`: even the best-rewarded of a role's staff earn less
/// than `low_incentive_share` of their gross pay in incentives (the best,
/// not the median, so that a team that missed its targets is not read as
/// a plan that pays too little).
fn weak_incentives(s: &RoleStats, thresholds: &Thresholds) -> Result<Option<Finding>> {
    let Some(share) = highest(&s.incentive_shares) else {
        return Ok(None);
    };
    if share >= thresholds.low_incentive_share {
        return Ok(None);
    }
    let role = s.role.as_str();
    Ok(Some(Finding {
        code: FindingCode::WeakIncentives,
        scope: role.to_owned(),
        message: Said::new(msg::FINDING_WEAK_INCENTIVES.with([
            Term::text(role.to_owned()),
            // a percentage with one decimal
            Term::value(
                share.round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
                Unit::Rate,
            ),
            Term::value(whole_percent(thresholds.low_incentive_share), Unit::Rate),
        ])),
        evidence: Explanation::new(&msg::BEST_SHARE_OF_INCENTIVE_PAY, share, Unit::Rate)
            .text(&msg::THE_HIGHEST_OF)
            .value(Decimal::from(s.incentive_shares.len()), Unit::Count)
            .text(&msg::STAFFS_COMMISSION_BONUS_AWARDS_POOL_GROSS_BELOW)
            .value(thresholds.low_incentive_share, Unit::Rate),
    }))
}

/// `low_achievement`: at least `low_share` of a role's staff achieve below
/// `low_achievement`.
fn low_achievement(s: &RoleStats, thresholds: &Thresholds) -> Result<Option<Finding>> {
    let role = s.role.as_str();
    let n = Decimal::from(s.achievements.len());
    let low = count_below(&s.achievements, thresholds.low_achievement);
    if s.achievements.is_empty() || Decimal::from(low).try_div(n)? < thresholds.low_share {
        return Ok(None);
    }
    let med = median(&s.achievements)?;
    Ok(Some(Finding {
        code: FindingCode::LowAchievement,
        scope: role.to_owned(),
        message: Said::new(msg::FINDING_LOW_ACHIEVEMENT.with([
            Term::value(whole_percent(thresholds.low_achievement), Unit::Rate),
            Term::value(Decimal::from(low), Unit::Count),
            Term::value(Decimal::from(s.achievements.len()), Unit::Count),
            Term::text(role.to_owned()),
            Term::value(whole_percent(med), Unit::Rate),
        ])),
        evidence: Explanation::new(&msg::STAFF_WITH_LOW_ACHIEVEMENT, Decimal::from(low), Unit::Count)
            .value(Decimal::from(low), Unit::Count)
            .text(&msg::OF)
            .value(n, Unit::Count)
            .text(&msg::BELOW_BETWEEN)
            .value(thresholds.low_achievement, Unit::Rate)
            .input(&msg::MEDIAN_ACHIEVEMENT, med, Unit::Rate),
    }))
}

/// `scores_too_close` and `many_low_scores`, for a role of three or more
/// scored staff.
fn score_findings(s: &RoleStats, thresholds: &Thresholds) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    if s.scores.len() < 3 {
        return Ok(findings);
    }
    let role = s.role.as_str();
    let (lo, hi) = (
        lowest(&s.scores).unwrap_or_default(),
        highest(&s.scores).unwrap_or_default(),
    );
    let half_range = hi.try_sub(lo)?.try_div(Decimal::TWO)?;
    if half_range <= thresholds.score_spread {
        findings.push(Finding {
            code: FindingCode::ScoresTooClose,
            scope: role.to_owned(),
            message: Said::new(msg::FINDING_SCORES_TOO_CLOSE.with([
                Term::text(role.to_owned()),
                Term::value(half_range.round_dp(2), Unit::Number),
            ])),
            evidence: Explanation::new(&msg::SCORE_SPREAD, half_range, Unit::Score)
                .text(&msg::OPEN)
                .value(hi, Unit::Score)
                .text(&msg::MINUS)
                .value(lo, Unit::Score)
                .text(&msg::CLOSE_HALVED),
        });
    }
    let low = count_below(&s.scores, thresholds.low_score);
    let share = Decimal::from(low).try_div(Decimal::from(s.scores.len()))?;
    if share >= thresholds.low_share {
        findings.push(Finding {
            code: FindingCode::ManyLowScores,
            scope: role.to_owned(),
            message: Said::new(msg::FINDING_MANY_LOW_SCORES.with([
                Term::value(Decimal::from(low), Unit::Count),
                Term::value(Decimal::from(s.scores.len()), Unit::Count),
                Term::text(role.to_owned()),
                Term::value(thresholds.low_score, Unit::Number),
            ])),
            evidence: Explanation::new(&msg::SHARE_SCORING_LOW, share, Unit::Rate)
                .value(Decimal::from(low), Unit::Count)
                .text(&msg::OVER)
                .value(Decimal::from(s.scores.len()), Unit::Count),
        });
    }
    Ok(findings)
}

/// `low_satisfaction`: a group's mean answer to the satisfaction question
/// is below `low_satisfaction`.
fn low_satisfaction(report: &SurveyReport, question: &str, thresholds: &Thresholds) -> Vec<Finding> {
    report
        .groups
        .keys()
        .filter_map(|group| {
            let mean = report.metric(group, question)?;
            (mean < thresholds.low_satisfaction).then(|| Finding {
                code: FindingCode::LowSatisfaction,
                scope: group.clone(),
                message: Said::new(msg::FINDING_LOW_SATISFACTION.with([
                    Term::value(mean.round_dp(2), Unit::Number),
                    Term::text(group.clone()),
                ])),
                evidence: Explanation::new(
                    msg::MEAN_ANSWER_TO.with([Term::text(question.to_owned())]),
                    mean,
                    Unit::Number,
                )
                .text(&msg::BELOW)
                .value(thresholds.low_satisfaction, Unit::Number),
            })
        })
        .collect()
}

/// Which way a series moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Up.
    Up,
    /// Down.
    Down,
    /// Unchanged.
    Flat,
}

/// A series' movement over its last periods.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    /// The periods looked at, oldest first.
    pub periods: Vec<Period>,
    /// Last value − first value.
    pub change: Decimal,
    /// Which way.
    pub direction: Direction,
}

/// The movement of a KPI or a team figure over the last `n` periods of
/// `series` (in any order; sorted by period).
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for fewer than
/// two points, `n` below 2, or a period listed twice.
///
/// ```
/// use perfpay::{Decimal, Period};
/// use perfpay::feedback::{Direction as TrendDirection, trend};
///
/// let p = |m| Period::month(2026, m).unwrap();
/// let t = trend(&[(p(9), Decimal::from(82)), (p(10), Decimal::from(85)), (p(11), Decimal::from(90))], 3)?;
/// assert_eq!((t.change, t.direction), (Decimal::from(8), TrendDirection::Up));
/// # Ok::<(), perfpay::Error>(())
/// ```
pub fn trend(series: &[(Period, Decimal)], n: usize) -> Result<Trend> {
    if n < 2 || series.len() < 2 {
        return Err(Error::invalid_input("a trend needs at least two periods"));
    }
    let mut sorted = series.to_vec();
    sorted.sort_by_key(|(p, _)| *p);
    if let Some(twice) = sorted.windows(2).find_map(|w| match w {
        [(a, _), (b, _)] if a == b => Some(a),
        _ => None,
    }) {
        return Err(Error::invalid_input(format!("period {twice} is listed twice")));
    }
    let last: Vec<(Period, Decimal)> = sorted.iter().rev().take(n).rev().copied().collect();
    let (Some((_, first)), Some((_, latest))) = (last.first(), last.last()) else {
        return Err(Error::invalid_input("a trend needs at least two periods"));
    };
    let change = latest.try_sub(*first)?;
    let direction = if change > Decimal::ZERO {
        Direction::Up
    } else if change < Decimal::ZERO {
        Direction::Down
    } else {
        Direction::Flat
    };
    Ok(Trend {
        periods: last.iter().map(|(p, _)| *p).collect(),
        change,
        direction,
    })
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Few distinct values at several scales: ties, and equal values
    /// written differently (`1`, `1.0`, `1.00`).
    fn values() -> impl Strategy<Value = Vec<Decimal>> {
        proptest::collection::vec(
            (-3i64..4, 0u32..3)
                .prop_map(|(whole, scale)| Decimal::new(whole.saturating_mul(10i64.pow(scale)), scale)),
            0..40,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            // PROPTEST_CASES asks for a longer run
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2048),
        ))]

        /// The lowest and the highest are `Iterator::min`'s and `max`'s,
        /// written the same way (the first lowest, the last highest).
        #[test]
        fn prop_lowest_and_highest_are_min_and_max(values in values(), bound in values()) {
            let text = |d: Option<Decimal>| d.map(|d| d.to_string());
            prop_assert_eq!(text(lowest(&values)), text(values.iter().copied().min()));
            prop_assert_eq!(text(highest(&values)), text(values.iter().copied().max()));
            for b in bound {
                prop_assert_eq!(count_below(&values, b), values.iter().filter(|v| **v < b).count());
            }
        }

        /// The value found at a place is the one a stable sort puts there,
        /// written the same way; past the end there is none.
        #[test]
        fn prop_nth_sorted_is_the_stable_sorts(values in values(), at in 0usize..45) {
            let mut sorted = values.clone();
            sorted.sort();
            let want = sorted.get(at).map(|d| d.to_string());
            prop_assert_eq!(nth_sorted(&values, at).map(|d| d.to_string()), want);
        }
    }

    /// Hand-checked: the middle of an odd count; the mean of the two
    /// middles of an even one, each as the input wrote it.
    #[test]
    fn median_of_odd_and_even_counts() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let odd = [d("0.9"), d("1.10"), d("0.70")];
        assert_eq!(median(&odd).unwrap().to_string(), "0.9");
        let even = [d("1.2"), d("0.80"), d("1.0"), d("3")];
        // (1.0 + 1.2) / 2
        assert_eq!(median(&even).unwrap().to_string(), "1.1");
        assert_eq!(median(&[]).unwrap(), Decimal::ZERO);
    }
}
