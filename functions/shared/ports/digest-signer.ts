/**
 * The region's digest signing key: ECDSA on P-256 over SHA-256, so that stock tools check a
 * digest (`openssl dgst -sha256 -verify key.pem -signature digest.sig digest.json`). KMS holds the
 * private key in AWS (ECC_NIST_P256, ECDSA_SHA_256); locally a key file under the data folder.
 */
export interface DigestSigner {
  /** The DER-encoded ECDSA signature over the SHA-256 of `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** The public key as PEM (SubjectPublicKeyInfo). */
  publicKeyPem(): Promise<string>;
}
