/**
 * The softphone's words in Brazilian Portuguese (R2, R21–R28), kept out of
 * i18n.ts so they travel in the softphone's on-demand chunk rather than the
 * first screen (issue 7). i18n.ts keeps what the first screen shows before the
 * softphone loads: the "Chamadas" tab, the phone buttons' labels and the reason
 * calls are disabled. Words shared with the rest of the client stay there too.
 */
export const words = {
  callWaiting: "Em espera",
  callRinging: "Recebendo",
  callConnecting: "Conectando…",
  callHeld: "Em espera",
  callEnded: "Chamada encerrada",
  callDuration: "Duração da chamada",
  hangUp: "Desligar",
  decline: "Recusar",
  answerCall: "Atender",
  keypad: "Teclado",
  transfer: "Transferir",
  transferTo: "Transferir para (ramal ou número)",
  transferDone: "Chamada transferida",
  transferFailed: "Não foi possível transferir a chamada",
  mute: "Mudo",
  hold: "Em espera",
  resume: "Retomar",
  callWith: (who: string) => `Chamada com ${who}`,
  inbound: "Chamada recebida",
  outbound: "Chamada feita",
  tonesSent: "Tons enviados",
  dialer: "Discador",
  numberToCall: "Número para ligar",
  backspace: "Apagar",
  callButton: "Ligar",
  searchContacts: "Pesquisar contatos",
  contactSearchRegion: "Busca de contatos",
  historySearchRegion: "Busca no histórico",
  frequentContacts: "Contatos Frequentes",
  noFrequent: "Nenhuma chamada nos últimos 30 dias",
  callHistory: "Histórico de chamadas",
  callFilters: "Filtrar chamadas",
  searchHistory: "Pesquisar no histórico (nome ou número)",
  noCalls: "Nenhuma chamada",
  phoneUnavailable: "Telefone indisponível",
  phoneNotConfigured: "O telefone não está configurado nesta instalação do Conversas.",
  phoneNotLoaded: "Não foi possível carregar o telefone. Verifique sua conexão.",
  callServerUnreachable: "Não foi possível falar com o servidor de chamadas.",
  registerRefused: (code: number) => `O servidor de chamadas recusou o registro (código ${code}).`,
  extension: "Ramal",
};
