//! How far the rewards an employee has not reached yet are: numbers kept
//! in the outcome, their explanation made when it is asked for (rendered,
//! or written as JSON) from those numbers.

use rust_decimal::Decimal;
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use crate::explain::{Explanation, Said, Term, Unit};
use crate::id::{GradeId, MetricId, RuleId};
use crate::incentive::{Compare, Operand};
use crate::text::Text;
use crate::text::msg;
use crate::tier::{TierMode, TierPay};

/// A reward an employee has not reached yet, and how far it is; see
/// [`EmployeeOutcome::next`](crate::EmployeeOutcome::next).
///
/// The outcome keeps the numbers; [`explanation`](Self::explanation) makes
/// the step from them when asked (a reader rarely looks at every distance
/// of every employee), and the JSON form carries it as `explanation`.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextReward {
    /// What must move: the commission's credit metric (its transactions
    /// for a commission on deals), the score, the rank, or the metric a
    /// rule tests.
    pub of: Moves,
    /// How far: more credit, score points or metric (less, for a test of
    /// at most; places up, for a rank).
    pub needed: Decimal,
    /// What reaching it is worth, when it is a number: the commission at
    /// the next tier, the next grade's coefficient, a rule's fixed cash or
    /// points.
    pub worth: Option<Decimal>,
    /// The reward and the numbers the distance is made of.
    pub basis: Distance,
}

/// What must move to reach a [`NextReward`]. In JSON one word, as
/// before it was typed: `score`, `rank`, `transactions` or a metric's id
/// (a metric named like one of the three reads back as it).
///
/// ```
/// use perfpay::MetricId;
/// use perfpay::record::Moves;
///
/// let sales = Moves::Metric(MetricId::new("sales")?);
/// assert_eq!(serde_json::to_string(&sales)?, r#""sales""#);
/// assert_eq!(serde_json::from_str::<Moves>(r#""rank""#)?, Moves::Rank);
/// assert!(sales == "sales" && Moves::Score == "score");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moves {
    /// A metric: the commission's credit metric, or one a rule tests.
    Metric(MetricId),
    /// The period's credited transactions, for a commission on deals.
    Transactions,
    /// The performance score.
    Score,
    /// The rank in the team (places up).
    Rank,
}

impl Moves {
    /// What an incentive rule's comparison reads, when it can move before
    /// the period closes (an event's value cannot).
    pub(crate) fn of_operand(operand: &Operand) -> Option<Moves> {
        match operand {
            Operand::Score => Some(Moves::Score),
            Operand::Rank => Some(Moves::Rank),
            Operand::Metric(metric) => Some(Moves::Metric(metric.clone())),
            Operand::EventValue(_) => None,
        }
    }

    /// The word JSON writes.
    pub fn as_str(&self) -> &str {
        match self {
            Moves::Metric(metric) => metric.as_str(),
            Moves::Transactions => "transactions",
            Moves::Score => "score",
            Moves::Rank => "rank",
        }
    }

    /// Its words in an explanation: the three kinds as messages, a metric
    /// by its id (which the plan's names translate).
    fn term(&self) -> Term {
        match self {
            Moves::Metric(metric) => Term::text(metric),
            Moves::Transactions => Term::text(&msg::TRANSACTIONS),
            Moves::Score => Term::text(&msg::SCORE),
            Moves::Rank => Term::text(&msg::RANK),
        }
    }

    /// The unit its values are shown in.
    fn unit(&self) -> Unit {
        match self {
            Moves::Score => Unit::Score,
            Moves::Rank => Unit::Count,
            Moves::Metric(_) | Moves::Transactions => Unit::Number,
        }
    }
}

impl std::fmt::Display for Moves {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Moves {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Moves {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Moves {
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Moves {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> core::result::Result<Moves, D::Error> {
        let word = String::deserialize(deserializer)?;
        Ok(match word.as_str() {
            "score" => Moves::Score,
            "rank" => Moves::Rank,
            "transactions" => Moves::Transactions,
            _ => Moves::Metric(MetricId::new(&word).map_err(serde::de::Error::custom)?),
        })
    }
}

/// What a [`NextReward`] is: [`NextReward::reward`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reward {
    /// The commission's next tier (its index in the table).
    CommissionTier(usize),
    /// The next grade.
    Grade(GradeId),
    /// An incentive rule.
    Incentive(RuleId),
}

/// Which reward a [`NextReward`] is, and the numbers its distance is made
/// of.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distance {
    /// The commission's next tier, through its gates and multipliers.
    CommissionTier {
        /// The tier's index in the table.
        tier: usize,
        /// Where the tier starts (in the total with the prior credit).
        boundary: Decimal,
        /// What the tier pays.
        pay: Option<TierPay>,
        /// How the table pays.
        mode: TierMode,
        /// The commission now.
        now: Decimal,
        /// The commission with the distance reached.
        at_tier: Decimal,
        /// What keeps the commission closed there, if anything.
        closed_by: Option<Said>,
    },
    /// The next grade by score.
    Grade {
        /// The grade.
        grade: GradeId,
        /// Its least score.
        min: Decimal,
        /// The score now.
        score: Decimal,
    },
    /// A comparison of an incentive rule not yet passed.
    Threshold {
        /// The rule.
        rule: RuleId,
        /// How the rule compares.
        compare: Compare,
        /// The value now.
        value: Decimal,
        /// The number it compares with.
        threshold: Decimal,
    },
}

impl NextReward {
    /// Which reward it is: the commission's next tier, a grade or an
    /// incentive rule.
    pub fn reward(&self) -> Reward {
        match &self.basis {
            Distance::CommissionTier { tier, .. } => Reward::CommissionTier(*tier),
            Distance::Grade { grade, .. } => Reward::Grade(grade.clone()),
            Distance::Threshold { rule, .. } => Reward::Incentive(rule.clone()),
        }
    }

    /// The distance as a step, from the numbers kept:
    ///
    /// - `next commission tier 12,000.00 = 12,000.00 more sales to earn 3 %
    ///   on the part above 100,000.00 (commission now = 1,936.00,
    ///   commission at the tier = 2,200.00)`;
    /// - `next grade 7.00 = 95.00 for grade A − 88.00 score (coefficient of
    ///   the grade = 1.2)`;
    /// - `next award 12.00 = rule top-seller: score 88.00 must reach at
    ///   least 100.00`.
    pub fn explanation(&self) -> Explanation {
        match &self.basis {
            Distance::CommissionTier {
                tier: _,
                boundary,
                pay,
                mode,
                now,
                at_tier,
                closed_by,
            } => self.commission_step(*boundary, *pay, *mode, [*now, *at_tier], closed_by.as_ref()),
            Distance::Grade { grade, min, score } => {
                Explanation::new(&msg::NEXT_GRADE, self.needed, Unit::Score).terms_and_inputs(
                    [
                        Term::value(*min, Unit::Score),
                        Term::text(&msg::FOR_GRADE),
                        Term::text(Text::from(grade)),
                        Term::text(&msg::MINUS),
                        Term::value(*score, Unit::Score),
                        Term::text(&msg::SCORE_AFTER),
                    ],
                    [(
                        &msg::COEFFICIENT_OF_THE_GRADE,
                        self.worth.unwrap_or_default(),
                        Unit::Number,
                    )],
                )
            }
            Distance::Threshold {
                rule,
                compare,
                value,
                threshold,
            } => {
                let unit = self.of.unit();
                let wants = match compare {
                    Compare::AtLeast => &msg::MUST_REACH_AT_LEAST,
                    Compare::Above => &msg::MUST_RISE_ABOVE,
                    Compare::AtMost => &msg::MUST_FALL_TO_AT_MOST,
                    Compare::Below => &msg::MUST_FALL_BELOW,
                    Compare::Equals => &msg::MUST_EQUAL,
                };
                Explanation::new(&msg::NEXT_AWARD, self.needed, unit).terms([
                    Term::text(&msg::RULE),
                    Term::text(Text::from(rule)),
                    Term::text(&msg::COLON),
                    self.of.term(),
                    Term::text(&msg::SPACE),
                    Term::value(*value, unit),
                    Term::text(wants),
                    Term::value(*threshold, unit),
                ])
            }
        }
    }

    /// "next commission tier 12,000.00 = 12,000.00 more sales to earn 3 %
    /// on the part above 100,000.00".
    /// `now_and_at_tier`: the commission now and with the distance reached.
    fn commission_step(
        &self,
        boundary: Decimal,
        pay: Option<TierPay>,
        mode: TierMode,
        [now, at_tier]: [Decimal; 2],
        closed_by: Option<&Said>,
    ) -> Explanation {
        let more = [
            Term::value(self.needed, Unit::Money),
            Term::text(&msg::MORE_BETWEEN),
            self.of.term(),
        ];
        let inputs = [
            (&msg::COMMISSION_NOW, now, Unit::Money),
            (&msg::COMMISSION_AT_THE_TIER, at_tier, Unit::Money),
        ];
        // what reaching the boundary earns: a rate on part or all of the
        // credit, a fixed amount, or the next point of an interpolation
        let (lead, earns, tail) = match (pay, mode) {
            (Some(TierPay::Rate(rate)), TierMode::Marginal) => (
                &msg::TO_EARN,
                Some(Term::value(rate, Unit::Rate)),
                &msg::ON_THE_PART_ABOVE,
            ),
            (Some(TierPay::Rate(rate)), _) => (
                &msg::TO_EARN,
                Some(Term::value(rate, Unit::Rate)),
                &msg::ON_THE_WHOLE_AMOUNT_FROM,
            ),
            (Some(TierPay::Fixed(fixed)), _) => (
                &msg::TO_REACH_THE_TIER_PAYING,
                Some(Term::value(fixed, Unit::Money)),
                &msg::FROM,
            ),
            (None, _) => (&msg::TO_REACH_THE_NEXT_POINT_AT, None, &msg::FROM),
        };
        let boundary = Term::value(boundary, Unit::Money);
        let step = Explanation::money(&msg::NEXT_COMMISSION_TIER, self.needed).terms(more);
        let step = match earns {
            Some(earns) => {
                step.terms_and_inputs([Term::text(lead), earns, Term::text(tail), boundary], inputs)
            }
            None => step.terms_and_inputs([Term::text(lead), boundary], inputs),
        };
        match closed_by {
            Some(closed) => step
                .text(&msg::NOTHING_IS_PAID_WHILE)
                .text(closed)
                .text(&msg::KEEPS_THE_COMMISSION_CLOSED),
            None => step,
        }
    }
}

impl<'de> Deserialize<'de> for NextReward {
    /// Today's form, or the one before the reward's tier, grade or rule
    /// moved into `basis` (a stored outcome kept them only in `reward`,
    /// beside it). A `reward` that is not the basis's is refused.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<NextReward, D::Error> {
        use serde::de::Error as _;
        let doc = NextRewardDoc::deserialize(deserializer)?;
        let missing = |what: &str| D::Error::custom(format!("a next reward without its {what}"));
        let basis = match doc.basis {
            DistanceDoc::CommissionTier {
                tier,
                boundary,
                pay,
                mode,
                now,
                at_tier,
                closed_by,
            } => Distance::CommissionTier {
                tier: match (tier, doc.reward.clone()) {
                    (Some(tier), _) | (None, Some(Reward::CommissionTier(tier))) => tier,
                    _ => return Err(missing("tier")),
                },
                boundary,
                pay,
                mode,
                now,
                at_tier,
                closed_by,
            },
            DistanceDoc::Grade { grade, min, score } => Distance::Grade {
                grade: match (grade, doc.reward.clone()) {
                    (Some(grade), _) | (None, Some(Reward::Grade(grade))) => grade,
                    _ => return Err(missing("grade")),
                },
                min,
                score,
            },
            DistanceDoc::Threshold {
                rule,
                compare,
                value,
                threshold,
            } => Distance::Threshold {
                rule: match (rule, doc.reward.clone()) {
                    (Some(rule), _) | (None, Some(Reward::Incentive(rule))) => rule,
                    _ => return Err(missing("rule")),
                },
                compare,
                value,
                threshold,
            },
        };
        let next = NextReward {
            of: doc.of,
            needed: doc.needed,
            worth: doc.worth,
            basis,
        };
        match doc.reward {
            Some(reward) if reward != next.reward() => Err(D::Error::custom(format!(
                "a next reward names {reward:?} but its basis is {:?}",
                next.reward()
            ))),
            _ => Ok(next),
        }
    }
}

/// A [`NextReward`] as stored: its reward's tier, grade or rule in `basis`,
/// or (in outcomes stored before) in `reward`.
#[derive(Deserialize)]
struct NextRewardDoc {
    #[serde(default)]
    reward: Option<Reward>,
    of: Moves,
    needed: Decimal,
    #[serde(default)]
    worth: Option<Decimal>,
    basis: DistanceDoc,
}

/// A [`Distance`] as stored, its reward's tier, grade or rule optional.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum DistanceDoc {
    CommissionTier {
        #[serde(default)]
        tier: Option<usize>,
        boundary: Decimal,
        pay: Option<TierPay>,
        mode: TierMode,
        now: Decimal,
        at_tier: Decimal,
        closed_by: Option<Said>,
    },
    Grade {
        #[serde(default)]
        grade: Option<GradeId>,
        min: Decimal,
        score: Decimal,
    },
    Threshold {
        #[serde(default)]
        rule: Option<RuleId>,
        compare: Compare,
        value: Decimal,
        threshold: Decimal,
    },
}

impl Serialize for NextReward {
    /// The numbers, then the explanation made from them.
    fn serialize<S: Serializer>(&self, serializer: S) -> core::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("NextReward", 6)?;
        // which reward, named again at the top for a reader of the JSON
        // (rule cases test `next[0].reward.grade`); it is the basis's
        s.serialize_field("reward", &self.reward())?;
        s.serialize_field("of", &self.of)?;
        s.serialize_field("needed", &self.needed)?;
        if let Some(worth) = &self.worth {
            s.serialize_field("worth", worth)?;
        } else {
            s.skip_field("worth")?;
        }
        s.serialize_field("basis", &self.basis)?;
        s.serialize_field("explanation", &self.explanation())?;
        s.end()
    }
}
