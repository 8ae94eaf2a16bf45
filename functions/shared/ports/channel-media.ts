import { MeridianError } from '../../../domain/meridian-error.ts';
import type { MediaRef } from './inbound-message.ts';

export interface FetchedMedia {
  bytes: Uint8Array;
  /** As the provider's answer declares it. */
  contentType: string | null;
}

/** The providers' media APIs: a file a webhook names, fetched with the connection's credentials. */
export interface ChannelMedia {
  /** Null when the connection holds no credential for it; throws when the provider does not give it. */
  fetch(ref: MediaRef, secrets: Record<string, unknown>): Promise<FetchedMedia | null>;
}

/** The provider did not give the file (an error answer, too large, not media): the message is kept without it. */
export class MediaUnavailable extends MeridianError {}
