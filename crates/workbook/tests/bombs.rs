//! Spreadsheet bombs: files of a few kilobytes to a few dozen megabytes that
//! would expand to gigabytes. Each is read in a child process whose address
//! space is capped (setrlimit), so a reader that tried to build the bomb
//! would die there instead of answering; the child also reports its peak
//! resident memory, which must stay well under the cap. Both readers (the
//! ledger and the indicator table) go through the same checks.

#[allow(dead_code)]
mod support {
    pub mod biff;
}

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;

/// The child's address-space cap: four times what the readers may hold.
const CAP_BYTES: u64 = 2 << 30;
/// The most a refused bomb may have cost, resident.
const PEAK_LIMIT_KB: u64 = 700 * 1024;

/// Writes a part's content.
type Part<'a> = &'a dyn Fn(&mut dyn Write);

/// A bomb: its file name, how to make it, and what each reader says (the
/// ledger's refusal; the indicator table's, or None when it reads it).
type Bomb = (
    &'static str,
    fn() -> Vec<u8>,
    &'static str,
    Option<&'static str>,
);

/// An .xlsx with `sheet` as its one sheet's XML (written by `write`), and
/// `shared` as its shared strings.
fn xlsx(write: Part<'_>, shared: Option<Part<'_>>) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let deflate = zip::write::SimpleFileOptions::default().compression_level(Some(1));
    let part = |zip: &mut zip::ZipWriter<&mut Cursor<Vec<u8>>>, name: &str, text: &str| {
        zip.start_file(name, deflate).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(
        &mut zip,
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    part(
        &mut zip,
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        &mut zip,
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        &mut zip,
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    zip.start_file("xl/sharedStrings.xml", deflate).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#).unwrap();
    if let Some(shared) = shared {
        shared(&mut zip);
    }
    zip.write_all(b"</sst>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", deflate).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
    write(&mut zip);
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

fn inline(w: &mut dyn Write, row: u64, column: char, text: &str) {
    write!(
        w,
        r#"<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>"#
    )
    .unwrap();
}

/// A ledger of a million rows: a header, then projects of four cells each.
fn million_rows() -> Vec<u8> {
    xlsx(
        &|w| {
            write!(w, r#"<row r="1">"#).unwrap();
            for (c, t) in [
                ('A', "序号"),
                ('B', "项目名称"),
                ('C', "总投资"),
                ('D', "建设内容"),
            ] {
                inline(w, 1, c, t);
            }
            write!(w, "</row>").unwrap();
            for r in 2..=1_000_001u64 {
                write!(w, r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c>"#).unwrap();
                inline(w, r, 'B', "某某产业园建设项目");
                write!(w, r#"<c r="C{r}"><v>12000</v></c>"#).unwrap();
                inline(w, r, 'D', "新建厂房及配套设施");
                write!(w, "</row>").unwrap();
            }
        },
        None,
    )
}

/// One cell holding 300 MB of text.
fn huge_cell() -> Vec<u8> {
    xlsx(
        &|w| {
            write!(w, r#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#).unwrap();
            let block = [b'A'; 64 * 1024];
            for _ in 0..(300 * 16) {
                w.write_all(&block).unwrap();
            }
            write!(w, "</t></is></c></row>").unwrap();
        },
        None,
    )
}

/// Shared strings of 400 MB that the sheet never uses.
fn huge_shared_strings() -> Vec<u8> {
    xlsx(
        &|w| write!(w, r#"<row r="1"><c r="A1"><v>1</v></c></row>"#).unwrap(),
        Some(&|w| {
            let item = "<si><t>某某产业园建设项目某某产业园建设项目</t></si>".repeat(500);
            let mut written = 0;
            while written < 400 << 20 {
                w.write_all(item.as_bytes()).unwrap();
                written += item.len();
            }
        }),
    )
}

/// An .ods whose one row of filled cells is repeated to fill the sheet.
fn repeated_ods() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// Two cells at opposite corners of a BIFF sheet, the sheet listed 20
/// times: the reader would build 20 blocks of 65,536 × 256 cells.
fn corners_xls() -> Vec<u8> {
    support::biff::xls(&[("台账", &[(0, 0), (65_535, 255)])], 20)
}

/// A ledger of 50 MB in one-character fields: 25 million cells.
fn wide_csv() -> Vec<u8> {
    let mut text = format!("序号,项目名称,总投资{}\n", ",".repeat(497));
    text.push_str(&format!("1,某项目,{}1\n", "1,".repeat(497)).repeat(50_000));
    text.into_bytes()
}

/// Runs the `read_in_child` test below on `file` under the cap, and returns
/// what it printed.
fn read_capped(file: &Path) -> String {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            "read_in_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KFQ_BOMB_FILE", file);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between
    // fork and exec.
    unsafe {
        child.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: CAP_BYTES,
                rlim_max: CAP_BYTES,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = child.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} died under the cap: {stdout}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn bombs_are_refused_within_bounded_memory() {
    let dir = std::env::temp_dir().join(format!("kfq-bombs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // What each reader says: the indicator table is read up to its first
    // 5,000 rows only, so a long file is read there, within the same memory.
    let too_long = "文件超过一次导入的上限";
    let bombs: [Bomb; 6] = [
        ("rows.xlsx", million_rows, too_long, None),
        (
            "cell.xlsx",
            huge_cell,
            "有一段文字解压后超过1MB",
            Some("有一段文字"),
        ),
        (
            "strings.xlsx",
            huge_shared_strings,
            "共享字符串",
            Some("共享字符串"),
        ),
        (
            "repeat.ods",
            repeated_ods,
            "1048576行×1024列",
            Some("1048576行"),
        ),
        ("corners.xls", corners_xls, "65536行×256列", Some("65536行")),
        ("wide.csv", wide_csv, too_long, None),
    ];
    let mut report = Vec::new();
    for (name, make, ledger, indicators) in bombs {
        let started = std::time::Instant::now();
        let bytes = make();
        let made = started.elapsed();
        assert!(bytes.len() < 64 << 20, "{name} is within the upload limit");
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let said = read_capped(&path);
        for (reader, expected) in [("ledger", Some(ledger)), ("indicators", indicators)] {
            // The test harness may print its own words before the child's.
            let line = said
                .lines()
                .find_map(|l| l.find(&format!("{reader}: ")).map(|at| &l[at..]))
                .unwrap_or_else(|| panic!("{name}: {said}"));
            match expected {
                Some(refusal) => assert!(
                    line.contains("refused") && line.contains(refusal),
                    "{name}, {reader}: {line}"
                ),
                None => assert_eq!(line, format!("{reader}: read"), "{name}"),
            }
        }
        let peak: u64 = said
            .lines()
            .find_map(|l| l.split_once("peak_kb: ").map(|(_, v)| v))
            .and_then(|v| v.trim().parse().ok())
            .unwrap();
        assert!(peak < PEAK_LIMIT_KB, "{name} cost {peak} kB");
        report.push(format!(
            "{name} ({} kB, made in {made:.1?}, read in {:.1?}): peak {} MB",
            bytes.len() / 1024,
            started.elapsed() - made,
            peak / 1024
        ));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!("{}", report.join("\n"));
}

/// The child's half: reads the file named by KFQ_BOMB_FILE with both
/// readers and prints the outcomes and the peak resident memory. Without
/// the variable (an ordinary test run) it does nothing.
#[test]
fn read_in_child() {
    let Some(path) = std::env::var_os("KFQ_BOMB_FILE") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let name = Path::new(&path).file_name().unwrap().to_string_lossy();
    let say = |reader: &str, outcome: Result<(), kfq_workbook::ReadError>| match outcome {
        Ok(()) => println!("{reader}: read"),
        Err(e) => println!("{reader}: refused: {e}"),
    };
    say(
        "ledger",
        kfq_workbook::read(&bytes, &name, &Default::default()).map(|_| ()),
    );
    say(
        "indicators",
        kfq_workbook::indicators::read_indicator_sheet_with(
            &bytes,
            &name,
            &[],
            &[],
            &Default::default(),
        )
        .map(|_| ()),
    );
    // SAFETY: getrusage only writes the struct it is given.
    let peak_kb = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage.ru_maxrss
    };
    println!("peak_kb: {peak_kb}");
}
