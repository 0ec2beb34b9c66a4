/**
 * The way back from the company's identity provider (issue 18.1), fetched only
 * when the address carries its markers (ui/sso/loader.ts): the store's trade,
 * and the words the sign-in form shows when there is no session — each server
 * reason in pt-BR; an unknown user gets the password sign-in's own message.
 */
import { redeemSso, type SsoDeps } from "../../stores/sso-return";

const refused = {
  state: "A entrada pela conta da empresa expirou ou foi interrompida. Tente de novo.",
  token: "O provedor de identidade da empresa não confirmou a entrada. Tente de novo.",
  user: "Empresa, login ou senha inválidos, ou usuário sem acesso ao Conversas.",
  claim: "O provedor de identidade não informou o seu login. Fale com o administrador da empresa.",
  config: "A entrada pela conta da empresa não está configurada corretamente. Fale com o administrador da empresa.",
  other: "Não foi possível entrar com a conta da empresa. Tente de novo.",
};
const expired = "A entrada pela conta da empresa expirou ou já foi usada. Entre de novo.";

/** `network` is i18n.ts's own sentence, handed over with the stores. */
export const redeem = (deps: SsoDeps, network: string) => redeemSso(deps, { refused, expired, network });
