/**
 * The calls loader's stand-in for measuring (scripts/build-web.mjs
 * `withoutSoftphone`): the same exports doing nothing, so a build with it shows
 * the first screen as it would be without the softphone. Never shipped.
 */
export const loadPhone = () => Promise.resolve(null);
export const callsDisabledReason = { value: null as string | null };
export const callNumber = (_number: string) => undefined;
export const CallsSidebar = () => null;
export const PhoneCards = () => null;
export const startSoftphone = (_life: unknown) => undefined;
