//! Times as Unix seconds: X.509's `UTCTime` and `GeneralizedTime`, and the
//! RFC 3339 timestamps of a trusted root's validity ranges.

use crate::der::{tag, Tlv};
use crate::error::Error;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(text: &[u8]) -> Option<i64> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
}

/// `YYYY MM DD hh mm ss` as Unix seconds, each field range-checked.
fn seconds(fields: [i64; 6]) -> Option<i64> {
    let [year, month, day, hour, minute, second] = fields;
    let ok = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    ok.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// An X.509 `Time`: `YYMMDDhhmmssZ` (`UTCTime`, 1950–2049) or
/// `YYYYMMDDhhmmssZ` (`GeneralizedTime`).
pub(crate) fn x509(time: Tlv<'_>) -> Result<i64, Error> {
    let v = time.value;
    let (year, rest) = match (time.tag, v.len()) {
        (tag::UTC_TIME, 13) => {
            let yy = digits(&v[..2]);
            (
                yy.map(|y| if y < 50 { 2000 + y } else { 1900 + y }),
                &v[2..],
            )
        }
        (tag::GENERALIZED_TIME, 15) => (digits(&v[..4]), &v[4..]),
        _ => (None, v),
    };
    let field = |i: usize| digits(&rest[i * 2..i * 2 + 2]);
    let parsed = (rest.last() == Some(&b'Z'))
        .then(|| Some([year?, field(0)?, field(1)?, field(2)?, field(3)?, field(4)?]))
        .flatten()
        .and_then(seconds);
    parsed.ok_or_else(|| {
        Error::Der(format!(
            "bad certificate time `{}`",
            String::from_utf8_lossy(v)
        ))
    })
}

/// A timestamp token's `GeneralizedTime`: `YYYYMMDDhhmmss[.fff]Z`
/// (RFC 3161 allows the fraction), as Unix seconds.
pub(crate) fn generalized(time: Tlv<'_>) -> Result<i64, Error> {
    let v = time.value;
    let whole = v
        .iter()
        .position(|&c| c == b'.')
        .unwrap_or(v.len().saturating_sub(1));
    let fraction_ok =
        v[whole..].len() == 1 || v[whole + 1..v.len() - 1].iter().all(u8::is_ascii_digit);
    if time.tag != tag::GENERALIZED_TIME || whole != 14 || v.last() != Some(&b'Z') || !fraction_ok {
        return Err(Error::Der(format!(
            "bad timestamp time `{}`",
            String::from_utf8_lossy(v)
        )));
    }
    let mut plain = v[..14].to_vec();
    plain.push(b'Z');
    x509(Tlv {
        tag: time.tag,
        value: &plain,
        raw: &plain,
    })
}

/// RFC 3339 (`2021-01-12T11:53:27Z`, fractions and offsets allowed) as
/// Unix seconds.
pub fn rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let n = |from: usize, to: usize| digits(&b[from..to]);
    let base = seconds([
        n(0, 4)?,
        n(5, 7)?,
        n(8, 10)?,
        n(11, 13)?,
        n(14, 16)?,
        n(17, 19)?,
    ])?;
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let frac = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &rest[1 + frac..];
    }
    match rest {
        [b'Z' | b'z'] => Some(base),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let offset = digits(&[*h1, *h2])? * 3600 + digits(&[*m1, *m2])? * 60;
            Some(if *sign == b'+' {
                base - offset
            } else {
                base + offset
            })
        }
        _ => None,
    }
}

/// Unix seconds as `2026-12-02T10:38:52Z`, for messages.
pub fn show(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // civil_from_days, the inverse of days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalized_times_may_carry_a_fraction() {
        let t = |v: &[u8]| {
            generalized(Tlv {
                tag: tag::GENERALIZED_TIME,
                value: v,
                raw: v,
            })
        };
        assert_eq!(
            t(b"20260302095215Z").unwrap(),
            rfc3339("2026-03-02T09:52:15Z").unwrap()
        );
        assert_eq!(
            t(b"20260302095215.123Z").unwrap(),
            rfc3339("2026-03-02T09:52:15Z").unwrap()
        );
        assert!(t(b"20260302095215.12aZ").is_err());
        assert!(t(b"202603020952Z").is_err());
    }
    use crate::der::Der;

    #[test]
    fn reads_rfc3339_with_fractions_and_offsets() {
        assert_eq!(rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339("2021-01-12T11:53:27Z"), Some(1_610_452_407));
        assert_eq!(rfc3339("2022-12-31T23:59:59.999Z"), Some(1_672_531_199));
        assert_eq!(rfc3339("2021-01-12T12:53:27+01:00"), Some(1_610_452_407));
        assert_eq!(rfc3339("2021-13-12T11:53:27Z"), None);
        assert_eq!(rfc3339("yesterday"), None);
        assert_eq!(show(1_610_452_407), "2021-01-12T11:53:27Z");
    }

    #[test]
    fn reads_both_x509_time_forms() {
        let utc = crate::der::encode(tag::UTC_TIME, b"210112115327Z");
        let gen = crate::der::encode(tag::GENERALIZED_TIME, b"20210112115327Z");
        for bytes in [utc, gen] {
            assert_eq!(x509(Der::new(&bytes).any().unwrap()), Ok(1_610_452_407));
        }
        let late = crate::der::encode(tag::UTC_TIME, b"491231235959Z");
        assert_eq!(
            show(x509(Der::new(&late).any().unwrap()).unwrap()),
            "2049-12-31T23:59:59Z"
        );
        let bad = crate::der::encode(tag::UTC_TIME, b"2101121153Z");
        assert!(x509(Der::new(&bad).any().unwrap()).is_err());
    }
}
