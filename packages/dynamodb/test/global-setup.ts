import { setupServices } from '@granary/services/vitest-setup';

// dynalite and moto (two DynamoDB implementations) and Toxiproxy (fault injection) must answer before any test
// runs: started when missing, a loud error naming what to install when they cannot be.
export default setupServices(['dynalite', 'moto', 'toxiproxy']);
