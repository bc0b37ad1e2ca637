//! The identity of "one event for one recipient", so the caller's UNIQUE index
//! makes a second enqueue of the same alert fail instead of sending it twice.

use sha2::{Digest, Sha256};

/// A stable key for one alert to one recipient: `"{kind}:{sha256 hex}"`.
///
/// - `kind`: what happened, e.g. `"indicator_lag"`, `"hazard_overdue"`.
/// - `subject_id`: what it is about, e.g. the indicator or hazard id.
/// - `period_or_date`: when, e.g. `"2023-06"` for a monthly lag, `"2023-07-17"` for a daily check.
/// - `recipient`: who, including the channel, e.g. `"email:zhang@kfq.example.cn"`.
///
/// Fields are hashed verbatim (the caller passes canonical forms) and each is
/// length-prefixed, so `("a:b", "c")` and `("a", "b:c")` never collide. The
/// digest keeps the key short enough for any index and hides webhook tokens;
/// the `kind` prefix keeps it readable in a log. The format is a storage
/// contract: changing it would let old events be sent again.
pub fn event_key(kind: &str, subject_id: &str, period_or_date: &str, recipient: &str) -> String {
    let mut hasher = Sha256::new();
    for field in [kind, subject_id, period_or_date, recipient] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    format!("{kind}:{}", hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_stable() {
        // Pinned so a refactor cannot silently change stored keys. Computed independently:
        //   h = hashlib.sha256()
        //   for f in ["indicator_lag", "42", "2023-06", "email:zhang@kfq.example.cn"]:
        //       b = f.encode(); h.update(len(b).to_bytes(8, "big") + b)
        assert_eq!(
            event_key(
                "indicator_lag",
                "42",
                "2023-06",
                "email:zhang@kfq.example.cn"
            ),
            "indicator_lag:2b2516b9d168b1905fd915c6ac4238b88849a94d3ba3c4d1b17cbab43425ca6e"
        );
    }

    #[test]
    fn any_field_changes_the_key() {
        let base = event_key("hazard_overdue", "7", "2023-07-17", "wecom:group-a");
        let variants = [
            event_key("hazard_overdue", "8", "2023-07-17", "wecom:group-a"),
            event_key("hazard_overdue", "7", "2023-07-18", "wecom:group-a"),
            event_key("hazard_overdue", "7", "2023-07-17", "wecom:group-b"),
            event_key("request_overdue", "7", "2023-07-17", "wecom:group-a"),
        ];
        for variant in variants {
            assert_ne!(base, variant);
        }
    }

    #[test]
    fn field_boundaries_matter() {
        assert_ne!(
            event_key("k", "1:2", "3", "r"),
            event_key("k", "1", "2:3", "r")
        );
        assert_ne!(event_key("k", "12", "", "r"), event_key("k", "1", "2", "r"));
    }
}
