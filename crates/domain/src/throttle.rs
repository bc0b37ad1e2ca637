//! How long a password check waits after failures, by client and by account.
//! Pure: the store counts the failures, this decides.
//!
//! - **By client** (an account and one client address): the first
//!   `free_per_client` failures cost nothing; each further one doubles the
//!   wait after it (2 s, 4 s, 8 s … up to `max_wait_ms`). The client's right
//!   password clears its failures.
//! - **By account** (all clients): once `per_account` failures fall within
//!   `window_ms`, every client that has itself failed on the account waits
//!   until the window moves on; a client that has not failed still gets its
//!   check, so nobody locks the owner out from elsewhere.
//! - **By address** (all accounts): `per_address` failures within
//!   `window_ms` from one address stop that address trying more names.

/// The figures of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub free_per_client: i64,
    pub max_wait_ms: i64,
    pub window_ms: i64,
    pub per_account: i64,
    pub per_address: i64,
}

impl Limits {
    /// `free` failures per client, `window_ms` for the account and address
    /// counts (ten and twenty times `free`), waits up to the window.
    pub fn new(free: i64, window_ms: i64) -> Limits {
        Limits {
            free_per_client: free.max(1),
            max_wait_ms: window_ms,
            window_ms,
            per_account: free.max(1) * 10,
            per_address: free.max(1) * 20,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(5, 15 * 60_000)
    }
}

/// What the store counted (failures not cleared by a later success).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Failures of this client on this account (the last day's).
    pub client_failures: i64,
    /// When the last of them was.
    pub client_last_at: Option<i64>,
    /// The `per_account`-th most recent failure on the account within the
    /// window, if there are that many.
    pub account_nth_at: Option<i64>,
    /// The `per_address`-th most recent failure from the address within the
    /// window, if there are that many.
    pub address_nth_at: Option<i64>,
}

/// How many milliseconds the client must wait before its next check, if any.
pub fn wait_ms(limits: &Limits, facts: &Facts, now: i64) -> Option<i64> {
    let mut until = i64::MIN;
    let over = facts.client_failures - limits.free_per_client;
    if let (true, Some(last)) = (over >= 0, facts.client_last_at) {
        let wait = 2_000_i64
            .checked_shl(u32::try_from(over.min(40)).unwrap_or(40))
            .unwrap_or(i64::MAX)
            .min(limits.max_wait_ms);
        until = until.max(last + wait);
    }
    if let (true, Some(at)) = (facts.client_failures > 0, facts.account_nth_at) {
        until = until.max(at + limits.window_ms);
    }
    if let Some(at) = facts.address_nth_at {
        until = until.max(at + limits.window_ms);
    }
    (until > now).then(|| until - now)
}

/// Whole seconds to tell the user, rounded up.
pub fn wait_seconds(wait_ms: i64) -> i64 {
    (wait_ms + 999) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(n: i64, last: i64) -> Facts {
        Facts {
            client_failures: n,
            client_last_at: Some(last),
            ..Facts::default()
        }
    }

    #[test]
    fn a_client_backs_off_exponentially() {
        let l = Limits::default();
        assert_eq!(wait_ms(&l, &client(4, 1000), 1000), None);
        assert_eq!(wait_ms(&l, &client(5, 1000), 1000), Some(2_000));
        assert_eq!(wait_ms(&l, &client(6, 1000), 1000), Some(4_000));
        assert_eq!(wait_ms(&l, &client(6, 1000), 5_000), None);
        assert_eq!(wait_ms(&l, &client(13, 0), 0), Some(512_000));
        assert_eq!(wait_ms(&l, &client(14, 0), 0), Some(900_000));
        assert_eq!(wait_ms(&l, &client(400, 0), 0), Some(900_000));
    }

    #[test]
    fn an_account_under_attack_slows_failing_clients_only() {
        let l = Limits::default();
        let attacked = Facts {
            account_nth_at: Some(0),
            ..Facts::default()
        };
        assert_eq!(wait_ms(&l, &attacked, 60_000), None, "a clean client");
        let failed_once = Facts {
            client_failures: 1,
            client_last_at: Some(0),
            ..attacked
        };
        assert_eq!(wait_ms(&l, &failed_once, 60_000), Some(840_000));
        let busy_address = Facts {
            address_nth_at: Some(0),
            ..Facts::default()
        };
        assert_eq!(wait_ms(&l, &busy_address, 0), Some(900_000));
        assert_eq!(wait_seconds(1), 1);
        assert_eq!(wait_seconds(2_000), 2);
    }
}
