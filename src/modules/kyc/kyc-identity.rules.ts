import type { ErrorDetail } from '@app/common/errors/api.error';
import type { StartKycInput } from './inputs/start-kyc.input';
import {
  ageInYears,
  curpBirthDigits,
  curpCheckDigitValid,
  isValidYyMmDd,
  parseCalendarDate,
  RFC_COMPANY_PATTERN,
  RFC_PERSON_PATTERN,
  rfcDateDigits,
  yyMmDd,
} from './mexican-identity';

const PERSONAL_ONLY = ['name', 'fatherSurname', 'motherSurname', 'birthday', 'curp'] as const;
const COMPANY_ONLY = ['companyName', 'aliasName', 'incorporationDate', 'companyType'] as const;
const ADULT_AGE = 18;
const OLDEST_AGE = 120;

/**
 * The identity rules the DTO's per-field checks cannot express: required and forbidden fields per merchant
 * type, real past dates, adulthood, the CURP's check digit and its agreement with the birthday. Returns
 * every problem found (empty = valid).
 */
export function checkKycIdentity(input: StartKycInput, today: Date): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const need = (field: keyof StartKycInput) => {
    if (input[field] === undefined || input[field] === null)
      problems.push({ field, problem: `${field} is required for type ${input.type}` });
  };
  const forbid = (fields: readonly (keyof StartKycInput)[]) => {
    for (const field of fields)
      if (input[field] !== undefined && input[field] !== null)
        problems.push({ field, problem: `${field} is not accepted for type ${input.type}` });
  };

  if (input.type === 'PERSONAL') {
    forbid(COMPANY_ONLY);
    need('name');
    need('fatherSurname');
    need('birthday');
    if (!input.curp && !input.rfc) problems.push({ field: 'curp', problem: 'curp or rfc is required' });
    const birthday = input.birthday ? parseCalendarDate(input.birthday) : null;
    if (input.birthday && !birthday)
      problems.push({ field: 'birthday', problem: 'birthday is not a real date' });
    if (birthday) {
      const age = ageInYears(birthday, today);
      if (birthday > today) problems.push({ field: 'birthday', problem: 'birthday is in the future' });
      else if (age < ADULT_AGE)
        problems.push({ field: 'birthday', problem: `must be ${ADULT_AGE} or older` });
      else if (age > OLDEST_AGE) problems.push({ field: 'birthday', problem: 'birthday is implausibly old' });
    }
    if (input.curp) {
      if (!curpCheckDigitValid(input.curp))
        problems.push({ field: 'curp', problem: 'curp check digit does not match' });
      else if (birthday && curpBirthDigits(input.curp) !== yyMmDd(birthday))
        problems.push({ field: 'curp', problem: 'curp birth date does not match birthday' });
    }
    if (input.rfc) {
      if (!RFC_PERSON_PATTERN.test(input.rfc))
        problems.push({ field: 'rfc', problem: 'a PERSONAL rfc has 13 characters (persona física)' });
      else if (!isValidYyMmDd(rfcDateDigits(input.rfc)))
        problems.push({ field: 'rfc', problem: 'rfc date is not a real date' });
    }
  } else {
    forbid(PERSONAL_ONLY);
    need('companyName');
    need('rfc');
    need('incorporationDate');
    need('companyType');
    if (input.rfc) {
      if (!RFC_COMPANY_PATTERN.test(input.rfc))
        problems.push({ field: 'rfc', problem: 'a COMPANY rfc has 12 characters (persona moral)' });
      else if (!isValidYyMmDd(rfcDateDigits(input.rfc)))
        problems.push({ field: 'rfc', problem: 'rfc date is not a real date' });
    }
    if (input.incorporationDate) {
      const date = parseCalendarDate(input.incorporationDate);
      if (!date)
        problems.push({ field: 'incorporationDate', problem: 'incorporationDate is not a real date' });
      else if (date > today)
        problems.push({ field: 'incorporationDate', problem: 'incorporationDate is in the future' });
      else if (date.getUTCFullYear() < 1800)
        problems.push({ field: 'incorporationDate', problem: 'incorporationDate is implausibly old' });
    }
  }
  return problems;
}
