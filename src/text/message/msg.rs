//! Every message perfpay's explanations use: one `static` per message,
//! named after its key, with its English words.
//!
//! The words themselves live in the locale files (`locales/<lang>/*.ftl`);
//! this catalogue is what the code refers to, so that a misspelt message is
//! a compile error and a test can list every key a locale must have. It is
//! kept in key order: a message's index is its place here.

use super::{Message, MessageDef};

/// ` above the table's last bound earns nothing`
pub static ABOVE_THE_TABLES_LAST_BOUND_EARNS_NOTHING: Message<0> =
    Message::new(0, "above-the-tables-last-bound-earns-nothing", &[]);

/// `achievement of { $goal }`
pub static ACHIEVEMENT_OF: Message<1> = Message::new(1, "achievement-of", &["goal"]);

/// `adjustment of { $code }`
pub static ADJUSTMENT_OF: Message<1> = Message::new(2, "adjustment-of", &["code"]);

/// ` advanced (recoverable)`
pub static ADVANCED_RECOVERABLE: Message<0> = Message::new(3, "advanced-recoverable", &[]);

/// ` allowance`
pub static ALLOWANCE_AFTER: Message<0> = Message::new(4, "allowance-after", &[]);

/// ` among the uncapped`
pub static AMONG_THE_UNCAPPED: Message<0> = Message::new(5, "among-the-uncapped", &[]);

/// `amount`
pub static AMOUNT: Message<0> = Message::new(6, "amount", &[]);

/// ` and ≤ `
pub static AND_AT_MOST: Message<0> = Message::new(7, "and-at-most", &[]);

/// ` (archived goals left out)`
pub static ARCHIVED_GOALS_LEFT_OUT: Message<0> = Message::new(8, "archived-goals-left-out", &[]);

/// ` at `
pub static AT: Message<0> = Message::new(9, "at", &[]);

/// ` ≥ `
pub static AT_LEAST: Message<0> = Message::new(10, "at-least", &[]);

/// `at or beyond `
pub static AT_OR_BEYOND: Message<0> = Message::new(11, "at-or-beyond", &[]);

/// `attainment`
pub static ATTAINMENT: Message<0> = Message::new(12, "attainment", &[]);

/// `award { $rule }`
pub static AWARD_NAMED: Message<1> = Message::new(13, "award-named", &["rule"]);

/// `awards`
pub static AWARDS: Message<0> = Message::new(14, "awards", &[]);

/// `band `
pub static BAND: Message<0> = Message::new(15, "band", &[]);

/// `band from `
pub static BAND_FROM: Message<0> = Message::new(16, "band-from", &[]);

/// `below `
pub static BELOW: Message<0> = Message::new(17, "below", &[]);

/// ` below `
pub static BELOW_BETWEEN: Message<0> = Message::new(18, "below-between", &[]);

/// ` below every other grade`
pub static BELOW_EVERY_OTHER_GRADE: Message<0> = Message::new(19, "below-every-other-grade", &[]);

/// `below the first band from `
pub static BELOW_THE_FIRST_BAND_FROM: Message<0> = Message::new(20, "below-the-first-band-from", &[]);

/// `below threshold `
pub static BELOW_THRESHOLD: Message<0> = Message::new(21, "below-threshold", &[]);

/// `best share of incentive pay`
pub static BEST_SHARE_OF_INCENTIVE_PAY: Message<0> = Message::new(22, "best-share-of-incentive-pay", &[]);

/// `bonus matrix { $matrix }:{" "}`
pub static BONUS_MATRIX_NAMED: Message<1> = Message::new(23, "bonus-matrix-named", &["matrix"]);

/// `bonus pool`
pub static BONUS_POOL: Message<0> = Message::new(24, "bonus-pool", &[]);

/// `by score `
pub static BY_SCORE: Message<0> = Message::new(25, "by-score", &[]);

/// ` calendar days`
pub static CALENDAR_DAYS_AFTER: Message<0> = Message::new(26, "calendar-days-after", &[]);

/// `calibrated grade { $grade }`
pub static CALIBRATED_GRADE: Message<1> = Message::new(27, "calibrated-grade", &["grade"]);

/// `capped at `
pub static CAPPED_AT: Message<0> = Message::new(28, "capped-at", &[]);

/// ` capped at `
pub static CAPPED_AT_BETWEEN: Message<0> = Message::new(29, "capped-at-between", &[]);

/// ` (capped)`
pub static CAPPED_NOTE: Message<0> = Message::new(30, "capped-note", &[]);

/// `, change `
pub static CHANGE: Message<0> = Message::new(31, "change", &[]);

/// `check-ins`
pub static CHECK_INS: Message<0> = Message::new(32, "check-ins", &[]);

/// `children reach ×`
pub static CHILDREN_REACH_TIMES: Message<0> = Message::new(33, "children-reach-times", &[]);

/// `children's targets add up to `
pub static CHILDRENS_TARGETS_ADD_UP_TO: Message<0> = Message::new(34, "childrens-targets-add-up-to", &[]);

/// `clawback`
pub static CLAWBACK: Message<0> = Message::new(35, "clawback", &[]);

/// `clawback of { $deal }`
pub static CLAWBACK_OF: Message<1> = Message::new(36, "clawback-of", &["deal"]);

/// `)`
pub static CLOSE: Message<0> = Message::new(37, "close", &[]);

/// `) / 2`
pub static CLOSE_HALVED: Message<0> = Message::new(38, "close-halved", &[]);

/// `) / `
pub static CLOSE_OVER: Message<0> = Message::new(39, "close-over", &[]);

/// `) / (`
pub static CLOSE_OVER_OPEN: Message<0> = Message::new(40, "close-over-open", &[]);

/// `), target to `
pub static CLOSE_TARGET_TO: Message<0> = Message::new(41, "close-target-to", &[]);

/// `), threshold to `
pub static CLOSE_THRESHOLD_TO: Message<0> = Message::new(42, "close-threshold-to", &[]);

/// `) × (`
pub static CLOSE_TIMES_OPEN: Message<0> = Message::new(43, "close-times-open", &[]);

/// ` coefficient `
pub static COEFFICIENT: Message<0> = Message::new(44, "coefficient", &[]);

/// `coefficient of the grade`
pub static COEFFICIENT_OF_THE_GRADE: Message<0> = Message::new(45, "coefficient-of-the-grade", &[]);

/// `: `
pub static COLON: Message<0> = Message::new(46, "colon", &[]);

/// `: capped`
pub static COLON_CAPPED: Message<0> = Message::new(47, "colon-capped", &[]);

/// `: score `
pub static COLON_SCORE: Message<0> = Message::new(48, "colon-score", &[]);

/// `column `
pub static COLUMN: Message<0> = Message::new(49, "column", &[]);

/// `column from `
pub static COLUMN_FROM: Message<0> = Message::new(50, "column-from", &[]);

/// `combined rating`
pub static COMBINED_RATING: Message<0> = Message::new(51, "combined-rating", &[]);

/// `commission`
pub static COMMISSION: Message<0> = Message::new(52, "commission", &[]);

/// `commission at the tier`
pub static COMMISSION_AT_THE_TIER: Message<0> = Message::new(53, "commission-at-the-tier", &[]);

/// `commission now`
pub static COMMISSION_NOW: Message<0> = Message::new(54, "commission-now", &[]);

/// `confidence`
pub static CONFIDENCE: Message<0> = Message::new(55, "confidence", &[]);

/// `consistent at { $goal }`
pub static CONSISTENT_AT: Message<1> = Message::new(56, "consistent-at", &["goal"]);

/// ` contributions − `
pub static CONTRIBUTIONS_MINUS: Message<0> = Message::new(57, "contributions-minus", &[]);

/// ` corrected − `
pub static CORRECTED_MINUS: Message<0> = Message::new(58, "corrected-minus", &[]);

/// `credit`
pub static CREDIT: Message<0> = Message::new(59, "credit", &[]);

/// `stretch`
pub static CURVE_STRETCH: Message<0> = Message::new(60, "curve-stretch", &[]);

/// `target`
pub static CURVE_TARGET: Message<0> = Message::new(61, "curve-target", &[]);

/// `threshold`
pub static CURVE_THRESHOLD: Message<0> = Message::new(62, "curve-threshold", &[]);

/// `custom condition`
pub static CUSTOM_CONDITION: Message<0> = Message::new(63, "custom-condition", &[]);

/// `custom formula`
pub static CUSTOM_FORMULA: Message<0> = Message::new(64, "custom-formula", &[]);

/// `, cut to the period cap `
pub static CUT_TO_THE_PERIOD_CAP: Message<0> = Message::new(65, "cut-to-the-period-cap", &[]);

/// `days`
pub static DAYS: Message<0> = Message::new(66, "days", &[]);

/// ` days scheduled`
pub static DAYS_SCHEDULED: Message<0> = Message::new(67, "days-scheduled", &[]);

/// ` days scheduled × `
pub static DAYS_SCHEDULED_TIMES: Message<0> = Message::new(68, "days-scheduled-times", &[]);

/// `days worked`
pub static DAYS_WORKED: Message<0> = Message::new(69, "days-worked", &[]);

/// `deal`
pub static DEAL: Message<0> = Message::new(70, "deal", &[]);

/// `deal { $deal }`
pub static DEAL_NAMED: Message<1> = Message::new(71, "deal-named", &["deal"]);

/// `deal payout`
pub static DEAL_PAYOUT: Message<0> = Message::new(72, "deal-payout", &[]);

/// ` deductions`
pub static DEDUCTIONS: Message<0> = Message::new(73, "deductions", &[]);

/// ` deductions, net pay in `
pub static DEDUCTIONS_NET_PAY_IN: Message<0> = Message::new(74, "deductions-net-pay-in", &[]);

/// `draw`
pub static DRAW: Message<0> = Message::new(75, "draw", &[]);

/// ` draw − `
pub static DRAW_MINUS: Message<0> = Message::new(76, "draw-minus", &[]);

/// `draw recovery`
pub static DRAW_RECOVERY: Message<0> = Message::new(77, "draw-recovery", &[]);

/// `due to date`
pub static DUE_TO_DATE: Message<0> = Message::new(78, "due-to-date", &[]);

/// ` due to date − `
pub static DUE_TO_DATE_MINUS: Message<0> = Message::new(79, "due-to-date-minus", &[]);

/// `, each share capped at `
pub static EACH_SHARE_CAPPED_AT: Message<0> = Message::new(80, "each-share-capped-at", &[]);

/// ` earned + `
pub static EARNED: Message<0> = Message::new(81, "earned", &[]);

/// ` earned, advanced against later commission`
pub static EARNED_ADVANCED_AGAINST_LATER_COMMISSION: Message<0> =
    Message::new(82, "earned-advanced-against-later-commission", &[]);

/// ` earned, guaranteed`
pub static EARNED_GUARANTEED: Message<0> = Message::new(83, "earned-guaranteed", &[]);

/// ` earned − `
pub static EARNED_MINUS: Message<0> = Message::new(84, "earned-minus", &[]);

/// ` (edge)`
pub static EDGE: Message<0> = Message::new(85, "edge", &[]);

/// ` (employee)`
pub static EMPLOYEE_NOTE: Message<0> = Message::new(86, "employee-note", &[]);

/// `employer cost`
pub static EMPLOYER_COST: Message<0> = Message::new(87, "employer-cost", &[]);

/// ` (employer)`
pub static EMPLOYER_NOTE: Message<0> = Message::new(88, "employer-note", &[]);

/// `employment level`
pub static EMPLOYMENT_LEVEL: Message<0> = Message::new(89, "employment-level", &[]);

/// ` = `
pub static EQUALS: Message<0> = Message::new(90, "equals", &[]);

/// `{ $plan } { $period }: { $employees } employees, { $failed } could not be evaluated; gross { $gross }, net { $net }, employer cost { $employer }, commission { $commission }`
pub static EVAL_SUMMARY: Message<8> = Message::new(
    91,
    "eval-summary",
    &[
        "plan",
        "period",
        "employees",
        "failed",
        "gross",
        "net",
        "employer",
        "commission",
    ],
);

/// `attendance milestone`
pub static EVENT_ATTENDANCE_MILESTONE: Message<0> = Message::new(92, "event-attendance-milestone", &[]);

/// `goal achieved`
pub static EVENT_GOAL_ACHIEVED: Message<0> = Message::new(93, "event-goal-achieved", &[]);

/// `grade reached`
pub static EVENT_GRADE_REACHED: Message<0> = Message::new(94, "event-grade-reached", &[]);

/// `{ $kind } on { $date }`
pub static EVENT_ON: Message<2> = Message::new(95, "event-on", &["kind", "date"]);

/// `rank in team`
pub static EVENT_RANK_IN_TEAM: Message<0> = Message::new(96, "event-rank-in-team", &[]);

/// `training completed`
pub static EVENT_TRAINING_COMPLETED: Message<0> = Message::new(97, "event-training-completed", &[]);

/// `event { $value }`
pub static EVENT_VALUE: Message<1> = Message::new(98, "event-value", &["value"]);

/// `fails: `
pub static FAILS: Message<0> = Message::new(99, "fails", &[]);

/// ` fails`
pub static FAILS_AFTER: Message<0> = Message::new(100, "fails-after", &[]);

/// ` falls short of its target `
pub static FALLS_SHORT_OF_ITS_TARGET: Message<0> = Message::new(101, "falls-short-of-its-target", &[]);

/// `the targets under goal { $goal } do not reach it: { $detail }`
pub static FINDING_GOAL_SHORTFALL: Message<2> =
    Message::new(102, "finding-goal-shortfall", &["goal", "detail"]);

/// `achievement below { $threshold } for { $low } of { $staff } { $role } staff: targets may be too high (median achievement { $median })`
pub static FINDING_LOW_ACHIEVEMENT: Message<5> = Message::new(
    103,
    "finding-low-achievement",
    &["threshold", "low", "staff", "role", "median"],
);

/// `satisfaction with incentives { $mean } / 5 in { $group }: the incentive mix may be wrong`
pub static FINDING_LOW_SATISFACTION: Message<2> =
    Message::new(104, "finding-low-satisfaction", &["mean", "group"]);

/// `{ $low } of { $staff } { $role } staff score below { $score }: a metric may be mis-set for the role`
pub static FINDING_MANY_LOW_SCORES: Message<4> =
    Message::new(105, "finding-many-low-scores", &["low", "staff", "role", "score"]);

/// `scores too close to tell { $role } staff apart (all within ±{ $spread })`
pub static FINDING_SCORES_TOO_CLOSE: Message<2> =
    Message::new(106, "finding-scores-too-close", &["role", "spread"]);

/// `the best-rewarded { $role } staff earn { $share } of gross in incentives: incentives may be too weak to change what people do (below { $threshold })`
pub static FINDING_WEAK_INCENTIVES: Message<3> =
    Message::new(107, "finding-weak-incentives", &["role", "share", "threshold"]);

/// `findings ({ $count })`
pub static FINDINGS_HEADING: Message<1> = Message::new(108, "findings-heading", &["count"]);

/// ` fixed`
pub static FIXED: Message<0> = Message::new(109, "fixed", &[]);

/// `fixed cash`
pub static FIXED_CASH: Message<0> = Message::new(110, "fixed-cash", &[]);

/// ` fixed for reaching `
pub static FIXED_FOR_REACHING: Message<0> = Message::new(111, "fixed-for-reaching", &[]);

/// ` fixed on reaching `
pub static FIXED_ON_REACHING: Message<0> = Message::new(112, "fixed-on-reaching", &[]);

/// ` flat (outside the points)`
pub static FLAT_OUTSIDE_THE_POINTS: Message<0> = Message::new(113, "flat-outside-the-points", &[]);

/// `: floor`
pub static FLOOR: Message<0> = Message::new(114, "floor", &[]);

/// ` for a negative amount`
pub static FOR_A_NEGATIVE_AMOUNT: Message<0> = Message::new(115, "for-a-negative-amount", &[]);

/// ` for grade `
pub static FOR_GRADE: Message<0> = Message::new(116, "for-grade", &[]);

/// `forced distribution`
pub static FORCED_DISTRIBUTION: Message<0> = Message::new(117, "forced-distribution", &[]);

/// ` from `
pub static FROM: Message<0> = Message::new(118, "from", &[]);

/// `gate closed`
pub static GATE_CLOSED: Message<0> = Message::new(119, "gate-closed", &[]);

/// `gate on { $metric } closed`
pub static GATE_ON_CLOSED: Message<1> = Message::new(120, "gate-on-closed", &["metric"]);

/// `gate open`
pub static GATE_OPEN: Message<0> = Message::new(121, "gate-open", &[]);

/// `grade `
pub static GRADE: Message<0> = Message::new(122, "grade", &[]);

/// `grade coefficient`
pub static GRADE_COEFFICIENT: Message<0> = Message::new(123, "grade-coefficient", &[]);

/// `grade { $grade }`
pub static GRADE_NAMED: Message<1> = Message::new(124, "grade-named", &["grade"]);

/// ` gross − `
pub static GROSS_MINUS: Message<0> = Message::new(125, "gross-minus", &[]);

/// `growth of { $goal }`
pub static GROWTH_OF: Message<1> = Message::new(126, "growth-of", &["goal"]);

/// ` guaranteed top-up`
pub static GUARANTEED_TOP_UP: Message<0> = Message::new(127, "guaranteed-top-up", &[]);

/// `holds: `
pub static HOLDS: Message<0> = Message::new(128, "holds", &[]);

/// `honour recorded: `
pub static HONOUR_RECORDED: Message<0> = Message::new(129, "honour-recorded", &[]);

/// ` h`
pub static HOURS: Message<0> = Message::new(130, "hours", &[]);

/// ` h × `
pub static HOURS_TIMES: Message<0> = Message::new(131, "hours-times", &[]);

/// `in role `
pub static IN_ROLE: Message<0> = Message::new(132, "in-role", &[]);

/// `, interpolated`
pub static INTERPOLATED: Message<0> = Message::new(133, "interpolated", &[]);

/// `{ $plan } { $period }: { $entries } entries, debits { $debits } = credits { $credits }`
pub static JOURNAL_SUMMARY: Message<5> = Message::new(
    134,
    "journal-summary",
    &["plan", "period", "entries", "debits", "credits"],
);

/// ` keeps the commission closed`
pub static KEEPS_THE_COMMISSION_CLOSED: Message<0> = Message::new(135, "keeps-the-commission-closed", &[]);

/// `lateness`
pub static LATENESS: Message<0> = Message::new(136, "lateness", &[]);

/// `latest of `
pub static LATEST_OF: Message<0> = Message::new(137, "latest-of", &[]);

/// `{ $kind } leave`
pub static LEAVE: Message<1> = Message::new(138, "leave", &["kind"]);

/// `award`
pub static LINE_AWARD: Message<0> = Message::new(139, "line-award", &[]);

/// `base salary`
pub static LINE_BASE: Message<0> = Message::new(140, "line-base", &[]);

/// `(deducted)`
pub static LINE_DEDUCTED: Message<0> = Message::new(141, "line-deducted", &[]);

/// `(employer's cost)`
pub static LINE_EMPLOYER_COST: Message<0> = Message::new(142, "line-employer-cost", &[]);

/// `bonus pool share`
pub static LINE_POOL: Message<0> = Message::new(143, "line-pool", &[]);

/// `, ` (between the items of a list)
pub static LIST_SEPARATOR: Message<0> = Message::new(144, "list-separator", &[]);

/// `matrix`
pub static MATRIX: Message<0> = Message::new(145, "matrix", &[]);

/// `matrix { $matrix }`
pub static MATRIX_NAMED: Message<1> = Message::new(146, "matrix-named", &["matrix"]);

/// `mean answer to { $question }`
pub static MEAN_ANSWER_TO: Message<1> = Message::new(147, "mean-answer-to", &["question"]);

/// `mean of `
pub static MEAN_OF: Message<0> = Message::new(148, "mean-of", &[]);

/// `median achievement`
pub static MEDIAN_ACHIEVEMENT: Message<0> = Message::new(149, "median-achievement", &[]);

/// `metric missing: left out, other weights re-normalised`
pub static METRIC_MISSING_LEFT_OUT_OTHER_WEIGHTS_RE_NORMALISED: Message<0> =
    Message::new(150, "metric-missing-left-out-other-weights-re-normalised", &[]);

/// `metric missing: scored 0 by policy`
pub static METRIC_MISSING_SCORED_0_BY_POLICY: Message<0> =
    Message::new(151, "metric-missing-scored-0-by-policy", &[]);

/// ` min)`
pub static MIN_CLOSE: Message<0> = Message::new(152, "min-close", &[]);

/// ` − `
pub static MINUS: Message<0> = Message::new(153, "minus", &[]);

/// ` more`
pub static MORE_AFTER: Message<0> = Message::new(154, "more-after", &[]);

/// ` more `
pub static MORE_BETWEEN: Message<0> = Message::new(155, "more-between", &[]);

/// `multiplier`
pub static MULTIPLIER: Message<0> = Message::new(156, "multiplier", &[]);

/// ` must equal `
pub static MUST_EQUAL: Message<0> = Message::new(157, "must-equal", &[]);

/// ` must fall below `
pub static MUST_FALL_BELOW: Message<0> = Message::new(158, "must-fall-below", &[]);

/// ` must fall to at most `
pub static MUST_FALL_TO_AT_MOST: Message<0> = Message::new(159, "must-fall-to-at-most", &[]);

/// ` must reach at least `
pub static MUST_REACH_AT_LEAST: Message<0> = Message::new(160, "must-reach-at-least", &[]);

/// ` must rise above `
pub static MUST_RISE_ABOVE: Message<0> = Message::new(161, "must-rise-above", &[]);

/// `needs ≥ `
pub static NEEDS_AT_LEAST: Message<0> = Message::new(162, "needs-at-least", &[]);

/// `needs ≤ `
pub static NEEDS_AT_MOST: Message<0> = Message::new(163, "needs-at-most", &[]);

/// `−`
pub static NEGATIVE: Message<0> = Message::new(164, "negative", &[]);

/// `net pay`
pub static NET_PAY: Message<0> = Message::new(165, "net-pay", &[]);

/// `next award`
pub static NEXT_AWARD: Message<0> = Message::new(166, "next-award", &[]);

/// `next commission tier`
pub static NEXT_COMMISSION_TIER: Message<0> = Message::new(167, "next-commission-tier", &[]);

/// `next grade`
pub static NEXT_GRADE: Message<0> = Message::new(168, "next-grade", &[]);

/// `next rewards`
pub static NEXT_REWARDS: Message<0> = Message::new(169, "next-rewards", &[]);

/// `no band`
pub static NO_BAND: Message<0> = Message::new(170, "no-band", &[]);

/// `no band reached`
pub static NO_BAND_REACHED: Message<0> = Message::new(171, "no-band-reached", &[]);

/// `no rating: counted as 0`
pub static NO_RATING_COUNTED_AS_0: Message<0> = Message::new(172, "no-rating-counted-as-0", &[]);

/// `no transactions`
pub static NO_TRANSACTIONS: Message<0> = Message::new(173, "no-transactions", &[]);

/// `no value in force during the period`
pub static NO_VALUE_IN_FORCE_DURING_THE_PERIOD: Message<0> =
    Message::new(174, "no-value-in-force-during-the-period", &[]);

/// `not recorded`
pub static NOT_RECORDED: Message<0> = Message::new(175, "not-recorded", &[]);

/// ` not toward the target`
pub static NOT_TOWARD_THE_TARGET: Message<0> = Message::new(176, "not-toward-the-target", &[]);

/// `{" "}— { $note }`
pub static NOTE: Message<1> = Message::new(177, "note", &["note"]);

/// `nothing: attainment below the threshold `
pub static NOTHING_ATTAINMENT_BELOW_THE_THRESHOLD: Message<0> =
    Message::new(178, "nothing-attainment-below-the-threshold", &[]);

/// `nothing is paid: `
pub static NOTHING_IS_PAID: Message<0> = Message::new(179, "nothing-is-paid", &[]);

/// `; nothing is paid while `
pub static NOTHING_IS_PAID_WHILE: Message<0> = Message::new(180, "nothing-is-paid-while", &[]);

/// `.`
pub static NUMBER_DECIMAL_SEPARATOR: Message<0> = Message::new(181, "number-decimal-separator", &[]);

/// `,`
pub static NUMBER_GROUP_SEPARATOR: Message<0> = Message::new(182, "number-group-separator", &[]);

/// ` of `
pub static OF: Message<0> = Message::new(183, "of", &[]);

/// ` of baseline; parent asks ×`
pub static OF_BASELINE_PARENT_ASKS_TIMES: Message<0> =
    Message::new(184, "of-baseline-parent-asks-times", &[]);

/// ` of weight present`
pub static OF_WEIGHT_PRESENT: Message<0> = Message::new(185, "of-weight-present", &[]);

/// ` on `
pub static ON: Message<0> = Message::new(186, "on", &[]);

/// `{" "}on { $date } →{" "}`
pub static ON_DATE_ARROW: Message<1> = Message::new(187, "on-date-arrow", &["date"]);

/// `{" "}on { $date }:{" "}`
pub static ON_DATE_COLON: Message<1> = Message::new(188, "on-date-colon", &["date"]);

/// ` on the part above `
pub static ON_THE_PART_ABOVE: Message<0> = Message::new(189, "on-the-part-above", &[]);

/// ` on the prior total`
pub static ON_THE_PRIOR_TOTAL: Message<0> = Message::new(190, "on-the-prior-total", &[]);

/// ` on the total − `
pub static ON_THE_TOTAL_MINUS: Message<0> = Message::new(191, "on-the-total-minus", &[]);

/// ` on the whole amount from `
pub static ON_THE_WHOLE_AMOUNT_FROM: Message<0> = Message::new(192, "on-the-whole-amount-from", &[]);

/// `one of `
pub static ONE_OF: Message<0> = Message::new(193, "one-of", &[]);

/// `one rating`
pub static ONE_RATING: Message<0> = Message::new(194, "one-rating", &[]);

/// `(`
pub static OPEN: Message<0> = Message::new(195, "open", &[]);

/// `outcome of `
pub static OUTCOME_OF: Message<0> = Message::new(196, "outcome-of", &[]);

/// ` / `
pub static OVER: Message<0> = Message::new(197, "over", &[]);

/// ` (over-withheld; carried forward)`
pub static OVER_WITHHELD_CARRIED_FORWARD: Message<0> =
    Message::new(198, "over-withheld-carried-forward", &[]);

/// `overtime`
pub static OVERTIME: Message<0> = Message::new(199, "overtime", &[]);

/// `owed after`
pub static OWED_AFTER: Message<0> = Message::new(200, "owed-after", &[]);

/// ` owed, from commission above the draw`
pub static OWED_FROM_COMMISSION_ABOVE_THE_DRAW: Message<0> =
    Message::new(201, "owed-from-commission-above-the-draw", &[]);

/// ` paid`
pub static PAID: Message<0> = Message::new(202, "paid", &[]);

/// ` paid leave`
pub static PAID_LEAVE: Message<0> = Message::new(203, "paid-leave", &[]);

/// ` paid on `
pub static PAID_ON: Message<0> = Message::new(204, "paid-on", &[]);

/// `paid with draw`
pub static PAID_WITH_DRAW: Message<0> = Message::new(205, "paid-with-draw", &[]);

/// `; parent asks `
pub static PARENT_ASKS: Message<0> = Message::new(206, "parent-asks", &[]);

/// `payout`
pub static PAYOUT: Message<0> = Message::new(207, "payout", &[]);

/// `payout percentage`
pub static PAYOUT_PERCENTAGE: Message<0> = Message::new(208, "payout-percentage", &[]);

/// ` pays; the `
pub static PAYS_THE: Message<0> = Message::new(209, "pays-the", &[]);

/// `payslip`
pub static PAYSLIP: Message<0> = Message::new(210, "payslip", &[]);

/// `performance bonus`
pub static PERFORMANCE_BONUS: Message<0> = Message::new(211, "performance-bonus", &[]);

/// `period base`
pub static PERIOD_BASE: Message<0> = Message::new(212, "period-base", &[]);

/// ` + `
pub static PLUS: Message<0> = Message::new(213, "plus", &[]);

/// ` + (`
pub static PLUS_OPEN: Message<0> = Message::new(214, "plus-open", &[]);

/// `points`
pub static POINTS: Message<0> = Message::new(215, "points", &[]);

/// `prior total`
pub static PRIOR_TOTAL: Message<0> = Message::new(216, "prior-total", &[]);

/// `prorated amount`
pub static PRORATED_AMOUNT: Message<0> = Message::new(217, "prorated-amount", &[]);

/// ` quick deduction`
pub static QUICK_DEDUCTION: Message<0> = Message::new(218, "quick-deduction", &[]);

/// `quota `
pub static QUOTA: Message<0> = Message::new(219, "quota", &[]);

/// `quota`
pub static QUOTA_AMOUNT: Message<0> = Message::new(220, "quota-amount", &[]);

/// ` raised to the floor `
pub static RAISED_TO_THE_FLOOR: Message<0> = Message::new(221, "raised-to-the-floor", &[]);

/// `rank`
pub static RANK: Message<0> = Message::new(222, "rank", &[]);

/// `rank { $rank } of { $of } in { $role } under the forced distribution`
pub static RANK_UNDER_FORCED_DISTRIBUTION: Message<3> =
    Message::new(223, "rank-under-forced-distribution", &["rank", "of", "role"]);

/// `ranked by score; equal scores kept together`
pub static RANKED_BY_SCORE_EQUAL_SCORES_KEPT_TOGETHER: Message<0> =
    Message::new(224, "ranked-by-score-equal-scores-kept-together", &[]);

/// `ranked by score, then employee id`
pub static RANKED_BY_SCORE_THEN_EMPLOYEE_ID: Message<0> =
    Message::new(225, "ranked-by-score-then-employee-id", &[]);

/// ` ratings`
pub static RATINGS: Message<0> = Message::new(226, "ratings", &[]);

/// ` reached`
pub static REACHED: Message<0> = Message::new(227, "reached", &[]);

/// ` reaches its target `
pub static REACHES_ITS_TARGET: Message<0> = Message::new(228, "reaches-its-target", &[]);

/// ` recovered`
pub static RECOVERED: Message<0> = Message::new(229, "recovered", &[]);

/// `recovered of `
pub static RECOVERED_OF: Message<0> = Message::new(230, "recovered-of", &[]);

/// `refund `
pub static REFUND: Message<0> = Message::new(231, "refund", &[]);

/// `refund of `
pub static REFUND_OF: Message<0> = Message::new(232, "refund-of", &[]);

/// `bonus`
pub static REPORT_BONUS: Message<0> = Message::new(233, "report-bonus", &[]);

/// `change`
pub static REPORT_CHANGE: Message<0> = Message::new(234, "report-change", &[]);

/// `{ $role }: commission`
pub static REPORT_CHART_COMMISSION: Message<1> = Message::new(235, "report-chart-commission", &["role"]);

/// `cost per role`
pub static REPORT_CHART_COST: Message<0> = Message::new(236, "report-chart-cost", &[]);

/// `{ $role }: scores`
pub static REPORT_CHART_SCORES: Message<1> = Message::new(237, "report-chart-scores", &["role"]);

/// `staff`
pub static REPORT_CHART_STAFF: Message<0> = Message::new(238, "report-chart-staff", &[]);

/// `What it costs`
pub static REPORT_COST: Message<0> = Message::new(239, "report-cost", &[]);

/// `gross pay plus the employer's contributions, old and new`
pub static REPORT_COST_CAPTION: Message<0> = Message::new(240, "report-cost-caption", &[]);

/// `Cost per role`
pub static REPORT_COST_PER_ROLE: Message<0> = Message::new(241, "report-cost-per-role", &[]);

/// `{ $role }: commission by credit, up to the highest seen ({ $high })`
pub static REPORT_CURVE_CAPTION: Message<2> = Message::new(242, "report-curve-caption", &["role", "high"]);

/// `Commission: the payout curve, old and new`
pub static REPORT_CURVES: Message<0> = Message::new(243, "report-curves", &[]);

/// `employee`
pub static REPORT_EMPLOYEE: Message<0> = Message::new(244, "report-employee", &[]);

/// `What each period says about the plan`
pub static REPORT_FINDINGS: Message<0> = Message::new(245, "report-findings", &[]);

/// `{ $plan }: { $count } finding(s)`
pub static REPORT_FINDINGS_COUNT: Message<2> = Message::new(246, "report-findings-count", &["plan", "count"]);

/// `gross`
pub static REPORT_GROSS: Message<0> = Message::new(247, "report-gross", &[]);

/// `net`
pub static REPORT_NET: Message<0> = Message::new(248, "report-net", &[]);

/// `new`
pub static REPORT_NEW: Message<0> = Message::new(249, "report-new", &[]);

/// `No role is paid commission by a tier table on a metric.`
pub static REPORT_NO_CURVE: Message<0> = Message::new(250, "report-no-curve", &[]);

/// `old`
pub static REPORT_OLD: Message<0> = Message::new(251, "report-old", &[]);

/// `Who gains and who loses`
pub static REPORT_PEOPLE: Message<0> = Message::new(252, "report-people", &[]);

/// `net pay change of the people who gain and lose most`
pub static REPORT_PEOPLE_CAPTION: Message<0> = Message::new(253, "report-people-caption", &[]);

/// `{ $gain } gain, { $lose } lose, { $same } unchanged in net pay.`
pub static REPORT_PEOPLE_COUNT: Message<3> =
    Message::new(254, "report-people-count", &["gain", "lose", "same"]);

/// `What changes in the plan`
pub static REPORT_PLAN_CHANGES: Message<0> = Message::new(255, "report-plan-changes", &[]);

/// `nothing: the two documents are the same`
pub static REPORT_PLAN_UNCHANGED: Message<0> = Message::new(256, "report-plan-unchanged", &[]);

/// `role`
pub static REPORT_ROLE: Message<0> = Message::new(257, "report-role", &[]);

/// `{ $periods } period(s), { $employees } employee(s)`
pub static REPORT_SCOPE: Message<2> = Message::new(258, "report-scope", &["periods", "employees"]);

/// `Scores per role`
pub static REPORT_SCORES: Message<0> = Message::new(259, "report-scores", &[]);

/// `{ $role }: how many scores in each band of { $band } points; grade thresholds marked`
pub static REPORT_SCORES_CAPTION: Message<2> = Message::new(260, "report-scores-caption", &["role", "band"]);

/// `reverses `
pub static REVERSES: Message<0> = Message::new(261, "reverses", &[]);

/// ` reverses the `
pub static REVERSES_THE: Message<0> = Message::new(262, "reverses-the", &[]);

/// `, role `
pub static ROLE: Message<0> = Message::new(263, "role", &[]);

/// `, rounded to { $places } places`
pub static ROUNDED_TO_PLACES: Message<1> = Message::new(264, "rounded-to-places", &["places"]);

/// `, row `
pub static ROW: Message<0> = Message::new(265, "row", &[]);

/// `, row from `
pub static ROW_FROM: Message<0> = Message::new(266, "row-from", &[]);

/// `rule `
pub static RULE: Message<0> = Message::new(267, "rule", &[]);

/// `rule { $rule }`
pub static RULE_NAMED: Message<1> = Message::new(268, "rule-named", &["rule"]);

/// ` scheduled − `
pub static SCHEDULED_MINUS: Message<0> = Message::new(269, "scheduled-minus", &[]);

/// `score`
pub static SCORE: Message<0> = Message::new(270, "score", &[]);

/// `score 0 earns no share`
pub static SCORE_0_EARNS_NO_SHARE: Message<0> = Message::new(271, "score-0-earns-no-share", &[]);

/// ` score`
pub static SCORE_AFTER: Message<0> = Message::new(272, "score-after", &[]);

/// ` score points`
pub static SCORE_POINTS: Message<0> = Message::new(273, "score-points", &[]);

/// `score spread`
pub static SCORE_SPREAD: Message<0> = Message::new(274, "score-spread", &[]);

/// `segment { $span }`
pub static SEGMENT_NAMED: Message<1> = Message::new(275, "segment-named", &["span"]);

/// `share of { $employee }`
pub static SHARE_OF: Message<1> = Message::new(276, "share-of", &["employee"]);

/// `share scoring low`
pub static SHARE_SCORING_LOW: Message<0> = Message::new(277, "share-scoring-low", &[]);

/// `shortfall at { $goal }`
pub static SHORTFALL_AT: Message<1> = Message::new(278, "shortfall-at", &["goal"]);

/// `after`
pub static SIMULATION_AFTER: Message<0> = Message::new(279, "simulation-after", &[]);

/// `before`
pub static SIMULATION_BEFORE: Message<0> = Message::new(280, "simulation-before", &[]);

/// `(company cost)`
pub static SIMULATION_COMPANY_COST: Message<0> = Message::new(281, "simulation-company-cost", &[]);

/// `{ $count } gain`
pub static SIMULATION_GAIN: Message<1> = Message::new(282, "simulation-gain", &["count"]);

/// `{ $count } lose`
pub static SIMULATION_LOSE: Message<1> = Message::new(283, "simulation-lose", &["count"]);

/// `… and { $count } more`
pub static SIMULATION_MORE: Message<1> = Message::new(284, "simulation-more", &["count"]);

/// `score { $score_before } → { $score_after }, grade { $grade_before } → { $grade_after }, rank { $rank_before } → { $rank_after }`
pub static SIMULATION_MOVE: Message<6> = Message::new(
    285,
    "simulation-move",
    &[
        "score_before",
        "score_after",
        "grade_before",
        "grade_after",
        "rank_before",
        "rank_after",
    ],
);

/// `period { $period }`
pub static SIMULATION_PERIOD: Message<1> = Message::new(286, "simulation-period", &["period"]);

/// `(company cost, { $staff } staff, findings { $before } → { $after })`
pub static SIMULATION_PERIOD_NOTE: Message<3> =
    Message::new(287, "simulation-period-note", &["staff", "before", "after"]);

/// `reaches everyone`
pub static SIMULATION_REACH_EVERYONE: Message<0> = Message::new(288, "simulation-reach-everyone", &[]);

/// `reaches nobody: everyone is paid as before`
pub static SIMULATION_REACH_NOBODY: Message<0> = Message::new(289, "simulation-reach-nobody", &[]);

/// `reaches { $roles }; everyone else is paid as before`
pub static SIMULATION_REACH_ROLES: Message<1> = Message::new(290, "simulation-reach-roles", &["roles"]);

/// `role { $role }`
pub static SIMULATION_ROLE: Message<1> = Message::new(291, "simulation-role", &["role"]);

/// `amount`
pub static SLIP_AMOUNT: Message<0> = Message::new(292, "slip-amount", &[]);

/// `commission credit`
pub static SLIP_COMMISSION_CREDIT: Message<0> = Message::new(293, "slip-commission-credit", &[]);

/// `employee contributions`
pub static SLIP_CONTRIBUTIONS: Message<0> = Message::new(294, "slip-contributions", &[]);

/// `deductions`
pub static SLIP_DEDUCTIONS: Message<0> = Message::new(295, "slip-deductions", &[]);

/// `draw still owed`
pub static SLIP_DRAW_OWED: Message<0> = Message::new(296, "slip-draw-owed", &[]);

/// `earnings`
pub static SLIP_EARNINGS: Message<0> = Message::new(297, "slip-earnings", &[]);

/// `employer contributions`
pub static SLIP_EMPLOYER_CONTRIBUTIONS: Message<0> = Message::new(298, "slip-employer-contributions", &[]);

/// `paid by the employer on top`
pub static SLIP_EMPLOYER_COSTS: Message<0> = Message::new(299, "slip-employer-costs", &[]);

/// `gross pay`
pub static SLIP_GROSS: Message<0> = Message::new(300, "slip-gross", &[]);

/// `how it was made`
pub static SLIP_HOW: Message<0> = Message::new(301, "slip-how", &[]);

/// `amounts in { $currency }`
pub static SLIP_IN_CURRENCY: Message<1> = Message::new(302, "slip-in-currency", &["currency"]);

/// `item`
pub static SLIP_ITEM: Message<0> = Message::new(303, "slip-item", &[]);

/// `payslip of { $employee } for { $period }`
pub static SLIP_OF: Message<2> = Message::new(304, "slip-of", &["employee", "period"]);

/// `income tax withheld`
pub static SLIP_WITHHELD: Message<0> = Message::new(305, "slip-withheld", &[]);

/// `year to date { $year }`
pub static SLIP_YEAR_TO_DATE: Message<1> = Message::new(306, "slip-year-to-date", &["year"]);

/// `" "`
pub static SPACE: Message<0> = Message::new(307, "space", &[]);

/// ` (`
pub static SPACE_OPEN: Message<0> = Message::new(308, "space-open", &[]);

/// ` special deductions`
pub static SPECIAL_DEDUCTIONS: Message<0> = Message::new(309, "special-deductions", &[]);

/// `split by score over `
pub static SPLIT_BY_SCORE_OVER: Message<0> = Message::new(310, "split-by-score-over", &[]);

/// `split by share of baseline, largest remainder`
pub static SPLIT_BY_SHARE_OF_BASELINE_LARGEST_REMAINDER: Message<0> =
    Message::new(311, "split-by-share-of-baseline-largest-remainder", &[]);

/// `split by weight, largest remainder`
pub static SPLIT_BY_WEIGHT_LARGEST_REMAINDER: Message<0> =
    Message::new(312, "split-by-weight-largest-remainder", &[]);

/// `staff with low achievement`
pub static STAFF_WITH_LOW_ACHIEVEMENT: Message<0> = Message::new(313, "staff-with-low-achievement", &[]);

/// ` staff's (commission + bonus + awards + pool) / gross, below `
pub static STAFFS_COMMISSION_BONUS_AWARDS_POOL_GROSS_BELOW: Message<0> =
    Message::new(314, "staffs-commission-bonus-awards-pool-gross-below", &[]);

/// ` = `
pub static STATEMENT_EQUALS: Message<0> = Message::new(315, "statement-equals", &[]);

/// ` = `
pub static STATEMENT_INPUT_EQUALS: Message<0> = Message::new(316, "statement-input-equals", &[]);

/// `, `
pub static STATEMENT_INPUTS_BETWEEN: Message<0> = Message::new(317, "statement-inputs-between", &[]);

/// `)`
pub static STATEMENT_INPUTS_CLOSE: Message<0> = Message::new(318, "statement-inputs-close", &[]);

/// ` (`
pub static STATEMENT_INPUTS_OPEN: Message<0> = Message::new(319, "statement-inputs-open", &[]);

/// `" "`
pub static STATEMENT_RESULT: Message<0> = Message::new(320, "statement-result", &[]);

/// `{" "}(stored fingerprint { $fingerprint })`
pub static STORED_FINGERPRINT: Message<1> = Message::new(321, "stored-fingerprint", &["fingerprint"]);

/// `all`
pub static SURVEY_ALL: Message<0> = Message::new(322, "survey-all", &[]);

/// `; `
pub static SURVEY_BETWEEN: Message<0> = Message::new(323, "survey-between", &[]);

/// `, `
pub static SURVEY_CHOICE_BETWEEN: Message<0> = Message::new(324, "survey-choice-between", &[]);

/// `{" "}eNPS { $enps }`
pub static SURVEY_ENPS: Message<1> = Message::new(325, "survey-enps", &["enps"]);

/// `fewer than { $k } responses`
pub static SURVEY_FEWER_THAN: Message<1> = Message::new(326, "survey-fewer-than", &["k"]);

/// `survey (anonymity { $anonymity })`
pub static SURVEY_HEADING: Message<1> = Message::new(327, "survey-heading", &["anonymity"]);

/// `: { $count } responses`
pub static SURVEY_RESPONSES: Message<1> = Message::new(328, "survey-responses", &["count"]);

/// `{" "}mean { $mean } (index { $index })`
pub static SURVEY_SCALE: Message<2> = Message::new(329, "survey-scale", &["mean", "index"]);

/// `: suppressed ({ $reason })`
pub static SURVEY_SUPPRESSED: Message<1> = Message::new(330, "survey-suppressed", &["reason"]);

/// `: suppressed so that group { $group } cannot be derived`
pub static SURVEY_WOULD_REVEAL: Message<1> = Message::new(331, "survey-would-reveal", &["group"]);

/// `target of { $goal }`
pub static TARGET_OF: Message<1> = Message::new(332, "target-of", &["goal"]);

/// ` target × `
pub static TARGET_TIMES: Message<0> = Message::new(333, "target-times", &[]);

/// `targets under { $goal }`
pub static TARGETS_UNDER: Message<1> = Message::new(334, "targets-under", &["goal"]);

/// `taxable this period`
pub static TAXABLE_THIS_PERIOD: Message<0> = Message::new(335, "taxable-this-period", &[]);

/// `; the drivers must grow ×`
pub static THE_DRIVERS_MUST_GROW_TIMES: Message<0> = Message::new(336, "the-drivers-must-grow-times", &[]);

/// `the highest of `
pub static THE_HIGHEST_OF: Message<0> = Message::new(337, "the-highest-of", &[]);

/// ` (tier from `
pub static TIER_FROM: Message<0> = Message::new(338, "tier-from", &[]);

/// ` × `
pub static TIMES: Message<0> = Message::new(339, "times", &[]);

/// ` × grade `
pub static TIMES_GRADE: Message<0> = Message::new(340, "times-grade", &[]);

/// ` to `
pub static TO: Message<0> = Message::new(341, "to", &[]);

/// ` to earn `
pub static TO_EARN: Message<0> = Message::new(342, "to-earn", &[]);

/// ` to reach the next point at `
pub static TO_REACH_THE_NEXT_POINT_AT: Message<0> = Message::new(343, "to-reach-the-next-point-at", &[]);

/// ` to reach the tier paying `
pub static TO_REACH_THE_TIER_PAYING: Message<0> = Message::new(344, "to-reach-the-tier-paying", &[]);

/// ` toward the target`
pub static TOWARD_THE_TARGET: Message<0> = Message::new(345, "toward-the-target", &[]);

/// `transactions`
pub static TRANSACTIONS: Message<0> = Message::new(346, "transactions", &[]);

/// `trigger`
pub static TRIGGER: Message<0> = Message::new(347, "trigger", &[]);

/// `; unallocated `
pub static UNALLOCATED: Message<0> = Message::new(348, "unallocated", &[]);

/// `{ $value } %`
pub static UNIT_RATE: Message<1> = Message::new(349, "unit-rate", &["value"]);

/// ` unpaid`
pub static UNPAID: Message<0> = Message::new(350, "unpaid", &[]);

/// `unpaid absence`
pub static UNPAID_ABSENCE: Message<0> = Message::new(351, "unpaid-absence", &[]);

/// ` unpaid absence`
pub static UNPAID_ABSENCE_AFTER: Message<0> = Message::new(352, "unpaid-absence-after", &[]);

/// `value`
pub static VALUE: Message<0> = Message::new(353, "value", &[]);

/// `what `
pub static WHAT: Message<0> = Message::new(354, "what", &[]);

/// ` withheld before`
pub static WITHHELD_BEFORE: Message<0> = Message::new(355, "withheld-before", &[]);

/// `withheld this period`
pub static WITHHELD_THIS_PERIOD: Message<0> = Message::new(356, "withheld-this-period", &[]);

/// `withholding`
pub static WITHHOLDING: Message<0> = Message::new(357, "withholding", &[]);

/// ` working days`
pub static WORKING_DAYS_AFTER: Message<0> = Message::new(358, "working-days-after", &[]);

/// `year-to-date base`
pub static YEAR_TO_DATE_BASE: Message<0> = Message::new(359, "year-to-date-base", &[]);

/// Every message, in key order.
pub(super) static ALL: [&MessageDef; 360] = [
    &ABOVE_THE_TABLES_LAST_BOUND_EARNS_NOTHING.0,
    &ACHIEVEMENT_OF.0,
    &ADJUSTMENT_OF.0,
    &ADVANCED_RECOVERABLE.0,
    &ALLOWANCE_AFTER.0,
    &AMONG_THE_UNCAPPED.0,
    &AMOUNT.0,
    &AND_AT_MOST.0,
    &ARCHIVED_GOALS_LEFT_OUT.0,
    &AT.0,
    &AT_LEAST.0,
    &AT_OR_BEYOND.0,
    &ATTAINMENT.0,
    &AWARD_NAMED.0,
    &AWARDS.0,
    &BAND.0,
    &BAND_FROM.0,
    &BELOW.0,
    &BELOW_BETWEEN.0,
    &BELOW_EVERY_OTHER_GRADE.0,
    &BELOW_THE_FIRST_BAND_FROM.0,
    &BELOW_THRESHOLD.0,
    &BEST_SHARE_OF_INCENTIVE_PAY.0,
    &BONUS_MATRIX_NAMED.0,
    &BONUS_POOL.0,
    &BY_SCORE.0,
    &CALENDAR_DAYS_AFTER.0,
    &CALIBRATED_GRADE.0,
    &CAPPED_AT.0,
    &CAPPED_AT_BETWEEN.0,
    &CAPPED_NOTE.0,
    &CHANGE.0,
    &CHECK_INS.0,
    &CHILDREN_REACH_TIMES.0,
    &CHILDRENS_TARGETS_ADD_UP_TO.0,
    &CLAWBACK.0,
    &CLAWBACK_OF.0,
    &CLOSE.0,
    &CLOSE_HALVED.0,
    &CLOSE_OVER.0,
    &CLOSE_OVER_OPEN.0,
    &CLOSE_TARGET_TO.0,
    &CLOSE_THRESHOLD_TO.0,
    &CLOSE_TIMES_OPEN.0,
    &COEFFICIENT.0,
    &COEFFICIENT_OF_THE_GRADE.0,
    &COLON.0,
    &COLON_CAPPED.0,
    &COLON_SCORE.0,
    &COLUMN.0,
    &COLUMN_FROM.0,
    &COMBINED_RATING.0,
    &COMMISSION.0,
    &COMMISSION_AT_THE_TIER.0,
    &COMMISSION_NOW.0,
    &CONFIDENCE.0,
    &CONSISTENT_AT.0,
    &CONTRIBUTIONS_MINUS.0,
    &CORRECTED_MINUS.0,
    &CREDIT.0,
    &CURVE_STRETCH.0,
    &CURVE_TARGET.0,
    &CURVE_THRESHOLD.0,
    &CUSTOM_CONDITION.0,
    &CUSTOM_FORMULA.0,
    &CUT_TO_THE_PERIOD_CAP.0,
    &DAYS.0,
    &DAYS_SCHEDULED.0,
    &DAYS_SCHEDULED_TIMES.0,
    &DAYS_WORKED.0,
    &DEAL.0,
    &DEAL_NAMED.0,
    &DEAL_PAYOUT.0,
    &DEDUCTIONS.0,
    &DEDUCTIONS_NET_PAY_IN.0,
    &DRAW.0,
    &DRAW_MINUS.0,
    &DRAW_RECOVERY.0,
    &DUE_TO_DATE.0,
    &DUE_TO_DATE_MINUS.0,
    &EACH_SHARE_CAPPED_AT.0,
    &EARNED.0,
    &EARNED_ADVANCED_AGAINST_LATER_COMMISSION.0,
    &EARNED_GUARANTEED.0,
    &EARNED_MINUS.0,
    &EDGE.0,
    &EMPLOYEE_NOTE.0,
    &EMPLOYER_COST.0,
    &EMPLOYER_NOTE.0,
    &EMPLOYMENT_LEVEL.0,
    &EQUALS.0,
    &EVAL_SUMMARY.0,
    &EVENT_ATTENDANCE_MILESTONE.0,
    &EVENT_GOAL_ACHIEVED.0,
    &EVENT_GRADE_REACHED.0,
    &EVENT_ON.0,
    &EVENT_RANK_IN_TEAM.0,
    &EVENT_TRAINING_COMPLETED.0,
    &EVENT_VALUE.0,
    &FAILS.0,
    &FAILS_AFTER.0,
    &FALLS_SHORT_OF_ITS_TARGET.0,
    &FINDING_GOAL_SHORTFALL.0,
    &FINDING_LOW_ACHIEVEMENT.0,
    &FINDING_LOW_SATISFACTION.0,
    &FINDING_MANY_LOW_SCORES.0,
    &FINDING_SCORES_TOO_CLOSE.0,
    &FINDING_WEAK_INCENTIVES.0,
    &FINDINGS_HEADING.0,
    &FIXED.0,
    &FIXED_CASH.0,
    &FIXED_FOR_REACHING.0,
    &FIXED_ON_REACHING.0,
    &FLAT_OUTSIDE_THE_POINTS.0,
    &FLOOR.0,
    &FOR_A_NEGATIVE_AMOUNT.0,
    &FOR_GRADE.0,
    &FORCED_DISTRIBUTION.0,
    &FROM.0,
    &GATE_CLOSED.0,
    &GATE_ON_CLOSED.0,
    &GATE_OPEN.0,
    &GRADE.0,
    &GRADE_COEFFICIENT.0,
    &GRADE_NAMED.0,
    &GROSS_MINUS.0,
    &GROWTH_OF.0,
    &GUARANTEED_TOP_UP.0,
    &HOLDS.0,
    &HONOUR_RECORDED.0,
    &HOURS.0,
    &HOURS_TIMES.0,
    &IN_ROLE.0,
    &INTERPOLATED.0,
    &JOURNAL_SUMMARY.0,
    &KEEPS_THE_COMMISSION_CLOSED.0,
    &LATENESS.0,
    &LATEST_OF.0,
    &LEAVE.0,
    &LINE_AWARD.0,
    &LINE_BASE.0,
    &LINE_DEDUCTED.0,
    &LINE_EMPLOYER_COST.0,
    &LINE_POOL.0,
    &LIST_SEPARATOR.0,
    &MATRIX.0,
    &MATRIX_NAMED.0,
    &MEAN_ANSWER_TO.0,
    &MEAN_OF.0,
    &MEDIAN_ACHIEVEMENT.0,
    &METRIC_MISSING_LEFT_OUT_OTHER_WEIGHTS_RE_NORMALISED.0,
    &METRIC_MISSING_SCORED_0_BY_POLICY.0,
    &MIN_CLOSE.0,
    &MINUS.0,
    &MORE_AFTER.0,
    &MORE_BETWEEN.0,
    &MULTIPLIER.0,
    &MUST_EQUAL.0,
    &MUST_FALL_BELOW.0,
    &MUST_FALL_TO_AT_MOST.0,
    &MUST_REACH_AT_LEAST.0,
    &MUST_RISE_ABOVE.0,
    &NEEDS_AT_LEAST.0,
    &NEEDS_AT_MOST.0,
    &NEGATIVE.0,
    &NET_PAY.0,
    &NEXT_AWARD.0,
    &NEXT_COMMISSION_TIER.0,
    &NEXT_GRADE.0,
    &NEXT_REWARDS.0,
    &NO_BAND.0,
    &NO_BAND_REACHED.0,
    &NO_RATING_COUNTED_AS_0.0,
    &NO_TRANSACTIONS.0,
    &NO_VALUE_IN_FORCE_DURING_THE_PERIOD.0,
    &NOT_RECORDED.0,
    &NOT_TOWARD_THE_TARGET.0,
    &NOTE.0,
    &NOTHING_ATTAINMENT_BELOW_THE_THRESHOLD.0,
    &NOTHING_IS_PAID.0,
    &NOTHING_IS_PAID_WHILE.0,
    &NUMBER_DECIMAL_SEPARATOR.0,
    &NUMBER_GROUP_SEPARATOR.0,
    &OF.0,
    &OF_BASELINE_PARENT_ASKS_TIMES.0,
    &OF_WEIGHT_PRESENT.0,
    &ON.0,
    &ON_DATE_ARROW.0,
    &ON_DATE_COLON.0,
    &ON_THE_PART_ABOVE.0,
    &ON_THE_PRIOR_TOTAL.0,
    &ON_THE_TOTAL_MINUS.0,
    &ON_THE_WHOLE_AMOUNT_FROM.0,
    &ONE_OF.0,
    &ONE_RATING.0,
    &OPEN.0,
    &OUTCOME_OF.0,
    &OVER.0,
    &OVER_WITHHELD_CARRIED_FORWARD.0,
    &OVERTIME.0,
    &OWED_AFTER.0,
    &OWED_FROM_COMMISSION_ABOVE_THE_DRAW.0,
    &PAID.0,
    &PAID_LEAVE.0,
    &PAID_ON.0,
    &PAID_WITH_DRAW.0,
    &PARENT_ASKS.0,
    &PAYOUT.0,
    &PAYOUT_PERCENTAGE.0,
    &PAYS_THE.0,
    &PAYSLIP.0,
    &PERFORMANCE_BONUS.0,
    &PERIOD_BASE.0,
    &PLUS.0,
    &PLUS_OPEN.0,
    &POINTS.0,
    &PRIOR_TOTAL.0,
    &PRORATED_AMOUNT.0,
    &QUICK_DEDUCTION.0,
    &QUOTA.0,
    &QUOTA_AMOUNT.0,
    &RAISED_TO_THE_FLOOR.0,
    &RANK.0,
    &RANK_UNDER_FORCED_DISTRIBUTION.0,
    &RANKED_BY_SCORE_EQUAL_SCORES_KEPT_TOGETHER.0,
    &RANKED_BY_SCORE_THEN_EMPLOYEE_ID.0,
    &RATINGS.0,
    &REACHED.0,
    &REACHES_ITS_TARGET.0,
    &RECOVERED.0,
    &RECOVERED_OF.0,
    &REFUND.0,
    &REFUND_OF.0,
    &REPORT_BONUS.0,
    &REPORT_CHANGE.0,
    &REPORT_CHART_COMMISSION.0,
    &REPORT_CHART_COST.0,
    &REPORT_CHART_SCORES.0,
    &REPORT_CHART_STAFF.0,
    &REPORT_COST.0,
    &REPORT_COST_CAPTION.0,
    &REPORT_COST_PER_ROLE.0,
    &REPORT_CURVE_CAPTION.0,
    &REPORT_CURVES.0,
    &REPORT_EMPLOYEE.0,
    &REPORT_FINDINGS.0,
    &REPORT_FINDINGS_COUNT.0,
    &REPORT_GROSS.0,
    &REPORT_NET.0,
    &REPORT_NEW.0,
    &REPORT_NO_CURVE.0,
    &REPORT_OLD.0,
    &REPORT_PEOPLE.0,
    &REPORT_PEOPLE_CAPTION.0,
    &REPORT_PEOPLE_COUNT.0,
    &REPORT_PLAN_CHANGES.0,
    &REPORT_PLAN_UNCHANGED.0,
    &REPORT_ROLE.0,
    &REPORT_SCOPE.0,
    &REPORT_SCORES.0,
    &REPORT_SCORES_CAPTION.0,
    &REVERSES.0,
    &REVERSES_THE.0,
    &ROLE.0,
    &ROUNDED_TO_PLACES.0,
    &ROW.0,
    &ROW_FROM.0,
    &RULE.0,
    &RULE_NAMED.0,
    &SCHEDULED_MINUS.0,
    &SCORE.0,
    &SCORE_0_EARNS_NO_SHARE.0,
    &SCORE_AFTER.0,
    &SCORE_POINTS.0,
    &SCORE_SPREAD.0,
    &SEGMENT_NAMED.0,
    &SHARE_OF.0,
    &SHARE_SCORING_LOW.0,
    &SHORTFALL_AT.0,
    &SIMULATION_AFTER.0,
    &SIMULATION_BEFORE.0,
    &SIMULATION_COMPANY_COST.0,
    &SIMULATION_GAIN.0,
    &SIMULATION_LOSE.0,
    &SIMULATION_MORE.0,
    &SIMULATION_MOVE.0,
    &SIMULATION_PERIOD.0,
    &SIMULATION_PERIOD_NOTE.0,
    &SIMULATION_REACH_EVERYONE.0,
    &SIMULATION_REACH_NOBODY.0,
    &SIMULATION_REACH_ROLES.0,
    &SIMULATION_ROLE.0,
    &SLIP_AMOUNT.0,
    &SLIP_COMMISSION_CREDIT.0,
    &SLIP_CONTRIBUTIONS.0,
    &SLIP_DEDUCTIONS.0,
    &SLIP_DRAW_OWED.0,
    &SLIP_EARNINGS.0,
    &SLIP_EMPLOYER_CONTRIBUTIONS.0,
    &SLIP_EMPLOYER_COSTS.0,
    &SLIP_GROSS.0,
    &SLIP_HOW.0,
    &SLIP_IN_CURRENCY.0,
    &SLIP_ITEM.0,
    &SLIP_OF.0,
    &SLIP_WITHHELD.0,
    &SLIP_YEAR_TO_DATE.0,
    &SPACE.0,
    &SPACE_OPEN.0,
    &SPECIAL_DEDUCTIONS.0,
    &SPLIT_BY_SCORE_OVER.0,
    &SPLIT_BY_SHARE_OF_BASELINE_LARGEST_REMAINDER.0,
    &SPLIT_BY_WEIGHT_LARGEST_REMAINDER.0,
    &STAFF_WITH_LOW_ACHIEVEMENT.0,
    &STAFFS_COMMISSION_BONUS_AWARDS_POOL_GROSS_BELOW.0,
    &STATEMENT_EQUALS.0,
    &STATEMENT_INPUT_EQUALS.0,
    &STATEMENT_INPUTS_BETWEEN.0,
    &STATEMENT_INPUTS_CLOSE.0,
    &STATEMENT_INPUTS_OPEN.0,
    &STATEMENT_RESULT.0,
    &STORED_FINGERPRINT.0,
    &SURVEY_ALL.0,
    &SURVEY_BETWEEN.0,
    &SURVEY_CHOICE_BETWEEN.0,
    &SURVEY_ENPS.0,
    &SURVEY_FEWER_THAN.0,
    &SURVEY_HEADING.0,
    &SURVEY_RESPONSES.0,
    &SURVEY_SCALE.0,
    &SURVEY_SUPPRESSED.0,
    &SURVEY_WOULD_REVEAL.0,
    &TARGET_OF.0,
    &TARGET_TIMES.0,
    &TARGETS_UNDER.0,
    &TAXABLE_THIS_PERIOD.0,
    &THE_DRIVERS_MUST_GROW_TIMES.0,
    &THE_HIGHEST_OF.0,
    &TIER_FROM.0,
    &TIMES.0,
    &TIMES_GRADE.0,
    &TO.0,
    &TO_EARN.0,
    &TO_REACH_THE_NEXT_POINT_AT.0,
    &TO_REACH_THE_TIER_PAYING.0,
    &TOWARD_THE_TARGET.0,
    &TRANSACTIONS.0,
    &TRIGGER.0,
    &UNALLOCATED.0,
    &UNIT_RATE.0,
    &UNPAID.0,
    &UNPAID_ABSENCE.0,
    &UNPAID_ABSENCE_AFTER.0,
    &VALUE.0,
    &WHAT.0,
    &WITHHELD_BEFORE.0,
    &WITHHELD_THIS_PERIOD.0,
    &WITHHOLDING.0,
    &WORKING_DAYS_AFTER.0,
    &YEAR_TO_DATE_BASE.0,
];
