"""sigstore-python as an independent oracle for jingyu's Sigstore verifier.

Reads a JSON list of cases from the file named by argv[1]; each names a
trusted root, a bundle, the artifact (its file, or its "sha256" alone),
whether the bundle is a message signature ("blob") or an in-toto
attestation ("dsse"), and the identity required: the OIDC issuer and either
the source repository URI or an "email" SAN. Prints one JSON
list: for each case, "ok" or "fail: WHY". Offline: only the given trusted
root is used.
"""

import hashlib
import json
import sys

from sigstore.hashes import Hashed
from sigstore.models import Bundle, TrustedRoot
from sigstore_models.common.v1 import HashAlgorithm
from sigstore.verify import Verifier, policy


def verify(case):
    verifier = Verifier(trusted_root=TrustedRoot.from_file(case["root"]))
    with open(case["bundle"], "rb") as f:
        bundle = Bundle.from_json(f.read())
    if "sha256" in case:  # the artifact known by its digest alone
        sha256 = bytes.fromhex(case["sha256"])
        artifact = Hashed(algorithm=HashAlgorithm.SHA2_256, digest=sha256)
        ours = {"sha256": case["sha256"]}
    else:
        with open(case["artifact"], "rb") as f:
            artifact = f.read()
        ours = {
            "sha256": hashlib.sha256(artifact).hexdigest(),
            "sha512": hashlib.sha512(artifact).hexdigest(),
        }
    if "email" in case:
        wanted = policy.Identity(identity=case["email"], issuer=case["issuer"])
    else:
        wanted = policy.AllOf(
            [
                policy.OIDCIssuerV2(case["issuer"]),
                policy.OIDCSourceRepositoryURI(case["repository"]),
            ]
        )
    if case["kind"] == "blob":
        verifier.verify_artifact(artifact, bundle, wanted)
        return "ok"
    payload_type, payload = verifier.verify_dsse(bundle, wanted)
    # sigstore-python leaves the statement to its caller, as its API says.
    if payload_type != "application/vnd.in-toto+json":
        return f"fail: payload type {payload_type}"
    statement = json.loads(payload)
    for subject in statement.get("subject", []):
        for alg, digest in subject.get("digest", {}).items():
            if ours.get(alg) == digest.lower():
                return "ok"
    return "fail: no subject is the artifact"


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = []
    for case in cases:
        try:
            results.append(verify(case))
        except Exception as e:  # every failure is an answer here
            results.append(f"fail: {type(e).__name__}: {e}")
    print(json.dumps(results))


main()
