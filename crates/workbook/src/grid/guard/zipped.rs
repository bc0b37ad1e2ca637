//! Zipped XML (.xlsx, .ods): every XML part is inflated once as a stream and
//! counted, never kept. The sizes a zip file declares are not trusted: a
//! liar's entry is counted by what it really unpacks to.

use std::io::{Cursor, Read};

use super::super::merges::{FoundMerges, MergeFinder};
use super::{too_much_xml, MAX_SHARED_STRINGS_BYTES, MAX_TEXT_BYTES, MAX_XML_BYTES};

/// The most of a `mergeCells` element held while the parts are checked
/// (100,000 merged regions are about 3 MB).
const MAX_MERGES_HELD: usize = 8 << 20;

/// More parts than any workbook has (each sheet, its relationships and
/// drawings are a few).
const MAX_ENTRIES: usize = 20_000;

pub(super) fn check(bytes: &[u8]) -> Result<FoundMerges, String> {
    let mut found = FoundMerges::new();
    scan(bytes, LIMITS, &mut found, |_| true)?;
    Ok(found)
}

/// Whether the parts other than worksheets (the shared strings, styles and
/// workbook, which the reader takes in whole when it opens the file) pass
/// [`check`]'s limits on their own: then the file can be opened while the
/// sheets are still being checked.
pub(super) fn parts_besides_sheets_pass(bytes: &[u8]) -> bool {
    let not_a_sheet = |name: &[u8]| !name.starts_with(b"xl/worksheets/");
    scan(bytes, LIMITS, &mut FoundMerges::new(), not_a_sheet).is_ok()
}

const LIMITS: Limits = Limits {
    xml: MAX_XML_BYTES,
    shared: MAX_SHARED_STRINGS_BYTES,
    text: MAX_TEXT_BYTES,
};

struct Limits {
    xml: u64,
    shared: u64,
    text: u64,
}

/// Counts every XML part as it unpacks and, while it is at it, finds each
/// part's merged regions (into `found`): a sheet's merges are listed after
/// its cells, and reading them apart meant inflating the sheet once more.
/// Only the parts whose lowercase names `wanted` accepts are read.
fn scan(
    bytes: &[u8],
    limits: Limits,
    found: &mut FoundMerges,
    wanted: impl Fn(&[u8]) -> bool,
) -> Result<(), String> {
    // A damaged container is the reader's to describe.
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "文件由{}个部分组成，不像是表格文件，未读取",
            archive.len()
        ));
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            return Ok(());
        };
        let name = entry.name_raw().to_ascii_lowercase();
        // Pictures and other binary parts are not read.
        if !(name.ends_with(b".xml") || name.ends_with(b".rels")) || !wanted(&name) {
            continue;
        }
        let shared = name.ends_with(b"sharedstrings.xml");
        // Shared strings hold no merges.
        let mut merges = (!shared).then(MergeFinder::new);
        let mut size = 0u64;
        let mut run = 0u64;
        loop {
            let Ok(n) = entry.read(&mut buf) else {
                return Ok(());
            };
            if n == 0 {
                break;
            }
            if let Some(finder) = &mut merges {
                finder.feed(&buf[..n]);
                // A part not yet known to be within the limits is not held
                // here beyond a few megabytes: such merges are read later,
                // once the whole file has passed.
                if finder.held() > MAX_MERGES_HELD {
                    merges = None;
                }
            }
            size += n as u64;
            total += n as u64;
            if total > limits.xml {
                return Err(too_much_xml(limits.xml));
            }
            if shared && size > limits.shared {
                return Err(format!(
                    "文件中的文字（共享字符串）解压后超过{}MB，超出一次导入的上限，未读取；请拆分为几个文件分别导入",
                    limits.shared >> 20
                ));
            }
            // The longest stretch without a tag: one text or one tag.
            if longest_run(&buf[..n], &mut run, limits.text) {
                return Err(format!(
                    "文件中有一段文字解压后超过{}MB，不像是表格内容，未读取",
                    limits.text >> 20
                ));
            }
        }
        if let (Some(merges), Ok(name)) = (merges, entry.name()) {
            found.insert(name.into_owned(), merges.merges());
        }
    }
    Ok(())
}

/// Whether a stretch without "<" longer than `limit` ends in `block`, given
/// the stretch `run` carried from the blocks before (updated to the one
/// carried on). A stretch inside a block no longer than the limit cannot
/// exceed it: only the first and last stretches are measured then, found
/// with memchr rather than byte by byte.
fn longest_run(block: &[u8], run: &mut u64, limit: u64) -> bool {
    if block.len() as u64 > limit {
        for (i, part) in block.split(|b| *b == b'<').enumerate() {
            let len = part.len() as u64;
            *run = if i == 0 { *run + len } else { len };
            if *run > limit {
                return true;
            }
        }
        return false;
    }
    match memchr::memchr(b'<', block) {
        None => *run += block.len() as u64,
        Some(first) => {
            if *run + first as u64 > limit {
                return true;
            }
            let last = memchr::memrchr(b'<', block).unwrap_or(first);
            *run = (block.len() - last - 1) as u64;
        }
    }
    *run > limit
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A part's name and what writes its content.
    type Part<'a> = (&'a str, &'a dyn Fn(&mut dyn Write));

    fn zipped(parts: &[Part<'_>]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, write) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            write(&mut zip);
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn repeat(w: &mut dyn Write, piece: &[u8], bytes: u64) {
        let block = piece.repeat((64 * 1024) / piece.len());
        let mut written = 0;
        while written < bytes {
            w.write_all(&block).unwrap();
            written += block.len() as u64;
        }
    }

    #[test]
    fn stretches_are_measured_across_blocks() {
        let blocks: [&[u8]; 5] = [b"aaaa<bb<ccc", b"ccccc", b"", b"<d<", b"eeeeeeeee<f"];
        for limit in 0..16u64 {
            // Measured byte by byte, over the blocks joined.
            let joined: Vec<u8> = blocks.concat();
            let longest = joined.split(|b| *b == b'<').map(<[u8]>::len).max().unwrap();
            let mut run = 0;
            let over = blocks.iter().any(|b| longest_run(b, &mut run, limit));
            assert_eq!(over, longest as u64 > limit, "{limit}");
        }
    }

    #[test]
    fn an_ordinary_workbook_passes() {
        let book = zipped(&[
            ("[Content_Types].xml", &|w| {
                w.write_all(b"<Types/>").unwrap()
            }),
            ("xl/worksheets/sheet1.xml", &|w| {
                repeat(w, b"<c r=\"A1\"><v>1</v></c>", 5 << 20)
            }),
            ("xl/media/image1.png", &|w| repeat(w, b"A", 4 << 20)),
        ]);
        assert!(check(&book).is_ok());
    }

    #[test]
    fn a_cell_of_a_hundred_megabytes_is_refused_from_a_few_kilobytes() {
        let bomb = zipped(&[("xl/worksheets/sheet1.xml", &|w| {
            w.write_all(b"<c><v>").unwrap();
            repeat(w, b"A", 100 << 20);
        })]);
        assert!(bomb.len() < 200_000, "{}", bomb.len());
        assert!(check(&bomb)
            .unwrap_err()
            .contains("有一段文字解压后超过1MB"));
        // The longest text is measured across the reader's blocks.
        let split = zipped(&[("a.xml", &|w| {
            w.write_all(b"<v>").unwrap();
            repeat(w, b"A", 100_000);
            w.write_all(b"</v><v>").unwrap();
            repeat(w, b"A", 100_000);
        })]);
        let small = |text| Limits {
            xml: 1 << 20,
            shared: 1 << 20,
            text,
        };
        assert!(scan(&split, small(150_000), &mut FoundMerges::new(), |_| true).is_ok());
        assert!(scan(&split, small(90_000), &mut FoundMerges::new(), |_| true).is_err());
    }

    #[test]
    fn shared_strings_and_sheets_are_counted_as_they_unpack() {
        let limits = || Limits {
            xml: 8 << 20,
            shared: 2 << 20,
            text: 1 << 20,
        };
        let strings = zipped(&[("xl/sharedStrings.xml", &|w| {
            repeat(w, b"<si><t>AAAA</t></si>", 3 << 20)
        })]);
        assert!(scan(&strings, limits(), &mut FoundMerges::new(), |_| true)
            .unwrap_err()
            .contains("共享字符串"));
        // Two sheets, each under the limit, are over it together.
        let sheet = |w: &mut dyn Write| repeat(w, b"<c><v>1</v></c>", 5 << 20);
        let sheets = zipped(&[
            ("xl/worksheets/sheet1.xml", &sheet),
            ("xl/worksheets/sheet2.xml", &sheet),
        ]);
        assert!(scan(&sheets, limits(), &mut FoundMerges::new(), |_| true)
            .unwrap_err()
            .contains("解压后的内容超过8MB"));
        assert!(scan(
            &sheets[..],
            Limits {
                xml: 16 << 20,
                ..limits()
            },
            &mut FoundMerges::new(),
            |_| true
        )
        .is_ok());
    }
}
