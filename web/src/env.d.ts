/** Non-code imports that esbuild bundles (a stylesheet imported for its side effect). */
declare module "*.css";
