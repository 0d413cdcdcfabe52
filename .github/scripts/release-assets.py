#!/usr/bin/env python3
"""The files a release attaches, from binary-cross's output.

    release-assets.py VERSION BINARIES DIST

BINARIES is `docker buildx bake binary-cross`'s directory (one
`<os>_<arch>[_<variant>]/jingyu` per platform). DIST receives
`jingyu-VERSION-<os>-<arch>[-<variant>]` for each, `SHA256SUMS` over them (the
format `sha256sum -c` reads) and `jingyu-VERSION.spdx.json`, an SPDX 2.3
document: the binaries as files, and every crate compiled into them (from
`cargo metadata --locked` for Linux musl: normal dependencies, no proc
macros) as a package with its
Cargo.lock sha256 and purl. Only the standard library is used.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time


def sha(path, algorithm):
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def binaries(version, src, dist):
    """Copies each platform's binary to its release name; returns the names."""
    names = []
    for platform in sorted(os.listdir(src)):
        binary = os.path.join(src, platform, "jingyu")
        if not os.path.isfile(binary):
            continue
        name = "jingyu-%s-%s" % (version, platform.replace("_", "-"))
        shutil.copyfile(binary, os.path.join(dist, name))
        os.chmod(os.path.join(dist, name), 0o755)
        names.append(name)
    if not names:
        sys.exit("release-assets: no %s/<platform>/jingyu: run docker buildx bake binary-cross first" % src)
    return names


def crates():
    """(name, version, source, checksum) of every crate linked into jingyu."""
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked",
         "--filter-platform", "x86_64-unknown-linux-musl"],
        check=True, capture_output=True, text=True).stdout)
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    packages = {p["id"]: p for p in meta["packages"]}
    root = next(p["id"] for p in meta["packages"] if p["name"] == "jingyu")
    seen, todo = set(), [root]
    while todo:
        for dep in nodes[todo.pop()]["deps"]:
            normal = any(k["kind"] is None for k in dep["dep_kinds"])
            # A proc macro (and what only it uses) runs in the compiler, not in the binary.
            macro = any("proc-macro" in t["kind"] for t in packages[dep["pkg"]]["targets"])
            if normal and not macro and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    locked = {}
    with open(os.path.join(meta["workspace_root"], "Cargo.lock")) as f:
        name = version = None
        for line in f:
            key, _, value = line.partition(" = ")
            value = value.strip().strip('"')
            if key == "name":
                name = value
            elif key == "version":
                version = value
            elif key == "checksum":
                locked[(name, version)] = value
    found = [packages[i] for i in seen]
    return sorted((p["name"], p["version"], p.get("source"), locked.get((p["name"], p["version"])))
                  for p in found)


def sbom(version, dist, names, repo):
    files, sha1s = [], []
    for i, name in enumerate(names):
        path = os.path.join(dist, name)
        sha1s.append(sha(path, "sha1"))
        files.append({
            "fileName": "./" + name,
            "SPDXID": "SPDXRef-File-%d" % i,
            "checksums": [{"algorithm": "SHA1", "checksumValue": sha1s[-1]},
                          {"algorithm": "SHA256", "checksumValue": sha(path, "sha256")}],
            "licenseConcluded": "NOASSERTION",
            "copyrightText": "NOASSERTION",
        })
    code = hashlib.sha1("".join(sorted(sha1s)).encode()).hexdigest()
    jingyu = {
        "name": "jingyu",
        "SPDXID": "SPDXRef-Package-jingyu",
        "versionInfo": version,
        "downloadLocation": "%s/releases/tag/v%s" % (repo, version),
        "filesAnalyzed": True,
        "packageVerificationCode": {"packageVerificationCodeValue": code},
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "MIT OR Apache-2.0",
        "copyrightText": "NOASSERTION",
    }
    packages, relationships = [jingyu], [
        {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
         "relatedSpdxElement": "SPDXRef-Package-jingyu"}]
    relationships += [{"spdxElementId": "SPDXRef-Package-jingyu", "relationshipType": "CONTAINS",
                       "relatedSpdxElement": f["SPDXID"]} for f in files]
    for i, (name, ver, source, checksum) in enumerate(crates()):
        crate = {
            "name": name,
            "SPDXID": "SPDXRef-Crate-%d" % i,
            "versionInfo": ver,
            "downloadLocation": ("https://crates.io/api/v1/crates/%s/%s/download" % (name, ver)
                                 if source and source.startswith("registry+") else "NOASSERTION"),
            "filesAnalyzed": False,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": "pkg:cargo/%s@%s" % (name, ver)}],
        }
        if checksum:
            crate["checksums"] = [{"algorithm": "SHA256", "checksumValue": checksum}]
        packages.append(crate)
        relationships.append({"spdxElementId": "SPDXRef-Package-jingyu", "relationshipType": "DEPENDS_ON",
                              "relatedSpdxElement": crate["SPDXID"]})
    created = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "jingyu-%s" % version,
        "documentNamespace": "%s/releases/tag/v%s/spdx/%s" % (repo, version, code),
        "creationInfo": {"created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created)),
                         "creators": ["Tool: jingyu-release-assets"]},
        "packages": packages,
        "files": files,
        "relationships": relationships,
    }


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    version, src, dist = sys.argv[1:]
    os.makedirs(dist, exist_ok=True)
    names = binaries(version, src, dist)
    with open(os.path.join(dist, "SHA256SUMS"), "w") as f:
        for name in names:
            f.write("%s  %s\n" % (sha(os.path.join(dist, name), "sha256"), name))
    repo = "%s/%s" % (os.environ.get("GITHUB_SERVER_URL", "https://github.com"),
                      os.environ.get("GITHUB_REPOSITORY", "jingyu-dev/jingyu"))
    with open(os.path.join(dist, "jingyu-%s.spdx.json" % version), "w") as f:
        json.dump(sbom(version, dist, names, repo), f, indent=2)
        f.write("\n")
    for name in sorted(os.listdir(dist)):
        print(os.path.join(dist, name))


if __name__ == "__main__":
    main()
