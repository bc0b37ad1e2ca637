//! 统一社会信用代码 (Unified Social Credit Code, GB 32100-2015): 18 characters
//! from a 31-symbol alphabet, the last being a check character over the first 17.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The code alphabet: digits and capitals without I, O, S, V, Z (easily misread).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid credit code. Holding one means it passed [`CreditCode::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    /// Accepts lower case, full-width characters and surrounding blanks (people
    /// paste codes from chats and documents), and returns the catalogue key of
    /// the reason when the code is not valid.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let code: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect::<String>()
            .to_ascii_uppercase();
        if code.chars().count() != 18 {
            return Err("error.credit_code.length");
        }
        let values: Vec<u32> = code
            .bytes()
            .map(value_of)
            .collect::<Option<_>>()
            .ok_or("error.credit_code.charset")?;
        // Positions 3–8 are the administrative division code: digits only.
        if values[2..8].iter().any(|&v| v > 9) {
            return Err("error.credit_code.division");
        }
        if check_value(&values[..17]) != values[17] {
            return Err("error.credit_code.check");
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn value_of(byte: u8) -> Option<u32> {
    ALPHABET.iter().position(|&c| c == byte).map(|p| p as u32)
}

fn check_value(first17: &[u32]) -> u32 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes published on the national enterprise credit register.
    const REAL: &[&str] = &[
        "914403001922038216", // 华为技术有限公司
        "91330100799655058B", // 阿里巴巴（中国）有限公司
        "9144030071526726XG", // 深圳市腾讯计算机系统有限公司
        "91110000802100433B", // 中国石油化工股份有限公司
    ];

    #[test]
    fn accepts_real_codes() {
        for code in REAL {
            assert_eq!(
                CreditCode::parse(code).map(|c| c.to_string()),
                Ok(code.to_string())
            );
        }
    }

    #[test]
    fn normalises_case_and_blanks() {
        let code = CreditCode::parse(" 91330100799655058b ").unwrap();
        assert_eq!(code.as_str(), "91330100799655058B");
        let full_width = CreditCode::parse("９１４４０３００１９２２０３８２１６").unwrap();
        assert_eq!(full_width.as_str(), "914403001922038216");
    }

    #[test]
    fn rejects_with_reason() {
        let cases = [
            ("", "error.credit_code.length"),
            ("91440300192203821", "error.credit_code.length"),
            ("9144030019220382161", "error.credit_code.length"),
            ("91440300192203821I", "error.credit_code.charset"),
            ("9144030O1922038216", "error.credit_code.charset"),
            ("91A40300192203821X", "error.credit_code.division"),
            ("914403001922038217", "error.credit_code.check"),
            ("91440300192203821Ⅰ", "error.credit_code.charset"),
        ];
        for (raw, key) in cases {
            assert_eq!(CreditCode::parse(raw), Err(key), "{raw}");
        }
    }

    #[test]
    fn every_single_character_change_is_caught() {
        // The check character detects any one substituted character.
        let good = REAL[0].as_bytes();
        for pos in 0..18 {
            for &sym in ALPHABET.iter() {
                if sym == good[pos] {
                    continue;
                }
                let mut bad = good.to_vec();
                bad[pos] = sym;
                let bad = String::from_utf8(bad).unwrap();
                assert!(CreditCode::parse(&bad).is_err(), "{bad} passed");
            }
        }
    }

    #[test]
    fn serde_round_trip_validates() {
        let code: CreditCode = serde_json::from_str("\"914403001922038216\"").unwrap();
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            "\"914403001922038216\""
        );
        assert!(serde_json::from_str::<CreditCode>("\"914403001922038217\"").is_err());
    }
}
