import type { ErrorCode } from '@tillscope/shared';

/** Why a bundle could not be collected or uploaded; the code goes into the command's answer. */
export class BundleError extends Error {
  override name = 'BundleError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
