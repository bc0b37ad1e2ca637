//! Account identifiers and the password policy.

/// Login names: short, ASCII, case-insensitive (stored lower case).
pub fn parse_username(raw: &str) -> Result<String, &'static str> {
    let name = raw.trim().to_ascii_lowercase();
    if name.is_empty() {
        return Err("error.required");
    }
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-'));
    if !(3..=32).contains(&name.len()) || !ok_chars || !name.as_bytes()[0].is_ascii_alphanumeric() {
        return Err("error.username");
    }
    Ok(name)
}

/// At least 10 characters with a letter and a digit, not only repeats of one
/// character, and not a common password (the list shipped with the binary);
/// long passphrases are welcome.
pub fn check_password(raw: &str) -> Result<(), &'static str> {
    let chars = raw.chars().count();
    if chars < 10 {
        return Err("error.password.short");
    }
    if chars > 256 {
        return Err("error.too_long");
    }
    let has_letter = raw.chars().any(char::is_alphabetic);
    let has_digit = raw.chars().any(|c| c.is_ascii_digit());
    let mut distinct: Vec<char> = raw.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if !has_letter || !has_digit || distinct.len() < 4 {
        return Err("error.password.weak");
    }
    if crate::password::is_common(raw) {
        return Err("error.password.common");
    }
    Ok(())
}

/// [`check_password`] for a given account: nor built from its login name or
/// the person's name ("zhangsan1", "yc.staff2024").
pub fn check_password_for(
    raw: &str,
    username: &str,
    display_name: &str,
) -> Result<(), &'static str> {
    check_password(raw)?;
    if crate::password::is_personal(raw, &[username, display_name]) {
        return Err("error.password.personal");
    }
    Ok(())
}

/// Mobile numbers as zones write them: 11 digits starting with 1, or blank.
pub fn parse_phone(raw: &str) -> Result<Option<String>, &'static str> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    let ok =
        digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(Some(digits))
    } else {
        Err("error.phone")
    }
}

/// E-mail addresses: one "@", a dot in the domain, no blanks; or blank.
pub fn parse_email(raw: &str) -> Result<Option<String>, &'static str> {
    let email = raw.trim();
    if email.is_empty() {
        return Ok(None);
    }
    let ok = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
                && email.len() <= 254
        }
        None => false,
    };
    if ok {
        Ok(Some(email.to_owned()))
    } else {
        Err("error.email")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(parse_username(" Zhang.San "), Ok("zhang.san".into()));
        for bad in ["ab", "张三", "_abc", "a b c", &"x".repeat(33)] {
            assert!(parse_username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert_eq!(check_password("short1"), Err("error.password.short"));
        assert_eq!(check_password("aaaaaaaaaa1"), Err("error.password.weak"));
        assert_eq!(
            check_password("onlyletterswords"),
            Err("error.password.weak")
        );
        assert_eq!(check_password("1234567890"), Err("error.password.weak"));
        assert_eq!(check_password("运城开发区2024项目推进"), Ok(()));
        assert_eq!(check_password("correct-horse-9"), Ok(()));
        for common in ["password12", "1234567890a", "woaini1314", "qq12345678"] {
            assert_eq!(check_password(common), Err("error.password.common"));
        }
        assert_eq!(
            check_password_for("zhangsan1234", "zhangsan", "张三"),
            Err("error.password.personal")
        );
        assert_eq!(
            check_password_for("zhangsan-river-42", "zhangsan", "张三"),
            Ok(())
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            parse_email(" a.b@kfq.example.cn "),
            Ok(Some("a.b@kfq.example.cn".into()))
        );
        assert_eq!(parse_email(""), Ok(None));
        for bad in ["a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a@.cn", "abc"] {
            assert_eq!(parse_email(bad), Err("error.email"), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(parse_phone("138 0000 1234"), Ok(Some("13800001234".into())));
        assert_eq!(parse_phone(""), Ok(None));
        assert_eq!(parse_phone("0359-1234567"), Err("error.phone"));
    }
}
