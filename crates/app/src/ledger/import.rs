//! 导入台账: a ledger workbook read, planned against the ledger (what each row
//! would create, update or why it is rejected) and committed in one
//! transaction, with the column mapping kept for the unit's next workbook.

use chrono::{Datelike, NaiveDate};
use kfq_domain::{OrgKind, Visibility};
use kfq_ledger_import::{Counts, Plan, RowPlan};
use kfq_store::{ImportFile, ImportUpload, LedgerImport, OrgFilter, OrgUnit, Store};
use kfq_workbook::{ColumnOverride, ReadOptions, Workbook};
use serde::Serialize;

use crate::access::ZoneTarget;
use crate::error::{Error, Result};
use crate::ledger::rules::Rules;
use crate::off_the_workers;

/// The saved mapping's kind (one per org and kind of workbook).
const MAPPING_KIND: &str = "ledger";

/// What the user chose besides the file.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub blockers: bool,
    /// A corrected mapping; otherwise the org's saved one, else detection.
    pub mapping: Option<ReadOptions>,
}

/// A workbook read and planned against the ledger.
pub struct Prepared {
    pub book: Workbook,
    pub plan: Plan,
    pub read: ReadOptions,
    pub year: i32,
    pub month: Option<u8>,
}

/// Reads the workbook and plans it against the zones of the target unit.
pub async fn prepare(
    store: &Store,
    target: &ZoneTarget,
    file_name: &str,
    bytes: &[u8],
    choices: &Choices,
    today: NaiveDate,
) -> Result<Prepared> {
    let read = read_options(store, target.org(), choices, None).await?;
    let book = read_file(file_name, bytes, &read).await?;
    plan_book(store, target, book, read, choices, today).await
}

/// Reads a waiting upload and plans it, reading the file only when its
/// kept reading was made with other options. Without a corrected mapping
/// the mapping of the kept reading stands: the page the user last saw.
pub async fn prepare_upload(
    store: &Store,
    target: &ZoneTarget,
    upload: &ImportUpload,
    choices: &Choices,
    today: NaiveDate,
) -> Result<Prepared> {
    // The kept reading is unpacked only when it was made with the options
    // asked for: a corrected mapping reads the file instead.
    let kept = store.upload_reading(upload.id).await?;
    let last = kept
        .as_ref()
        .and_then(|(options, _)| serde_json::from_str::<ReadOptions>(options).ok());
    let read = read_options(store, target.org(), choices, last.as_ref()).await?;
    let key = serde_json::to_string(&read).map_err(anyhow::Error::from)?;
    let unpacked = match kept {
        Some((options, packed)) if options == key => {
            off_the_workers(move || unpack(&packed)).await?
        }
        _ => None,
    };
    let book = match unpacked {
        Some(book) => book,
        None => {
            let book = read_file(&upload.file.name, &upload.bytes, &read).await?;
            let (book, packed) = off_the_workers(move || {
                let packed = pack(&book);
                (book, packed)
            })
            .await?;
            store.keep_upload_reading(upload.id, &key, &packed?).await?;
            book
        }
    };
    plan_book(store, target, book, read, choices, today).await
}

/// The options to read with: a corrected mapping, else the one last read
/// with, else the unit's saved one, else detection; the chosen year over
/// all of them. Checked before any reading.
async fn read_options(
    store: &Store,
    org: &OrgUnit,
    choices: &Choices,
    last: Option<&ReadOptions>,
) -> Result<ReadOptions> {
    let mut read = match (&choices.mapping, last) {
        (Some(mapping), _) => mapping.clone(),
        (None, Some(last)) => last.clone(),
        (None, None) => store
            .import_mapping(org.id, MAPPING_KIND)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
    };
    if choices.year.is_some() {
        read.year = choices.year;
    }
    check_choices(choices, &read)?;
    Ok(read)
}

async fn read_file(file_name: &str, bytes: &[u8], read: &ReadOptions) -> Result<Workbook> {
    let (bytes, name, options) = (bytes.to_vec(), file_name.to_owned(), read.clone());
    crate::reading_a_file(move || kfq_workbook::read(&bytes, &name, &options))
        .await?
        .map_err(|e| Error::Unreadable(e.to_string()))
}

/// A reading as kept: JSON, deflated (a tenth of its size).
fn pack(book: &Workbook) -> Result<Vec<u8>> {
    let mut out = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    serde_json::to_writer(&mut out, book).map_err(anyhow::Error::from)?;
    Ok(out.finish().map_err(anyhow::Error::from)?)
}

/// A kept reading, unless it cannot be unpacked (kept by an older version):
/// then the file is read again.
fn unpack(packed: &[u8]) -> Option<Workbook> {
    let reader = std::io::BufReader::new(flate2::read::DeflateDecoder::new(packed));
    serde_json::from_reader(reader).ok()
}

/// Plans a read workbook against the ledger of the target's zones.
async fn plan_book(
    store: &Store,
    target: &ZoneTarget,
    book: Workbook,
    read: ReadOptions,
    choices: &Choices,
    today: NaiveDate,
) -> Result<Prepared> {
    check_header_rows(&book, &read)?;
    let zones = zones_of(store, target.org()).await?;
    let year = choices
        .year
        .or_else(|| book.ledger_sheets().find_map(|s| s.year))
        .unwrap_or(today.year());
    // A year read from a title is held to the same range as a chosen one.
    kfq_domain::validation::year(i64::from(year))
        .map_err(|key| Error::Invalid(kfq_domain::FieldErrors::single("year", key)))?;
    let month = choices
        .month
        .or_else(|| book.ledger_sheets().find_map(|s| s.ytd_through_month));
    let codes: Vec<String> = book
        .projects()
        .filter_map(|r| r.values.project_code.clone())
        .collect();
    let known = store.import_known(&zones, year, &codes).await?;
    let options = kfq_ledger_import::Options {
        year: Some(year),
        month,
        blockers: choices.blockers,
        today,
    };
    let (book, plan) = off_the_workers(move || {
        let mut book = book;
        // The book keeps its sheets and columns; its rows become the plan's.
        let plan = kfq_ledger_import::plan(&mut book, &known, &options);
        (book, plan)
    })
    .await?;
    Ok(Prepared {
        book,
        plan,
        read,
        year,
        month,
    })
}

/// The most rows a sheet can have (.xlsx): a header row below it is not one.
const MAX_SHEET_ROWS: u32 = 1_048_576;

/// The choices and the mapping before the workbook is read: the year
/// (chosen or the mapping's) within 2000–2100, the month 1–12, a header row
/// given by hand within a sheet's possible rows, one or two rows deep.
fn check_choices(choices: &Choices, read: &ReadOptions) -> Result<()> {
    let mut errors = kfq_domain::FieldErrors::new();
    if let Some(year) = choices.year {
        errors.check("year", kfq_domain::validation::year(i64::from(year)));
    }
    if choices.month.is_some_and(|m| !(1..=12).contains(&m)) {
        errors.add("month", "error.month");
    }
    let mapping_year = read
        .year
        .is_some_and(|y| kfq_domain::validation::year(i64::from(y)).is_err());
    if mapping_year && choices.year.is_none() {
        errors.add("mapping", "error.year");
    }
    if read
        .headers
        .iter()
        .any(|h| h.row > MAX_SHEET_ROWS || !(1..=2).contains(&h.rows))
    {
        errors.add("mapping", "error.header_row");
    }
    errors.into_result().map_err(Error::Invalid)
}

/// A header row given by hand must lie within the sheet it is given for:
/// the workbook finds no header there otherwise (no sheet it names is read
/// as a ledger), and the user is told rather than shown an empty plan.
fn check_header_rows(book: &Workbook, read: &ReadOptions) -> Result<()> {
    let missed = read.headers.iter().filter(|h| h.row >= 1).any(|h| {
        !book
            .sheets
            .iter()
            .filter(|s| h.sheet.as_ref().is_none_or(|name| *name == s.name))
            .any(|s| s.is_ledger)
    });
    if missed {
        return Err(Error::Invalid(kfq_domain::FieldErrors::single(
            "mapping",
            "error.header_row",
        )));
    }
    Ok(())
}

/// Commits a prepared import and keeps its mapping for next time.
pub async fn commit(
    store: &Store,
    actor: &kfq_store::Actor,
    target: &ZoneTarget,
    prepared: &Prepared,
    file: &ImportFile,
    only_valid: bool,
) -> Result<LedgerImport> {
    let org = target.org();
    let zone = zones_of(store, org)
        .await?
        .first()
        .copied()
        .unwrap_or(org.id);
    let rules = Rules::load(store, zone).await?;
    let started = std::time::Instant::now();
    let import = store
        .apply_import(
            actor,
            target.proof(),
            org.id,
            &prepared.plan,
            only_valid,
            file,
            (prepared.year, prepared.month.map(u32::from)),
            &rules.ctx(),
        )
        .await?;
    tracing::info!(
        created = import.created,
        updated = import.updated,
        months = import.months,
        write_ms = started.elapsed().as_millis() as u64,
        "ledger import written"
    );
    let saved = saved_mapping(&prepared.book, &prepared.read);
    store
        .save_import_mapping(
            actor,
            org.id,
            MAPPING_KIND,
            &serde_json::to_string(&saved).map_err(anyhow::Error::from)?,
        )
        .await?;
    Ok(import)
}

/// The zones an import into `org` may write to.
async fn zones_of(store: &Store, org: &OrgUnit) -> Result<Vec<i64>> {
    if org.kind() == OrgKind::Zone {
        return Ok(vec![org.id]);
    }
    let filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    Ok(store
        .orgs(&Visibility::Subtree(org.org_path()), &filter, 0, 100_000)
        .await?
        .items
        .into_iter()
        .map(|z| z.id)
        .collect())
}

/// The mapping to keep: by header text, so the next month's workbook (same
/// headers, perhaps other columns) is read the same way.
fn saved_mapping(book: &Workbook, read: &ReadOptions) -> ReadOptions {
    let mut columns = Vec::new();
    for sheet in book.ledger_sheets() {
        for c in &sheet.columns {
            if c.header.trim().is_empty()
                || columns
                    .iter()
                    .any(|o: &ColumnOverride| o.header.as_deref() == Some(c.header.as_str()))
            {
                continue;
            }
            columns.push(ColumnOverride {
                sheet: None,
                column: None,
                header: Some(c.header.clone()),
                field: c.field,
                unit: None,
            });
        }
    }
    ReadOptions {
        columns,
        headers: read.headers.clone(),
        money_unit: read.money_unit,
        year: None,
        sheets: Vec::new(),
    }
}

/// What an import did or would do.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub file_name: String,
    pub sha256: String,
    pub year: i32,
    pub month: Option<u8>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub counts: Counts,
    /// Per sheet: the reporting date (截至日期) and what it was read from.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub reporting: Vec<kfq_ledger_import::Reporting>,
    /// Per sheet: the columns and the fields they were read as.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub columns: Vec<SheetColumns>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub file_errors: Vec<kfq_workbook::Issue>,
    /// The rows asked for (all, unless a page of them was).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub rows: Vec<RowPlan>,
    /// How many rows matched, and where `rows` starts among them.
    pub rows_total: usize,
    pub rows_offset: usize,
    /// The import, when committed.
    pub import: Option<LedgerImport>,
}

impl ImportReport {
    /// Keeps a page of the rows `keep` accepts: at most `limit` from
    /// `offset`; `rows_total` counts all that it accepts.
    pub fn page(mut self, keep: impl Fn(&RowPlan) -> bool, offset: usize, limit: usize) -> Self {
        let rows = std::mem::take(&mut self.rows);
        let matching: Vec<RowPlan> = rows.into_iter().filter(|r| keep(r)).collect();
        self.rows_total = matching.len();
        self.rows_offset = offset;
        self.rows = matching.into_iter().skip(offset).take(limit).collect();
        self
    }
}

#[derive(Serialize)]
pub struct SheetColumns {
    pub sheet: String,
    pub columns: Vec<kfq_workbook::ColumnMapping>,
}

pub fn report(prepared: Prepared, file: &ImportFile, import: Option<LedgerImport>) -> ImportReport {
    ImportReport {
        file_name: file.name.clone(),
        sha256: file.sha256.clone(),
        year: prepared.year,
        month: prepared.month,
        counts: prepared.plan.counts(),
        reporting: prepared.plan.reporting.clone(),
        columns: prepared
            .book
            .ledger_sheets()
            .map(|s| SheetColumns {
                sheet: s.name.clone(),
                columns: s.columns.clone(),
            })
            .collect(),
        file_errors: prepared.plan.file_errors.clone(),
        rows_total: prepared.plan.rows.len(),
        rows_offset: 0,
        rows: prepared.plan.rows,
        import,
    }
}
