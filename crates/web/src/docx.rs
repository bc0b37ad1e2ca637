//! Plain text out of a Word (.docx) file: the paragraphs of
//! word/document.xml, one a line. Bulletins arrive as Word files as often as text.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

/// The document's text, or none when the bytes are not a readable .docx.
pub fn text(bytes: &[u8]) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .ok()?
        .take(50 * 1024 * 1024)
        .read_to_string(&mut xml)
        .ok()?;
    let mut reader = Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::End(e) if e.name().as_ref() == b"w:p" => out.push('\n'),
            Event::Empty(e) if e.name().as_ref() == b"w:tab" => out.push('\t'),
            Event::Empty(e) if e.name().as_ref() == b"w:br" => out.push('\n'),
            Event::Text(t) if in_text => out.push_str(&t.xml_content().ok()?),
            Event::GeneralRef(r) if in_text => {
                let name: &[u8] = &r;
                match name {
                    b"lt" => out.push('<'),
                    b"gt" => out.push('>'),
                    b"amp" => out.push('&'),
                    b"quot" => out.push('"'),
                    b"apos" => out.push('\''),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn docx(document_xml: &str) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buffer);
            zip.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            zip.write_all(document_xml.as_bytes()).unwrap();
            zip.finish().unwrap();
        }
        buffer.into_inner()
    }

    #[test]
    fn paragraphs_become_lines() {
        let xml = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>项目总投资</w:t></w:r><w:r><w:t xml:space="preserve">约18亿元 &amp; 500亩</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t><w:br/><w:t>续</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            text(&docx(xml)).as_deref(),
            Some("项目总投资约18亿元 & 500亩\n第二段\n续\n")
        );
    }

    #[test]
    fn other_bytes_are_not_a_document() {
        assert_eq!(text(b"plain text, not a zip"), None);
    }
}
