//! What the migrated database holds, read from its own catalogue: tables,
//! columns, unique indexes and foreign keys, the same shape on both backends.
//! The schema-convention test checks every table against docs/ARCHITECTURE.md.

use sqlx::Row;

use crate::db::{Backend, Store};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub table: String,
    pub name: String,
    pub not_null: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueIndex {
    pub table: String,
    pub name: String,
    /// Column names in index order; an expression appears as `(expr)`.
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub table: String,
    pub columns: Vec<String>,
    pub references: String,
}

#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub tables: Vec<String>,
    pub columns: Vec<Column>,
    pub unique_indexes: Vec<UniqueIndex>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl Schema {
    pub fn column(&self, table: &str, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.table == table && c.name == name)
    }
}

fn split(list: String) -> Vec<String> {
    list.split(',').map(str::to_owned).collect()
}

impl Store {
    /// The application's tables (not the migration bookkeeping).
    pub async fn schema(&self) -> Result<Schema> {
        let (tables, columns, uniques, keys) = match self.backend() {
            Backend::Sqlite => (
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                // An INTEGER PRIMARY KEY is never null though `notnull` says 0.
                "SELECT m.name, p.name, CASE WHEN p.\"notnull\" = 1 OR p.pk = 1 THEN 1 ELSE 0 END \
                 FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
                "SELECT m.name, il.name, group_concat(COALESCE(ii.name, '(expr)'), ',') \
                 FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii \
                 WHERE m.type = 'table' AND il.\"unique\" = 1 AND il.origin <> 'pk' \
                 GROUP BY m.name, il.name",
                "SELECT m.name, group_concat(f.\"from\", ','), f.\"table\" \
                 FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' GROUP BY m.name, f.id, f.\"table\"",
            ),
            Backend::Postgres => (
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY 1",
                "SELECT table_name::text, column_name::text, (CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END)::bigint \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name <> '_sqlx_migrations'",
                "SELECT t.relname::text, i.relname::text, \
                 string_agg(COALESCE(a.attname::text, '(expr)'), ',' ORDER BY k.n) \
                 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
                 JOIN pg_class t ON t.oid = x.indrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace \
                 CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) \
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE x.indisunique AND NOT x.indisprimary AND ns.nspname = current_schema() \
                 AND t.relname <> '_sqlx_migrations' GROUP BY t.relname, i.relname",
                "SELECT c.conrelid::regclass::text, \
                 (SELECT string_agg(a.attname::text, ',' ORDER BY k.n) \
                  FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) \
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), \
                 c.confrelid::regclass::text \
                 FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace \
                 WHERE c.contype = 'f' AND ns.nspname = current_schema()",
            ),
        };
        let mut schema = Schema {
            tables: sqlx::query_scalar(tables).fetch_all(&self.pool).await?,
            ..Schema::default()
        };
        for row in sqlx::query(columns).fetch_all(&self.pool).await? {
            schema.columns.push(Column {
                table: row.try_get(0)?,
                name: row.try_get(1)?,
                not_null: row.try_get::<i64, _>(2)? == 1,
            });
        }
        for row in sqlx::query(uniques).fetch_all(&self.pool).await? {
            schema.unique_indexes.push(UniqueIndex {
                table: row.try_get(0)?,
                name: row.try_get(1)?,
                columns: split(row.try_get(2)?),
            });
        }
        for row in sqlx::query(keys).fetch_all(&self.pool).await? {
            schema.foreign_keys.push(ForeignKey {
                table: row.try_get(0)?,
                columns: split(row.try_get(1)?),
                references: row.try_get(2)?,
            });
        }
        Ok(schema)
    }
}
