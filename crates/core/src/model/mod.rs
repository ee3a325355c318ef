//! Plain data shared by every stage: ecosystems, package identities and purls, packages and
//! where they were found, and what is known of their licenses. Nothing here imports another
//! module of the crate.

mod distro;
mod ecosystem;
mod license;
mod name;
mod package;
pub mod purl;
mod shared;

pub use distro::{Distro, LayerRef, OsPackage};
pub use ecosystem::{osv_base, Ecosystem, UnknownEcosystem};
pub use license::{DeclaredSource, Detection, LicenseInfo, Tier};
pub use name::{normalize_name, pep503, PackageId};
pub use package::{Hash, Location, Package, PackageSource, Scope};
pub use shared::{Interner, Shared, SharedStr};
pub use thin_vec::{thin_vec, ThinVec};
