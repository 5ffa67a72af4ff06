/**
 * Mexican identity formats the TruBit CLABE channel asks for (mc/add): CURP, RFC, state codes, dates.
 * Pure functions: the DTO checks shapes, kyc-identity.rules.ts combines them per merchant type.
 */

/** RENAPO's CURP layout: names, birth date, sex (H/M/X), birth state, inner consonants, homonymy, check digit. */
export const CURP_PATTERN =
  /^[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX](AS|B[CS]|C[CLMSH]|D[FG]|G[TR]|HG|JC|M[CNS]|N[ETL]|OC|PL|Q[TR]|S[PLR]|T[CSL]|VZ|YN|ZS|NE)[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d$/;

/** RFC of a natural person (persona física): 4 letters, yyMMdd, 3-character homoclave. */
export const RFC_PERSON_PATTERN = /^[A-ZÑ&]{4}\d{6}[A-Z\d]{3}$/;
/** RFC of a company (persona moral): 3 letters, yyMMdd, 3-character homoclave. */
export const RFC_COMPANY_PATTERN = /^[A-ZÑ&]{3}\d{6}[A-Z\d]{3}$/;
export const RFC_ANY_PATTERN = /^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/;

/** ISO 3166-2:MX subdivision codes (TruBit's example sends "CMX"). */
// prettier-ignore
export const MX_STATE_CODES = [
  'AGU', 'BCN', 'BCS', 'CAM', 'CHP', 'CHH', 'CMX', 'COA', 'COL', 'DUR', 'GUA', 'GRO', 'HID', 'JAL', 'MEX', 'MIC',
  'MOR', 'NAY', 'NLE', 'OAX', 'PUE', 'QUE', 'ROO', 'SLP', 'SIN', 'SON', 'TAB', 'TAM', 'TLA', 'VER', 'YUC', 'ZAC',
] as const;

/** Company forms (sociedades) by abbreviation; "de C.V." is a capital regime, not a separate form. */
// prettier-ignore
export const MX_COMPANY_TYPES = ['SA', 'SAB', 'SAPI', 'SAS', 'SC', 'SRL', 'SNC', 'SCS', 'SCA', 'SCP', 'AC'] as const;

const CURP_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/** The CURP's 18th character is a check digit over the first 17 (weights 18…2, mod 10). */
export function curpCheckDigitValid(curp: string): boolean {
  return CURP_PATTERN.test(curp) && curpCheckDigit(curp.slice(0, 17)) === Number(curp[17]);
}

/** The check digit for the first 17 characters of a CURP. */
export function curpCheckDigit(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_ALPHABET.indexOf(first17[i]) * (18 - i);
  return (10 - (sum % 10)) % 10;
}

/** yyMMdd of the birth date embedded in a CURP (chars 5–10). */
export const curpBirthDigits = (curp: string) => curp.slice(4, 10);

/** yyMMdd of the date embedded in an RFC (after its 3 or 4 letters). */
export const rfcDateDigits = (rfc: string) => rfc.slice(rfc.length - 9, rfc.length - 3);

/** A yyyy-MM-dd string naming a real calendar day, as a UTC midnight Date; null otherwise. */
export function parseCalendarDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    ? date
    : null;
}

/** Whether some yyMMdd reading of a date is valid (the century is not in the digits). */
export function isValidYyMmDd(digits: string): boolean {
  return (
    /^\d{6}$/.test(digits) &&
    (parseCalendarDate(`19${fmt(digits)}`) ?? parseCalendarDate(`20${fmt(digits)}`)) !== null
  );
}
const fmt = (d: string) => `${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4, 6)}`;

/** Full years between `birth` and `today` (both UTC dates). */
export function ageInYears(birth: Date, today: Date): number {
  let age = today.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birth.getUTCMonth() ||
    (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age--;
  return age;
}

/** yyMMdd of a Date (UTC). */
export function yyMmDd(date: Date): string {
  return date.toISOString().slice(2, 10).replaceAll('-', '');
}
