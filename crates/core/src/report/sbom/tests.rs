//! Tests of the SBOM writers: schema validity (offline, against the official schemas in
//! `fixtures/schemas/`), an independent reader for CycloneDX 1.5, snapshots, determinism, and
//! the mapping of trusca's data onto each format.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use super::*;
use crate::inventory::Kind;
use crate::inventory::ScannedFile;
use crate::model::{thin_vec, Detection, LicenseInfo, Shared, Tier};
use crate::model::{Ecosystem, Hash, Location, Package, PackageSource, Scope};
use crate::report::{cyclonedx, spdx};
use crate::scan::{Scan, Tool};
use crate::source::{Target, TargetKind};
use cyclonedx::SpecVersion;

// ---- the scans ----

/// A license as the license stage records it.
fn lic(
    declared: Option<&str>,
    text: Option<&str>,
    concluded: Option<&str>,
) -> Option<Shared<LicenseInfo>> {
    Some(Shared::new(LicenseInfo {
        declared: declared.map(str::to_owned),
        declared_text: text.map(str::to_owned),
        declared_in: declared.map(|_| "node_modules/x/package.json".to_owned()),
        declared_source: declared.map(|_| crate::model::DeclaredSource::Installed),
        detected: concluded
            .filter(|c| Some(*c) != declared)
            .map(|c| Detection {
                license: c.to_owned(),
                confidence: 0.98,
                file: "vendor/x/LICENSE".to_owned(),
            })
            .into_iter()
            .collect(),
        concluded: concluded.map(str::to_owned),
        tier: Tier::Unknown,
    }))
}

fn loc(file: &str, line: u32) -> Location {
    Location {
        file: file.into(),
        line: Some(line),
    }
}

fn purl(eco: Ecosystem, name: &str, version: Option<&str>) -> String {
    crate::model::purl::for_package(eco, name, version)
}

fn file(path: &str, format: &str, eco: Ecosystem, kind: Kind, packages: usize) -> ScannedFile {
    ScannedFile {
        path: path.into(),
        format: format.into(),
        ecosystem: eco,
        kind,
        packages,
        superseded: false,
    }
}

fn scan_with(packages: Vec<Package>, files: Vec<ScannedFile>) -> Scan {
    let mut scan = Scan::new(
        Target {
            name: "demo-app".into(),
            location: "https://git.example/acme/demo-app.git".into(),
            kind: TargetKind::Git,
            reference: Some("main".into()),
            commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            subdirectory: None,
            image: None,
            distro: None,
        },
        "2024-05-01T12:00:00Z".into(),
    );
    scan.tool = Tool {
        name: "trusca".into(),
        version: "0.0.0-test".into(),
    };
    scan.files = files;
    scan.packages = packages;
    scan
}

/// Everything the writers must handle: npm scopes, Maven groups, Go modules, git/url/path
/// sources, hashes good and bad, dev/optional scopes, a graph with a dangling edge, one purl in
/// two files, unpinned packages and names that need escaping.
fn full_scan() -> Scan {
    let babel_core = purl(Ecosystem::Npm, "@babel/core", Some("7.24.0"));
    let babel_parser = purl(Ecosystem::Npm, "@babel/parser", Some("7.24.1"));
    let fsevents = purl(Ecosystem::Npm, "fsevents", Some("2.3.3"));
    let missing = purl(Ecosystem::Npm, "not-in-scan", Some("1.0.0"));
    let mut core_root = Package::new(
        Ecosystem::Npm,
        "@babel/core",
        Some("7.24.0"),
        loc("package-lock.json", 12),
    )
    .with_direct(true)
    .with_requirement("^7.24.0");
    core_root.dependencies = thin_vec![babel_parser.clone(), missing, fsevents.clone()];
    core_root.hashes = thin_vec![
        Hash::new("sha512", &"ab".repeat(64)),
        Hash::new("crc32", "deadbeef"),
        Hash::new("sha256", "not-hex"),
    ];
    let mut core_web = Package::new(
        Ecosystem::Npm,
        "@babel/core",
        Some("7.24.0"),
        loc("web/package-lock.json", 40),
    )
    .with_direct(false);
    core_web.dependencies = thin_vec![babel_parser.clone()];
    let mut parser = Package::new(
        Ecosystem::Npm,
        "@babel/parser",
        Some("7.24.1"),
        loc("package-lock.json", 30),
    )
    .with_direct(false);
    parser.hashes = thin_vec![Hash::new("SHA-1", &"0f".repeat(20))];
    let fsev = Package::new(
        Ecosystem::Npm,
        "fsevents",
        Some("2.3.3"),
        loc("package-lock.json", 50),
    )
    .with_direct(false)
    .with_scope(Scope::Optional)
    .with_group("optional");
    let mut jest_pkg = Package::new(
        Ecosystem::Npm,
        "jest",
        Some("29.7.0"),
        loc("package-lock.json", 60),
    )
    .with_direct(true)
    .with_scope(Scope::Dev)
    .with_group("dev");
    jest_pkg.dependencies = thin_vec![babel_core.clone()];
    let slf4j = Package::new(
        Ecosystem::Maven,
        "org.slf4j:slf4j-api",
        Some("2.0.13"),
        loc("pom.xml", 21),
    )
    .with_requirement("[2.0,3.0)");
    let errors = Package::new(
        Ecosystem::Go,
        "github.com/pkg/errors",
        Some("v0.9.1"),
        loc("go.mod", 5),
    )
    .with_direct(true);
    let gitdep = Package::new(
        Ecosystem::Cargo,
        "my-lib",
        Some("0.3.0"),
        loc("Cargo.lock", 8),
    )
    .with_source(PackageSource::Git {
        url: "https://git.example/acme/my-lib.git".into(),
        commit: Some("89abcdef0123456789abcdef0123456789abcdef".into()),
    })
    .with_direct(true);
    let scp = Package::new(
        Ecosystem::Cargo,
        "scp-lib",
        Some("1.0.0"),
        loc("Cargo.lock", 20),
    )
    .with_source(PackageSource::Git {
        url: "git@git.example:acme/scp lib.git".into(),
        commit: None,
    })
    .with_direct(true);
    let pathdep = Package::new(
        Ecosystem::Cargo,
        "local",
        Some("0.1.0"),
        loc("Cargo.lock", 30),
    )
    .with_source(PackageSource::Path {
        path: "../local".into(),
    })
    .with_direct(true);
    core_root.license = lic(Some("MIT"), None, Some("MIT"));
    parser.license = lic(Some("MIT OR Apache-2.0"), None, Some("MIT OR Apache-2.0"));
    let mut slf4j = slf4j;
    slf4j.license = lic(
        Some("LicenseRef-Custom-terms"),
        Some("Custom terms <see contract> & more"),
        Some("Apache-2.0"),
    );
    let mut errors = errors;
    errors.license = lic(None, None, Some("BSD-2-Clause"));
    let mut gitdep = gitdep;
    gitdep.license = lic(
        Some("GPL-2.0-or-later"),
        None,
        Some("GPL-2.0-only WITH Classpath-exception-2.0"),
    );
    let mut scp = scp;
    scp.license = lic(Some("Apache-2.0+"), None, Some("Apache-2.0+"));
    let urldep = Package::new(
        Ecosystem::PyPI,
        "Tarball_Pkg",
        Some("1.0"),
        loc("requirements.txt", 3),
    )
    .with_source(PackageSource::Url {
        url: "https://files.example/tarball pkg-1.0.tar.gz".into(),
    });
    let unpinned = Package::new(
        Ecosystem::PyPI,
        "requests",
        None,
        loc("requirements.txt", 1),
    )
    .with_requirement(">=2.31");
    let odd = Package::new(
        Ecosystem::Packagist,
        "vendor/odd <&\"'>\u{7} ñame",
        Some("1.0 <beta>&\u{1}"),
        loc("composer.lock", 7),
    )
    .with_group("a,b");
    let mut odd = odd;
    odd.license = lic(
        Some("LicenseRef-odd"),
        Some("odd <&\"'> terms"),
        Some("LicenseRef-odd"),
    );
    let files = vec![
        file(
            "Cargo.lock",
            "Cargo.lock",
            Ecosystem::Cargo,
            Kind::Lockfile,
            3,
        ),
        file(
            "composer.lock",
            "composer.lock",
            Ecosystem::Packagist,
            Kind::Lockfile,
            1,
        ),
        file("go.mod", "go.mod", Ecosystem::Go, Kind::Manifest, 1),
        file(
            "package-lock.json",
            "package-lock.json",
            Ecosystem::Npm,
            Kind::Lockfile,
            4,
        ),
        file("pom.xml", "pom.xml", Ecosystem::Maven, Kind::Manifest, 1),
        file(
            "requirements.txt",
            "requirements.txt",
            Ecosystem::PyPI,
            Kind::Manifest,
            2,
        ),
        file(
            "web/package-lock.json",
            "package-lock.json",
            Ecosystem::Npm,
            Kind::Lockfile,
            1,
        ),
    ];
    scan_with(
        vec![
            core_root, core_web, parser, fsev, jest_pkg, slf4j, errors, gitdep, scp, pathdep,
            urldep, unpinned, odd,
        ],
        files,
    )
}

/// The number of distinct purls in [`full_scan`].
const FULL_COMPONENTS: usize = 12;

/// A small scan for the snapshots: a direct package with a transitive one, a dev package, one
/// purl in two files.
fn small_scan() -> Scan {
    let child = purl(Ecosystem::Npm, "@scope/child", Some("2.0.0"));
    let mut parent = Package::new(
        Ecosystem::Npm,
        "parent",
        Some("1.0.0"),
        loc("package-lock.json", 10),
    )
    .with_direct(true);
    parent.dependencies = thin_vec![child];
    parent.license = lic(Some("MIT"), None, Some("MIT"));
    let mut child_pkg = Package::new(
        Ecosystem::Npm,
        "@scope/child",
        Some("2.0.0"),
        loc("package-lock.json", 20),
    )
    .with_direct(false);
    child_pkg.hashes = thin_vec![Hash::new("sha256", &"1f".repeat(32))];
    child_pkg.license = lic(
        Some("LicenseRef-Custom"),
        Some("Custom"),
        Some("Apache-2.0"),
    );
    let child_again = Package::new(
        Ecosystem::Npm,
        "@scope/child",
        Some("2.0.0"),
        loc("sub/package-lock.json", 5),
    )
    .with_direct(true);
    let dev = Package::new(
        Ecosystem::Npm,
        "tester",
        Some("3.1.4"),
        loc("package-lock.json", 30),
    )
    .with_direct(true)
    .with_scope(Scope::Dev)
    .with_group("dev");
    let files = vec![
        file(
            "package-lock.json",
            "package-lock.json",
            Ecosystem::Npm,
            Kind::Lockfile,
            3,
        ),
        file(
            "sub/package-lock.json",
            "package-lock.json",
            Ecosystem::Npm,
            Kind::Lockfile,
            1,
        ),
    ];
    scan_with(vec![parent, child_pkg, child_again, dev], files)
}

// ---- rendering helpers ----

#[derive(Debug, Clone, Copy)]
enum Format {
    CdxJson(SpecVersion),
    CdxXml(SpecVersion),
    Spdx,
}

const ALL_FORMATS: [Format; 5] = [
    Format::CdxJson(SpecVersion::V1_5),
    Format::CdxJson(SpecVersion::V1_6),
    Format::CdxXml(SpecVersion::V1_5),
    Format::CdxXml(SpecVersion::V1_6),
    Format::Spdx,
];

fn render(scan: &Scan, format: Format) -> String {
    let mut out = Vec::new();
    match format {
        Format::CdxJson(v) => cyclonedx::write_json(scan, v, &mut out),
        Format::CdxXml(v) => cyclonedx::write_xml(scan, v, &mut out),
        Format::Spdx => spdx::write_json(scan, &mut out),
    }
    .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the writers emit UTF-8")
}

fn json(scan: &Scan, format: Format) -> Value {
    serde_json::from_str(&render(scan, format)).expect("the writer emits JSON")
}

// ---- offline schema validation ----

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/schemas")
}

fn load_schema(name: &str) -> Value {
    let path = schema_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

/// The CycloneDX schemas and the two they reference, registered under their `$id`s so every
/// `$ref` resolves without the network.
fn cyclonedx_registry() -> &'static jsonschema::Registry<'static> {
    static REGISTRY: OnceLock<jsonschema::Registry<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut builder = jsonschema::Registry::new();
        for name in [
            "bom-1.5.schema.json",
            "bom-1.6.schema.json",
            "spdx.schema.json",
            "jsf-0.82.schema.json",
        ] {
            let uri = format!("http://cyclonedx.org/schema/{name}");
            builder = builder
                .add(uri.as_str(), load_schema(name))
                .expect("schema registers");
        }
        builder.prepare().expect("registry prepares")
    })
}

fn cyclonedx_validator(version: SpecVersion) -> jsonschema::Validator {
    let schema = load_schema(&format!("bom-{version}.schema.json"));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .offline()
        .with_registry(cyclonedx_registry())
        .build(&schema)
        .expect("CycloneDX schema compiles offline")
}

fn spdx_validator() -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .offline()
        .build(&load_schema("spdx-2.3.schema.json"))
        .expect("SPDX schema compiles offline")
}

fn schema_errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn cyclonedx_json_is_valid_against_the_official_schemas() {
    for scan in [full_scan(), small_scan()] {
        for version in [SpecVersion::V1_5, SpecVersion::V1_6] {
            let validator = cyclonedx_validator(version);
            let doc = json(&scan, Format::CdxJson(version));
            let errors = schema_errors(&validator, &doc);
            assert!(errors.is_empty(), "CycloneDX {version}: {errors:#?}");
        }
    }
}

#[test]
fn cyclonedx_schema_validation_rejects_broken_documents() {
    for version in [SpecVersion::V1_5, SpecVersion::V1_6] {
        let validator = cyclonedx_validator(version);
        let good = json(&full_scan(), Format::CdxJson(version));
        assert!(validator.is_valid(&good));

        let mut bad_scope = good.clone();
        bad_scope["components"][0]["scope"] = "sometimes".into();
        let mut bad_serial = good.clone();
        bad_serial["serialNumber"] = "not-a-urn".into();
        // Only fails with `format` assertion on: proves it is on.
        let mut bad_time = good.clone();
        bad_time["metadata"]["timestamp"] = "yesterday".into();
        // Fails only through the `$ref` into the JSF schema: proves the registry resolves it.
        let mut bad_signature = good.clone();
        bad_signature["signature"] = serde_json::json!({"algorithm": 42});
        let mut bad_hash = good;
        bad_hash["components"][0]["hashes"] =
            serde_json::json!([{"alg": "SHA-256", "content": "xyz"}]);
        for (what, doc) in [
            ("scope", bad_scope),
            ("serial", bad_serial),
            ("timestamp", bad_time),
            ("signature", bad_signature),
            ("hash", bad_hash),
        ] {
            assert!(!validator.is_valid(&doc), "{version}: broken {what} passed");
        }
    }
}

#[test]
fn spdx_json_is_valid_against_the_official_schema() {
    let validator = spdx_validator();
    for scan in [full_scan(), small_scan()] {
        let doc = json(&scan, Format::Spdx);
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "SPDX: {errors:#?}");
    }
    let good = json(&full_scan(), Format::Spdx);
    let mut no_id = good.clone();
    no_id.as_object_mut().expect("object").remove("SPDXID");
    let mut bad_relation = good;
    bad_relation["relationships"][0]["relationshipType"] = "LIKES".into();
    assert!(!validator.is_valid(&no_id));
    assert!(!validator.is_valid(&bad_relation));
}

/// What the SPDX schema does not check: id syntax, uniqueness, and that relationships point at
/// elements of the document.
#[test]
fn spdx_ids_are_well_formed_unique_and_resolve() {
    let doc = json(&full_scan(), Format::Spdx);
    let ids: Vec<&str> = doc["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| p["SPDXID"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), FULL_COMPONENTS + 1);
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len());
    for id in &ids {
        let rest = id.strip_prefix("SPDXRef-").expect("prefix");
        assert!(
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')),
            "{id}"
        );
    }
    for r in doc["relationships"].as_array().expect("relationships") {
        let from = r["spdxElementId"].as_str().expect("from");
        let to = r["relatedSpdxElement"].as_str().expect("to");
        assert!(
            from == "SPDXRef-DOCUMENT" || unique.contains(from),
            "{from}"
        );
        assert!(unique.contains(to), "{to}");
    }
}

// ---- an independent reader ----

#[test]
fn cyclonedx_1_5_reads_back_with_the_cyclonedx_bom_crate() {
    use cyclonedx_bom::models::bom::Bom;
    use cyclonedx_bom::validation::Validate;

    let scan = full_scan();
    let from_json =
        Bom::parse_from_json_v1_5(render(&scan, Format::CdxJson(SpecVersion::V1_5)).as_bytes())
            .expect("the crate reads our 1.5 JSON");
    let from_xml =
        Bom::parse_from_xml_v1_5(render(&scan, Format::CdxXml(SpecVersion::V1_5)).as_bytes())
            .expect("the crate reads our 1.5 XML");
    for (what, bom) in [("json", &from_json), ("xml", &from_xml)] {
        let result = bom.validate_version(cyclonedx_bom::models::bom::SpecVersion::V1_5);
        assert!(result.passed(), "{what}: {result:?}");
        let count = bom.components.as_ref().map_or(0, |c| c.0.len());
        assert_eq!(count, FULL_COMPONENTS, "{what}");
        let deps = bom.dependencies.as_ref().map_or(0, |d| d.0.len());
        assert_eq!(deps, FULL_COMPONENTS + 1, "{what}");
    }
    // The XML path carries the same data as the JSON path, escaping included; only the
    // characters XML 1.0 cannot hold differ (JSON keeps them, XML gets U+FFFD).
    let split = |bom: &Bom| {
        let all = bom
            .components
            .as_ref()
            .map(|c| c.0.clone())
            .unwrap_or_default();
        all.into_iter()
            .partition::<Vec<_>, _>(|c| c.group.as_ref().is_some_and(|g| g.to_string() == "vendor"))
    };
    let (odd_json, plain_json) = split(&from_json);
    let (odd_xml, plain_xml) = split(&from_xml);
    assert_eq!(plain_json, plain_xml);
    assert_eq!(odd_json[0].name.to_string(), "odd <&\"'>\u{7} ñame");
    assert_eq!(odd_xml[0].name.to_string(), "odd <&\"'>\u{FFFD} ñame");
    assert_eq!(odd_json[0].purl, odd_xml[0].purl);
    assert_eq!(from_json.dependencies, from_xml.dependencies);
    assert_eq!(from_json.serial_number, from_xml.serial_number);
}

// ---- snapshots ----

#[test]
fn snapshots_of_every_format() {
    let scan = small_scan();
    insta::assert_snapshot!(
        "cyclonedx_1_6_json",
        render(&scan, Format::CdxJson(SpecVersion::V1_6))
    );
    insta::assert_snapshot!(
        "cyclonedx_1_5_json",
        render(&scan, Format::CdxJson(SpecVersion::V1_5))
    );
    insta::assert_snapshot!(
        "cyclonedx_1_6_xml",
        render(&scan, Format::CdxXml(SpecVersion::V1_6))
    );
    insta::assert_snapshot!(
        "cyclonedx_1_5_xml",
        render(&scan, Format::CdxXml(SpecVersion::V1_5))
    );
    insta::assert_snapshot!("spdx_2_3_json", render(&scan, Format::Spdx));
}

// ---- determinism ----

#[test]
fn same_scan_gives_identical_bytes() {
    for format in ALL_FORMATS {
        assert_eq!(
            render(&full_scan(), format),
            render(&full_scan(), format),
            "{format:?}"
        );
    }
}

#[test]
fn input_order_does_not_change_the_output() {
    let scan = full_scan();
    let mut shuffled = scan.clone();
    shuffled.packages.reverse();
    // Swap two in the middle too, so this is not just a reversal.
    shuffled.packages.swap(2, 7);
    for p in &mut shuffled.packages {
        p.dependencies.reverse();
        p.hashes.reverse();
    }
    shuffled.files.reverse();
    assert_ne!(scan.packages, shuffled.packages);
    for format in ALL_FORMATS {
        assert_eq!(
            render(&scan, format),
            render(&shuffled, format),
            "{format:?}"
        );
    }
}

#[test]
fn output_ends_with_one_newline() {
    for format in ALL_FORMATS {
        let out = render(&small_scan(), format);
        assert!(out.ends_with('\n') && !out.ends_with("\n\n"), "{format:?}");
    }
}

#[test]
fn serial_number_follows_the_content() {
    let a = json(&small_scan(), Format::CdxJson(SpecVersion::V1_6));
    let mut later = small_scan();
    later.generated_at = "2024-05-02T12:00:00Z".into();
    let b = json(&later, Format::CdxJson(SpecVersion::V1_6));
    assert_ne!(a["serialNumber"], b["serialNumber"]);
    let serial = a["serialNumber"].as_str().expect("serial");
    let uuid = serial.strip_prefix("urn:uuid:").expect("urn");
    let spdx = json(&small_scan(), Format::Spdx);
    let namespace = spdx["documentNamespace"].as_str().expect("namespace");
    assert_eq!(
        namespace,
        format!("https://spdx.org/spdxdocs/trusca-demo-app-{uuid}")
    );
    assert_eq!(
        uuid.parse::<Uuid>().map(|u| u.get_version_num()).ok(),
        Some(5)
    );
}

// ---- mapping ----

fn component<'a>(doc: &'a Value, purl: &str) -> &'a Value {
    doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["purl"] == purl)
        .unwrap_or_else(|| panic!("no component {purl}"))
}

fn properties(c: &Value, name: &str) -> Vec<String> {
    c["properties"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["name"] == name)
                .filter_map(|p| p["value"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn depends_on(doc: &Value, reference: &str) -> Vec<String> {
    let dep = doc["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .find(|d| d["ref"] == reference)
        .unwrap_or_else(|| panic!("no dependency entry {reference}"));
    dep["dependsOn"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn names_split_into_group_and_name_as_the_purl_does() {
    let doc = json(&full_scan(), Format::CdxJson(SpecVersion::V1_6));
    let cases = [
        (
            purl(Ecosystem::Npm, "@babel/core", Some("7.24.0")),
            Some("@babel"),
            "core",
        ),
        (
            purl(Ecosystem::Maven, "org.slf4j:slf4j-api", Some("2.0.13")),
            Some("org.slf4j"),
            "slf4j-api",
        ),
        (
            purl(Ecosystem::Go, "github.com/pkg/errors", Some("v0.9.1")),
            Some("github.com/pkg"),
            "errors",
        ),
        (purl(Ecosystem::Npm, "jest", Some("29.7.0")), None, "jest"),
        (purl(Ecosystem::PyPI, "requests", None), None, "requests"),
    ];
    for (p, group, name) in cases {
        let c = component(&doc, &p);
        assert_eq!(c["group"].as_str(), group, "{p}");
        assert_eq!(c["name"], name, "{p}");
        assert_eq!(c["bom-ref"], p.as_str());
        assert_eq!(c["type"], "library");
    }
    let unpinned = component(&doc, &purl(Ecosystem::PyPI, "requests", None));
    assert!(unpinned.get("version").is_none());
    assert_eq!(properties(unpinned, "trusca:requirement"), [">=2.31"]);
}

#[test]
fn scopes_map_to_cyclonedx_scopes() {
    let doc = json(&full_scan(), Format::CdxJson(SpecVersion::V1_6));
    let scope = |name: &str, v: &str| {
        component(&doc, &purl(Ecosystem::Npm, name, Some(v)))["scope"].clone()
    };
    assert_eq!(scope("@babel/core", "7.24.0"), "required");
    assert_eq!(scope("fsevents", "2.3.3"), "optional");
    assert_eq!(scope("jest", "29.7.0"), "excluded");
    let jest = component(&doc, &purl(Ecosystem::Npm, "jest", Some("29.7.0")));
    assert_eq!(properties(jest, "trusca:groups"), ["dev"]);
    assert_eq!(properties(jest, "trusca:ecosystem"), ["npm"]);
}

#[test]
fn a_purl_in_two_files_is_one_component_with_both_occurrences() {
    let p = purl(Ecosystem::Npm, "@babel/core", Some("7.24.0"));
    let v16 = json(&full_scan(), Format::CdxJson(SpecVersion::V1_6));
    let c = component(&v16, &p);
    assert_eq!(
        c["evidence"]["occurrences"],
        serde_json::json!([
            {"location": "package-lock.json", "line": 12},
            {"location": "web/package-lock.json", "line": 40},
        ])
    );
    assert_eq!(
        properties(c, "trusca:location"),
        ["package-lock.json:12", "web/package-lock.json:40"]
    );
    // Direct in one file, transitive in the other: direct.
    assert_eq!(properties(c, "trusca:direct"), ["true"]);
    let v15 = json(&full_scan(), Format::CdxJson(SpecVersion::V1_5));
    assert_eq!(
        component(&v15, &p)["evidence"]["occurrences"],
        serde_json::json!([
            {"location": "package-lock.json:12"},
            {"location": "web/package-lock.json:40"},
        ])
    );
}

#[test]
fn graph_is_the_union_of_edges_and_the_root_depends_on_direct_packages() {
    let doc = json(&full_scan(), Format::CdxJson(SpecVersion::V1_6));
    let core = purl(Ecosystem::Npm, "@babel/core", Some("7.24.0"));
    // The edge to a purl that is not in the scan is dropped; the two files' edges are merged.
    assert_eq!(
        depends_on(&doc, &core),
        [
            purl(Ecosystem::Npm, "@babel/parser", Some("7.24.1")),
            purl(Ecosystem::Npm, "fsevents", Some("2.3.3")),
        ]
    );
    assert_eq!(
        depends_on(&doc, &purl(Ecosystem::Npm, "jest", Some("29.7.0"))),
        std::slice::from_ref(&core)
    );
    let root = doc["metadata"]["component"]["bom-ref"]
        .as_str()
        .expect("root ref");
    let root_deps = depends_on(&doc, root);
    // Direct, or directness unknown (pom.xml, requirements.txt, composer.lock) ...
    for p in [
        core,
        purl(Ecosystem::Maven, "org.slf4j:slf4j-api", Some("2.0.13")),
        purl(Ecosystem::PyPI, "requests", None),
        purl(Ecosystem::Go, "github.com/pkg/errors", Some("v0.9.1")),
    ] {
        assert!(root_deps.contains(&p), "root lacks {p}");
    }
    // ... but not the packages every file calls transitive.
    for p in [
        purl(Ecosystem::Npm, "@babel/parser", Some("7.24.1")),
        purl(Ecosystem::Npm, "fsevents", Some("2.3.3")),
    ] {
        assert!(!root_deps.contains(&p), "root has {p}");
    }
    let mut sorted = root_deps.clone();
    sorted.sort();
    assert_eq!(root_deps, sorted);
}

#[test]
fn hashes_sources_and_the_project_are_described() {
    let doc = json(&full_scan(), Format::CdxJson(SpecVersion::V1_6));
    let core = component(&doc, &purl(Ecosystem::Npm, "@babel/core", Some("7.24.0")));
    assert_eq!(
        core["hashes"],
        serde_json::json!([{"alg": "SHA-512", "content": "ab".repeat(64)}])
    );
    let parser = component(&doc, &purl(Ecosystem::Npm, "@babel/parser", Some("7.24.1")));
    assert_eq!(parser["hashes"][0]["alg"], "SHA-1");

    let git = component(&doc, &purl(Ecosystem::Cargo, "my-lib", Some("0.3.0")));
    assert_eq!(
        git["externalReferences"],
        serde_json::json!([{
            "type": "vcs",
            "url": "https://git.example/acme/my-lib.git",
            "comment": "commit 89abcdef0123456789abcdef0123456789abcdef",
        }])
    );
    let scp = component(&doc, &purl(Ecosystem::Cargo, "scp-lib", Some("1.0.0")));
    assert_eq!(
        scp["externalReferences"][0]["url"],
        "ssh://git@git.example/acme/scp%20lib.git"
    );
    let local = component(&doc, &purl(Ecosystem::Cargo, "local", Some("0.1.0")));
    assert_eq!(properties(local, "trusca:source-path"), ["../local"]);
    let tarball = component(&doc, &purl(Ecosystem::PyPI, "Tarball_Pkg", Some("1.0")));
    assert_eq!(tarball["externalReferences"][0]["type"], "distribution");

    let meta = &doc["metadata"];
    assert_eq!(meta["timestamp"], "2024-05-01T12:00:00Z");
    assert_eq!(
        meta["tools"],
        serde_json::json!({"components": [{"type": "application", "name": "trusca", "version": "0.0.0-test"}]})
    );
    assert_eq!(meta["component"]["type"], "application");
    assert_eq!(meta["component"]["name"], "demo-app");
    assert_eq!(
        meta["component"]["version"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(properties(&meta["component"], "trusca:git-ref"), ["main"]);
}

#[test]
fn spdx_packages_carry_purls_checksums_and_git_locations() {
    let doc = json(&full_scan(), Format::Spdx);
    let package = |p: &str| -> Value {
        doc["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .find(|pkg| pkg["externalRefs"][0]["referenceLocator"] == p)
            .cloned()
            .unwrap_or_else(|| panic!("no package {p}"))
    };
    let core = package(&purl(Ecosystem::Npm, "@babel/core", Some("7.24.0")));
    assert_eq!(core["name"], "@babel/core");
    assert_eq!(core["versionInfo"], "7.24.0");
    assert_eq!(core["downloadLocation"], "NOASSERTION");
    assert_eq!(core["filesAnalyzed"], false);
    assert_eq!(
        core["checksums"],
        serde_json::json!([{"algorithm": "SHA512", "checksumValue": "ab".repeat(64)}])
    );
    let id = core["SPDXID"].as_str().expect("id");
    assert!(
        id.starts_with("SPDXRef-Package-npm-babel-core-7.24.0-"),
        "{id}"
    );
    let git = package(&purl(Ecosystem::Cargo, "my-lib", Some("0.3.0")));
    assert_eq!(
        git["downloadLocation"],
        "git+https://git.example/acme/my-lib.git@89abcdef0123456789abcdef0123456789abcdef"
    );
    let unpinned = package(&purl(Ecosystem::PyPI, "requests", None));
    assert!(unpinned.get("versionInfo").is_none());

    let root = &doc["packages"][0];
    assert_eq!(root["SPDXID"], "SPDXRef-Project");
    assert_eq!(
        root["downloadLocation"],
        "git+https://git.example/acme/demo-app.git@0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(
        doc["creationInfo"]["creators"],
        serde_json::json!(["Tool: trusca-0.0.0-test"])
    );
    let rels = doc["relationships"].as_array().expect("relationships");
    assert_eq!(
        rels[0],
        serde_json::json!({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-Project"})
    );
    let has = |from: &str, to: &str| {
        rels.iter().any(|r| {
            r["spdxElementId"] == from
                && r["relatedSpdxElement"] == to
                && r["relationshipType"] == "DEPENDS_ON"
        })
    };
    let parser_id =
        package(&purl(Ecosystem::Npm, "@babel/parser", Some("7.24.1")))["SPDXID"].clone();
    let parser_id = parser_id.as_str().expect("id");
    assert!(has("SPDXRef-Project", id));
    assert!(has(id, parser_id));
    assert!(!has("SPDXRef-Project", parser_id));
}

#[test]
fn xml_escapes_odd_names_and_drops_characters_xml_cannot_hold() {
    let xml = render(&full_scan(), Format::CdxXml(SpecVersion::V1_6));
    assert!(
        xml.contains("odd &lt;&amp;&quot;&apos;&gt;\u{FFFD} ñame"),
        "{xml}"
    );
    assert!(!xml.contains('\u{7}') && !xml.contains('\u{1}'));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\""));
    // Well-formed: a strict reader gets to the end without an error.
    let mut reader = quick_xml::Reader::from_str(&xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i32;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(_) => depth += 1,
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
}

#[test]
fn spec_version_parses_and_defaults_to_1_6() {
    assert_eq!(SpecVersion::default(), SpecVersion::V1_6);
    assert_eq!("1.5".parse::<SpecVersion>().ok(), Some(SpecVersion::V1_5));
    assert_eq!("1.6".parse::<SpecVersion>().ok(), Some(SpecVersion::V1_6));
    let err = "1.4"
        .parse::<SpecVersion>()
        .expect_err("1.4 is not written");
    assert_eq!(
        err.to_string(),
        "unsupported CycloneDX version `1.4` (supported: `1.5`, `1.6`)"
    );
}

#[test]
fn empty_scan_still_gives_valid_documents() {
    let scan = scan_with(Vec::new(), Vec::new());
    for version in [SpecVersion::V1_5, SpecVersion::V1_6] {
        let doc = json(&scan, Format::CdxJson(version));
        assert_eq!(
            schema_errors(&cyclonedx_validator(version), &doc),
            Vec::<String>::new()
        );
    }
    assert_eq!(
        schema_errors(&spdx_validator(), &json(&scan, Format::Spdx)),
        Vec::<String>::new()
    );
}

// ---- helpers of mod.rs ----

#[test]
fn uri_reference_encodes_and_converts() {
    assert_eq!(
        uri_reference("git@git.example:org/repo.git").as_deref(),
        Some("ssh://git@git.example/org/repo.git")
    );
    assert_eq!(
        uri_reference("https://git.example/a b<c>#x#y").as_deref(),
        Some("https://git.example/a%20b%3Cc%3E#x%23y")
    );
    assert_eq!(
        uri_reference("https://git.example/%zz/é").as_deref(),
        Some("https://git.example/%25zz/%C3%A9")
    );
    assert_eq!(uri_reference("../vendor/lib"), None);
    assert_eq!(uri_reference("1http://x"), None);
}

#[test]
fn hashes_keep_only_known_algorithms_with_well_formed_digests() {
    let ok = KnownHash::new(&Hash::new("SHA-256", &"AB".repeat(32)));
    assert_eq!(
        ok.map(|h| (h.alg, h.value)),
        Some((HashAlg::Sha256, "ab".repeat(32)))
    );
    assert!(KnownHash::new(&Hash::new("sha256", "abc")).is_none());
    assert!(KnownHash::new(&Hash::new("sha1", &"zz".repeat(20))).is_none());
    assert!(KnownHash::new(&Hash::new("crc32", "deadbeef")).is_none());
}

#[test]
fn scope_merges_to_the_widest_use() {
    assert_eq!(wider(Scope::Dev, Scope::Optional), Scope::Optional);
    assert_eq!(wider(Scope::Runtime, Scope::Dev), Scope::Runtime);
    assert_eq!(wider(Scope::Dev, Scope::Dev), Scope::Dev);
}

// ---- vulnerabilities ----

/// A scan with findings from real records (`fixtures/osv-records/`).
fn vulnerable_scan() -> Scan {
    let mut scan = crate::testing::scan_with_findings();
    scan.generated_at = "2024-05-01T12:00:00Z".into();
    scan.tool.version = "0.0.0-test".into();
    // One vulnerable package in a second file: still one entry per (id, component).
    let mut again = scan
        .packages
        .iter()
        .find(|p| p.name == "ansi-html")
        .cloned()
        .expect("ansi-html is in the scan");
    again.location.file = "web/package-lock.json".into();
    scan.packages.push(again);
    let extra: Vec<_> = scan
        .findings
        .iter()
        .filter(|f| f.package == "ansi-html")
        .cloned()
        .map(|mut f| {
            f.location.file = "web/package-lock.json".into();
            f
        })
        .collect();
    scan.findings.extend(extra);
    scan
}

#[test]
fn cyclonedx_vulnerabilities_are_valid_against_the_official_schemas() {
    let scan = vulnerable_scan();
    assert!(!scan.findings.is_empty());
    for version in [SpecVersion::V1_5, SpecVersion::V1_6] {
        let doc = json(&scan, Format::CdxJson(version));
        let vulns = doc["vulnerabilities"].as_array().expect("vulnerabilities");
        assert_eq!(vulns.len(), 3, "{version}");
        let errors = schema_errors(&cyclonedx_validator(version), &doc);
        assert!(errors.is_empty(), "CycloneDX {version}: {errors:#?}");
    }
    let errors = schema_errors(&spdx_validator(), &json(&scan, Format::Spdx));
    assert!(errors.is_empty(), "SPDX: {errors:#?}");
}

#[test]
fn cyclonedx_vulnerabilities_carry_ratings_aliases_fix_and_the_component() {
    let doc = json(&vulnerable_scan(), Format::CdxJson(SpecVersion::V1_6));
    let vulns = doc["vulnerabilities"].as_array().expect("vulnerabilities");
    let fetch = vulns
        .iter()
        .find(|v| v["id"] == "GHSA-r683-j2x4-v87g")
        .expect("node-fetch advisory");
    let purl = "pkg:npm/node-fetch@3.0.0-beta.9";
    assert_eq!(fetch["affects"][0]["ref"], purl);
    assert_eq!(fetch["affects"][0]["versions"][0]["status"], "affected");
    assert!(component(&doc, purl)["bom-ref"] == purl);
    assert_eq!(fetch["recommendation"], "Upgrade to 3.1.1");
    assert_eq!(fetch["source"]["name"], "GitHub Advisory Database");
    let rating = &fetch["ratings"][0];
    assert_eq!(rating["severity"], "high");
    assert_eq!(rating["score"], 8.8);
    // This record's vector is CVSS 3.0; the ansi-html one is 3.1.
    assert_eq!(rating["method"], "CVSSv3");
    assert!(rating["vector"]
        .as_str()
        .is_some_and(|v| v.starts_with("CVSS:3.0/")));
    let ansi = vulns
        .iter()
        .find(|v| v["id"] == "GHSA-whgm-jr23-g3j9")
        .expect("ansi-html advisory");
    assert_eq!(ansi["ratings"][0]["method"], "CVSSv31");
    let refs = fetch["references"]
        .as_array()
        .expect("aliases as references");
    assert!(refs.iter().any(
        |r| r["id"].as_str().is_some_and(|id| id.starts_with("CVE-"))
            && r["source"]["name"] == "NVD"
    ));
    assert!(!fetch["advisories"]
        .as_array()
        .expect("advisories")
        .is_empty());

    // Most severe first; a finding without any severity has no rating at all.
    let flask = vulns.last().expect("three entries");
    assert_eq!(flask["id"], "PYSEC-2023-62");
    assert!(flask.get("ratings").is_none());
    assert_eq!(flask["source"]["name"], "OSV");
}

#[test]
fn cyclonedx_1_5_with_vulnerabilities_reads_back_with_the_cyclonedx_bom_crate() {
    use cyclonedx_bom::models::bom::Bom;
    use cyclonedx_bom::validation::Validate;

    let scan = vulnerable_scan();
    let from_json =
        Bom::parse_from_json_v1_5(render(&scan, Format::CdxJson(SpecVersion::V1_5)).as_bytes())
            .expect("the crate reads our 1.5 JSON");
    let from_xml =
        Bom::parse_from_xml_v1_5(render(&scan, Format::CdxXml(SpecVersion::V1_5)).as_bytes())
            .expect("the crate reads our 1.5 XML");
    for (what, bom) in [("json", &from_json), ("xml", &from_xml)] {
        let result = bom.validate_version(cyclonedx_bom::models::bom::SpecVersion::V1_5);
        assert!(result.passed(), "{what}: {result:?}");
        let count = bom.vulnerabilities.as_ref().map_or(0, |v| v.0.len());
        assert_eq!(count, 3, "{what}");
    }
    assert_eq!(from_json.vulnerabilities, from_xml.vulnerabilities);
}

#[test]
fn snapshots_with_vulnerabilities() {
    let scan = vulnerable_scan();
    let doc = json(&scan, Format::CdxJson(SpecVersion::V1_6));
    let pretty = serde_json::to_string_pretty(&doc["vulnerabilities"]).expect("serialises");
    insta::assert_snapshot!("cyclonedx_1_6_vulnerabilities", pretty);
    let xml = render(&scan, Format::CdxXml(SpecVersion::V1_6));
    let start = xml.find("<vulnerabilities>").expect("xml vulnerabilities");
    insta::assert_snapshot!("cyclonedx_1_6_xml_vulnerabilities", &xml[start..]);
}

#[test]
fn findings_change_the_serial_number() {
    let scan = vulnerable_scan();
    let mut without = scan.clone();
    without.findings.clear();
    let a = json(&scan, Format::CdxJson(SpecVersion::V1_6));
    let b = json(&without, Format::CdxJson(SpecVersion::V1_6));
    assert_ne!(a["serialNumber"], b["serialNumber"]);
    assert!(b.get("vulnerabilities").is_none());
}
