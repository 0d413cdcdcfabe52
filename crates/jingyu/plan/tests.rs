//! One test per rule of the plan: flags over variables, platform precedence,
//! target classification, and each cross-flag check.

use std::collections::HashMap;

use jingyu_forge::{Kind, TokenHeader};
use jingyu_pick::{Arch, Os};

use super::*;
use crate::args;

fn action(argv: &[&str], vars: &[(&str, &str)]) -> Result<Action, Error> {
    action_with(argv, vars, "")
}

/// The action with eget's config file holding `config`.
fn action_with(argv: &[&str], vars: &[(&str, &str)], config: &str) -> Result<Action, Error> {
    let config = crate::config::parse(std::path::Path::new("eget.toml"), config).expect("config");
    let owned: Vec<String> = argv.iter().map(|s| (*s).to_owned()).collect();
    let parsed = args::parse(&owned).expect("args parse");
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let env = move |k: &str| map.get(k).cloned();
    let host = System::parse("linux/amd64").unwrap();
    build(parsed, &env, &config, host, &|p: &str| p == "local.tar.gz")
}

#[track_caller]
fn plan(argv: &[&str], vars: &[(&str, &str)]) -> Plan {
    match action(argv, vars) {
        Ok(Action::Fetch(p)) => *p,
        Ok(other) => panic!("expected a fetch plan, got {other:?}"),
        Err(e) => panic!("expected a plan, got error: {e}"),
    }
}

#[track_caller]
fn usage_error(argv: &[&str], vars: &[(&str, &str)]) -> String {
    match action(argv, vars) {
        Err(Error::Usage(m)) => m,
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn platform_precedence_flag_then_variable_then_buildkit_then_host() {
    let buildkit = [
        ("TARGETPLATFORM", "linux/arm/v7"),
        ("TARGETOS", "linux"),
        ("TARGETARCH", "riscv64"),
    ];
    let p = plan(
        &["o/r", "-s", "darwin/arm64"],
        &[("JINGYU_SYSTEM", "linux/s390x"), buildkit[0]],
    );
    assert_eq!(
        (p.system.unwrap().os, p.system_from.as_str()),
        (Os::Darwin, "--system")
    );
    let p = plan(&["o/r"], &[("JINGYU_SYSTEM", "linux/s390x"), buildkit[0]]);
    assert_eq!(p.system.unwrap().arch, Arch::S390x);
    let p = plan(&["o/r"], &buildkit);
    assert_eq!(
        (p.system.unwrap().arch, p.system_from.as_str()),
        (Arch::Arm(7), "TARGETPLATFORM=linux/arm/v7")
    );
    let p = plan(&["o/r"], &buildkit[1..]);
    assert_eq!(p.system.unwrap().arch, Arch::Riscv64);
    let p = plan(&["o/r"], &[]);
    assert_eq!(
        (p.system.unwrap().arch, p.system_from.as_str()),
        (Arch::Amd64, "the host")
    );
    assert!(plan(&["o/r", "--system", "all"], &[]).system.is_none());
}

#[test]
fn flags_win_over_variables_and_lists_split_on_commas() {
    let p = plan(
        &["o/r", "--tag", "v2"],
        &[
            ("JINGYU_TAG", "v1"),
            ("JINGYU_ASSET", "musl, ^debug"),
            ("JINGYU_FILE", "a,b"),
        ],
    );
    assert_eq!(
        p.which,
        Which::Tag {
            tag: "v2".into(),
            pre: false
        }
    );
    assert_eq!(
        p.filters,
        [
            Filter::Include("musl".into()),
            Filter::Exclude("debug".into())
        ]
    );
    assert_eq!(p.rules.files, ["a", "b"]);
    let p = plan(&["o/r", "-a", "gnu"], &[("JINGYU_ASSET", "musl")]);
    assert_eq!(p.filters, [Filter::Include("gnu".into())]);
}

#[test]
fn targets_are_classified() {
    assert!(matches!(plan(&["o/r"], &[]).target, Target::Repo(..)));
    assert!(matches!(
        plan(&["https://github.com/o/r"], &[]).target,
        Target::Repo(..)
    ));
    assert!(matches!(
        plan(
            &["https://ghe.example/o/r"],
            &[("GITHUB_SERVER_URL", "https://ghe.example")]
        )
        .target,
        Target::Repo(..)
    ));
    assert!(matches!(
        plan(&["https://example.com/t.tar.gz"], &[]).target,
        Target::Url(_)
    ));
    assert!(matches!(
        plan(&["local.tar.gz"], &[]).target,
        Target::File(_)
    ));
    assert!(matches!(
        plan(&[], &[("JINGYU_TARGET", "o/r")]).target,
        Target::Repo(..)
    ));
    assert_eq!(
        usage_error(&[], &[]),
        "no target: give owner/repo, a URL or a local file (or set JINGYU_TARGET); see --help"
    );
}

#[test]
fn which_release() {
    assert_eq!(plan(&["o/r"], &[]).which, Which::Latest);
    assert_eq!(plan(&["o/r", "--pre-release"], &[]).which, Which::Newest);
    assert_eq!(
        plan(&["o/r@v1", "--pre-release"], &[]).which,
        Which::Tag {
            tag: "v1".into(),
            pre: true
        }
    );
    assert_eq!(
        plan(&["o/r"], &[("JINGYU_PRE_RELEASE", "yes")]).which,
        Which::Newest
    );
}

#[test]
fn modes_and_their_conflicts() {
    assert_eq!(plan(&["o/r", "--dry-run", "-d"], &[]).mode, Mode::DryRun);
    assert_eq!(plan(&["o/r", "-d"], &[]).mode, Mode::DownloadOnly);
    // As in eget, the source tarball is extracted like any archive.
    assert_eq!(plan(&["o/r", "--source"], &[]).mode, Mode::Install);
    assert!(plan(&["o/r", "--source", "--all"], &[]).rules.all);
    // eget takes --all and --file together: every match.
    assert!(plan(&["o/r", "--all", "-f", "x"], &[]).rules.all);
    assert_eq!(
        usage_error(&["o/r", "--tree", "-f", "x"], &[]),
        "--tree takes the whole archive, so --all and --file do not apply"
    );
    assert!(usage_error(&["o/r", "-d", "--all"], &[])
        .starts_with("--download-only keeps the archive whole"));
    assert_eq!(
        usage_error(&["https://x.test/a", "--pre-release"], &[]),
        "--pre-release applies only to a repository target (owner/repo)"
    );
    assert_eq!(
        usage_error(&["local.tar.gz", "--upgrade-only"], &[]),
        "--upgrade-only applies only to a repository target (owner/repo)"
    );
}

#[test]
fn tokens_in_order_of_precedence() {
    let vars = [
        ("GH_TOKEN", "d"),
        ("GITHUB_TOKEN", "c"),
        ("EGET_GITHUB_TOKEN", "b"),
        ("JINGYU_GITHUB_TOKEN", "a"),
    ];
    // JINGYU_ beats EGET_ beats GITHUB_ beats GH_, whatever else is set.
    for present in 1..=vars.len() {
        let p = plan(&["o/r"], &vars[..present]);
        let (var, value) = vars[present - 1];
        assert_eq!(
            token_of(&p),
            Some((var.to_owned(), value.to_owned())),
            "with {present} variables set"
        );
    }
    let p = plan(&["o/r"], &vars[..2]);
    assert_eq!(
        token_of(&p),
        Some(("GITHUB_TOKEN".to_owned(), "c".to_owned()))
    );
    assert_eq!(
        plan(&["o/r"], &[]).site().unwrap().api,
        "https://api.github.com"
    );
    assert_eq!(
        plan(&["o/r"], &[("GITHUB_API_URL", "http://127.0.0.1:1")])
            .site()
            .unwrap()
            .api,
        "http://127.0.0.1:1"
    );
}

#[test]
fn sizes_and_epochs() {
    assert_eq!(plan(&["o/r"], &[]).rules.max_size, 4 << 30);
    assert_eq!(
        plan(&["o/r", "--max-size", "512M"], &[]).rules.max_size,
        512 << 20
    );
    assert_eq!(
        plan(&["o/r", "--max-size", "1024"], &[]).rules.max_size,
        1024
    );
    assert_eq!(
        usage_error(&["o/r", "--max-size", "5X"], &[]),
        "--max-size `5X` is not a size: use bytes or a number with K, M, G or T"
    );
    assert_eq!(
        plan(&["o/r"], &[("SOURCE_DATE_EPOCH", "1700000000")]).source_date_epoch,
        Some(1_700_000_000)
    );
    assert!(usage_error(&["o/r"], &[("SOURCE_DATE_EPOCH", "soon")]).contains("SOURCE_DATE_EPOCH"));
}

#[test]
fn version_rate_and_remove_actions() {
    assert!(matches!(action(&["-v"], &[]), Ok(Action::Version)));
    // eget's -v is the version even beside a target.
    assert!(matches!(
        action(&["--dry-run", "-v", "o/r"], &[]),
        Ok(Action::Version)
    ));
    assert!(matches!(action(&["--rate"], &[]), Ok(Action::Rate(_))));
    let Ok(Action::Remove { path, .. }) = action(&["o/tool", "-r"], &[("EGET_BIN", "/opt/bin")])
    else {
        panic!()
    };
    assert_eq!(path, PathBuf::from("/opt/bin/tool"));
    let Ok(Action::Remove { path, .. }) = action(&["o/tool", "-r", "--to", "/x/"], &[]) else {
        panic!()
    };
    assert_eq!(path, PathBuf::from("/x/tool"));
}

#[test]
fn output_level() {
    let a = args::parse(&["--verbose".to_owned()]).unwrap();
    let none = Config::default();
    assert_eq!(level(&a, &|_| None, &none), Level::Verbose);
    assert_eq!(
        level(
            &a,
            &|k| (k == "JINGYU_QUIET").then(|| "1".to_owned()),
            &none
        ),
        Level::Quiet
    );
}

#[track_caller]
fn plan_with(argv: &[&str], vars: &[(&str, &str)], config: &str) -> Plan {
    match action_with(argv, vars, config) {
        Ok(Action::Fetch(p)) => *p,
        other => panic!("expected a fetch plan, got {other:?}"),
    }
}

#[test]
fn every_key_eget_applies_in_a_section_changes_the_plan() {
    let base = format!("{:?}", plan_with(&["o/r"], &[], ""));
    for setting in [
        "all = true",
        "asset_filters = [\"musl\"]",
        "download_only = true",
        "download_source = true",
        "file = \"bin/x\"",
        "show_hash = true",
        "system = \"linux/arm64\"",
        "tag = \"v1\"",
        "target = \"/out/\"",
        "upgrade_only = true",
        "verify_sha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"",
        "disable_ssl = true",
    ] {
        let with = plan_with(&["o/r"], &[], &format!("[\"o/r\"]\n{setting}\n"));
        assert_ne!(format!("{with:?}"), base, "{setting} changes nothing");
    }
    let config = Config::default();
    let quiet =
        crate::config::parse(std::path::Path::new("c"), "[\"o/r\"]\nquiet = true\n").unwrap();
    let a = args::parse(&["o/r".to_owned()]).unwrap();
    assert_eq!(level(&a, &|_| None, &config), Level::Normal);
    assert_eq!(level(&a, &|_| None, &quiet), Level::Quiet);
}

#[test]
fn flags_then_variables_then_the_config() {
    let config = "[\"o/r\"]\ntag = \"v1\"\nsystem = \"linux/arm64\"\nall = true\n";
    let p = plan_with(
        &["o/r", "--tag", "v3", "-s", "linux/riscv64"],
        &[("JINGYU_TAG", "v2")],
        config,
    );
    assert_eq!(
        p.which,
        Which::Tag {
            tag: "v3".into(),
            pre: false
        }
    );
    assert_eq!(p.system.unwrap().arch, Arch::Riscv64);
    let p = plan_with(
        &["o/r"],
        &[("JINGYU_TAG", "v2"), ("JINGYU_ALL", "0")],
        config,
    );
    assert_eq!(
        p.which,
        Which::Tag {
            tag: "v2".into(),
            pre: false
        }
    );
    assert!(!p.rules.all, "JINGYU_ALL=0 overrides the config");
    // The config is explicit; BuildKit's TARGETPLATFORM is ambient.
    let p = plan_with(&["o/r"], &[("TARGETPLATFORM", "linux/s390x")], config);
    assert_eq!(
        p.which,
        Which::Tag {
            tag: "v1".into(),
            pre: false
        }
    );
    assert_eq!(
        (p.system.unwrap().arch, p.system_from.as_str()),
        (Arch::Arm64, "`system` (eget.toml:3)")
    );
}

#[test]
fn a_section_without_system_ignores_global_system_as_eget_does() {
    let config = "[global]\nsystem = \"linux/arm64\"\n[\"o/r\"]\ntag = \"v1\"\n";
    assert_eq!(plan_with(&["o/r"], &[], config).system_from, "the host");
    assert_eq!(
        plan_with(&["o/other"], &[], config).system.unwrap().arch,
        Arch::Arm64
    );
}

#[test]
fn the_config_token_sits_after_eget_github_token_and_before_github_token() {
    let config = "[global]\ngithub_token = \"from-config\"\n";
    let token = |vars: &[(&str, &str)]| token_of(&plan_with(&["o/r"], vars, config)).unwrap();
    assert_eq!(token(&[("GITHUB_TOKEN", "gh")]).1, "from-config");
    assert_eq!(token(&[("EGET_GITHUB_TOKEN", "eget")]).1, "eget");
    assert_eq!(token(&[]).0, "`github_token` (eget.toml:2)");
}

#[test]
fn download_all_plans_each_section_alone() {
    let config = "[global]\ntarget = \"/g/\"\n[\"o/a\"]\ntag = \"v1\"\n[\"o/b\"]\nquiet = true\n";
    let Ok(Action::Each { children, .. }) = action_with(&["-D", "--tag", "v9", "o/x"], &[], config)
    else {
        panic!("expected every repository");
    };
    let names: Vec<&str> = children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["o/a", "o/b"]);
    let Ok(Action::Fetch(a)) = &children[0].action else {
        panic!("a plan for o/a")
    };
    // eget runs `eget NAME` alone: the parent's --tag does not reach it.
    assert_eq!(
        (&a.which, a.to.as_deref()),
        (
            &Which::Tag {
                tag: "v1".into(),
                pre: false
            },
            Some("/g/")
        )
    );
    assert_eq!(
        (children[0].level, children[1].level),
        (Level::Normal, Level::Quiet)
    );
    let Ok(Action::Each { children: none, .. }) = action_with(&["-D"], &[], "") else {
        panic!("no sections")
    };
    assert!(none.is_empty());
}

#[test]
fn to_expands_a_leading_tilde() {
    let home = [("HOME", "/home/me/")];
    assert_eq!(
        plan(&["o/r", "--to", "~/bin/"], &home).to.as_deref(),
        Some("/home/me/bin/")
    );
    assert_eq!(
        plan(&["o/r", "--to", "~"], &home).to.as_deref(),
        Some("/home/me")
    );
    assert_eq!(
        plan(&["o/r", "--to", "a~b"], &home).to.as_deref(),
        Some("a~b")
    );
    let p = plan_with(&["o/r"], &home, "[global]\ntarget = \"~/.local/bin\"\n");
    assert_eq!(p.to.as_deref(), Some("/home/me/.local/bin"));
    assert_eq!(
        plan(&["o/r", "--to", "~root/x"], &[]).to.as_deref(),
        Some("/root/x")
    );
    let m = usage_error(&["o/r", "--to", "~/bin"], &[]);
    assert!(m.contains("HOME is not set"), "{m}");
    let m = usage_error(&["o/r", "--to", "~no-such-user-here/bin"], &[]);
    assert!(m.contains("no user `no-such-user-here`"), "{m}");
}

/// The token variable and value a plan's forge would use.
fn token_of(p: &Plan) -> Option<(String, String)> {
    let t = p.conn.forges.token_for(p.site()?)?;
    Some((t.var.clone(), t.value.clone()))
}

#[test]
fn each_forge_has_its_own_api_and_tokens() {
    let vars = [
        ("GITHUB_TOKEN", "gh"),
        ("GITLAB_TOKEN", "gl"),
        ("GITEA_TOKEN", "tea"),
        ("GITLAB_API_URL", "http://127.0.0.1:7/api/v4"),
    ];
    let p = plan(&["gitlab.com/g/s/p"], &vars);
    let site = p.site().unwrap();
    assert_eq!(
        (site.kind, site.api.as_str()),
        (Kind::GitLab, "http://127.0.0.1:7/api/v4")
    );
    assert_eq!(token_of(&p), Some(("GITLAB_TOKEN".into(), "gl".into())));
    assert_eq!(p.target_name(), "gitlab.com/g/s/p");
    let p = plan(&["codeberg.org/o/r"], &vars);
    assert_eq!(p.site().unwrap().api, "https://codeberg.org/api/v1");
    assert_eq!(token_of(&p), Some(("GITEA_TOKEN".into(), "tea".into())));
    let p = plan(&["o/r", "--forge", "forgejo"], &[("FORGEJO_TOKEN", "fj")]);
    assert_eq!(p.site().unwrap().kind, Kind::Gitea);
    assert_eq!(token_of(&p), Some(("FORGEJO_TOKEN".into(), "fj".into())));
    // The GitHub token never goes to another forge.
    let p = plan(
        &["g/p"],
        &[("JINGYU_FORGE", "gitlab"), ("GITHUB_TOKEN", "gh")],
    );
    assert_eq!(token_of(&p), None);
    assert_eq!(
        usage_error(&["o/r", "--forge", "svn"], &[]),
        "--forge `svn` is not a forge jingyu speaks: use github, gitlab or gitea (also Forgejo)"
    );
    assert_eq!(
        usage_error(&["o/r"], &[("GITLAB_API_URL", "gitlab.corp")]),
        "GITLAB_API_URL=`gitlab.corp` is not an http(s) URL with a host, such as https://gitlab.com/api/v4"
    );
}

#[test]
fn ci_job_token_goes_only_to_its_own_instance() {
    let ci = [
        ("CI_JOB_TOKEN", "job"),
        ("CI_SERVER_URL", "https://gitlab.corp"),
    ];
    let p = plan(&["https://gitlab.corp/g/p"], &ci);
    assert_eq!(p.site().unwrap().api, "https://gitlab.corp/api/v4");
    let t = p.conn.forges.token_for(p.site().unwrap()).unwrap();
    assert_eq!(
        (t.var.as_str(), t.header),
        ("CI_JOB_TOKEN", TokenHeader::GitLabJob)
    );
    // gitlab.com is another instance: the job token stays home.
    assert_eq!(token_of(&plan(&["gitlab.com/g/p"], &ci)), None);
    // A personal token wins over the job token.
    let p = plan(
        &["gitlab.corp/g/p"],
        &[ci[0], ci[1], ("GITLAB_TOKEN", "pat")],
    );
    assert_eq!(token_of(&p), Some(("GITLAB_TOKEN".into(), "pat".into())));
}

#[test]
fn min_age_takes_units_and_only_repository_targets() {
    let age = |v: &str| values::parse_age(v, "--min-age");
    assert_eq!(age("7d").unwrap(), 7 * 86_400);
    assert_eq!(age("36h").unwrap(), 36 * 3600);
    assert_eq!(age("1d12h").unwrap(), 36 * 3600);
    assert_eq!(age("2w").unwrap(), 14 * 86_400);
    assert_eq!(age("0d").unwrap(), 0);
    for bad in ["7", "d", "7x", "-1d", "1.5d", "", "99999999999999999999d"] {
        assert!(age(bad).is_err(), "{bad}");
    }
    assert_eq!(
        usage_error(&["o/r", "--min-age", "7x"], &[]),
        "--min-age `7x` is not an age such as 7d, 36h or 1d12h (units s, m, h, d, w)"
    );
    assert_eq!(
        usage_error(&["o/r", "--min-age", "4000d"], &[]),
        "--min-age `4000d` is too long: at most 3650d"
    );
    assert_eq!(
        usage_error(&["https://example.com/t.tar.gz", "--min-age", "7d"], &[]),
        "--min-age applies only to a repository target (owner/repo)"
    );
    assert!(usage_error(&["o/r", "--source", "--min-age", "7d"], &[])
        .starts_with("--min-age picks among releases"));
    let p = plan(&["o/r"], &[("JINGYU_MIN_AGE", "36h")]);
    assert_eq!(p.min_age, Some((36 * 3600, "36h".to_owned())));
    let cut = p.cutoff().unwrap();
    assert_eq!(cut.now - cut.not_after, 36 * 3600);
}
