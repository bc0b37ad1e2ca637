//! A spreadsheet's size as it would be expanded, checked before it is
//! opened. A few kilobytes can describe gigabytes: zipped XML that inflates
//! a thousandfold (.xlsx, .ods), a repeat count (.ods), or two cells far
//! apart that make the reader allocate the whole block between them (.xls,
//! .ods, whose readers build every sheet when the file is opened). Each
//! check reads the file as a stream, keeping counts only, and refuses it in
//! the user's words before anything large is allocated. What survives these
//! checks is then read within the row and cell budget of [`super::Budget`].

mod ods;
mod xls;
mod zipped;

use super::merges::FoundMerges;
use super::Format;

/// The most cells the sheets of a file may span together (each sheet's
/// block from its first to its last filled cell), for the formats whose
/// reader builds that block. A province's ledger of 100,000 rows × 40
/// columns is 4 million.
pub(crate) const MAX_AREA: u64 = 5_000_000;
/// The most the XML of a zipped workbook may unpack to, all parts together
/// (a 100,000-row ledger sheet is about 100 MB).
pub(crate) const MAX_XML_BYTES: u64 = 1024 * 1024 * 1024;
/// The longest text between two XML tags: a cell holds at most 32,767
/// characters in Excel and WPS.
pub(crate) const MAX_TEXT_BYTES: u64 = 1024 * 1024;
/// The most the shared strings of an .xlsx may unpack to: they are held
/// whole while the sheets are read.
pub(crate) const MAX_SHARED_STRINGS_BYTES: u64 = 256 * 1024 * 1024;

/// Checks an .xlsx before it is opened, giving the merged regions of each
/// sheet part it read through (by the part's name in the zip).
pub(crate) fn check_xlsx(bytes: &[u8]) -> Result<FoundMerges, String> {
    zipped::check(bytes)
}

/// Whether an .xlsx's parts other than worksheets pass the checks alone.
pub(crate) fn xlsx_besides_sheets_pass(bytes: &[u8]) -> bool {
    zipped::parts_besides_sheets_pass(bytes)
}

/// Checks a file of the given format before it is opened.
pub(crate) fn check(bytes: &[u8], format: Format) -> Result<(), String> {
    match format {
        Format::Xlsx => zipped::check(bytes).map(drop),
        Format::Ods => {
            zipped::check(bytes)?;
            ods::check_ods(bytes)
        }
        Format::Xls => xls::check(bytes),
        // Read record by record within the budget.
        Format::Csv => Ok(()),
    }
}

fn too_many_cells(sheet: &str, rows: u64, columns: u64) -> String {
    format!(
        "工作表“{sheet}”从第一个到最后一个有内容的单元格共{rows}行×{columns}列，与其他工作表合计超过{}万个单元格的上限，未读取；请删去多余的行列（或拆分为几个文件）后另存再导入",
        MAX_AREA / 10_000
    )
}

fn too_much_xml(limit: u64) -> String {
    format!(
        "文件解压后的内容超过{}MB，超出一次导入的上限，未读取；请拆分为几个文件分别导入",
        limit >> 20
    )
}
