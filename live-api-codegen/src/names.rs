//! Rust names derived from wire names, identifier checks and "did you mean" suggestions.

/// `Owner_Account` → `owner_account`, `RoomId` → `room_id`, `CoverURL` → `cover_url`,
/// `resume_mcu_task` → `resume_mcu_task`.
pub fn snake_case(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == ' ' || c == '.' {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(char::is_lowercase),
                _ => false,
            };
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// `resume_mcu_task` → `ResumeMcuTask`, `Owner_Account` → `OwnerAccount`.
pub fn pascal_case(s: &str) -> String {
    snake_case(s)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map_or_else(String::new, |f| f.to_uppercase().chain(cs).collect())
        })
        .collect()
}

/// The Rust name of a callback command word: the part after `Callback` of its last segment
/// (`Live.CallbackAfterCreateRoom` → `AfterCreateRoom`), if the word has that shape.
pub fn callback_name(word: &str) -> Option<&str> {
    let last = word.rsplit('.').next()?;
    last.strip_prefix("Callback").filter(|n| !n.is_empty())
}

/// Words that cannot be identifiers (strict and reserved keywords of edition 2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Why a name cannot be a Rust identifier, if it cannot.
pub fn ident_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some("an empty name is not a Rust identifier".into());
    };
    if !(first == '_' || first.is_ascii_alphabetic()) || !chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) {
        return Some(format!("`{name}` is not a valid Rust identifier (use ASCII letters, digits and `_`)"));
    }
    if name == "_" {
        return Some("`_` is not a usable Rust identifier".into());
    }
    if KEYWORDS.contains(&name) {
        return Some(format!("`{name}` is a Rust keyword; choose another name"));
    }
    None
}

/// Whether `name` is UpperCamelCase (for type and variant names).
pub fn is_pascal(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !name.contains('_')
}

/// Whether `name` is snake_case (for field and method names).
pub fn is_snake(name: &str) -> bool {
    !name.chars().any(|c| c.is_ascii_uppercase())
}

/// The candidate closest to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The tail of an "unknown …" message: `` (did you mean `x`?)`` when one of `candidates` is a
/// likely typo of `word`, else nothing.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates).map_or(String::new(), |s| format!(" (did you mean `{s}`?)"))
}

/// Edit distance counting an adjacent transposition as one edit (`rset` → `rest` is 1).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j - 1] + cost).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_wire_names() {
        assert_eq!(snake_case("RoomId"), "room_id");
        assert_eq!(snake_case("Owner_Account"), "owner_account");
        assert_eq!(snake_case("CoverURL"), "cover_url");
        assert_eq!(snake_case("IsUnlimitedRoomEnabled"), "is_unlimited_room_enabled");
        assert_eq!(snake_case("NewOwner_Account"), "new_owner_account");
        assert_eq!(snake_case("ZOrder"), "z_order");
        assert_eq!(snake_case("resume_mcu_task"), "resume_mcu_task");
        assert_eq!(snake_case("Location2X"), "location2_x");
        assert_eq!(pascal_case("resume_mcu_task"), "ResumeMcuTask");
        assert_eq!(pascal_case("Owner_Account"), "OwnerAccount");
        assert_eq!(callback_name("Live.CallbackAfterCreateRoom"), Some("AfterCreateRoom"));
        assert_eq!(callback_name("Group.CallbackBeforeSendMsg"), Some("BeforeSendMsg"));
        assert_eq!(callback_name("Live.Callback"), None);
        assert_eq!(callback_name("Live.AfterCreateRoom"), None);
    }

    #[test]
    fn checks_identifiers() {
        assert!(ident_problem("room_id").is_none());
        assert!(ident_problem("type").unwrap().contains("keyword"));
        assert!(ident_problem("9lives").unwrap().contains("not a valid"));
        assert!(ident_problem("room-id").unwrap().contains("not a valid"));
        assert!(ident_problem("").is_some());
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("Strng", ["string", "bool", "u32"]), Some("string"));
        assert_eq!(did_you_mean("max_byte", ["max_bytes", "min_bytes"]), Some("max_bytes"));
        assert_eq!(did_you_mean("zzzzzz", ["string", "bool"]), None);
        assert_eq!(did_you_mean("rset", ["rest", "live_common"]), Some("rest"));
        assert_eq!(hint("rset", ["rest"]), " (did you mean `rest`?)");
        assert_eq!(hint("zzzzzz", ["rest"]), "");
    }
}
