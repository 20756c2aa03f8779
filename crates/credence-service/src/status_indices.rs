//! Status indices for new awards: each award takes a random free (revocation, suspension)
//! pair of its organisation's lists, so that a list tells nothing of the order of awards;
//! a unique constraint catches a pair taken meanwhile by another writer, who retries.

use std::collections::HashSet;

use credence_domain::OrgId;
use credence_store::{StoreError, Tx};

use crate::award_record::STATUS_LIST_ENTRIES;
use crate::ServiceError;

/// A store error from inserting awards: a duplicate means a random status index (or an
/// idempotency key) was taken by a concurrent writer, which the caller retries.
pub(crate) fn taken_meanwhile(e: StoreError) -> ServiceError {
    match e {
        StoreError::Duplicate { .. } => {
            ServiceError::Conflict("a status index or key was taken meanwhile".into())
        }
        other => other.into(),
    }
}

/// A random index in `0..STATUS_LIST_ENTRIES`.
fn random_index() -> Result<i64, ServiceError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::internal(format!("drawing random bytes for an id: {e}")))?;
    Ok(i64::from(
        u32::from_le_bytes(bytes) % STATUS_LIST_ENTRIES as u32,
    ))
}

/// `n` pairs of (revocation, suspension) indices not used by the organisation yet, nor
/// twice among themselves.
pub(crate) async fn free_indices(
    tx: &Tx,
    org_id: &OrgId,
    n: usize,
) -> Result<Vec<(i64, i64)>, ServiceError> {
    free_indices_besides(tx, org_id, n, &[]).await
}

/// [`free_indices`], none of them among `besides` (indices chosen for awards not yet
/// stored, such as a bulk batch being written).
pub(crate) async fn free_indices_besides(
    tx: &Tx,
    org_id: &OrgId,
    n: usize,
    besides: &[(i64, i64)],
) -> Result<Vec<(i64, i64)>, ServiceError> {
    let mut revocation: Vec<i64> = Vec::with_capacity(n);
    let mut suspension: Vec<i64> = Vec::with_capacity(n);
    let held_r: HashSet<i64> = besides.iter().map(|p| p.0).collect();
    let held_s: HashSet<i64> = besides.iter().map(|p| p.1).collect();
    for _ in 0..8 {
        if revocation.len() >= n && suspension.len() >= n {
            break;
        }
        let want_r = n.saturating_sub(revocation.len());
        let want_s = n.saturating_sub(suspension.len());
        // Ask for a few more than needed, since some may be taken.
        let cand_r = (0..want_r + want_r / 4 + 2)
            .map(|_| random_index())
            .collect::<Result<Vec<_>, _>>()?;
        let cand_s = (0..want_s + want_s / 4 + 2)
            .map(|_| random_index())
            .collect::<Result<Vec<_>, _>>()?;
        let (taken_r, taken_s) = tx.taken_status_indices(org_id, &cand_r, &cand_s).await?;
        let mut seen_r: HashSet<i64> = revocation.iter().copied().collect();
        for c in cand_r {
            if revocation.len() < n
                && !taken_r.contains(&c)
                && !held_r.contains(&c)
                && seen_r.insert(c)
            {
                revocation.push(c);
            }
        }
        let mut seen_s: HashSet<i64> = suspension.iter().copied().collect();
        for c in cand_s {
            if suspension.len() < n
                && !taken_s.contains(&c)
                && !held_s.contains(&c)
                && seen_s.insert(c)
            {
                suspension.push(c);
            }
        }
    }
    if revocation.len() < n || suspension.len() < n {
        return Err(ServiceError::Conflict(
            "The organisation's status lists are nearly full; no free index was found.".into(),
        ));
    }
    Ok(revocation.into_iter().zip(suspension).collect())
}
