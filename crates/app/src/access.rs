//! The targets of writes, with their proofs of permission. A use case that
//! writes takes one of these values, and the only ways to make one are the
//! domain's access rules (for a signed-in principal) or the operator's explicit
//! say-so (the CLI on the server): a write without a check does not compile.
//! The store's writes take the domain's proof inside it.

use kfq_domain::{FieldErrors, OrgKind, Principal, ZoneWrite};
use kfq_store::{OrgUnit, Store, StoreError};

use crate::error::{Error, Result};

/// The caller may write the zone data (ledger, imports) of this unit's
/// subtree: a zone, or a city or province whose zones a supervisor keeps.
#[derive(Debug, Clone)]
pub struct ZoneTarget {
    org: OrgUnit,
    proof: ZoneWrite,
}

impl ZoneTarget {
    /// Checks that `principal` sees unit `org_id` and may write its zone data.
    /// A unit out of sight is a field error on `zone_id` (the form's choice),
    /// one in sight but not writable is forbidden.
    pub async fn check(store: &Store, principal: &Principal, org_id: i64) -> Result<ZoneTarget> {
        let org = store
            .org(&principal.org_visibility(), org_id)
            .await
            .map_err(|_| Error::Invalid(FieldErrors::single("zone_id", "error.enterprise.zone")))?;
        let proof = principal
            .zone_write(&org.org_path())
            .ok_or(Error::Forbidden)?;
        Ok(ZoneTarget { org, proof })
    }

    /// The operator of the server (the CLI run on it) may write anywhere.
    pub fn operator(org: OrgUnit) -> ZoneTarget {
        ZoneTarget {
            org,
            proof: ZoneWrite::operator(),
        }
    }

    pub fn org(&self) -> &OrgUnit {
        &self.org
    }

    pub fn proof(&self) -> &ZoneWrite {
        &self.proof
    }
}

/// The zone a project or an enterprise goes into: one the caller sees (else a field error on
/// `zone_id`, the form's choice) and may write (else forbidden).
pub async fn writable_zone(
    store: &Store,
    principal: &Principal,
    zone_id: i64,
) -> Result<(OrgUnit, ZoneWrite)> {
    // Only "not there" is the form's mistake: an unavailable database stays
    // a 503 to retry, not a field error.
    let found = match store.org(&principal.org_visibility(), zone_id).await {
        Ok(zone) => Some(zone),
        Err(StoreError::NotFound) => None,
        Err(other) => return Err(other.into()),
    };
    let zone = found
        .filter(|z| z.kind() == OrgKind::Zone)
        .ok_or_else(|| Error::Invalid(FieldErrors::single("zone_id", "error.enterprise.zone")))?;
    let proof = principal
        .zone_write(&zone.org_path())
        .ok_or(Error::Forbidden)?;
    Ok((zone, proof))
}
