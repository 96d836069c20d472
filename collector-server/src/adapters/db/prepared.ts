import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

const SENTINEL = '\u0000kestrel-param:';

/**
 * A query built and compiled once, run many times with new values: Kysely rebuilds and recompiles
 * a query on every call, which costs more than SQLite takes to run a small one. Only for the hottest
 * paths (device authentication, heartbeats). The query is built with a marker in place of each value;
 * the compiled parameter list then says which value goes where, whatever order the dialect uses.
 */
export function prepared<Names extends string, Row>(
  db: Executor,
  build: (param: (name: Names) => string) => Compilable<Row>,
): (values: Record<Names, string | number | null>) => Promise<QueryResult<Row>> {
  let compiled: CompiledQuery<Row> | undefined;
  let names: Names[] = [];
  return (values) => {
    if (compiled === undefined) {
      compiled = build((name) => `${SENTINEL}${name}`).compile();
      names = compiled.parameters.map((p) => {
        if (typeof p !== 'string' || !p.startsWith(SENTINEL))
          throw new Error('prepared query with a literal value');
        return p.slice(SENTINEL.length) as Names;
      });
    }
    return db.executeQuery<Row>({ ...compiled, parameters: names.map((n) => values[n]) });
  };
}
