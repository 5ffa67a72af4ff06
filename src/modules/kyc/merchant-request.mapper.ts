import type { TrubitAddMerchantClabeRequest } from '@app/modules/trubit/trubit.types';
import type { StartKycInput } from './inputs/start-kyc.input';

const PREFIX = 'mp2p-';

/**
 * The TruBit merchant name for a user's KYC attempt: derived from our user id (unique, and recognisable when a
 * lost mc/add response has to be found again in mc/list). After a rejection the next attempt needs a new
 * name (TruBit keeps names unique), so attempts are numbered: mp2p-<id>, mp2p-<id>-2, mp2p-<id>-3, …
 */
export function nextMerchantName(userId: string, previousName: string | null): string {
  const base = `${PREFIX}${userId}`;
  if (!previousName || !previousName.startsWith(base)) return base;
  const attempt = Number(/-(\d+)$/.exec(previousName.slice(base.length))?.[1] ?? 1);
  return `${base}-${attempt + 1}`;
}

/** mc/add body for the Mexican CLABE channel (trubit-otc.md §3.4); only the fields of the merchant type. */
export function toAddMerchantRequest(
  input: StartKycInput,
  merchantName: string,
): TrubitAddMerchantClabeRequest {
  const common: TrubitAddMerchantClabeRequest = {
    trench: 'CLABE',
    merchantName,
    email: input.email,
    merchantType: input.type,
    remark: '',
    address: input.address,
    city: input.city,
    state: input.state,
    zipCode: input.zipCode,
    phone: input.phone,
  };
  if (input.type === 'PERSONAL') {
    return {
      ...common,
      name: input.name,
      fatherSurname: input.fatherSurname,
      motherSurname: input.motherSurname ?? '',
      birthday: input.birthday,
      curp: input.curp,
      rfc: input.rfc,
    };
  }
  return {
    ...common,
    companyName: input.companyName,
    aliasName: input.aliasName,
    companyType: input.companyType,
    incorporationDate: input.incorporationDate,
    rfc: input.rfc,
  };
}
