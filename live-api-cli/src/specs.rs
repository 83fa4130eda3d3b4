//! The spec model, from the spec files embedded at build time (see `build.rs`).

use std::path::Path;

use live_api_codegen::diag::SourceFile;
use live_api_codegen::model::Api;

include!(concat!(env!("OUT_DIR"), "/specs.rs"));

/// The model of every endpoint, as the `generate!` macro built it from the same files.
pub fn api() -> Api {
    let dir = Path::new("api-specs");
    let sources: Vec<SourceFile> = SPECS
        .iter()
        .map(|(rel, text)| SourceFile::new(dir.join(rel), format!("api-specs/{rel}"), (*text).to_owned()))
        .collect();
    // The same files passed the macro's checks when `live-api` was built, so this cannot fail
    // unless the folder changed between the two builds; then say so rather than guess.
    live_api_codegen::load::check_sources(dir, &sources, None).unwrap_or_else(|diags| {
        let problems: Vec<String> = diags.into_vec().iter().map(ToString::to_string).collect();
        eprintln!("live-api: the embedded specs do not check:\n{}", problems.join("\n"));
        std::process::exit(crate::exit::CONFIG);
    })
}
