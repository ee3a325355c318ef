//! The license of each package of a scan, held as runs: neighbouring packages that share one
//! value (all those nothing is known of, the occurrences of one package version) cost one entry,
//! so the list stays small however many packages there are.

use std::iter::{repeat_n, FlatMap, RepeatN};

use crate::model::{LicenseInfo, Shared};

/// What is known of each package's license, in the order of the packages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackageLicenses {
    runs: Vec<(usize, Shared<LicenseInfo>)>,
}

impl PackageLicenses {
    /// Appends the license of the next package.
    pub fn push(&mut self, license: Shared<LicenseInfo>) {
        match self.runs.last_mut() {
            Some((n, last)) if Shared::ptr_eq(last, &license) => *n += 1,
            _ => self.runs.push((1, license)),
        }
    }

    /// How many packages it covers.
    pub fn len(&self) -> usize {
        self.runs.iter().map(|(n, _)| n).sum()
    }

    /// Whether it covers no package.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Each package's license, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Shared<LicenseInfo>> {
        self.runs.iter().flat_map(|(n, l)| repeat_n(l, *n))
    }
}

impl FromIterator<Shared<LicenseInfo>> for PackageLicenses {
    fn from_iter<I: IntoIterator<Item = Shared<LicenseInfo>>>(iter: I) -> Self {
        let mut out = PackageLicenses::default();
        for license in iter {
            out.push(license);
        }
        out
    }
}

type Run = (usize, Shared<LicenseInfo>);

impl IntoIterator for PackageLicenses {
    type Item = Shared<LicenseInfo>;
    type IntoIter = FlatMap<
        std::vec::IntoIter<Run>,
        RepeatN<Shared<LicenseInfo>>,
        fn(Run) -> RepeatN<Shared<LicenseInfo>>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.runs.into_iter().flat_map(|(n, l)| repeat_n(l, n))
    }
}

impl<'a> IntoIterator for &'a PackageLicenses {
    type Item = &'a Shared<LicenseInfo>;
    type IntoIter = Box<dyn Iterator<Item = &'a Shared<LicenseInfo>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;

    #[test]
    fn shared_neighbours_are_one_run() {
        let unknown = Shared::new(LicenseInfo::default());
        let mit = Shared::new(LicenseInfo {
            concluded: Some("MIT".into()),
            tier: Tier::Permissive,
            ..LicenseInfo::default()
        });
        let all: PackageLicenses = [&unknown, &unknown, &mit, &unknown]
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(all.runs.len(), 3);
        assert_eq!(all.len(), 4);
        let tiers: Vec<Tier> = all.iter().map(|l| l.tier).collect();
        assert_eq!(
            tiers,
            [
                Tier::Unknown,
                Tier::Unknown,
                Tier::Permissive,
                Tier::Unknown
            ]
        );
        let owned: Vec<Shared<LicenseInfo>> = all.clone().into_iter().collect();
        assert_eq!(owned.len(), 4);
        assert!(Shared::ptr_eq(&owned[0], &unknown));
        assert_eq!((&all).into_iter().count(), 4);
    }
}
