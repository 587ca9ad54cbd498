//! Fingerprints: SHA-256 as lowercase hex, and the canonical JSON bytes
//! they hash.
//!
//! A plan's fingerprint is the SHA-256 of its canonical JSON. An employee's
//! is the SHA-256 of the plan fingerprint, the period and the inputs as
//! compact JSON — exactly the bytes `serde_json::to_vec(inputs)` gives, so
//! an auditor recomputes it with any JSON library that keeps field order
//! and `sha256`. Writing those bytes through serde costs more than a
//! month's commission: every decimal is divided digit by digit as a 96-bit
//! number, every date goes through the formatter, every string is scanned
//! for escapes one byte at a time. The writers here produce the same bytes
//! directly: decimals whose mantissa fits 64 bits by machine division,
//! strings without `"`, `\` or control characters copied as they are, and
//! everything rare (events, granted keys, adjustments, escaped strings)
//! handed to `serde_json` itself. A property test compares the two on
//! generated inputs, odd strings and extreme decimals included.
//!
//! The structs are destructured without `..`: a field added to them does
//! not compile here until it is written.

use rust_decimal::Decimal;
use serde::Serialize;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::money::DecimalText;
use crate::payroll::{Attendance, OvertimeKind, PayrollYtd};
use crate::period::iso_digits;
use crate::tier::YearToDate;

pub(crate) fn write_attendance(out: &mut Vec<u8>, attendance: &Attendance) -> Result<()> {
    let Attendance {
        unpaid_absence_days,
        late_minutes,
        overtime_hours,
        paid_leave_days,
    } = attendance;
    out.extend_from_slice(b"{\"unpaid_absence_days\":");
    decimal(out, unpaid_absence_days);
    out.extend_from_slice(b",\"late_minutes\":[");
    for (i, minutes) in late_minutes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        unsigned(out, u64::from(*minutes));
    }
    out.extend_from_slice(b"],\"overtime_hours\":{");
    for (i, (kind, hours)) in overtime_hours.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(match kind {
            OvertimeKind::Workday => b"\"workday\":".as_slice(),
            OvertimeKind::RestDay => b"\"rest_day\":",
            OvertimeKind::Holiday => b"\"holiday\":",
        });
        decimal(out, hours);
    }
    out.push(b'}');
    if !paid_leave_days.is_empty() {
        out.extend_from_slice(b",\"paid_leave_days\":");
        serde(out, paid_leave_days)?;
    }
    out.push(b'}');
    Ok(())
}

pub(crate) fn write_ytd(out: &mut Vec<u8>, ytd: &PayrollYtd) {
    let PayrollYtd {
        year,
        gross,
        contributions,
        employer_contributions,
        withholding,
        credit,
        quarter_credit,
        draw_owed,
        currency,
    } = ytd;
    let YearToDate { base, withheld } = withholding;
    out.extend_from_slice(b"{\"year\":");
    if *year < 0 {
        out.push(b'-');
    }
    unsigned(out, u64::from(year.unsigned_abs()));
    for (key, value) in [
        (b",\"gross\":".as_slice(), gross),
        (b",\"contributions\":", contributions),
        (b",\"employer_contributions\":", employer_contributions),
        (b",\"withholding\":{\"base\":", base),
        (b",\"withheld\":", withheld),
    ] {
        out.extend_from_slice(key);
        decimal(out, value);
    }
    out.push(b'}');
    // as serde writes them: left out when zero
    for (key, value) in [
        (b",\"credit\":".as_slice(), credit),
        (b",\"quarter_credit\":", quarter_credit),
        (b",\"draw_owed\":", draw_owed),
    ] {
        if !value.is_zero() {
            out.extend_from_slice(key);
            decimal(out, value);
        }
    }
    if let Some(currency) = currency {
        out.extend_from_slice(b",\"currency\":\"");
        out.extend_from_slice(currency.code().as_bytes());
        out.push(b'"');
    }
    out.push(b'}');
}

/// SHA-256 of `bytes` as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let mut f = Fingerprinter::new();
    f.update(bytes);
    f.finish()
}

/// SHA-256 fed piece by piece, finished as lowercase hex. Cloning one copies
/// the state, so a common prefix is hashed once and shared.
#[derive(Clone)]
pub(crate) struct Fingerprinter(Sha256);

impl Fingerprinter {
    pub(crate) fn new() -> Fingerprinter {
        Fingerprinter(Sha256::new())
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        Digest::update(&mut self.0, bytes);
    }

    pub(crate) fn finish(self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let digest = self.0.finalize();
        let mut out = String::with_capacity(64);
        #[allow(clippy::indexing_slicing)] // a nibble (b >> 4, b & 0xf) is below 16, the table's length
        for b in digest {
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        out
    }
}

/// A JSON string: copied when nothing in it needs escaping, else escaped by
/// `serde_json`.
pub(crate) fn string(out: &mut Vec<u8>, text: &str) -> Result<()> {
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde(out, text)
    }
}

pub(crate) fn date(out: &mut Vec<u8>, date: chrono::NaiveDate) -> Result<()> {
    match iso_digits(date) {
        Some(digits) => {
            out.push(b'"');
            out.extend_from_slice(digits.as_str().as_bytes());
            out.push(b'"');
            Ok(())
        }
        None => serde(out, &date),
    }
}

pub(crate) fn serde<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| Error::data(format!("inputs do not serialize: {e}")))
}

/// A decimal as `rust_decimal` serializes it: a string with the sign, the
/// digits and the decimal point at the scale (`"-0.50"`, `"8000"`).
pub(crate) fn decimal(out: &mut Vec<u8>, value: &Decimal) {
    out.push(b'"');
    out.extend_from_slice(DecimalText::of(*value, false).as_bytes());
    out.push(b'"');
}

pub(crate) fn unsigned(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(DecimalText::whole(value).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(value: Decimal) -> (String, String) {
        let mut out = Vec::new();
        decimal(&mut out, &value);
        (
            String::from_utf8(out).unwrap(),
            serde_json::to_string(&value).unwrap(),
        )
    }

    #[test]
    fn decimals_are_written_as_rust_decimal_serializes_them() {
        let cases = [
            Decimal::ZERO,
            -Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::new(-0, 5),
            Decimal::new(5, 1),
            Decimal::new(-5, 1),
            Decimal::new(5, 3),
            Decimal::new(123_456, 2),
            Decimal::new(800_000, 2),
            Decimal::new(8000, 0),
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_i128_with_scale(i128::from(u64::MAX) + 1, 3),
            Decimal::from_i128_with_scale(-(i128::from(u64::MAX) * 7), 28),
        ];
        for value in cases {
            let (ours, theirs) = both(value);
            assert_eq!(ours, theirs, "{value:?}");
        }
        // every scale of a few mantissas, both signs
        for mantissa in [0i64, 1, 9, 10, 99, 100, 12_345, i64::MAX] {
            for scale in 0..=28 {
                for sign in [1, -1] {
                    let value = Decimal::new(mantissa * sign, scale);
                    let (ours, theirs) = both(value);
                    assert_eq!(ours, theirs, "{mantissa} e-{scale}");
                }
            }
        }
    }

    #[test]
    fn numbers_and_strings_are_written_as_serde_json_writes_them() {
        for value in [0u64, 7, 10, 59, 1_000, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            unsigned(&mut out, value);
            assert_eq!(out, serde_json::to_vec(&value).unwrap());
        }
        for text in [
            "sales-a",
            "",
            "销售-王",
            "a\"b",
            "back\\slash",
            "tab\there",
            "\u{7f}",
        ] {
            let mut out = Vec::new();
            string(&mut out, text).unwrap();
            assert_eq!(out, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }
}
