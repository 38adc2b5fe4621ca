// Lint Cypher with Neo4j's own language service (@neo4j-cypher/language-support).
// Reads a JSON array on stdin: [{"name": ..., "query": ..., "parameters": {...}}]
// and writes a JSON array: [{"name": ..., "diagnostics": [{"severity", "message", "offset"}]}].
// Severity 1 is an error, 2 a warning (as in the Language Server Protocol).
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const items = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = items.map(({ name, query, parameters, schema }) => {
  const dbSchema = { ...(schema || {}), parameters: parameters || {} };
  const result = lintCypherQuery(query, dbSchema, true);
  const diagnostics = (result.diagnostics || result).map((d) => ({
    severity: d.severity,
    message: d.message,
    offset: d.offsets ? d.offsets.start : null,
  }));
  return { name, diagnostics };
});
process.stdout.write(JSON.stringify(out));
