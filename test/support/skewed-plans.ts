import type pg from 'pg';
import { withDb } from './db';

type Explained = { rows: Array<{ 'QUERY PLAN': string }> };

/**
 * The plan of a statement against statistics the test chooses. In one transaction (rolled back) `table` is
 * shadowed by a temporary copy with the same columns and indexes, partial ones included; `fill` inserts its
 * rows (into `pg_temp.<table>`), the copy is analysed, and `explain` runs the EXPLAIN (it may set plan settings
 * first). Returns the plan as text. Plan tests use it to skew a state the way that tempts the planner most,
 * e.g. 3 rows in a rare state among 50,000.
 */
export function planOnSkewedCopy(
  table: string,
  fill: string,
  explain: (db: pg.Client) => Promise<Explained>,
): Promise<string> {
  return withDb(async (db) => {
    await db.query('BEGIN');
    try {
      await db.query(`CREATE TEMP TABLE ${table} (LIKE public.${table} INCLUDING ALL) ON COMMIT DROP`);
      await db.query(fill);
      await db.query(`ANALYZE pg_temp.${table}`);
      const { rows } = await explain(db);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.query('ROLLBACK');
    }
  });
}
