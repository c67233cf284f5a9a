import { describeOnlineStoreConformance } from '@granary/conformance';
import { toxiproxyFaults } from '@granary/conformance/toxiproxy';
import { serviceEndpoints } from '@granary/services';
import { createDynamoDbOnlineStore } from '../src/index.js';
import { dynamoConformanceEnv } from './conformance-env.js';

// moto's server (PyPI moto[server]): a second, independently written DynamoDB implementation. It enforces
// what dynalite ignores (ReturnValuesOnConditionCheckFailure, UpdateTimeToLive, transactions); see the
// README's "dynalite and moto". moto answers a 100-key BatchGetItem in 1-2 s here (dynalite: ~100 ms): a longer bound.
const env = dynamoConformanceEnv(serviceEndpoints().moto, 'moto', 10_000);
describeOnlineStoreConformance({
  name: 'dynamodb (moto via toxiproxy)',
  create: ({ namespace, clock }) => createDynamoDbOnlineStore({ ...env.options(namespace), clock }),
  faults: () => toxiproxyFaults({ proxy: env.proxyName }),
  backdoor: (store) => env.backdoor(store),
});
