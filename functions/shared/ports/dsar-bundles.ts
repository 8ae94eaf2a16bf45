/**
 * Where access and export bundles are kept until the DPO downloads them. A bundle is stored as
 * text sealed with the data subject's key, so erasing the subject shreds their bundles too.
 */
export interface DsarBundleStore {
  put(tenantId: string, dsarId: string, sealedText: string): Promise<void>;
  get(tenantId: string, dsarId: string): Promise<string | null>;
}
