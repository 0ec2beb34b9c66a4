/** Our `FileStore` seam over an R2 bucket (binding FILES). */
import type { FileStore } from "./host";

export function r2Files(bucket: R2Bucket): FileStore {
  return {
    async put(key, body, meta) {
      await bucket.put(key, body, {
        httpMetadata: { contentType: meta.contentType },
        ...(meta.custom ? { customMetadata: meta.custom } : {}),
      });
    },
    async get(key, range) {
      const object = await bucket.get(key, range ? { range } : {});
      if (!object || !("body" in object)) return null;
      return { body: object.body, size: object.size };
    },
    async bytes(key) {
      const object = await bucket.get(key);
      return object ? object.arrayBuffer() : null;
    },
    async exists(key) {
      return (await bucket.head(key)) !== null;
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
    },
  };
}
