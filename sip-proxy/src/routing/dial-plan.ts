/**
 * Toll-fraud defence (issue 16.1): which class of service a dialled number
 * needs, read with Brazilian numbering, and whether a user's class allows it.
 * Pure. The classes, from least to most: internal < local < national <
 * international; a user may call every number whose class is at most theirs.
 *
 * | dialled                                       | kind          | class         |
 * | --------------------------------------------- | ------------- | ------------- |
 * | 100, 128, 180, 190–199 (emergency, free)      | emergency     | internal      |
 * | the extension pattern (default 200–899999)    | extension     | internal      |
 * | `*97`, `#8` (PBX feature codes, ≤ 4 digits)   | feature       | internal      |
 * | other `*`/`#` codes (`*72`+number forwards!)  | feature       | international |
 * | 10XXX (operators' service lines, free)        | service       | local         |
 * | other 1XX (102 directory help is charged)     | service       | national      |
 * | 8 digits 2–5… (fixed) or 9 digits 9… (mobile) | local         | local         |
 * | 0800 + 6–7 digits (toll-free)                 | toll-free     | local         |
 * | 0300 + 7 digits (shared cost, billed/minute)  | shared-cost   | national      |
 * | 0500 + 7 digits (donation: a charge per call) | premium       | international |
 * | 0900 + 7 digits (premium rate)                | premium       | international |
 * | 0 + operadora (2) + DDD (2) + número          | national      | national¹     |
 * | DDD (2) + número (10–11 digits)               | national      | national¹     |
 * | +55 + DDD + número                            | national      | national¹     |
 * | 00… and +<other country>                      | international | international |
 *
 * ¹ local when the DDD is the company's own area code (`SIP_AREA_CODE`).
 * A number is the subscriber's 8 digits starting 2–5 (fixed) or 9 digits
 * starting 9 (mobile); DDDs are 11–99 without a 0. Anything else is not a
 * number we know (484). The extension pattern is the deployment's: it leaves
 * out 1… (Anatel's short codes), 9… (mobiles) and 0… (trunk) by default.
 */
export type CallClass = "internal" | "local" | "national" | "international";

export type NumberKind =
  "emergency" | "extension" | "feature" | "service" | "local" | "toll-free" | "shared-cost" | "premium" | "national" | "international";

export type DialPlan = { extension: RegExp; areaCode: string | null };

export const DEFAULT_EXTENSION_PATTERN = /^[2-8][0-9]{2,5}$/;

const ORDER: Record<CallClass, number> = { internal: 0, local: 1, national: 2, international: 3 };

const EMERGENCY = /^(100|128|180|19[0-9])$/;
const SUBSCRIBER = "(?:[2-5][0-9]{7}|9[0-9]{8})";
const DDD = "([1-9][1-9])";
const WITH_CSP = new RegExp(`^0[1-9][0-9]${DDD}${SUBSCRIBER}$`);
const WITH_DDD = new RegExp(`^${DDD}${SUBSCRIBER}$`);
const BRAZIL = new RegExp(`^\\+55${DDD}${SUBSCRIBER}$`);
const LOCAL = new RegExp(`^${SUBSCRIBER}$`);

/** The class a number needs and what kind of number it is, or null when it is not a number we know. */
export function classify(dialled: string, plan: DialPlan): { kind: NumberKind; class: CallClass } | null {
  const is = (kind: NumberKind, cls: CallClass) => ({ kind, class: cls });
  if (EMERGENCY.test(dialled)) return is("emergency", "internal");
  if (plan.extension.test(dialled)) return is("extension", "internal");
  if (/[*#]/.test(dialled)) return /^[*#][0-9]{1,4}#?$/.test(dialled) ? is("feature", "internal") : is("feature", "international");
  if (/^10[0-9]{3}$/.test(dialled)) return is("service", "local");
  if (/^1[0-9]{2}$/.test(dialled)) return is("service", "national");
  if (LOCAL.test(dialled)) return is("local", "local");
  if (/^0800[0-9]{6,7}$/.test(dialled)) return is("toll-free", "local");
  if (/^0300[0-9]{7}$/.test(dialled)) return is("shared-cost", "national");
  if (/^0[59]00[0-9]{7}$/.test(dialled)) return is("premium", "international");
  if (/^00[0-9]{6,}$/.test(dialled) || /^\+(?!55)[1-9][0-9]{6,14}$/.test(dialled)) return is("international", "international");
  const ddd = (WITH_CSP.exec(dialled) ?? WITH_DDD.exec(dialled) ?? BRAZIL.exec(dialled))?.[1];
  if (ddd) return ddd === plan.areaCode ? is("national", "local") : is("national", "national");
  return null;
}

/** Whether a user of class `user` may call a number that needs `needed`. */
export function allows(user: CallClass, needed: CallClass): boolean {
  return ORDER[user] >= ORDER[needed];
}
