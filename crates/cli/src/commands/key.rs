//! `trusca key generate`: a new signing key pair on disk.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use trusca_core::attest::SigningKey;
use zeroize::Zeroizing;

use crate::args::KeyGenerateArgs;
use crate::diagnostics;
use crate::output;
use crate::Outcome;

/// The private key's file name in `--out`.
pub const PRIVATE_KEY_FILE: &str = "trusca.key";
/// The public key's file name in `--out`.
pub const PUBLIC_KEY_FILE: &str = "trusca.pub";
/// The variable holding the passphrase of private keys.
pub const PASSWORD_VARIABLE: &str = "TRUSCA_KEY_PASSWORD";

/// `trusca key generate`.
pub fn generate(args: &KeyGenerateArgs) -> Outcome {
    let passphrase = passphrase();
    let key = SigningKey::generate(args.algorithm.into());
    let private = match key.to_pem(passphrase.as_deref().map(String::as_str)) {
        Ok(pem) => pem,
        Err(e) => {
            diagnostics::fatal(&e.to_string(), None);
            return Outcome::Error;
        }
    };
    let public = match key.public().to_pem() {
        Ok(pem) => pem,
        Err(e) => {
            diagnostics::fatal(&e.to_string(), None);
            return Outcome::Error;
        }
    };
    let private_path = args.out.join(PRIVATE_KEY_FILE);
    let public_path = args.out.join(PUBLIC_KEY_FILE);
    for path in [&private_path, &public_path] {
        if path.exists() {
            diagnostics::fatal(
                &format!("`{}` exists: keys are never overwritten", path.display()),
                Some("choose another `--out` directory, or remove the old key pair first"),
            );
            return Outcome::Error;
        }
    }
    let written = fs::create_dir_all(&args.out)
        .and_then(|()| write_new(&private_path, private.as_bytes(), 0o600))
        .and_then(|()| write_new(&public_path, public.as_bytes(), 0o644));
    if let Err(e) = written {
        diagnostics::fatal(
            &format!("cannot write the key pair to `{}`: {e}", args.out.display()),
            None,
        );
        return Outcome::Error;
    }
    let encrypted = if passphrase.is_some() {
        " (encrypted)"
    } else {
        ""
    };
    output::line(&format!(
        "{} key pair written\nprivate key: {}{encrypted}\npublic key:  {}\nkey id:      {}",
        key.algorithm(),
        private_path.display(),
        public_path.display(),
        key.public().key_id()
    ))
}

/// The passphrase from `TRUSCA_KEY_PASSWORD`; unset or empty means none.
pub fn passphrase() -> Option<Zeroizing<String>> {
    std::env::var(PASSWORD_VARIABLE)
        .ok()
        .map(Zeroizing::new)
        .filter(|p| !p.is_empty())
}

/// Creates `path` (failing if it exists) with `mode` from the start, so the private key is never
/// readable by others, not even for a moment.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}
