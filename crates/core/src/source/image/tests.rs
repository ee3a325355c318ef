//! Images built in the tests with the `tar` crate: the formats, the layer rules and bad input.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::layer::hex;
use super::*;

/// One tar entry of a test layer.
enum E<'a> {
    File(&'a str, &'a [u8]),
    Link(&'a str, &'a str),
    Raw(&'a str, &'a [u8]),
}

fn layer_tar(entries: &[E<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        match e {
            E::File(path, data) => {
                let mut h = tar::Header::new_gnu();
                h.set_size(data.len() as u64);
                h.set_mode(0o644);
                h.set_entry_type(tar::EntryType::Regular);
                b.append_data(&mut h, path, *data).expect("append");
            }
            E::Link(path, target) => {
                let mut h = tar::Header::new_gnu();
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                b.append_link(&mut h, path, target).expect("link");
            }
            E::Raw(path, data) => {
                // Written by hand: the builder refuses `..` and absolute names.
                let mut h = tar::Header::new_old();
                h.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
                h.set_size(data.len() as u64);
                h.set_mode(0o644);
                h.set_entry_type(tar::EntryType::Regular);
                h.set_cksum();
                b.append(&h, *data).expect("append");
            }
        }
    }
    b.into_inner().expect("finish")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("gzip");
    e.finish().expect("gzip")
}

fn sha(data: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(data)))
}

fn config(diff_ids: &[String]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": diff_ids.iter().enumerate().map(|(i, _)| serde_json::json!({"created_by": format!("step {i}")})).collect::<Vec<_>>(),
    }))
    .expect("json")
}

/// A `docker save` archive with plain layers.
fn docker_archive(dir: &Path, layers: &[Vec<u8>]) -> std::path::PathBuf {
    let diff_ids: Vec<String> = layers.iter().map(|l| sha(l)).collect();
    let config = config(&diff_ids);
    let config_name = format!("{}.json", &sha(&config)[7..]);
    let names: Vec<String> = (0..layers.len())
        .map(|i| format!("l{i}/layer.tar"))
        .collect();
    let manifest = serde_json::json!([{"Config": config_name, "RepoTags": ["example/app:1.0"], "Layers": names}]);
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data).expect("append");
    };
    add(&config_name, &config);
    for (name, data) in names.iter().zip(layers) {
        add(name, data);
    }
    add(
        "manifest.json",
        &serde_json::to_vec(&manifest).expect("json"),
    );
    let path = dir.join("image.tar");
    std::fs::write(&path, b.into_inner().expect("tar")).expect("write");
    path
}

/// An OCI layout directory with gzip layers; `tamper` changes a layer's bytes after its digest
/// is taken.
fn oci_layout(dir: &Path, layers: &[Vec<u8>], tamper: bool) -> std::path::PathBuf {
    let root = dir.join("oci");
    let blobs = root.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("mkdir");
    let put = |data: &[u8]| {
        let digest = sha(data);
        std::fs::write(blobs.join(&digest[7..]), data).expect("write");
        digest
    };
    let diff_ids: Vec<String> = layers.iter().map(|l| sha(l)).collect();
    let config = config(&diff_ids);
    let config_digest = put(&config);
    let mut descriptors = Vec::new();
    for l in layers {
        let gz = gzip(l);
        let digest = put(&gz);
        if tamper {
            let mut bad = gz.clone();
            let n = bad.len();
            bad[n / 2] ^= 0xff;
            std::fs::write(blobs.join(&digest[7..]), bad).expect("write");
        }
        descriptors.push(serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": gz.len()}));
    }
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": descriptors,
    }))
    .expect("json");
    let manifest_digest = put(&manifest);
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest, "size": manifest.len(), "annotations": {"org.opencontainers.image.ref.name": "2.0"}}]});
    std::fs::write(
        root.join("index.json"),
        serde_json::to_vec(&index).expect("json"),
    )
    .expect("write");
    std::fs::write(
        root.join("oci-layout"),
        br#"{"imageLayoutVersion":"1.0.0"}"#,
    )
    .expect("write");
    root
}

const STATUS_1: &[u8] = b"Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: gone\nStatus: install ok installed\nVersion: 2\n";
const STATUS_2: &[u8] = b"Package: a\nStatus: install ok installed\nVersion: 1\n";

fn base_layers() -> Vec<Vec<u8>> {
    vec![
        layer_tar(&[
            E::File("usr/lib/os-release", b"ID=debian\nVERSION_ID=12\n"),
            E::Link("etc/os-release", "../usr/lib/os-release"),
            E::File("var/lib/dpkg/status", STATUS_1),
            E::File("usr/share/doc/gone/copyright", b"x"),
            E::File("usr/bin/tool", b"\x7fELF not kept"),
        ]),
        layer_tar(&[
            E::File("var/lib/dpkg/status", STATUS_2),
            E::File("usr/share/doc/.wh.gone", b""),
            E::File("app/package-lock.json", b"{}"),
        ]),
    ]
}

fn load_into(path: &Path, limits: Limits) -> (Result<Loaded, ImageError>, tempfile::TempDir) {
    let out = tempfile::tempdir().expect("tempdir");
    let format = detect(path).expect("an image");
    (load(path, format, limits, out.path()), out)
}

#[test]
fn a_docker_archive_is_flattened_with_whiteouts_and_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = docker_archive(dir.path(), &base_layers());
    assert_eq!(detect(&path), Some(ImageFormat::DockerArchive));
    let (loaded, out) = load_into(&path, Limits::default());
    let loaded = loaded.expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.info.name.as_deref(), Some("example/app"));
    assert_eq!(loaded.info.tag.as_deref(), Some("1.0"));
    assert_eq!(loaded.info.layers.len(), 2);
    assert_eq!(loaded.info.layers[1].created_by.as_deref(), Some("step 1"));
    let read = |rel: &str| std::fs::read_to_string(out.path().join(rel)).ok();
    assert_eq!(
        read("etc/os-release").as_deref(),
        Some("ID=debian\nVERSION_ID=12\n")
    );
    assert_eq!(
        read("var/lib/dpkg/status").as_deref().map(str::as_bytes),
        Some(STATUS_2)
    );
    assert_eq!(read("usr/share/doc/gone/copyright"), None);
    assert_eq!(read("usr/bin/tool"), None);
    assert_eq!(loaded.layer_of.get("app/package-lock.json"), Some(&1));
    assert_eq!(loaded.history.len(), 2);
}

#[test]
fn an_oci_layout_with_gzip_layers_reads_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = oci_layout(dir.path(), &base_layers(), false);
    assert_eq!(detect(&path), Some(ImageFormat::OciLayout));
    let (loaded, out) = load_into(&path, Limits::default());
    let loaded = loaded.expect("loads");
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.info.tag.as_deref(), Some("2.0"));
    assert!(loaded
        .info
        .digest
        .as_deref()
        .is_some_and(|d| d.starts_with("sha256:")));
    assert!(out.path().join("app/package-lock.json").is_file());
}

#[test]
fn an_oci_archive_is_detected_from_its_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let layout = oci_layout(dir.path(), &base_layers(), false);
    let mut b = tar::Builder::new(Vec::new());
    b.append_dir_all(".", &layout).expect("tar");
    let path = dir.path().join("image.oci.tar");
    std::fs::write(&path, b.into_inner().expect("tar")).expect("write");
    assert_eq!(detect(&path), Some(ImageFormat::OciArchive));
    let (loaded, out) = load_into(&path, Limits::default());
    assert!(loaded.expect("loads").diagnostics.is_empty());
    assert!(out.path().join("var/lib/dpkg/status").is_file());
}

#[test]
fn a_layer_whose_digest_does_not_match_is_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = oci_layout(dir.path(), &base_layers(), true);
    let (loaded, _out) = load_into(&path, Limits::default());
    // Every layer was tampered with: nothing could be read.
    assert!(matches!(loaded, Err(ImageError::NoLayer)), "{loaded:?}");
}

#[test]
fn path_traversal_and_absolute_entries_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let evil = layer_tar(&[
        E::Raw("../../escaped-package-lock.json", b"{}"),
        E::Raw("/abs/package-lock.json", b"{}"),
        E::File("ok/package-lock.json", b"{}"),
    ]);
    let path = docker_archive(dir.path(), &[evil]);
    let (loaded, out) = load_into(&path, Limits::default());
    let loaded = loaded.expect("loads");
    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("entry `../../escaped-package-lock.json`"),
        "{messages:?}"
    );
    assert!(messages[0].contains("layer 1"), "{messages:?}");
    assert!(out.path().join("ok/package-lock.json").is_file());
    assert!(!dir.path().join("escaped-package-lock.json").exists());
    assert!(!out
        .path()
        .parent()
        .expect("parent")
        .join("escaped-package-lock.json")
        .exists());
}

#[test]
fn a_truncated_gzip_layer_names_the_layer_and_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut layers = base_layers();
    let big: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    layers.push(layer_tar(&[
        E::File("first.txt", b"x"),
        E::File("big.bin", &big),
    ]));
    let path = oci_layout(dir.path(), &layers, false);
    // Cut the last layer's blob in half.
    let digest = {
        let gz = gzip(&layers[2]);
        sha(&gz)
    };
    let blob = path.join("blobs/sha256").join(&digest[7..]);
    let bytes = std::fs::read(&blob).expect("read");
    std::fs::write(&blob, &bytes[..bytes.len() / 2]).expect("write");
    let (loaded, _out) = load_into(&path, Limits::default());
    let loaded = loaded.expect("the other layers load");
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    let message = &loaded.diagnostics[0].message;
    assert!(message.starts_with("layer 3"), "{message}");
    assert!(message.contains("at or after entry `big.bin`"), "{message}");
    assert!(!loaded.info.layers[2].read);
}

#[test]
fn a_tar_bomb_stops_at_the_byte_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zeros = vec![0u8; 4 << 20];
    let bomb = layer_tar(&[E::File("zeros", &zeros)]);
    let path = oci_layout(dir.path(), &[base_layers().remove(0), bomb], false);
    let limits = Limits {
        max_total_bytes: 1 << 20,
        ..Limits::default()
    };
    let (loaded, _out) = load_into(&path, limits);
    let loaded = loaded.expect("the first layer loads");
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    assert_eq!(loaded.diagnostics[0].code, Code::LimitReached);
    assert!(loaded.diagnostics[0].message.contains("layer 2"));
}

#[test]
fn a_manifest_naming_a_missing_blob_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = oci_layout(dir.path(), &base_layers(), false);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path.join("index.json")).expect("read"))
            .expect("json");
    let manifest = index["manifests"][0]["digest"]
        .as_str()
        .expect("digest")
        .to_owned();
    std::fs::remove_file(path.join("blobs/sha256").join(&manifest[7..])).expect("rm");
    let (loaded, _out) = load_into(&path, Limits::default());
    let err = loaded.expect_err("missing manifest").to_string();
    assert!(err.contains(&manifest[7..]), "{err}");
}

#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let dir = tempfile::tempdir().expect("tempdir");
    let looped = layer_tar(&[
        E::Link("etc/os-release", "../etc/loop"),
        E::Link("etc/loop", "os-release"),
        E::File("app/package-lock.json", b"{}"),
    ]);
    let path = docker_archive(dir.path(), &[looped]);
    let (loaded, _out) = load_into(&path, Limits::default());
    let loaded = loaded.expect("loads");
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    assert!(loaded.diagnostics[0].message.contains("etc/os-release"));
}

#[test]
fn garbage_is_not_an_image() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.tar");
    std::fs::write(&path, b"\x1b[31mnot a tar at all").expect("write");
    assert_eq!(detect(&path), None);
    assert_eq!(detect(dir.path()), None);
    let bad = dir.path().join("bad.tar");
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(3);
    b.append_data(&mut h, "manifest.json", &b"[{]"[..])
        .expect("append");
    std::fs::write(&bad, b.into_inner().expect("tar")).expect("write");
    let (loaded, _out) = load_into(&bad, Limits::default());
    assert!(
        matches!(loaded, Err(ImageError::Invalid { .. })),
        "{loaded:?}"
    );
}
