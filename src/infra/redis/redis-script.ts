import { createHash } from 'node:crypto';
import type { RedisService } from './redis.service';

/** A Lua script run by its SHA (EVALSHA), sent in full only when Redis does not know it yet (NOSCRIPT). */
export class RedisScript {
  private readonly sha: string;

  constructor(
    private readonly lua: string,
    private readonly keys: number,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: RedisService, args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.client.evalsha(this.sha, this.keys, ...args);
    } catch (err) {
      if (!(err as Error).message?.startsWith('NOSCRIPT')) throw err;
      return redis.client.eval(this.lua, this.keys, ...args);
    }
  }
}
