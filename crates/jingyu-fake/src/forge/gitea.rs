//! The fake Gitea/Forgejo's routes: `/api/v1/repos/:owner/:repo/…`
//! (releases with attachments, drafts only with a token, source archives) and
//! the attachments' `browser_download_url`s.

use serde_json::{json, Value};

use super::{archive, find_asset, Call, FakeForge};
use crate::http::Reply;
use crate::Release;

impl FakeForge {
    pub(super) fn gitea_route(&self, call: &Call<'_>, path: &str) -> Reply {
        let missing = || {
            Reply::json(
                404,
                &json!({"errors": null, "message": "not found", "url": self.url()}),
            )
        };
        if let Some(rest) = path.strip_prefix("/api/v1/repos/") {
            if let Some(reset) = call.state.rate_limited {
                return Reply::json(429, &json!({"message": "rate limit exceeded"}))
                    .header("x-ratelimit-remaining", "0")
                    .header("x-ratelimit-reset", &reset.to_string());
            }
            let parts: Vec<&str> = rest.split('/').collect();
            let [owner, name, tail @ ..] = &parts[..] else {
                return missing();
            };
            let repo = format!("{owner}/{name}");
            let Some(releases) = call.visible(&repo) else {
                return missing();
            };
            let listed: Vec<Release> = releases
                .iter()
                .filter(|r| !r.draft || call.token.is_some())
                .cloned()
                .collect();
            return match tail {
                [] => Reply::json(200, &json!({"full_name": repo, "default_branch": "main"})),
                ["releases"] => self.page(call, &listed, |r| self.gitea_json(&repo, r)),
                ["releases", "latest"] => listed
                    .iter()
                    .rev()
                    .find(|r| !r.draft && !r.prerelease)
                    .map_or_else(missing, |r| Reply::json(200, &self.gitea_json(&repo, r))),
                ["releases", "tags", tag] => listed
                    .iter()
                    .find(|r| r.tag == *tag)
                    .map_or_else(missing, |r| Reply::json(200, &self.gitea_json(&repo, r))),
                ["archive", file] => {
                    let git_ref = file.strip_suffix(".tar.gz").unwrap_or(file);
                    let git_ref = (git_ref != "main").then_some(git_ref);
                    archive(call.state, &repo, releases, git_ref)
                }
                _ => missing(),
            };
        }
        // browser_download_url: /OWNER/REPO/releases/download/TAG/FILE
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let [owner, name, "releases", "download", tag, file] = parts[..] else {
            return missing();
        };
        let repo = format!("{owner}/{name}");
        match call.visible(&repo) {
            Some(rs) if find_asset(rs, tag, file) => {
                Reply::redirect(&self.object_url(&repo, tag, file))
            }
            _ => missing(),
        }
    }

    pub(super) fn gitea_json(&self, repo: &str, r: &Release) -> Value {
        let assets: Vec<Value> = r
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                json!({
                    "id": i + 1,
                    "name": a.name,
                    "size": a.bytes.len(),
                    "download_count": 0,
                    "created_at": "2025-01-01T00:00:00Z",
                    "uuid": format!("uuid-{i}"),
                    "browser_download_url": format!("{}/{repo}/releases/download/{}/{}", self.url(), r.tag, a.name),
                })
            })
            .collect();
        let published = r
            .published_at
            .clone()
            .unwrap_or_else(|| "2025-01-01T00:00:00Z".to_owned());
        json!({
            "id": 1,
            "tag_name": r.tag,
            "name": r.tag,
            "body": "",
            "draft": r.draft,
            "prerelease": r.prerelease,
            "created_at": published,
            "published_at": published,
            "tarball_url": format!("{}/{repo}/archive/{}.tar.gz", self.url(), r.tag),
            "assets": assets,
        })
    }
}
