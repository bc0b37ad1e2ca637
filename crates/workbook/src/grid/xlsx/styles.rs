//! What each cell style's number format makes of a number (`xl/styles.xml`),
//! and the workbook's date system (`xl/workbook.xml`), decided as calamine
//! decides them, so that a number reads the same on either path.

use std::collections::HashMap;

use calamine::ExcelDateTimeType;
use quick_xml::events::Event;

/// A style's number format: a plain number, a date or a duration.
pub(crate) type Kind = Option<ExcelDateTimeType>;

/// Each cell style's kind, by the style's index (`s="…"` on a cell);
/// `None` where calamine would fail.
pub(crate) fn parse(xml: &[u8]) -> Option<Vec<Kind>> {
    let mut reader = super::strings::reader(xml);
    let mut formats: HashMap<Vec<u8>, String> = HashMap::new();
    let mut kinds = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"numFmts" => loop {
                match reader.read_event().ok()? {
                    Event::Start(e) if e.local_name().as_ref() == b"numFmt" => {
                        let (mut id, mut code) = (Vec::new(), String::new());
                        for a in e.attributes() {
                            let a = a.ok()?;
                            match a.key.as_ref() {
                                b"numFmtId" => id.extend_from_slice(&a.value),
                                b"formatCode" => {
                                    code = reader.decoder().decode(&a.value).ok()?.into_owned()
                                }
                                _ => {}
                            }
                        }
                        if !code.is_empty() {
                            formats.insert(id, code);
                        }
                    }
                    Event::End(e) if e.local_name().as_ref() == b"numFmts" => break,
                    Event::Eof => return None,
                    _ => {}
                }
            },
            Event::Start(e) if e.local_name().as_ref() == b"cellXfs" => loop {
                match reader.read_event().ok()? {
                    Event::Start(e) if e.local_name().as_ref() == b"xf" => {
                        let id = e
                            .attributes()
                            .filter_map(Result::ok)
                            .find(|a| a.key.as_ref() == b"numFmtId");
                        kinds.push(id.and_then(|a| match formats.get(&*a.value) {
                            Some(code) => custom_kind(code),
                            None => builtin_kind(&a.value),
                        }));
                    }
                    Event::End(e) if e.local_name().as_ref() == b"cellXfs" => break,
                    Event::Eof => return None,
                    _ => {}
                }
            },
            Event::End(e) if e.local_name().as_ref() == b"styleSheet" => return Some(kinds),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Whether the workbook counts days from 1904 (`<workbookPr date1904="1"/>`).
pub(crate) fn is_1904(workbook_xml: &[u8]) -> Option<bool> {
    let mut reader = super::strings::reader(workbook_xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.name().as_ref() == b"workbookPr" => {
                return Some(match e.try_get_attribute("date1904").ok()? {
                    Some(a) => matches!(
                        a.decode_and_unescape_value(reader.decoder()).ok()?.as_ref(),
                        "1" | "true"
                    ),
                    None => false,
                });
            }
            Event::Eof => return Some(false),
            _ => {}
        }
    }
}

/// Excel's built-in number formats that show dates and times.
fn builtin_kind(id: &[u8]) -> Kind {
    match id {
        b"14" | b"15" | b"16" | b"17" | b"18" | b"19" | b"20" | b"21" | b"22" | b"45" | b"47" => {
            Some(ExcelDateTimeType::DateTime)
        }
        b"46" => Some(ExcelDateTimeType::TimeDelta),
        _ => None,
    }
}

/// A custom format shows a date when its first section holds a date or
/// time letter outside quotes, escapes and brackets; `[h]`, `[m]` or `[s]`
/// make it a duration.
fn custom_kind(code: &str) -> Kind {
    use ExcelDateTimeType::{DateTime, TimeDelta};
    let (mut escaped, mut quoted, mut am_pm, mut hms) = (false, false, false, false);
    let mut brackets = 0u8;
    let mut prev = ' ';
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if c == '_' || c == '\\' {
            escaped = true;
        } else if quoted {
            quoted = c != '"';
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return None;
        } else if c == '[' {
            brackets = brackets.saturating_add(1);
        } else if c == ']' && brackets == 1 && hms {
            return Some(TimeDelta);
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if brackets == 0 && !am_pm && matches!(c, 'a' | 'A') {
            am_pm = true;
        } else if brackets == 0
            && match am_pm {
                true => matches!(c, 'p' | 'm' | '/' | 'P' | 'M'),
                false => "dmhysDMHYS".contains(c),
            }
        {
            return Some(DateTime);
        } else if !(hms && c.eq_ignore_ascii_case(&prev)) {
            hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use ExcelDateTimeType::{DateTime, TimeDelta};

    #[test]
    fn number_formats_read_as_dates_durations_or_numbers() {
        for (code, kind) in [
            ("yyyy-mm-dd", Some(DateTime)),
            ("yyyy\"年\"m\"月\"d\"日\"", Some(DateTime)),
            ("[$-804]yyyy年m月", Some(DateTime)),
            ("[h]:mm:ss", Some(TimeDelta)),
            ("[mm]:ss", Some(TimeDelta)),
            ("#,##0.00", None),
            ("0.00_);[Red]\\(0.00\\)", None),
            ("\"d\"0", None),
            ("#,##0;\"dd\"", None),
            ("AM/PM h", Some(DateTime)),
            ("General", None),
            ("[Red]0", None),
        ] {
            assert_eq!(custom_kind(code), kind, "{code}");
        }
        let xml = r#"<styleSheet><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="177" formatCode="0.0"/></numFmts>
            <cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="14"/><xf/></cellXfs></styleSheet>"#;
        let xml = xml.as_bytes();
        assert_eq!(
            parse(xml),
            Some(vec![None, Some(DateTime), None, Some(DateTime), None])
        );
        assert_eq!(
            is_1904(br#"<workbook><workbookPr date1904="1"/></workbook>"#),
            Some(true)
        );
        assert_eq!(
            is_1904(br#"<workbook><workbookPr/></workbook>"#),
            Some(false)
        );
    }
}
