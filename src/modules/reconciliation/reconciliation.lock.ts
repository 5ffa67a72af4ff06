import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { RedisService } from '@app/infra/redis/redis.service';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface HeldLock {
  /** Still ours? false once the TTL lapsed and someone else may hold it. */
  readonly held: boolean;
  release(): Promise<void>;
}

/**
 * A Redis lease (SET NX PX + token-checked release), renewed while the holder works, so two worker replicas
 * never run the same reconciliation work at once. The lease expires by itself if its holder dies.
 */
@Injectable()
export class ReconciliationLock {
  constructor(private readonly redis: RedisService) {}

  async acquire(name: string, ttlMs: number): Promise<HeldLock | null> {
    const key = this.redis.key('lock', name);
    const token = randomBytes(12).toString('hex');
    const ok = await this.redis.client.set(key, token, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return null;
    const client = this.redis.client;
    let held = true;
    const renew = setInterval(
      () => {
        client
          .eval(EXTEND, 1, key, token, String(ttlMs))
          .then((r) => {
            if (Number(r) !== 1) held = false;
          })
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(ttlMs / 3)),
    );
    renew.unref();
    return {
      get held() {
        return held;
      },
      async release() {
        clearInterval(renew);
        held = false;
        await client.eval(RELEASE, 1, key, token).catch(() => undefined);
      },
    };
  }
}
