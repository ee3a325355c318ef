//! `pom.xml`: a Maven project's declared dependencies.
//!
//! The extractor builds the part of Maven's effective model that decides dependency
//! coordinates, without any network: properties (with `${...}` interpolation, nested and
//! cycle-safe), the `project.*`/`parent.*` built-ins, `dependencyManagement` supplying missing
//! versions and scopes, profiles that are active by default, and parent POMs read from disk
//! through `relativePath` (by default `../pom.xml`), to a bounded depth. Parents that are only in
//! a repository, and imported BOMs, are not fetched.
//!
//! Every declared dependency is direct. `test` and `provided` scopes are dev dependencies,
//! `<optional>true</optional>` an optional one; the scope name is the group. Dependencies are
//! de-duplicated by `groupId:artifactId` (the first declaration wins), as upstream tools do. A
//! version range (`[1.0,2.0)`) is kept as the requirement, its inclusive lower bound as the version.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::ranges;
use super::xml_tree::{self, Element};
use super::{file_name_is, Extracted, Extractor, Input, Kind, ParseError};
use crate::diag::{Code, Diagnostic};
use crate::model::{Ecosystem, Location, Package, Scope};

/// The registration of this format.
pub const EXTRACTOR: Extractor = Extractor {
    format: "pom.xml",
    slug: "pom-xml",
    ecosystem: Ecosystem::Maven,
    kind: Kind::Manifest,
    matches: |p: &Path| file_name_is(p, "pom.xml"),
    extract,
};

/// How many parent POMs are followed on disk.
const MAX_PARENTS: usize = 8;
/// The largest parent POM read.
const MAX_PARENT_BYTES: u64 = 8 * 1024 * 1024;
/// How deep `${...}` references may nest, and how long an interpolated value may grow.
const MAX_INTERPOLATION_DEPTH: usize = 32;
const MAX_INTERPOLATED_LEN: usize = 64 * 1024;

/// One POM file, as far as dependencies are concerned.
struct Pom {
    /// Where the file is shown to users.
    display: String,
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    parent: Option<ParentRef>,
    properties: HashMap<String, String>,
    dependencies: Vec<Dependency>,
    managed: Vec<Dependency>,
}

struct ParentRef {
    group_id: String,
    artifact_id: String,
    version: String,
    relative_path: Option<String>,
    line: u32,
}

#[derive(Clone)]
struct Dependency {
    group_id: String,
    artifact_id: String,
    version: Option<String>,
    scope: Option<String>,
    optional: bool,
    line: u32,
}

fn extract(input: &Input<'_>) -> Result<Extracted, ParseError> {
    let root = xml_tree::parse(input.text)?;
    if root.name != "project" {
        return Err(ParseError::new(
            format!("not a Maven POM: the root element is `<{}>`", root.name),
            Some(root.line(input.text)),
        ));
    }
    let mut out = Extracted::default();
    let mut chain = vec![read_pom(&root, input.display, input.text)];
    load_parents(input, &mut chain, &mut out.diagnostics);

    let model = Model::new(&chain);
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for pom in &chain {
        for dep in &pom.dependencies {
            let warn = |msg: String| {
                Diagnostic::warning(Code::ParseError, msg).in_file(&pom.display, Some(dep.line))
            };
            let group = model.interpolate(&dep.group_id);
            let artifact = model.interpolate(&dep.artifact_id);
            if group.is_empty() || artifact.is_empty() {
                out.diagnostics.push(warn(
                    "skipped a dependency without `groupId` or `artifactId`".into(),
                ));
                continue;
            }
            if group.contains("${") || artifact.contains("${") {
                out.diagnostics.push(warn(format!(
                    "skipped dependency `{group}:{artifact}`: a property it uses is not defined"
                )));
                continue;
            }
            if !seen.insert((group.clone(), artifact.clone())) {
                continue;
            }
            let managed = model.managed(&group, &artifact);
            let version = dep
                .version
                .as_deref()
                .or_else(|| managed.and_then(|m| m.version.as_deref()))
                .map(|v| model.interpolate(v));
            let scope = dep
                .scope
                .as_deref()
                .or_else(|| managed.and_then(|m| m.scope.as_deref()))
                .map(|s| model.interpolate(s));
            let location = Location {
                file: pom.display.as_str().into(),
                line: Some(dep.line),
            };
            let name = format!("{group}:{artifact}");
            let mut pkg = match version.as_deref() {
                Some(v) if v.contains("${") => {
                    out.diagnostics.push(warn(format!(
                        "version `{v}` of `{name}` uses a property that is not defined"
                    )));
                    Package::new(Ecosystem::Maven, &name, None, location).with_requirement(v)
                }
                Some(v) => {
                    let (version, requirement) = ranges::maven(v);
                    let pkg = Package::new(Ecosystem::Maven, &name, version.as_deref(), location);
                    match requirement {
                        Some(r) => pkg.with_requirement(r),
                        None => pkg,
                    }
                }
                None => {
                    out.diagnostics.push(
                        Diagnostic::warning(
                            Code::Unpinned,
                            format!("`{name}` has no version here or in a local parent's `dependencyManagement`"),
                        )
                        .in_file(&pom.display, Some(dep.line)),
                    );
                    Package::new(Ecosystem::Maven, &name, None, location)
                }
            };
            pkg.direct = Some(true);
            if let Some(scope) = scope.filter(|s| !s.is_empty()) {
                if matches!(scope.as_str(), "test" | "provided") {
                    pkg.scope = Scope::Dev;
                }
                if scope != "compile" {
                    pkg.add_group(&scope);
                }
            }
            if dep.optional && pkg.scope == Scope::Runtime {
                pkg.scope = Scope::Optional;
            }
            out.packages.push(pkg);
        }
    }
    Ok(out)
}

/// Reads what matters from a parsed POM, with the profiles that are active by default merged in.
fn read_pom(root: &Element, display: &str, text: &str) -> Pom {
    let text_of = |el: &Element, name: &str| {
        el.child_text(name)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let parent = root.child("parent").map(|p| ParentRef {
        group_id: text_of(p, "groupId").unwrap_or_default(),
        artifact_id: text_of(p, "artifactId").unwrap_or_default(),
        version: text_of(p, "version").unwrap_or_default(),
        // An empty `<relativePath/>` means "not on disk".
        relative_path: p.child("relativePath").map(|r| r.trimmed().to_owned()),
        line: p.line(text),
    });
    let mut pom = Pom {
        display: display.to_owned(),
        group_id: text_of(root, "groupId"),
        artifact_id: text_of(root, "artifactId"),
        version: text_of(root, "version"),
        parent,
        properties: HashMap::new(),
        dependencies: Vec::new(),
        managed: Vec::new(),
    };
    let active_profiles = root
        .child("profiles")
        .into_iter()
        .flat_map(|ps| ps.children_named("profile"))
        .filter(|p| {
            p.path(&["activation", "activeByDefault"])
                .is_some_and(|a| a.trimmed() == "true")
        });
    for section in std::iter::once(root).chain(active_profiles) {
        if let Some(props) = section.child("properties") {
            // Later sections win: an active profile overrides the project's properties.
            for p in &props.children {
                pom.properties
                    .insert(p.name.clone(), p.trimmed().to_owned());
            }
        }
        let deps = section.child("dependencies").into_iter();
        pom.dependencies.extend(
            deps.flat_map(|d| d.children_named("dependency"))
                .map(|d| dependency(d, text)),
        );
        let managed = section
            .path(&["dependencyManagement", "dependencies"])
            .into_iter();
        pom.managed.extend(
            managed
                .flat_map(|d| d.children_named("dependency"))
                .map(|d| dependency(d, text)),
        );
    }
    pom
}

fn dependency(el: &Element, text: &str) -> Dependency {
    let get = |name: &str| el.child_text(name).unwrap_or_default().to_owned();
    let opt = |name: &str| {
        el.child_text(name)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    Dependency {
        group_id: get("groupId"),
        artifact_id: get("artifactId"),
        version: opt("version"),
        scope: opt("scope"),
        optional: el.child_text("optional") == Some("true"),
        line: el.line(text),
    }
}

/// Follows `<parent>` through `relativePath` on disk, appending each parent found to `chain`.
fn load_parents(input: &Input<'_>, chain: &mut Vec<Pom>, diags: &mut Vec<Diagnostic>) {
    let mut dir: Option<PathBuf> = input.path.parent().map(Path::to_path_buf);
    let mut visited: HashSet<PathBuf> = HashSet::new();
    if let Ok(me) = input.path.canonicalize() {
        visited.insert(me);
    }
    while chain.len() <= MAX_PARENTS {
        let Some(child) = chain.last() else { break };
        let Some(parent) = &child.parent else { break };
        let rel = match parent.relative_path.as_deref() {
            None => "../pom.xml",
            Some("") => break,
            Some(rel) => rel,
        };
        let coords = format!(
            "{}:{}:{}",
            parent.group_id, parent.artifact_id, parent.version
        );
        let not_local = |why: &str| {
            Diagnostic::warning(
                Code::Unsupported,
                format!("parent POM `{coords}` is not read ({why}); versions and properties it defines are unknown"),
            )
            .in_file(&child.display, Some(parent.line))
        };
        let Some(base) = dir.as_ref() else { break };
        let mut path = base.join(rel);
        if path.is_dir() {
            path = path.join("pom.xml");
        }
        let display = join_display(
            &child.display,
            rel,
            path.ends_with("pom.xml") && !rel.ends_with(".xml"),
        );
        let Ok(canonical) = path.canonicalize() else {
            diags.push(not_local(&format!("no file at `{rel}`")));
            break;
        };
        if !visited.insert(canonical) {
            diags.push(not_local("the parent chain loops"));
            break;
        }
        let text = match std::fs::metadata(&path) {
            Ok(meta) if meta.len() > MAX_PARENT_BYTES => {
                diags.push(not_local("the file is too large"));
                break;
            }
            Ok(_) => match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(_) => {
                    diags.push(not_local("the file cannot be read"));
                    break;
                }
            },
            Err(_) => {
                diags.push(not_local("the file cannot be read"));
                break;
            }
        };
        let root = match xml_tree::parse(&text) {
            Ok(root) if root.name == "project" => root,
            _ => {
                diags.push(not_local(&format!("`{rel}` is not a valid POM")));
                break;
            }
        };
        let pom = read_pom(&root, &display, &text);
        let group = pom
            .group_id
            .as_deref()
            .or_else(|| pom.parent.as_ref().map(|p| p.group_id.as_str()));
        if group != Some(parent.group_id.as_str())
            || pom.artifact_id.as_deref() != Some(parent.artifact_id.as_str())
        {
            diags.push(not_local(&format!("`{rel}` is a different project")));
            break;
        }
        dir = path.parent().map(Path::to_path_buf);
        chain.push(pom);
    }
}

/// The display path of a parent POM: the child's directory joined with `rel`, normalised.
fn join_display(child: &str, rel: &str, add_pom: bool) -> String {
    let mut parts: Vec<&str> = child.split('/').collect();
    parts.pop();
    let rel = rel.replace('\\', "/");
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    if add_pom {
        parts.push("pom.xml");
    }
    parts.join("/")
}

/// The effective model of a POM and its local parents: property lookup and managed versions.
struct Model<'a> {
    chain: &'a [Pom],
    cache: std::cell::RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Model<'a> {
    fn new(chain: &'a [Pom]) -> Self {
        Model {
            chain,
            cache: std::cell::RefCell::new(HashMap::new()),
        }
    }

    /// The nearest `dependencyManagement` entry for a dependency.
    fn managed(&self, group: &str, artifact: &str) -> Option<&'a Dependency> {
        self.chain.iter().flat_map(|p| &p.managed).find(|m| {
            self.interpolate(&m.group_id) == group && self.interpolate(&m.artifact_id) == artifact
        })
    }

    /// The raw (uninterpolated) value of a property: model fields for `project.*`, `pom.*` and
    /// `parent.*`, then `<properties>` from the child up through its parents.
    fn raw_property(&self, name: &str) -> Option<String> {
        let me = self.chain.first()?;
        let parent = me.parent.as_ref();
        let field = |f: &str| -> Option<String> {
            match f {
                "groupId" => me
                    .group_id
                    .clone()
                    .or_else(|| parent.map(|p| p.group_id.clone())),
                "artifactId" => me.artifact_id.clone(),
                "version" => me
                    .version
                    .clone()
                    .or_else(|| parent.map(|p| p.version.clone())),
                "parent.groupId" => parent.map(|p| p.group_id.clone()),
                "parent.artifactId" => parent.map(|p| p.artifact_id.clone()),
                "parent.version" => parent.map(|p| p.version.clone()),
                _ => None,
            }
        };
        if let Some(f) = name
            .strip_prefix("project.")
            .or_else(|| name.strip_prefix("pom."))
        {
            if let Some(v) = field(f) {
                return Some(v);
            }
        }
        if let Some(v) = self.chain.iter().find_map(|p| p.properties.get(name)) {
            return Some(v.clone());
        }
        if name.starts_with("parent.") {
            return field(name);
        }
        None
    }

    /// Replaces every `${name}` that can be resolved; unresolvable ones stay as written.
    fn interpolate(&self, s: &str) -> String {
        let mut stack = Vec::new();
        self.interpolate_at(s, &mut stack)
    }

    fn interpolate_at(&self, s: &str, stack: &mut Vec<String>) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = &after[..end];
            match self.resolve(name, stack) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[end + 1..];
            if out.len() > MAX_INTERPOLATED_LEN {
                return out;
            }
        }
        out.push_str(rest);
        out
    }

    /// A property's fully interpolated value, or `None` when it is undefined, refers to itself,
    /// or nests too deeply.
    fn resolve(&self, name: &str, stack: &mut Vec<String>) -> Option<String> {
        if let Some(hit) = self.cache.borrow().get(name) {
            return hit.clone();
        }
        if stack.len() >= MAX_INTERPOLATION_DEPTH || stack.iter().any(|n| n == name) {
            return None;
        }
        let raw = self.raw_property(name)?;
        stack.push(name.to_owned());
        let value = self.interpolate_at(&raw, stack);
        stack.pop();
        let value = (!value.contains("${")).then_some(value);
        // Failures are cached too: a property that meets a cycle fails from any starting point,
        // and without the cache a chain of doubling properties would take exponential time.
        self.cache
            .borrow_mut()
            .insert(name.to_owned(), value.clone());
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::testing;

    fn run(text: &str) -> Result<Extracted, ParseError> {
        EXTRACTOR.run(&Input {
            display: "pom.xml",
            path: Path::new("/nonexistent/dir/pom.xml"),
            text,
        })
    }

    fn summary(out: &Extracted) -> Vec<(String, Option<String>, Scope)> {
        out.packages
            .iter()
            .map(|p| {
                (
                    p.name.to_string(),
                    p.version.clone().map(String::from),
                    p.scope,
                )
            })
            .collect()
    }

    #[test]
    fn matches_upstream_fixtures() {
        testing::check_fixture_dir("Maven/pom-xml", &EXTRACTOR, &[]);
    }

    #[test]
    fn hostile_input_gives_errors_not_panics() {
        let sample = std::fs::read_to_string(
            testing::repo_fixtures().join("lockfiles/Maven/pom-xml/transitive.xml"),
        )
        .expect("fixture");
        testing::check_hostile(&EXTRACTOR, &sample);
    }

    #[test]
    fn properties_nest_and_cycles_stay_unresolved() {
        let text = r#"<project>
  <groupId>org.me</groupId>
  <version>2.0</version>
  <properties>
    <base>1.2</base>
    <full>${base}.3</full>
    <a>${b}</a>
    <b>${a}</b>
  </properties>
  <dependencies>
    <dependency><groupId>x</groupId><artifactId>nested</artifactId><version>${full}</version></dependency>
    <dependency><groupId>${project.groupId}</groupId><artifactId>sib</artifactId><version>${project.version}</version></dependency>
    <dependency><groupId>x</groupId><artifactId>loop</artifactId><version>${a}</version></dependency>
  </dependencies>
</project>"#;
        let out = run(text).expect("parses");
        assert_eq!(
            summary(&out),
            [
                ("x:nested".into(), Some("1.2.3".into()), Scope::Runtime),
                ("org.me:sib".into(), Some("2.0".into()), Scope::Runtime),
                ("x:loop".into(), None, Scope::Runtime),
            ]
        );
        assert_eq!(out.packages[2].requirement.as_deref(), Some("${a}"));
        assert_eq!(out.packages[1].location.line, Some(12));
        assert!(out.packages.iter().all(|p| p.direct == Some(true)));
    }

    #[test]
    fn exponential_properties_are_bounded() {
        let mut props = String::from("<p0>x</p0>");
        for i in 1..40 {
            props.push_str(&format!("<p{i}>${{p{0}}}${{p{0}}}</p{i}>", i - 1));
        }
        let text = format!(
            "<project><properties>{props}</properties><dependencies><dependency>\
             <groupId>g</groupId><artifactId>a</artifactId><version>${{p39}}</version>\
             </dependency></dependencies></project>"
        );
        let out = run(&text).expect("parses");
        assert_eq!(out.packages.len(), 1);
    }

    #[test]
    fn scopes_optional_and_management() {
        let text = r#"<project>
  <dependencyManagement><dependencies>
    <dependency><groupId>m</groupId><artifactId>managed</artifactId><version>3.1</version><scope>test</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>m</groupId><artifactId>managed</artifactId></dependency>
    <dependency><groupId>p</groupId><artifactId>prov</artifactId><version>1</version><scope>provided</scope></dependency>
    <dependency><groupId>o</groupId><artifactId>opt</artifactId><version>1</version><optional>true</optional></dependency>
    <dependency><groupId>r</groupId><artifactId>range</artifactId><version>[1.0,2.0)</version></dependency>
    <dependency><groupId>n</groupId><artifactId>none</artifactId></dependency>
  </dependencies>
</project>"#;
        let out = run(text).expect("parses");
        assert_eq!(
            summary(&out),
            [
                ("m:managed".into(), Some("3.1".into()), Scope::Dev),
                ("p:prov".into(), Some("1".into()), Scope::Dev),
                ("o:opt".into(), Some("1".into()), Scope::Optional),
                ("r:range".into(), Some("1.0".into()), Scope::Runtime),
                ("n:none".into(), None, Scope::Runtime),
            ]
        );
        assert_eq!(out.packages[0].groups, ["test"]);
        assert_eq!(out.packages[3].requirement.as_deref(), Some("[1.0,2.0)"));
        assert!(out.diagnostics.iter().any(|d| d.code == Code::Unpinned));
    }

    #[test]
    fn only_default_profiles_apply_and_override_properties() {
        let text = r#"<project>
  <properties><v>1.0</v></properties>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${v}</version></dependency>
  </dependencies>
  <profiles>
    <profile>
      <activation><activeByDefault>true</activeByDefault></activation>
      <properties><v>2.0</v></properties>
    </profile>
    <profile>
      <id>off</id>
      <dependencies>
        <dependency><groupId>g</groupId><artifactId>off</artifactId><version>1</version></dependency>
      </dependencies>
    </profile>
  </profiles>
</project>"#;
        let out = run(text).expect("parses");
        assert_eq!(
            summary(&out),
            [("g:a".into(), Some("2.0".into()), Scope::Runtime)]
        );
    }

    #[test]
    fn parents_are_read_from_disk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let parent = r#"<project>
  <groupId>org.p</groupId><artifactId>parent</artifactId><version>7</version>
  <parent><groupId>org.g</groupId><artifactId>grand</artifactId><version>1</version><relativePath>grand</relativePath></parent>
  <properties><lib.version>4.5</lib.version></properties>
  <dependencies>
    <dependency><groupId>org.inherited</groupId><artifactId>dep</artifactId><version>${project.version}</version></dependency>
  </dependencies>
</project>"#;
        let grand = r#"<project>
  <groupId>org.g</groupId><artifactId>grand</artifactId><version>1</version>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.lib</groupId><artifactId>lib</artifactId><version>${lib.version}</version></dependency>
  </dependencies></dependencyManagement>
</project>"#;
        let child = r#"<project>
  <parent><groupId>org.p</groupId><artifactId>parent</artifactId><version>7</version></parent>
  <artifactId>child</artifactId>
  <dependencies>
    <dependency><groupId>org.lib</groupId><artifactId>lib</artifactId></dependency>
  </dependencies>
</project>"#;
        let root = dir.path();
        std::fs::create_dir_all(root.join("app")).expect("mkdir");
        std::fs::create_dir_all(root.join("grand")).expect("mkdir");
        std::fs::write(root.join("pom.xml"), parent).expect("write");
        std::fs::write(root.join("grand/pom.xml"), grand).expect("write");
        std::fs::write(root.join("app/pom.xml"), child).expect("write");
        let out = EXTRACTOR
            .run(&Input {
                display: "app/pom.xml",
                path: &root.join("app/pom.xml"),
                text: child,
            })
            .expect("parses");
        assert_eq!(
            summary(&out),
            [
                ("org.lib:lib".into(), Some("4.5".into()), Scope::Runtime),
                ("org.inherited:dep".into(), Some("7".into()), Scope::Runtime),
            ]
        );
        assert_eq!(out.packages[1].location.file, "pom.xml");
        assert_eq!(out.packages[1].location.line, Some(6));
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }

    #[test]
    fn parent_loops_and_mismatches_stop_with_a_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        let me = r#"<project><groupId>a</groupId><artifactId>self</artifactId>
<parent><groupId>a</groupId><artifactId>self</artifactId><version>1</version><relativePath>pom.xml</relativePath></parent>
</project>"#;
        let path = dir.path().join("pom.xml");
        std::fs::write(&path, me).expect("write");
        let out = EXTRACTOR
            .run(&Input {
                display: "pom.xml",
                path: &path,
                text: me,
            })
            .expect("parses");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(2));
        let missing = run(
            "<project><parent><groupId>g</groupId><artifactId>p</artifactId></parent></project>",
        )
        .expect("parses");
        assert_eq!(missing.diagnostics[0].code, Code::Unsupported);
    }

    #[test]
    fn display_paths_are_normalised() {
        assert_eq!(join_display("app/pom.xml", "../pom.xml", false), "pom.xml");
        assert_eq!(join_display("pom.xml", "../pom.xml", false), "../pom.xml");
        assert_eq!(join_display("a/b/pom.xml", "../c", true), "a/c/pom.xml");
    }

    #[test]
    fn broken_xml_names_the_line() {
        let err = run("<project>\n  <dependencies>\n</project>\n").expect_err("mismatched");
        assert_eq!(err.line, Some(3), "{err}");
        let err = run("<settings/>").expect_err("not a pom");
        assert_eq!(err.line, Some(1));
    }
}
