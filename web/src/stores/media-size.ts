/**
 * The pixel size of a picture or video about to be uploaded, measured in the
 * browser before the upload and sent as `X-Media-Width` / `X-Media-Height`, so
 * every member's chat reserves its exact shape before it loads. A file that
 * cannot be decoded here (or takes too long) is sent without them.
 */
import { previewKind } from "../model/files";

export type MediaSize = { width: number; height: number };

const WAIT_MS = 3_000;

function timeout<T>(work: Promise<T | null>): Promise<T | null> {
  return Promise.race([work, new Promise<null>((resolve) => setTimeout(() => resolve(null), WAIT_MS))]);
}

async function imageSize(file: Blob): Promise<MediaSize | null> {
  if (typeof createImageBitmap === "function") {
    try {
      const bitmap = await createImageBitmap(file);
      const size = { width: bitmap.width, height: bitmap.height };
      bitmap.close();
      return size;
    } catch {
      /* not decodable as a bitmap here (an animated or exotic format): try an <img> */
    }
  }
  const url = URL.createObjectURL(file);
  try {
    return await new Promise<MediaSize | null>((resolve) => {
      const img = new Image();
      img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
      img.onerror = () => resolve(null);
      img.src = url;
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function videoSize(file: Blob): Promise<MediaSize | null> {
  const url = URL.createObjectURL(file);
  const video = document.createElement("video");
  try {
    return await new Promise<MediaSize | null>((resolve) => {
      video.preload = "metadata";
      video.muted = true;
      video.onloadedmetadata = () =>
        resolve(video.videoWidth && video.videoHeight ? { width: video.videoWidth, height: video.videoHeight } : null);
      video.onerror = () => resolve(null);
      video.src = url;
    });
  } finally {
    video.removeAttribute("src");
    video.load();
    URL.revokeObjectURL(url);
  }
}

/** The size of a picture or video (null for anything else, or when it cannot be read). */
export function measureMedia(file: File): Promise<MediaSize | null> {
  const kind = previewKind(file.type);
  if (kind === "image") return timeout(imageSize(file));
  if (kind === "video") return timeout(videoSize(file));
  return Promise.resolve(null);
}

/** The upload's headers for a measured size (none when unknown). */
export function mediaHeaders(size: MediaSize | null): Record<string, string> {
  return size && size.width > 0 && size.height > 0
    ? { "X-Media-Width": String(Math.round(size.width)), "X-Media-Height": String(Math.round(size.height)) }
    : {};
}
