/**
 * Every word the web client shows, in Brazilian Portuguese, using the spec's own
 * labels (FEATURES.md) where it names them. Components and stores read text only
 * from here, so wording changes in one place.
 */
export const t = {
  appName: "Conversas",
  // R1 — sign in / out
  tenant: "Empresa",
  login: "Login",
  password: "Senha",
  signIn: "Entrar",
  signingIn: "Entrando…",
  signOut: "Sair",
  signInTitle: "Entre no Conversas",
  signInHint: "Use o login e a senha do seu cadastro.",
  networkError: "Não foi possível falar com o servidor. Verifique sua conexão e tente de novo.",
  sessionEnded: "Sua sessão terminou. Entre de novo.",
  accountDisabled: "Seu acesso ao Conversas foi desativado.",
  // Sidebar (R6, R12)
  modules: "Módulos",
  chatsTab: "Chats",
  callsTab: "Chamadas",
  comingSoon: "Em breve",
  search: "Pesquisar",
  clearSearch: "Limpar pesquisa",
  searchHint: (min: number) => `Digite ao menos ${min} letras`,
  contacts: "Contatos",
  conversations: "Conversas",
  noConversations: "Nenhuma conversa ainda",
  noConversationsHint: "Pesquise um contato para começar.",
  noContacts: "Nenhum contato encontrado",
  contactsError: "Não foi possível carregar os contatos.",
  tryAgain: "Tentar de novo",
  you: "Você",
  // Dates (R6, R8)
  today: "Hoje",
  yesterday: "Ontem",
  // Chat (R8, R9)
  back: "Voltar",
  pickConversation: "Escolha uma conversa ou pesquise um contato.",
  messages: "Mensagens",
  loading: "Carregando…",
  loadOlder: "Carregar mensagens anteriores",
  startOfChat: "Início da conversa",
  emptyChat: "Nenhuma mensagem ainda. Diga olá!",
  message: "Mensagem",
  send: "Enviar",
  sending: "Enviando",
  sent: "Enviada",
  failed: "Não enviada",
  discard: "Descartar",
  tooLong: (max: number) => `A mensagem passa de ${max.toLocaleString("pt-BR")} caracteres.`,
  charCount: (n: number, max: number) => `${n.toLocaleString("pt-BR")}/${max.toLocaleString("pt-BR")}`,
  chatClosed: "Não foi possível abrir esta conversa.",
  // Connection
  connected: "Conectado",
  connecting: "Conectando…",
  reconnecting: "Reconectando…",
  offline: "Sem conexão",
  pendingCount: (n: number) => (n === 1 ? "1 mensagem aguardando envio" : `${n} mensagens aguardando envio`),
};
