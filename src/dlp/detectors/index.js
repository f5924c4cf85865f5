import { awsAccessKeyIdDetector, awsSecretKeyDetector, azureConnectionStringDetector, azureSasDetector, azureStorageKeyDetector, entraSecretDetector, } from './cloud.js';
import { abaDetector, bankAccountDetector, creditCardDetector, ibanDetector, ssnDetector, } from './financial.js';
import { genericApiKeyDetector, passwordInConnectionStringDetector } from './generic.js';
import { emailDetector, ninoDetector, passportDetector, phoneDetector } from './identity.js';
import { ipDetector } from './network.js';
import { githubTokenDetector, googleApiKeyDetector, jwtDetector, npmTokenDetector, privateKeyDetector, slackTokenDetector, stripeKeyDetector, } from './tokens.js';
/** Every built-in detector; together they emit the 26 canonical types. */
export const BUILTIN_DETECTORS = [
    creditCardDetector,
    ssnDetector,
    abaDetector,
    bankAccountDetector,
    ibanDetector,
    passportDetector,
    ninoDetector,
    emailDetector,
    phoneDetector,
    ipDetector,
    azureConnectionStringDetector,
    azureStorageKeyDetector,
    azureSasDetector,
    entraSecretDetector,
    awsAccessKeyIdDetector,
    awsSecretKeyDetector,
    githubTokenDetector,
    npmTokenDetector,
    slackTokenDetector,
    googleApiKeyDetector,
    stripeKeyDetector,
    jwtDetector,
    privateKeyDetector,
    passwordInConnectionStringDetector,
    genericApiKeyDetector,
];
