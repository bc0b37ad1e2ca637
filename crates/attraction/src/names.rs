//! Investor names reduced to what finds a duplicate: "双良集团有限公司",
//! "双良集团（江苏）" and "双良 集团" are one investor; "双良节能" is another.

/// Company forms removed from the end of a name, once, longest first so that
/// "股份有限公司" goes before "有限公司"; "集团" stays, it names the investor.
const FORMS: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "公司",
    "coltd",
    "limited",
    "ltd",
    "inc",
    "co",
];

/// The key two names of one investor share: full-width letters and digits
/// made half-width, lower case, blanks and punctuation dropped, a bracketed
/// place ("（江苏）") dropped, company forms at the end dropped.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    let mut depth = 0u32;
    for c in name.chars() {
        let c = half_width(c);
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => key.extend(c.to_lowercase()),
            _ => {}
        }
    }
    if FORMS.contains(&key.as_str()) {
        return key;
    }
    if let Some(form) = FORMS.iter().find(|form| key.ends_with(**form)) {
        key.truncate(key.len() - form.len());
    }
    key
}

fn half_width(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_investor_under_its_usual_spellings() {
        for name in [
            "双良集团有限公司",
            "双良集团",
            " 双良 集团 ",
            "双良集团（江苏）有限公司",
            "双良集团(江苏)",
        ] {
            assert_eq!(name_key(name), "双良集团", "{name}");
        }
        assert_ne!(name_key("双良节能系统股份有限公司"), name_key("双良集团"));
        assert_eq!(name_key("中科尚昇（山西）科技有限公司"), "中科尚昇科技");
    }

    #[test]
    fn latin_names_and_full_width_letters() {
        assert_eq!(name_key("ＢＹＤ Co., Ltd."), "byd");
        assert_eq!(name_key("BYD Company Limited"), "bydcompany");
        assert_eq!(name_key("Tesla, Inc."), "tesla");
    }

    #[test]
    fn a_name_that_is_only_a_form_keeps_it() {
        assert_eq!(name_key("公司"), "公司");
        assert_eq!(name_key("有限公司"), "有限公司");
        assert_eq!(name_key(""), "");
    }
}
