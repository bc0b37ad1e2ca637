//! The message catalogue. Every user-facing string of the use cases and the
//! edges (pages, API errors, CLI, notices) is looked up here by key, so a locale is one more file, not a change to templates or
//! handlers. zh-CN is the only locale today and the default.

use std::collections::HashMap;
use std::sync::OnceLock;

const ZH_CN: &str = include_str!("../locales/zh-CN.txt");

#[derive(Debug)]
pub struct Catalog {
    messages: HashMap<&'static str, &'static str>,
}

impl Catalog {
    fn parse(source: &'static str) -> Catalog {
        let messages = source
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| line.split_once(" = "))
            .map(|(key, text)| (key.trim(), text.trim()))
            .collect();
        Catalog { messages }
    }

    /// The catalogue for a locale; unknown locales get zh-CN.
    pub fn get(_locale: &str) -> &'static Catalog {
        static ZH: OnceLock<Catalog> = OnceLock::new();
        ZH.get_or_init(|| Catalog::parse(ZH_CN))
    }

    pub fn zh() -> &'static Catalog {
        Self::get("zh-CN")
    }

    /// The text for `key`; a missing key shows itself (and a test fails).
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.messages.get(key).copied().unwrap_or(key)
    }

    /// The text with `{name}` placeholders filled in, in one pass: a value
    /// that holds braces itself (a project named "{year}") stays as it is.
    /// A placeholder may occur more than once; one without a value stays.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let text = self.t(key);
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                args.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, value)| (*value, close))
            });
            match value {
                Some((value, close)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The text for `key` if the catalogue has it, for keys built at run time.
    pub fn lookup(&self, key: &str) -> Option<&'static str> {
        self.messages.get(key).copied()
    }

    pub fn has(&self, key: &str) -> bool {
        self.messages.contains_key(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_and_fills_in() {
        let c = Catalog::zh();
        assert_eq!(c.t("nav.home"), "首页");
        assert_eq!(c.format("common.total", &[("n", "12")]), "共 12 条");
        assert_eq!(c.t("no.such.key"), "no.such.key");
    }

    #[test]
    fn fills_in_once_and_leaves_unknown_placeholders() {
        let c = Catalog::zh();
        // A value with braces is not filled in again.
        assert_eq!(c.format("common.total", &[("n", "{n}")]), "共 {n} 条");
        assert_eq!(c.format("common.total", &[]), "共 {n} 条");
    }

    /// Every key the code and templates use is in the catalogue, and every
    /// domain error key has a text.
    #[test]
    fn every_used_key_exists() {
        let c = Catalog::zh();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut sources = Vec::new();
        for dir in [
            "src",
            "../web/src",
            "../web/templates",
            "../domain/src",
            "../store/src",
        ] {
            collect(&format!("{root}{dir}"), &mut sources);
        }
        let pattern = regex::Regex::new(r#""((?:nav|login|home|section|common|org|enterprise|user|account|audit|error|app|project|blocker|rag|calendar|settings|bulletin|monthly_report|indicator|warning|rollup|alert|notice|campaign|dispatch|assessment)\.[a-z_.]+)""#).unwrap();
        let mut missing = Vec::new();
        for (path, text) in sources {
            for cap in pattern.captures_iter(&text) {
                let key = &cap[1];
                let is_file = [".html", ".css", ".js", ".svg", ".xlsx", ".docx"]
                    .iter()
                    .any(|ext| key.ends_with(ext));
                if !is_file && !c.has(key) {
                    missing.push(format!("{path}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from zh-CN: {missing:#?}");
        for kind in kfq_domain::OrgKind::ALL {
            assert!(c.has(&kind.label_key()));
        }
        for role in kfq_domain::Role::ALL {
            assert!(c.has(&role.label_key()));
        }
        for t in kfq_domain::ZoneType::ALL {
            assert!(c.has(&t.label_key()));
        }
    }

    /// Literals with Chinese text that stay in code: data the code matches
    /// on, not text shown to users. (file, literal as written, why).
    const NOT_CATALOGUE_TEXT: &[(&str, &str, &str)] = &[];

    /// No user-facing text outside the catalogue: every string literal in
    /// the code of kfq-app and kfq-web (not comments, not `#[cfg(test)]`
    /// items) that holds a Chinese character or Chinese punctuation fails,
    /// unless allow-listed above.
    #[test]
    fn the_web_edge_reads_only_with_the_callers_visibility() {
        // Everyone's visibility is for background jobs (alerts); a handler
        // reads with what the caller's principal makes.
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/src");
        let mut sources = Vec::new();
        collect(root, &mut sources);
        assert!(sources.len() > 20, "the web sources were found");
        let found: Vec<&String> = sources
            .iter()
            .filter(|(p, text)| p.ends_with(".rs") && text.contains("Visibility::All"))
            .map(|(p, _)| p)
            .collect();
        assert!(found.is_empty(), "Visibility::All in {found:?}");
    }

    #[test]
    fn no_chinese_text_outside_the_catalogue() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut sources = Vec::new();
        for dir in ["src", "../web/src"] {
            collect(&format!("{root}{dir}"), &mut sources);
        }
        let shown = |path: &str| {
            let path = path.strip_prefix(root).unwrap_or(path);
            match path.strip_prefix("../") {
                Some(rest) => format!("crates/{rest}"),
                None => format!("crates/app/{path}"),
            }
        };
        let mut found = Vec::new();
        let mut used = vec![false; NOT_CATALOGUE_TEXT.len()];
        for (path, text) in sources.iter().filter(|(p, _)| p.ends_with(".rs")) {
            let file = shown(path);
            for literal in scan_literals(text) {
                if !has_cjk(&literal.text) {
                    continue;
                }
                let allowed = NOT_CATALOGUE_TEXT
                    .iter()
                    .position(|(f, l, _)| file == *f && literal.text == *l);
                match allowed {
                    Some(i) => used[i] = true,
                    None => found.push(format!("{file}:{}: \"{}\"", literal.line, literal.text)),
                }
            }
        }
        assert!(
            found.is_empty(),
            "{} string literal(s) with Chinese text outside the message catalogue. \
             Put each in crates/app/locales/zh-CN.txt under a key and look it up \
             (Catalog::t / Catalog::format with {{name}} placeholders); only data \
             the code matches on may stay, allow-listed with a reason in \
             NOT_CATALOGUE_TEXT:\n{}",
            found.len(),
            found.join("\n")
        );
        let stale: Vec<_> = NOT_CATALOGUE_TEXT
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .map(|((file, literal, _), _)| format!("{file}: \"{literal}\""))
            .collect();
        assert!(
            stale.is_empty(),
            "allow-listed literals no longer in the code: {stale:#?}"
        );
    }

    /// The scanner sees literals as the compiler does.
    #[test]
    fn the_scanner_skips_comments_chars_and_test_code() {
        let source = r####"
            // "注释" in a line comment
            /* "块注释" /* nested "嵌套" */ still "注释" */
            /// "文档注释"
            fn f<'a>(x: &'a str) -> char {
                let quote = '"';
                let escaped = '\'';
                let unicode = '\u{4e2d}';
                let s = "escaped \" quote, then 中文";
                let r = r#"raw "with" quotes，"#;
                let b = br"bytes";
                let label = 'outer: loop { break 'outer; };
                let u = "\u{6587}";
                '中'
            }
            #[cfg(test)]
            mod tests {
                fn g() { let s = "测试"; let t = "}"; }
            }
            const AFTER: &str = "之后";
            #[cfg(test)]
            use something;
            const LAST: &str = "最后";
        "####;
        let found: Vec<(usize, String)> = scan_literals(source)
            .into_iter()
            .filter(|l| has_cjk(&l.text))
            .map(|l| (l.line, l.text))
            .collect();
        assert_eq!(
            found,
            vec![
                (9, "escaped \\\" quote, then 中文".to_owned()),
                (10, "raw \"with\" quotes，".to_owned()),
                (13, "\\u{6587}".to_owned()),
                (20, "之后".to_owned()),
                (23, "最后".to_owned()),
            ]
        );
    }

    /// A string literal of a Rust source: its first line and its text as
    /// written between the quotes (escapes not undone).
    struct Literal {
        line: usize,
        text: String,
    }

    /// The string literals of a Rust source outside comments and outside
    /// items marked `#[cfg(test)]`. A small lexer, enough for this check:
    /// line and (nested) block comments, strings with escapes, raw strings
    /// `r"…"` and `r#"…"#` (also with `b`/`c`), char literals and lifetimes.
    fn scan_literals(source: &str) -> Vec<Literal> {
        let s: Vec<char> = source.chars().collect();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let cfg_test: Vec<char> = "#[cfg(test)]".chars().collect();
        let mut out = Vec::new();
        let (mut i, mut line, mut depth) = (0, 1, 0usize);
        // `#[cfg(test)]` seen but its item not yet opened; while skipping,
        // the brace depth whose closing brace ends the item.
        let (mut pending_test, mut skip_until) = (false, None::<usize>);
        while i < s.len() {
            let (c, next) = (s[i], s.get(i + 1).copied());
            if c == '\n' {
                line += 1;
                i += 1;
            } else if c == '/' && next == Some('/') {
                while i < s.len() && s[i] != '\n' {
                    i += 1;
                }
            } else if c == '/' && next == Some('*') {
                let mut nesting = 0;
                while i < s.len() {
                    if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                        nesting += 1;
                        i += 2;
                    } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                        nesting -= 1;
                        i += 2;
                        if nesting == 0 {
                            break;
                        }
                    } else {
                        line += usize::from(s[i] == '\n');
                        i += 1;
                    }
                }
            } else if c == '\'' {
                // A char literal ('x', '\n', '\u{…}', '\''), else a lifetime or label.
                if next == Some('\\') {
                    i += 2;
                    while i < s.len() && s[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else if s.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            } else if c == '"' || (matches!(c, 'r' | 'b' | 'c') && (i == 0 || !ident(s[i - 1]))) {
                // Optional b/c prefix, optional r and hashes, then the opening quote.
                let mut j = i;
                if matches!(s[j], 'b' | 'c') && matches!(next, Some('r' | '"')) {
                    j += 1;
                }
                let raw = s[j] == 'r';
                j += usize::from(raw);
                let mut hashes = 0;
                while raw && s.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if s.get(j) != Some(&'"') {
                    // An identifier starting with r, b or c.
                    while i < s.len() && ident(s[i]) {
                        i += 1;
                    }
                    continue;
                }
                let start = j + 1;
                let mut end = start;
                while end < s.len() {
                    match s[end] {
                        '\\' if !raw => end += 2,
                        '"' if (1..=hashes).all(|h| s.get(end + h) == Some(&'#')) => break,
                        _ => end += 1,
                    }
                }
                let end = end.min(s.len());
                let text: String = s[start..end].iter().collect();
                if skip_until.is_none() {
                    out.push(Literal {
                        line,
                        text: text.clone(),
                    });
                }
                line += text.matches('\n').count();
                i = end + 1 + hashes;
            } else if ident(c) {
                while i < s.len() && ident(s[i]) {
                    i += 1;
                }
            } else {
                if skip_until.is_none() && s[i..].starts_with(&cfg_test) {
                    pending_test = true;
                }
                match c {
                    '{' => {
                        if pending_test {
                            skip_until = Some(depth);
                            pending_test = false;
                        }
                        depth += 1;
                    }
                    '}' => {
                        depth = depth.saturating_sub(1);
                        if skip_until == Some(depth) {
                            skip_until = None;
                        }
                    }
                    ';' => pending_test = false,
                    _ => {}
                }
                i += 1;
            }
        }
        out
    }

    /// Whether text holds a CJK ideograph or CJK punctuation, also when
    /// written as a `\u{…}` escape.
    fn has_cjk(text: &str) -> bool {
        let cjk = |c: char| {
            ('\u{4e00}'..='\u{9fff}').contains(&c) || "。，、；：？！“”（）《》【】".contains(c)
        };
        text.chars().any(cjk)
            || text.split("\\u{").skip(1).any(|rest| {
                rest.split('}')
                    .next()
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .and_then(char::from_u32)
                    .is_some_and(cjk)
            })
    }

    fn collect(dir: &str, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(path.to_str().unwrap(), out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }
}
