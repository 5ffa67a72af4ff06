// Every environment variable the gateway reads, with its type and default. Validated once at start-up:
// a bad or missing variable stops the process with its name (see load-app-config.ts).
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';

export class EnvSchema {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  /** The worker's Prometheus endpoint (GET /metrics on HOST); unset = none (the API serves its own /metrics). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT?: number;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgresql:// URL' })
  DATABASE_URL!: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'must be a redis:// URL' })
  REDIS_URL!: string;

  /** Prefix of every Redis key and queue of this deployment (tests use one per run). */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/)
  REDIS_PREFIX: string = 'gw:';

  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  ADMIN_TOKEN!: string;

  /** 32 bytes as 64 hex characters or base64: the AES-256-GCM key for secrets at rest. */
  @IsString()
  @IsNotEmpty()
  MASTER_KEY!: string;

  /** Comma-separated IPs/CIDRs whose X-Forwarded-For is trusted for the client IP. */
  @IsString()
  TRUSTED_PROXIES: string = '';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 65536;

  @Transform(toInt)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_COST: number = 10;

  /** How long a verified key stays trusted in process memory; invalidation is pushed, this is the backstop. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  AUTH_CACHE_TTL_MS: number = 60_000;

  /** Failed key verifications allowed per client IP per minute before RATE_LIMITED. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_FAILURES_PER_MINUTE: number = 30;

  @IsString()
  TRUBIT_BASE_URL: string = 'http://127.0.0.1:4010';

  @IsString()
  @IsNotEmpty()
  TRUBIT_API_KEY!: string;

  @IsString()
  @IsNotEmpty()
  TRUBIT_API_SECRET!: string;

  /** Base64 SPKI (DER) RSA key TruBit signs callbacks with. Empty = callbacks are refused. */
  @IsString()
  TRUBIT_CALLBACK_PUBLIC_KEY: string = '';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  TRUBIT_RECV_WINDOW_MS: number = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  TRUBIT_TIMEOUT_MS: number = 8000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  TRUBIT_BREAKER_ERROR_PERCENT: number = 50;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  TRUBIT_BREAKER_RESET_MS: number = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  TRUBIT_BREAKER_VOLUME: number = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  TRUBIT_BREAKER_WINDOW_MS: number = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  TRUBIT_WEIGHT_PER_MINUTE: number = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  // Below TruBit's documented 10 orders/s, so bursts from several instances never trip -1015.
  TRUBIT_ORDERS_PER_SECOND: number = 8;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  TRUBIT_LIMITER_MAX_WAIT_MS: number = 2000;

  @IsString()
  TRUBIT_COUNTRY: string = 'Mexico';

  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_INSECURE: boolean = false;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** Delay before each webhook delivery attempt (ms, comma-separated); its length is maxAttempts. */
  @IsString()
  @Matches(/^\d{1,8}(,\d{1,8}){0,19}$/, { message: 'must be 1–20 comma-separated millisecond delays' })
  WEBHOOK_RETRY_SCHEDULE_MS: string = '0,5000,300000,1800000,7200000';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  QUOTE_TTL_SECONDS: number = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  ORDER_TTL_MINUTES: number = 60;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  KYC_THRESHOLD_MXN: number = 32_000;

  /** How often the funding watcher funds PENDING_DEPOSIT orders and expires unfunded ones. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  FUNDING_WATCH_INTERVAL_MS: number = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300_000)
  EXCHANGE_RATE_CACHE_MS: number = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  RECONCILE_INTERVAL_MS: number = 15_000;

  /** How long an order/add with an unknown outcome may stay unfound at TruBit before it is submitted again. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  RECONCILE_UNKNOWN_GRACE_MS: number = 20_000;

  /** order/list page size used by reconciliation (each page costs the same weight). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(500)
  RECONCILE_PAGE_SIZE: number = 100;

  /**
   * Days a relayed outbox event is kept (its payload also lives on in its webhook delivery's body); 0 keeps
   * them forever.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  OUTBOX_RETENTION_DAYS: number = 7;

  /**
   * Days a TruBit callback about an order that is not ours is kept (another system on the same TruBit account);
   * 0 keeps them forever. Callbacks of our orders are kept: they are the record of what TruBit told us.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  CALLBACK_FOREIGN_RETENTION_DAYS: number = 30;

  @IsOptional()
  @IsString()
  PUBLIC_BASE_URL?: string;
}
