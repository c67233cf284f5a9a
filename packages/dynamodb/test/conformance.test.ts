import { describeOnlineStoreConformance } from '@granary/conformance';
import { toxiproxyFaults } from '@granary/conformance/toxiproxy';
import { createDynamoDbOnlineStore } from '../src/index.js';
import { dynamoConformanceEnv } from './conformance-env.js';
import { dynalite } from './helpers.js';

// dynalite (npm): DynamoDB's API over LevelDB, the first of the two implementations the suite runs on. The
// store talks through Toxiproxy (real faults); the backdoor reads items with a raw client.
const env = dynamoConformanceEnv(dynalite, 'conf');
describeOnlineStoreConformance({
  name: 'dynamodb (dynalite via toxiproxy)',
  create: ({ namespace, clock }) => createDynamoDbOnlineStore({ ...env.options(namespace), clock }),
  faults: () => toxiproxyFaults({ proxy: env.proxyName }),
  backdoor: (store) => env.backdoor(store),
});
