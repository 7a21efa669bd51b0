import type { Preferences } from './read-preferences.ts';

/** The network faults a UI can be built against. */
export const FAULTS = {
  reset: 'drops the connection (TCP reset) without answering',
  hang: 'accepts the request and never answers',
  'truncated-json': 'sends the headers and half of the JSON body, then closes the connection',
} as const;

export type Fault = keyof typeof FAULTS;

/** Longest delay the mock holds an answer for; longer ones are refused so that a typo cannot wedge a UI for minutes. */
export const MAX_DELAY_MS = 30_000;

export type Delivery =
  | { readonly kind: 'delivery'; readonly delayMs: number; readonly fault?: Fault }
  | { readonly kind: 'unknown'; readonly sentence: string };

/** Reads how the answer is to be delivered: after a delay, or broken by a fault. */
export function chooseDelivery(preferences: Preferences): Delivery {
  let delayMs = 0;
  if (preferences.delay !== undefined) {
    delayMs = Number(preferences.delay);
    if (!/^\d+$/.test(preferences.delay) || delayMs > MAX_DELAY_MS) {
      return {
        kind: 'unknown',
        sentence: `delay must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}; got "${preferences.delay}".`,
      };
    }
  }
  if (preferences.fault === undefined) return { kind: 'delivery', delayMs };
  if (!Object.hasOwn(FAULTS, preferences.fault)) {
    return {
      kind: 'unknown',
      sentence: `There is no fault "${preferences.fault}"; choose one of: ${Object.keys(FAULTS).join(', ')}.`,
    };
  }
  return { kind: 'delivery', delayMs, fault: preferences.fault as Fault };
}
