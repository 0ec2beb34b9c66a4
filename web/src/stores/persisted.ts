/**
 * localStorage that never takes the app down: private windows and full quotas make
 * it throw, and then the client keeps working from memory for this tab.
 */

/** The stored text, null when absent, undefined when storage cannot be read at all. */
export function readKey(key: string): string | null | undefined {
  try {
    return localStorage.getItem(key);
  } catch {
    return undefined;
  }
}

/** Stores `value` (null removes the key); false when storage refused it (this tab then keeps it in memory only). */
export function writeKey(key: string, value: string | null): boolean {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** The stored keys that start with `prefix`; undefined when storage cannot be read at all. */
export function keysStartingWith(prefix: string): string[] | undefined {
  try {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    return keys;
  } catch {
    return undefined;
  }
}

/** Calls back when another tab of this origin changes `key` (or clears storage); the returned function stops it. */
export function onOtherTabWrite(matches: (key: string | null) => boolean, callback: (value: string | null) => void): () => void {
  const listener = (e: StorageEvent) => {
    if (e.storageArea === localStorage && matches(e.key)) callback(e.key === null ? null : e.newValue);
  };
  addEventListener("storage", listener);
  return () => removeEventListener("storage", listener);
}
