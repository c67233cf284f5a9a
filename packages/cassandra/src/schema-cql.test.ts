import { isGranaryError } from '@granary/core';
import { describe, expect, it } from 'vitest';
import { cassandraSchemaCql, replicationCql } from './schema-cql.js';

describe('cassandraSchemaCql', () => {
  it('creates the keyspace and the table idempotently, one partition per (view, entity)', () => {
    const [keyspace, table] = cassandraSchemaCql({
      keyspace: 'feat',
      table: 'prod',
      replication: { class: 'NetworkTopologyStrategy', dc1: 3, dc2: 3 },
    });
    expect(keyspace).toBe(
      "CREATE KEYSPACE IF NOT EXISTS feat WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': '3', 'dc2': '3'}",
    );
    expect(table).toContain(
      'CREATE TABLE IF NOT EXISTS feat.prod (view_name text, entity_key blob, feature text',
    );
    expect(table).toContain('PRIMARY KEY ((view_name, entity_key), feature)');
    expect(table).toContain("'class': 'UnifiedCompactionStrategy'");
  });

  it('uses SimpleStrategy RF 1 by default and accepts custom table options', () => {
    const [keyspace, table] = cassandraSchemaCql({ tableOptions: 'gc_grace_seconds = 3600' });
    expect(keyspace).toContain("{'class': 'SimpleStrategy', 'replication_factor': '1'}");
    expect(table).toMatch(/granary\.online_features .* WITH gc_grace_seconds = 3600$/);
  });

  it('rejects names that are not plain lower-case identifiers and odd replication options', () => {
    for (const bad of [{ keyspace: 'Granary' }, { table: 'x; DROP TABLE y' }, { table: 'a'.repeat(49) }]) {
      expect(() => cassandraSchemaCql(bad)).toThrow(/not a lower-case CQL identifier/);
    }
    expect(() => cassandraSchemaCql({ replication: { class: 'SimpleStrategy', "x'": 1 } })).toThrow(
      /invalid replication option/,
    );
    try {
      cassandraSchemaCql({ replication: { replication_factor: 1 } });
      expect.unreachable();
    } catch (e) {
      expect(isGranaryError(e, 'VALIDATION_FAILED') && e.details.path).toBe('replication.class');
    }
  });

  it('quotes map literals', () => {
    expect(replicationCql({ class: "it's" })).toBe("{'class': 'it''s'}");
  });
});
