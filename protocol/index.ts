/** The one protocol module shared by rooms, web client and sip-proxy. */
export * from "./ids";
export * from "./frames";
export * from "./http";
export * from "./groups";
export * from "./validate";
export * from "./text-match";
