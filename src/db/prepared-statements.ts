// Named (server-side prepared) statements for Prisma's queries through `pg`. A named
// statement is parsed once per connection and PostgreSQL may reuse its plan; an unnamed
// one is parsed and planned again on every execution, which for the catalog's nested-JSON
// reads costs PostgreSQL more than running them.
import { createHash } from 'node:crypto';
import type { SqlQuery } from '@prisma/driver-adapter-utils';

/**
 * Names each distinct SQL text after its hash, up to `max` texts per process; texts beyond
 * the bound run unnamed, so an application whose SQL varies without end (e.g. IN lists of
 * every length) cannot grow every connection's statement cache without limit.
 */
export function statementNames(max: number): (query: SqlQuery) => string {
  const names = new Map<string, string>();
  return (query) => {
    const known = names.get(query.sql);
    if (known !== undefined) return known;
    // adapter-pg passes the result to pg as `name`; undefined means unnamed.
    if (names.size >= max) return undefined as unknown as string;
    const name = `v_${createHash('sha256').update(query.sql).digest('base64url').slice(0, 24)}`;
    names.set(query.sql, name);
    return name;
  };
}

/** The SQL texts each process names: Prisma's catalog, cart and sign-in queries are a few dozen. */
const MAX_NAMED_STATEMENTS = 512;

/** Options of `new PrismaPg(pool, …)`: named statements unless turned off. */
export function pgOptions(prepared: boolean): { statementNameGenerator?: (query: SqlQuery) => string } {
  return prepared ? { statementNameGenerator: statementNames(MAX_NAMED_STATEMENTS) } : {};
}
