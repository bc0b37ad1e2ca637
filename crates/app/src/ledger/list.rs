//! The ledger's pages, kept while nothing they show has changed. A month's
//! end brings many officials to the same few pages (a zone's projects by
//! size, a city's red ones); each answer is the same until a project, plan,
//! month or status moves — every such change moves the audit heads or the
//! count of status refreshes ([`StampedCache`]), read on every request, so
//! every instance answers alike and nobody sees a page older than the data.

use std::sync::Arc;

use kfq_domain::Visibility;
use kfq_store::{Ledger, LedgerFilter, Store};

use crate::error::Result;
use crate::stamped::StampedCache;

/// (who may see what, the filter with its year and month, offset, limit).
type PageKey = (Visibility, LedgerFilter, i64, i64);

/// Ledger pages computed lately. A page is a few tens of kilobytes; a few
/// hundred of them are kept.
#[derive(Default)]
pub struct LedgerCache {
    pages: StampedCache<PageKey, Ledger, 512>,
}

impl LedgerCache {
    /// One page of the ledger with its totals row, as [`Store::ledger`]
    /// gives it, from the cache while the data is unchanged.
    pub async fn ledger(
        &self,
        store: &Store,
        visibility: &Visibility,
        filter: &LedgerFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Arc<Ledger>> {
        let key = (visibility.clone(), filter.clone(), offset, limit);
        let build = async { Ok(store.ledger(visibility, filter, offset, limit).await?) };
        self.pages.get_or_build(store, key, build).await
    }
}
