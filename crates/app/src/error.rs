//! What a use case can answer besides its result. The edges turn it into a
//! status and a message in Chinese (web) or a line on stderr (CLI).

use kfq_domain::FieldErrors;
use kfq_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Absent, or outside the caller's scope: the two look the same.
    #[error("not found")]
    NotFound,
    /// Visible, but the caller may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Someone else changed the object since the caller read it.
    #[error("version conflict")]
    Conflict,
    /// Input refused, field by field (keys of the catalogue).
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Input that cannot be read at all (a workbook that is not one), said in
    /// the user's language.
    #[error("{0}")]
    Unreadable(String),
    /// The database is out of reach for a moment (a failover): retry soon.
    #[error("unavailable")]
    Unavailable,
    /// Too many failed password checks: wait this many seconds.
    #[error("throttled for {0} s")]
    Throttled(i64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Error::NotFound,
            StoreError::Conflict => Error::Conflict,
            StoreError::Invalid(errors) => Error::Invalid(errors),
            StoreError::Unavailable(err) => {
                tracing::warn!(error = ?err, "database unavailable");
                Error::Unavailable
            }
            other => Error::Internal(other.into()),
        }
    }
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Error::Invalid(errors)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
