use super::*;
use crate::model::Ecosystem;

fn read(text: &str) -> Document {
    parse(text.as_bytes(), "bom").expect("readable")
}

fn refuse(text: &[u8]) -> String {
    parse(text, "bom.json").expect_err("refused").to_string()
}

const CDX_JSON: &str = r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"component": {"bom-ref": "root", "name": "app"},
               "tools": {"components": [{"name": "syft"}]}},
  "components": [
    {"bom-ref": "a", "name": "express", "version": "4.17.1", "purl": "pkg:npm/express@4.17.1",
     "licenses": [{"license": {"id": "MIT"}}],
     "components": [{"bom-ref": "n", "name": "inner", "purl": "pkg:npm/inner@1.0.0"}]},
    {"bom-ref": "b", "group": "org.example", "name": "lib", "version": "2.0",
     "purl": "pkg:maven/org.example/lib@2.0", "scope": "optional",
     "licenses": [{"expression": "MIT OR Apache-2.0"}]},
    {"bom-ref": "c", "name": "openssl", "version": "3.0.0",
     "cpe": "cpe:2.3:a:openssl:openssl:3.0.0:*:*:*:*:*:*:*"},
    {"bom-ref": "d", "name": "zlib", "purl": "pkg:generic/zlib@1.2.13"},
    {"name": 7}
  ],
  "dependencies": [
    {"ref": "root", "dependsOn": ["a", "b"]},
    {"ref": "a", "dependsOn": ["n"]}
  ]
}"#;

#[test]
fn cyclonedx_json_components_licenses_and_graph() {
    let doc = read(CDX_JSON);
    assert_eq!(doc.format, "CycloneDX 1.6 JSON");
    assert_eq!(doc.name.as_deref(), Some("app"));
    assert_eq!(doc.tool.as_deref(), Some("syft"));
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["express", "inner", "org.example/lib", "openssl", "zlib"]
    );
    assert_eq!(doc.components[2].licenses, ["MIT OR Apache-2.0"]);
    assert_eq!(doc.components[2].scope, Scope::Optional);
    assert_eq!(doc.diagnostics.len(), 1, "{:?}", doc.diagnostics);
    assert!(doc.diagnostics[0].message.contains("components[4]"));
    assert!(doc.diagnostics[0].message.contains("`name`"));
    assert_eq!(doc.diagnostics[0].file.as_deref(), Some("bom"));

    let listed = packages(doc, "bom.json");
    let purls: Vec<&str> = listed.packages.iter().map(|p| p.purl.as_str()).collect();
    assert_eq!(
        purls,
        [
            "pkg:npm/express@4.17.1",
            "pkg:npm/inner@1.0.0",
            "pkg:maven/org.example/lib@2.0"
        ]
    );
    assert_eq!(listed.packages[2].name, "org.example:lib");
    assert_eq!(listed.packages[0].direct, Some(true));
    assert_eq!(listed.packages[1].direct, Some(false));
    assert_eq!(listed.packages[1].introduced_by, ["pkg:npm/express@4.17.1"]);
    assert_eq!(listed.licenses[0], ["MIT"]);
    let reasons: Vec<&str> = listed
        .unidentified
        .iter()
        .map(|u| u.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "CPE only, no purl",
            "purl type `generic` is not an ecosystem trusca matches"
        ]
    );
    let ecosystems: Vec<Ecosystem> = listed.files.iter().map(|f| f.ecosystem).collect();
    assert_eq!(ecosystems, [Ecosystem::Npm, Ecosystem::Maven]);
}

#[test]
fn cyclonedx_1_2_dependency_objects_are_read() {
    let doc = read(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.2",
            "metadata":{"component":{"bom-ref":"r","name":"x"}},
            "components":[{"bom-ref":"a","name":"a","purl":"pkg:cargo/a@1.0.0"}],
            "dependencies":[{"ref":"r","dependsOn":[{"ref":"a"}]}]}"#,
    );
    assert_eq!(doc.dependencies, [("r".to_owned(), vec!["a".to_owned()])]);
}

#[test]
fn cyclonedx_xml_reads_like_json() {
    let doc = read(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata><component type="application" bom-ref="root"><name>app</name></component></metadata>
  <components>
    <component type="library" bom-ref="a">
      <name>express</name><version>4.17.1</version><purl>pkg:npm/express@4.17.1</purl>
      <licenses><license><id>MIT</id></license></licenses>
      <components>
        <component type="library" bom-ref="n"><name>inner</name><purl>pkg:npm/inner@1.0.0</purl></component>
      </components>
    </component>
    <component type="library"><name>openssl</name><cpe>cpe:2.3:a:openssl:openssl:3.0.0</cpe></component>
    <component type="library"><version>1</version></component>
  </components>
  <dependencies>
    <dependency ref="root"><dependency ref="a"/></dependency>
    <dependency ref="a"><dependency ref="n"/></dependency>
  </dependencies>
</bom>"#,
    );
    assert_eq!(doc.format, "CycloneDX 1.4 XML");
    assert_eq!(doc.root.as_deref(), Some("root"));
    let names: Vec<&str> = doc.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["express", "inner", "openssl"]);
    assert_eq!(doc.components[0].licenses, ["MIT"]);
    assert_eq!(doc.diagnostics.len(), 1);
    assert!(
        doc.diagnostics[0].message.contains("line 13"),
        "{:?}",
        doc.diagnostics
    );
    let listed = packages(doc, "bom.xml");
    assert_eq!(listed.packages[1].introduced_by, ["pkg:npm/express@4.17.1"]);
    assert_eq!(listed.unidentified.len(), 1);
}

const SPDX_JSON: &str = r#"{
  "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "app-sbom",
  "creationInfo": {"creators": ["Tool: syft-1.0", "Organization: x"]},
  "packages": [
    {"SPDXID": "SPDXRef-root", "name": "app"},
    {"SPDXID": "SPDXRef-a", "name": "requests", "versionInfo": "2.19.0",
     "licenseConcluded": "NOASSERTION", "licenseDeclared": "Apache-2.0",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                       "referenceLocator": "pkg:pypi/requests@2.19.0"}]},
    {"SPDXID": "SPDXRef-b", "name": "urllib3", "versionInfo": "1.23",
     "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
                       "referenceLocator": "pkg:pypi/urllib3@1.23"}]},
    {"SPDXID": "SPDXRef-c", "name": "pytest", "versionInfo": "7.0.0",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                       "referenceLocator": "pkg:pypi/pytest@7.0.0"}]},
    {"SPDXID": 5, "name": "bad"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-root"},
    {"spdxElementId": "SPDXRef-root", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-b", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-c", "relationshipType": "DEV_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-root"},
    {"spdxElementId": "SPDXRef-root", "relationshipType": 3}
  ]
}"#;

#[test]
fn spdx_json_packages_purls_and_relationships() {
    let doc = read(SPDX_JSON);
    assert_eq!(doc.format, "SPDX 2.3 JSON");
    assert_eq!(doc.tool.as_deref(), Some("syft-1.0"));
    assert_eq!(doc.root.as_deref(), Some("SPDXRef-root"));
    assert_eq!(doc.name.as_deref(), Some("app"));
    assert_eq!(doc.diagnostics.len(), 2, "{:?}", doc.diagnostics);
    let listed = packages(doc, "sbom.spdx.json");
    let got: Vec<(&str, Option<bool>, Scope)> = listed
        .packages
        .iter()
        .map(|p| (p.purl.as_str(), p.direct, p.scope))
        .collect();
    assert_eq!(
        got,
        [
            ("pkg:pypi/requests@2.19.0", Some(true), Scope::Runtime),
            ("pkg:pypi/urllib3@1.23", Some(false), Scope::Runtime),
            ("pkg:pypi/pytest@7.0.0", Some(true), Scope::Dev),
        ]
    );
    assert_eq!(
        listed.packages[1].introduced_by,
        ["pkg:pypi/requests@2.19.0"]
    );
    assert_eq!(listed.licenses[0], ["Apache-2.0"]);
}

#[test]
fn spdx_tag_value_reads_like_json() {
    let doc = read(
        "SPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\nDocumentName: app\n\
         Creator: Tool: trivy\n\
         Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-root\n\n\
         PackageName: app\nSPDXID: SPDXRef-root\n\n\
         PackageName: lodash\nSPDXID: SPDXRef-a\nPackageVersion: 4.17.20\n\
         PackageLicenseDeclared: MIT\n\
         ExternalRef: PACKAGE-MANAGER purl pkg:npm/lodash@4.17.20\n\
         PackageComment: <text>two\nlines</text>\n\
         Relationship: SPDXRef-root DEPENDS_ON SPDXRef-a\n\
         FileName: ./x\nSPDXID: SPDXRef-file\n",
    );
    assert_eq!(doc.format, "SPDX 2.2 tag-value");
    assert_eq!(doc.tool.as_deref(), Some("trivy"));
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    let listed = packages(doc, "sbom.spdx");
    assert_eq!(listed.packages.len(), 1);
    assert_eq!(listed.packages[0].purl, "pkg:npm/lodash@4.17.20");
    assert_eq!(listed.packages[0].direct, Some(true));
    assert_eq!(listed.licenses[0], ["MIT"]);
}

#[test]
fn duplicate_references_are_reported() {
    let doc = read(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
            {"bom-ref":"x","name":"a","purl":"pkg:npm/a@1.0.0"},
            {"bom-ref":"x","name":"b","purl":"pkg:npm/b@1.0.0"}]}"#,
    );
    assert_eq!(doc.components.len(), 2);
    assert!(
        doc.diagnostics[0].message.contains("`x`"),
        "{:?}",
        doc.diagnostics
    );
}

#[test]
fn hostile_documents_are_refused_with_the_field() {
    let cases: [(&[u8], &str); 10] = [
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"compo",
            "invalid JSON",
        ),
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}",
            "`specVersion` `2.0`",
        ),
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": 1.6}",
            "`specVersion` is not a string",
        ),
        (
            b"{\"bomFormat\": \"CycloneDX\"}",
            "`specVersion` is missing",
        ),
        (b"{\"spdxVersion\": \"SPDX-3.0\"}", "`SPDX-3.0`"),
        (
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"x\": \"\xff\"}",
            "UTF-8",
        ),
        (
            b"SPDXVersion: SPDX-2.3\nPackageComment: <text>never closed\n",
            "not closed",
        ),
        (
            b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>",
            "not closed",
        ),
        (
            b"<bom xmlns=\"http://cyclonedx.org/schema/bom/9.9\"/>",
            "`9.9`",
        ),
        (b"hello", "not a CycloneDX"),
    ];
    for (text, want) in cases {
        let got = refuse(text);
        assert!(got.contains(want), "{got} should contain {want}");
        assert!(got.contains("bom.json"), "{got}");
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let depth = 100_000;
    let json = format!(
        "{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":{}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(refuse(json.as_bytes()).contains("recursion limit"));
    let mut nested =
        String::from("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":");
    for _ in 0..60 {
        nested.push_str("[{\"name\":\"x\",\"components\":");
    }
    nested.push_str("[]");
    for _ in 0..60 {
        nested.push_str("}]");
    }
    nested.push('}');
    // Within serde's limit: read, every level a component.
    assert_eq!(read(&nested).components.len(), 60);
    let xml = format!(
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">{}{}</bom>",
        "<components><component>".repeat(300),
        "</component></components>".repeat(300)
    );
    assert!(refuse(xml.as_bytes()).contains("deeper than"));
}

#[test]
fn escapes_and_traversal_in_names_stay_text() {
    let doc = read(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
            {"name":"../../etc/passwd\u001b[31m","purl":"not a purl \u001b[0m"}]}"#,
    );
    let listed = packages(doc, "bom.json");
    assert!(listed.packages.is_empty());
    assert_eq!(listed.unidentified[0].reason, "invalid purl");
    assert!(
        listed.diagnostics[0].message.contains("\\u{1b}"),
        "{:?}",
        listed.diagnostics
    );
}

#[test]
fn a_large_document_is_read() {
    let mut json = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":["#);
    for i in 0..50_000 {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!(
            r#"{{"bom-ref":"c{i}","name":"p{i}","purl":"pkg:npm/p{i}@1.0.{i}"}}"#
        ));
    }
    json.push_str("]}");
    let listed = packages(read(&json), "bom.json");
    assert_eq!(listed.packages.len(), 50_000);
}

#[test]
fn sniffing_tells_the_kinds_apart() {
    assert_eq!(Kind::sniff(CDX_JSON.as_bytes()), Some(Kind::CycloneDxJson));
    assert_eq!(Kind::sniff(SPDX_JSON.as_bytes()), Some(Kind::SpdxJson));
    assert_eq!(
        Kind::sniff(b"\xef\xbb\xbfSPDXVersion: SPDX-2.3"),
        Some(Kind::SpdxTagValue)
    );
    assert_eq!(Kind::sniff(b"{\"name\": \"package.json\"}"), None);
    assert_eq!(Kind::sniff(b"<project/>"), None);
}

/// The CycloneDX specification's own example documents (in the shared data when it is there):
/// every one is read or refused with a message, none panics.
#[test]
fn specification_examples_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/schemas/cyclonedx/examples");
    let Ok(versions) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is not there", dir.display());
        return;
    };
    let mut read_ok = 0;
    for version in versions.flatten() {
        for file in std::fs::read_dir(version.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let bytes = std::fs::read(file.path()).unwrap_or_default();
            if parse(&bytes, "example").is_ok() {
                read_ok += 1;
            }
        }
    }
    assert!(read_ok > 50, "{read_ok}");
}
