//! Putting packages in the order of the result (ecosystem, name, version, location; file order
//! among equals) in place.
//!
//! A stable sort of the packages themselves needs a buffer as large as half of them; sorting a
//! list of indices and then moving each package once needs four bytes a package. The result is
//! the stable order, so sorting it again (as the result does) finds nothing to move.

use std::cmp::Ordering;

use crate::model::Package;

/// The order of the result's package list.
pub fn compare(a: &Package, b: &Package) -> Ordering {
    (a.ecosystem, &a.name, &a.version, &a.location).cmp(&(
        b.ecosystem,
        &b.name,
        &b.version,
        &b.location,
    ))
}

/// Sorts `packages` by [`compare`], keeping file order among equals, without copying them.
pub fn sort(packages: &mut [Package]) {
    if packages.is_sorted_by(|a, b| compare(a, b) != Ordering::Greater) {
        return;
    }
    let Some(mut order) = (0..packages.len())
        .map(|i| u32::try_from(i).ok())
        .collect::<Option<Vec<u32>>>()
    else {
        packages.sort_by(compare);
        return;
    };
    order.sort_unstable_by(|&a, &b| {
        compare(&packages[a as usize], &packages[b as usize]).then(a.cmp(&b))
    });
    permute(packages, &mut order);
}

/// Moves `items[order[k]]` to position `k` for every `k`, following each cycle of the
/// permutation once; `order` is used up (every entry becomes `u32::MAX`).
fn permute<T>(items: &mut [T], order: &mut [u32]) {
    const DONE: u32 = u32::MAX;
    for start in 0..order.len() {
        if order[start] == DONE {
            continue;
        }
        let mut at = start;
        loop {
            let next = order[at] as usize;
            order[at] = DONE;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, Location};

    fn pkg(name: &str, version: &str, line: u32) -> Package {
        Package::new(
            Ecosystem::PyPI,
            name,
            Some(version),
            Location::new("requirements.txt", Some(line)),
        )
    }

    #[test]
    fn permutation_moves_each_item_to_its_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        let mut order = vec![2, 0, 1, 5, 4, 3];
        permute(&mut items, &mut order);
        assert_eq!(items, ['c', 'a', 'b', 'f', 'e', 'd']);
        assert!(order.iter().all(|o| *o == u32::MAX));
    }

    #[test]
    fn sorts_like_a_stable_sort() {
        let mut packages = vec![
            pkg("b", "1", 1),
            pkg("a", "2", 2),
            pkg("a", "1", 9),
            pkg("a", "1", 3),
            pkg("c", "1", 4),
            pkg("a", "1", 3).with_requirement("==1"),
        ];
        let mut want = packages.clone();
        want.sort_by(compare);
        sort(&mut packages);
        assert_eq!(packages, want);
        assert_eq!(packages[0].requirement, None, "equals keep file order");
        assert_eq!(packages[1].requirement.as_deref(), Some("==1"));
    }
}
