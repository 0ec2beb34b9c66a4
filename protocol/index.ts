/** The one protocol module shared by rooms, web client and sip-proxy (the web client imports the files it needs). */
export * from "./ids";
export * from "./errors";
export * from "./chat";
export * from "./hub";
export * from "./calls";
export * from "./http";
export * from "./groups";
export * from "./validate";
export * from "./text-match";
