//! When to try a delivery again and when to give up. Pure and deterministic
//! (no jitter): a handful of alerts a day never stampede a robot, and fixed
//! times make the queue easy to test and to explain to an operator.
//!
//! Schedule: the first attempt goes out at once; after it fails the next ones
//! follow 1 min, 5 min, 30 min, 2 h and 6 h later, i.e. six attempts spread
//! over about 8.6 hours, enough to ride out a robot rate limit, a mail-server
//! restart or an evening network outage, yet a stale alert is not sent the next day.

use crate::outcome::Outcome;
use chrono::{DateTime, TimeDelta, Utc};

/// Wait before attempt 2, 3, …, in minutes.
pub const RETRY_DELAYS_MINUTES: [i64; 5] = [1, 5, 30, 120, 360];

/// The first attempt plus one per delay.
pub const MAX_ATTEMPTS: u32 = RETRY_DELAYS_MINUTES.len() as u32 + 1;

/// When to make the next attempt, given how many attempts have been made so far
/// (`attempt` = 1 after the first one failed). `None` means give up. With no
/// attempt made yet the delivery is due `now`.
pub fn next_attempt(attempt: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if attempt == 0 {
        return Some(now);
    }
    let minutes = RETRY_DELAYS_MINUTES.get(attempt as usize - 1)?;
    Some(now + TimeDelta::minutes(*minutes))
}

/// What the queue should do with a delivery after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Mark it delivered; never send it again.
    Delivered,
    /// Keep it queued, due at this time.
    RetryAt(DateTime<Utc>),
    /// Mark it failed with this reason, for a person to look at.
    GiveUp(String),
}

/// Combines an [`Outcome`] with the schedule. `attempt` counts the attempt that
/// produced `outcome` (1 for the first).
pub fn next_step(outcome: &Outcome, attempt: u32, now: DateTime<Utc>) -> NextStep {
    match outcome {
        Outcome::Delivered => NextStep::Delivered,
        Outcome::Failed(reason) => NextStep::GiveUp(reason.clone()),
        Outcome::Retry(reason) => match next_attempt(attempt, now) {
            Some(at) => NextStep::RetryAt(at),
            None => NextStep::GiveUp(format!("{reason} (gave up after {attempt} attempts)")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2023, 7, 17, 1, 0, 0).unwrap()
    }

    #[test]
    fn schedule() {
        // (attempts made, expected wait in minutes; None = give up)
        let cases = [
            (0, Some(0)),
            (1, Some(1)),
            (2, Some(5)),
            (3, Some(30)),
            (4, Some(120)),
            (5, Some(360)),
            (6, None),
            (7, None),
            (u32::MAX, None),
        ];
        for (attempt, wait) in cases {
            let expected = wait.map(|m| now() + TimeDelta::minutes(m));
            assert_eq!(next_attempt(attempt, now()), expected, "attempt {attempt}");
        }
        assert_eq!(MAX_ATTEMPTS, 6);
        assert!(next_attempt(MAX_ATTEMPTS - 1, now()).is_some());
        assert!(next_attempt(MAX_ATTEMPTS, now()).is_none());
    }

    #[test]
    fn steps_after_an_attempt() {
        let busy = Outcome::Retry("wecom errcode 45009: api freq out of limit".into());
        assert_eq!(
            next_step(&Outcome::Delivered, 1, now()),
            NextStep::Delivered
        );
        assert_eq!(
            next_step(&Outcome::Failed("bad key".into()), 1, now()),
            NextStep::GiveUp("bad key".into())
        );
        assert_eq!(
            next_step(&busy, 2, now()),
            NextStep::RetryAt(now() + TimeDelta::minutes(5))
        );
        assert_eq!(
            next_step(&busy, MAX_ATTEMPTS, now()),
            NextStep::GiveUp(
                "wecom errcode 45009: api freq out of limit (gave up after 6 attempts)".into()
            )
        );
    }
}
