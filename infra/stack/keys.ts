import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { HomeRegion } from '../../domain/residency.ts';
import type { KeyName } from './access.ts';

/** The subjects' master key (wraps each data subject's key) and the contact lookup key (keyed hashes). */
export function keys(stack: Stack, region: HomeRegion): Record<KeyName, Key> {
  return {
    master: new Key(stack, 'SubjectMasterKey', {
      description: `Meridian ${region}: wraps each data subject's key; erasure deletes the wrapped key`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }),
    // KMS rotates symmetric encryption keys only; a rotated lookup key would orphan every stored hash anyway.
    lookup: new Key(stack, 'ContactLookupKey', {
      description: `Meridian ${region}: keyed hash of contact handles for lookups`,
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    }),
  };
}
