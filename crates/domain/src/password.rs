//! What makes a password guessable: being on the list of common passwords
//! shipped with the binary, or being built from the account's own name.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The list, one a line, lower case; `#` lines are comments.
const COMMON: &str = include_str!("common-passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// How many passwords the shipped list holds.
pub fn common_count() -> usize {
    common().len()
}

fn is_filler(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii() && !c.is_ascii_alphanumeric())
}

/// On the list as typed (case aside), or a listed word with digits or
/// symbols stuck on either end ("password2024!", "123woaini").
pub fn is_common(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    let list = common();
    if list.contains(lower.as_str()) {
        return true;
    }
    let trimmed = [
        lower.trim_end_matches(is_filler),
        lower.trim_start_matches(is_filler),
        lower.trim_matches(is_filler),
    ];
    trimmed
        .iter()
        .any(|core| !core.is_empty() && core.len() < lower.len() && list.contains(core))
}

fn alnum(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Built from the login name or the person's name: the name (or its letters,
/// or either reversed) with little else — fewer than six other characters,
/// or only digits ("zhangsan1", "yc.staff2024!", "张三123456789").
pub fn is_personal(raw: &str, names: &[&str]) -> bool {
    let password = alnum(raw);
    for name in names {
        let name = alnum(name);
        // Two Chinese characters are a name; two Latin letters are not.
        let long_enough =
            name.chars().count() >= 3 || (!name.is_ascii() && name.chars().count() >= 2);
        if !long_enough {
            continue;
        }
        let reversed: String = name.chars().rev().collect();
        for form in [&name, &reversed] {
            if password.contains(form.as_str()) {
                let rest = password.replacen(form.as_str(), "", 1);
                if rest.chars().count() < 6 || rest.chars().all(|c| c.is_ascii_digit()) {
                    return true;
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_shipped_and_holds_the_usual_suspects() {
        assert!(common_count() > 3000, "{}", common_count());
        for p in [
            "password12",
            "1234567890a",
            "woaini1314",
            "qq123456",
            "abc123456",
            "a123456789",
            "1qaz2wsx3edc",
            "Password2024!",
            "qwertyuiop123",
            "123456789abc",
        ] {
            assert!(is_common(p), "{p}");
        }
        for p in ["kfq-demo-2026", "zhaoshang-2025-new", "correct-horse-9"] {
            assert!(!is_common(p), "{p}");
        }
    }

    #[test]
    fn names_with_a_little_stuck_on_are_personal() {
        let names = ["yc.staff", "运城经开区经发部"];
        for p in [
            "ycstaff1",
            "yc.staff2024!",
            "ffats.cy99",
            "运城经开区经发部1234",
        ] {
            assert!(is_personal(p, &names), "{p}");
        }
        assert!(is_personal("zhangsan1", &["zhangsan", "张三"]));
        assert!(is_personal("张三1234567890", &["zhangsan", "张三"]));
        assert!(!is_personal(
            "zhangsan-loves-hiking-9",
            &["zhangsan", "张三"]
        ));
        assert!(!is_personal("kfq-demo-2026", &names));
        assert!(!is_personal("anything-goes-1", &["ab", ""]));
    }
}
