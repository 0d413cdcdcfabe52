//! The retry policy in one place: which failures are transient, how long to
//! wait between attempts, and when to give up.

use std::time::{Duration, Instant};

/// How often and how long to retry a request.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means no retry).
    pub attempts: u32,
    /// The wait before the first retry; it doubles each time.
    pub base_delay: Duration,
    /// No single wait is longer than this.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            max_total: Duration::from_secs(120),
        }
    }
}

/// Whether an HTTP status is worth retrying (server trouble, throttling).
pub fn transient_status(code: u16) -> bool {
    matches!(code, 408 | 429 | 500..=599)
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0-based), with ±25% jitter, or
    /// `None` when the policy says stop. A server's `Retry-After` wins when it
    /// fits in the remaining time.
    pub fn delay(
        &self,
        retry: u32,
        started: Instant,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if retry + 1 >= self.attempts {
            return None;
        }
        let backoff = self
            .base_delay
            .saturating_mul(1 << retry.min(16))
            .min(self.max_delay);
        let wait = retry_after.unwrap_or_else(|| jitter(backoff));
        let done_by = started.elapsed().checked_add(wait)?;
        (done_by <= self.max_total).then_some(wait)
    }
}

/// Spreads `d` over 75%..125% using the clock's low bits (no RNG needed).
fn jitter(d: Duration) -> Duration {
    let nanos = Instant::now().elapsed().subsec_nanos() ^ std::process::id();
    let factor = 0.75 + f64::from(nanos % 1000) / 2000.0;
    d.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_then_stops() {
        let p = RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_total: Duration::from_secs(60),
        };
        let now = Instant::now();
        let first = p.delay(0, now, None).unwrap();
        let second = p.delay(1, now, None).unwrap();
        assert!(
            first >= Duration::from_millis(75) && first <= Duration::from_millis(125),
            "{first:?}"
        );
        assert!(
            second >= Duration::from_millis(150) && second <= Duration::from_millis(250),
            "{second:?}"
        );
        assert_eq!(p.delay(2, now, None), None);
    }

    #[test]
    fn honours_retry_after_within_the_budget() {
        let p = RetryPolicy {
            max_total: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let now = Instant::now();
        assert_eq!(
            p.delay(0, now, Some(Duration::from_secs(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(p.delay(0, now, Some(Duration::from_secs(60))), None);
        // A server's absurd value is no reason to crash.
        assert_eq!(p.delay(0, now, Some(Duration::MAX)), None);
    }

    #[test]
    fn classifies_statuses() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(transient_status(code), "{code}");
        }
        for code in [200, 301, 400, 401, 403, 404] {
            assert!(!transient_status(code), "{code}");
        }
    }
}
