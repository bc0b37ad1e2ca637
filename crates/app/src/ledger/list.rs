//! The ledger's pages, kept while nothing they show has changed. A month's
//! end brings many officials to the same few pages (a zone's projects by
//! size, a city's red ones); each answer is the same until a project, plan,
//! month or status moves — every such change moves the audit heads or the
//! count of status refreshes ([`StampedCache`]), read on every request, so
//! every instance answers alike and nobody sees a page older than the data.

use std::sync::Arc;

use kfq_domain::{OrgKind, Role, Visibility};
use kfq_store::{Ledger, LedgerFilter, OrgFilter, OrgUnit, Store, UserFilter};

use crate::error::Result;
use crate::stamped::StampedCache;

/// (who may see what, the filter with its year and month, offset, limit).
type PageKey = (Visibility, LedgerFilter, i64, i64);

/// Ledger pages computed lately. A page is a few tens of kilobytes; a few
/// hundred of them are kept.
#[derive(Default)]
pub struct LedgerCache {
    pages: StampedCache<PageKey, Ledger, 512>,
    filters: StampedCache<(Visibility, Option<i64>), FilterLists, 512>,
}

/// What a ledger page's filters offer a reader: the zones they see and,
/// narrowed to one zone, its departments, liaison leaders and industry
/// chains. Seven statements a page, the same for everyone of a zone until
/// a unit, user or chain changes (each audited), so kept beside the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterLists {
    pub zones: Vec<(i64, String)>,
    pub zone: Option<ZoneLists>,
}

/// A zone's own lists, (id, name) each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneLists {
    pub departments: Vec<(i64, String)>,
    pub liaisons: Vec<(i64, String)>,
    pub chains: Vec<(i64, String)>,
}

/// `zone`'s departments and liaison leaders (for filters and sheets).
pub async fn departments_and_liaisons(
    store: &Store,
    zone: &OrgUnit,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let within = Visibility::Subtree(zone.org_path());
    let dept_filter = OrgFilter {
        parent_id: Some(zone.id),
        kind: Some(OrgKind::Department),
        ..Default::default()
    };
    let departments = store
        .orgs(&within, &dept_filter, 0, 200)
        .await?
        .items
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let liaisons = store
        .users(&within, &UserFilter::default(), 0, 2000)
        .await?
        .items
        .into_iter()
        .filter(|u| u.role() == Role::Liaison)
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok((departments, liaisons))
}

async fn filter_lists(
    store: &Store,
    visibility: &Visibility,
    zone: Option<i64>,
) -> Result<FilterLists> {
    let kind = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    let zones = store
        .orgs(visibility, &kind, 0, 10_000)
        .await?
        .items
        .into_iter()
        .map(|z| (z.id, z.name))
        .collect();
    let zone = match zone {
        Some(id) => store
            .org(visibility, id)
            .await
            .ok()
            .filter(|z| z.kind() == OrgKind::Zone),
        None => None,
    };
    let zone = match zone {
        Some(zone) => {
            let (departments, liaisons) = departments_and_liaisons(store, &zone).await?;
            let chains = store.industry_chains(zone.id).await?;
            Some(ZoneLists {
                departments,
                liaisons,
                chains,
            })
        }
        None => None,
    };
    Ok(FilterLists { zones, zone })
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

    /// The lists a ledger page filters by for a reader who sees
    /// `visibility` of the units, narrowed to `zone` if it is one they see.
    pub async fn filter_lists(
        &self,
        store: &Store,
        visibility: &Visibility,
        zone: Option<i64>,
    ) -> Result<Arc<FilterLists>> {
        let key = (visibility.clone(), zone);
        self.filters
            .get_or_build(store, key, filter_lists(store, visibility, zone))
            .await
    }
}
