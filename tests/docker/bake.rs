//! docker-bake.hcl without buildx: parsed with hcl-rs, evaluated the way bake
//! does (variable defaults, `split`, `inherits`, `matrix` with `name`
//! templates), checked, and each tool-image target turned into the equivalent
//! `docker build` and built against the fake GitHub.

use std::collections::BTreeMap;
use std::fs;

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::{Block, Body, Value};
use jingyu_fake::FakeGitHub;

use crate::engine::{engine, entries};
use crate::{scratch, tools};

/// A target after inheritance and matrix expansion.
#[derive(Clone, Debug, Default)]
struct Target {
    name: String,
    attrs: BTreeMap<String, Value>,
}

impl Target {
    fn str(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(Value::as_str)
    }

    fn list(&self, key: &str) -> Vec<String> {
        self.attrs
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A map attribute (`args`, `contexts`, `labels`); null values are omitted, as bake does.
    fn map(&self, key: &str) -> BTreeMap<String, String> {
        let Some(obj) = self.attrs.get(key).and_then(Value::as_object) else {
            return BTreeMap::new();
        };
        obj.iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
            .collect()
    }
}

struct Bake {
    body: Body,
    vars: BTreeMap<String, Value>,
}

/// bake's `split(separator, string)`; the signature is hcl-rs's `Func`.
#[allow(clippy::needless_pass_by_value, clippy::unnecessary_wraps)]
fn split(args: FuncArgs) -> Result<Value, String> {
    let (sep, s) = (
        args[0].as_str().unwrap_or(""),
        args[1].as_str().unwrap_or(""),
    );
    Ok(Value::Array(
        s.split(sep).map(|p| Value::from(p.to_owned())).collect(),
    ))
}

impl Bake {
    fn load() -> Bake {
        let text =
            fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docker-bake.hcl")).unwrap();
        let body = hcl::parse(&text).expect("docker-bake.hcl parses");
        let mut bake = Bake {
            body,
            vars: BTreeMap::new(),
        };
        let ctx = bake.context(&BTreeMap::new());
        let vars: Vec<(String, Value)> = bake
            .blocks("variable")
            .map(|b| {
                let default = b
                    .body()
                    .attributes()
                    .find(|a| a.key() == "default")
                    .map(|a| a.expr().evaluate(&ctx).expect("a variable default"));
                (
                    b.labels()[0].as_str().to_owned(),
                    default.unwrap_or(Value::Null),
                )
            })
            .collect();
        bake.vars = vars.into_iter().collect();
        bake
    }

    fn context(&self, extra: &BTreeMap<String, Value>) -> Context<'static> {
        let mut ctx = Context::new();
        ctx.declare_func(
            "split",
            FuncDef::builder()
                .param(ParamType::String)
                .param(ParamType::String)
                .build(split),
        );
        for (k, v) in self.vars.iter().chain(extra) {
            ctx.declare_var(k.as_str(), v.clone());
        }
        ctx
    }

    fn blocks<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a Block> + 'a {
        let kind = kind.to_owned();
        self.body.blocks().filter(move |b| b.identifier() == kind)
    }

    fn block(&self, kind: &str, name: &str) -> Option<&Block> {
        self.blocks(kind)
            .find(|b| b.labels().first().map(hcl::BlockLabel::as_str) == Some(name))
    }

    fn group(&self, name: &str) -> Vec<String> {
        let block = self
            .block("group", name)
            .unwrap_or_else(|| panic!("group {name}"));
        let t = Target {
            name: name.into(),
            attrs: self.evaluate(block, &BTreeMap::new()),
        };
        t.list("targets")
    }

    fn evaluate(&self, block: &Block, extra: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
        let ctx = self.context(extra);
        block
            .body()
            .attributes()
            .filter(|a| a.key() != "matrix")
            .map(|a| {
                (
                    a.key().to_owned(),
                    a.expr()
                        .evaluate(&ctx)
                        .unwrap_or_else(|e| panic!("{}: {e}", a.key())),
                )
            })
            .collect()
    }

    /// Every target `name` stands for (a matrix gives several), inherited attributes merged.
    fn resolve(&self, name: &str) -> Vec<Target> {
        let block = self
            .block("target", name)
            .unwrap_or_else(|| panic!("no target {name}"));
        let combos = self.matrix(block);
        combos
            .iter()
            .map(|vars| {
                let mut attrs = BTreeMap::new();
                let own = self.evaluate(block, vars);
                let parents = own
                    .get("inherits")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for parent in parents.iter().filter_map(Value::as_str) {
                    merge(&mut attrs, &self.resolve(parent)[0].attrs);
                }
                merge(&mut attrs, &own);
                let name = own
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(name)
                    .to_owned();
                Target { name, attrs }
            })
            .collect()
    }

    /// The variable bindings of a matrix (one empty binding when there is none).
    fn matrix(&self, block: &Block) -> Vec<BTreeMap<String, Value>> {
        let Some(attr) = block.body().attributes().find(|a| a.key() == "matrix") else {
            return vec![BTreeMap::new()];
        };
        let value = attr
            .expr()
            .evaluate(&self.context(&BTreeMap::new()))
            .expect("matrix");
        let mut combos = vec![BTreeMap::new()];
        for (var, values) in value.as_object().expect("matrix is an object") {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    values
                        .as_array()
                        .expect("matrix values are a list")
                        .iter()
                        .map(move |v| {
                            let mut c = c.clone();
                            c.insert(var.clone(), v.clone());
                            c
                        })
                })
                .collect();
        }
        combos
    }
}

/// Child attributes win; maps (args, labels, contexts) merge key by key.
fn merge(into: &mut BTreeMap<String, Value>, from: &BTreeMap<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Value::Object(old)), Value::Object(new)) => old.extend(new.clone()),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}

#[test]
fn the_bake_file_resolves_and_has_what_the_release_needs() {
    let bake = Bake::load();
    for group in ["default", "images", "release", "validate"] {
        for target in bake.group(group) {
            assert!(!bake.resolve(&target).is_empty(), "{group} → {target}");
        }
    }
    assert_eq!(bake.group("default"), ["image"]);
    let image = &bake.resolve("image")[0];
    assert_eq!(
        (image.str("target"), image.list("tags")),
        (Some("image"), vec!["jingyu:dev".to_owned()])
    );
    assert!(
        !image.map("args").contains_key("RUST_VERSION"),
        "null versions leave the Dockerfile's ARG defaults in force"
    );
    let cross = &bake.resolve("image-cross")[0];
    let platforms = cross.list("platforms");
    for p in [
        "linux/amd64",
        "linux/arm64",
        "linux/arm/v7",
        "linux/386",
        "linux/riscv64",
        "linux/ppc64le",
        "linux/s390x",
    ] {
        assert!(
            platforms.iter().any(|x| x == p),
            "image-cross lacks {p}: {platforms:?}"
        );
    }
    assert_eq!(cross.str("target"), Some("image"), "inherited from image");
    assert_eq!(
        bake.resolve("binary")[0].list("output"),
        ["type=local,dest=./bin"]
    );
    for check in ["test", "lint"] {
        assert_eq!(bake.resolve(check)[0].list("output"), ["type=cacheonly"]);
    }
    let prebuilt = &bake.resolve("prebuilt-cross")[0];
    assert_eq!(prebuilt.str("target"), Some("prebuilt-cross"));
    assert_eq!(
        prebuilt.list("platforms"),
        platforms,
        "every platform binary-cross builds"
    );
    assert_eq!(
        prebuilt.map("args").get("BINARIES").map(String::as_str),
        Some("./bin/cross"),
        "where binary-cross exports"
    );
    assert_eq!(
        prebuilt.list("tags"),
        ["jingyu:dev"],
        "meta-helper's default"
    );
    let tools = bake.resolve("image-tool");
    assert!(tools.len() >= 10, "{} tool images", tools.len());
    for t in &tools {
        assert!(t.name.starts_with("image-"), "{}", t.name);
        assert_eq!(t.str("dockerfile"), Some("images/Dockerfile"));
        assert_eq!(
            t.map("contexts").get("jingyu").map(String::as_str),
            Some("target:image"),
            "{}",
            t.name
        );
        let args = t.map("args");
        assert!(
            args["JINGYU_TARGET"].contains('/') && !args["JINGYU_TAG"].is_empty(),
            "{}: {args:?}",
            t.name
        );
        let tool_platforms = t.list("platforms");
        assert!(
            tool_platforms.iter().all(|p| platforms.contains(p))
                && tool_platforms.contains(&"linux/amd64".to_owned()),
            "{}: {tool_platforms:?}",
            t.name
        );
    }
}

#[test]
fn every_tool_image_builds_against_the_fake_and_runs() {
    let Some(engine) = engine() else { return };
    engine.jingyu(); // also tagged `jingyu`: what contexts = { jingyu = "target:image" } provides
    let bin = fs::read(engine.root.join(&engine.binary)).unwrap();
    let gh = FakeGitHub::start();
    let bake = Bake::load();
    for t in bake.resolve("image-tool") {
        let args = t.map("args");
        let file = args["JINGYU_FILE"].clone();
        tools::register(
            &gh,
            t.name.trim_start_matches("image-"),
            &args["JINGYU_TARGET"],
            &args["JINGYU_TAG"],
            &file,
            &bin,
        );
        let dir = scratch(&t.name);
        let out = dir.join("image.tar");
        let mut cmd: Vec<String> = vec![
            "--network=host".into(),
            "-f".into(),
            format!("{}/{}", engine.root.display(), t.str("dockerfile").unwrap()),
        ];
        for (k, v) in args
            .iter()
            .chain([(&"GITHUB_API_URL".to_owned(), &gh.api_url())])
        {
            cmd.extend(["--build-arg".into(), format!("{k}={v}")]);
        }
        let context = engine.root.join("images").display().to_string();
        let image: Vec<String> = [
            cmd.clone(),
            vec![
                "--target".into(),
                t.str("target").unwrap().into(),
                "-o".into(),
                format!("type=tar,dest={}", out.display()),
                context.clone(),
            ],
        ]
        .concat();
        let refs: Vec<&str> = image.iter().map(String::as_str).collect();
        engine.build(&refs);
        let files = entries(&fs::read(&out).unwrap());
        let want = format!("usr/local/bin/{file}");
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            [&want],
            "{}: the tool alone",
            t.name
        );
        assert_eq!(files[&want], bin, "{}", t.name);
        // --no-cache: every fake tool is the same binary, and a cached step would not run.
        let test: Vec<String> = [
            cmd,
            vec![
                "--no-cache".into(),
                "--target".into(),
                "test".into(),
                context,
            ],
        ]
        .concat();
        let refs: Vec<&str> = test.iter().map(String::as_str).collect();
        let log = engine.build(&refs);
        assert!(
            log.contains(&format!("jingyu {}", env!("CARGO_PKG_VERSION"))),
            "{}: `tool --version` ran:\n{log}",
            t.name
        );
    }
}
