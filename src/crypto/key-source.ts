import type { KeyObject } from 'node:crypto';
import type { KeyBits } from './certificate.js';

/** One certificate and the means to unwrap data keys encrypted to it. */
export interface KeyMaterial {
  /** Our `encryptionCertificateId` for this certificate. */
  id: string;
  certificateDer: Buffer;
  /** Upper-case hex SHA-1 of the DER. */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  /** In-process private key (folder source, Key Vault in-memory source). */
  privateKey?: KeyObject;
  /**
   * Remote unwrap (Key Vault remote source): RSA-OAEP (SHA-1) decryption of the wrapped data key by the
   * vault. The private key never enters this process.
   */
  unwrapKey?: (wrappedKey: Buffer) => Promise<Buffer>;
  /** Where the key lives, for `keys list` (a file path or a vault URL), never a secret. */
  location: string;
}

export interface LoadedKeys {
  keys: KeyMaterial[];
  /** Id of the certificate new subscriptions should use; undefined when the source is empty. */
  currentId: string | undefined;
}

/**
 * Where certificates and private keys come from. Implementations: local folder (PEM / PKCS#12),
 * Key Vault in-memory, Key Vault remote unwrap. Small on purpose: the keyring does the bookkeeping.
 */
export interface KeySource {
  readonly kind: 'folder' | 'keyvault' | 'keyvault-remote';
  /** Operator-facing location (folder path or vault URL + certificate name). */
  readonly description: string;
  load(): Promise<LoadedKeys>;
  /** Creates a new self-signed certificate and makes it current (keys create / rotate). */
  createCertificate(options?: { keyBits?: KeyBits; validityDays?: number }): Promise<KeyMaterial>;
  /** Calls `onChange` when the source may have changed (hot reload). Returns a function that stops watching. */
  watch?(onChange: () => void): () => void;
  close?(): Promise<void>;
}
