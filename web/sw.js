/**
 * The service worker of the web client (issue 17 item 9), filled in by
 * scripts/build-web.mjs: SHELL lists the first screen's files of this build and
 * VERSION is a hash of them, so every new build is a new cache, installed beside
 * the old one. It takes over (and deletes the old cache) as soon as a page of the
 * new build asks it to — the first reload after a deploy — or once no tab uses
 * the old one; a tab still running the old build never pulls the old cache away
 * from under itself. It makes the app installable and opens it at once from the cache:
 *
 * - the app's own files (hashed /assets/…, icons, the manifest, the emoji data,
 *   the demo avatars) come from the cache, fetched and kept the first time;
 * - a page (a navigation: /, /c/…, /u/…) is asked of the network first, so a new
 *   build shows on the next load, and falls back to the cached shell when the
 *   network fails or is slow;
 * - nothing else is touched: the API (/api/…), the rooms and their files
 *   (/parties/…) and anything of another origin go to the network as if there
 *   were no service worker, and are never cached.
 */
/* global self, caches, location, fetch, Response */
const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const PREFIX = "conversas-shell-";
const CACHE = PREFIX + VERSION;
/** How long a page may take on the network before the cached shell answers. */
const NAVIGATION_WAIT_MS = 3000;

const OWN_FILES = /^\/(assets|icons|emoji|avatars)\/|^\/(favicon\.svg|manifest\.webmanifest)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

// A page of this very build (its entry script is in SHELL) has nothing left to lose: it lets this version take over at once.
self.addEventListener("message", (event) => {
  if (event.data?.type === "conversas.activate-if-mine" && SHELL.includes(event.data.entry)) void self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

async function shell() {
  return (await caches.match("/", { cacheName: CACHE })) ?? Response.error();
}

async function page(request) {
  const network = fetch(request);
  const late = new Promise((resolve) => setTimeout(resolve, NAVIGATION_WAIT_MS, "late"));
  const first = await Promise.race([
    network.then(
      (r) => r,
      () => "failed",
    ),
    late,
  ]);
  if (first === "failed") return shell();
  if (first !== "late") return first;
  // Slow network: the cached shell now, if there is one; else keep waiting.
  const cached = await caches.match("/", { cacheName: CACHE });
  return cached ?? network.catch(shell);
}

async function ownFile(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/parties/")) return;
  if (request.mode === "navigate") event.respondWith(page(request));
  else if (OWN_FILES.test(url.pathname)) event.respondWith(ownFile(request));
});
