//! Prints what the macro generates for a spec folder, formatted:
//! `cargo run -p live-api-codegen --example expand -- api-specs`.

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "api-specs".into());
    let dir = std::path::Path::new(&dir);
    let cwd = std::env::current_dir().unwrap_or_default();
    let expansion = live_api_codegen::expand(dir, &cwd, &live_api_codegen::Options::default());
    if !expansion.diagnostics.is_empty() {
        for d in &expansion.diagnostics {
            eprintln!("error: {d}\n");
        }
        std::process::exit(1);
    }
    let tokens = expansion.tokens;
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => print!("{}", prettyplease::unparse(&file)),
        Err(e) => {
            eprintln!("generated code does not parse: {e}");
            println!("{tokens}");
            std::process::exit(1);
        }
    }
}
