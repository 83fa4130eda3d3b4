//! Lines per generated item: what one endpoint adds to each side's expansion (`breakdown.md`).

use std::fmt::Write as _;

use crate::expand::expand;
use crate::lines::{Lines, code_lines, lines_of, strip_docs};
use crate::side::{Side, out_dir};
use crate::synthetic::{openapi, write_inputs};

/// `Op12Body` → `OpNBody`, `op_12` → `op_N`: the same label for every endpoint's item.
fn normalize(label: &str) -> String {
    let mut out = String::new();
    let b = label.as_bytes();
    let mut i = 0;
    while i < b.len() {
        out.push(b[i] as char);
        let after_op = i >= 1 && (b[i - 1] == b'O' || b[i - 1] == b'o') && b[i] == b'p';
        let after_op_ = i >= 2 && (b[i - 2] == b'O' || b[i - 2] == b'o') && b[i - 1] == b'p' && b[i] == b'_';
        if (after_op || after_op_) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            out.push('N');
            i += 1;
            while b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        i += 1;
    }
    out
}

fn last_segment(path: &syn::Path) -> String {
    path.segments.last().map(quote_compact).unwrap_or_default()
}

fn quote_compact(t: &impl quote::ToTokens) -> String {
    let s = t.to_token_stream().to_string();
    s.replace(" < ", "<")
        .replace(" >", ">")
        .replace("< ", "<")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace(" :: ", "::")
        .replace("<:: ", "<::")
}

/// The label of an item in the breakdown, the same for every endpoint (`impl Validate for OpN`).
pub fn item_label(item: &syn::Item) -> String {
    use syn::Item::*;
    let label = match item {
        Const(c) if c.ident == "_" => "const _ (include_bytes!/include_str! of an input file)".to_owned(),
        Const(c) => format!("const {}", c.ident),
        Static(s) => format!("static {}", s.ident),
        Struct(s) => format!("struct {}", s.ident),
        Enum(e) => format!("enum {}", e.ident),
        Fn(f) => format!("fn {}", f.sig.ident),
        Trait(t) => format!("trait {}", t.ident),
        Type(t) => format!("type {}", t.ident),
        Mod(m) => format!("mod {}", m.ident),
        Use(u) => format!("use {}", quote_compact(&u.tree)),
        Impl(i) => {
            let ty = match &*i.self_ty {
                syn::Type::Path(p) => last_segment(&p.path),
                t => quote_compact(t),
            };
            match &i.trait_ {
                Some((_, path, _)) => format!("impl {} for {ty}", last_segment(path)),
                None => format!("impl {ty}"),
            }
        }
        Macro(m) => format!("macro {}!", last_segment(&m.mac.path)),
        other => format!("{:?}", std::mem::discriminant(other)),
    };
    normalize(&label)
}

/// Lines per item label (items in modules are labelled `mod m :: item`, the module's own lines
/// `mod m`), with and without docs.
fn item_lines(docs: &syn::File, no_docs: &syn::File) -> Vec<(String, Lines)> {
    fn walk(prefix: &str, depth: usize, a: &[syn::Item], b: &[syn::Item], out: &mut Vec<(String, Lines)>) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            let label = format!("{prefix}{}", item_label(x));
            // Printed at its own depth (inside as many dummy modules), since prettyplease wraps
            // long lines according to the indentation.
            let one = |item: &syn::Item| {
                let mut item = item.clone();
                for _ in 0..depth {
                    item = syn::parse_quote!(mod m { #item });
                }
                code_lines(&prettyplease::unparse(&syn::File { shebang: None, attrs: vec![], items: vec![item] }))
                    - 2 * depth
            };
            let mut lines = Lines { docs: one(x), no_docs: one(y) };
            if let (syn::Item::Mod(mx), syn::Item::Mod(my)) = (x, y)
                && let (Some((_, ix)), Some((_, iy))) = (&mx.content, &my.content)
            {
                let start = out.len();
                walk(&format!("{label} :: "), depth + 1, ix, iy, out);
                for (_, l) in &out[start..] {
                    lines.docs -= l.docs;
                    lines.no_docs -= l.no_docs;
                }
            }
            out.push((label, lines));
        }
    }
    let mut out = vec![];
    walk("", 0, &docs.items, &no_docs.items, &mut out);
    out
}

/// What one endpoint generates, item by item.
pub struct Breakdown {
    /// label, lines at N=1, lines at N=2 (each with and without docs), in order of appearance.
    pub rows: Vec<(String, Lines, Lines)>,
}

/// The lines per item of the expansions of 1 and 2 synthetic endpoints.
pub fn breakdown(side: Side) -> Breakdown {
    let mut per_n = vec![];
    for n in [1, 2] {
        let dir = out_dir().join(format!("breakdown/{}/n{n}", side.name()));
        let _ = std::fs::remove_dir_all(&dir);
        write_inputs(side, &dir, n);
        let tokens = expand(side, &side.input(&dir));
        let a: syn::File = syn::parse2(tokens.clone()).unwrap();
        let b: syn::File = syn::parse2(strip_docs(tokens)).unwrap();
        let mut sums: Vec<(String, Lines)> = vec![];
        for (label, l) in item_lines(&a, &b) {
            match sums.iter_mut().find(|(k, _)| *k == label) {
                Some((_, s)) => {
                    s.docs += l.docs;
                    s.no_docs += l.no_docs;
                }
                None => sums.push((label, l)),
            }
        }
        per_n.push(sums);
    }
    let mut rows: Vec<(String, Lines, Lines)> = vec![];
    for (label, l1) in &per_n[0] {
        let l2 = per_n[1].iter().find(|(k, _)| k == label).map(|(_, l)| *l).unwrap_or_default();
        rows.push((label.clone(), *l1, l2));
    }
    for (label, l2) in &per_n[1] {
        if !rows.iter().any(|(k, ..)| k == label) {
            rows.push((label.clone(), Lines::default(), *l2));
        }
    }
    Breakdown { rows }
}

/// `breakdown.md`, also the end of `results.md`.
pub fn breakdown_md(breakdowns: &[(Side, Breakdown)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## Lines per generated item (N=1 and N=2 expanded; \"per endpoint\" = N=2 minus N=1)\n");
    for (side, b) in breakdowns {
        let _ = writeln!(s, "### {}\n", side.name());
        let _ =
            writeln!(s, "| item (op_N / OpN: the endpoint) | lines at N=1 | per endpoint | per endpoint, no docs |");
        let _ = writeln!(s, "|---|---:|---:|---:|");
        let (mut t1, mut td, mut tn) = (0i64, 0i64, 0i64);
        for (label, l1, l2) in &b.rows {
            let d = l2.docs as i64 - l1.docs as i64;
            let nd = l2.no_docs as i64 - l1.no_docs as i64;
            t1 += l1.docs as i64;
            td += d;
            tn += nd;
            let _ = writeln!(s, "| `{}` | {} | {d} | {nd} |", label.replace('|', "\\|"), l1.docs);
        }
        let _ = writeln!(s, "| **total** | **{t1}** | **{td}** | **{tn}** |\n");
    }
    let (d, nd) = progenitor_builder_marginal();
    let _ = writeln!(
        s,
        "For reference, progenitor with `interface = Builder` (not the default; not built here) adds {d} lines \
         per endpoint ({nd} without docs).\n"
    );
    s
}

/// Lines per extra endpoint of progenitor's other interface style (`interface = Builder`), for
/// comparison only (the builds use the default, positional).
fn progenitor_builder_marginal() -> (i64, i64) {
    let mut lines = vec![];
    for n in [1, 2] {
        let spec: openapiv3::OpenAPI = serde_json::from_value(openapi(n)).unwrap();
        let mut settings = progenitor::GenerationSettings::default();
        settings.with_interface(progenitor::InterfaceStyle::Builder);
        let tokens = progenitor::Generator::new(&settings).generate_tokens(&spec).expect("progenitor generates");
        lines.push(lines_of(&tokens).0);
    }
    (lines[1].docs as i64 - lines[0].docs as i64, lines[1].no_docs as i64 - lines[0].no_docs as i64)
}
