//! The fake GitLab's routes: `/api/v4/projects/:path/…` (URL-encoded nested
//! paths, the latest-release permalink, package-registry downloads, source
//! archives) and the permanent `direct_asset_url`s of release links.

use serde_json::{json, Value};

use super::{archive, decode, encode, find_asset, Call, FakeForge};
use crate::http::Reply;
use crate::Release;

impl FakeForge {
    pub(super) fn gitlab_route(&self, call: &Call<'_>, path: &str) -> Reply {
        if let Some(rest) = path.strip_prefix("/api/v4/projects/") {
            if let Some(reset) = call.state.rate_limited {
                return Reply::json(429, &json!({"message": "429 Too Many Requests"}))
                    .header("ratelimit-remaining", "0")
                    .header("ratelimit-reset", &reset.to_string())
                    .header("retry-after", "3600");
            }
            let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let project = decode(id);
            let Some(releases) = call.visible(&project) else {
                return Reply::json(404, &json!({"message": "404 Project Not Found"}));
            };
            return self.gitlab_project(call, &project, releases, tail);
        }
        // direct_asset_url: /PATH/-/releases/TAG/downloads/FILE
        let Some((project, rest)) = path.trim_start_matches('/').split_once("/-/releases/") else {
            return Reply::not_found();
        };
        let Some((tag, file)) = rest.split_once("/downloads/") else {
            return Reply::not_found();
        };
        match call.visible(project) {
            Some(rs) if find_asset(rs, tag, file) => {
                Reply::redirect(&self.package_url(project, tag, file))
            }
            _ => Reply::not_found(),
        }
    }

    pub(super) fn gitlab_project(
        &self,
        call: &Call<'_>,
        project: &str,
        releases: &[Release],
        tail: &str,
    ) -> Reply {
        let missing = || Reply::json(404, &json!({"message": "404 Not found"}));
        let parts: Vec<&str> = tail.split('/').filter(|p| !p.is_empty()).collect();
        match parts[..] {
            [] => Reply::json(200, &json!({"id": 42, "path_with_namespace": project})),
            ["releases"] => self.page(call, releases, |r| self.gitlab_json(project, r)),
            ["releases", "permalink", "latest"] => releases
                .iter()
                .rev()
                .find(|r| !r.prerelease)
                .map_or_else(missing, |r| {
                    Reply::redirect(&format!(
                        "{}/projects/{}/releases/{}",
                        self.api_url(),
                        encode(project),
                        r.tag
                    ))
                }),
            ["releases", tag] => {
                let tag = decode(tag);
                releases
                    .iter()
                    .find(|r| r.tag == tag)
                    .map_or_else(missing, |r| Reply::json(200, &self.gitlab_json(project, r)))
            }
            ["packages", "generic", _, tag, file] if find_asset(releases, tag, file) => {
                Reply::redirect(&self.object_url(project, tag, file))
            }
            ["repository", "archive.tar.gz"] => {
                let sha = call.param("sha");
                archive(call.state, project, releases, sha.as_deref())
            }
            _ => missing(),
        }
    }

    pub(super) fn gitlab_json(&self, project: &str, r: &Release) -> Value {
        let links: Vec<Value> = r
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| {
                json!({
                    "id": i + 1,
                    "name": a.name,
                    "url": self.package_url(project, &r.tag, &a.name),
                    "direct_asset_url": format!("{}/{project}/-/releases/{}/downloads/{}", self.url(), r.tag, a.name),
                    "link_type": "package",
                })
            })
            .collect();
        let released = r.published_at.clone().unwrap_or_else(|| {
            if r.prerelease {
                "2099-01-01T00:00:00.000Z"
            } else {
                "2025-01-01T00:00:00.000Z"
            }
            .to_owned()
        });
        json!({
            "tag_name": r.tag,
            "name": r.tag,
            "description": "",
            "created_at": "2025-01-01T00:00:00.000Z",
            "released_at": released,
            "upcoming_release": r.prerelease,
            "assets": {
                "count": links.len() + 1,
                "sources": [{"format": "tar.gz", "url": format!("{}/{project}/-/archive/{tag}/{tag}.tar.gz", self.url(), tag = r.tag)}],
                "links": links,
            },
        })
    }

    fn package_url(&self, project: &str, tag: &str, file: &str) -> String {
        format!(
            "{}/projects/{}/packages/generic/pkg/{tag}/{file}",
            self.api_url(),
            encode(project)
        )
    }
}
