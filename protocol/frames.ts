/** Temporary: the web client's imports until it moves to chat.ts / hub.ts / calls.ts / errors.ts (removed in this release). */
export * from "./chat";
export * from "./hub";
export * from "./calls";
export * from "./errors";
