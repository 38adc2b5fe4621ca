// graphkit's property-graph model on FalkorDB (the embedded store): indexes.
// FalkorDB 4.16 has no CREATE CONSTRAINT ... REQUIRE; uniqueness comes from MERGE on id.
// Claims are found by subject (an index on relation would make the planner scan every
// claim of a relation for each edge it recomputes).
CREATE INDEX FOR (e:Entity) ON (e.id);
CREATE INDEX FOR (a:Article) ON (a.id);
CREATE INDEX FOR (c:Claim) ON (c.id);
CREATE INDEX FOR (c:Claim) ON (c.subject);
CREATE INDEX FOR (e:Entity) ON (e.name);
