import { MeridianError } from '../../../domain/meridian-error.ts';

/** Why a file is refused: the API answers 413 for size, 415 for type, naming the reason. */
export type FileRefusalReason = 'empty' | 'too-large' | 'type-not-allowed' | 'type-mismatch';

export class FileRefused extends MeridianError {
  constructor(
    readonly reason: FileRefusalReason,
    detail: string,
    readonly detected: string | null = null,
  ) {
    super(detail);
  }
}

/** A token that does not attach here: the API answers 400 at the token's place in `attachments`. */
export class TokenRefused extends MeridianError {
  constructor(
    readonly index: number,
    detail: string,
  ) {
    super(detail);
  }
}

export class AttachmentNotFound extends MeridianError {}
/** The file was erased with its ticket (a DSAR or the retention policy): 410. */
export class AttachmentErased extends MeridianError {}
