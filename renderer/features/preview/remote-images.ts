import { useSyncExternalStore } from 'react';
import { mediaUrl } from '../../../shared/security/app-origin';

/**
 * Whether the preview loads the images a message links to. Off until the person turns it on, for
 * as long as the window is open (every preview shares it): loading an image tells its server the
 * person's address. When on, images are asked of main (app://media), which fetches them only from
 * hosts the person agreed to in its own dialog; the page's CSP allows no remote image directly.
 */

let loadImages = false;
const listeners = new Set<() => void>();

/** setLoadImages turns preview images on or off everywhere. */
export function setLoadImages(on: boolean): void {
  if (on === loadImages) return;
  loadImages = on;
  for (const l of listeners) l();
}

/** useLoadImages is the current choice and its setter. */
export function useLoadImages(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => loadImages,
  );
  return [on, setLoadImages];
}

/** isRemoteImage tells whether the preview shows `url` as an image (https only; anything else stays a placeholder). */
export function isRemoteImage(url: string): boolean {
  return /^https:\/\/[^\s/]+/i.test(url);
}

/** previewImageSrc is the `src` the preview gives an image: main's app://media address, never the remote URL itself. */
export function previewImageSrc(url: string): string {
  return mediaUrl(url);
}
