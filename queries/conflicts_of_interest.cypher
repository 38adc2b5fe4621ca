// name: conflicts_of_interest
// description: Someone who leads or owns an organization and advises, funds or meets an official of a body that regulates, investigates or partners with it.
// example: graphkit query conflicts_of_interest
MATCH (body:Entity)-[act:REGULATES|INVESTIGATES|PARTNERS_WITH]->(org:Entity)
MATCH (p:Entity)-[held:LEADS|OWNS]->(org)
MATCH (official:Entity)-[post:LEADS|WORKS_FOR|MEMBER_OF]->(body)
MATCH (p)-[contact:ADVISES|FUNDS|MEETS]-(official)
WHERE p <> official AND body <> org
RETURN p.name AS person, type(held) AS holds, org.name AS organization,
       type(contact) AS contact, official.name AS official, type(post) AS post,
       body.name AS body, type(act) AS body_action
ORDER BY person, organization
