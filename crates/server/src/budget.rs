//! The memory uploads may take together (`--max-upload-memory-mib`). Reading, matching and
//! storing an upload holds several copies of it in memory: a CycloneDX SBOM of 31 MB with
//! 200,000 components raised the server's peak by 665 MiB, about 22 times its size. Each upload
//! of [`COUNTED_FROM`] bytes or more reserves [`FACTOR`] times its size from the budget for as
//! long as it runs; an upload that finds the budget spent is answered 503 with `Retry-After`,
//! and the CLI retries it.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// Memory reserved per byte of an upload.
pub const FACTOR: usize = 24;
/// Uploads smaller than this are not counted.
pub const COUNTED_FROM: usize = 1 << 20;
/// What a refused upload is told to wait, in seconds.
pub const RETRY_AFTER: u64 = 10;

/// The budget, in MiB (one semaphore permit each).
#[derive(Debug)]
pub struct UploadBudget {
    permits: Arc<Semaphore>,
    total: u32,
}

/// A share of the budget, given back when dropped.
#[derive(Debug)]
pub struct Reservation(#[allow(dead_code)] Option<OwnedSemaphorePermit>);

impl UploadBudget {
    /// A budget of `bytes` (at least 1 MiB).
    pub fn new(bytes: usize) -> UploadBudget {
        let total = u32::try_from((bytes >> 20).max(1)).unwrap_or(u32::MAX);
        UploadBudget {
            permits: Arc::new(Semaphore::new(total as usize)),
            total,
        }
    }

    /// The MiB an upload of `body` bytes reserves: [`FACTOR`] times its size, rounded up, and
    /// never more than the whole budget (so that one very large upload can still run alone).
    pub fn cost(&self, body: usize) -> u32 {
        let mib = body.saturating_mul(FACTOR).div_ceil(1 << 20);
        u32::try_from(mib).unwrap_or(u32::MAX).min(self.total)
    }

    /// Reserves the share of an upload of `body` bytes now, or refuses it (503, `Retry-After`)
    /// while other uploads hold too much.
    pub fn try_reserve(&self, body: usize) -> Result<Reservation, ApiError> {
        if body < COUNTED_FROM {
            return Ok(Reservation(None));
        }
        self.permits
            .clone()
            .try_acquire_many_owned(self.cost(body))
            .map(|p| Reservation(Some(p)))
            .map_err(|_| ApiError::Busy {
                retry_after: RETRY_AFTER,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_uploads_share_the_budget() {
        let budget = UploadBudget::new(100 << 20);
        assert_eq!(budget.cost(2 << 20), 48);
        assert_eq!(budget.cost(50 << 20), 100);
        let first = budget.try_reserve(2 << 20);
        let second = budget.try_reserve(2 << 20);
        assert!(first.is_ok() && second.is_ok());
        let third = budget.try_reserve(2 << 20);
        assert!(matches!(third, Err(ApiError::Busy { retry_after: 10 })));
        // Small uploads are not counted.
        assert!(budget.try_reserve(1000).is_ok());
        drop(first);
        assert!(budget.try_reserve(2 << 20).is_ok());
    }
}
