import { serviceEndpoints } from '@granary/services';
import { describeDynamoConformance } from './conformance-suite.js';

// moto's server (PyPI moto[server]): a second, independently written DynamoDB implementation. It enforces
// what dynalite ignores (ReturnValuesOnConditionCheckFailure, UpdateTimeToLive, transactions); see the
// README's "dynalite and moto" for how the two differ.
// moto answers a 100-key BatchGetItem in about 1-2 s on this machine (dynalite: ~100 ms): a longer bound.
await describeDynamoConformance('dynamodb (moto via toxiproxy)', serviceEndpoints().moto, 'moto', 10_000);
