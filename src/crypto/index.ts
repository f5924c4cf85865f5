/**
 * Public surface of notification cryptography: Graph's rich-notification scheme, the keyring and its key
 * sources, the worker-thread decrypt pool, and self-signed certificates. Other areas import from here only.
 */
export {
  buildSelfSignedCertificate,
  type CertificateInfo,
  type CreateCertificateOptions,
  createSelfSignedCertificate,
  describeCertificate,
  type KeyBits,
  type SelfSignedCertificate,
  SUPPORTED_KEY_BITS,
  toPem,
} from './certificate.js';
export {
  createLimiter,
  createNotificationDecryptor,
  type NotificationDecryptor,
  type NotificationDecryptorOptions,
} from './decryptor.js';
export { DECRYPT_ERROR, type DecryptErrorCode, KEY_ERROR } from './errors.js';
export {
  createDecryptionFromConfig,
  createKeyringFromConfig,
  createKeySource,
  type Decryption,
  type KeyDeps,
  type KeysConfig,
  keyBitsOf,
} from './from-config.js';
export { type KeyFileContents, parseKeyFile, readKeyFile } from './key-file.js';
export type { KeyMaterial, KeySource, LoadedKeys } from './key-source.js';
export {
  type CreateKeyringOptions,
  createKeyring,
  DEFAULT_RETIRE_AFTER_MS,
  type Keyring,
  type KeyringCertificate,
  type KeyringEntry,
  type ResolvedKey,
} from './keyring.js';
export {
  assertEncryptedContent,
  certificateThumbprint,
  checkThumbprint,
  decodeUtf8Plaintext,
  decryptNotificationContent,
  decryptNotificationPlaintext,
  decryptPlaintextWithSymmetricKey,
  decryptWithSymmetricKey,
  type EncryptedContent,
  type EncryptionCertificate,
  encryptNotificationContent,
  normalizeThumbprint,
  type PrivateKeyInput,
  parseJsonText,
  parsePlaintext,
  unwrapDataKey,
} from './notification-cipher.js';
export { Pkcs12Error, parsePkcs12, writePkcs12 } from './pkcs12.js';
export {
  createDecryptPool,
  type DecryptPool,
  type DecryptPoolItem,
  type DecryptPoolOptions,
  type DecryptResult,
  POOL_ERROR,
} from './pool.js';
export {
  CURRENT_FILE,
  createFolderKeySource,
  DEFAULT_KEY_FOLDER,
  type FolderKeySourceOptions,
  isValidCertificateId,
  newCertificateId,
  setCurrentCertificate,
} from './sources/folder.js';
export {
  createKeyVaultKeySource,
  createLocalVaultCredential,
  isLoopbackVaultUrl,
  type KeyVaultKeySourceOptions,
  keyVaultCertificateId,
  keyVaultClientOptions,
  LOCAL_VAULT_TOKEN,
} from './sources/keyvault.js';
