// name: conflicts_of_interest
// description: Someone who leads or owns an organization and advises, funds or meets an official of a body that regulates, investigates or partners with it.
// example: graphkit query conflicts_of_interest
MATCH (body:Entity)-[act:REGULATES|INVESTIGATES|PARTNERS_WITH]->(org:Entity)
WITH body, act, org
MATCH (p:Entity)-[held:LEADS|OWNS]->(org)
WITH body, act, org, p, held
MATCH (official:Entity)-[post:LEADS|WORKS_FOR|MEMBER_OF]->(body)
WHERE p <> official AND body <> org
WITH body, act, org, p, held, official, post
MATCH (p)-[contact:ADVISES|FUNDS|MEETS]-(official)
RETURN p.name AS person, type(held) AS holds, org.name AS organization,
       type(contact) AS contact, official.name AS official, type(post) AS post,
       body.name AS body, type(act) AS body_action
ORDER BY person, organization
