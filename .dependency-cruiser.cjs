/**
 * The layers the build keeps (CONVENTIONS "Layers the build keeps"; issue 14.6),
 * checked by `npm run check`:
 * - the domain's rules are pure: they import the protocol and each other, nothing else;
 * - rooms never import the runtime (partyserver, workerd, the adapter): only our seams;
 * - web stores never import UI;
 * - nothing outside test/ imports test/ (tests beside the code may use its helpers);
 * - no import cycles.
 */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "party/domain holds pure rules: it imports only protocol/ and itself (and valibot for schemas).",
      severity: "error",
      from: { path: "^party/domain/", pathNot: "\\.test\\.ts$" },
      to: { pathNot: ["^party/domain/", "^protocol/", "^node_modules/valibot/"] },
    },
    {
      name: "rooms-import-no-runtime",
      comment: "Rooms see the runtime only through our seams (party/runtime/host.ts and its plain helpers).",
      severity: "error",
      from: { path: "^party/rooms/", pathNot: "\\.test\\.ts$" },
      to: {
        path: [
          "^party/runtime/(server|adapter|sql|files|env|rooms-client|drafts-server)\\.ts$",
          "^party/edge/",
          "^node_modules/(partyserver|y-partyserver|partysocket)/",
          "^cloudflare:",
        ],
      },
    },
    {
      name: "stores-never-import-ui",
      severity: "error",
      from: { path: "^web/src/stores/" },
      to: { path: "^web/src/ui/" },
    },
    {
      name: "no-test-imports-outside-tests",
      comment: "Production code never imports test code (unit tests beside the code may use test/support).",
      severity: "error",
      from: { pathNot: ["^test/", "\\.test\\.ts$"] },
      to: { path: "^test/" },
    },
    {
      name: "no-cycles",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)dist/", "^web/dist/", "^\\.data/", "^\\.scratch/"] },
    // TypeScript 7 has no compiler API for tools: Babel's TypeScript preset reads the .ts/.tsx files.
    babelConfig: { fileName: ".depcruise.babel.json" },
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
