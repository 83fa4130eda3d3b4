//! Counting generated lines: the expansion formatted with prettyplease, with and without doc
//! attributes.

use proc_macro2::{TokenStream, TokenTree};

/// The same tokens without `#[doc = …]` attributes (what `///` comments become).
pub fn strip_docs(tokens: TokenStream) -> TokenStream {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tts.len());
    let mut i = 0;
    while i < tts.len() {
        if let TokenTree::Punct(p) = &tts[i]
            && p.as_char() == '#'
        {
            let bang = matches!(tts.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '!');
            let g = if bang { i + 2 } else { i + 1 };
            if let Some(TokenTree::Group(group)) = tts.get(g) {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let is_doc = group.delimiter() == proc_macro2::Delimiter::Bracket
                    && matches!(inner.first(), Some(TokenTree::Ident(id)) if id == "doc")
                    && matches!(inner.get(1), Some(TokenTree::Punct(q)) if q.as_char() == '=');
                if is_doc {
                    i = g + 1;
                    continue;
                }
            }
        }
        out.push(match &tts[i] {
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), strip_docs(g.stream()));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            t => t.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// The tokens formatted by prettyplease.
pub fn format_tokens(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("generated code parses");
    prettyplease::unparse(&file)
}

/// Non-blank lines.
pub fn code_lines(text: &str) -> usize {
    text.lines().filter(|l| !l.trim().is_empty()).count()
}

/// Non-blank lines of formatted code, with and without doc attributes.
#[derive(Clone, Copy, Default)]
pub struct Lines {
    pub docs: usize,
    pub no_docs: usize,
}

/// The lines of `tokens` formatted, and the formatted text (with docs).
pub fn lines_of(tokens: &TokenStream) -> (Lines, String) {
    let text = format_tokens(tokens.clone());
    let no_docs = code_lines(&format_tokens(strip_docs(tokens.clone())));
    (Lines { docs: code_lines(&text), no_docs }, text)
}
