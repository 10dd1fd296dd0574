/** Other tabs of the same site, and the Global Privacy Control signal of this one. Plain module, no Lit. */

/** Global Privacy Control, read once per navigation (GPC-03). DNT is never read: it can grant nothing. */
export const gpcEnabled = (): boolean => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

/** The other open tabs of the site: a decision in one reaches the others at once (method `sync`). */
export function openChannel(name: string, receive: (record: unknown) => void): BroadcastChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const channel = new BroadcastChannel(`oph-consent:${name}`);
  channel.onmessage = (event: MessageEvent) => receive(event.data);
  return channel;
}
