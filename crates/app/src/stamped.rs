//! Results computed lately, reused while nothing they are made of has
//! changed. Every change to the data is audited and moves its chain's head,
//! so the audit heads, read from the database on every use, say whether a
//! kept result is still the one the data gives — alike on every instance.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use kfq_store::Store;

use crate::error::Result;

/// At most `MOST` results; beyond, the cache starts afresh.
pub struct StampedCache<K, V, const MOST: usize> {
    kept: Mutex<HashMap<K, (String, Arc<V>)>>,
}

impl<K, V, const MOST: usize> Default for StampedCache<K, V, MOST> {
    fn default() -> Self {
        StampedCache {
            kept: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V, const MOST: usize> StampedCache<K, V, MOST> {
    /// The result kept for `key` while the audit heads are unchanged, else
    /// `build`'s, kept.
    pub async fn get_or_build<F>(&self, store: &Store, key: K, build: F) -> Result<Arc<V>>
    where
        F: std::future::Future<Output = Result<V>>,
    {
        let stamp = store.audit_stamp().await?;
        if let Some((held, value)) = self.kept.lock().expect("cache lock").get(&key) {
            if *held == stamp {
                return Ok(value.clone());
            }
        }
        let value = Arc::new(build.await?);
        let mut kept = self.kept.lock().expect("cache lock");
        if kept.len() >= MOST {
            kept.clear();
        }
        kept.insert(key, (stamp, value.clone()));
        Ok(value)
    }
}
