//! Container images and root file systems as scan targets, end to end: images built here with
//! the `tar` crate, and the real-shaped image of `shared/tools/make-test-image.py` when present.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::formats::validator;
use crate::support::trusca;

const OS_RELEASE: &[u8] = b"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n";
const INSTALLED: &[u8] = b"P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\n\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\nL:Apache-2.0\no:openssl\n\n";
const LOCK: &[u8] = br#"{"name":"app","version":"1.0.0","lockfileVersion":3,"packages":{"":{"name":"app","version":"1.0.0","dependencies":{"left-pad":"1.3.0"}},"node_modules/left-pad":{"version":"1.3.0","license":"WTFPL"}}}"#;

fn layer(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, path, *data).expect("append");
    }
    b.into_inner().expect("tar")
}

/// A `docker save` archive of an Alpine base layer and an app layer (no digests checked: the
/// archive names none but the configuration's diff ids, which are left out here).
fn alpine_image(dir: &Path, missing_layer: bool) -> PathBuf {
    let layers = [
        layer(&[
            ("etc/os-release", OS_RELEASE),
            ("lib/apk/db/installed", INSTALLED),
        ]),
        layer(&[("app/package-lock.json", LOCK)]),
    ];
    let config = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"ADD alpine"},{"created_by":"COPY app /app"}]}"#;
    let manifest = br#"[{"Config":"config.json","RepoTags":["registry.example/team/app:1.0"],"Layers":["base/layer.tar","app/layer.tar"]}]"#;
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data).expect("append");
    };
    add("config.json", config);
    if !missing_layer {
        add("base/layer.tar", &layers[0]);
    }
    add("app/layer.tar", &layers[1]);
    add("manifest.json", manifest);
    let path = dir.join("app.tar");
    std::fs::write(&path, b.into_inner().expect("tar")).expect("write");
    path
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_docker_archive_gives_os_and_language_packages_with_their_layers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let image = alpine_image(dir.path(), false);
    let out = trusca()
        .args(["scan", image.to_str().expect("utf8"), "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["target"]["kind"], "image");
    assert_eq!(v["target"]["image"]["name"], "registry.example/team/app");
    assert_eq!(v["target"]["image"]["tag"], "1.0");
    assert_eq!(v["target"]["distro"]["id"], "alpine");
    let packages = v["packages"].as_array().expect("packages");
    let purls: Vec<&str> = packages.iter().filter_map(|p| p["purl"].as_str()).collect();
    assert!(
        purls.contains(&"pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=3.19.1"),
        "{purls:?}"
    );
    assert!(purls.contains(&"pkg:npm/left-pad@1.3.0"), "{purls:?}");
    let crypto = packages
        .iter()
        .find(|p| p["name"] == "libcrypto3")
        .expect("libcrypto3");
    assert_eq!(crypto["os"]["source_name"], "openssl");
    assert_eq!(crypto["license"]["concluded"], "Apache-2.0");
    assert_eq!(crypto["layer"]["index"], 0);
    let pad = packages
        .iter()
        .find(|p| p["name"] == "left-pad")
        .expect("left-pad");
    assert_eq!(pad["layer"]["created_by"], "COPY app /app");
}

#[test]
fn an_image_sbom_describes_a_container() {
    let dir = tempfile::tempdir().expect("tempdir");
    let image = alpine_image(dir.path(), false);
    let path = image.to_str().expect("utf8");
    let out = trusca()
        .args(["sbom", path, "--format", "cyclonedx"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bom = json(&out);
    assert!(validator("fixtures/schemas/bom-1.6.schema.json").is_valid(&bom));
    let root = &bom["metadata"]["component"];
    assert_eq!(root["type"], "container");
    assert_eq!(root["name"], "registry.example/team/app");
    assert_eq!(root["version"], "1.0");
    let components = bom["components"].as_array().expect("components");
    let crypto = components
        .iter()
        .find(|c| c["name"] == "libcrypto3")
        .expect("libcrypto3");
    let props = crypto["properties"].as_array().expect("properties");
    assert!(props
        .iter()
        .any(|p| p["name"] == "trusca:source-package" && p["value"] == "openssl"));
    assert!(props
        .iter()
        .any(|p| p["name"] == "trusca:layer-created-by" && p["value"] == "ADD alpine"));

    let out = trusca()
        .args(["sbom", path, "--format", "spdx"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spdx = json(&out);
    assert!(validator("fixtures/schemas/spdx-2.3.schema.json").is_valid(&spdx));
    let described = spdx["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["SPDXID"] == "SPDXRef-Project")
        .expect("root")
        .clone();
    assert_eq!(described["primaryPackagePurpose"], "CONTAINER");
    assert_eq!(described["name"], "registry.example/team/app");
}

#[test]
fn an_image_missing_a_layer_is_scanned_from_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let image = alpine_image(dir.path(), true);
    let out = trusca()
        .args(["scan", image.to_str().expect("utf8"), "--format", "json"])
        .output()
        .expect("runs");
    let v = json(&out);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diags.iter().any(|d| d["code"] == "image-layer"
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("layer 1") && m.contains("base/layer.tar"))),
        "{diags:?}"
    );
    assert!(v["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .any(|p| p["name"] == "left-pad"));
}

#[test]
fn an_image_whose_manifest_cannot_be_read_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.tar");
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    let manifest = br#"[{"Config":"nowhere.json","Layers":["l.tar"]}]"#;
    h.set_size(manifest.len() as u64);
    b.append_data(&mut h, "manifest.json", &manifest[..])
        .expect("append");
    std::fs::write(&path, b.into_inner().expect("tar")).expect("write");
    let out = trusca()
        .args(["scan", path.to_str().expect("utf8")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nowhere.json"), "{stderr}");
}

/// The image `shared/tools/make-test-image.py` builds from the machine's Debian package
/// database: every package of its `expected.json`, the one removed in layer 2 absent.
#[test]
fn the_shared_test_image_gives_exactly_the_expected_packages() {
    let tool = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/make-test-image.py");
    if !tool.is_file() || !Path::new("/var/lib/dpkg/status").is_file() {
        println!("skipped: shared/tools/make-test-image.py or a dpkg database not found");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let built = std::process::Command::new("python3")
        .arg(&tool)
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("expected.json")).expect("expected"))
            .expect("json");
    let mut want: Vec<(String, String, String)> = expected["dpkg"]
        .as_array()
        .expect("dpkg")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                p["version"].as_str().unwrap_or_default().to_owned(),
                p["source"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    want.sort();
    for target in ["image.docker.tar", "image.oci", "image.oci.tar", "rootfs"] {
        let path = dir.path().join(target);
        let out = trusca()
            .args(["scan", path.to_str().expect("utf8"), "--format", "json"])
            .output()
            .expect("runs");
        let v = json(&out);
        let packages = v["packages"].as_array().expect("packages");
        let mut got: Vec<(String, String, String)> = packages
            .iter()
            .filter(|p| p["ecosystem"] == "deb")
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or_default().to_owned(),
                    p["version"].as_str().unwrap_or_default().to_owned(),
                    p["os"]["source_name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, want, "{target}");
        let removed = expected["removed"].as_str().expect("removed");
        assert!(!got.iter().any(|(n, _, _)| n == removed), "{target}");
        assert!(
            packages.iter().filter(|p| p["ecosystem"] == "npm").count() > 100,
            "{target}"
        );
    }
}
