//! A small builder for queries with optional filters: it numbers the `$n`
//! placeholders (which both SQLite and PostgreSQL read) and turns a
//! [`Visibility`] into the same scope condition everywhere.

use kfq_domain::Visibility;
use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, FromRow};

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

/// Whether the connection is SQLite's.
pub(crate) fn is_sqlite(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

/// `$1` fresh values of table `$2`'s identity (PostgreSQL). The sequence is
/// named once (per value, naming it was most of the time); a run without
/// another writer's values between comes back as its ends alone, anything
/// else as the list ([`fresh_ids`]).
pub(crate) const FRESH_IDS: &str =
    "WITH ids AS (SELECT nextval((SELECT CAST(pg_get_serial_sequence($2, 'id') AS regclass))) AS id \
     FROM generate_series(1, $1)) \
     SELECT MIN(id), MAX(id), CASE WHEN MAX(id) - MIN(id) + 1 = COUNT(*) THEN NULL \
     ELSE string_agg(CAST(id AS TEXT), ',' ORDER BY id) END FROM ids";

/// The ids [`FRESH_IDS`] answered, in order.
pub(crate) fn fresh_ids((first, last, list): (i64, i64, Option<String>)) -> Vec<i64> {
    match list {
        None => (first..=last).collect(),
        Some(list) => list.split(',').filter_map(|id| id.parse().ok()).collect(),
    }
}

/// `<column> IN (ids)` with the ids inlined: they are integers read from
/// the database, and a province has too many zones for bind limits to be
/// comfortable on every backend.
pub(crate) fn in_list(column: &str, ids: &[i64]) -> String {
    if ids.is_empty() {
        return "1 = 0".into();
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("{column} IN ({})", list.join(", "))
}

#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        self.text.push_str(&format!("${}", self.values.len()));
        self
    }

    /// Appends `column IN (…)` over `values`, each a placeholder; nothing
    /// matches an empty list.
    pub fn any_of<V: Into<Value>>(
        &mut self,
        column: &str,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        let mut values = values.into_iter().peekable();
        if values.peek().is_none() {
            return self.push("1 = 0");
        }
        self.push(&format!("{column} IN ("));
        for (n, value) in values.enumerate() {
            if n > 0 {
                self.push(", ");
            }
            self.bind(value);
        }
        self.push(")")
    }

    /// Appends the condition that keeps only rows the visibility admits.
    /// `path_column` holds the owning unit's org path; `enterprise_column`, when
    /// the table has one, the enterprise an enterprise user may see.
    pub fn scope(
        &mut self,
        visibility: &Visibility,
        path_column: &str,
        enterprise_column: Option<&str>,
    ) -> &mut Self {
        match (visibility, enterprise_column) {
            (Visibility::All, _) => self.push("1 = 1"),
            (Visibility::Subtree(path), _) => {
                let (low, high) = path.subtree_range();
                self.push(&format!("({path_column} >= "))
                    .bind(low)
                    .push(&format!(" AND {path_column} < "))
                    .bind(high)
                    .push(")")
            }
            (Visibility::Enterprise(id), Some(column)) => {
                self.push(&format!("{column} = ")).bind(*id)
            }
            (Visibility::Enterprise(_), None) | (Visibility::Nothing, _) => self.push("1 = 0"),
        }
    }

    /// `LIKE` pattern for a substring search, with the wildcards in the needle escaped.
    pub fn contains_pattern(needle: &str) -> String {
        let escaped = needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    }

    /// ` AND` each word of `text` (split at blanks, full-width ones too) is
    /// found in one of `columns`: "大运 改造" finds "大运新能源乘用车提升改造项目".
    pub fn words_in(&mut self, columns: &[&str], text: &str) -> &mut Self {
        for word in text
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
        {
            let pattern = Sql::contains_pattern(word);
            self.push(" AND (");
            for (i, column) in columns.iter().enumerate() {
                if i > 0 {
                    self.push(" OR ");
                }
                self.push(&format!("{column} LIKE "))
                    .bind(pattern.clone())
                    .push(" ESCAPE '\\'");
            }
            self.push(")");
        }
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut query = sqlx::query(&self.text);
        for value in &self.values {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.as_str()),
            };
        }
        query
    }

    pub fn query_scalar<T>(&self) -> sqlx::query::QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_scalar::<_, T>(&self.text);
        for value in &self.values {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.as_str()),
            };
        }
        query
    }

    pub fn query_as<T>(&self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_as::<_, T>(&self.text);
        for value in &self.values {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.as_str()),
            };
        }
        query
    }
}

/// A paged list: the filter is written once and lands in both the page's
/// query and its count, so the two cannot disagree.
pub(crate) struct Paged<'a> {
    /// `table alias JOIN …` after FROM.
    pub from: &'a str,
    /// The selected columns.
    pub columns: &'a str,
    /// The ORDER BY list: it must end in a unique key, or pages overlap.
    pub order: &'a str,
}

impl Paged<'_> {
    /// The rows `offset..offset + limit` of what `filter` admits (it writes
    /// the WHERE condition), with the count of all of them.
    pub async fn fetch<T>(
        &self,
        pool: &sqlx::AnyPool,
        filter: impl Fn(&mut Sql),
        offset: i64,
        limit: i64,
    ) -> crate::error::Result<crate::Page<T>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        let mut page = Sql::new(&format!(
            "SELECT {} FROM {} WHERE ",
            self.columns, self.from
        ));
        filter(&mut page);
        page.push(&format!(" ORDER BY {} LIMIT ", self.order))
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let mut count = Sql::new(&format!("SELECT COUNT(*) FROM {} WHERE ", self.from));
        filter(&mut count);
        let items = page.query_as::<T>().fetch_all(pool).await?;
        let total: i64 = sqlx::Row::try_get(&count.query().fetch_one(pool).await?, 0)?;
        Ok(crate::Page {
            items,
            total,
            offset,
            limit,
        })
    }

    /// As [`Paged::fetch`], but the page is chosen and counted over `narrow`
    /// (the few joins the filter and order need) and only its `limit` rows,
    /// found by `key`, are read with every column: the wide columns'
    /// subqueries run for one page, not for every match. A caller that
    /// has counted the matches already (`known_total`) saves the count.
    pub async fn fetch_narrowed<T>(
        &self,
        pool: &sqlx::AnyPool,
        (narrow, key): (&str, &str),
        filter: impl Fn(&mut Sql),
        (offset, limit): (i64, i64),
        known_total: Option<i64>,
    ) -> crate::error::Result<crate::Page<T>>
    where
        T: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        // The page's keys first, the wide rows joined to them: both planners
        // then start from the page (PostgreSQL, given `IN (…)`, built the
        // whole join and its subqueries before keeping the page's rows).
        let mut page = Sql::new(&format!(
            "SELECT {} FROM (SELECT {key} AS picked FROM {narrow} WHERE ",
            self.columns
        ));
        filter(&mut page);
        page.push(&format!(" ORDER BY {} LIMIT ", self.order))
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset)
            .push(&format!(
                ") page CROSS JOIN {} WHERE {key} = page.picked ORDER BY {}",
                self.from, self.order
            ));
        let items = page.query_as::<T>().fetch_all(pool).await?;
        let total = match known_total {
            Some(total) => total,
            None => {
                let mut count = Sql::new(&format!("SELECT COUNT(*) FROM {narrow} WHERE "));
                filter(&mut count);
                sqlx::Row::try_get(&count.query().fetch_one(pool).await?, 0)?
            }
        };
        Ok(crate::Page {
            items,
            total,
            offset,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use kfq_domain::OrgPath;

    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut sql = Sql::new("SELECT * FROM t WHERE ");
        sql.scope(
            &Visibility::Subtree(OrgPath::parse("/1/4/").unwrap()),
            "path",
            None,
        )
        .push(" AND name LIKE ")
        .bind("%x%");
        assert_eq!(
            sql.text,
            "SELECT * FROM t WHERE (path >= $1 AND path < $2) AND name LIKE $3"
        );
        assert_eq!(sql.values.len(), 3);
    }

    #[test]
    fn enterprise_visibility_needs_an_enterprise_column() {
        let mut sql = Sql::new("");
        sql.scope(&Visibility::Enterprise(5), "path", None);
        assert_eq!(sql.text, "1 = 0");
        let mut sql = Sql::new("");
        sql.scope(&Visibility::Enterprise(5), "path", Some("e.id"));
        assert_eq!(sql.text, "e.id = $1");
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(Sql::contains_pattern("50%_a"), "%50\\%\\_a%");
    }

    #[test]
    fn every_word_must_be_found() {
        let mut q = Sql::new("SELECT 1 WHERE 1 = 1");
        q.words_in(&["a.name", "a.code"], " 大运\u{3000}改造  ");
        assert_eq!(q.text.matches(" AND (").count(), 2, "{}", q.text);
        assert_eq!(q.text.matches(" OR ").count(), 2);
        assert_eq!(q.values.len(), 4);
        let mut none = Sql::new("SELECT 1");
        none.words_in(&["a.name"], "   ");
        assert_eq!(none.text, "SELECT 1");
    }
}
