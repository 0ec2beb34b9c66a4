/**
 * The installable app (issue 17 item 9): registers the service worker (web/sw.js,
 * built by scripts/build-web.mjs) once the page has loaded, so it never competes
 * with the first screen, and lets a new build's worker take over as soon as this
 * page runs that build (the page came from the network after a deploy). Browsers without service workers, or pages not served
 * over HTTPS (localhost aside), simply run without it.
 */
import type { Lifetime } from "./stores/lifetime";

/** This page's own build, as the service worker lists it: the path of its entry script. */
function ownEntry(): string | null {
  const script = document.querySelector<HTMLScriptElement>('script[type="module"][src*="/assets/app-"]');
  return script ? new URL(script.src).pathname : null;
}

/** A waiting worker of this page's build may take over now; one of another build waits for its own pages. */
function offer(worker: ServiceWorker | null) {
  const entry = ownEntry();
  if (worker && entry) worker.postMessage({ type: "conversas.activate-if-mine", entry });
}

export function registerServiceWorker(life: Lifetime): void {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const register = () =>
    void navigator.serviceWorker.register("/sw.js").then(
      (reg) => {
        offer(reg.waiting);
        reg.addEventListener("updatefound", () => {
          const worker = reg.installing;
          worker?.addEventListener("statechange", () => worker.state === "installed" && offer(worker));
        });
      },
      (err: unknown) => console.warn("service worker", err),
    );
  if (document.readyState === "complete") register();
  else life.on(window, "load", register, { once: true });
}
