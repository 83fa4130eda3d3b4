//! `compile-time attribute [N] [RUNS]`: where our build time goes. The N-endpoint expansion is
//! compiled as plain source, whole and with groups of generated items left out, next to the crate
//! that runs the macro (target/perf/attribution-nN.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use proc_macro2::TokenStream;

use crate::awaited::awaiting_every_method;
use crate::breakdown::item_label;
use crate::cargo::cargo_at;
use crate::crates::write;
use crate::expand::expand_ours;
use crate::lines::{code_lines, strip_docs};
use crate::machine::uptime;
use crate::report::{f2, log, median};
use crate::side::{Side, out_dir, root};
use crate::synthetic::write_inputs;

/// Which items (by [`item_label`]) a variant keeps.
type Keep = fn(&str) -> bool;

/// A variant: its crate name, what it holds, the items it keeps, and whether it drops the docs.
type Variant = (&'static str, &'static str, Keep, bool);

/// `compile-time attribute [N] [RUNS]`: cold rustc time of our N-endpoint expansion compiled as
/// plain source, whole and with groups of generated items left out, next to the macro crate.
pub fn attribute(n: usize, runs: usize) {
    let dir = out_dir().join("attribution");
    let specs_parent = dir.join("input");
    write_inputs(Side::Ours, &specs_parent, n);
    let tokens = expand_ours(&specs_parent.join("specs"));
    let variants = variants();
    let (members, lines) = write_variants(&dir, &tokens, &variants, n);
    log(&format!("attribution of N={n}: {}", uptime()));
    cargo_at(&dir, "attr", "attr_", &["build", "--offline", "--workspace"], "attr-warm");
    let mut times = measure(&dir, &members, runs);
    let mut s = format!(
        "## Where the build time of our expansion goes (N={n}, cold rustc time of the crate, median of {runs})\n\n\
         | variant | lines | rustc s | vs `source` |\n|---|---:|---:|---:|\n"
    );
    let base = median(times.get_mut("source").unwrap());
    let m = median(times.get_mut("macro").unwrap());
    let _ = writeln!(
        s,
        "| `generate!` macro (as in the benchmark, without build script) | – | {} | {:+.0} % |",
        f2(m),
        (m / base - 1.0) * 100.0
    );
    for ((name, what, ..), l) in variants.iter().zip(&lines) {
        let t = median(times.get_mut(*name).unwrap());
        let _ = writeln!(s, "| {what} | {l} | {} | {:+.0} % |", f2(t), (t / base - 1.0) * 100.0);
    }
    write(&out_dir().join(format!("attribution-n{n}.md")), &s);
    println!("{s}");
}

/// The variants, in the order of the table.
fn variants() -> Vec<Variant> {
    vec![
        ("source", "the whole expansion (minus the include_bytes! consts)", |_| true, false),
        ("no-docs", "without doc attributes", |_| true, true),
        (
            "awaited",
            "the whole expansion plus a function awaiting every client method (boxed), as a crate using \
             the client compiles what `Client::call` instantiates",
            |_| true,
            false,
        ),
        ("no-client-methods", "without the `impl Client` blocks (the async methods)", |l| l != "impl Client", false),
        (
            "types-only",
            "request and response structs with their `impl`s, `Validate` and (de)serialization only",
            |l| {
                l.starts_with("struct ")
                    || l == "impl OpN"
                    || l == "impl OpNResponse"
                    || l.starts_with("impl Validate for ")
                    || l.starts_with("impl Serialize for ")
                    || l.starts_with("impl Fields for ")
                    || l.starts_with("impl Deserialize<'de> for ")
            },
            false,
        ),
    ]
}

/// The workspace of the macro crate and one crate per variant, its lockfile the live-api one;
/// returns the members and the lines of each variant.
fn write_variants(dir: &Path, tokens: &TokenStream, variants: &[Variant], n: usize) -> (Vec<String>, Vec<usize>) {
    let header = "pub struct Client(pub live_api::Client);\nimpl std::ops::Deref for Client {\n    type Target = live_api::Client;\n    \
                  fn deref(&self) -> &live_api::Client {\n        &self.0\n    }\n}\n";
    let root = root();
    let cargo_toml = |name: &str, macros: bool| {
        format!(
            "[package]\nname = \"attr-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n\
             live-api = {{ path = {:?} }}\n{}",
            root.join("live-api"),
            if macros {
                format!("live-api-macros = {{ path = {:?} }}\n", root.join("live-api-macros"))
            } else {
                String::new()
            }
        )
    };
    let mut members = vec!["macro".to_owned()];
    write(&dir.join("macro/Cargo.toml"), cargo_toml("macro", true));
    write(
        &dir.join("macro/src/lib.rs"),
        format!("{header}live_api_macros::generate!(\"../../input/specs\", client = crate::Client);\n"),
    );
    let mut lines = vec![];
    for (name, _, keep, no_docs) in variants {
        let t = if *no_docs { strip_docs(tokens.clone()) } else { tokens.clone() };
        let mut file: syn::File = syn::parse2(t).unwrap();
        file.items.retain(|item| {
            let label = item_label(item);
            // The `use` of the runtime alias is needed by every item that remains.
            label.starts_with("use ") || (!label.starts_with("const _") && keep(&label))
        });
        let mut text = prettyplease::unparse(&file);
        if *name == "awaited" {
            text.push_str(&awaiting_every_method(n));
        }
        lines.push(code_lines(&text));
        write(&dir.join(format!("{name}/Cargo.toml")), cargo_toml(name, false));
        write(&dir.join(format!("{name}/src/lib.rs")), format!("{header}{text}"));
        members.push((*name).to_owned());
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    write(
        &dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
            quoted.join(", ")
        ),
    );
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    (members, lines)
}

/// Cold builds of every member, RUNS times in turn: the rustc times of each member's crate.
fn measure(dir: &Path, members: &[String], runs: usize) -> BTreeMap<String, Vec<f64>> {
    let mut times: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in 0..runs {
        for m in members {
            let package = format!("attr-{m}");
            cargo_at(dir, "attr", "attr_", &["clean", "--offline", "-p", &package], "attr-clean");
            let b = cargo_at(dir, "attr", "attr_", &["build", "--offline", "-p", &package], &format!("attr-{m}-{r}"));
            log(&format!(
                "  {m} #{r}: crate rustc {:.2} s (others' load {:.2})",
                b.crate_rustc_s.unwrap_or(f64::NAN),
                b.others_cores
            ));
            times.entry(m.clone()).or_default().extend(b.crate_rustc_s);
        }
    }
    times
}
