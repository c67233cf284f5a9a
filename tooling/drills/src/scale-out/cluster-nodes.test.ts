import { describe, expect, it } from 'vitest';
import { everyMasterReplicated, parseClusterNodes } from './cluster-nodes.ts';

const NODES = `a1 127.0.0.1:31001@41001 myself,master - 0 0 1 connected 0-5460
a2 127.0.0.1:31002@41002 master - 0 1 2 connected 5461-10922
a3 127.0.0.1:31003@41003 master - 0 1 3 connected 10923-16383
r1 127.0.0.1:31004@41004 slave a1 0 1 1 connected
r2 127.0.0.1:31005@41005 slave a2 0 1 2 connected
r3 127.0.0.1:31006@41006 slave a3 0 1 3 connected
`;

describe('CLUSTER NODES', () => {
  it('parses roles, masters, slots and failures', () => {
    const nodes = parseClusterNodes(NODES);
    expect(nodes.map((n) => [n.port, n.role, n.masterId, n.slots])).toEqual([
      [31001, 'master', null, 5461],
      [31002, 'master', null, 5462],
      [31003, 'master', null, 5461],
      [31004, 'replica', 'a1', 0],
      [31005, 'replica', 'a2', 0],
      [31006, 'replica', 'a3', 0],
    ]);
    expect(everyMasterReplicated(nodes)).toBe(true);
  });

  it('is not replicated when a master lost its replica or failed', () => {
    expect(
      everyMasterReplicated(
        parseClusterNodes(NODES.replace('slave a3 0 1 3 connected', 'slave,fail a3 0 1 3 disconnected')),
      ),
    ).toBe(false);
    expect(everyMasterReplicated(parseClusterNodes(NODES.split('\n').slice(0, 5).join('\n')))).toBe(false);
    expect(
      everyMasterReplicated(parseClusterNodes(NODES.replace('myself,master', 'myself,master,fail'))),
    ).toBe(false);
  });
});
