import { ValidationOptions, registerDecorator } from 'class-validator';

/** Allowance for the partner's clock running ahead of ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST = Date.UTC(2000, 0, 1);

/** An ISO-8601 timestamp that is a real instant between 2000-01-01 and now (plus clock skew). */
export function IsPastInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPastInstant',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a past instant after 2000-01-01`, ...options },
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string') return false;
          const ms = Date.parse(v);
          return Number.isFinite(ms) && ms >= EARLIEST && ms <= Date.now() + CLOCK_SKEW_MS;
        },
      },
    });
}
