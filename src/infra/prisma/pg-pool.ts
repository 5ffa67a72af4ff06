import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, AppConfig } from '@app/config/app-config';

/**
 * The process's one PostgreSQL connection pool. Prisma runs on it (through the pg driver adapter) and so do the
 * few hot paths that write in batches with plain SQL (quotes, orders, callbacks, webhook attempts): one pool, one
 * connection budget (`DATABASE_POOL_SIZE`) per process.
 */
@Injectable()
export class PgPool extends pg.Pool implements OnApplicationShutdown {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ connectionString: config.database.url, max: config.database.poolSize });
    // An idle client that loses its connection (Postgres restarted) is dropped by the pool; without a listener
    // the 'error' event would crash the process.
    this.on('error', () => {});
  }

  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.ended) await this.end();
  }
}

/**
 * Pipelined connections (pg's `pipeline: true`): statements that do not wait for each other's results are sent
 * together and cost one round trip, e.g. BEGIN + locks + reads, or the last write + COMMIT. Only for code that
 * runs its own transactions statement by statement (the order batches); the size is their concurrency.
 */
@Injectable()
export class PgPipelinePool extends pg.Pool implements OnApplicationShutdown {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ connectionString: config.database.url, max: 2, pipeline: true });
    this.on('error', () => {});
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.ended) await this.end();
  }
}
