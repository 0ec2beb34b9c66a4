/**
 * The words of issue 17's on-demand parts (ui/chat-extras.ts: "Informações da
 * mensagem", "Pesquisar nesta conversa", the quick reactions, the "@" list, the
 * typing line, the edit bar),
 * kept out of the first screen's dictionary (i18n.ts) as ui/calls/strings.ts is
 * for the softphone, so they load with the parts that show them.
 */
export const tx = {
  readBy: "Lida por",
  deliveredTo: "Entregue a",
  nobodyYet: "Ninguém ainda",
  moreReactions: "Mais reações",
  reactWith: (emoji: string) => `Reagir com ${emoji}`,
  mentionList: "Mencionar membro",
  mentionEveryone: "Todos do grupo",
  nextResult: "Próximo resultado",
  previousResult: "Resultado anterior",
  closeSearch: "Fechar pesquisa",
  searchPosition: (at: number, total: number, more: boolean) => `${at} de ${total}${more ? "+" : ""}`,
  searchCount: (n: number, more: boolean) => (n === 1 && !more ? "1 resultado" : `${n}${more ? "+" : ""} resultados`),
  reactionsLabel: "Reações",
  reactionChip: (emoji: string, count: number, who: string) => `${emoji} ${count}: ${who}`,
  reactors: { you: "Você", and: (a: string, b: string) => `${a} e ${b}`, andMore: (a: string, n: number) => `${a} e mais ${n}` },
  typingOne: (name: string) => `${name} está digitando…`,
  typingTwo: (a: string, b: string) => `${a} e ${b} estão digitando…`,
  typingMany: "Várias pessoas estão digitando…",
  editing: "Editando mensagem",
  cancelEdit: "Cancelar edição",
  notConnected: "Sem conexão com a conversa. Tente de novo.",
};
