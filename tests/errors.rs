//! The error type and id newtypes.

use std::error::Error as _;

use perfpay::error::{Position, Problem};
use perfpay::id::RuleId;
use perfpay::{EmployeeId, Error, ErrorKind, MetricId};

#[test]
fn plan_errors_carry_every_problem_with_its_path() {
    let err = Error::plan(vec![
        Problem::new(
            "scorecards.operations.items[2].weight",
            "weights sum to 0.95, expected 1",
        ),
        Problem::new("tiers.sales[3].from", "overlaps tier 2"),
        Problem::new("currency", "\"RMBB\" is not a 3-letter code"),
    ]);
    assert_eq!(err.kind(), ErrorKind::Plan);
    let paths: Vec<&str> = err.problems().iter().map(Problem::path).collect();
    assert_eq!(
        paths,
        [
            "scorecards.operations.items[2].weight",
            "tiers.sales[3].from",
            "currency"
        ]
    );
    assert!(
        err.to_string()
            .starts_with("invalid plan (3 problems): scorecards.operations.items[2].weight")
    );
}

#[test]
fn script_errors_carry_rule_and_position() {
    let err = Error::script(RuleId::new("seed-commission").unwrap(), "unexpected ')'")
        .with_position(Position { line: 2, column: 17 })
        .with_employee(EmployeeId::new("e-3").unwrap())
        .with_period("2026-11");
    assert_eq!(err.rule().map(RuleId::as_str), Some("seed-commission"));
    assert_eq!(err.position(), Some(Position { line: 2, column: 17 }));
    assert_eq!(
        err.to_string(),
        "employee e-3, period 2026-11, rule seed-commission at line 2, column 17: unexpected ')'"
    );
}

#[derive(Debug)]
struct DbDown;

impl std::fmt::Display for DbDown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection refused")
    }
}

impl std::error::Error for DbDown {}

#[test]
fn host_errors_are_wrapped_not_stringified() {
    let err = Error::host(DbDown).with_path("storage.save_outcome");
    assert_eq!(err.kind(), ErrorKind::Host);
    assert!(err.source().and_then(|s| s.downcast_ref::<DbDown>()).is_some());
    assert_eq!(err.to_string(), "storage.save_outcome: host adapter failed");
    let cloned = err.clone();
    assert!(cloned.source().is_some());
}

#[test]
fn ids_validate_and_serialize_transparently() {
    let id = MetricId::new("repurchase_rate").unwrap();
    assert_eq!(
        serde_json::to_value(&id).unwrap(),
        serde_json::json!("repurchase_rate")
    );
    let invalid = EmployeeId::new("").unwrap_err();
    assert_eq!(invalid.kind(), "employee id");
    assert_eq!(perfpay::Error::from(invalid).kind(), ErrorKind::InvalidInput);
    let parsed: EmployeeId = "e-9".parse().unwrap();
    assert_eq!(parsed.to_string(), "e-9");
    let schema = schemars::schema_for!(EmployeeId);
    let value = serde_json::to_value(&schema).unwrap();
    assert_eq!(value["type"], "string");
    assert_eq!(value["minLength"], 1);
}

#[test]
fn errors_are_stored_as_json_and_read_back_equal() {
    // a plan error with its problems, a script error with rule and position,
    // a data error with employee and period, a host error with its cause
    let script = Error::script(
        RuleId::new("cs-bonus").unwrap(),
        "variable 'satisfation' is not defined",
    )
    .with_position(Position { line: 3, column: 7 })
    .with_employee(EmployeeId::new("cs-a").unwrap());
    let plan = Error::plan(vec![Problem::new("tiers.sales.tiers[1].from", "overlaps tier 0")]);
    let host = Error::host(std::io::Error::new(std::io::ErrorKind::NotFound, "staff.csv"));
    for err in [script, plan, host] {
        let json = serde_json::to_string(&err).unwrap();
        let back: Error = serde_json::from_str(&json).unwrap();
        assert_eq!(back, err, "{json}");
        assert_eq!(back.to_string(), err.to_string());
        assert_eq!(back.kind(), err.kind());
        assert_eq!(back.code(), err.code());
    }
    // each error carries a stable code for a host to match on: the kind,
    // and for a script its fault
    let limit = Error::script(RuleId::new("loop").unwrap(), "too many operations").with_script_fault(
        perfpay::error::ScriptFault::Limit(perfpay::error::Limit::Operations),
    );
    assert_eq!(limit.code(), "script.limit.operations");
    assert_eq!(Error::data("no metric sales").code(), "data");
    assert!(
        serde_json::to_string(&limit)
            .unwrap()
            .starts_with(r#"{"code":"script.limit.operations","kind":"script","#)
    );
    let host = Error::host(std::io::Error::new(std::io::ErrorKind::NotFound, "staff.csv"));
    assert_eq!(
        serde_json::to_value(&host).unwrap(),
        serde_json::json!({"code": "host", "kind": "host", "message": "host adapter failed", "source": "staff.csv"})
    );
    let back: Error = serde_json::from_value(serde_json::to_value(&host).unwrap()).unwrap();
    assert_eq!(
        back.source().map(ToString::to_string),
        Some("staff.csv".to_owned())
    );
    // an unknown field is refused, not dropped
    assert!(serde_json::from_str::<Error>(r#"{"kind": "data", "message": "m", "colour": 1}"#).is_err());
}
