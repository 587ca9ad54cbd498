//! A host adapter: `PlatformMetrics` over a CSV export of the shop
//! platform (employee, period, metric, value), read with the `csv` crate,
//! used to close a month. The export starts with a byte-order mark, as
//! spreadsheet exports do.
//!
//! Run with `cargo run --example csv_metrics`.

use std::collections::BTreeMap;
use std::path::Path;

use perfpay::ports::memory::{MemoryAttendance, MemoryStorage};
use perfpay::ports::{PlatformMetrics, StaffMember};
use perfpay::{
    Decimal, EmployeeId, Error, MetricId, NaiveDate, Period, Plan, RoleId, RoundingPolicy, Timeline,
    close_period,
};

/// Metrics read from a CSV file: `employee,period,metric,value` with a
/// header line. Values are decimals as written (never floats).
#[derive(Debug)]
struct CsvMetrics {
    rows: BTreeMap<(EmployeeId, Period), BTreeMap<MetricId, Decimal>>,
}

/// A line of the file that could not be read, with its number.
#[derive(Debug)]
struct CsvError {
    line: usize,
    message: String,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

/// One row as the platform exports it; every field is text until checked.
#[derive(serde::Deserialize)]
struct Row {
    employee: String,
    period: String,
    metric: String,
    value: String,
}

impl CsvMetrics {
    /// Reads the export with the `csv` crate: quoted fields, `\r\n` line
    /// ends and a leading byte-order mark (spreadsheets and shop platforms
    /// write one) are all fine.
    fn load(path: &Path) -> Result<CsvMetrics, Error> {
        let text = std::fs::read_to_string(path).map_err(Error::host)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut rows: BTreeMap<(EmployeeId, Period), BTreeMap<MetricId, Decimal>> = BTreeMap::new();
        let mut record = csv::StringRecord::new();
        let headers = reader.headers().map_err(Error::host)?.clone();
        while reader.read_record(&mut record).map_err(Error::host)? {
            let line = record.position().map_or(0, csv::Position::line);
            let row: Row = record.deserialize(Some(&headers)).map_err(Error::host)?;
            let bad = |message: String| {
                Error::host(CsvError {
                    line: line as usize,
                    message,
                })
            };
            let employee = EmployeeId::new(&row.employee).map_err(|e| bad(e.to_string()))?;
            let period: Period = row.period.parse().map_err(|e: Error| bad(e.to_string()))?;
            let metric = MetricId::new(&row.metric).map_err(|e| bad(e.to_string()))?;
            let value: Decimal = row
                .value
                .parse()
                .map_err(|_| bad(format!("{} is not a decimal", row.value)))?;
            rows.entry((employee, period)).or_default().insert(metric, value);
        }
        Ok(CsvMetrics { rows })
    }
}

impl PlatformMetrics for CsvMetrics {
    fn metrics(
        &self,
        employee: &EmployeeId,
        period: &Period,
    ) -> perfpay::Result<BTreeMap<MetricId, Decimal>> {
        Ok(self
            .rows
            .get(&(employee.clone(), *period))
            .cloned()
            .unwrap_or_default())
    }
}

fn main() -> Result<(), Error> {
    let plan = Plan::from_toml(include_str!("shop.toml"))?.compile()?;
    let metrics = CsvMetrics::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/metrics.csv"))?;
    let storage = MemoryStorage::new();
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).ok_or_else(|| Error::data("bad date"))?;
    for (id, role, salary) in [("ops-li", "operations", 8_000), ("sales-wu", "sales", 6_000)] {
        storage.add_staff(StaffMember::new(
            EmployeeId::new(id)?,
            RoleId::new(role)?,
            Timeline::constant(start, Decimal::from(salary)),
        ))?;
    }
    let outcome = close_period(
        &plan,
        &Period::month(2026, 11)?,
        &storage,
        &MemoryAttendance::new(),
        &metrics,
    )?;
    for o in &outcome.employees {
        let net = o.payslip.as_ref().map(|p| p.net).unwrap_or_default();
        println!(
            "{}: score {:?}, net {}",
            o.employee,
            o.score.map(|s| RoundingPolicy::cents().round(s)),
            net
        );
    }
    Ok(())
}
