/**
 * The demo company (tenant `demo`), provisioned through the public admin API so
 * it works against any deployment. Idempotent: running it again updates.
 */
export const DEMO_TENANT = "demo";
export const DEMO_PASSWORD = "conversas123";

export const DEMO_USERS = [
  { id: "ana", login: "ana", name: "Ana Souza", department: "Atendimento", extension: "2001", modules: ["conversas"] },
  { id: "bruno", login: "bruno", name: "Bruno Lima", department: "Suporte", extension: "2002", modules: ["conversas"] },
  { id: "carla", login: "carla", name: "Carla Dias", department: "Vendas", extension: "2003", modules: ["conversas", "atendimento"] },
  { id: "joao", login: "joao", name: "João Pereira", department: "Financeiro", extension: "2004", modules: ["conversas"] },
  { id: "marina", login: "marina", name: "Marina Conceição", department: "Supervisão", extension: "2005", modules: ["conversas"] },
  { id: "rafael", login: "rafael", name: "Rafael Ângelo", department: "TI", extension: null, modules: ["conversas"] },
];

/**
 * @param {string} base  e.g. http://127.0.0.1:1999
 * @param {string} adminKey
 */
export async function seedDemo(base, adminKey) {
  for (const u of DEMO_USERS) {
    const res = await fetch(`${base}/api/tenants/${DEMO_TENANT}/users/${u.id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        login: u.login,
        name: u.name,
        email: `${u.login}@demo.conversas.local`,
        department: u.department,
        avatarUrl: `/avatars/${u.id}.svg`,
        extension: u.extension,
        modules: u.modules,
        enabled: true,
        password: DEMO_PASSWORD,
      }),
    });
    if (!res.ok) throw new Error(`seed ${u.id}: ${res.status} ${await res.text()}`);
  }
  return DEMO_USERS.map((u) => ({ ...u, password: DEMO_PASSWORD }));
}
