//! The shared strings table (`xl/sharedStrings.xml`) and inline strings,
//! read the way calamine reads them (rich text runs joined, phonetic runs
//! left out, entities and Excel's `_x00HH_` escapes resolved), into one
//! buffer: a hundred thousand names are two allocations, not a hundred
//! thousand.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

/// Every string of the table, by index.
#[derive(Debug, Default)]
pub(crate) struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            i => self.ends[i - 1],
        };
        Some(&self.text[start..end])
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The table from the part's XML; `None` where calamine would fail.
    pub(crate) fn parse(xml: &[u8]) -> Option<SharedStrings> {
        let mut strings = SharedStrings {
            text: String::with_capacity(xml.len() / 2),
            ends: Vec::new(),
        };
        let mut reader = reader(xml);
        loop {
            match reader.read_event().ok()? {
                Event::Start(e) if e.local_name().as_ref() == b"sst" => break,
                Event::Eof => return None,
                _ => {}
            }
        }
        let mut at = reader.buffer_position() as usize;
        loop {
            // A plain item is copied as it stands; any other goes through
            // the XML reader, from its start.
            if let Some((text, end)) = plain_item(&xml[at..]) {
                strings.text.push_str(text);
                strings.ends.push(strings.text.len());
                at += end;
                continue;
            }
            // An end tag: a reader started here would call it unmatched.
            let rest = &xml[at..];
            let blank = rest.iter().position(|b| !b.is_ascii_whitespace())?;
            if rest[blank..].starts_with(b"</") {
                let gt = blank + memchr::memchr(b'>', &rest[blank..])?;
                let name = rest[blank + 2..gt].trim_ascii_end();
                if name.rsplit(|&b| b == b':').next() == Some(b"sst") {
                    break;
                }
                at += gt + 1;
                continue;
            }
            let mut reader = reader_at(xml, at);
            match reader.read_event().ok()? {
                Event::Start(e) if e.local_name().as_ref() == b"si" => {
                    read_string(&mut reader, e.name(), &mut strings.text)?;
                    strings.ends.push(strings.text.len());
                }
                Event::End(e) if e.local_name().as_ref() == b"sst" => break,
                Event::Eof => return None,
                _ => {}
            }
            at += reader.buffer_position() as usize;
        }
        strings.text.shrink_to_fit();
        Some(strings)
    }
}

/// `<si><t>text</t></si>` at the start of `xml` (after blanks), its text
/// needing nothing resolved (no entity, `_x00HH_` escape or carriage
/// return), and how far it runs.
fn plain_item(xml: &[u8]) -> Option<(&str, usize)> {
    let start = xml.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = xml[start..].strip_prefix(b"<si><t")?;
    const PRESERVE: &[u8] = br#" xml:space="preserve">"#;
    let open = match rest.first()? {
        b'>' => 1,
        _ if rest.starts_with(PRESERVE) => PRESERVE.len(),
        _ => return None,
    };
    let body = &rest[open..];
    let close = memchr::memchr(b'<', body)?;
    let text = &body[..close];
    if !body[close..].starts_with(b"</t></si>")
        || memchr::memchr2(b'&', b'\r', text).is_some()
        || memchr::memmem::find(text, b"_x00").is_some()
    {
        return None;
    }
    let end = start + 6 + open + close + "</t></si>".len();
    Some((std::str::from_utf8(text).ok()?, end))
}

/// A reader of `xml` from `at`.
fn reader_at(xml: &[u8], at: usize) -> Reader<&[u8]> {
    reader(&xml[at..])
}

/// A reader configured as calamine configures its own.
pub(super) fn reader(xml: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    reader
}

/// An inline string's text (the element `<is>` starting `xml`).
pub(super) fn inline_string(xml: &[u8]) -> Option<String> {
    let mut reader = reader(xml);
    let Event::Start(e) = reader.read_event().ok()? else {
        return None;
    };
    let mut text = String::new();
    let closing = e.name().as_ref().to_vec();
    read_string(&mut reader, QName(&closing), &mut text)?;
    Some(text)
}

/// Appends the text of a string item (`<si>`, `<is>`) to `out`, up to its
/// end `closing`: the `<t>` elements' texts in order, skipping phonetic
/// runs (`<rPh>`).
fn read_string(reader: &mut Reader<&[u8]>, closing: QName, out: &mut String) -> Option<()> {
    let mut phonetic = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"rPh" => phonetic = true,
            Event::End(e) if e.name() == closing => return Some(()),
            Event::End(e) if e.local_name().as_ref() == b"rPh" => phonetic = false,
            Event::Start(e) if e.local_name().as_ref() == b"t" && !phonetic => {
                read_t(reader, &e, out)?
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn read_t(reader: &mut Reader<&[u8]>, t: &BytesStart, out: &mut String) -> Option<()> {
    loop {
        match reader.read_event().ok()? {
            Event::Text(text) => unescape_excel(&text.xml10_content().ok()?, out),
            Event::CData(text) => out.push_str(&text.xml10_content().ok()?),
            Event::GeneralRef(entity) => {
                let name = entity.decode().ok()?;
                match quick_xml::escape::resolve_xml_entity(&name) {
                    Some(resolved) => out.push_str(resolved),
                    None => out.push(entity.resolve_char_ref().ok()??),
                }
            }
            Event::End(end) if end.name() == t.name() => return Some(()),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Excel writes a control character such as "\r" as `_x000D_` (and a
/// literal `_x000D_` as `_x005F_x000D_`): `_x00HH_` stands for the
/// character HH.
fn unescape_excel(text: &str, out: &mut String) {
    const ESCAPE: usize = "_x00HH_".len();
    let bytes = text.as_bytes();
    let mut rest = 0;
    let mut i = 0;
    while let Some(found) = memchr::memmem::find(&bytes[i..], b"_x00") {
        let at = i + found;
        let code = bytes
            .get(at + 4..at + 6)
            .filter(|_| bytes.get(at + 6) == Some(&b'_'))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match code {
            Some(code) => {
                out.push_str(&text[rest..at]);
                out.push(char::from(code));
                i = at + ESCAPE;
                rest = i;
            }
            None => i = at + 1,
        }
    }
    out.push_str(&text[rest..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_read_as_calamine_reads_them() {
        let xml = concat!(
            r#"<?xml version="1.0"?><sst xmlns="x" count="6" uniqueCount="6">"#,
            "<si><t>项目A</t></si>",
            r#"<si><r><rPr><b/></rPr><t>年产</t></r><r><t xml:space="preserve"> 5万吨</t></r><rPh><t>ネン</t></rPh></si>"#,
            "<si><t>R&amp;D &lt;一期&gt; &#x4E8C;&#26399;</t></si>",
            "<si><t>A_x000D_B_x005F_x000D_ _x00ZZ_</t></si>",
            "<si><t/></si><si></si>",
            "<si><t>line\r\nnext<![CDATA[<x>]]></t></si>\n  ",
            r#"<si><t xml:space="preserve"> 前后空格 </t></si><!-- c --><si><t>末</t></si>"#,
            "</sst>"
        );
        let s = SharedStrings::parse(xml.as_bytes()).unwrap();
        assert_eq!(s.len(), 9);
        assert_eq!(s.get(0), Some("项目A"));
        assert_eq!(s.get(1), Some("年产 5万吨"));
        assert_eq!(s.get(2), Some("R&D <一期> 二期"));
        assert_eq!(s.get(3), Some("A\rB_x000D_ _x00ZZ_"));
        assert_eq!(s.get(4), Some(""));
        assert_eq!(s.get(5), Some(""));
        assert_eq!(s.get(6), Some("line\nnext<x>"));
        assert_eq!(s.get(7), Some(" 前后空格 "));
        assert_eq!(s.get(8), Some("末"));
        assert_eq!(s.get(9), None);
        assert!(SharedStrings::parse(b"<sst><si><t>cut").is_none());
        assert!(SharedStrings::parse(b"<sst><si><t>&bogus;</t></si></sst>").is_none());
    }
}
