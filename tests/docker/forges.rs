//! A real BuildKit build that fetches from the fake GitLab: exec-form RUN in
//! the jingyu stage, a nested-group project that is private, its token from
//! the `gitlab_token` secret, sent to the instance and never to the object
//! store downloads redirect to.

use std::fs;

use jingyu_fake::{FakeForge, Host, Release};

use crate::archives::{gzip, tar};
use crate::engine::{context, engine, entries};
use crate::scratch;

#[test]
fn a_build_installs_from_a_private_gitlab_project_with_its_secret() {
    let Some(engine) = engine() else { return };
    let secret = "glpat-docker-secret-0123";
    let gl = FakeForge::gitlab();
    gl.release(
        "group/sub/tool",
        Release::new("v2")
            .asset(
                "tool-v2-linux-amd64.tar.gz",
                gzip(&tar(&[("tool", 0o755, b"#!/bin/sh\necho gitlab amd64\n")])),
            )
            .asset(
                "tool-v2-linux-arm64.tar.gz",
                gzip(&tar(&[("tool", 0o755, b"#!/bin/sh\necho gitlab arm64\n")])),
            ),
    );
    gl.private("group/sub/tool", secret);
    let dir = scratch("gitlab");
    fs::write(dir.join("token"), secret).unwrap();
    let dockerfile = format!(
        "FROM {img} AS fetch\nENV GITLAB_API_URL={api}\nARG JINGYU_TAG=v2\nRUN --mount=type=secret,id=gitlab_token [\"jingyu\", \"gitlab.com/group/sub/tool\", \"--to\", \"/out/\"]\nFROM scratch\nCOPY --from=fetch /out/tool /usr/local/bin/tool\n",
        img = engine.jingyu(),
        api = gl.api_url()
    );
    let ctx = context(&dir.join("ctx"), &dockerfile);
    let out = dir.join("out.tar");
    let src = format!("id=gitlab_token,src={}", dir.join("token").display());
    let dest = format!("type=tar,dest={}", out.display());
    let log = engine.build(&["--network=host", "--secret", &src, "-o", &dest, &ctx]);
    assert!(!log.contains(secret), "the build log shows the token");
    let files = entries(&fs::read(out).unwrap());
    assert_eq!(files.keys().collect::<Vec<_>>(), ["usr/local/bin/tool"]);
    assert_eq!(
        files["usr/local/bin/tool"],
        b"#!/bin/sh\necho gitlab amd64\n"
    );
    let requests = gl.requests();
    assert!(
        requests.iter().any(|r| r.host == Host::Assets),
        "{requests:?}"
    );
    for r in &requests {
        match r.host {
            Host::Api => assert_eq!(r.header("private-token"), Some(secret), "{}", r.path),
            _ => assert!(
                r.headers.iter().all(|(_, v)| !v.contains(secret)),
                "the object store saw the token"
            ),
        }
    }
}
