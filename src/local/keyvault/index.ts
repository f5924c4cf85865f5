export {
  createLocalVaultCredential as createStandInCredential,
  LOCAL_VAULT_TOKEN as STAND_IN_TOKEN,
} from '../../crypto/sources/keyvault.js';
export {
  type KeyVaultFault,
  type KeyVaultStandIn,
  type KeyVaultStandInOptions,
  startKeyVaultStandIn,
} from './server.js';
