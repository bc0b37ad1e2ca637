//! The audit trail's hash chain. Each record holds the hash of the one before it
//! in its chain (one chain per zone, chain 0 for province-level data), so any
//! edit, insertion or deletion of a past record breaks a link that
//! [`verify_chain`] finds.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash a chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Update,
    Delete,
    /// Something that is neither, such as a password reset or an import.
    Event,
}

impl AuditAction {
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Delete => "delete",
            AuditAction::Event => "event",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Create, Self::Update, Self::Delete, Self::Event]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// One audit record as stored, the hashed fields in the order they are hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub chain: i64,
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    /// JSON text of the object before the change (none for a create).
    pub before: Option<String>,
    /// JSON text of the object after the change (none for a delete).
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// The hash over every field but `hash` itself. JSON of a fixed-order array
    /// gives an unambiguous encoding (no field can bleed into the next). The
    /// array is written once into a buffer sized for it and hashed in one
    /// go: building it as a JSON value copied every field and grew a string
    /// as it went, a sixth of a 100,000-project import's client work.
    pub fn compute_hash(&self) -> String {
        let texts = [&self.before, &self.after]
            .iter()
            .filter_map(|t| t.as_ref().map(String::len))
            .sum::<usize>();
        // Room for the JSON texts' quotes escaped (one in six bytes) and
        // the rest; a little more is grown into, never copied twice.
        let mut canonical = Vec::with_capacity(
            texts + texts / 6 + self.actor_name.len() + self.prev_hash.len() + 160,
        );
        serde_json::to_writer(
            &mut canonical,
            &(
                self.chain,
                self.seq,
                self.at_ms,
                self.actor_id,
                &self.actor_name,
                &self.action,
                &self.entity,
                self.entity_id,
                &self.before,
                &self.after,
                &self.prev_hash,
            ),
        )
        .expect("a tuple of numbers and texts serialises");
        hex::encode(Sha256::digest(&canonical))
    }

    /// Fills in `hash` from the other fields.
    pub fn seal(mut self) -> Self {
        self.hash = self.compute_hash();
        self
    }
}

/// Where and why a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub chain: i64,
    pub seq: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// A record is missing before this one (sequence gap or reordering).
    Gap,
    /// This record does not point at its predecessor's hash.
    WrongPrevious,
    /// This record's content does not match its own hash: it was altered.
    Altered,
}

/// Checks records of one chain given in `seq` order, from the first. Carries the
/// state from one batch to the next so a long chain is checked in pages.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    chain: i64,
    next_seq: i64,
    prev_hash: String,
}

impl ChainVerifier {
    pub fn new(chain: i64) -> Self {
        Self {
            chain,
            next_seq: 1,
            prev_hash: GENESIS.to_owned(),
        }
    }

    pub fn push(&mut self, record: &AuditRecord) -> Result<(), BrokenLink> {
        let broken = |reason| BrokenLink {
            chain: self.chain,
            seq: record.seq,
            reason,
        };
        if record.chain != self.chain || record.seq != self.next_seq {
            return Err(broken(BreakReason::Gap));
        }
        if record.prev_hash != self.prev_hash {
            return Err(broken(BreakReason::WrongPrevious));
        }
        if record.compute_hash() != record.hash {
            return Err(broken(BreakReason::Altered));
        }
        self.next_seq += 1;
        self.prev_hash.clone_from(&record.hash);
        Ok(())
    }

    /// The head this verifier reached, to compare with the stored chain head
    /// (which catches records cut off the end).
    pub fn head(&self) -> (i64, &str) {
        (self.next_seq - 1, &self.prev_hash)
    }
}

/// Checks one whole chain.
pub fn verify_chain<'a>(
    chain: i64,
    records: impl IntoIterator<Item = &'a AuditRecord>,
) -> Result<i64, BrokenLink> {
    let mut verifier = ChainVerifier::new(chain);
    for record in records {
        verifier.push(record)?;
    }
    Ok(verifier.head().0)
}

/// One field that a change touched, as text for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Fields that differ between two JSON objects (either may be absent), in the
/// order of their names; bookkeeping fields are left out.
pub fn diff_fields(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    const BOOKKEEPING: &[&str] = &["version", "updated_at", "created_at"];
    let parse = |text: Option<&str>| -> serde_json::Map<String, serde_json::Value> {
        text.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default()
    };
    let (old, new) = (parse(before), parse(after));
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    // Sorted so the order does not hang on how serde_json was built.
    let mut keys: Vec<&String> = new.keys().chain(old.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
        .map(|k| FieldChange {
            field: k.clone(),
            before: show(old.get(k)),
            after: show(new.get(k)),
        })
        .filter(|c| c.before != c.after)
        .collect()
}

/// Audit records about people (accounts, and the alert channels that hold
/// their webhook keys and addresses): read as the accounts are, not as the
/// data of the unit they sit in.
pub const PERSONAL_ENTITIES: &[&str] = &["user", "notification_channel"];

/// Who may read which audit records: those about data follow the data,
/// those about people follow the accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditScope {
    pub data: crate::Visibility,
    pub people: crate::Visibility,
}

impl From<&AuditScope> for AuditScope {
    fn from(scope: &AuditScope) -> Self {
        scope.clone()
    }
}

impl From<&crate::Visibility> for AuditScope {
    /// One visibility for both (the history of an object the caller already
    /// sees under that visibility).
    fn from(visibility: &crate::Visibility) -> Self {
        AuditScope {
            data: visibility.clone(),
            people: visibility.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let record = AuditRecord {
                    chain: 7,
                    seq,
                    at_ms: 1_700_000_000_000 + seq,
                    actor_id: Some(1),
                    actor_name: "admin".into(),
                    action: "update".into(),
                    entity: "enterprise".into(),
                    entity_id: 3,
                    before: Some(format!("{{\"name\":\"v{}\"}}", seq - 1)),
                    after: Some(format!("{{\"name\":\"v{seq}\"}}")),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                }
                .seal();
                prev.clone_from(&record.hash);
                record
            })
            .collect()
    }

    /// Records sealed before stay verifiable: the hash is over the same
    /// text as ever, the fields as one compact JSON array.
    #[test]
    fn the_hash_is_over_the_fields_as_one_json_array() {
        let record = AuditRecord {
            chain: 0,
            seq: 12,
            at_ms: 1_764_900_000_000,
            actor_id: None,
            actor_name: "张三 \"甲\"".into(),
            action: "create".into(),
            entity: "project".into(),
            entity_id: 42,
            before: None,
            after: Some(r#"{"name":"年产\"1\"台"}"#.into()),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        // sha256 of the array's text, worked out apart from this code.
        assert_eq!(
            record.compute_hash(),
            "cc27ae0fea732cc6aac916c5950930501580561658db343ed4153dd4efe2b8ae"
        );
        for record in chain_of(3) {
            let text = serde_json::json!([
                record.chain,
                record.seq,
                record.at_ms,
                record.actor_id,
                record.actor_name,
                record.action,
                record.entity,
                record.entity_id,
                record.before,
                record.after,
                record.prev_hash,
            ])
            .to_string();
            assert_eq!(record.hash, hex::encode(Sha256::digest(text.as_bytes())));
        }
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify_chain(7, &chain_of(5)), Ok(5));
        assert_eq!(verify_chain(7, &[]), Ok(0));
    }

    #[test]
    fn an_altered_record_is_found() {
        let mut records = chain_of(5);
        records[2].after = Some("{\"name\":\"forged\"}".into());
        let err = verify_chain(7, &records).unwrap_err();
        assert_eq!((err.seq, err.reason), (3, BreakReason::Altered));
    }

    #[test]
    fn a_resealed_forgery_breaks_the_next_link() {
        let mut records = chain_of(5);
        records[2].actor_name = "someone else".into();
        records[2] = records[2].clone().seal();
        let err = verify_chain(7, &records).unwrap_err();
        assert_eq!((err.seq, err.reason), (4, BreakReason::WrongPrevious));
    }

    #[test]
    fn a_deleted_record_is_a_gap() {
        let mut records = chain_of(5);
        records.remove(1);
        let err = verify_chain(7, &records).unwrap_err();
        assert_eq!((err.seq, err.reason), (3, BreakReason::Gap));
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        let a = chain_of(1).remove(0);
        let mut b = a.clone();
        b.actor_name = "admi".into();
        b.action = "nupdate".into();
        assert_ne!(a.compute_hash(), b.compute_hash());
    }

    #[test]
    fn diffs_show_what_changed() {
        let before = r#"{"name":"甲","industry":null,"version":1,"zone_id":3}"#;
        let after = r#"{"name":"乙","industry":"新材料","version":2,"zone_id":3}"#;
        let changes = diff_fields(Some(before), Some(after));
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "industry".into(),
                    before: "".into(),
                    after: "新材料".into()
                },
                FieldChange {
                    field: "name".into(),
                    before: "甲".into(),
                    after: "乙".into()
                },
            ]
        );
        let created = diff_fields(None, Some(after));
        assert_eq!(created.len(), 3);
        let deleted = diff_fields(Some(before), None);
        assert_eq!(
            deleted.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(),
            ["name", "zone_id"]
        );
    }

    #[test]
    fn action_codes_round_trip() {
        for action in [
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Delete,
            AuditAction::Event,
        ] {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
        }
    }
}
