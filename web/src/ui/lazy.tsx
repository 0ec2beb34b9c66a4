/**
 * A component fetched the first time it is shown (its own chunk), so the first
 * screen stays light: until it arrives nothing renders in its place; a failed
 * fetch (offline) is tried again on the next render.
 */
import { signal } from "@preact/signals";
import type { ComponentType } from "preact";

export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const loaded = signal<ComponentType<P> | null>(null);
  let loading: Promise<void> | null = null;
  return function Lazy(props: P) {
    const Component = loaded.value;
    if (Component) return <Component {...props} />;
    loading ??= load().then(
      (c) => void (loaded.value = c),
      () => void (loading = null),
    );
    return null;
  };
}
