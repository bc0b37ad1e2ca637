//! Enterprises (入驻企业) as use cases: registered in a zone the caller may
//! write to, edited at their version, deleted when nothing refers to them.

use kfq_domain::{Principal, ZoneWrite};
use kfq_store::{Actor, Enterprise, EnterpriseInput, Store};

use crate::access::writable_zone;
use crate::error::{Error, Result};

/// An enterprise the caller sees and may write, with the proof of it.
#[derive(Debug, Clone)]
pub struct EnterpriseTarget {
    enterprise: Enterprise,
    proof: ZoneWrite,
}

impl EnterpriseTarget {
    /// Out of sight: not found; in sight but not the caller's to write: forbidden.
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<EnterpriseTarget> {
        let enterprise = store
            .enterprise(&principal.zone_data_visibility(), id)
            .await?;
        let proof = principal
            .zone_write(&enterprise.zone_org_path())
            .ok_or(Error::Forbidden)?;
        Ok(EnterpriseTarget { enterprise, proof })
    }

    pub fn enterprise(&self) -> &Enterprise {
        &self.enterprise
    }
}

pub async fn create(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    input: &EnterpriseInput,
) -> Result<Enterprise> {
    let (_, proof) = writable_zone(store, principal, input.zone_id).await?;
    Ok(store.create_enterprise(actor, &proof, input).await?)
}

/// Saves it at `expected` version; the proof is of the zone it goes into, and
/// the store checks it also covers the zone it is in.
pub async fn update(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    target: &EnterpriseTarget,
    expected: i64,
    input: &EnterpriseInput,
) -> Result<Enterprise> {
    let (_, proof) = writable_zone(store, principal, input.zone_id).await?;
    Ok(store
        .update_enterprise(actor, &proof, target.enterprise.id, expected, input)
        .await?)
}

pub async fn delete(
    store: &Store,
    actor: &Actor,
    target: &EnterpriseTarget,
    expected: i64,
) -> Result<()> {
    Ok(store
        .delete_enterprise(actor, &target.proof, target.enterprise.id, expected)
        .await?)
}
