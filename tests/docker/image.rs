//! The jingyu image itself: exactly one static binary, its entrypoint and
//! OCI labels, and it runs in an otherwise empty container.

use std::fs;

use crate::engine::engine;
use crate::scratch;

#[test]
fn the_image_holds_only_the_binary_with_entrypoint_and_labels() {
    let Some(engine) = engine() else { return };
    let image = engine.jingyu();
    let saved = engine.save(image, &scratch("image"));
    let files: Vec<&String> = saved.files.keys().collect();
    assert_eq!(files, ["usr/local/bin/jingyu"], "nothing but the binary");
    let binary = fs::read(engine.root.join(&engine.binary)).unwrap();
    assert_eq!(
        saved.files["usr/local/bin/jingyu"],
        binary,
        "the static binary, byte for byte ({} bytes)",
        binary.len()
    );
    let config = &saved.config["config"];
    assert_eq!(
        config["Entrypoint"],
        serde_json::json!(["/usr/local/bin/jingyu"])
    );
    let labels = &config["Labels"];
    for (key, want) in [
        ("title", "jingyu"),
        ("licenses", "MIT OR Apache-2.0"),
        ("version", "test"),
        ("revision", "abc123"),
    ] {
        assert_eq!(
            labels[format!("org.opencontainers.image.{key}")],
            want,
            "{key}"
        );
    }
    for key in ["description", "source"] {
        assert!(
            labels[format!("org.opencontainers.image.{key}")].is_string(),
            "{key}"
        );
    }
    assert_eq!(saved.config["os"], "linux");
}

#[test]
fn the_image_runs_with_nothing_else_in_it() {
    let Some(engine) = engine() else { return };
    let out = engine.docker(&[
        "run",
        "--rm",
        "--network",
        "none",
        engine.jingyu(),
        "--version",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        crate::archives::static_version_line()
    );
}
