//! Git targets: a shallow clone of one ref with git2, and the commit of a local checkout.
//!
//! Credentials: an https remote gets the token from `TRUSCA_GIT_TOKEN` (never logged or shown);
//! an ssh remote uses the ssh agent. Nothing in the clone is ever run: no hooks, no filters that
//! execute programs (libgit2 runs none), no submodules.

use std::path::Path;

use git2::{
    build::CheckoutBuilder, Cred, CredentialType, FetchOptions, Oid, RemoteCallbacks, Repository,
};

use super::checkout::Checkout;
use super::SourceError;

/// The environment variable holding a token for private https remotes.
pub const TOKEN_ENV: &str = "TRUSCA_GIT_TOKEN";

/// The commit checked out at `path` (or the checkout that contains it), if any: read from the
/// checkout's files, and asked of libgit2 only when they are of a kind not read here.
pub fn head_commit(path: &Path) -> Option<String> {
    let checkout = Checkout::discover(path)?;
    checkout.head().or_else(|| {
        let repo = Repository::discover(path).ok()?;
        let head = repo.head().ok()?;
        head.peel_to_commit().ok().map(|c| c.id().to_string())
    })
}

/// Where `path` lies inside the git checkout that holds it: the directory relative to the
/// checkout's top level (`/`-separated, empty at the top), or `None` outside any checkout.
pub fn path_in_checkout(path: &Path) -> Option<String> {
    let top = Checkout::discover(path)?.top;
    let here = std::fs::canonicalize(path).ok()?;
    let rel = here.strip_prefix(&top).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The last path segment of a URL without `.git`: the name of the project.
pub fn repository_name(url: &str) -> String {
    let trimmed = url.trim_end_matches('/').trim_end_matches(".git");
    trimmed
        .rsplit(['/', ':'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("repository")
        .to_owned()
}

/// The URL with any password or token in its user-info removed.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = userinfo.split(':').next().unwrap_or("");
    let sep = if path.is_empty() && !rest.contains('/') {
        ""
    } else {
        "/"
    };
    if userinfo.contains(':') || !user.is_empty() && scheme.starts_with("http") {
        format!("{scheme}://***@{host}{sep}{path}")
    } else {
        url.to_owned()
    }
}

/// Clones `url` into `dest` and checks out `reference` (a branch, tag or commit; the remote's
/// default branch when `None`). Fetches only what the ref needs, shallow where the transport
/// allows. Returns the commit id checked out.
pub fn clone(url: &str, reference: Option<&str>, dest: &Path) -> Result<String, SourceError> {
    let fail = |message: String| SourceError::Clone {
        url: redact(url),
        message,
    };
    let repo =
        Repository::init_bare(dest.join(".git")).map_err(|e| fail(e.message().to_owned()))?;
    let mut remote = repo.remote_anonymous(url).map_err(|e| fail(explain(&e)))?;

    let (refspecs, want) = match reference {
        Some(r) if looks_like_commit(r) => (
            vec![
                "+refs/heads/*:refs/remotes/origin/*".to_owned(),
                "+refs/tags/*:refs/tags/*".to_owned(),
            ],
            Want::Commit(r.to_owned()),
        ),
        Some(r) => (
            vec![
                format!("+refs/heads/{r}:refs/remotes/origin/{r}"),
                format!("+refs/tags/{r}:refs/tags/{r}"),
            ],
            Want::Named(r.to_owned()),
        ),
        None => (
            vec!["+HEAD:refs/remotes/origin/HEAD".to_owned()],
            Want::Named("HEAD".to_owned()),
        ),
    };

    // Shallow first; local and some dumb transports cannot do shallow fetches, so fall back.
    let shallow = !matches!(want, Want::Commit(_));
    let mut result = fetch(&mut remote, &refspecs, shallow.then_some(1));
    if result.is_err() && shallow {
        result = fetch(&mut remote, &refspecs, None);
    }
    result.map_err(|e| fail(explain(&e)))?;

    let oid = resolve(&repo, &want).ok_or_else(|| {
        fail(match &want {
            Want::Commit(c) => format!("commit `{c}` is not in the repository"),
            Want::Named(r) => format!("no branch or tag named `{r}`"),
        })
    })?;
    let commit = repo
        .find_commit(oid)
        .map_err(|e| fail(e.message().to_owned()))?;
    // Check out into the parent of the bare `.git` directory.
    repo.set_workdir(dest, false)
        .map_err(|e| fail(e.message().to_owned()))?;
    repo.checkout_tree(commit.as_object(), Some(CheckoutBuilder::new().force()))
        .map_err(|e| fail(e.message().to_owned()))?;
    repo.set_head_detached(oid)
        .map_err(|e| fail(e.message().to_owned()))?;
    Ok(oid.to_string())
}

enum Want {
    Named(String),
    Commit(String),
}

fn looks_like_commit(r: &str) -> bool {
    (7..=40).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_hexdigit())
}

fn fetch(
    remote: &mut git2::Remote<'_>,
    refspecs: &[String],
    depth: Option<i32>,
) -> Result<(), git2::Error> {
    let mut callbacks = RemoteCallbacks::new();
    let mut attempts = 0;
    callbacks.credentials(move |_url, username, allowed| {
        attempts += 1;
        if attempts > 3 {
            return Err(git2::Error::from_str("authentication failed"));
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            return Cred::ssh_key_from_agent(username.unwrap_or("git"));
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            if let Ok(token) = std::env::var(TOKEN_ENV) {
                return Cred::userpass_plaintext(username.unwrap_or("x-access-token"), &token);
            }
        }
        Err(git2::Error::from_str("no credentials available"))
    });
    let mut options = FetchOptions::new();
    options.remote_callbacks(callbacks);
    if let Some(d) = depth {
        options.depth(d);
    }
    remote.fetch(refspecs, Some(&mut options), None)
}

fn resolve(repo: &Repository, want: &Want) -> Option<Oid> {
    match want {
        Want::Commit(prefix) => repo
            .revparse_single(prefix)
            .ok()?
            .peel_to_commit()
            .ok()
            .map(|c| c.id()),
        Want::Named(name) => [
            format!("refs/remotes/origin/{name}"),
            format!("refs/tags/{name}"),
        ]
        .iter()
        .find_map(|r| {
            repo.find_reference(r)
                .ok()?
                .peel_to_commit()
                .ok()
                .map(|c| c.id())
        }),
    }
}

/// git's message, with a hint for the common causes.
fn explain(err: &git2::Error) -> String {
    let hint = match err.class() {
        git2::ErrorClass::Http | git2::ErrorClass::Net | git2::ErrorClass::Ssl => {
            "; check the URL and the network"
        }
        git2::ErrorClass::Ssh => "; check that an ssh agent holds a key for this remote",
        _ if err.code() == git2::ErrorCode::Auth => {
            "; for a private https remote set `TRUSCA_GIT_TOKEN`"
        }
        _ => "",
    };
    format!("{}{hint}", err.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_redaction() {
        assert_eq!(repository_name("https://git.example/org/app.git"), "app");
        assert_eq!(repository_name("git@git.example:org/app.git"), "app");
        assert_eq!(repository_name("file:///srv/repos/lib/"), "lib");
        assert_eq!(
            redact("https://user:s3cret@git.example/o/r.git"),
            "https://***@git.example/o/r.git"
        );
        assert_eq!(
            redact("https://tok@git.example/o/r"),
            "https://***@git.example/o/r"
        );
        assert_eq!(
            redact("ssh://git@git.example/o/r"),
            "ssh://git@git.example/o/r"
        );
        assert_eq!(redact("https://git.example/o/r"), "https://git.example/o/r");
    }

    fn commit_file(repo: &Repository, name: &str, body: &str, msg: &str) -> Oid {
        let workdir = repo.workdir().expect("non-bare");
        std::fs::write(workdir.join(name), body).expect("write");
        let mut index = repo.index().expect("index");
        index.add_path(Path::new(name)).expect("add");
        index.write().expect("write index");
        let tree = repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("find tree");
        let sig = git2::Signature::now("t", "t@example.com").expect("sig");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<_> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .expect("commit")
    }

    #[test]
    fn clones_default_branch_tag_and_commit_over_file_url() {
        let src = tempfile::tempdir().expect("tmp");
        let repo = Repository::init(src.path()).expect("init");
        let first = commit_file(&repo, "a.txt", "one", "first");
        repo.tag_lightweight("v1", &repo.find_object(first, None).expect("obj"), false)
            .expect("tag");
        let second = commit_file(&repo, "a.txt", "two", "second");
        let url = format!("file://{}", src.path().display());

        let dest = tempfile::tempdir().expect("tmp");
        assert_eq!(
            clone(&url, None, dest.path()).expect("clone"),
            second.to_string()
        );
        assert_eq!(
            std::fs::read_to_string(dest.path().join("a.txt")).expect("read"),
            "two"
        );

        let dest = tempfile::tempdir().expect("tmp");
        assert_eq!(
            clone(&url, Some("v1"), dest.path()).expect("clone tag"),
            first.to_string()
        );
        assert_eq!(
            std::fs::read_to_string(dest.path().join("a.txt")).expect("read"),
            "one"
        );

        let dest = tempfile::tempdir().expect("tmp");
        let short = &first.to_string()[..10];
        assert_eq!(
            clone(&url, Some(short), dest.path()).expect("clone commit"),
            first.to_string()
        );

        let dest = tempfile::tempdir().expect("tmp");
        let err = clone(&url, Some("no-such-branch"), dest.path()).expect_err("missing ref");
        assert!(
            err.to_string()
                .contains("no branch or tag named `no-such-branch`"),
            "{err}"
        );
        assert_eq!(head_commit(src.path()), Some(second.to_string()));
    }

    #[test]
    fn unreachable_remote_is_explained() {
        let dest = tempfile::tempdir().expect("tmp");
        let err = clone("file:///definitely/not/a/repo.git", None, dest.path()).expect_err("fails");
        assert!(
            err.to_string()
                .starts_with("cannot clone `file:///definitely/not/a/repo.git`"),
            "{err}"
        );
    }
}
