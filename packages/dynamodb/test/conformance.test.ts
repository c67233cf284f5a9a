import { describeDynamoConformance } from './conformance-suite.js';
import { dynalite } from './helpers.js';

// dynalite (npm): DynamoDB's API over LevelDB, the first of the two implementations the suite runs on.
await describeDynamoConformance('dynamodb (dynalite via toxiproxy)', dynalite, 'conf');
