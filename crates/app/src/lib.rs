//! The application layer of kfq: use cases. Each takes who is asking (a
//! [`kfq_domain::Principal`], or a proof from [`access`] that the check was
//! made) and typed input, checks permission, validates, orchestrates storage
//! and the pure crates, and returns typed results. It knows no HTTP and no
//! templates: the web edge and the CLI are thin doors onto it, and background
//! jobs (alerts, status refresh) live here too. CPU-heavy steps (reading a
//! workbook, building a document) run off the async workers.

pub mod access;
pub mod account;
pub mod alerts;
pub mod assessments;
pub mod attraction;
pub mod bulletins;
pub mod campaigns;
pub mod clock;
pub mod dispatch;
pub mod enterprises;
pub mod error;
pub mod history;
pub mod home;
pub mod i18n;
pub mod indicators;
pub mod ledger;
pub mod monthly_report;
pub mod notifications;
pub mod orgs;
pub mod stamped;
pub mod users;

pub use error::{Error, Result};

/// Reading an uploaded spreadsheet may hold a few hundred megabytes (the
/// readers' row and cell budgets); at most this many are read at once by
/// one app server, so its memory stays bounded whatever is uploaded.
static FILE_READS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Reads an uploaded file on the blocking pool, waiting for a turn among
/// [`FILE_READS`].
pub async fn reading_a_file<T, F>(work: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _turn = FILE_READS
        .acquire()
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("file reads closed: {e}")))?;
    off_the_workers(work).await
}

/// Runs CPU-bound work on the blocking pool so the async workers keep
/// answering other requests meanwhile.
pub async fn off_the_workers<T, F>(work: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("blocking task failed: {e}")))
}
