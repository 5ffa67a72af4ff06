import { clabe as clabeCatalog } from 'clabe-validator';

export interface ClabeInfo {
  clabe: string;
  bankCode: string;
  bankName: string;
}

export type ClabeProblem = 'format' | 'checksum' | 'bank';

export type ClabeResult =
  { ok: true; info: ClabeInfo } | { ok: false; problem: ClabeProblem; message: string };

const WEIGHTS = [3, 7, 1];

/**
 * partner-api.md §4: control = (10 − Σ(dᵢ·wᵢ mod 10) mod 10) mod 10 with weights 3,7,1 repeated over the
 * first 17 digits. Written out here (not delegated) because the spec pins the formula.
 */
export function clabeCheckDigit(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * WEIGHTS[i % 3]) % 10;
  return (10 - (sum % 10)) % 10;
}

/**
 * An 18-digit CLABE with a correct check digit whose first three digits are a bank in the maintained
 * `clabe-validator` catalog (which also names the bank). The city code is not checked: Banxico keeps adding
 * plazas, and SPEI routes on the bank code.
 */
export function validateClabe(input: string): ClabeResult {
  if (!/^\d{18}$/.test(input)) {
    return { ok: false, problem: 'format', message: 'sellerClabe must be exactly 18 digits' };
  }
  if (clabeCheckDigit(input.slice(0, 17)) !== Number(input[17])) {
    return { ok: false, problem: 'checksum', message: 'sellerClabe check digit is wrong' };
  }
  const bankCode = input.slice(0, 3);
  const bank = clabeCatalog.banksMap[Number(bankCode)];
  // The catalog lists 999 as an "N/A" placeholder, not a bank.
  if (!bank || bank.tag === 'N/A') {
    return { ok: false, problem: 'bank', message: `sellerClabe bank code ${bankCode} is not a known bank` };
  }
  return { ok: true, info: { clabe: input, bankCode, bankName: bank.name ?? bank.tag ?? bankCode } };
}
