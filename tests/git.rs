//! Scanning a git URL: a bare repository served over `file://`, with `--ref`.

use std::path::Path;

use git2::{Repository, Signature};

use crate::support::{fixture, trusca};

fn commit_all(repo: &Repository, msg: &str) -> git2::Oid {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let sig = Signature::now("t", "t@example.com").expect("sig");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<_> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
        .expect("commit")
}

/// A bare repository whose tag `v1` has one lockfile and whose default branch has two.
fn bare_repo(dir: &Path) -> (String, git2::Oid, git2::Oid) {
    let work = dir.join("work");
    let repo = Repository::init(&work).expect("init");
    std::fs::copy(
        fixture("scan/mixed/app/Cargo.lock"),
        work.join("Cargo.lock"),
    )
    .expect("copy");
    let first = commit_all(&repo, "one");
    repo.tag_lightweight("v1", &repo.find_object(first, None).expect("obj"), false)
        .expect("tag");
    std::fs::create_dir_all(work.join("sub")).expect("mkdir");
    std::fs::copy(
        fixture("scan/mixed/Cargo.lock"),
        work.join("sub/Cargo.lock"),
    )
    .expect("copy");
    let second = commit_all(&repo, "two");
    let bare_path = dir.join("bare.git");
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(&format!("file://{}", work.display()), &bare_path)
        .expect("bare clone");
    (format!("file://{}", bare_path.display()), first, second)
}

fn scan_json(args: &[&str]) -> serde_json::Value {
    let out = trusca().args(args).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn scans_a_git_url_at_head_and_at_a_ref() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (url, first, second) = bare_repo(tmp.path());

    let v = scan_json(&["scan", &url, "-f", "json"]);
    assert_eq!(v["target"]["kind"], "git");
    assert_eq!(v["target"]["name"], "bare");
    assert_eq!(v["target"]["commit"], second.to_string());
    assert_eq!(v["files"].as_array().expect("files").len(), 2);

    let v = scan_json(&["scan", &url, "--ref", "v1", "-f", "json"]);
    assert_eq!(v["target"]["commit"], first.to_string());
    assert_eq!(v["target"]["reference"], "v1");
    assert_eq!(v["files"].as_array().expect("files").len(), 1);
}

#[test]
fn unknown_ref_and_bad_url_exit_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (url, _, _) = bare_repo(tmp.path());
    trusca()
        .args(["scan", &url, "--ref", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no branch or tag named `nope`"));
    trusca()
        .args(["scan", "file:///definitely/not/there.git"])
        .assert()
        .code(2);
}

#[test]
fn local_checkout_records_its_commit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = Repository::init(tmp.path()).expect("init");
    std::fs::copy(
        fixture("scan/mixed/app/Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .expect("copy");
    let id = commit_all(&repo, "one");
    let v = scan_json(&["scan", tmp.path().to_str().expect("utf8"), "-f", "json"]);
    assert_eq!(v["target"]["commit"], id.to_string());
}
