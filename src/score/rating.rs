//! Rating scales: score → grade → bonus coefficient.

use rust_decimal::Decimal;

use crate::error::{Error, Problem, Result};
use crate::explain::{Explanation, Recorder, Sink, Static, Term, Unit};
use crate::id::GradeId;
use crate::money::{Parts, cmp_parts};
use crate::text::msg;

/// One grade of a [`RatingScale`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    id: GradeId,
    min: Option<Decimal>,
    coefficient: Decimal,
}

impl Grade {
    /// A grade for scores at or above `min`, paying `coefficient` × the
    /// target bonus.
    pub fn at_least(id: GradeId, min: Decimal, coefficient: Decimal) -> Grade {
        Grade {
            id,
            min: Some(min),
            coefficient,
        }
    }

    /// The lowest grade: every score below the others.
    pub fn otherwise(id: GradeId, coefficient: Decimal) -> Grade {
        Grade {
            id,
            min: None,
            coefficient,
        }
    }

    /// The grade's id.
    pub fn id(&self) -> &GradeId {
        &self.id
    }

    /// The least score of the grade (`None` for the lowest grade).
    pub fn min(&self) -> Option<Decimal> {
        self.min
    }

    /// The bonus coefficient.
    pub fn coefficient(&self) -> Decimal {
        self.coefficient
    }
}

/// A grade given to a score, with its coefficient and explanation.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    /// The grade.
    pub grade: GradeId,
    /// Its bonus coefficient.
    pub coefficient: Decimal,
    /// Why this grade.
    pub explanation: Explanation,
}

/// Score → grade (vendor-defined, e.g. S/A/B/C/D) → bonus coefficient.
///
/// Grades are listed from the best down; each but the last has a minimum
/// score (inclusive), and the last takes every lower score, so every score
/// gets exactly one grade.
///
/// ```
/// use perfpay::Decimal;
/// use perfpay::id::GradeId;
/// use perfpay::score::{Grade, RatingScale};
///
/// let g = |s: &str| GradeId::new(s).unwrap();
/// let scale = RatingScale::new([
///     Grade::at_least(g("S"), 95.into(), Decimal::new(15, 1)),
///     Grade::at_least(g("A"), 85.into(), Decimal::new(12, 1)),
///     Grade::at_least(g("B"), 70.into(), Decimal::ONE),
///     Grade::at_least(g("C"), 60.into(), Decimal::new(5, 1)),
///     Grade::otherwise(g("D"), Decimal::ZERO),
/// ])?;
/// assert_eq!(scale.rate(Decimal::from(85)).grade.as_str(), "A");
/// assert_eq!(scale.rate(Decimal::new(8499, 2)).grade.as_str(), "B");
/// assert_eq!(scale.rate(Decimal::from(-3)).coefficient, Decimal::ZERO);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingScale {
    grades: Vec<Grade>,
}

impl RatingScale {
    /// A scale from `grades`, best first.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) listing
    /// every problem: no grades, a grade other than the last without a
    /// minimum, a last grade with one, minimums not strictly falling, a grade
    /// listed twice, a negative coefficient.
    pub fn new(grades: impl IntoIterator<Item = Grade>) -> Result<RatingScale> {
        let grades: Vec<Grade> = grades.into_iter().collect();
        let mut problems = Vec::new();
        if grades.is_empty() {
            problems.push(Problem::new("grades", "a rating scale needs at least one grade"));
        }
        let last = grades.len().saturating_sub(1);
        for (i, grade) in grades.iter().enumerate() {
            match (i == last, grade.min) {
                (false, None) => problems.push(Problem::new(
                    format!("grades[{i}].min"),
                    format!(
                        "grade {} needs a minimum score; only the last grade takes every lower score",
                        grade.id
                    ),
                )),
                (true, Some(_)) => problems.push(Problem::new(
                    format!("grades[{i}].min"),
                    format!(
                        "the last grade {} takes every lower score and has no minimum",
                        grade.id
                    ),
                )),
                _ => {}
            }
            if let (Some(min), Some(prev)) = (grade.min, i.checked_sub(1).and_then(|p| grades.get(p)?.min))
                && min >= prev
            {
                problems.push(Problem::new(
                    format!("grades[{i}].min"),
                    format!("{min} is not below the previous grade's minimum {prev}"),
                ));
            }
            if grades.iter().take(i).any(|g| g.id == grade.id) {
                problems.push(Problem::new(
                    format!("grades[{i}].id"),
                    format!("grade {} is listed twice", grade.id),
                ));
            }
            if grade.coefficient.is_sign_negative() && !grade.coefficient.is_zero() {
                problems.push(Problem::new(
                    format!("grades[{i}].coefficient"),
                    format!("coefficient {} is negative", grade.coefficient),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::invalid_problems("invalid rating scale", problems));
        }
        Ok(RatingScale { grades })
    }

    /// The grades, best first.
    pub fn grades(&self) -> &[Grade] {
        &self.grades
    }

    /// The grade `id`, if the scale has it.
    pub fn grade(&self, id: &GradeId) -> Option<&Grade> {
        self.grades.iter().find(|g| &g.id == id)
    }

    /// The position of grade `id`, 0 for the best.
    pub fn position(&self, id: &GradeId) -> Option<usize> {
        self.grades.iter().position(|g| &g.id == id)
    }

    /// The next better grade than `score` reaches, and how many points
    /// more reach it; `None` at the best grade.
    ///
    /// ```
    /// use perfpay::Decimal;
    /// use perfpay::id::GradeId;
    /// use perfpay::score::{Grade, RatingScale};
    ///
    /// let g = |id: &str| GradeId::new(id).unwrap();
    /// let scale = RatingScale::new([
    ///     Grade::at_least(g("A"), Decimal::from(95), Decimal::new(12, 1)),
    ///     Grade::otherwise(g("B"), Decimal::ONE),
    /// ])?;
    /// let (next, needed) = scale.next_grade(Decimal::new(905, 1)).unwrap();
    /// assert_eq!((next.id().as_str(), needed), ("A", Decimal::new(45, 1)));
    /// assert!(scale.next_grade(Decimal::from(96)).is_none());
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn next_grade(&self, score: Decimal) -> Option<(&Grade, Decimal)> {
        self.better_than(self.index_of(score), score)
    }

    /// As [`next_grade`](Self::next_grade) when the grade `score` reached
    /// is known (no comparison of the score with every grade).
    pub fn next_grade_after(&self, grade: &GradeId, score: Decimal) -> Option<(&Grade, Decimal)> {
        self.better_than(self.position(grade)?, score)
    }

    /// The grade before position `index`, and how far `score` is from it.
    fn better_than(&self, index: usize, score: Decimal) -> Option<(&Grade, Decimal)> {
        let better = self.grades.get(index.checked_sub(1)?)?;
        Some((better, better.min?.checked_sub(score)?))
    }

    /// The position of the grade `score` reaches.
    fn index_of(&self, score: Decimal) -> usize {
        // the score read once and compared inline with each grade's minimum
        let score = Parts::of(score);
        self.grades
            .iter()
            .position(|g| g.min.is_none_or(|min| cmp_parts(score, min).is_ge()))
            .unwrap_or(self.grades.len().saturating_sub(1))
    }

    /// The grade for `score`.
    pub fn rate(&self, score: Decimal) -> Rating {
        let (grade, explanation) = self.rate_with::<Explanation>(score);
        Rating {
            grade: grade.id.clone(),
            coefficient: grade.coefficient,
            explanation,
        }
    }

    /// The one place a score is graded: the grade and the step `R` records.
    pub fn rate_with<R: Recorder>(&self, score: Decimal) -> (&Grade, R) {
        self.rate_in(score, &mut Static::new())
    }

    /// [`rate_with`](Self::rate_with), its step written to `rec`.
    pub(crate) fn rate_in<Q: Sink>(&self, score: Decimal, rec: &mut Q) -> (&Grade, Q::Step) {
        let index = self.index_of(score);
        #[allow(clippy::indexing_slicing)] // `new`, the only constructor, refuses an empty scale
        let grade = &self.grades[index];
        let step = rec.record(|| {
            let step = Explanation::new(&msg::GRADE_COEFFICIENT, grade.coefficient, Unit::Number);
            let (grade_is, score_is) = (Term::text(&grade.id), Term::value(score, Unit::Score));
            match grade.min {
                Some(min) => step.terms([
                    Term::text(&msg::GRADE),
                    grade_is,
                    Term::text(&msg::COLON_SCORE),
                    score_is,
                    Term::text(&msg::AT_LEAST),
                    Term::value(min, Unit::Score),
                ]),
                None => step.terms([
                    Term::text(&msg::GRADE),
                    grade_is,
                    Term::text(&msg::COLON_SCORE),
                    score_is,
                    Term::text(&msg::BELOW_EVERY_OTHER_GRADE),
                ]),
            }
        });
        (grade, step)
    }
}
