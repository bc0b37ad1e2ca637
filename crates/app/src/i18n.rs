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

    /// The text with `{name}` placeholders filled in.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
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
        let pattern = regex::Regex::new(r#""((?:nav|login|home|section|common|org|enterprise|user|account|audit|error|app|project|blocker|rag|calendar|settings|bulletin|indicator|warning|rollup|alert|notice|campaign|dispatch)\.[a-z_.]+)""#).unwrap();
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
