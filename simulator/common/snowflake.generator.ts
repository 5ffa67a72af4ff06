// 64-bit snowflake ids like TruBit's (e.g. 433592805818896384). Decoding the documented ids with the usual
// layout (timestamp << 22 | worker << 12 | sequence) gives an epoch of 1622476800000 (2021-06-01 00:00
// UTC+8), so ids minted here look and sort exactly like real ones: 18 digits today, always > 2^53.

export const TRUBIT_EPOCH_MS = 1622476800000n;

export class SnowflakeGenerator {
  private lastMs = -1n;
  private sequence = 0n;

  constructor(
    private readonly workerId: bigint = 7n,
    private readonly clock: () => number = Date.now,
  ) {}

  next(): bigint {
    let ms = BigInt(this.clock());
    if (ms < this.lastMs) ms = this.lastMs; // never go backwards, even if the clock does
    if (ms === this.lastMs) {
      this.sequence = (this.sequence + 1n) & 0xfffn;
      // 4096 ids in one millisecond: borrow the next millisecond instead of spinning.
      if (this.sequence === 0n) ms = this.lastMs + 1n;
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    return ((ms - TRUBIT_EPOCH_MS) << 22n) | ((this.workerId & 0x3ffn) << 12n) | this.sequence;
  }
}
