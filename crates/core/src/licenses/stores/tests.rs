use std::path::{Path, PathBuf};

use super::*;
use crate::model::{Location, PackageSource};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/licenses/stores")
        .join(rel)
}

fn store(kind: StoreKind, rel: &str) -> Store {
    Store::new(kind, fixture(rel)).expect("fixture store")
}

fn pkg(ecosystem: Ecosystem, name: &str, version: &str) -> Package {
    Package::new(
        ecosystem,
        name,
        Some(version),
        Location {
            file: "lock".into(),
            line: None,
        },
    )
}

/// The entry of one package in one store, with no diagnostics.
fn entry(store: &Store, package: &Package) -> Option<Entry> {
    let (entry, diagnostics) = lookup(std::slice::from_ref(store), package);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    entry
}

fn declared(entry: &Entry) -> (Option<&str>, Option<&str>) {
    (
        entry.declared.as_ref().map(|d| d.expression.as_str()),
        entry.declared_in.as_deref(),
    )
}

fn evidence(entry: &Entry) -> Vec<&str> {
    entry
        .license_files
        .iter()
        .map(|(_, e)| e.as_str())
        .collect()
}

#[test]
fn cargo_registry_entries_give_the_manifest_license_and_files() {
    let cargo = store(StoreKind::Cargo, "cargo");
    let memchr = entry(&cargo, &pkg(Ecosystem::Cargo, "memchr", "2.8.3")).expect("memchr");
    assert_eq!(
        declared(&memchr),
        (
            Some("Unlicense OR MIT"),
            Some("cargo-registry:memchr-2.8.3/Cargo.toml")
        )
    );
    assert_eq!(
        evidence(&memchr),
        [
            "cargo-registry:memchr-2.8.3/COPYING",
            "cargo-registry:memchr-2.8.3/LICENSE-MIT",
            "cargo-registry:memchr-2.8.3/UNLICENSE",
        ]
    );
    let ident = entry(&cargo, &pkg(Ecosystem::Cargo, "unicode-ident", "1.0.24")).expect("ident");
    assert_eq!(
        declared(&ident).0,
        Some("(MIT OR Apache-2.0) AND Unicode-3.0")
    );
    // Not fetched, another version, no version: not in the store.
    assert_eq!(
        entry(&cargo, &pkg(Ecosystem::Cargo, "serde", "1.0.0")),
        None
    );
    assert_eq!(
        entry(&cargo, &pkg(Ecosystem::Cargo, "memchr", "2.8.2")),
        None
    );
    let mut unpinned = pkg(Ecosystem::Cargo, "memchr", "2.8.3");
    unpinned.version = None;
    assert_eq!(entry(&cargo, &unpinned), None);
    // Another ecosystem's package is never looked up in the cargo home.
    assert_eq!(entry(&cargo, &pkg(Ecosystem::Npm, "memchr", "2.8.3")), None);
}

#[test]
fn cargo_git_checkouts_resolve_the_member_and_its_workspace_license() {
    let cargo = store(StoreKind::Cargo, "cargo");
    let mut core = pkg(Ecosystem::Cargo, "widget-core", "0.4.0");
    core.source = Some(PackageSource::Git {
        url: "https://git.example/acme/widgets.git".into(),
        commit: Some("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678".into()),
    });
    let found = entry(&cargo, &core).expect("checkout");
    assert_eq!(
        declared(&found),
        (
            Some("MPL-2.0"),
            Some("cargo-git:widgets-5f0c1a2b3c4d5e6f/a1b2c3d/crates/widget-core/Cargo.toml")
        )
    );
    assert_eq!(
        evidence(&found),
        ["cargo-git:widgets-5f0c1a2b3c4d5e6f/a1b2c3d/crates/widget-core/LICENSE"]
    );
    // Another commit is another checkout, not there.
    core.source = Some(PackageSource::Git {
        url: "https://git.example/acme/widgets.git".into(),
        commit: Some("ffffffffffffffffffffffffffffffffffffffff".into()),
    });
    assert_eq!(entry(&cargo, &core), None);
}

#[test]
fn go_module_cache_paths_are_case_escaped() {
    let go = store(StoreKind::Go, "go");
    let toml = entry(
        &go,
        &pkg(Ecosystem::Go, "github.com/BurntSushi/toml", "v1.2.0"),
    )
    .expect("module");
    assert_eq!(declared(&toml), (None, None));
    assert_eq!(
        evidence(&toml),
        ["go-mod:github.com/!burnt!sushi/toml@v1.2.0/COPYING"]
    );
    // Spelled in lower case it is another module, not in the cache.
    assert_eq!(
        entry(
            &go,
            &pkg(Ecosystem::Go, "github.com/burntsushi/toml", "v1.2.0")
        ),
        None
    );
}

#[test]
fn virtual_environments_give_core_metadata_and_license_files() {
    let env = store(StoreKind::Python, "python-env");
    let attrs = entry(&env, &pkg(Ecosystem::PyPI, "attrs", "24.2.0")).expect("attrs");
    assert_eq!(
        declared(&attrs),
        (
            Some("MIT"),
            Some("python-env:lib/python3.11/site-packages/attrs-24.2.0.dist-info/METADATA")
        )
    );
    assert_eq!(
        evidence(&attrs),
        ["python-env:lib/python3.11/site-packages/attrs-24.2.0.dist-info/licenses/LICENSE"]
    );
    // Names compare as PEP 503 normalises them.
    let six = entry(&env, &pkg(Ecosystem::PyPI, "Six", "1.16.0")).expect("six");
    assert_eq!(declared(&six).0, Some("MIT"));
    assert_eq!(evidence(&six).len(), 1);
    let idna = entry(&env, &pkg(Ecosystem::PyPI, "idna", "3.10")).expect("idna");
    assert_eq!(
        evidence(&idna),
        ["python-env:lib/python3.11/site-packages/idna-3.10.dist-info/LICENSE.md"]
    );
    assert_eq!(entry(&env, &pkg(Ecosystem::PyPI, "attrs", "23.1.0")), None);
}

#[test]
fn maven_poms_inherit_licenses_from_parents_in_the_same_repository() {
    let maven = store(StoreKind::Maven, "maven");
    let own = entry(
        &maven,
        &pkg(
            Ecosystem::Maven,
            "com.google.errorprone:error_prone_annotations",
            "2.18.0",
        ),
    )
    .expect("pom");
    assert_eq!(declared(&own).0, Some("Apache-2.0"));
    let inherited = entry(
        &maven,
        &pkg(
            Ecosystem::Maven,
            "com.google.errorprone:error_prone_type_annotations",
            "2.18.0",
        ),
    )
    .expect("pom");
    assert_eq!(
        declared(&inherited),
        (
            Some("Apache-2.0"),
            Some("maven-repo:com/google/errorprone/error_prone_parent/debian/error_prone_parent-debian.pom")
        )
    );
    // Found, but no POM up the chain names a license (Debian removes them): known to be
    // unknown, rather than looked up elsewhere.
    let lang = entry(
        &maven,
        &pkg(
            Ecosystem::Maven,
            "org.apache.commons:commons-lang3",
            "3.12.0",
        ),
    )
    .expect("pom");
    assert_eq!(declared(&lang), (None, None));
    assert_eq!(
        entry(&maven, &pkg(Ecosystem::Maven, "org.example:absent", "1.0")),
        None
    );
    // Not `group:artifact`.
    assert_eq!(
        entry(&maven, &pkg(Ecosystem::Maven, "commons-lang3", "3.12.0")),
        None
    );
}

#[test]
fn the_gradle_cache_is_read_like_a_maven_repository() {
    let gradle = store(StoreKind::Gradle, "gradle");
    let found = entry(
        &gradle,
        &pkg(
            Ecosystem::Maven,
            "com.google.errorprone:error_prone_type_annotations",
            "2.18.0",
        ),
    )
    .expect("pom");
    assert_eq!(
        declared(&found),
        (
            Some("Apache-2.0"),
            Some("gradle-cache:com.google.errorprone/error_prone_parent/debian/d5b52635f652073ac05d52c44b9c00d38663f2db/error_prone_parent-debian.pom")
        )
    );
}

#[test]
fn nuspecs_give_expressions_license_urls_and_license_files() {
    let nuget = store(StoreKind::NuGet, "nuget");
    let widgets = entry(&nuget, &pkg(Ecosystem::NuGet, "Acme.Widgets", "2.1.0")).expect("nuspec");
    assert_eq!(
        declared(&widgets),
        (
            Some("MIT OR Apache-2.0"),
            Some("nuget:acme.widgets/2.1.0/acme.widgets.nuspec")
        )
    );
    let legacy = entry(&nuget, &pkg(Ecosystem::NuGet, "Acme.Legacy", "1.0.0")).expect("nuspec");
    assert_eq!(declared(&legacy).0, Some("Apache-2.0"));
    let eula = entry(&nuget, &pkg(Ecosystem::NuGet, "Acme.Eula", "3.0.0")).expect("nuspec");
    assert_eq!(declared(&eula), (None, None));
    assert_eq!(evidence(&eula), ["nuget:acme.eula/3.0.0/docs/terms.txt"]);
}

#[test]
fn gem_homes_give_the_specification_license() {
    let gems = store(StoreKind::Gem, "gem");
    let rack = entry(&gems, &pkg(Ecosystem::RubyGems, "rack", "2.2.22")).expect("gemspec");
    assert_eq!(
        declared(&rack),
        (Some("MIT"), Some("gem:specifications/rack-2.2.22.gemspec"))
    );
}

#[test]
fn the_pub_cache_gives_license_files() {
    let pub_cache = store(StoreKind::Pub, "pub");
    let path = entry(&pub_cache, &pkg(Ecosystem::Pub, "path", "1.9.0")).expect("package");
    assert_eq!(
        evidence(&path),
        ["pub-cache:hosted/pub.registry.example/path-1.9.0/LICENSE"]
    );
}

#[test]
fn stores_in_the_tree_sit_beside_their_dependency_files() {
    let root = fixture("project");
    let stores = in_tree(
        &root,
        &[
            "Package.resolved",
            "ios/Podfile.lock",
            "mix.lock",
            "other/Cargo.lock",
        ],
    );
    let kinds: Vec<StoreKind> = stores.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StoreKind::SwiftCheckouts,
            StoreKind::Pods,
            StoreKind::HexDeps
        ]
    );
    let look = |p: Package| {
        let (entry, diagnostics) = lookup(&stores, &p);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        entry.unwrap_or_else(|| panic!("{} in the tree", p.name))
    };
    let plug = look(pkg(Ecosystem::Hex, "plug", "1.11.1"));
    assert!(plug.in_tree);
    assert_eq!(
        declared(&plug),
        (Some("Apache-2.0"), Some("deps/plug/hex_metadata.config"))
    );
    assert_eq!(evidence(&plug), ["deps/plug/LICENSE"]);
    let crypto = look(pkg(Ecosystem::Hex, "plug_crypto", "1.2.2"));
    assert_eq!(declared(&crypto).0, Some("Apache-2.0"));
    let pod = look(pkg(Ecosystem::CocoaPods, "PINCache/Core", "3.0.3"));
    assert_eq!(evidence(&pod), ["ios/Pods/PINCache/LICENSE.txt"]);
    let swift = look(pkg(
        Ecosystem::SwiftUrl,
        "github.com/apple/swift-algorithms",
        "1.0.0",
    ));
    assert_eq!(
        evidence(&swift),
        [".build/checkouts/swift-algorithms/LICENSE.txt"]
    );
}

#[test]
fn stores_are_found_from_the_environment_and_given_ones_replace_them() {
    let home = tempfile::tempdir().expect("tempdir");
    for dir in [".cargo", ".m2/repository", "go/pkg/mod", ".gem/ruby/3.1.0"] {
        std::fs::create_dir_all(home.path().join(dir)).expect("mkdir");
    }
    let vars = [
        ("HOME", home.path().to_string_lossy().into_owned()),
        (
            "VIRTUAL_ENV",
            fixture("python-env").to_string_lossy().into_owned(),
        ),
        ("NUGET_PACKAGES", "".to_owned()),
    ];
    let env = StoreEnv::from_lookup(|k| {
        vars.iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v.clone())
    });
    let search = Search {
        env: env.clone(),
        given: Vec::new(),
    };
    let found = search.discover().expect("stores");
    let kinds: Vec<StoreKind> = found.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StoreKind::Cargo,
            StoreKind::Go,
            StoreKind::Python,
            StoreKind::Maven,
            StoreKind::Gem
        ]
    );
    // `--package-store cargo=DIR` replaces the cargo home found.
    let given = Search {
        env: env.clone(),
        given: vec![parse_given(&format!("cargo={}", fixture("cargo").display())).expect("kind")],
    };
    let stores = given.discover().expect("stores");
    let cargo: Vec<&Store> = stores
        .iter()
        .filter(|s| s.kind == StoreKind::Cargo)
        .collect();
    assert_eq!(cargo.len(), 1);
    assert_eq!(cargo[0].root, fixture("cargo"));
    // A given store that is not a directory is an error; a found one is only left out.
    let missing = Search {
        env,
        given: vec![(StoreKind::Go, home.path().join("no-such-dir"))],
    };
    let err = missing.discover().expect_err("not a directory");
    assert!(err.to_string().starts_with("package store `go="), "{err}");
}

#[test]
fn package_store_arguments_are_kind_equals_dir() {
    assert_eq!(
        parse_given("nuget=/opt/nuget"),
        Ok((StoreKind::NuGet, PathBuf::from("/opt/nuget")))
    );
    assert_eq!(
        parse_given("hex-deps=a=b"),
        Ok((StoreKind::HexDeps, PathBuf::from("a=b")))
    );
    assert!(parse_given("cargo").is_err());
    assert!(parse_given("cargo=").is_err());
    let err = parse_given("npm=/x").expect_err("unknown kind");
    assert!(err.contains("known: cargo, go"), "{err}");
}

/// A cargo home in a temporary directory holding one crate whose files the test writes.
fn cargo_home_with(name: &str, files: &[(&str, &[u8])]) -> (tempfile::TempDir, Store) {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home
        .path()
        .join("registry/src/index.registry.example-0000000000000000")
        .join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (file, content) in files {
        std::fs::write(dir.join(file), content).expect("write");
    }
    let store = Store::new(StoreKind::Cargo, home.path()).expect("store");
    (home, store)
}

/// The lookup of `evil 1.0.0` in `store`: no entry, and one warning naming `file`.
fn refused(store: &Store, package: &Package, file: &str) -> String {
    let (entry, diagnostics) = lookup(std::slice::from_ref(store), package);
    assert_eq!(entry, None);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].file.as_deref(), Some(file));
    diagnostics[0].message.clone()
}

#[cfg(unix)]
#[test]
fn links_out_of_the_store_are_refused() {
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("Cargo.toml");
    std::fs::write(&secret, "[package]\nname = \"evil\"\nlicense = \"MIT\"\n").expect("write");
    let (home, store) = cargo_home_with("evil-1.0.0", &[]);
    let dir = home
        .path()
        .join("registry/src/index.registry.example-0000000000000000/evil-1.0.0");
    std::os::unix::fs::symlink(&secret, dir.join("Cargo.toml")).expect("symlink");
    let evil = pkg(Ecosystem::Cargo, "evil", "1.0.0");
    let message = refused(&store, &evil, "cargo-registry:evil-1.0.0/Cargo.toml");
    assert!(message.contains("links outside its store"), "{message}");

    // A whole module directory that is a link out of the Go cache.
    let go_home = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(go_home.path().join("example.com")).expect("mkdir");
    std::os::unix::fs::symlink(
        outside.path(),
        go_home.path().join("example.com/evil@v1.0.0"),
    )
    .expect("symlink");
    let go = Store::new(StoreKind::Go, go_home.path()).expect("store");
    refused(
        &go,
        &pkg(Ecosystem::Go, "example.com/evil", "v1.0.0"),
        "go-mod:example.com/evil@v1.0.0",
    );
    // A license file that is a link out is left out of the entry's files.
    let (home, store) = cargo_home_with(
        "tidy-1.0.0",
        &[(
            "Cargo.toml",
            b"[package]\nname = \"tidy\"\nlicense = \"MIT\"\n",
        )],
    );
    let dir = home
        .path()
        .join("registry/src/index.registry.example-0000000000000000/tidy-1.0.0");
    std::os::unix::fs::symlink(&secret, dir.join("LICENSE")).expect("symlink");
    let tidy = entry(&store, &pkg(Ecosystem::Cargo, "tidy", "1.0.0")).expect("entry");
    assert!(tidy.license_files.is_empty());
}

#[test]
fn huge_binary_and_malformed_metadata_give_diagnostics() {
    let evil = pkg(Ecosystem::Cargo, "evil", "1.0.0");
    let file = "cargo-registry:evil-1.0.0/Cargo.toml";

    let (home, store) = cargo_home_with("evil-1.0.0", &[]);
    let manifest = home
        .path()
        .join("registry/src/index.registry.example-0000000000000000/evil-1.0.0/Cargo.toml");
    std::fs::File::create(&manifest)
        .and_then(|f| f.set_len(MAX_STORE_FILE_BYTES + 1))
        .expect("sparse file");
    assert!(refused(&store, &evil, file).contains("more than the 4096 KiB"));

    let (_home, store) =
        cargo_home_with("evil-1.0.0", &[("Cargo.toml", b"\x7fELF\x02\x01\x00\x00")]);
    assert!(refused(&store, &evil, file).contains("binary"));

    let (_home, store) = cargo_home_with(
        "evil-1.0.0",
        &[(
            "Cargo.toml",
            b"[package]\nname = \"evil\"\nlicense = \"MIT \xff\xfe\"\n",
        )],
    );
    assert!(refused(&store, &evil, file).contains("not valid UTF-8 (bad byte at offset 39)"));

    let (_home, store) = cargo_home_with("evil-1.0.0", &[("Cargo.toml", b"[package\nname = ")]);
    assert!(refused(&store, &evil, file).contains("cannot read license metadata"));

    // Wrong types: a license that is a number is no license; the entry is still found.
    let (_home, store) = cargo_home_with(
        "evil-1.0.0",
        &[("Cargo.toml", b"[package]\nname = \"evil\"\nlicense = 42\n")],
    );
    let found = entry(&store, &evil).expect("entry");
    assert_eq!(declared(&found), (None, None));

    // Escape sequences in the license are kept as text, never interpreted.
    let (_home, store) = cargo_home_with(
        "evil-1.0.0",
        &[(
            "Cargo.toml",
            b"[package]\nname = \"evil\"\nlicense = \"\\u001b[31mMIT\"\n",
        )],
    );
    let found = entry(&store, &evil).expect("entry");
    let expression = found.declared.map(|d| d.expression).unwrap_or_default();
    assert!(expression.starts_with("LicenseRef-"), "{expression}");
    assert!(!expression.contains('\u{1b}'), "{expression}");
}

#[test]
fn xml_entities_are_never_expanded() {
    let repo = tempfile::tempdir().expect("tempdir");
    let dir = repo.path().join("org/example/bomb/1.0");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE project [
  <!ENTITY a "lol">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
  <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
  <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
  <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<project><licenses><license><name>&i;</name></license></licenses></project>"#;
    std::fs::write(dir.join("bomb-1.0.pom"), laughs).expect("write");
    let maven = Store::new(StoreKind::Maven, repo.path()).expect("store");
    let (entry, diagnostics) = lookup(
        std::slice::from_ref(&maven),
        &pkg(Ecosystem::Maven, "org.example:bomb", "1.0"),
    );
    // Either refused with a diagnostic or read with the entity left alone; never expanded.
    match entry {
        Some(e) => {
            let text = e.declared.map(|d| d.expression).unwrap_or_default();
            assert!(text.len() < 200, "{text}");
        }
        None => {
            assert_eq!(
                diagnostics[0].file.as_deref(),
                Some("maven-repo:org/example/bomb/1.0/bomb-1.0.pom")
            );
        }
    }
}

#[test]
fn names_and_versions_cannot_leave_the_store() {
    let cargo = store(StoreKind::Cargo, "cargo");
    let maven = store(StoreKind::Maven, "maven");
    let go = store(StoreKind::Go, "go");
    let nuget = store(StoreKind::NuGet, "nuget");
    let project = in_tree(&fixture("project"), &["mix.lock", "ios/Podfile.lock"]);
    for (stores, package) in [
        (
            vec![cargo.clone()],
            pkg(Ecosystem::Cargo, "../../../etc", "1.0"),
        ),
        (vec![cargo], pkg(Ecosystem::Cargo, "memchr", "../../x")),
        (vec![maven.clone()], pkg(Ecosystem::Maven, "..:..", "1.0")),
        (
            vec![maven],
            pkg(
                Ecosystem::Maven,
                "org.apache.commons:commons-lang3",
                "../3.12.0",
            ),
        ),
        (
            vec![go.clone()],
            pkg(Ecosystem::Go, "github.com/../../etc", "v1.0.0"),
        ),
        (vec![go], pkg(Ecosystem::Go, "/etc", "v1.0.0")),
        (vec![nuget], pkg(Ecosystem::NuGet, "..\\..", "1.0.0")),
        (project.clone(), pkg(Ecosystem::Hex, "..", "1.0.0")),
        (project, pkg(Ecosystem::CocoaPods, "../deps", "1.0.0")),
    ] {
        let (entry, diagnostics) = lookup(&stores, &package);
        assert_eq!(entry, None, "{package:?}");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }
}
