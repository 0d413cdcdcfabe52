//! DSSE envelopes and the in-toto statements inside them: the bytes the
//! signature covers (PAE) and whether a statement's subject is the artifact.

use serde::Deserialize;

use crate::error::Error;
use crate::rekor::hex;

/// The only payload a release attestation carries.
pub(crate) const IN_TOTO: &str = "application/vnd.in-toto+json";

/// DSSE's pre-authentication encoding of a payload: what is signed.
pub(crate) fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

#[derive(Deserialize)]
struct Statement {
    #[serde(rename = "_type")]
    kind: String,
    #[serde(default)]
    subject: Vec<Subject>,
    #[serde(rename = "predicateType", default)]
    predicate_type: String,
}

#[derive(Deserialize)]
struct Subject {
    #[serde(default)]
    digest: std::collections::BTreeMap<String, String>,
}

/// The artifact's digests the statement's subjects are compared with.
#[derive(Clone, Debug)]
pub struct Digests {
    pub sha256: [u8; 32],
    pub sha512: Option<Vec<u8>>,
}

/// The statement's predicate type, if one of its subjects is the artifact.
pub(crate) fn subject_matches(payload: &[u8], artifact: &Digests) -> Result<String, Error> {
    let statement: Statement = serde_json::from_slice(payload).map_err(|e| {
        Error::Signature(format!(
            "the DSSE payload is not an in-toto statement ({e})"
        ))
    })?;
    if !statement.kind.starts_with("https://in-toto.io/Statement/") {
        return Err(Error::Signature(format!(
            "the DSSE payload is a `{}`, expected an in-toto statement",
            statement.kind
        )));
    }
    let sha256 = hex(&artifact.sha256);
    let sha512 = artifact.sha512.as_deref().map(hex);
    let ours = statement.subject.iter().any(|s| {
        s.digest
            .get("sha256")
            .is_some_and(|d| d.eq_ignore_ascii_case(&sha256))
            || sha512.as_ref().is_some_and(|ours| {
                s.digest
                    .get("sha512")
                    .is_some_and(|d| d.eq_ignore_ascii_case(ours))
            })
    });
    if ours {
        Ok(statement.predicate_type)
    } else {
        Err(Error::Signature(format!(
            "the attestation's subjects are other bytes: none has the download's sha256 {sha256}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_is_the_dsse_v1_encoding() {
        assert_eq!(pae("a/b", b"hi"), b"DSSEv1 3 a/b 2 hi");
    }

    #[test]
    fn subjects_match_by_sha256_or_sha512_only_for_the_bytes() {
        let digests = Digests {
            sha256: [0xab; 32],
            sha512: Some(vec![0xcd; 64]),
        };
        let statement = |alg: &str, value: &str| {
            format!(
                r#"{{"_type":"https://in-toto.io/Statement/v1","subject":[{{"name":"x","digest":{{"{alg}":"{value}"}}}}],"predicateType":"p"}}"#
            )
        };
        assert_eq!(
            subject_matches(statement("sha256", &"ab".repeat(32)).as_bytes(), &digests).unwrap(),
            "p"
        );
        assert!(
            subject_matches(statement("sha512", &"CD".repeat(64)).as_bytes(), &digests).is_ok()
        );
        let err = subject_matches(statement("sha256", &"00".repeat(32)).as_bytes(), &digests)
            .unwrap_err();
        assert!(err.to_string().contains("other bytes"), "{err}");
        assert!(subject_matches(b"{\"_type\":\"x\"}", &digests).is_err());
        assert!(subject_matches(b"garbage", &digests).is_err());
    }
}
