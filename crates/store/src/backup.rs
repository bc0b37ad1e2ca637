//! Backups of an embedded (SQLite) database: an online, consistent copy made
//! while the server runs, and putting one back. PostgreSQL has its own,
//! better machinery (base backups and WAL archiving; see the README).

use std::path::{Path, PathBuf};

use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::Store;

/// What a backup or a restore may refuse, said to the operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("PostgreSQL is backed up with pg_basebackup and WAL archiving (see README, 备份与恢复), not by kfq backup")]
    Postgres,
    #[error("{0} exists already; choose a new file name")]
    Exists(PathBuf),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Store {
    /// Writes a consistent copy of the whole database to `target` (a new
    /// file) while others go on reading and writing: `VACUUM INTO` reads one
    /// snapshot, so the copy is the database as of one moment, compacted.
    pub async fn backup_to(&self, target: &Path) -> Result<(), BackupError> {
        if self.backend() == Backend::Postgres {
            return Err(BackupError::Postgres);
        }
        if target.exists() {
            return Err(BackupError::Exists(target.to_owned()));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(target.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await
            .map_err(StoreError::from)?;
        Ok(())
    }
}

/// Puts backup `from` in place of the SQLite database file `to`, which no
/// server may be using. The file it replaces is kept beside it (renamed with
/// `.before-restore`), and so are its WAL files' contents: nothing is lost
/// by a restore made by mistake. Answers where the replaced file went.
pub fn restore_file(from: &Path, to: &Path) -> Result<Option<PathBuf>, BackupError> {
    let kept = if to.exists() {
        let kept = to.with_extension("before-restore");
        if kept.exists() {
            return Err(BackupError::Exists(kept));
        }
        std::fs::rename(to, &kept)?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", to.display()));
            if side.exists() {
                std::fs::rename(&side, format!("{}{suffix}", kept.display()))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    std::fs::copy(from, to)?;
    Ok(kept)
}
