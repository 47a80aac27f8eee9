//! Replays the committed corpus (`corpus/<target>/*`) and the inputs of past findings
//! (`regressions/<target>/*`) through the same checks the fuzz targets run, on stable
//! Rust and without libFuzzer: `make test` runs this.

use crate::TARGETS;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[test]
fn every_corpus_file_passes_its_target_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, check) in TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("dir entry").path())
            .collect();
        assert!(!files.is_empty(), "{}: no corpus", dir.display());
        if let Ok(found) = std::fs::read_dir(regressions.join(name)) {
            files.extend(found.map(|entry| entry.expect("dir entry").path()));
        }
        files.sort();
        for file in files {
            let data = std::fs::read(&file).expect("read corpus file");
            total += 1;
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failures.push(file.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} corpus files fail their check:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "replayed {total} corpus files through {} targets",
        TARGETS.len()
    );
}

#[test]
fn every_target_has_a_fuzz_target_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, _) in TARGETS {
        let path = root.join("fuzz_targets").join(format!("{name}.rs"));
        let src =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            src.contains(&format!("payhook_fuzz::{name}::check")),
            "{}",
            path.display()
        );
    }
}

/// Groups the inputs that fail a check by their panic message, for triage:
/// `TRIAGE=fuzz/artifacts/hapi_build cargo test --lib --no-default-features triage -- --ignored --nocapture`
/// (the target is the folder's name).
#[test]
#[ignore]
fn triage() {
    let Ok(dir) = std::env::var("TRIAGE") else {
        return;
    };
    let dir = Path::new(&dir);
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a target folder");
    let (_, check) = TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a target name");
    let message = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = message.clone();
    std::panic::set_hook(Box::new(move |info| {
        let text = info.to_string();
        *sink.lock().expect("lock") = text.lines().take(2).collect::<Vec<_>>().join(" | ");
    }));
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("read");
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            let m = message.lock().expect("lock").clone();
            let key: String = m.chars().take(90).collect();
            groups
                .entry(key)
                .or_default()
                .push(path.display().to_string());
        }
    }
    let _ = std::panic::take_hook();
    for (m, files) in &groups {
        println!("{} x {m}\n    e.g. {}", files.len(), files[0]);
    }
}
