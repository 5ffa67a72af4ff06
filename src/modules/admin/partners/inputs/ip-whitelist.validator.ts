import { ValidationOptions, registerDecorator } from 'class-validator';
import { IpAllowlist } from '@app/modules/partners/auth/ip-allowlist';

export function IsIpOrCidr(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIpOrCidr',
      target: object.constructor,
      propertyName,
      options: { message: 'each entry must be an IPv4/IPv6 address or CIDR', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && IpAllowlist.isValidEntry(v) },
    });
}
