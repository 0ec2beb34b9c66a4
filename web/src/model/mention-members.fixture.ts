/** The members the mention tests (mentions.test.ts, mention-typing.test.ts) write to. */
import type { Member } from "./mentions";

export const members: Member[] = [
  { id: "ana", name: "Ana Souza" },
  { id: "bruno", name: "Bruno Lima" },
  { id: "joao", name: "João Pedro" },
  { id: "joana", name: "Joana" },
];
