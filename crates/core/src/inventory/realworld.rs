//! Smoke test over the large real-world lockfiles in `../shared/data/lockfiles/_realworld`
//! (run when the shared data is present): each parses without error into a connected graph.

#[cfg(test)]
mod tests {
    use crate::inventory::testing::{run_file, shared_data};

    #[test]
    fn real_world_lockfiles_parse_completely() {
        let Some(shared) = shared_data() else {
            eprintln!("skipped: ../shared/data is not present");
            return;
        };
        let root = shared.join("lockfiles/_realworld");
        let mut checked = 0;
        for entry in std::fs::read_dir(&root).expect("readable").flatten() {
            for file in std::fs::read_dir(entry.path()).expect("readable").flatten() {
                let path = file.path();
                let Some(extractor) = crate::inventory::for_path(&path) else {
                    continue;
                };
                let out = run_file(extractor, &path)
                    .unwrap_or_else(|e| panic!("{}: {e} (line {:?})", path.display(), e.line));
                assert!(
                    out.packages.len() > 20,
                    "{}: only {} packages",
                    path.display(),
                    out.packages.len()
                );
                assert!(
                    out.packages.iter().all(|p| p.location.line.is_some()),
                    "{}: a package without a line",
                    path.display()
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 9, "every real-world file has an extractor");
    }
}
