//! A test Sigstore: its own Fulcio (a root and an intermediate CA), Rekor
//! log (entries, RFC 6962 inclusion proofs, signed checkpoints, signed
//! entry timestamps) and CT log, with the `trusted_root.json` that trusts
//! them, making bundles (message signatures and DSSE attestations) for the
//! fake releases, valid or broken in one named way. Written from the specs,
//! apart from jingyu's verifier, so the two (and sigstore-python) check
//! each other.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rcgen::{
    CertifiedIssuer, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, PublicKeyData as _,
    SigningKey as _,
};
use serde_json::json;

use crate::release::{hex, sha256_hex};

mod fulcio;
mod log;
mod tsa;
use fulcio::{ca_params, pem};
use log::Log;

/// GitHub Actions' OIDC issuer.
pub const GITHUB_ACTIONS: &str = "https://token.actions.githubusercontent.com";

/// Who signs: the certificate's workflow URI, issuer and source repository.
#[derive(Clone, Debug)]
pub struct Signer {
    pub workflow: String,
    pub issuer: String,
    pub repository: String,
    /// The certificate's validity, in seconds relative to the log time.
    pub valid: (i64, i64),
}

impl Signer {
    /// `repo`'s release workflow on GitHub Actions, run for `tag`.
    pub fn github(repo: &str, tag: &str) -> Signer {
        Signer::at("https://github.com", repo, tag)
    }

    /// The same on the forge whose web base is `web` (a fake's URL).
    pub fn at(web: &str, repo: &str, tag: &str) -> Signer {
        Signer {
            workflow: format!("{web}/{repo}/.github/workflows/release.yml@refs/tags/{tag}"),
            issuer: GITHUB_ACTIONS.to_owned(),
            repository: format!("{web}/{repo}"),
            valid: (-60, 540),
        }
    }

    #[must_use]
    pub fn issuer(mut self, issuer: &str) -> Signer {
        issuer.clone_into(&mut self.issuer);
        self
    }

    /// A certificate that had expired when the log saw it used.
    #[must_use]
    pub fn expired_at_log_time(mut self) -> Signer {
        self.valid = (-1200, -600);
        self
    }
}

/// One way to break a bundle, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    Nothing,
    /// The signature (and its log entry) is of other bytes.
    ForgedSignature,
    /// The attestation's subject is other bytes, properly signed.
    SubjectOtherBytes,
    /// The log entry is of other data: its proof is good, its body not ours.
    LogEntryOtherData,
    /// A properly signed and logged DSSE payload that is not a statement.
    GarbagePayload,
    /// The certificate's SCT is the CT log's signature of another one.
    SctForAnotherCertificate,
    /// The signed timestamp is of another signature.
    TimestampOfAnotherSignature,
}

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    i64::try_from(secs).expect("in range")
}

fn at(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).expect("a time")
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .to_vec()
}

fn sign(key: &KeyPair, message: &[u8]) -> Vec<u8> {
    key.sign(message).expect("sign")
}

/// The test Sigstore. Each bundle appends its entry to the one log.
pub struct TestSigstore {
    root: CertifiedIssuer<'static, KeyPair>,
    intermediate: CertifiedIssuer<'static, KeyPair>,
    log: Log,
    ct: KeyPair,
    tsa: CertifiedIssuer<'static, KeyPair>,
    /// GitHub's instance: no transparency or CT log; bundles carry an
    /// RFC 3161 timestamp instead of a Rekor entry.
    timestamping: bool,
    /// Where its log's API is served ([`FakeGitHub::rekor`]).
    rekor_url: std::sync::Mutex<String>,
}

impl Default for TestSigstore {
    fn default() -> Self {
        Self::new()
    }
}

impl TestSigstore {
    pub fn new() -> TestSigstore {
        let key = || KeyPair::generate().expect("a key");
        let root = CertifiedIssuer::self_signed(ca_params("jingyu test Fulcio root"), key())
            .expect("root CA");
        let intermediate =
            CertifiedIssuer::signed_by(ca_params("jingyu test Fulcio intermediate"), key(), &root)
                .expect("intermediate CA");
        let mut tsa = ca_params("jingyu test TSA");
        tsa.is_ca = IsCa::NoCa;
        tsa.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        tsa.extended_key_usages = vec![ExtendedKeyUsagePurpose::TimeStamping];
        let tsa = CertifiedIssuer::signed_by(tsa, key(), &root).expect("TSA certificate");
        TestSigstore {
            root,
            intermediate,
            log: Log::new(key()),
            ct: key(),
            tsa,
            timestamping: false,
            rekor_url: std::sync::Mutex::new("https://rekor.jingyu.test".to_owned()),
        }
    }

    /// A Sigstore like GitHub's own instance (private repositories'
    /// attestations): no logs, an RFC 3161 timestamp in each bundle.
    pub fn timestamping() -> TestSigstore {
        TestSigstore {
            timestamping: true,
            ..TestSigstore::new()
        }
    }

    /// Its log's API base, as the trusted root names it.
    fn rekor(&self) -> String {
        self.rekor_url
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Names `url` as its log's API (where a fake serves
    /// [`TestSigstore::log_entries`]), in the trusted roots made after.
    pub fn serve_log_at(&self, url: &str) {
        url.clone_into(
            &mut self
                .rekor_url
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }

    /// Its log's hashedrekord entries as Rekor's API answers them: the
    /// digest each is found by (`sha256:HEX`), its UUID, the answer.
    pub fn log_entries(&self) -> Vec<(String, String, serde_json::Value)> {
        self.log.api_entries()
    }

    /// A keyless signature of `artifact` as `cosign sign-blob
    /// --output-signature --output-certificate` writes it: the base64
    /// signature (`X.sig`) and the base64 of the PEM certificate (`X.pem`);
    /// its entry is in the log only.
    pub fn sign_keyless(
        &self,
        artifact: &[u8],
        signer: &Signer,
        tamper: Tamper,
    ) -> (String, String) {
        let bundle: serde_json::Value =
            serde_json::from_str(&self.sign_blob(artifact, signer, tamper)).expect("JSON");
        let signature = bundle["messageSignature"]["signature"]
            .as_str()
            .expect("a signature")
            .to_owned();
        let der = bundle["verificationMaterial"]["x509CertificateChain"]["certificates"][0]
            ["rawBytes"]
            .as_str()
            .and_then(|c| B64.decode(c).ok())
            .expect("a certificate");
        (signature, B64.encode(pem(&der)))
    }

    /// The `trusted_root.json` that trusts this Sigstore alone.
    pub fn trusted_root(&self) -> String {
        let start = "2020-01-01T00:00:00Z";
        let log = |key: &KeyPair, url: &str| {
            json!({
                "baseUrl": url,
                "hashAlgorithm": "SHA2_256",
                "publicKey": {
                    "rawBytes": B64.encode(key.subject_public_key_info()),
                    "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": {"start": start},
                },
                "logId": {"keyId": B64.encode(sha256(&key.subject_public_key_info()))},
            })
        };
        let (tlogs, ctlogs) = if self.timestamping {
            (json!([]), json!([]))
        } else {
            (
                json!([log(&self.log.key, &self.rekor())]),
                json!([log(&self.ct, "https://ctfe.jingyu.test")]),
            )
        };
        let root = json!({
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": tlogs,
            "certificateAuthorities": [{
                "subject": {"organization": "jingyu.test", "commonName": "jingyu test Fulcio"},
                "uri": "https://fulcio.jingyu.test",
                "certChain": {"certificates": [
                    {"rawBytes": B64.encode(self.intermediate.der())},
                    {"rawBytes": B64.encode(self.root.der())},
                ]},
                "validFor": {"start": start},
            }],
            "ctlogs": ctlogs,
            "timestampAuthorities": [{
                "subject": {"organization": "jingyu.test", "commonName": "jingyu test TSA"},
                "uri": "https://timestamp.jingyu.test",
                "certChain": {"certificates": [
                    {"rawBytes": B64.encode(self.tsa.der())},
                    {"rawBytes": B64.encode(self.root.der())},
                ]},
                "validFor": {"start": start},
            }],
        });
        serde_json::to_string_pretty(&root).expect("JSON")
    }
}

/// What a bundle signs: the artifact's bytes, or a statement about them.
enum Signed<'a> {
    Blob,
    /// An in-toto statement naming the artifact by sha256, or sha512 alone.
    Statement {
        name: &'a str,
        sha512: bool,
    },
}

impl TestSigstore {
    /// A v0.2 bundle of a message signature over `artifact` (as
    /// `cosign sign-blob --bundle` makes), broken as `tamper` says.
    pub fn sign_blob(&self, artifact: &[u8], signer: &Signer, tamper: Tamper) -> String {
        self.bundle(artifact, signer, tamper, &Signed::Blob)
    }

    /// A v0.3 bundle of a DSSE in-toto attestation naming `artifact` as
    /// `name` (as GitHub's `attest-build-provenance` makes).
    pub fn attest(&self, artifact: &[u8], name: &str, signer: &Signer, tamper: Tamper) -> String {
        self.bundle(
            artifact,
            signer,
            tamper,
            &Signed::Statement {
                name,
                sha512: false,
            },
        )
    }

    /// The same, naming the artifact by its sha512 alone (as npm's
    /// provenance does).
    pub fn attest_by_sha512(&self, artifact: &[u8], name: &str, signer: &Signer) -> String {
        self.bundle(
            artifact,
            signer,
            Tamper::Nothing,
            &Signed::Statement { name, sha512: true },
        )
    }

    fn bundle(
        &self,
        artifact: &[u8],
        signer: &Signer,
        tamper: Tamper,
        what: &Signed<'_>,
    ) -> String {
        let logged_at = now() - 60;
        let (cert, key) = self.certificate(signer, logged_at, tamper);
        let cert_pem = B64.encode(pem(&cert));
        let signed_bytes = if tamper == Tamper::ForgedSignature {
            b"other bytes".as_slice()
        } else {
            artifact
        };
        let (content, body, kind, signature) = match what {
            Signed::Blob => {
                let signature = sign(&key, signed_bytes);
                let body = json!({"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
                    "data": {"hash": {"algorithm": "sha256", "value": sha256_hex(artifact)}},
                    "signature": {"content": B64.encode(&signature), "publicKey": {"content": cert_pem}},
                }});
                let content = json!({"messageSignature": {
                    "messageDigest": {"algorithm": "SHA2_256", "digest": B64.encode(sha256(artifact))},
                    "signature": B64.encode(&signature),
                }});
                (content, body, "hashedrekord", signature)
            }
            Signed::Statement { name, sha512 } => {
                let payload = statement(artifact, name, *sha512, tamper);
                let kind = "application/vnd.in-toto+json";
                let pae = [
                    format!("DSSEv1 {} {kind} {} ", kind.len(), payload.len()).as_bytes(),
                    &payload,
                ]
                .concat();
                let pae = if tamper == Tamper::ForgedSignature {
                    b"other bytes".to_vec()
                } else {
                    pae
                };
                let signature = sign(&key, &pae);
                let body = json!({"apiVersion": "0.0.1", "kind": "dsse", "spec": {
                    "envelopeHash": {"algorithm": "sha256", "value": sha256_hex(b"envelope")},
                    "payloadHash": {"algorithm": "sha256", "value": sha256_hex(&payload)},
                    "signatures": [{"signature": B64.encode(&signature), "verifier": cert_pem}],
                }});
                let content = json!({"dsseEnvelope": {
                    "payload": B64.encode(&payload),
                    "payloadType": kind,
                    "signatures": [{"sig": B64.encode(&signature), "keyid": ""}],
                }});
                (content, body, "dsse", signature)
            }
        };
        let body = if tamper == Tamper::LogEntryOtherData {
            let mut other = body;
            other["spec"]["data"]["hash"]["value"] = json!(sha256_hex(b"other data"));
            other["spec"]["payloadHash"]["value"] = json!(sha256_hex(b"other data"));
            other
        } else {
            body
        };
        let (entries, timestamps) = if self.timestamping {
            (json!([]), self.timestamp(&signature, tamper, logged_at))
        } else {
            let body = serde_json::to_vec(&body).expect("JSON");
            (json!([self.log.entry(&body, kind, logged_at)]), json!({}))
        };
        let mut bundle = match what {
            Signed::Blob => json!({
                "mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.2",
                "verificationMaterial": {
                    "x509CertificateChain": {"certificates": [{"rawBytes": B64.encode(&cert)}]},
                    "tlogEntries": entries,
                    "timestampVerificationData": timestamps,
                },
            }),
            Signed::Statement { .. } => json!({
                "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
                "verificationMaterial": {
                    "certificate": {"rawBytes": B64.encode(&cert)},
                    "tlogEntries": entries,
                    "timestampVerificationData": timestamps,
                },
            }),
        };
        for (k, v) in content.as_object().expect("an object") {
            bundle[k] = v.clone();
        }
        serde_json::to_string(&bundle).expect("JSON")
    }
}

impl TestSigstore {
    /// The bundle's `timestampVerificationData`: the TSA's token for
    /// `signature` (another one's, as `tamper` says).
    fn timestamp(&self, signature: &[u8], tamper: Tamper, when: i64) -> serde_json::Value {
        let stamped: &[u8] = if tamper == Tamper::TimestampOfAnotherSignature {
            b"another signature"
        } else {
            signature
        };
        let token = tsa::response(self.tsa.key(), stamped, when);
        json!({"rfc3161Timestamps": [{"signedTimestamp": B64.encode(token)}]})
    }
}

/// The in-toto statement naming `artifact` (other bytes, or no statement
/// at all, as `tamper` says).
fn statement(artifact: &[u8], name: &str, by_sha512: bool, tamper: Tamper) -> Vec<u8> {
    if tamper == Tamper::GarbagePayload {
        return b"\x00 not a statement".to_vec();
    }
    let subject = if tamper == Tamper::SubjectOtherBytes {
        b"other bytes".as_slice()
    } else {
        artifact
    };
    let digest = if by_sha512 {
        json!({"sha512": hex(ring::digest::digest(&ring::digest::SHA512, subject).as_ref())})
    } else {
        json!({"sha256": sha256_hex(subject)})
    };
    serde_json::to_vec(&json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": name, "digest": digest}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {"buildDefinition": {"buildType": "https://actions.github.io/buildtypes/workflow/v1"}},
    }))
    .expect("JSON")
}

/// Snappy's block format with literals only: valid for any decoder.
pub fn snappy(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut n = bytes.len();
    while n >= 0x80 {
        out.push(u8::try_from(n & 0x7f).expect("7 bits") | 0x80);
        n >>= 7;
    }
    out.push(u8::try_from(n).expect("7 bits"));
    for chunk in bytes.chunks(65_536) {
        let len = u16::try_from(chunk.len() - 1)
            .expect("16 bits")
            .to_le_bytes();
        out.extend_from_slice(&[61 << 2, len[0], len[1]]);
        out.extend_from_slice(chunk);
    }
    out
}
