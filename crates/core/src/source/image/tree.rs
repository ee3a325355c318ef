//! The flattened file system of an image: the files the catalogers read, the symbolic and hard
//! links, each with the layer that last wrote it. Layers are applied as a container runtime
//! applies them (a layer's whiteouts first, then its entries), but only the kept files hold
//! their bytes; everything else is dropped as it streams past.

use std::collections::BTreeMap;
use std::sync::Arc;

/// One kept path of the image.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A regular file and its bytes.
    File(Arc<[u8]>),
    /// A symbolic link and its target as written.
    Symlink(String),
}

/// A node and the layer (0-based) that wrote it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) node: Node,
    pub(crate) layer: usize,
}

/// What one layer does to the tree below it.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Paths removed by `.wh.NAME` files (the path and all below it).
    pub(crate) whiteouts: Vec<String>,
    /// Directories made opaque by `.wh..wh..opq`: everything below them from lower layers goes.
    pub(crate) opaque: Vec<String>,
    /// Entries in archive order.
    pub(crate) entries: Vec<(String, Change)>,
}

/// One entry of a layer.
#[derive(Debug)]
pub(crate) enum Change {
    /// A kept regular file.
    File(Arc<[u8]>),
    /// A symbolic link.
    Symlink(String),
    /// A hard link to another path of the image.
    HardLink(String),
    /// A directory, or a file whose bytes are not kept: it replaces what was at its path.
    Other {
        /// Whether it is a directory (which keeps what is below it).
        directory: bool,
    },
}

/// Why a path could not be resolved inside the image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ResolveError {
    /// More links were followed than a runtime follows (a loop).
    #[error("too many levels of symbolic links (a loop?) at `{0}`")]
    Loop(String),
}

/// The most links followed while resolving one path, as Linux allows.
const MAX_LINKS: usize = 40;

/// A kept file's bytes and the layer that wrote it.
pub(crate) type Kept<'a> = (&'a Arc<[u8]>, usize);

/// The flattened image.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    nodes: BTreeMap<String, Entry>,
    /// Every version of the package databases written, in layer order: (path, layer, bytes).
    history: Vec<(String, usize, Arc<[u8]>)>,
}

/// The package databases whose every version is kept, to tell which layer added a package.
const VERSIONED: &[&str] = &["var/lib/dpkg/status", "lib/apk/db/installed"];

impl Tree {
    /// Applies one layer's changes on top of the tree.
    pub(crate) fn apply(&mut self, layer: usize, changes: Changes) {
        for dir in &changes.opaque {
            self.remove_below(dir);
        }
        for path in &changes.whiteouts {
            self.remove(path);
        }
        for (path, change) in changes.entries {
            match change {
                Change::File(bytes) => self.put(path, Node::File(bytes), layer),
                Change::Symlink(target) => self.put(path, Node::Symlink(target), layer),
                Change::HardLink(target) => match self.nodes.get(&target).map(|e| e.node.clone()) {
                    Some(node) => self.put(path, node, layer),
                    None => self.remove(&path),
                },
                Change::Other { directory: true } => {
                    // A directory replaces a file or link at its path, not what is below it.
                    self.nodes.remove(&path);
                }
                Change::Other { directory: false } => self.remove(&path),
            }
        }
    }

    fn put(&mut self, path: String, node: Node, layer: usize) {
        self.remove_below(&path);
        if let Node::File(bytes) = &node {
            if VERSIONED.contains(&path.as_str()) {
                self.history.push((path.clone(), layer, bytes.clone()));
            }
        }
        self.nodes.insert(path, Entry { node, layer });
    }

    /// Removes a path and everything below it.
    fn remove(&mut self, path: &str) {
        self.nodes.remove(path);
        self.remove_below(path);
    }

    /// Removes everything below a directory (not the directory itself).
    fn remove_below(&mut self, dir: &str) {
        let prefix = format!("{dir}/");
        let below: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in below {
            self.nodes.remove(&k);
        }
    }

    /// Every version of the package databases written, in layer order: (path, layer, bytes).
    pub(crate) fn history(&self) -> &[(String, usize, Arc<[u8]>)] {
        &self.history
    }

    /// Every kept regular file with its bytes and layer, in path order.
    pub(crate) fn files(&self) -> impl Iterator<Item = (&str, &Arc<[u8]>, usize)> {
        self.nodes.iter().filter_map(|(p, e)| match &e.node {
            Node::File(bytes) => Some((p.as_str(), bytes, e.layer)),
            Node::Symlink(_) => None,
        })
    }

    /// Every symbolic link, in path order.
    pub(crate) fn symlinks(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().filter_map(|(p, e)| match &e.node {
            Node::Symlink(_) => Some(p.as_str()),
            Node::File(_) => None,
        })
    }

    /// The kept file a path names once its links are followed inside the image root (`..` at
    /// the root stays at the root, as in a chroot), with the layer that wrote it. `Ok(None)`
    /// when it names nothing kept.
    pub(crate) fn lookup(&self, path: &str) -> Result<Option<Kept<'_>>, ResolveError> {
        let resolved = self.resolve(path)?;
        Ok(match self.nodes.get(&resolved) {
            Some(Entry {
                node: Node::File(bytes),
                layer,
            }) => Some((bytes, *layer)),
            _ => None,
        })
    }

    /// The path with every symbolic link along it followed, inside the image root.
    pub(crate) fn resolve(&self, path: &str) -> Result<String, ResolveError> {
        let mut pending: Vec<String> = components(path).rev().map(str::to_owned).collect();
        let mut done: Vec<String> = Vec::new();
        let mut links = 0;
        while let Some(part) = pending.pop() {
            match part.as_str() {
                "." | "" => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => {}
            }
            done.push(part);
            let here = done.join("/");
            if let Some(Entry {
                node: Node::Symlink(target),
                ..
            }) = self.nodes.get(&here)
            {
                links += 1;
                if links > MAX_LINKS {
                    return Err(ResolveError::Loop(path.to_owned()));
                }
                done.pop();
                if target.starts_with('/') {
                    done.clear();
                }
                pending.extend(components(target).rev().map(str::to_owned));
            }
        }
        Ok(done.join("/"))
    }
}

fn components(path: &str) -> std::iter::Filter<std::str::Split<'_, char>, fn(&&str) -> bool> {
    path.split('/').filter(|c| !c.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Change {
        Change::File(Arc::from(text.as_bytes()))
    }

    fn layer(entries: Vec<(&str, Change)>) -> Changes {
        Changes {
            entries: entries
                .into_iter()
                .map(|(p, c)| (p.to_owned(), c))
                .collect(),
            ..Changes::default()
        }
    }

    fn text(tree: &Tree, path: &str) -> Option<String> {
        tree.lookup(path)
            .expect("resolves")
            .map(|(b, _)| String::from_utf8_lossy(b).into_owned())
    }

    #[test]
    fn upper_layers_replace_and_whiteouts_remove() {
        let mut tree = Tree::default();
        tree.apply(
            0,
            layer(vec![
                ("a/x", file("1")),
                ("a/y", file("2")),
                ("b/z", file("3")),
            ]),
        );
        let mut second = layer(vec![("a/y", file("new"))]);
        second.whiteouts.push("b".to_owned());
        tree.apply(1, second);
        assert_eq!(text(&tree, "a/x").as_deref(), Some("1"));
        assert_eq!(text(&tree, "a/y").as_deref(), Some("new"));
        assert_eq!(tree.lookup("a/y").expect("ok").map(|(_, l)| l), Some(1));
        assert_eq!(text(&tree, "b/z"), None);
    }

    #[test]
    fn opaque_directories_hide_lower_layers_only() {
        let mut tree = Tree::default();
        tree.apply(0, layer(vec![("d/old", file("1")), ("e/keep", file("2"))]));
        let mut second = layer(vec![("d/new", file("3"))]);
        second.opaque.push("d".to_owned());
        tree.apply(1, second);
        assert_eq!(text(&tree, "d/old"), None);
        assert_eq!(text(&tree, "d/new").as_deref(), Some("3"));
        assert_eq!(text(&tree, "e/keep").as_deref(), Some("2"));
    }

    #[test]
    fn links_resolve_inside_the_root() {
        let mut tree = Tree::default();
        tree.apply(
            0,
            layer(vec![
                ("usr/lib/os-release", file("ID=x")),
                (
                    "etc/os-release",
                    Change::Symlink("../usr/lib/os-release".into()),
                ),
                ("etc/abs", Change::Symlink("/usr/lib/os-release".into())),
                (
                    "etc/climb",
                    Change::Symlink("../../../../usr/lib/os-release".into()),
                ),
                ("lib", Change::Symlink("usr/lib".into())),
                ("copy", Change::HardLink("usr/lib/os-release".into())),
            ]),
        );
        for path in [
            "etc/os-release",
            "etc/abs",
            "etc/climb",
            "lib/os-release",
            "copy",
        ] {
            assert_eq!(text(&tree, path).as_deref(), Some("ID=x"), "{path}");
        }
    }

    #[test]
    fn a_symlink_loop_is_an_error() {
        let mut tree = Tree::default();
        tree.apply(
            0,
            layer(vec![
                ("a", Change::Symlink("b".into())),
                ("b", Change::Symlink("a".into())),
            ]),
        );
        assert!(matches!(tree.lookup("a/file"), Err(ResolveError::Loop(_))));
    }

    #[test]
    fn a_file_replacing_a_directory_removes_what_was_below() {
        let mut tree = Tree::default();
        tree.apply(0, layer(vec![("d/x", file("1"))]));
        tree.apply(1, layer(vec![("d", Change::Other { directory: false })]));
        assert_eq!(text(&tree, "d/x"), None);
    }
}
