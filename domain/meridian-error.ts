/**
 * The base of Meridian's own errors: `name` is the class's, so logs and `problemFromError` can
 * tell them apart without `instanceof` across bundles.
 */
export class MeridianError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
