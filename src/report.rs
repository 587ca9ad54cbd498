//! A simulated plan change as one self-contained HTML page an owner reads
//! at a glance (feature `report`): what changed in the plan, the cost old
//! against new, each commission table's payout curve over the credit seen,
//! the cost per role, the scores per role with the grade thresholds, and
//! who gains and who loses. Charts are SVG drawn by plotters, inline; the
//! page loads nothing from anywhere.
//!
//! Chart coordinates are whole cents and whole score bands — money never
//! passes through floating point here either.

use std::borrow::Cow;
use std::fmt::Write as _;

use plotters::coord::types::RangedCoordi64;
use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::{Error, Result};
use crate::id::RoleId;
use crate::locale::Locale;
use crate::plan::{CompiledPlan, diff};
use crate::simulate::{EmployeeChange, SCORE_BAND, Simulation, money, plain, reach_in, signed};
use crate::text::escape_html as escape;
use crate::text::{Message, msg};
use crate::tier::TierTable;

const OLD: RGBColor = RGBColor(120, 144, 156);
const NEW: RGBColor = RGBColor(230, 126, 34);
const GAIN: RGBColor = RGBColor(39, 174, 96);
const LOSS: RGBColor = RGBColor(192, 57, 43);
const WIDTH: u32 = 720;
const HEIGHT: u32 = 360;
/// Points on a payout curve.
const STEPS: i64 = 120;
/// People shown on each side of the gainers-and-losers chart.
const SHOWN: usize = 10;

/// A chart's drawing failed.
fn chart_error(e: impl std::fmt::Display) -> Error {
    Error::data(format!("the report's chart could not be drawn: {e}"))
}

/// How a chart is framed: its caption, its height, and the room for each
/// axis's labels.
struct Frame {
    caption: Option<String>,
    /// Whether the series' labels are drawn in a legend.
    legend: bool,
    height: u32,
    x_labels: u32,
    y_labels: u32,
}

/// A chart on integer axes, as plotters draws it into an SVG string.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordi64, RangedCoordi64>>;

/// One chart as SVG, `WIDTH` wide and framed by `frame`, over `x` and `y`:
/// `draw` draws its mesh and series.
fn svg(
    frame: Frame,
    x: std::ops::Range<i64>,
    y: std::ops::Range<i64>,
    draw: impl FnOnce(&mut Chart<'_, '_>) -> Result<()>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, frame.height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut builder = ChartBuilder::on(&root);
        if let Some(caption) = frame.caption {
            builder.caption(caption, ("sans-serif", 18));
        }
        let mut chart = builder
            .margin(12)
            .x_label_area_size(frame.x_labels)
            .y_label_area_size(frame.y_labels)
            .build_cartesian_2d(x, y)
            .map_err(chart_error)?;
        draw(&mut chart)?;
        if frame.legend {
            chart
                .configure_series_labels()
                .border_style(BLACK)
                .background_style(WHITE)
                .draw()
                .map_err(chart_error)?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(svg)
}

/// `value` in whole cents, for a chart coordinate.
fn cents(value: Decimal) -> i64 {
    value
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|c| c.round().to_i64())
        .unwrap_or(0)
}

/// Whole units with thousands separators: `165,000`.
fn grouped(units: i64) -> String {
    let digits = units.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len().saturating_sub(i)) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    if units < 0 { format!("−{out}") } else { out }
}

/// The report of `simulation`, which simulated `proposed` against
/// `current`: one HTML page in English, no external reference
/// ([`html_in`] writes it in another language).
///
/// ```
/// use perfpay::simulate::simulate;
/// use perfpay::{Decimal, EmployeeId, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, Period, Plan, RoleId, Timeline};
///
/// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// let now = Plan::from_toml(text)?.compile()?;
/// let mut proposed = now.plan().clone();
/// proposed.set("tiers.sales.tiers[1].rate", "0.04")?;
/// proposed.version = 2;
/// let proposed = proposed.compile()?;
/// let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
/// let m = |s: &str| MetricId::new(s).unwrap();
/// let wu = EmployeeInputs::new(EmployeeId::new("sales-wu")?, RoleId::new("sales")?, Timeline::constant(since, Decimal::from(6_000)))
///     .with_metrics([(m("sales"), Decimal::from(165_000)), (m("sales_achievement"), Decimal::new(11, 1)),
///                    (m("repurchase"), Decimal::new(2, 1)), (m("teamwork"), Decimal::from(4))])
///     .with_ytd(PayrollYtd::new(2026));
/// let simulation = simulate(&now, &proposed, [(Period::month(2026, 11)?, vec![wu])])?;
/// let page = perfpay::report::html(&now, &proposed, &simulation)?;
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("tiers.sales.tiers[1].rate: 3 % → 4 %"));
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// # Errors
///
/// A chart that cannot be drawn; a sum out of range.
pub fn html(current: &CompiledPlan, proposed: &CompiledPlan, simulation: &Simulation) -> Result<String> {
    html_in(current, proposed, simulation, Locale::english())
}

/// The report in the words of `locale`: headings, captions, chart axes
/// and findings, with the plan's own names for roles and grades when the
/// locale has them (`proposed.locale(Locale::chinese())`). Plan paths,
/// employee ids and finding codes are written as they are.
///
/// ```
/// # use perfpay::simulate::simulate;
/// # use perfpay::{Decimal, EmployeeId, EmployeeInputs, MetricId, NaiveDate, PayrollYtd, Period, Plan, RoleId, Timeline};
/// use perfpay::locale::Locale;
///
/// # let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/shop.toml"));
/// # let now = Plan::from_toml(text)?.compile()?;
/// # let mut proposed = now.plan().clone();
/// # proposed.set("tiers.sales.tiers[1].rate", "0.04")?;
/// # proposed.version = 2;
/// # let proposed = proposed.compile()?;
/// # let since = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
/// # let m = |s: &str| MetricId::new(s).unwrap();
/// # let wu = EmployeeInputs::new(EmployeeId::new("sales-wu")?, RoleId::new("sales")?, Timeline::constant(since, Decimal::from(6_000)))
/// #     .with_metrics([(m("sales"), Decimal::from(165_000)), (m("sales_achievement"), Decimal::new(11, 1)),
/// #                    (m("repurchase"), Decimal::new(2, 1)), (m("teamwork"), Decimal::from(4))])
/// #     .with_ytd(PayrollYtd::new(2026));
/// let simulation = simulate(&now, &proposed, [(Period::month(2026, 11)?, vec![wu])])?;
/// let chinese = proposed.locale(Locale::chinese());
/// let page = perfpay::report::html_in(&now, &proposed, &simulation, &chinese)?;
/// assert!(page.contains("<html lang=\"zh-CN\">"));
/// assert!(page.contains("<h2>成本变化</h2>"));
/// assert!(page.contains("销售：按提成业绩计算的提成"));
/// # Ok::<(), perfpay::Error>(())
/// ```
///
/// # Errors
///
/// As [`html`].
pub fn html_in(
    current: &CompiledPlan,
    proposed: &CompiledPlan,
    simulation: &Simulation,
    locale: &Locale,
) -> Result<String> {
    let mut page = String::new();
    let title = format!("{} → {}", simulation.current, simulation.proposed);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(locale.tag()),
        escape(&title),
        escape(&title)
    );
    changes(&mut page, simulation, current, proposed, locale)?;
    totals(&mut page, simulation, locale)?;
    heading(&mut page, locale, &msg::REPORT_CURVES);
    let mut curves = 0usize;
    for (role, (_, high)) in &simulation.credit {
        let tables = (table_of(current, role), table_of(proposed, role));
        if let (Some(old), Some(new)) = tables {
            let svg = payout_chart(role, old, new, *high, locale)?;
            let name = Cow::Borrowed(locale.name_of(role.as_str()));
            let high = Cow::Owned(money(locale, *high));
            figure(
                &mut page,
                &svg,
                &locale.text_with(msg::REPORT_CURVE_CAPTION.def(), &[name, high]),
            );
            curves = curves.saturating_add(1);
        }
    }
    if curves == 0 {
        let _ = writeln!(
            page,
            "<p>{}</p>",
            escape(&locale.text(msg::REPORT_NO_CURVE.def()))
        );
    }
    heading(&mut page, locale, &msg::REPORT_COST_PER_ROLE);
    figure(
        &mut page,
        &role_chart(simulation, locale)?,
        &locale.text(msg::REPORT_COST_CAPTION.def()),
    );
    heading(&mut page, locale, &msg::REPORT_SCORES);
    let grades = grade_lines(proposed, locale);
    for (role, bands) in &simulation.scores {
        if bands.before.iter().chain(&bands.after).all(|c| *c == 0) {
            continue;
        }
        let svg = score_chart(role, &bands.before, &bands.after, &grades, locale)?;
        let name = Cow::Borrowed(locale.name_of(role.as_str()));
        let band = Cow::Owned(SCORE_BAND.to_string());
        figure(
            &mut page,
            &svg,
            &locale.text_with(msg::REPORT_SCORES_CAPTION.def(), &[name, band]),
        );
    }
    people(&mut page, simulation, locale)?;
    findings(&mut page, simulation, locale);
    page.push_str("</body>\n</html>\n");
    Ok(page)
}

/// A section's heading.
fn heading(page: &mut String, locale: &Locale, message: &'static Message<0>) {
    let _ = writeln!(page, "<h2>{}</h2>", escape(&locale.text(message.def())));
}

const STYLE: &str = "body{font-family:sans-serif;max-width:780px;margin:2em auto;color:#222}\
table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}\
td:first-child,th:first-child{text-align:left}tr:nth-child(even){background:#f4f4f4}\
.gain{color:#27ae60}.loss{color:#c0392b}figure{margin:1em 0}figcaption{font-size:90%;color:#555}\
.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}";

fn figure(page: &mut String, svg: &str, caption: &str) {
    let _ = write!(
        page,
        "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    );
}

/// The plan's changes by path, then whose pay they can move.
fn changes(
    page: &mut String,
    simulation: &Simulation,
    current: &CompiledPlan,
    proposed: &CompiledPlan,
    locale: &Locale,
) -> Result<()> {
    let changes = diff(current.plan(), proposed.plan())?;
    heading(page, locale, &msg::REPORT_PLAN_CHANGES);
    page.push_str("<ul>\n");
    if changes.is_empty() {
        let _ = writeln!(
            page,
            "<li>{}</li>",
            escape(&locale.text(msg::REPORT_PLAN_UNCHANGED.def()))
        );
    }
    for change in &changes {
        let _ = writeln!(page, "<li><code>{}</code></li>", escape(&change.to_string()));
    }
    page.push_str("</ul>\n");
    let _ = writeln!(page, "<p>{}</p>", escape(&reach_in(locale, &simulation.reach)));
    Ok(())
}

fn totals(page: &mut String, simulation: &Simulation, locale: &Locale) -> Result<()> {
    let change = simulation.total.change()?;
    let html = |message: &'static Message<0>| escape(&locale.text(message.def()));
    let (old, new) = (html(&msg::REPORT_OLD), html(&msg::REPORT_NEW));
    let count = |n: usize| Cow::Owned(n.to_string());
    let scope = locale.text_with(
        msg::REPORT_SCOPE.def(),
        &[count(simulation.periods.len()), count(simulation.employees.len())],
    );
    heading(page, locale, &msg::REPORT_COST);
    let _ = write!(
        page,
        "<p class=\"key\">{}<span style=\"background:#78909c\"></span>{old}<span style=\"background:#e67e22\"></span>{new}</p>\n<table>\n<tr><th></th><th>{old}</th><th>{new}</th><th>{}</th></tr>\n",
        escape(&scope),
        html(&msg::REPORT_CHANGE)
    );
    for (name, before, after, difference) in simulation.total.money_rows()? {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name.name_in(locale)),
            money(locale, before),
            money(locale, after),
            signed(locale, difference)
        );
    }
    let _ = writeln!(
        page,
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n</table>",
        html(&msg::POINTS),
        plain(locale, simulation.total.before.points),
        plain(locale, simulation.total.after.points),
        plain(locale, change.points)
    );
    Ok(())
}

fn table_of<'p>(plan: &'p CompiledPlan, role: &RoleId) -> Option<&'p TierTable> {
    plan.inner.roles.get(role)?.commission.as_ref()?.1.table()
}

/// Each grade's threshold in score points, under `plan`, the grade named
/// as `locale` names it.
fn grade_lines(plan: &CompiledPlan, locale: &Locale) -> Vec<(String, Decimal)> {
    plan.inner.rating.as_ref().map_or_else(Vec::new, |scale| {
        scale
            .grades()
            .iter()
            .filter_map(|g| {
                g.min()
                    .map(|min| (locale.name_of(g.id().as_str()).to_owned(), min))
            })
            .collect()
    })
}

/// The payout curve of both tables from 0 to a fifth above the highest
/// credit seen (or the top tier's bound, if higher).
fn payout_chart(
    role: &RoleId,
    old: &TierTable,
    new: &TierTable,
    high: Decimal,
    locale: &Locale,
) -> Result<String> {
    let bound = |t: &TierTable| {
        t.tiers()
            .iter()
            .map(|tier| tier.lower())
            .max()
            .unwrap_or_default()
    };
    let reach = high.max(bound(old)).max(bound(new));
    let top = reach
        .checked_mul(Decimal::new(12, 1))
        .and_then(|t| t.ceil().to_i64())
        .filter(|t| *t > 0)
        .unwrap_or(1);
    let curve = |table: &TierTable| -> Result<Vec<(i64, i64)>> {
        (0..=STEPS)
            .map(|i| {
                let x = top.checked_mul(i).map_or(top, |v| v / STEPS);
                Ok((x, cents(table.compute(Decimal::from(x))?)))
            })
            .collect()
    };
    let (a, b) = (curve(old)?, curve(new)?);
    let y_top = a
        .iter()
        .chain(&b)
        .map(|(_, y)| *y)
        .max()
        .unwrap_or(0)
        .max(100)
        .saturating_add(1);
    let name = Cow::Borrowed(locale.name_of(role.as_str()));
    let caption = locale.text_with(msg::REPORT_CHART_COMMISSION.def(), &[name]);
    let (credit, commission) = (locale.text(msg::CREDIT.def()), locale.text(msg::COMMISSION.def()));
    let (old_word, new_word) = (
        locale.text(msg::REPORT_OLD.def()),
        locale.text(msg::REPORT_NEW.def()),
    );
    let frame = Frame {
        caption: Some(caption),
        legend: true,
        height: HEIGHT,
        x_labels: 36,
        y_labels: 70,
    };
    svg(frame, 0i64..top, 0i64..y_top, |chart| {
        chart
            .configure_mesh()
            .x_desc(credit)
            .y_desc(commission)
            .x_label_formatter(&|x| grouped(*x))
            .y_label_formatter(&|y| grouped(y / 100))
            .draw()
            .map_err(chart_error)?;
        for (points, color, name) in [(a, OLD, old_word), (b, NEW, new_word)] {
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(chart_error)?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x.saturating_add(16), y)], color.stroke_width(2))
                });
        }
        Ok(())
    })
}

/// Company cost (gross and employer's contributions) per role, old and new
/// side by side.
fn role_chart(simulation: &Simulation, locale: &Locale) -> Result<String> {
    let roles: Vec<(&RoleId, i64, i64)> = simulation
        .roles
        .iter()
        .map(|(role, costs)| {
            Ok((
                role,
                cents(costs.before.company_cost()?),
                cents(costs.after.company_cost()?),
            ))
        })
        .collect::<Result<_>>()?;
    let y_top = roles
        .iter()
        .map(|(_, a, b)| (*a).max(*b))
        .max()
        .unwrap_or(0)
        .max(100)
        .saturating_add(1);
    let slots = i64::try_from(roles.len()).unwrap_or(0).saturating_mul(3).max(1);
    let names: Vec<String> = roles
        .iter()
        .map(|(r, _, _)| locale.name_of(r.as_str()).to_owned())
        .collect();
    let caption = locale.text(msg::REPORT_CHART_COST.def());
    let frame = Frame {
        caption: Some(caption),
        legend: false,
        height: HEIGHT,
        x_labels: 36,
        y_labels: 80,
    };
    svg(frame, 0i64..slots, 0i64..y_top, |chart| {
        let label = |x: &i64| {
            let at = usize::try_from(*x / 3).unwrap_or(usize::MAX);
            if x % 3 == 1 {
                names.get(at).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(usize::try_from(slots).unwrap_or(0).saturating_add(1))
            .x_label_formatter(&label)
            .y_label_formatter(&|y| grouped(y / 100))
            .draw()
            .map_err(chart_error)?;
        let bars = roles.iter().enumerate().flat_map(|(k, (_, a, b))| {
            let x = i64::try_from(k).unwrap_or(0).saturating_mul(3);
            [
                Rectangle::new([(x, 0), (x.saturating_add(1), *a)], OLD.filled()),
                Rectangle::new(
                    [(x.saturating_add(1), 0), (x.saturating_add(2), *b)],
                    NEW.filled(),
                ),
            ]
        });
        chart.draw_series(bars).map_err(chart_error)?;
        Ok(())
    })
}

/// A role's scores in bands, old and new side by side, with each grade's
/// threshold as a vertical line.
fn score_chart(
    role: &RoleId,
    old: &[u64],
    new: &[u64],
    grades: &[(String, Decimal)],
    locale: &Locale,
) -> Result<String> {
    // the bands up to the highest one used, and one more
    let used = old
        .iter()
        .zip(new)
        .rposition(|(a, b)| a.max(b) > &0)
        .map_or(1, |at| at.saturating_add(2));
    let bands = i64::try_from(used).unwrap_or(1);
    let y_top = old
        .iter()
        .chain(new)
        .max()
        .and_then(|c| i64::try_from(*c).ok())
        .unwrap_or(0)
        .saturating_add(1);
    let band = i64::from(SCORE_BAND);
    let name = Cow::Borrowed(locale.name_of(role.as_str()));
    let caption = locale.text_with(msg::REPORT_CHART_SCORES.def(), &[name]);
    let (score, staff) = (
        locale.text(msg::SCORE.def()),
        locale.text(msg::REPORT_CHART_STAFF.def()),
    );
    let frame = Frame {
        caption: Some(caption),
        legend: false,
        height: HEIGHT,
        x_labels: 36,
        y_labels: 50,
    };
    svg(frame, 0i64..bands.saturating_mul(2), 0i64..y_top, |chart| {
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(score)
            .y_desc(staff)
            .x_labels(usize::try_from(bands).unwrap_or(0).saturating_add(1))
            // a label at each band's start, in score points
            .x_label_formatter(&|x| {
                if x % 2 == 0 {
                    (x / 2).saturating_mul(band).to_string()
                } else {
                    String::new()
                }
            })
            .draw()
            .map_err(chart_error)?;
        let count = |c: &u64| i64::try_from(*c).unwrap_or(i64::MAX);
        let bars = old
            .iter()
            .zip(new)
            .take(used)
            .enumerate()
            .flat_map(|(i, (a, b))| {
                let x = i64::try_from(i).unwrap_or(0).saturating_mul(2);
                [
                    Rectangle::new([(x, 0), (x.saturating_add(1), count(a))], OLD.filled()),
                    Rectangle::new(
                        [(x.saturating_add(1), 0), (x.saturating_add(2), count(b))],
                        NEW.filled(),
                    ),
                ]
            });
        chart.draw_series(bars).map_err(chart_error)?;
        draw_thresholds(chart, grades, bands, y_top)
    })
}

/// Each grade's threshold on a score chart of `bands` bands (two columns
/// each, old and new) as a vertical line with its name, when in range.
fn draw_thresholds(
    chart: &mut Chart<'_, '_>,
    grades: &[(String, Decimal)],
    bands: i64,
    y_top: i64,
) -> Result<()> {
    for (grade, min) in grades {
        // the threshold in half-bands: min ÷ band × 2
        let x = min
            .checked_mul(Decimal::TWO)
            .and_then(|m| m.checked_div(Decimal::from(SCORE_BAND)))
            .and_then(|m| m.round().to_i64())
            .unwrap_or(0);
        if x > bands.saturating_mul(2) {
            continue;
        }
        chart
            .draw_series(LineSeries::new([(x, 0), (x, y_top)], BLACK.stroke_width(1)))
            .map_err(chart_error)?;
        chart
            .draw_series([Text::new(
                format!("{grade} ≥ {}", min.normalize()),
                (x, y_top),
                ("sans-serif", 12),
            )])
            .map_err(chart_error)?;
    }
    Ok(())
}

/// The people who gain and lose most, as bars of their net change, and as
/// a table.
fn people(page: &mut String, simulation: &Simulation, locale: &Locale) -> Result<()> {
    let gainers = simulation.gainers();
    let losers = simulation.losers();
    let same = simulation
        .employees
        .len()
        .saturating_sub(gainers.len())
        .saturating_sub(losers.len());
    let count = |n: usize| Cow::Owned(n.to_string());
    heading(page, locale, &msg::REPORT_PEOPLE);
    let counts = locale.text_with(
        msg::REPORT_PEOPLE_COUNT.def(),
        &[count(gainers.len()), count(losers.len()), count(same)],
    );
    let _ = writeln!(page, "<p>{}</p>", escape(&counts));
    let shown: Vec<&EmployeeChange> = gainers
        .iter()
        .take(SHOWN)
        .chain(losers.iter().take(SHOWN))
        .copied()
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    let changes: Vec<(String, i64)> = shown
        .iter()
        .map(|e| Ok((e.employee.to_string(), cents(e.net_change()?))))
        .collect::<Result<_>>()?;
    figure(
        page,
        &people_chart(&changes)?,
        &locale.text(msg::REPORT_PEOPLE_CAPTION.def()),
    );
    page.push_str("<table>\n<tr>");
    for message in [
        &msg::REPORT_EMPLOYEE,
        &msg::REPORT_ROLE,
        &msg::REPORT_NET,
        &msg::COMMISSION,
        &msg::REPORT_BONUS,
    ] {
        let _ = write!(page, "<th>{}</th>", escape(&locale.text(message.def())));
    }
    page.push_str("</tr>\n");
    for e in shown {
        let change = e.costs.change()?;
        let class = if change.net > Decimal::ZERO {
            "gain"
        } else {
            "loss"
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(e.employee.as_str()),
            escape(locale.name_of(e.role.as_str())),
            signed(locale, change.net),
            signed(locale, change.commission),
            signed(locale, change.bonus)
        );
    }
    page.push_str("</table>\n");
    Ok(())
}

fn people_chart(changes: &[(String, i64)]) -> Result<String> {
    let low = changes
        .iter()
        .map(|(_, c)| *c)
        .min()
        .unwrap_or(0)
        .min(0)
        .saturating_sub(1);
    let high = changes
        .iter()
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(0)
        .max(0)
        .saturating_add(1);
    // each person's row is ten units high: the bar fills 2–8, the name
    // sits at 5
    let rows = i64::try_from(changes.len()).unwrap_or(1);
    let height = u32::try_from(changes.len())
        .unwrap_or(0)
        .saturating_mul(34)
        .saturating_add(70);
    let frame = Frame {
        caption: None,
        legend: false,
        height,
        x_labels: 30,
        y_labels: 150,
    };
    svg(frame, low..high, 0i64..rows.saturating_mul(10), |chart| {
        let name = |y: &i64| {
            if y % 10 != 5 {
                return String::new();
            }
            // the first person at the top
            let at = rows.saturating_sub(1).saturating_sub(y / 10);
            usize::try_from(at)
                .ok()
                .and_then(|at| changes.get(at))
                .map(|(n, _)| n.clone())
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(changes.len().saturating_mul(2).saturating_add(1))
            .y_label_formatter(&name)
            .x_label_formatter(&|x| grouped(x / 100))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(chart_error)?;
        let bars = changes.iter().enumerate().map(|(i, (_, c))| {
            let y = rows
                .saturating_sub(1)
                .saturating_sub(i64::try_from(i).unwrap_or(0))
                .saturating_mul(10);
            let color = if *c >= 0 { GAIN } else { LOSS };
            Rectangle::new(
                [(0, y.saturating_add(2)), (*c, y.saturating_add(8))],
                color.filled(),
            )
        });
        chart.draw_series(bars).map_err(chart_error)?;
        Ok(())
    })
}

fn findings(page: &mut String, simulation: &Simulation, locale: &Locale) {
    heading(page, locale, &msg::REPORT_FINDINGS);
    for p in &simulation.periods {
        let _ = writeln!(page, "<h3>{}</h3>", escape(&p.period.to_string()));
        for (which, list) in [
            (&msg::REPORT_OLD, &p.findings.before),
            (&msg::REPORT_NEW, &p.findings.after),
        ] {
            let which = Cow::Owned(locale.text(which.def()));
            let count = locale.text_with(
                msg::REPORT_FINDINGS_COUNT.def(),
                &[which, Cow::Owned(list.len().to_string())],
            );
            let _ = writeln!(page, "<p>{}</p>\n<ul>", escape(&count));
            for f in list {
                let _ = writeln!(
                    page,
                    "<li>{} {}: {}</li>",
                    escape(&f.code.to_string()),
                    escape(locale.name_of(&f.scope)),
                    escape(&f.message.render_in(locale))
                );
            }
            page.push_str("</ul>\n");
        }
    }
}
