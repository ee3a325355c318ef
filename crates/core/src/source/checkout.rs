//! The commit and top level of a local git checkout, read from its files.
//!
//! Written here rather than asked of libgit2: the first libgit2 call of a process initialises
//! OpenSSL and parses the whole system certificate bundle, about 20 ms, which was a third of a
//! small repository's scan for two small files; gitoxide's ref crates would bring a dozen crates
//! for the same two reads. What is read: `.git` (a directory, or a file `gitdir: …` of a worktree
//! or submodule), `HEAD` (a commit id, or `ref: refs/…`), the ref as a loose file or a line of
//! `packed-refs`, in the worktree's git directory or the common one (`commondir`). Anything else
//! (a reftable repository, a ref pointing at a ref) answers `None`, and the caller asks libgit2.

use std::path::{Path, PathBuf};

/// The largest ref file read: `packed-refs` of a repository with very many tags is large, but
/// not this large.
const MAX_REFS_BYTES: u64 = 64 * 1024 * 1024;

/// A checkout found from a path inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// The top level of the working tree (the directory holding `.git`).
    pub top: PathBuf,
    /// The git directory of this working tree.
    git_dir: PathBuf,
}

impl Checkout {
    /// The checkout holding `path` (or `path` itself), looking up through its parents.
    pub fn discover(path: &Path) -> Option<Checkout> {
        let start = std::fs::canonicalize(path).ok()?;
        for dir in start.ancestors() {
            let dot_git = dir.join(".git");
            let Ok(meta) = std::fs::metadata(&dot_git) else {
                continue;
            };
            let git_dir = if meta.is_dir() {
                dot_git
            } else {
                let text = read_small(&dot_git)?;
                let target = text.strip_prefix("gitdir:")?.trim();
                let target = Path::new(target);
                if target.is_absolute() {
                    target.to_path_buf()
                } else {
                    dir.join(target)
                }
            };
            return git_dir.join("HEAD").is_file().then(|| Checkout {
                top: dir.to_path_buf(),
                git_dir,
            });
        }
        None
    }

    /// The commit checked out, as 40 (or 64) hex digits.
    pub fn head(&self) -> Option<String> {
        let head = read_small(&self.git_dir.join("HEAD"))?;
        let head = head.trim();
        match head.strip_prefix("ref:") {
            None => object_id(head),
            Some(name) => self.resolve(name.trim()),
        }
    }

    /// The commit a ref names: its loose file, else its line in `packed-refs`.
    fn resolve(&self, name: &str) -> Option<String> {
        if !name.starts_with("refs/") || name.split('/').any(|s| s.is_empty() || s == "..") {
            return None;
        }
        let common = self.common_dir();
        for dir in [&self.git_dir, &common] {
            if let Some(text) = read_small(&dir.join(name)) {
                return object_id(text.trim());
            }
        }
        let packed = read_small(&common.join("packed-refs"))?;
        packed
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with('^'))
            .find_map(|l| {
                let (id, ref_name) = l.split_once(' ')?;
                (ref_name.trim() == name).then(|| object_id(id)).flatten()
            })
    }

    /// The directory shared by every worktree of the repository (`commondir`), else the git
    /// directory itself.
    fn common_dir(&self) -> PathBuf {
        match read_small(&self.git_dir.join("commondir")) {
            Some(text) => {
                let rel = Path::new(text.trim());
                if rel.is_absolute() {
                    rel.to_path_buf()
                } else {
                    self.git_dir.join(rel)
                }
            }
            None => self.git_dir.clone(),
        }
    }
}

/// A file's text when it is small enough to be a ref file.
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_REFS_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// `text` when it is an object id (SHA-1 or SHA-256 hex), lower case.
fn object_id(text: &str) -> Option<String> {
    let ok = matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef01234567";
    const B: &str = "89abcdef0123456789abcdef0123456789abcdef";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn heads_come_from_loose_refs_packed_refs_or_a_detached_head() {
        let repo = tempfile::tempdir().expect("tempdir");
        let git = repo.path().join(".git");
        write(&git.join("HEAD"), "ref: refs/heads/main\n");
        write(&git.join("refs/heads/main"), &format!("{A}\n"));
        std::fs::create_dir_all(repo.path().join("src/deep")).expect("mkdir");
        let found = Checkout::discover(&repo.path().join("src/deep")).expect("checkout");
        assert_eq!(
            found.top,
            std::fs::canonicalize(repo.path()).expect("canonical")
        );
        assert_eq!(found.head().as_deref(), Some(A));

        std::fs::remove_file(git.join("refs/heads/main")).expect("rm");
        write(
            &git.join("packed-refs"),
            &format!("# pack-refs with: peeled fully-peeled sorted\n{B} refs/heads/main\n^{A}\n"),
        );
        assert_eq!(found.head().as_deref(), Some(B));

        write(&git.join("HEAD"), &format!("{A}\n"));
        assert_eq!(found.head().as_deref(), Some(A));

        // A ref that is not there, or that tries to leave the git directory.
        write(&git.join("HEAD"), "ref: refs/heads/gone\n");
        assert_eq!(found.head(), None);
        write(&git.join("HEAD"), "ref: refs/../../../etc/passwd\n");
        assert_eq!(found.head(), None);
        write(&git.join("HEAD"), "garbage");
        assert_eq!(found.head(), None);
    }

    #[test]
    fn worktrees_read_their_own_head_and_the_common_refs() {
        let root = tempfile::tempdir().expect("tempdir");
        let main_git = root.path().join("main/.git");
        write(&main_git.join("HEAD"), "ref: refs/heads/main\n");
        write(
            &main_git.join("packed-refs"),
            &format!("{B} refs/heads/topic\n"),
        );
        let wt_git = main_git.join("worktrees/topic");
        write(&wt_git.join("HEAD"), "ref: refs/heads/topic\n");
        write(&wt_git.join("commondir"), "../..\n");
        write(
            &root.path().join("topic/.git"),
            &format!("gitdir: {}\n", wt_git.display()),
        );
        let found = Checkout::discover(&root.path().join("topic")).expect("worktree");
        assert_eq!(found.head().as_deref(), Some(B));
    }

    #[test]
    fn outside_a_checkout_there_is_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        // Temporary directories are not inside a checkout on any machine these tests run on;
        // a `.git` file that points nowhere is no checkout either.
        write(&dir.path().join("x/.git"), "gitdir: /no/such/dir\n");
        assert_eq!(Checkout::discover(&dir.path().join("x")), None);
    }
}
